// Models: what a run trains (or fits) and evaluates. A model plugin says which other config
// sections it reads (encoder, decoder, trainer, ...); the rest are dropped from its job config.
#pragma once

#include <functional>
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
  /// Called by the trainer before each epoch (1-based) of `epochs`, for schedules such as KL
  /// warm-up.
  virtual void start_epoch(int64_t epoch, int64_t epochs) {}
};

/// Models with a latent space one can move in: codes of inputs and images of codes.
class LatentCodec {
 public:
  virtual ~LatentCodec() = default;
  /// Codes [N, latent_dim] of a batch (the posterior mean for a VAE).
  virtual torch::Tensor encode(const torch::Tensor& batch) = 0;
  /// Images [N, C, H, W] of codes (the likelihood's mean for a VAE).
  virtual torch::Tensor decode(const torch::Tensor& codes) = 0;
};

/// Registry of model plugins (`model.name`).
Registry<ModelImpl, BuildContext>& model_registry();

/// Config sections (besides `model`) that a model plugin reads, declared at registration.
std::vector<std::string> model_sections(const std::string& model_name);
/// Checks a model makes of a whole job config, across sections; throws ConfigError.
using ModelConfigCheck = std::function<void(const ConfigNode& job_config)>;
/// Declares the sections a model plugin reads, and an optional check across them; call from the
/// plugin's file.
bool declare_model_sections(const std::string& model_name, std::vector<std::string> sections,
                            ModelConfigCheck check = nullptr);
/// Runs the check `model_name` declared, if any, on a normalized job config.
void check_model_config(const std::string& model_name, const ConfigNode& job_config);
/// Every section some model reads, sorted.
std::vector<std::string> all_model_sections();

/// Options every model has.
struct LatentOptions {
  int64_t latent_dim = 32;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "size of the bottleneck", AtLeast{1});
  }
};

}  // namespace aelab
