// Baselines in a table: what a baseline cell pools, and one column for a baseline that is the
// same under every value of a column key.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "framework/results/table_cells.h"
#include "framework/results/table_runs.h"

namespace aelab {

/// A baseline in a cell, and the flat config of the run that recorded it.
struct BaselineRun {
  std::string name;
  std::map<std::string, std::string> config;
};

/// For each baseline of `names`, whether it follows the recording run's model, read from the
/// runs that record it (before a table counts a baseline once): runs of one setting (everything
/// but the model's options, the seed included) beside different models record the same values
/// (false: PCA, raw pixels and the majority class read the data alone) or others (true: one
/// that trains the run's own architecture from scratch). Where no two runs tell, true, so a
/// table's title names the model keys rather than hide a difference.
std::map<std::string, bool> baselines_following_the_model(const std::vector<TableRun>& runs,
                                                          const std::vector<std::string>& names,
                                                          const std::vector<std::string>& metrics);

/// The configs a baseline cell pools, for its title. Of a baseline that does not follow the
/// model (`follows_the_model`, by name), the models it was recorded beside are no difference of
/// its own, and their options leave the configs (its labels still take them from the recording
/// run, as rows and columns must); of one that does, the title names the model keys it pools.
std::vector<std::map<std::string, std::string>> configs_of_baseline_cell(
    std::vector<BaselineRun> recorded, const std::map<std::string, bool>& follows_the_model);

/// Where the columns are `--cols KEY` and each baseline (`0, ink`, `1, ink`), a baseline whose
/// cells hold the same values under every value of KEY (one that reads the data alone) becomes
/// one column, `ink`. With `relative_to` (--relative-to), only that baseline does: the others
/// keep a column per value, each relative to its own.
void merge_repeated_baseline_columns(Tabulation& table, size_t metrics,
                                     const std::string& relative_to);

}  // namespace aelab
