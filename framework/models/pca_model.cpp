// The `pca` model: PCA's reconstruction at model.latent_dim components, closed form, so nothing
// is trained; the basis is fitted once per dataset and cached, and kept as buffers so a saved
// PCA model reloads like any other.
#include "framework/baselines/pca.h"
#include "framework/core/error.h"
#include "framework/models/model.h"

namespace aelab {

/// Projection onto the first latent_dim principal components (Pearson 1901; Hotelling 1933).
class PcaModel : public ModelImpl, public Reconstructor, public LatentCodec {
 public:
  PcaModel(LatentOptions options, const BuildContext& context) : input_shape_(context.input_shape) {
    const int64_t k = options.latent_dim;
    const PcaBasis* basis =
        context.for_loading || !context.pca_basis ? nullptr : &context.pca_basis();
    // The most components there are: the input's dimensions, and the training set's rank.
    const int64_t most =
        basis ? std::min(context.input_size(), basis->rank()) : context.input_size();
    if (k > context.input_size())
      throw ConfigError(
          "model.latent_dim: " + std::to_string(k) + " exceeds the " +
          std::to_string(context.input_size()) +
          " input dimensions of PCA (use at most model.latent_dim=" + std::to_string(most) + ")");
    torch::Tensor mean = torch::zeros({context.input_size()});
    torch::Tensor components = torch::zeros({k, context.input_size()});
    if (!context.for_loading) {
      if (!basis) throw Error("pca model built without access to the PCA basis");
      if (k > basis->rank())
        throw ConfigError("model.latent_dim: " + std::to_string(k) + " exceeds the rank " +
                          std::to_string(basis->rank()) +
                          " of the training set (use more data, or at most model.latent_dim=" +
                          std::to_string(most) + ")");
      mean = basis->mean.to(torch::kCPU, torch::kFloat32).clone();
      components = basis->components.slice(0, 0, k).to(torch::kCPU, torch::kFloat32).clone();
    }
    mean_ = register_buffer("mean", mean);
    components_ = register_buffer("components", components);
  }

  bool trainable() const override { return false; }

  ModelOutputs forward(const torch::Tensor& input) override {
    ModelOutputs outputs;
    outputs.set("code", encode(input));
    outputs.set("reconstruction", reconstruct(input));
    return outputs;
  }

  torch::Tensor reconstruct(const torch::Tensor& batch) override { return decode(encode(batch)); }
  torch::Tensor encode(const torch::Tensor& batch) override {
    return torch::matmul(batch.flatten(1) - mean_, components_.t());
  }
  torch::Tensor decode(const torch::Tensor& codes) override {
    std::vector<int64_t> shape{codes.size(0)};
    shape.insert(shape.end(), input_shape_.begin(), input_shape_.end());
    return (torch::matmul(codes, components_) + mean_).view(shape);
  }

 private:
  std::vector<int64_t> input_shape_;
  torch::Tensor mean_;        ///< [D]
  torch::Tensor components_;  ///< [latent_dim, D]
};

AELAB_REGISTER_PLUGIN(model_registry(), "pca", PcaModel, LatentOptions)
    .describe("exact linear baseline: projection on the top latent_dim principal components");
[[maybe_unused]] static bool pca_declared =
    declare_model("pca", {{}, ModelTraits{/*trainable=*/false}, nullptr});

}  // namespace aelab
