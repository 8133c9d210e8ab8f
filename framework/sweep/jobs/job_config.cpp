// Normalizing a resolved job config against the registries.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "framework/config/hydra_settings.h"
#include "framework/config/shell_split.h"
#include "framework/core/error.h"
#include "framework/core/options.h"
#include "framework/core/registry.h"
#include "framework/core/settings_section.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/experiment.h"
#include "framework/models/model.h"
#include "framework/sweep/jobs/absolute_data_root.h"
#include "framework/sweep/jobs/inert_overrides.h"
#include "framework/sweep/jobs/job.h"
#include "framework/sweep/jobs/mirrored_layers.h"
#include "framework/sweep/jobs/other_plugin_options.h"
#include "framework/train/device.h"

namespace aelab {
namespace {

/// The keys every job has, then every section some model or experiment declares it reads.
std::vector<std::string> top_level_keys() {
  std::vector<std::string> keys = {"name", "seed",  "device",  "experiment",
                                   "data", "model", "launcher"};
  for (const auto& section : all_model_sections()) keys.push_back(section);
  for (const auto& section : all_experiment_sections()) keys.push_back(section);
  return keys;
}

/// Gives the top-level entries of a normalized section the file:line:col marks of the entries
/// they came from, so later checks can point at them.
void keep_marks(ConfigNode& normal, const ConfigNode& section) {
  normal.mark = section.mark;
  for (auto& [key, value] : normal.entries())
    if (const ConfigNode* original = section.get(key)) value.mark = original->mark;
}

/// ConfigError naming the override that deleted `key` (`~trainer`, among `overrides`), which
/// every job of this config reads.
void reject_deleted(const ConfigNode& config, const std::string& key,
                    const std::vector<Override>& overrides) {
  if (config.get(key)) return;
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it)
    if (it->op == Override::Op::kDelete && it->key == key)
      throw ConfigError("override '" + it->text + "': " + key +
                        ": this job reads it (leave the override out, or set it with " + key +
                        "=VALUE)");
}

/// ConfigError for a section written with nothing under it (`trainer:`), which replaces the
/// options its config group gave rather than keeping them.
void reject_emptied(const ConfigNode& config, const std::string& key) {
  const ConfigNode* section = config.get(key);
  if (section && section->kind() == ConfigNode::Kind::kNull)
    throw ConfigError(located(*section, key) +
                      ": empty, which replaces all of its options (delete the line, or put "
                      "options under it)");
}

/// A plugin section through its registry (`kind` names the registry).
ConfigNode normalize_plugin(const ConfigNode& config, const std::string& key,
                            const std::string& kind, const std::vector<Override>& overrides) {
  reject_deleted(config, key, overrides);
  reject_emptied(config, key);
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
  const ConfigNode own = without_forced_options_of_others(*section, key, kind, info, overrides);
  reject_options_of_another_plugin(own, key, kind, info);
  ConfigNode normal = info.normalize(own, key);
  keep_marks(normal, *section);
  return normal;
}

/// A settings section (`trainer:`, `eval:`): one options struct, no name.
ConfigNode normalize_settings(const ConfigNode& config, const std::string& key,
                              const SettingsNormalizer& normalize,
                              const std::vector<Override>& overrides) {
  reject_deleted(config, key, overrides);
  reject_emptied(config, key);
  const ConfigNode* section = config.get(key);
  if (!section || !section->is_map())
    throw ConfigError(located(section ? *section : config, key) + ": expected a mapping (add " +
                      key + ": {} or +" + key + "=default)");
  ConfigNode normal = normalize(*section);
  keep_marks(normal, *section);
  return normal;
}

/// A section some plugin reads: a settings section (`trainer:`) or a plugin of kind `key`.
ConfigNode normalize_section(const ConfigNode& config, const std::string& key,
                             const std::vector<Override>& overrides) {
  if (const SettingsSection* settings = find_settings_section(key))
    return normalize_settings(config, key, settings->normalize, overrides);
  return normalize_plugin(config, key, key, overrides);
}

/// ConfigError for an infinite or NaN number anywhere in a job's config: no option takes one, and
/// an infinite learning rate would only show up as a diverged run.
void reject_non_finite(const ConfigNode& node, const std::string& path) {
  if (node.kind() == ConfigNode::Kind::kFloat && !std::isfinite(node.as_float()))
    throw ConfigError(located(node, path) + ": expected a finite number, got " + node.text());
  for (size_t i = 0; i < node.items().size(); ++i)
    reject_non_finite(node.items()[i], path + "[" + std::to_string(i) + "]");
  for (const auto& [key, child] : node.entries())
    reject_non_finite(child, path.empty() ? key : path + "." + key);
}

/// A name that is one ordinary folder under results/.
bool is_folder_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 200) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  return true;
}

