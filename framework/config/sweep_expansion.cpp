// Sweep expansion and per-job composition.
#include "framework/config/sweep_expansion.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

std::string JobSpec::describe() const {
  std::string out;
  for (size_t i = 0; i < overrides.size(); ++i) out += (i ? " " : "") + overrides[i].text;
  return out;
}

/// One `sweep:` entry: a YAML list of values, or a sweep expression (or one value) as text.
static Override sweep_entry(const std::string& key, const ConfigNode& value) {
  if (value.is_list()) {
    Override item = parse_override(key + "=" + "null");
    item.is_sweep = true;
    item.values = value.items();
    if (item.values.empty()) throw ConfigError("override '" + key + "': empty list of values");
    item.text = item.canonical_text();
    return item;
  }
  if (value.kind() == ConfigNode::Kind::kString)
    return parse_override(key + "=" + value.as_string());
  // A number as written: its canonical text loses what a string option needs (`5e3210987654`
  // would come back as inf).
  if (value.is_scalar()) return parse_override(key + "=" + value.as_written());
  throw ConfigError("expected a sweep expression such as 'a,b' or a list of values");
}

/// The sweeps of one `zip:` mapping, all of one length, tagged with their group.
static void add_zip(const ConfigNode& zip, const std::string& group, std::vector<Override>& out) {
  if (!zip.is_map() || zip.entries().empty())
    throw ConfigError(zip.mark.describe() +
                      ": sweep.zip: expected a mapping of key: list of values, such as "
                      "{model.latent_dim: [2, 8], trainer.lr: [1e-3, 1e-4]}");
  size_t length = 0;
  std::string first;
  for (const auto& [key, value] : zip.entries()) {
    std::string where = value.mark.describe() + ": sweep.zip." + key;
    Override item;
    try {
      item = sweep_entry(key, value);
    } catch (const ConfigError& e) {
      throw ConfigError(where + ": " + e.what());
    }
    if (!item.is_sweep || item.glob)
      throw ConfigError(where + ": a zip walks lists of values; give a list such as [2, 8]");
    if (first.empty()) {
      first = key;
      length = item.values.size();
    } else if (item.values.size() != length) {
      throw ConfigError(fmt::format(
          "{}: {} value(s), but sweep.zip.{} has {}; the lists of a zip are walked together and "
          "need one length",
          where, item.values.size(), first, length));
    }
    item.origin = value.mark;
    item.zip_group = group;
    out.push_back(item);
  }
}

std::vector<Override> sweeps_from_config(const ConfigNode& sweep_section) {
  std::vector<Override> out;
  if (sweep_section.is_null()) return out;
  if (!sweep_section.is_map())
    throw ConfigError(sweep_section.mark.describe() +
                      ": sweep: expected a mapping of key: sweep expression, got " +
                      sweep_section.type_name());
  for (const auto& [key, value] : sweep_section.entries()) {
    if (key == "zip") {
      if (value.is_list()) {
        for (size_t i = 0; i < value.items().size(); ++i)
          add_zip(value.items()[i], "zip" + std::to_string(i + 1), out);
      } else {
        add_zip(value, "zip", out);
      }
      continue;
    }
    std::string where = value.mark.describe() + ": sweep." + key;
    try {
      out.push_back(sweep_entry(key, value));
    } catch (const ConfigError& e) {
      throw ConfigError(where + ": " + e.what());
    }
    out.back().origin = value.mark;  // later errors point at this entry, not a typed override
  }
  return out;
}

namespace {

/// One axis of the product: a key's values, or a zip's rows (each row one override per key).
struct Axis {
  std::string name;               ///< the key, or `zip(a, b)`
  std::vector<std::string> keys;  ///< the keys it sets
  std::vector<std::vector<Override>> rows;
};

/// ConfigError when the product of the axes' sizes exceeds `max_jobs`, naming each swept key.
void check_job_count(const std::vector<Axis>& axes, int64_t max_jobs) {
  double count = 1;  // a double: three range(1000000)s must not overflow
  std::vector<std::string> factors;
  for (const auto& axis : axes) {
    count *= static_cast<double>(axis.rows.size());
    if (axis.rows.size() > 1)
      factors.push_back(axis.name + ": " + std::to_string(axis.rows.size()));
  }
  if (count <= static_cast<double>(max_jobs)) return;
  throw ConfigError(fmt::format(
      "the sweep expands to {:.0f} jobs ({}), more than --max-jobs {}; narrow a sweep, or pass "
      "--max-jobs {:.0f} to run them all",
      count, join(factors, " x "), max_jobs, count));
}

/// An override's choices: its values one by one, or a glob's matching options.
std::vector<Override> choices_of(const ConfigSource& source, const Override& item) {
  std::vector<Override> choices;
  if (item.interval)
    throw ConfigError(item.mark().describe() +
                      ": interval() is a continuous range for a sampler; a grid sweep needs a "
                      "finite list: use range(start, stop, step) or choice(...)");
  if (item.is_sweep && !item.glob && item.values.empty())
    throw ConfigError(item.mark().describe() + ": the sweep of " + item.key +
                      " is empty, so the sweep has no jobs (check the range's start, stop and "
                      "step)");
  if (!item.is_sweep) {
    choices.push_back(item);
  } else if (item.glob) {
    if (!source.is_group(item.key))
      throw ConfigError(item.mark().describe() +
                        ": glob() sweeps over a config group's options, and '" + item.key +
                        "' is not a group");
    for (const auto& option : item.glob->select(source.group_options(item.key)))
      choices.push_back(item.with_value(ConfigNode::string(option)));
    if (choices.empty())
      throw ConfigError(item.mark().describe() + ": glob() matches no option of group '" +
                        item.key + "'");
  } else {
    for (const auto& value : item.values) choices.push_back(item.with_value(value));
  }
  return choices;
}

/// Takes `key` out of every axis that sets it (a later override of the key replaces it);
/// returns the position of the first axis it was alone in, or -1.
int remove_key(std::vector<Axis>& axes, const std::string& key) {
  for (size_t a = 0; a < axes.size(); ++a) {
    Axis& axis = axes[a];
    auto found = std::find(axis.keys.begin(), axis.keys.end(), key);
    if (found == axis.keys.end()) continue;
    if (axis.keys.size() == 1) return static_cast<int>(a);
    const size_t column = static_cast<size_t>(found - axis.keys.begin());
    axis.keys.erase(found);
    for (auto& row : axis.rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(column));
    axis.name = "zip(" + join(axis.keys, ", ") + ")";
  }
  return -1;
}

}  // namespace

