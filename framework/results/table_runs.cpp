// Runs as make_table sees them: labels and the --where filter.
#include "framework/results/table_runs.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/results/where_filter.h"

namespace aelab {

void flatten(const ConfigNode& node, const std::string& path,
             std::map<std::string, std::string>& out) {
  if (node.is_map()) {
    for (const auto& [key, child] : node.entries())
      flatten(child, path.empty() ? key : path + "." + key, out);
    return;
  }
  out[path] = node.text();
}

bool describes_model(const std::string& key) {
  const std::string section = key.substr(0, key.find('.'));
  return section == "model" || section == "encoder" || section == "decoder" || section == "prior" ||
         section == "objective";
}

bool names_the_model(const std::string& key) {
  const size_t dot = key.find('.');
  return key == "family" ||
         (describes_model(key) && (dot == std::string::npos || key.substr(dot) == ".name"));
}

std::optional<ConfigNode> label_of(const TableRun& run, const std::string& key) {
  if (key == "family") return ConfigNode::string(run.family);
  // A baseline stands in for the model of the run that recorded it: its name is its model. Its
  // other options (`model.skips`) are the recording run's, as its code size is.
  if (!run.baseline.empty() && names_the_model(key)) return ConfigNode::string(run.baseline);
  if (key == "status") return ConfigNode::string(run.record->status);
  if (key == "source") return ConfigNode::string(run.baseline);
  const ConfigNode* node = run.config.find(key);
  if (node && !node->is_map()) return *node;
  // A group's choice where the run has its section (a PCA run records the encoder preset its
  // config would have had, but has no encoder); the launcher is the sweep's, in no job's config.
  if (auto choice = run.record->choices.find(key);
      choice != run.record->choices.end() && (run.config.get(key) || key == "launcher"))
    return ConfigNode::string(choice->second);
  return std::nullopt;
}

std::optional<TableLabel> label_for(const TableRun& run, const std::vector<std::string>& keys) {
  TableLabel label;
  label.baseline = !run.baseline.empty();
  label.baseline_name = run.baseline;
  for (const auto& key : keys) {
    std::optional<ConfigNode> value = label_of(run, key);
    if (!value) return std::nullopt;
    const std::string text = value->kind() == ConfigNode::Kind::kNull ? "all" : value->text();
    if (!text.empty()) label.text += (label.text.empty() ? "" : ", ") + text;
    label.values.push_back(*value);
  }
  return label;
}

std::string key_hint(const std::string& key, const std::vector<TableRun>& runs) {
  std::set<std::string> keys{"family", "status"};
  for (const auto& run : runs) {
    std::map<std::string, std::string> flat;
    flatten(run.config, "", flat);
    for (const auto& [name, value] : flat) keys.insert(name);
    for (const auto& [group, option] : run.record->choices) keys.insert(group);
  }
  const std::string best = closest_match(key, {keys.begin(), keys.end()});
  if (!best.empty()) return " (did you mean '" + best + "'?)";
  return " (a config key such as model.latent_dim, a group such as model, or family)";
}

std::vector<TableRun> table_runs_of(const std::vector<RunRecord>& records) {
  std::vector<TableRun> runs;
  for (const auto& record : records) {
    // Errors name the run file and the attribute: runs/<id>.h5 (config_yaml):LINE:COL.
    ConfigNode config =
        parse_yaml(record.config_yaml, "runs/" + record.run_id + ".h5 (config_yaml)");
    std::string family = run_family(config);
    runs.push_back({&record, std::move(config), std::move(family), ""});
  }
  return runs;
}

void name_presets_apart(std::vector<TableRun>& runs, const std::vector<std::string>& shown_keys) {
  // Shown by the group's key, or for the prior (whose presets are named as its plugins) by its
  // name; `model.name` shows the plugin (`ae` for mlp_ae and hinton_ae alike), not the preset.
  auto shown = [&](const std::string& group) {
    return std::any_of(shown_keys.begin(), shown_keys.end(), [&](const std::string& key) {
      return key == group || (group == "prior" && key == "prior.name");
    });
  };
  // A run's preset of `group`, as label_of gives a group's choice ("" where it has none); a
  // prior by its plugin, which `prior.name=mog` may set over the preset `normal`.
  auto preset = [](const TableRun& run, const std::string& group) {
    const ConfigNode* prior = group == "prior" ? run.config.find("prior.name") : nullptr;
    if (prior && prior->is_scalar()) return prior->text();
    std::optional<ConfigNode> choice = label_of(run, group);
    return choice && run.record->choices.count(group) ? choice->text() : std::string();
  };
  std::map<std::string, std::vector<size_t>> by_family;
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i].baseline.empty()) by_family[runs[i].family].push_back(i);
  for (const auto& [family, members] : by_family) {
    std::map<size_t, std::string> apart;  // run -> the presets that tell it apart so far
    std::map<size_t, std::string> named;  // run -> those of them its family names
    for (const std::string group : {"model", "encoder", "decoder", "prior"}) {
      std::map<size_t, std::string> presets;
      for (size_t i : members) presets[i] = preset(runs[i], group);
      // Told apart where its presets differ among runs that those so far do not tell apart.
      std::map<std::string, std::set<std::string>> presets_within;  // (files without it: none)
      for (const auto& [i, value] : presets)
        if (!value.empty()) presets_within[apart[i]].insert(value);
      const bool tells_apart =
          std::any_of(presets_within.begin(), presets_within.end(),
                      [](const auto& entry) { return entry.second.size() > 1; });
      if (!tells_apart) continue;
      for (const auto& [i, value] : presets) {
        apart[i] += " " + group + "=" + value;
        if (!value.empty() && !shown(group)) named[i] += " " + group + "=" + value;
      }
    }
    for (const auto& [i, presets] : named) runs[i].family += presets;
  }
}

