// Hydra's command-line override grammar: `key=value`, `+key=value`, `++key=value`, `~key[=value]`,
// typed values (ints, floats incl. inf/nan, bools, null, quoted/unquoted strings, lists, dicts)
// and sweeps (`a,b,c`, `choice(...)`, `range(start,stop[,step])`, `glob(...)`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

/// `glob(include[, exclude=...])`: a sweep over a config group's options, expanded later.
struct GlobSweep {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  /// Names among `options` that match, in the given order.
  std::vector<std::string> select(const std::vector<std::string>& options) const;
};

/// One parsed override.
struct Override {
  enum class Op { kChange, kAdd, kForceAdd, kDelete };

  std::string text;  ///< as the user typed it
  Op op = Op::kChange;
  std::string key;
  std::optional<std::string> package;  ///< `group@package`: Hydra's package (aelab runs none)
  bool has_value = false;              ///< false only for `~key`
  bool is_sweep = false;
  ConfigNode value;                ///< the value of a non-sweep override
  std::vector<ConfigNode> values;  ///< a sweep's values, in order
  std::optional<GlobSweep> glob;   ///< set for `glob(...)` until expanded against a group
  std::string sweep_kind;          ///< simple (`a,b`), choice, range, interval or glob
  std::vector<std::string> tags;   ///< tag(...)'s tags, sorted
  bool shuffled = false;           ///< shuffle(...): the values are in a seeded random order
  /// interval(start, end): a continuous range a sampler draws from; no grid sweep takes it.
  std::optional<std::pair<double, double>> interval;
  SourceMark origin;  ///< the file:line of a config's `sweep:` entry; empty for the command line
  /// Non-empty for the sweeps of a config's `zip:` mapping: sweeps of one zip group are walked
  /// together (their i-th values in job i), not crossed.
  std::string zip_group;

  /// "change", "add", "force_add" or "delete".
  std::string op_name() const;
  /// The same override with one value: `+key=value` (how jobs list their overrides).
  Override with_value(const ConfigNode& new_value) const;
  /// Canonical text: prefix, key and value in override grammar.
  std::string canonical_text() const;
  /// `{"key": ..., "op": ..., "sweep": ..., "value"|"values": ...}` as `run_sweep --parse` prints.
  std::string to_json() const;
  /// Where to point in errors: the `sweep:` entry's file:line, else the override's text.
  SourceMark mark() const;
};

/// Parses one override; throws ConfigError naming the override, the column and what was expected.
Override parse_override(const std::string& text);

/// A value in override grammar (`1e-3`, `'a b'`, `[1, 2]`, `{a: 1}`) that parses back equal.
std::string override_value_text(const ConfigNode& value);

}  // namespace aelab
