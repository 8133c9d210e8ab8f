// The registries of encoders, decoders and models, and the sections each model reads.
#include <map>

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

static std::map<std::string, std::vector<std::string>>& sections_by_model() {
  static std::map<std::string, std::vector<std::string>> sections;
  return sections;
}

std::vector<std::string> model_sections(const std::string& model_name) {
  auto it = sections_by_model().find(model_name);
  return it == sections_by_model().end() ? std::vector<std::string>{} : it->second;
}

bool declare_model_sections(const std::string& model_name, std::vector<std::string> sections) {
  sections_by_model()[model_name] = std::move(sections);
  return true;
}

static std::string name_of(const ConfigNode& section, const std::string& kind) {
  const ConfigNode* name = section.is_map() ? section.get("name") : nullptr;
  if (!name || name->kind() != ConfigNode::Kind::kString)
    throw ConfigError(section.mark.describe() + ": " + kind + ".name: missing (choose one with " +
                      kind + "=NAME)");
  return name->as_string();
}

std::shared_ptr<EncoderImpl> make_encoder(const ConfigNode& section, const BuildContext& context) {
  std::string name = name_of(section, "encoder");
  return encoder_registry().at(name, "encoder.name").make(section, context);
}

std::shared_ptr<DecoderImpl> make_decoder(const ConfigNode& section, const BuildContext& context) {
  std::string name = name_of(section, "decoder");
  return decoder_registry().at(name, "decoder.name").make(section, context);
}

}  // namespace aelab