/// Model names before models were named by role: say what replaced them.
void reject_retired_model_names(const ConfigNode& config) {
  const ConfigNode* name = config.find("model.name");
  if (!name || name->kind() != ConfigNode::Kind::kString) return;
  for (const char* family : {"linear", "mlp"})
    if (name->as_string() == family)
      throw ConfigError(located(*name, "model.name") + ": '" + family +
                        "' is now the preset model=" + family + "_ae (model.name=ae with " +
                        family + " encoder and decoder)");
}

/// Hydra's `???`: a value the user must give.
void reject_missing_values(const ConfigNode& node, const std::string& path) {
  if (node.kind() == ConfigNode::Kind::kString && node.as_string() == "???")
    throw ConfigError(located(node, path) + ": a value is required here (set " + path + "=VALUE)");
  for (const auto& [key, child] : node.entries())
    reject_missing_values(child, path.empty() ? key : path + "." + key);
}

/// The launcher section of a job: the same for every job of a sweep, and no part of run ids.
void set_launcher(SweepPlan& plan, const ConfigNode& resolved) {
  ConfigNode launcher = ConfigNode::map();
  launcher.set("name", ConfigNode::string("local"));
  if (resolved.get("launcher"))
    launcher = normalize_plugin(resolved, "launcher", "launcher", {});
  else
    launcher = RegistryCatalog::instance()
                   .find("launcher", "local", "launcher")
                   .normalize(launcher, "launcher");
  if (plan.launcher.is_null()) {
    plan.launcher = launcher;
  } else if (to_yaml(launcher) != to_yaml(plan.launcher)) {
    // Named at the option that differs, where the override or file set it.
    const ConfigNode* section = resolved.get("launcher");
    for (const auto& [key, value] : launcher.entries()) {
      const ConfigNode* first = plan.launcher.get(key);
      if (first && to_yaml(*first) == to_yaml(value)) continue;
      const ConfigNode* written = section ? section->get(key) : nullptr;
      // A comma sweeps: a list in one text value (partitions) is quoted.
      const std::string quoted =
          value.kind() == ConfigNode::Kind::kString
              ? fmt::format("; a value holding commas is quoted: 'launcher.{}=\"{},{}\"'", key,
                            first ? first->text() : "", value.text())
              : "";
      throw ConfigError(fmt::format(
          "{}: {} in one job and {} in another, but every job of a sweep runs on the same "
          "launcher (give one value{}; for another, run the sweep again with it)",
          located(written   ? *written
                  : section ? *section
                            : resolved,
                  "launcher." + key),
          first ? first->text() : "unset", value.text(), quoted));
    }
    throw ConfigError(located(section ? *section : resolved, "launcher") +
                      ": every job of a sweep runs on the same launcher; do not sweep launcher "
                      "options");
  }
}

/// `trainer.lr=0.1 ... trainer.lr=0.2`: the last one counts, as in Hydra, and a warning says so,
/// since it is more often a mistake (a sweep the later value undoes) than a choice. The same
/// override twice changes nothing and passes without one.
std::vector<std::string> repeated_keys(const std::vector<Override>& overrides) {
  std::vector<std::string> warnings;
  std::map<std::string, const Override*> last;
  for (const auto& override : overrides) {
    if (override.op == Override::Op::kDelete) continue;
    auto [earlier, first] = last.emplace(override.key, &override);
    if (!first && earlier->second->text != override.text)
      warnings.push_back(
          fmt::format("{} is given twice on the command line ('{}', then '{}'): "
                      "the last counts, as in Hydra",
                      override.key, earlier->second->text, override.text));
    earlier->second = &override;
  }
  return warnings;
}

