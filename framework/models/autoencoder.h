// The deterministic autoencoder (`model.name=ae`): any encoder, any decoder, trained on whatever
// reconstruction objective the experiment chooses. Presets in configs/model/ pick the parts.
#pragma once

#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"

namespace aelab {

/// Options of the deterministic autoencoder.
struct AutoencoderOptions {
  int64_t latent_dim = 32;
  bool skips = false;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "size of the bottleneck", AtLeast{1});
    v("skips", skips,
      "skip connections from encoder stages to decoder stages (U-Net style), for image-to-image "
      "tasks such as colourization: the code is then not the only path (decode() uses it alone)");
  }
};

/// decoder(encoder(x)) over the `encoder:` and `decoder:` sections.
class AutoencoderImpl : public ModelImpl, public Reconstructor, public LatentCodec {
 public:
  AutoencoderImpl(AutoencoderOptions options, const BuildContext& context);
  /// `code` and `reconstruction`.
  ModelOutputs forward(const torch::Tensor& input) override;
  torch::Tensor reconstruct(const torch::Tensor& batch) override;
  torch::Tensor encode(const torch::Tensor& batch) override { return encoder_->forward(batch); }
  torch::Tensor decode(const torch::Tensor& codes) override { return decoder_->forward(codes); }

 private:
  bool skips_ = false;
  std::shared_ptr<EncoderImpl> encoder_;
  std::shared_ptr<DecoderImpl> decoder_;
};

/// `context` with the bottleneck size set.
BuildContext with_latent_dim(const BuildContext& context, int64_t latent_dim);

}  // namespace aelab
