// The registries of encoders, decoders and models, and what each model declares.
#include <map>
#include <set>

#include "framework/core/suggest.h"
#include "framework/models/decoder.h"
#include "framework/models/encoder.h"
#include "framework/models/model.h"

namespace aelab {

int64_t BuildContext::input_size() const {
  int64_t size = 1;
  for (auto dim : input_shape) size *= dim;
  return size;
}

Registry<EncoderImpl, BuildContext>& encoder_registry() {
  static Registry<EncoderImpl, BuildContext> registry("encoder");
  return registry;
}

Registry<DecoderImpl, BuildContext>& decoder_registry() {
  static Registry<DecoderImpl, BuildContext> registry("decoder");
  return registry;
}

Registry<ModelImpl, BuildContext>& model_registry() {
  static Registry<ModelImpl, BuildContext> registry("model");
  return registry;
}

ConfigNode BuildContext::section(const std::string& key) const {
  const ConfigNode* found = config.is_map() ? config.get(key) : nullptr;
  return found ? *found : ConfigNode::null();
}

const torch::Tensor& ModelOutputs::at(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it != tensors_.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [known, tensor] : tensors_) names.push_back(known);
  throw Error("the model gives no '" + name + "' output (it gives: " + join(names, ", ") +
              "); choose an objective or experiment that fits the model");
}

Reconstructor& reconstructor_of(ModelImpl& model) {
  if (auto* reconstructor = dynamic_cast<Reconstructor*>(&model)) return *reconstructor;
  throw Error("model '" + model.name() + "' does not reconstruct its input");
}

static std::map<std::string, ModelDeclaration>& declarations() {
  static std::map<std::string, ModelDeclaration> by_model;
  return by_model;
}

bool declare_model(const std::string& model_name, ModelDeclaration declaration) {
  declarations()[model_name] = std::move(declaration);
  return true;
}

const ModelDeclaration& model_declaration(const std::string& model_name) {
  auto it = declarations().find(model_name);
  if (it == declarations().end())
    throw Error("model '" + model_name +
                "' is registered without declare_model() beside it (its sections and traits)");
  return it->second;
}

std::vector<std::string> all_model_sections() {
  std::set<std::string> all;
  for (const auto& [name, declaration] : declarations())
    all.insert(declaration.sections.begin(), declaration.sections.end());
  return {all.begin(), all.end()};
}

std::shared_ptr<EncoderImpl> make_encoder(const ConfigNode& section, const BuildContext& context) {
  return encoder_registry().make_named(section, "encoder", context);
}

std::shared_ptr<DecoderImpl> make_decoder(const ConfigNode& section, const BuildContext& context) {
  return decoder_registry().make_named(section, "decoder", context);
}

torch::Tensor DecoderImpl::forward_with_skips(const torch::Tensor&,
                                              const std::vector<torch::Tensor>&) {
  throw ConfigError(
      "decoder.name: this decoder takes no skip connections (use decoder=conv, or turn the "
      "model's skips off)");
}

void require_probability_output(const ConfigNode& decoder, const std::string& requirement,
                                const std::string& alternative) {
  const ConfigNode* output = decoder.is_map() ? decoder.get("output") : nullptr;
  if (output && output->kind() == ConfigNode::Kind::kString && output->as_string() == "sigmoid")
    return;
  const ConfigNode* name = decoder.is_map() ? decoder.get("name") : nullptr;
  std::string decoder_name = name ? name->as_string() : "?";
  if (!output)
    throw ConfigError(located(decoder, "decoder") + ": " + requirement +
                      " needs pixel probabilities, but decoder '" + decoder_name +
                      "' has no output activation (use a decoder that ends in a sigmoid, such as "
                      "decoder=mlp, or " +
                      alternative + ")");
  throw ConfigError(located(*output, "decoder.output") + ": " + requirement +
                    " needs pixel probabilities, but decoder '" + decoder_name + "' ends in " +
                    output->text() + " (set decoder.output=sigmoid, or " + alternative + ")");
}

}  // namespace aelab
