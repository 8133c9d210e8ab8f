// The variational autoencoder (Kingma and Welling 2014): a Gaussian posterior from any encoder,
// a Bernoulli or Gaussian likelihood from any decoder, any prior; the loss is the negative ELBO
// with a beta weight on the KL term (Higgins et al. 2017) and an optional linear warm-up of that
// weight (Bowman et al. 2016, Sonderby et al. 2016).
#include <algorithm>
#include <cmath>

#include "framework/models/autoencoder.h"
#include "framework/models/bernoulli_log_likelihood.h"
#include "framework/models/variational_model.h"

namespace aelab {

/// Options of the VAE.
struct VaeOptions {
  int64_t latent_dim = 32;
  std::string likelihood = "bernoulli";
  double beta = 1.0;
  int64_t kl_warmup_epochs = 0;
  double sigma = 0.1;
  bool learn_sigma = true;
  template <class V>
  void visit(V& v) {
    v("latent_dim", latent_dim, "size of the latent code z", AtLeast{1});
    v("likelihood", likelihood,
      "p(x|z): bernoulli (decoder output = pixel probabilities) or "
      "gaussian (decoder output = mean)",
      OneOf{{"bernoulli", "gaussian"}});
    v("beta", beta, "weight of the KL term in the training loss (1 = the ELBO)", AtLeast{0});
    v("kl_warmup_epochs", kl_warmup_epochs,
      "epochs over which the KL weight rises linearly to beta (0 = none)", AtLeast{0});
    v("sigma", sigma, "gaussian likelihood: standard deviation (the start value if learnt)",
      AtLeast{1e-6});
    v("learn_sigma", learn_sigma, "gaussian likelihood: learn one shared standard deviation");
  }
};

/// The whole-config check: the likelihood must fit the decoder's output, and the decoder must
/// see an image only through its code.
static void check_vae_config(const ConfigNode& config) {
  const ConfigNode* skips = config.find("decoder.skips");
  if (skips && skips->kind() == ConfigNode::Kind::kBool && skips->as_bool())
    throw ConfigError(located(*skips, "decoder.skips") +
                      ": a VAE's decoder sees an image only through its code z (so that its ELBO "
                      "and IS-NLL bound log p(x)); skip connections would pass the image around "
                      "it (use decoder.skips=false, or model=conv_ae for an autoencoder with "
                      "skips)");
  const ConfigNode* likelihood = config.find("model.likelihood");
  if (likelihood && likelihood->as_string() == "bernoulli")
    require_probability_output(*config.get("decoder"), "model.likelihood=bernoulli",
                               "model.likelihood=gaussian");
}

torch::Tensor reparameterize(const Posterior& posterior) {
  return posterior.mean + torch::exp(0.5 * posterior.logvar) * torch::randn_like(posterior.mean);
}

/// Encoder -> (mean, logvar) -> z -> decoder -> likelihood; prior p(z) from the prior section.
class Vae : public ModelImpl, public Reconstructor, public VariationalModel {
 public:
  Vae(VaeOptions options, const BuildContext& context) : options_(std::move(options)) {
    if (options_.likelihood == "bernoulli")
      require_probability_output(context.section("decoder"), "model.likelihood=bernoulli",
                                 "model.likelihood=gaussian");
    const int64_t k = options_.latent_dim;
    encoder_ = register_module(
        "encoder", make_encoder(context.section("encoder"), with_latent_dim(context, 2 * k)));
    decoder_ = register_module(
        "decoder", make_decoder(context.section("decoder"), with_latent_dim(context, k)));
    PriorContext prior_context;
    prior_context.latent_dim = k;
    prior_context.input_shape = context.input_shape;
    prior_context.encode = [this](const torch::Tensor& inputs) { return posterior(inputs); };
    prior_ = register_module("prior", make_prior(context.section("prior"), prior_context));
    if (options_.likelihood == "gaussian") {
      torch::Tensor log_sigma = torch::full({}, std::log(options_.sigma));
      log_sigma_ = options_.learn_sigma ? register_parameter("log_sigma", log_sigma)
                                        : register_buffer("log_sigma", log_sigma);
    }
  }

