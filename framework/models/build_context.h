// The shared facts every model part is built with, so options structs need not repeat them.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "framework/core/config_node.h"

namespace aelab {

struct PcaBasis;

/// Input shape, bottleneck size, the config sections a composite model reads, and lazy access
/// to the dataset's PCA basis for models that need it.
struct BuildContext {
  std::vector<int64_t> input_shape;  ///< one sample, [C, H, W]
  int64_t latent_dim = 0;
  ConfigNode encoder_section;  ///< `encoder:` of the job config (may be null)
  ConfigNode decoder_section;  ///< `decoder:` of the job config (may be null)
  ConfigNode prior_section;    ///< `prior:` of the job config (may be null)
  std::function<const PcaBasis&()> pca_basis;
  /// Number of input values per sample (C*H*W).
  int64_t input_size() const;
};

}  // namespace aelab