/// `prior=vamp` in a sweep of mlp_ae jobs: overrides that change no job, because every job's
/// experiment and model leave out what they set. More often a mistake than a choice, so said.
std::vector<std::string> unread_overrides(const ConfigSource& source,
                                          const std::vector<Override>& overrides,
                                          const std::vector<Job>& jobs) {
  std::vector<std::string> warnings;
  for (const auto& item : overrides) {
    const std::string section = split_dotted(item.key).front();
    // The launcher and the sweep's own keys are not part of a job's config.
    if (item.op == Override::Op::kDelete || section == "launcher" || section == "sweep" ||
        section == "hydra")
      continue;
    const std::string key = source.is_group(item.key) ? section : item.key;
    if (std::any_of(jobs.begin(), jobs.end(),
                    [&](const Job& job) { return job.config.find(key) != nullptr; }))
      continue;
    warnings.push_back(fmt::format(
        "override '{}' changes no job: no job of this sweep reads {} (its experiment and model "
        "leave it out; run_sweep --cfg job shows what each job reads)",
        item.text, key));
  }
  return warnings;
}

}  // namespace

ConfigNode normalize_job_config(const ConfigNode& config, const std::vector<Override>& overrides) {
  reject_missing_values(config, "");
  const std::vector<std::string> allowed_keys = top_level_keys();
  for (const auto& [key, value] : config.entries()) {
    if (std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end())
      throw ConfigError(located(value, key) + ": unknown top-level key" +
                        unknown_top_level_key_note(key, allowed_keys, value.mark.origin));
  }
  // A config of one's own of a few keys (`seed: 3`) and no defaults list: it lacks the rest
  // (unless overrides deleted them: they are named then).
  for (const char* key : {"model", "experiment"}) reject_deleted(config, key, overrides);
  if (!config.get("model") && !config.get("experiment"))
    throw ConfigError(config.mark.describe() +
                      ": the config has no model and no experiment; start from the project's "
                      "config with a defaults list, 'defaults: [/config, _self_]', then the keys "
                      "to change");
  for (const char* key : {"name", "seed", "device"}) reject_deleted(config, key, overrides);
  ConfigNode out = ConfigNode::map();
  const ConfigNode* name = config.get("name");
  std::string sweep_name;  // `name=2024` names a folder too
  if (!name || !OptionCodec<std::string>::decode(*name, sweep_name) || !is_folder_name(sweep_name))
    throw ConfigError(
        located(name ? *name : config, "name") +
        ": expected the sweep's name, a folder name of ASCII letters, digits, '_', '-' "
        "and '.' (not '.' or '..')");
  ConfigNode folder_name = ConfigNode::string(sweep_name);
  folder_name.mark = name->mark;
  out.set("name", folder_name);
  const ConfigNode* seed = config.get("seed");
  int64_t seed_value = -1;
  if (!seed || !OptionCodec<int64_t>::decode(*seed, seed_value) || seed_value < 0)
    throw ConfigError(seed ? mismatch_message(*seed, "seed", "an int >= 0", ConfigNode::integer(0))
                           : located(config, "seed") +
                                 ": missing; set it, as in seed=0 (a config file of your own "
                                 "starts from the project's keys with 'defaults: [/config, "
                                 "_self_]')");
  ConfigNode typed_seed = ConfigNode::integer(seed_value);
  typed_seed.mark = seed->mark;
  out.set("seed", typed_seed);
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
  out.set("experiment", normalize_plugin(config, "experiment", "experiment", overrides));
  ConfigNode data = normalize_plugin(config, "data", kind_of_section("data"), overrides);
  make_data_root_absolute(data);
  out.set("data", data);
  reject_retired_model_names(config);
  ConfigNode model = normalize_plugin(config, "model", "model", overrides);
  const std::string model_name = model.get("name")->as_string();
  const ModelDeclaration& model_info = model_declaration(model_name);
  const ExperimentDeclaration& experiment_info = experiment_declaration_of(out);
  for (const auto& use : experiment_info.sections) {
    if (use.when && !use.when(model_info.traits)) continue;
    if (use.optional && !config.get(use.key)) continue;
    out.set(use.key, normalize_section(config, use.key, overrides));
  }
  out.set("model", model);
  for (const auto& section : model_info.sections)  // the encoder before the decoder it mirrors
    out.set(section,
            normalize_section(
                section == "decoder" ? with_mirrored_layers(config, out.get("encoder")) : config,
                section, overrides));
  reject_non_finite(out, "");
  if (model_info.check) model_info.check(out);
  if (experiment_info.check) experiment_info.check(out);
  drop_unread_keys(experiment_info, out);
  return out;
}

