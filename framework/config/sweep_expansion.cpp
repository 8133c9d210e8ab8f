// Sweep expansion and per-job composition.
#include "framework/config/sweep_expansion.h"

#include <fmt/format.h>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {

std::string JobSpec::describe() const {
  std::string out;
  for (size_t i = 0; i < overrides.size(); ++i) out += (i ? " " : "") + overrides[i].text;
  return out;
}

std::vector<Override> sweeps_from_config(const ConfigNode& sweep_section) {
  std::vector<Override> out;
  if (sweep_section.is_null()) return out;
  if (!sweep_section.is_map())
    throw ConfigError(sweep_section.mark.describe() +
                      ": sweep: expected a mapping of key: sweep expression, got " +
                      sweep_section.type_name());
  for (const auto& [key, value] : sweep_section.entries()) {
    std::string where = value.mark.describe() + ": sweep." + key;
    try {
      if (value.is_list()) {
        Override item = parse_override(key + "=" + "null");
        item.is_sweep = true;
        item.values = value.items();
        if (item.values.empty()) throw ConfigError("override '" + key + "': empty list of values");
        item.text = item.canonical_text();
        out.push_back(item);
      } else if (value.kind() == ConfigNode::Kind::kString) {
        out.push_back(parse_override(key + "=" + value.as_string()));
      } else if (value.is_scalar()) {
        out.push_back(parse_override(key + "=" + value.text()));
      } else {
        throw ConfigError("expected a sweep expression such as 'a,b' or a list of values");
      }
    } catch (const ConfigError& e) {
      throw ConfigError(where + ": " + e.what());
    }
    out.back().origin = value.mark;  // later errors point at this entry, not a typed override
  }
  return out;
}

/// ConfigError when the product of the axes' sizes exceeds `max_jobs`, naming each swept key.
static void check_job_count(const std::vector<std::pair<std::string, std::vector<Override>>>& axes,
                            int64_t max_jobs) {
  double count = 1;  // a double: three range(1000000)s must not overflow
  std::vector<std::string> factors;
  for (const auto& [key, choices] : axes) {
    count *= static_cast<double>(choices.size());
    if (choices.size() > 1) factors.push_back(key + ": " + std::to_string(choices.size()));
  }
  if (count <= static_cast<double>(max_jobs)) return;
  throw ConfigError(fmt::format(
      "the sweep expands to {:.0f} jobs ({}), more than --max-jobs {}; narrow a sweep, or pass "
      "--max-jobs {:.0f} to run them all",
      count, join(factors, " x "), max_jobs, count));
}

std::vector<JobSpec> expand_sweeps(const ConfigSource& source,
                                   const std::vector<Override>& config_sweeps,
                                   const std::vector<Override>& command_line, int64_t max_jobs) {
  // Ordered by first appearance of each key; a later override of a key replaces its values.
  std::vector<std::pair<std::string, std::vector<Override>>> axes;
  auto add = [&](const Override& item) {
    std::vector<Override> choices;
    if (!item.is_sweep) {
      choices.push_back(item);
    } else if (item.glob) {
      if (!source.is_group(item.key))
        throw ConfigError(item.mark().describe() +
                          ": glob() sweeps over a config group's "
                          "options, and '" +
                          item.key + "' is not a group");
      for (const auto& option : item.glob->select(source.group_options(item.key)))
        choices.push_back(item.with_value(ConfigNode::string(option)));
      if (choices.empty())
        throw ConfigError(item.mark().describe() + ": glob() matches no option of group '" +
                          item.key + "'");
    } else {
      for (const auto& value : item.values) choices.push_back(item.with_value(value));
    }
    for (auto& axis : axes) {
      if (axis.first == item.key) {
        axis.second = choices;
        return;
      }
    }
    axes.emplace_back(item.key, choices);
  };
  for (const auto& item : config_sweeps) add(item);
  for (const auto& item : command_line) add(item);

  check_job_count(axes, max_jobs);
  std::vector<JobSpec> jobs(1);
  for (const auto& axis : axes) {
    std::vector<JobSpec> expanded;
    for (const auto& job : jobs) {
      for (const auto& choice : axis.second) {
        JobSpec next = job;
        next.overrides.push_back(choice);
        expanded.push_back(std::move(next));
      }
    }
    jobs = std::move(expanded);
  }
  return jobs;
}

Composition compose_job(const ConfigSource& source, const std::string& primary_path,
                        const JobSpec& job) {
  Composition composition = compose(source, primary_path, job.overrides);
  ConfigNode& config = composition.config;
  config.remove("sweep");
  apply_value_overrides(source, config, job.overrides);
  resolve_interpolations(config);
  return composition;
}

}  // namespace aelab