std::vector<JobSpec> expand_sweeps(const ConfigSource& source,
                                   const std::vector<Override>& config_sweeps,
                                   const std::vector<Override>& command_line, int64_t max_jobs,
                                   std::string* shape) {
  // Ordered by first appearance of each key; a later override of a key replaces its values.
  std::vector<Axis> axes;
  std::map<std::string, size_t> zip_axis;
  auto add = [&](const Override& item) {
    // `data.subset=500 ~data.subset=500`: applied in order, as Hydra applies them, so the
    // deletion sees the value set before it (in each job of a sweep of the key).
    if (item.op == Override::Op::kDelete && !source.is_group(item.key)) {
      bool after_a_setting = false;
      for (Axis& axis : axes)
        if (std::find(axis.keys.begin(), axis.keys.end(), item.key) != axis.keys.end()) {
          for (auto& row : axis.rows) row.push_back(item);
          after_a_setting = true;
        }
      if (after_a_setting) return;
    }
    std::vector<Override> choices = choices_of(source, item);
    const int alone = remove_key(axes, item.key);
    if (!item.zip_group.empty()) {
      if (alone >= 0) axes[static_cast<size_t>(alone)] = Axis{"", {}, {{}}};  // the zip replaces it
      auto [it, is_new] = zip_axis.emplace(item.zip_group, axes.size());
      if (is_new) axes.push_back(Axis{"", {}, std::vector<std::vector<Override>>(choices.size())});
      Axis& axis = axes[it->second];
      axis.keys.push_back(item.key);
      axis.name = "zip(" + join(axis.keys, ", ") + ")";
      for (size_t i = 0; i < choices.size(); ++i) axis.rows[i].push_back(choices[i]);
      return;
    }
    Axis axis{item.key, {item.key}, {}};
    for (const auto& choice : choices) axis.rows.push_back({choice});
    if (alone >= 0)
      axes[static_cast<size_t>(alone)] = axis;
    else
      axes.push_back(axis);
  };
  for (const auto& item : config_sweeps) add(item);
  for (const auto& item : command_line) add(item);

  check_job_count(axes, max_jobs);
  std::vector<JobSpec> jobs(1);
  std::vector<std::string> factors;
  for (const auto& axis : axes) {
    if (axis.keys.empty()) continue;  // a zip whose keys were all overridden
    if (axis.rows.size() > 1 || axis.keys.size() > 1)
      factors.push_back(axis.name + ": " + std::to_string(axis.rows.size()));
    std::vector<JobSpec> expanded;
    for (const auto& job : jobs) {
      for (const auto& row : axis.rows) {
        JobSpec next = job;
        next.overrides.insert(next.overrides.end(), row.begin(), row.end());
        expanded.push_back(std::move(next));
      }
    }
    jobs = std::move(expanded);
  }
  if (shape)
    *shape =
        factors.empty() ? "1 job" : fmt::format("{} = {} jobs", join(factors, " x "), jobs.size());
  return jobs;
}

Composition compose_job(const ConfigSource& source, const std::string& primary_path,
                        const JobSpec& job) {
  Composition composition = compose(source, primary_path, job.overrides);
  ConfigNode& config = composition.config;
  config.remove("sweep");
  auto plugin_of = [&](const std::string& group) {
    const ConfigNode* name = config.find(group + ".name");
    return name && name->is_scalar() ? name->text() : std::string();
  };
  std::map<std::string, std::string> preset_plugins;
  for (const auto& [group, option] : composition.choices) preset_plugins[group] = plugin_of(group);
  apply_value_overrides(source, config, job.overrides);
  resolve_interpolations(config);
  // An override of a group's plugin (`prior.name=mog` over the preset `normal`, `model.name=vae`
  // over `mlp_ae`) makes the run that plugin's: its recorded choice says so, as `prior=mog`'s
  // would.
  for (auto& [group, option] : composition.choices) {
    const std::string plugin = plugin_of(group);
    if (!plugin.empty() && plugin != preset_plugins[group]) option = plugin;
  }
  return composition;
}

Composition compose_for_its_sweep(const ConfigSource& source, const std::string& primary_path,
                                  const std::vector<Override>& command_line, int64_t max_jobs) {
  try {
    return compose(source, primary_path, {});
  } catch (const ConfigError&) {
    const std::vector<JobSpec> jobs = expand_sweeps(source, {}, command_line, max_jobs);
    if (jobs.empty()) throw;
    return compose(source, primary_path, jobs.front().overrides);
  }
}

}  // namespace aelab
