// Encoder-decoder for semantic segmentation: the `encoder:` and `decoder:` sections' plugins, the
// decoder's last layer giving per-pixel scores of every class, optionally with skip connections
// from each encoder stage to the decoder stage of the same resolution (U-Net, Ronneberger,
// Fischer and Brox 2015; without them, the encoder-decoder of Badrinarayanan et al. 2017 minus
// its pooling indices).
#include "framework/core/error.h"
#include "framework/core/options.h"
#include "framework/models/autoencoder.h"

namespace aelab {

/// Options of the segmenter.
struct SegmenterOptions {
  int64_t latent_dim = 64;
  int64_t num_classes = 11;
  bool skips = true;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "size of the code between encoder and decoder", AtLeast{1});
    v("num_classes", num_classes, "classes of the label maps (background included)", AtLeast{2});
    v("skips", skips, "skip connections from encoder stages to decoder stages (U-Net style)");
  }
};

/// logits [N, K, H, W] = decoder(encoder(x)), with stage maps joined in when `skips`.
class Segmenter : public ModelImpl {
 public:
  Segmenter(SegmenterOptions options, const BuildContext& context) : skips_(options.skips) {
    BuildContext coded = with_latent_dim(context, options.latent_dim);
    encoder_ = register_module("encoder", make_encoder(context.section("encoder"), coded));
    BuildContext scores = coded;
    scores.input_shape.at(0) = options.num_classes;  // the decoder draws class scores
    if (skips_) scores = with_skip_channels(scores, *encoder_, "model.skips");
    ConfigNode decoder = context.section("decoder");
    if (decoder.get("output")) decoder.set("output", ConfigNode::string("identity"));
    decoder_ = register_module("decoder", make_decoder(decoder, scores));
  }

  ModelOutputs forward(const torch::Tensor& input) override {
    ModelOutputs outputs;
    std::vector<torch::Tensor> stages;
    torch::Tensor code = encoder_->forward_with_stages(input, stages);
    outputs.set("logits",
                skips_ ? decoder_->forward_with_skips(code, stages) : decoder_->forward(code));
    outputs.set("code", code);
    return outputs;
  }

 private:
  bool skips_;
  std::shared_ptr<EncoderImpl> encoder_;
  std::shared_ptr<DecoderImpl> decoder_;
};

AELAB_REGISTER_PLUGIN(model_registry(), "segmenter", Segmenter, SegmenterOptions)
    .describe("encoder-decoder giving per-pixel class scores, skip connections optional");
namespace {

/// A segmenter's score maps are what experiment=segmentation trains and scores; another
/// experiment would read them as reconstructions.
void check_segmenter_experiment(const ConfigNode& config) {
  const ConfigNode* experiment = config.find("experiment.name");
  if (experiment && experiment->is_scalar() && experiment->text() != "segmentation")
    throw ConfigError(
        located(*config.find("model.name"), "model.name") +
        ": model=segmenter gives a score map per class, which experiment=" + experiment->text() +
        " does not read (use experiment=segmentation, or an autoencoder such as "
        "model=conv_ae)");
}

}  // namespace

[[maybe_unused]] static bool segmenter_declared =
    declare_model("segmenter", {{"encoder", "decoder"}, ModelTraits{}, check_segmenter_experiment});

}  // namespace aelab
