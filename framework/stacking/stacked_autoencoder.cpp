// The stacked autoencoder: batched matrix products over a leading variant dimension.
#include "framework/stacking/stacked_autoencoder.h"

#include <fmt/format.h>

#include "framework/core/error.h"
#include "framework/models/activation.h"

namespace aelab {
namespace {

constexpr size_t kNoBias = static_cast<size_t>(-1);

/// The chains of variant `model`; Error when it cannot be stacked.
std::pair<DenseChain, DenseChain> chains_of(AutoencoderImpl& model) {
  std::string why;
  if (!stackable_autoencoder(model, &why)) throw Error("stacked training: " + why);
  return {model.encoder().dense_chain(), model.decoder().dense_chain()};
}

/// `tensors` (one per variant, shapes equal but possibly smaller in each dimension) zero-padded
/// to the largest in each dimension and stacked: [K, ...].
torch::Tensor pad_and_stack(const std::vector<torch::Tensor>& tensors) {
  std::vector<int64_t> shape(tensors.front().sizes().begin(), tensors.front().sizes().end());
  for (const auto& t : tensors)
    for (size_t d = 0; d < shape.size(); ++d) shape[d] = std::max(shape[d], t.size(d));
  std::vector<int64_t> stacked_shape{static_cast<int64_t>(tensors.size())};
  stacked_shape.insert(stacked_shape.end(), shape.begin(), shape.end());
  torch::Tensor out = torch::zeros(stacked_shape, tensors.front().options());
  for (size_t k = 0; k < tensors.size(); ++k) {
    torch::Tensor slot = out.select(0, static_cast<int64_t>(k));
    for (int64_t d = 0; d < tensors[k].dim(); ++d) slot = slot.slice(d, 0, tensors[k].size(d));
    slot.copy_(tensors[k]);
  }
  return out;
}

}  // namespace

AutoencoderImpl* stackable_autoencoder(ModelImpl& model, std::string* why) {
  auto* autoencoder = dynamic_cast<AutoencoderImpl*>(&model);
  const char* reason = nullptr;
  if (!autoencoder)
    reason = "only model.name=ae stacks";
  else if (autoencoder->dense_chain().empty())
    reason = "only mlp and linear encoders and decoders stack";
  if (reason && why) *why = reason;
  return reason ? nullptr : autoencoder;
}

StackedAutoencoder::StackedAutoencoder(const std::vector<AutoencoderImpl*>& variants) {
  torch::NoGradGuard no_grad;
  const size_t count = variants.size();
  std::vector<std::pair<DenseChain, DenseChain>> chains;
  for (AutoencoderImpl* model : variants) chains.push_back(chains_of(*model));
  variant_parameters_.resize(count);
  std::vector<int64_t> code_sizes;
  for (const auto& [encoder, decoder] : chains)
    code_sizes.push_back(encoder.back().linear->weight.size(0));
  auto stack_chain = [&](bool encoder, std::vector<Layer>& out) {
    const DenseChain& first = encoder ? chains[0].first : chains[0].second;
    for (size_t i = 0; i < first.size(); ++i) {
      std::vector<torch::Tensor> weights, biases;
      for (size_t k = 0; k < count; ++k) {
        const DenseChain& chain = encoder ? chains[k].first : chains[k].second;
        if (chain.size() != first.size() || chain[i].activation != first[i].activation ||
            chain[i].linear->bias.defined() != first[i].linear->bias.defined())
          throw Error("stacking needs variants of the same architecture but for the code size");
        // Only the code may differ in size: the encoder's last rows, the decoder's first columns.
        const bool code_side = encoder ? i + 1 == first.size() : i == 0;
        if (!code_side && !chain[i].linear->weight.sizes().equals(first[i].linear->weight.sizes()))
          throw Error(fmt::format("stacking: layer {} differs in size between variants", i));
        weights.push_back(chain[i].linear->weight);
        if (chain[i].linear->bias.defined()) biases.push_back(chain[i].linear->bias);
      }
      Layer layer{parameters_.size(), kNoBias, first[i].activation};
      parameters_.push_back(pad_and_stack(weights).requires_grad_(true));
      for (size_t k = 0; k < count; ++k) variant_parameters_[k].push_back(weights[k]);
      if (!biases.empty()) {
        layer.bias = parameters_.size();
        parameters_.push_back(pad_and_stack(biases).requires_grad_(true));
        for (size_t k = 0; k < count; ++k) variant_parameters_[k].push_back(biases[k]);
      }
      out.push_back(layer);
    }
  };
  stack_chain(true, encoder_);
  stack_chain(false, decoder_);
  const int64_t largest = *std::max_element(code_sizes.begin(), code_sizes.end());
  if (*std::min_element(code_sizes.begin(), code_sizes.end()) != largest) {
    code_mask_ = torch::zeros({static_cast<int64_t>(count), 1, largest},
                              parameters_.front().options().requires_grad(false));
    for (size_t k = 0; k < count; ++k)
      code_mask_[static_cast<int64_t>(k)].slice(1, 0, code_sizes[k]).fill_(1);
  }
}

std::vector<torch::Tensor> StackedAutoencoder::variant_slices(
    const std::vector<torch::Tensor>& stacked, int64_t k) const {
  std::vector<torch::Tensor> slices;
  for (size_t i = 0; i < stacked.size(); ++i) {
    torch::Tensor slice = stacked[i].select(0, k);
    const torch::Tensor& own = variant_parameters_[static_cast<size_t>(k)][i];
    for (int64_t d = 0; d < own.dim(); ++d) slice = slice.slice(d, 0, own.size(d));
    slices.push_back(slice);
  }
  return slices;
}

torch::Tensor StackedAutoencoder::run_chain(torch::Tensor x,
                                            const std::vector<Layer>& chain) const {
  for (const Layer& layer : chain) {
    const torch::Tensor weight = parameters_[layer.weight].transpose(1, 2);
    x = layer.bias == kNoBias ? torch::bmm(x, weight)
                              : torch::baddbmm(parameters_[layer.bias].unsqueeze(1), x, weight);
    x = activate(x, layer.activation);
  }
  return x;
}

torch::Tensor StackedAutoencoder::forward(const torch::Tensor& inputs) {
  torch::Tensor code = run_chain(inputs, encoder_);
  if (code_mask_.defined()) code = code * code_mask_;
  return run_chain(code, decoder_);
}

void StackedAutoencoder::copy_to_variant(int64_t k) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> slices = variant_slices(parameters_, k);
  const auto& own = variant_parameters_[static_cast<size_t>(k)];
  for (size_t i = 0; i < own.size(); ++i) own[i].copy_(slices[i]);
}

}  // namespace aelab