std::vector<TableRun> filtered(std::vector<TableRun> runs, const std::vector<std::string>& where,
                               std::map<std::string, std::map<std::string, size_t>>* keyless) {
  // The runs the --where items so far keep, by index: `runs` stays whole for the error that
  // names a value some run has, but not one the earlier items kept.
  std::vector<size_t> kept(runs.size());
  std::iota(kept.begin(), kept.end(), 0);
  std::vector<std::string> applied;  // the --where items before this one
  auto value_of = [&](size_t i, const std::string& key) { return label_of(runs[i], key); };
  auto some_run_among_has = [&](const std::vector<size_t>& among, const std::string& key,
                                const std::string& wanted) {
    return std::any_of(among.begin(), among.end(), [&](size_t i) {
      std::optional<ConfigNode> value = value_of(i, key);
      return value && where_value_matches(*value, wanted);
    });
  };
  std::vector<size_t> every(runs.size());
  std::iota(every.begin(), every.end(), 0);
  for (const auto& item : where) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("--where " + item + ": expected key=value, such as model.latent_dim=16");
    const std::string key = item.substr(0, eq);
    std::set<std::string> seen;
    for (size_t i : kept)
      if (std::optional<ConfigNode> value = value_of(i, key)) seen.insert(value->text());
    if (seen.empty()) {
      std::vector<TableRun> remaining;
      for (size_t i : kept) remaining.push_back(runs[i]);
      throw ConfigError("--where " + item + ": no run has '" + key + "'" +
                        key_hint(key, remaining));
    }
    // A value with a comma that some run has is that value; otherwise each of a,b is one.
    const std::string whole = item.substr(eq + 1);
    const bool as_written = some_run_among_has(kept, key, whole);
    std::vector<bool> keep(runs.size(), false);
    for (const std::string& wanted :
         as_written ? std::vector<std::string>{whole} : where_alternatives(whole)) {
      bool found = false;
      for (size_t i : kept) {
        std::optional<ConfigNode> value = value_of(i, key);
        if (value && where_value_matches(*value, wanted)) keep[i] = found = true;
      }
      if (found) continue;
      if (!applied.empty() && some_run_among_has(every, key, wanted)) {
        const bool same_key = std::any_of(applied.begin(), applied.end(), [&](const auto& a) {
          return a.rfind(key + "=", 0) == 0;
        });
        throw ConfigError("--where " + item + ": no run that --where " +
                          join(applied, " --where ") + " keeps has " + key + "=" + wanted +
                          " (each --where narrows the runs further" +
                          (same_key ? "; " + key + "=a,b keeps either value" : "") + ")");
      }
      const std::vector<std::string> values(seen.begin(), seen.end());
      const std::string best = closest_match(wanted, values);
      throw ConfigError("--where " + item + ": no run has " + key + "=" + wanted + " (" +
                        (best.empty() ? "" : "did you mean " + key + "=" + best + "? ") +
                        "values: " + join(values, ", ") + ")");
    }
    if (keyless)
      for (size_t i : kept)
        if (!value_of(i, key)) ++(*keyless)[item][runs[i].family];
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](size_t i) { return !keep[i]; }),
               kept.end());
    applied.push_back(item);
  }
  std::vector<TableRun> out;
  out.reserve(kept.size());
  for (size_t i : kept) out.push_back(std::move(runs[i]));
  return out;
}

}  // namespace aelab