SweepPlan plan_sweep(const ConfigSource& source, const std::string& primary_path,
                     const std::vector<std::string>& override_texts, const std::string& out_dir,
                     int64_t max_jobs, const PlanningProgress& progress) {
  std::vector<Override> command_line;
  for (size_t i = 0; i < override_texts.size(); ++i) {
    const std::string& text = override_texts[i];
    check_not_split_by_the_shell(override_texts, i);
    command_line.push_back(parse_override(text));
    if (command_line.back().package)
      throw ConfigError("override '" + text + "': '" + command_line.back().key + "@" +
                        *command_line.back().package +
                        "' places a group under a package, which aelab's configs do not use; "
                        "write " +
                        command_line.back().key + "=OPTION");
  }
  SweepPlan plan;
  plan.warnings = repeated_keys(command_line);
  Composition base = compose_for_its_sweep(source, primary_path, command_line, max_jobs);
  std::vector<Override> file_sweeps;
  if (const ConfigNode* sweep = base.config.get("sweep")) file_sweeps = sweeps_from_config(*sweep);

  plan.primary_path = primary_path;
  std::string stem = std::filesystem::path(primary_path).stem().string();
  int64_t index = 0;
  std::vector<JobSpec> specs =
      expand_sweeps(source, file_sweeps, command_line, max_jobs, &plan.shape);
  for (const auto& spec : specs) {
    Composition composition = compose_job(source, primary_path, spec);
    ConfigNode& resolved = composition.config;
    if (!resolved.get("name")) resolved.set("name", ConfigNode::string(stem));
    Job job;
    job.index = index++;
    job.spec = spec;
    job.choices = composition.choices;
    try {
      job.config = normalize_job_config(resolved, spec.overrides);
      set_launcher(plan, resolved);
    } catch (const ConfigError& e) {
      if (specs.size() == 1) throw;
      throw ConfigError(std::string(e.what()) + " [in job #" + std::to_string(job.index) + ": " +
                        spec.describe() + "]");
    }
    job.config_yaml = to_yaml(job.config);
    job.run_id = run_id_of(job.config);
    const std::string job_name = job.config.get("name")->as_string();
    if (plan.name.empty()) plan.name = job_name;
    // One sweep has one name (its results folder's, and what its runs record): not one that
    // is swept, nor one that interpolates a swept key.
    const bool name_swept = std::any_of(spec.overrides.begin(), spec.overrides.end(),
                                        [](const Override& item) { return item.key == "name"; });
    if (job_name != plan.name)
      throw ConfigError(located(*job.config.get("name"), "name") + ": the sweep's name is '" +
                        plan.name + "' in job #0 and '" + job_name + "' in job #" +
                        std::to_string(job.index) + " (" + spec.describe() +
                        "): a sweep has one name, which its runs record and its results "
                        "folder takes, so " +
                        (name_swept ? "run one sweep per name"
                                    : "its name may not take a swept key's value; name it "
                                      "without the swept keys, or run one sweep per name"));
    plan.jobs.push_back(std::move(job));
    if (progress)
      progress(static_cast<int64_t>(plan.jobs.size()), static_cast<int64_t>(specs.size()));
  }
  for (const auto& warning : unread_overrides(source, command_line, plan.jobs))
    plan.warnings.push_back(warning);
  for (const auto& warning : inert_override_warnings(command_line, plan.jobs))
    plan.warnings.push_back(warning);
  plan.results_dir = out_dir.empty() ? "results/" + plan.name : out_dir;
  return plan;
}

}  // namespace aelab
