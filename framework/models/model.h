// Models: what a run trains (or fits) and evaluates. A model returns its outputs by name
// (reconstruction, code, posterior parameters, logits) so an objective reads what it needs;
// reconstructing and moving in a latent space are capabilities a model may have.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "framework/core/registry.h"
#include "framework/models/build_context.h"

namespace aelab {

/// A model's outputs for one batch, by name (`reconstruction`, `code`, `mean`, `logvar`,
/// `logits`).
class ModelOutputs {
 public:
  void set(const std::string& name, torch::Tensor value) { tensors_[name] = std::move(value); }
  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  /// The output `name`; Error naming the outputs there are when the model gives no such one.
  const torch::Tensor& at(const std::string& name) const;

 private:
  std::map<std::string, torch::Tensor> tensors_;
};

/// Base of model plugins.
class ModelImpl : public torch::nn::Module {
 public:
  /// False for closed-form models (PCA) that the trainer skips.
  virtual bool trainable() const { return true; }
  /// The outputs of a batch of inputs [N, C, H, W].
  virtual ModelOutputs forward(const torch::Tensor& input) = 0;
  /// Called by the trainer before each epoch (1-based) of `epochs`, for schedules such as KL
  /// warm-up.
  virtual void start_epoch(int64_t epoch, int64_t epochs) {}
};

/// Models that map an input back to input space: autoencoders and PCA.
class Reconstructor {
 public:
  virtual ~Reconstructor() = default;
  /// Reconstruction of a batch, same shape (deterministic: a VAE decodes its posterior mean).
  virtual torch::Tensor reconstruct(const torch::Tensor& batch) = 0;
};

/// `model` as a Reconstructor; Error when it cannot reconstruct (a classifier).
Reconstructor& reconstructor_of(ModelImpl& model);

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

/// What a model is, known from its name alone, so configs can be checked before anything is
/// built.
struct ModelTraits {
  bool trainable = true;     ///< false: fitted in closed form (PCA)
  bool variational = false;  ///< a VariationalModel: ELBO objective and likelihood metrics
};

/// Checks a plugin makes of a whole job config, across sections; throws ConfigError.
using ConfigCheck = std::function<void(const ConfigNode& job_config)>;

/// What a model plugin declares beside its registration.
struct ModelDeclaration {
  std::vector<std::string> sections;  ///< config sections it is built from (encoder, prior, ...)
  ModelTraits traits;
  ConfigCheck check;  ///< optional
};

/// Declares a model plugin's sections, traits and check; call from the plugin's file.
bool declare_model(const std::string& model_name, ModelDeclaration declaration);
/// The declaration of `model_name`; Error when the plugin made none (a plugin without one
/// would silently lose its sections).
const ModelDeclaration& model_declaration(const std::string& model_name);
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
