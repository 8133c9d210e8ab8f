// A run as make_table sees it: its parsed config, the labels its config keys, group choices and
// family give it, and the --where filter over such runs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "framework/core/config_node.h"
#include "framework/results/run_record.h"
#include "framework/results/table_cells.h"

namespace aelab {

/// A run as a table sees it: its parsed config, and the family shown for it (a baseline's name
/// for the runs made from /baseline).
struct TableRun {
  const RunRecord* record;
  ConfigNode config;
  std::string family;
  std::string baseline;  ///< "" for the run itself, else the /baseline/<name> it stands for
};

/// Every leaf of a config as dotted path -> text.
void flatten(const ConfigNode& node, const std::string& path,
             std::map<std::string, std::string>& out);

/// Whether `key` is in a section that describes the model (what a baseline run replaces).
bool describes_model(const std::string& key);

/// Whether `key` names the model, as a group's choice or a plugin's name does (`model`,
/// `encoder.name`, `family`): a baseline's label for it is the baseline's name.
bool names_the_model(const std::string& key);

/// A config key of a run, a config group's choice (`model` -> mlp_ae), `family`, `status`, or
/// `source` (`model`, or the baseline's name); nullopt when the run has no such key.
std::optional<ConfigNode> label_of(const TableRun& run, const std::string& key);

/// The label of `keys` (their values joined by ", "); nullopt when the run lacks one of them.
std::optional<TableLabel> label_for(const TableRun& run, const std::vector<std::string>& keys);

/// What a misspelled table key may have meant: " (did you mean 'model.latent_dim'?)" when a key
/// of the runs (config key, group, family, status) is close, else what keys look like.
std::string key_hint(const std::string& key, const std::vector<TableRun>& runs);

/// Each run file's record with its config read and its family named (not yet a baseline);
/// `records` must outlive them.
std::vector<TableRun> table_runs_of(const std::vector<RunRecord>& records);

/// Where runs of one family come from different presets of the model's own groups (mlp_ae and
/// hinton_ae are both `mlp`; VAEs of several priors are `vae`), each such run's family names
/// the presets that tell it apart, as the plots' labels do (`mlp model=hinton_ae`,
/// `vae prior=mog`): a group whose preset follows from those named already is left out, and so
/// is a group that `shown_keys` (the table's rows and columns) show, as `--cols prior` does.
void name_presets_apart(std::vector<TableRun>& runs, const std::vector<std::string>& shown_keys);

/// The runs every `KEY=VALUE` of `where` keeps, in order (where_filter.h reads each value);
/// ConfigError naming the item when one matches no run. `keyless`, where given, counts by item
/// and family the runs left out for having no such key (PCA beside `--where trainer.lr=0.003`).
std::vector<TableRun> filtered(
    std::vector<TableRun> runs, const std::vector<std::string>& where,
    std::map<std::string, std::map<std::string, size_t>>* keyless = nullptr);

}  // namespace aelab
