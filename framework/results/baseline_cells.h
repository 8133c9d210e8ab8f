// Baselines in a table: what a baseline cell pools, and one column for a baseline that is the
// same under every value of a column key.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "framework/results/table_cells.h"

namespace aelab {

/// A baseline's values in a cell, and the flat config of the run that recorded them.
struct BaselineRun {
  std::map<std::string, std::string> config;
  std::vector<std::optional<double>> values;  ///< per metric
};

/// The configs a baseline cell pools, for its title. A baseline that does not depend on the
/// recording run's model (PCA, raw pixels, the majority class) has the same values beside every
/// model of one setting and seed: the models it was recorded beside are no difference of its
/// own, and their options leave the configs (its labels still take them from the recording run,
/// as rows and columns must). One that trains the run's own architecture from scratch differs
/// with it: the title then names the model keys the cell pools over.
std::vector<std::map<std::string, std::string>> configs_of_baseline_cell(
    std::vector<BaselineRun> recorded);

/// Where the columns are `--cols KEY` and each baseline (`0, ink`, `1, ink`), a baseline whose
/// cells hold the same values under every value of KEY (one that reads the data alone) becomes
/// one column, `ink`. With `relative_to` (--relative-to), only that baseline does: the others
/// keep a column per value, each relative to its own.
void merge_repeated_baseline_columns(Tabulation& table, size_t metrics,
                                     const std::string& relative_to);

}  // namespace aelab
