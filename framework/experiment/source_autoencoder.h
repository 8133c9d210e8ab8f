// A finished run whose autoencoder another experiment takes (transfer.from).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

/// Where `config` and a source run's `source` differ in the keys under `prefixes` (`model.`,
/// `encoder.`, or a key itself: `model.latent_dim`), as `model.latent_dim is 8 there, 32 here`;
/// a key the source lacks is an option added since it ran, not a difference.
std::vector<std::string> model_differences(const ConfigNode& config, const ConfigNode& source,
                                           const std::vector<std::string>& prefixes);

/// Checks that the run file `path` holds a completed, trained autoencoder with codes, of the
/// model `config` describes (else ConfigError listing where they differ and the run's
/// overrides), trained on samples of `sample_shape`. Errors start with `transfer.from:`.
void check_source_autoencoder(const ConfigNode& config, const std::string& path,
                              const std::vector<int64_t>& sample_shape);

}  // namespace aelab
