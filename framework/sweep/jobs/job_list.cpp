// The frozen job list.
#include "framework/sweep/jobs/job_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "framework/core/atomic_file.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/results/results_folder.h"
#include "framework/config/run_reference.h"

namespace aelab {

std::string job_file_path(const std::string& results_dir, const std::string& run_id) {
  return results_dir + "/jobs/" + run_id + ".yaml";
}

void write_job_list(const SweepPlan& plan) {
  ConfigNode file = ConfigNode::map();
  file.set("name", ConfigNode::string(plan.name));
  ConfigNode jobs = ConfigNode::list();
  for (const auto& job : plan.jobs) {
    ConfigNode entry = ConfigNode::map();
    entry.set("index", ConfigNode::integer(job.index));
    entry.set("run_id", ConfigNode::string(job.run_id));
    entry.set("overrides", ConfigNode::string(job.spec.describe()));
    jobs.items().push_back(entry);
  }
  file.set("jobs", jobs);
  write_file_atomically(plan.results_dir + "/jobs/sweep.yaml",
                        [&](std::ostream& out) { out << to_yaml(file); });
}

JobList read_job_list(const std::string& results_dir) {
  const std::string path = results_dir + "/jobs/sweep.yaml";
  namespace fs = std::filesystem;
  if (!fs::is_directory(results_dir)) {
    // A file inside a results folder (its summary.h5, a run file): that folder is meant.
    if (const std::string above = results_folder_above(results_dir);
        fs::exists(results_dir) && !above.empty())
      throw DataError(results_dir + ": a file inside the results folder " + above +
                      "; give that folder");
    throw DataError(results_dir +
                    (fs::exists(results_dir) ? ": a file, not a folder" : ": no such folder") +
                    " (give the --out folder of a sweep, such as results/bottleneck)");
  }
  if (!std::filesystem::is_regular_file(path)) {
    // A folder inside a results folder (its runs/): that folder is meant.
    fs::path folder = fs::path(results_dir).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();  // `runs/`
    const fs::path parent = folder.parent_path();
    if (!parent.empty() && fs::is_regular_file(parent / "jobs" / "sweep.yaml"))
      throw DataError(results_dir + ": a folder inside the results folder " + parent.string() +
                      "; give that folder");
    throw DataError(results_dir +
                    ": not a sweep's results folder (no jobs/sweep.yaml; run_sweep "
                    "writes it when a sweep starts)");
  }
  const std::string damaged =
      path +
      ": a damaged job list (run the sweep's run_sweep command again: it writes the list "
      "anew and keeps the finished runs)";
  ConfigNode file;
  try {
    file = load_yaml_file(path);
  } catch (const Error&) {
    throw DataError(damaged);
  }
  JobList list;
  const ConfigNode* name = file.get("name");
  const ConfigNode* jobs = file.get("jobs");
  if (!jobs || !jobs->is_list() || (name && name->kind() != ConfigNode::Kind::kString))
    throw DataError(damaged);
  if (name) list.name = name->as_string();
  for (const auto& entry : jobs->items()) {
    const ConfigNode* index = entry.get("index");
    const ConfigNode* run_id = entry.get("run_id");
    const ConfigNode* overrides = entry.get("overrides");
    if (!index || index->kind() != ConfigNode::Kind::kInt || !run_id ||
        run_id->kind() != ConfigNode::Kind::kString || !overrides ||
        overrides->kind() != ConfigNode::Kind::kString)
      throw DataError(damaged);
    list.jobs.push_back({index->as_int(), run_id->as_string(), overrides->as_string()});
  }
  return list;
}

namespace {

/// The keys of `key=value` overrides (as job lists write them) whose values differ between the
/// jobs `earlier` lists and `overrides` (each job's): what changed since the sweep ran before. A
/// run named by its file or by its id is one value (`transfer.from`).
std::vector<std::string> keys_set_otherwise(const JobList& earlier,
                                            const std::vector<std::string>& overrides) {
  auto values_by_key = [](const std::vector<std::string>& lines) {
    const std::vector<std::string>& references = run_reference_keys();
    std::map<std::string, std::set<std::string>> values;
    for (const auto& line : lines)
      for (const auto& word : split(line, ' ')) {
        const size_t eq = word.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
        const bool reference =
            std::find(references.begin(), references.end(), key) != references.end();
        values[key].insert(reference ? run_reference_as_id(value) : value);
      }
    return values;
  };
  std::vector<std::string> before;
  for (const auto& job : earlier.jobs) before.push_back(job.overrides);
  const auto was = values_by_key(before), now = values_by_key(overrides);
  // Where one side set nothing on the command line, its values came from a config file (one's
  // own, or a run's copied out): which of them changed is not to be read from overrides.
  if (was.empty() || now.empty()) return {};
  std::set<std::string> keys;
  for (const auto* side : {&was, &now})
    for (const auto& [key, values] : *side) keys.insert(key);
  std::vector<std::string> changed;
  for (const auto& key : keys) {
    auto a = was.find(key), b = now.find(key);
    if (a == was.end() || b == now.end() || a->second != b->second) changed.push_back(key);
  }
  return changed;
}

}  // namespace

int64_t run_files_of_no_job(const std::string& results_dir, const std::set<std::string>& run_ids) {
  int64_t others = 0;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(results_dir + "/runs", ignored))
    if (entry.path().extension() == ".h5" && !run_ids.count(entry.path().stem().string())) ++others;
  return others;
}

std::string other_sweep_warning(const SweepPlan& plan) {
  JobList earlier;
  try {
    earlier = read_job_list(plan.results_dir);
  } catch (const Error&) {
    return "";  // no sweep ran here yet, or its list is unreadable (--status says so)
  }
  if (earlier.name != plan.name)
    return fmt::format(
        "{} holds the runs of sweep '{}' ({} job(s)); this sweep, '{}', adds its runs beside "
        "them, so make_table and plot_results show both and --status lists only this one's jobs "
        "(give --out a folder of its own to keep them apart)",
        plan.results_dir, earlier.name, earlier.jobs.size(), plan.name);
  // The same sweep run before with other overrides (trainer.lr changed, say).
  std::set<std::string> ids;
  for (const auto& job : plan.jobs) ids.insert(job.run_id);
  const int64_t others = run_files_of_no_job(plan.results_dir, ids);
  if (others == 0) return "";
  // The keys that changed, where every such run is a job of the sweep's last run here (not a
  // file copied in, or a run of a sweep before that).
  for (const auto& job : earlier.jobs) ids.insert(job.run_id);
  std::vector<std::string> overrides;
  for (const auto& job : plan.jobs) overrides.push_back(job.spec.describe());
  const std::vector<std::string> changed = run_files_of_no_job(plan.results_dir, ids) == 0
                                               ? keys_set_otherwise(earlier, overrides)
                                               : std::vector<std::string>{};
  return fmt::format(
      "{}/runs holds {} run(s) of no job of this sweep ({}); make_table and "
      "plot_results read them beside this sweep's, and a table's title names the keys a cell "
      "pools (give --out a folder of its own to keep them apart, or pick runs with --where)",
      plan.results_dir, others,
      changed.empty() ? std::string("from another config or other overrides")
                      : "it ran here before with other values of " + join(changed, ", "));
}

}  // namespace aelab
