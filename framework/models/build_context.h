// The shared facts every model part is built with, so options structs need not repeat them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

struct PcaBasis;

/// The dataset's PCA basis, fitted or loaded only when first asked for.
using PcaSource = std::function<const PcaBasis&()>;

/// Input shape, bottleneck size, the job's config sections by name, and lazy access to the
/// dataset's PCA basis for models that need it.
struct BuildContext {
  std::vector<int64_t> input_shape;  ///< one sample, [C, H, W]
  int64_t latent_dim = 0;
  ConfigNode config;  ///< the whole job config: plugins read their sections from it
  PcaSource pca_basis;
  /// Saved weights will be loaded into the model: build the shapes, fit nothing.
  bool for_loading = false;
  /// Channels of the encoder's stage maps a decoder takes as skip connections, input side first
  /// (empty: no skip connections).
  std::vector<int64_t> skip_channels;
  /// Number of input values per sample (C*H*W).
  int64_t input_size() const;
  /// The top-level section `key` of the job config (a null node when absent).
  ConfigNode section(const std::string& key) const;
};

}  // namespace aelab
