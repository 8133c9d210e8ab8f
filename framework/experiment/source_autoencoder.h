// A finished run whose autoencoder another experiment takes (transfer.from).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

/// Checks that the run file `path` holds a completed, trained autoencoder with codes, of the
/// model `config` describes (else ConfigError listing where they differ and the run's
/// overrides), trained on samples of `sample_shape`. Errors start with `transfer.from:`.
void check_source_autoencoder(const ConfigNode& config, const std::string& path,
                              const std::vector<int64_t>& sample_shape);

}  // namespace aelab
