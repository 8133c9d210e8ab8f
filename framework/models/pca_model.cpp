// The `pca` model family: PCA's reconstruction at model.latent_dim components, closed form, so
// nothing is trained; the basis is fitted once per dataset and cached.
#include "framework/baselines/pca.h"
#include "framework/core/error.h"
#include "framework/models/model.h"

namespace aelab {

/// Projection onto the first latent_dim principal components (Pearson 1901; Hotelling 1933).
class PcaModel : public ModelImpl {
 public:
  PcaModel(LatentOptions options, const BuildContext& context) : latent_dim_(options.latent_dim) {
    if (latent_dim_ > context.input_size())
      throw ConfigError("model.latent_dim: " + std::to_string(latent_dim_) + " exceeds the " +
                        std::to_string(context.input_size()) + " input dimensions of PCA");
    if (!context.pca_basis) throw Error("pca model built without access to the PCA basis");
    basis_ = context.pca_basis();
    if (latent_dim_ > basis_.rank())
      throw ConfigError("model.latent_dim: " + std::to_string(latent_dim_) + " exceeds the rank " +
                        std::to_string(basis_.rank()) +
                        " of the training set (use more data or a smaller latent_dim)");
  }

  bool trainable() const override { return false; }

  torch::Tensor loss(const torch::Tensor& input, const torch::Tensor& target) override {
    return torch::mse_loss(reconstruct(input), target);
  }

  torch::Tensor reconstruct(const torch::Tensor& batch) override {
    if (basis_.mean.device() != batch.device()) basis_ = basis_.to(batch.device());
    return basis_.reconstruct(batch, latent_dim_);
  }

 private:
  int64_t latent_dim_;
  PcaBasis basis_;
};

AELAB_REGISTER_PLUGIN(model_registry(), "pca", PcaModel, LatentOptions)
    .describe("exact linear baseline: projection on the top latent_dim principal components");
[[maybe_unused]] static bool pca_sections = declare_model_sections("pca", {});

}  // namespace aelab
