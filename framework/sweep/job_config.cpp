// Normalizing a resolved job config against the registries.
#include <filesystem>

#include "framework/core/error.h"
#include "framework/core/hashing.h"
#include "framework/core/options.h"
#include "framework/core/yaml_io.h"
#include "framework/models/model.h"
#include "framework/sweep/job.h"
#include "framework/train/device.h"
#include "framework/train/trainer.h"

namespace aelab {
namespace {

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {"name",    "seed",   "device", "experiment",
                                                "data",    "noise",  "model",  "encoder",
                                                "decoder", "trainer"};
  return keys;
}

/// A plugin section through its registry (`kind` names the registry).
ConfigNode normalize_plugin(const ConfigNode& config, const std::string& key,
                            const std::string& kind) {
  const ConfigNode* section = config.get(key);
  if (!section || !section->is_map())
    throw ConfigError(located(section ? *section : config, key) +
                      ": expected a mapping with a name (choose one with " + key + "=NAME)");
  const ConfigNode* name = section->get("name");
  if (!name || name->kind() != ConfigNode::Kind::kString)
    throw ConfigError(located(name ? *name : *section, key + ".name") +
                      ": expected the name of a registered " + kind);
  PluginInfo info =
      RegistryCatalog::instance().find(kind, name->as_string(), located(*name, key + ".name"));
  ConfigNode normal = info.normalize(*section, key);
  normal.mark = section->mark;
  return normal;
}

ConfigNode normalize_trainer(const ConfigNode& config) {
  const ConfigNode* section = config.get("trainer");
  if (!section || !section->is_map())
    throw ConfigError(located(section ? *section : config, "trainer") + ": expected a mapping");
  return encode_options(decode_options<TrainerOptions>(*section, "trainer", "the trainer"));
}

/// Hydra's `???`: a value the user must give.
void reject_missing_values(const ConfigNode& node, const std::string& path) {
  if (node.kind() == ConfigNode::Kind::kString && node.as_string() == "???")
    throw ConfigError(located(node, path) + ": a value is required here (set " + path + "=VALUE)");
  for (const auto& [key, child] : node.entries())
    reject_missing_values(child, path.empty() ? key : path + "." + key);
}

}  // namespace

ConfigNode normalize_job_config(const ConfigNode& config) {
  reject_missing_values(config, "");
  for (const auto& [key, value] : config.entries()) {
    bool known = false;
    for (const auto& allowed : top_level_keys()) known = known || key == allowed;
    if (!known)
      throw ConfigError(located(value, key) + ": unknown top-level key" +
                        suggestion_suffix(key, top_level_keys()));
  }
  ConfigNode out = ConfigNode::map();
  const ConfigNode* name = config.get("name");
  if (!name || name->kind() != ConfigNode::Kind::kString || name->as_string().empty() ||
      name->as_string().find('/') != std::string::npos)
    throw ConfigError(located(name ? *name : config, "name") +
                      ": expected the sweep's name (a string without '/')");
  out.set("name", *name);
  const ConfigNode* seed = config.get("seed");
  if (!seed || seed->kind() != ConfigNode::Kind::kInt || seed->as_int() < 0)
    throw ConfigError(located(seed ? *seed : config, "seed") + ": expected an int >= 0");
  out.set("seed", *seed);
  const ConfigNode* device = config.get("device");
  if (!device || device->kind() != ConfigNode::Kind::kString)
    throw ConfigError(located(device ? *device : config, "device") +
                      ": expected auto, cpu, cuda or cuda:N");
  try {
    check_device_spec(device->as_string());
  } catch (const ConfigError& e) {
    throw ConfigError(located(*device, "") + e.what());
  }
  out.set("device", *device);
  out.set("experiment", normalize_plugin(config, "experiment", "experiment"));
  out.set("data", normalize_plugin(config, "data", "dataset"));
  if (config.get("noise")) out.set("noise", normalize_plugin(config, "noise", "noise"));
  out.set("model", normalize_plugin(config, "model", "model"));
  for (const auto& section : model_sections(out.find("model.name")->as_string())) {
    if (section == "trainer")
      out.set("trainer", normalize_trainer(config));
    else
      out.set(section, normalize_plugin(config, section, section));
  }
  return out;
}

SweepPlan plan_sweep(const ConfigSource& source, const std::string& primary_path,
                     const std::vector<std::string>& override_texts, const std::string& out_dir) {
  std::vector<Override> command_line;
  for (const auto& text : override_texts) command_line.push_back(parse_override(text));
  Composition base = compose(source, primary_path, {});
  std::vector<Override> file_sweeps;
  if (const ConfigNode* sweep = base.config.get("sweep")) file_sweeps = sweeps_from_config(*sweep);

  SweepPlan plan;
  plan.primary_path = primary_path;
  std::string stem = std::filesystem::path(primary_path).stem().string();
  int64_t index = 0;
  std::vector<JobSpec> specs = expand_sweeps(source, file_sweeps, command_line);
  for (const auto& spec : specs) {
    ConfigNode resolved = compose_job(source, primary_path, spec);
    if (!resolved.get("name")) resolved.set("name", ConfigNode::string(stem));
    Job job;
    job.index = index++;
    job.spec = spec;
    try {
      job.config = normalize_job_config(resolved);
    } catch (const ConfigError& e) {
      if (specs.size() == 1) throw;
      throw ConfigError(std::string(e.what()) + " [in job #" + std::to_string(job.index) + ": " +
                        spec.describe() + "]");
    }
    job.config_yaml = to_yaml(job.config);
    job.run_id = short_hash(job.config_yaml, 12);
    if (plan.name.empty()) plan.name = job.config.get("name")->as_string();
    plan.jobs.push_back(std::move(job));
  }
  plan.results_dir = out_dir.empty() ? "results/" + plan.name : out_dir;
  return plan;
}

}  // namespace aelab