  /// `mean` and `logvar` of q(z|x), a draw `code` from it, and its decoding `reconstruction`
  /// (the likelihood's mean).
  ModelOutputs forward(const torch::Tensor& input) override {
    Posterior q = posterior(input);
    torch::Tensor z = reparameterize(q);
    ModelOutputs outputs;
    outputs.set("mean", q.mean);
    outputs.set("logvar", q.logvar);
    outputs.set("code", z);
    outputs.set("reconstruction", decoder_->forward(z));
    return outputs;
  }

  /// Negative ELBO per sample (nats), the KL term weighted by beta and the warm-up.
  torch::Tensor negative_elbo(const ModelOutputs& outputs, const torch::Tensor& target) override {
    Posterior q{outputs.at("mean"), outputs.at("logvar")};
    torch::Tensor recon = -log_likelihood_of_mean(target, outputs.at("reconstruction"));
    return (recon + kl_weight_ * prior_->kl(q, outputs.at("code"))).mean();
  }

  torch::Tensor reconstruct(const torch::Tensor& batch) override { return decode(encode(batch)); }

  void start_epoch(int64_t epoch, int64_t) override {
    double warmup = options_.kl_warmup_epochs == 0
                        ? 1.0
                        : std::min(1.0, static_cast<double>(epoch) /
                                            static_cast<double>(options_.kl_warmup_epochs));
    kl_weight_ = options_.beta * warmup;
  }

  Posterior posterior(const torch::Tensor& batch) override {
    std::vector<torch::Tensor> halves = encoder_->forward(batch).chunk(2, /*dim=*/1);
    return Posterior{halves[0], halves[1]};
  }

  torch::Tensor log_likelihood(const torch::Tensor& batch, const torch::Tensor& codes) override {
    return log_likelihood_of_mean(batch, decoder_->forward(codes));
  }

  PriorImpl& prior() override { return *prior_; }
  torch::Tensor encode(const torch::Tensor& batch) override { return posterior(batch).mean; }
  torch::Tensor decode(const torch::Tensor& codes) override { return decoder_->forward(codes); }

 private:
  /// log p(x|z) per sample given the decoder's output for z.
  torch::Tensor log_likelihood_of_mean(const torch::Tensor& batch, const torch::Tensor& decoded) {
    torch::Tensor mean = decoded.flatten(1);
    torch::Tensor x = batch.flatten(1);
    if (options_.likelihood == "bernoulli") {
      if (torch::GradMode::is_enabled())  // its backward guards saturated pixels
        return -torch::binary_cross_entropy(mean, x, {}, at::Reduction::None).sum(1);
      // Evaluation: x log p + (1 - x) log(1 - p), each log clamped at -100 as
      // binary_cross_entropy does, in vectorized kernels. LibTorch's binary_cross_entropy is a
      // scalar loop: it took two thirds of the importance-sampled NLL's time (54 ms of 85 ms
      // per batch of 2000 draws).
      return bernoulli_log_likelihood(mean, x);
    }
    static const double kLogTwoPi = std::log(2.0 * M_PI);
    torch::Tensor squared = (x - mean).pow(2) * torch::exp(-2.0 * log_sigma_);
    return (-0.5 * (squared + kLogTwoPi + 2.0 * log_sigma_)).sum(1);
  }

  VaeOptions options_;
  double kl_weight_ = options_.beta;
  std::shared_ptr<EncoderImpl> encoder_;
  std::shared_ptr<DecoderImpl> decoder_;
  std::shared_ptr<PriorImpl> prior_;
  torch::Tensor log_sigma_;
};

AELAB_REGISTER_PLUGIN(model_registry(), "vae", Vae, VaeOptions)
    .describe("variational autoencoder: negative ELBO with beta and KL warm-up, any prior");
[[maybe_unused]] static bool vae_declared =
    declare_model("vae", {{"encoder", "decoder", "prior"},
                          ModelTraits{/*trainable=*/true, /*variational=*/true},
                          check_vae_config});

}  // namespace aelab
