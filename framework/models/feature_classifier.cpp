// The classifier head on features.
#include "framework/models/feature_classifier.h"

#include "framework/core/error.h"

namespace aelab {

FeatureClassifierImpl::FeatureClassifierImpl(std::shared_ptr<ModelImpl> autoencoder,
                                             int64_t features, const std::vector<int64_t>& hidden,
                                             int64_t classes)
    : autoencoder_(std::move(autoencoder)) {
  if (autoencoder_) {
    if (!dynamic_cast<LatentCodec*>(autoencoder_.get()))
      throw ConfigError("model.name: the classifier needs a model with codes (an autoencoder)");
    register_module("autoencoder", autoencoder_);
  }
  head_ = torch::nn::Sequential();
  int64_t width = features;
  for (int64_t units : hidden) {
    head_->push_back(torch::nn::Linear(width, units));
    head_->push_back(torch::nn::ReLU());
    width = units;
  }
  head_->push_back(torch::nn::Linear(width, classes));
  register_module("head", head_);
}

ModelOutputs FeatureClassifierImpl::forward(const torch::Tensor& input) {
  ModelOutputs outputs;
  torch::Tensor code =
      autoencoder_ ? dynamic_cast<LatentCodec&>(*autoencoder_).encode(input) : input.flatten(1);
  outputs.set("logits", head_->forward(code));
  outputs.set("code", code);
  return outputs;
}

}  // namespace aelab
