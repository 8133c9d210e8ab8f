// The run files of a results folder: every run's summary, what makes two runs the same, and the
// folder a path inside one belongs to.
#include "framework/results/results_folder.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "framework/config/run_id.h"
#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"

namespace aelab {

std::string same_run_key(const RunRecord& run) {
  try {
    const ConfigNode config = parse_yaml(run.config_yaml, "the config of run " + run.run_id);
    return config.is_map() ? same_run_key(config) : run.run_id;
  } catch (const std::exception&) {  // a run file of an older layout: its id alone
    return run.run_id;
  }
}

std::string results_folder_above(const std::string& path) {
  namespace fs = std::filesystem;
  for (fs::path above = fs::path(path).lexically_normal().parent_path();
       !above.empty() && above != above.parent_path(); above = above.parent_path())
    if (fs::is_directory(above / "runs") || fs::is_regular_file(above / "jobs" / "sweep.yaml"))
      return above.string();
  return "";
}

std::vector<RunRecord> read_results(const std::string& results_dir,
                                    std::vector<std::string>* unreadable) {
  namespace fs = std::filesystem;
  fs::path runs = fs::path(results_dir) / "runs";
  if (!fs::is_directory(runs)) {
    const fs::path typed = fs::path(results_dir).lexically_normal();
    // A folder or file inside a results folder (its runs/, its summary.h5, a run file): the
    // results folder is meant.
    std::error_code ignored;
    const bool file = fs::is_regular_file(typed, ignored);
    if (const std::string above = results_folder_above(results_dir); !above.empty())
      throw DataError(results_dir + (file ? ": a file" : ": a folder") +
                      " inside the results folder " + above + "; give that folder");
    // The results folders beside it, as the user would write them.
    const fs::path parent = typed.has_parent_path() ? typed.parent_path() : fs::path(".");
    std::vector<std::string> folders;
    std::error_code unreadable;
    for (const auto& entry : fs::directory_iterator(parent, unreadable))
      if (fs::is_directory(entry.path() / "runs"))
        folders.push_back(typed.has_parent_path() ? (parent / entry.path().filename()).string()
                                                  : entry.path().filename().string());
    std::sort(folders.begin(), folders.end());
    std::string hint = ", such as results/bottleneck";
    if (!folders.empty()) {  // names are compared, not paths: `nope` is not close to `p1`
      std::vector<std::string> names;
      for (const auto& folder : folders) names.push_back(fs::path(folder).filename().string());
      const std::string best = closest_match(typed.filename().string(), names);
      const size_t at = std::find(names.begin(), names.end(), best) - names.begin();
      hint = " (" + (best.empty() ? std::string() : "did you mean '" + folders[at] + "'? ") +
             "known: " + join(folders, ", ") + ")";
    }
    throw DataError(results_dir +
                    (file                ? ": a file, not a folder; give the folder run_sweep wrote"
                     : fs::exists(typed) ? ": no runs/ folder; give the folder run_sweep wrote"
                                         : ": no such folder; give the folder run_sweep wrote") +
                    hint);
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(runs))
    if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<RunRecord> out;
  std::vector<std::string> problems;
  for (const auto& file : files) {
    try {
      out.push_back(read_run_summary(file));
    } catch (const DataError& e) {
      if (!unreadable) throw;
      problems.push_back(e.what());
    }
  }
  if (out.empty() && !problems.empty())
    throw DataError(fmt::format("{}: no readable run file; {} damaged, such as {}", runs.string(),
                                problems.size(), problems.front()));
  if (out.empty()) throw DataError(runs.string() + ": no run files yet");
  if (unreadable) unreadable->insert(unreadable->end(), problems.begin(), problems.end());
  return out;
}

}  // namespace aelab
