// Models: what a run trains (or fits) and evaluates. A model plugin says which other config
// sections it reads (encoder, decoder, trainer, ...); the rest are dropped from its job config.
#pragma once

#include <string>
#include <vector>

#include "framework/core/registry.h"
#include "framework/models/build_context.h"

namespace aelab {

/// Base of model plugins.
class ModelImpl : public torch::nn::Module {
 public:
  /// False for closed-form models (PCA) that the trainer skips.
  virtual bool trainable() const { return true; }
  /// Training loss (a scalar tensor) of reconstructing `target` from `input`; they differ when
  /// the input is corrupted by a noise model (denoising).
  virtual torch::Tensor loss(const torch::Tensor& input, const torch::Tensor& target) = 0;
  /// Reconstruction of a batch, same shape, for evaluation.
  virtual torch::Tensor reconstruct(const torch::Tensor& batch) = 0;
};

/// Registry of model plugins (`model.name`).
Registry<ModelImpl, BuildContext>& model_registry();

/// Config sections (besides `model`) that a model plugin reads, declared at registration.
std::vector<std::string> model_sections(const std::string& model_name);
/// Declares the sections a model plugin reads; call from the plugin's file.
bool declare_model_sections(const std::string& model_name, std::vector<std::string> sections);

/// Options every model has.
struct LatentOptions {
  int64_t latent_dim = 32;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "size of the bottleneck", AtLeast{1});
  }
};

}  // namespace aelab
