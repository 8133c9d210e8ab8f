// The registries of encoders, decoders and models, and the sections each model reads.
#include <map>
#include <set>

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

namespace {
struct ModelDeclaration {
  std::vector<std::string> sections;
  ModelConfigCheck check;
};
std::map<std::string, ModelDeclaration>& declarations() {
  static std::map<std::string, ModelDeclaration> by_model;
  return by_model;
}
}  // namespace

std::vector<std::string> model_sections(const std::string& model_name) {
  auto it = declarations().find(model_name);
  return it == declarations().end() ? std::vector<std::string>{} : it->second.sections;
}

bool declare_model_sections(const std::string& model_name, std::vector<std::string> sections,
                            ModelConfigCheck check) {
  declarations()[model_name] = ModelDeclaration{std::move(sections), std::move(check)};
  return true;
}

void check_model_config(const std::string& model_name, const ConfigNode& job_config) {
  auto it = declarations().find(model_name);
  if (it != declarations().end() && it->second.check) it->second.check(job_config);
}

std::vector<std::string> all_model_sections() {
  std::set<std::string> all;
  for (const auto& [name, declaration] : declarations())
    all.insert(declaration.sections.begin(), declaration.sections.end());
  return {all.begin(), all.end()};
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
