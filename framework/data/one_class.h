// One-class splits for anomaly detection.
// Training images of the normal classes only, a normal validation set (plus, optionally, a few
// labelled anomalies), and every test image labelled normal (0) or anomalous (1).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "framework/core/options.h"
#include "framework/data/dataset.h"

namespace aelab {

/// Classes by index: one class (`3`) or a list (`[3, 5]`) in a config.
struct ClassList {
  std::vector<int64_t> values;
};

template <>
struct OptionCodec<ClassList> {
  static const char* expected() { return "a class index or a list of them"; }
  static bool decode(const ConfigNode& given, ClassList& out) {
    const ConfigNode node = typed_if_string(given);  // `${oc.env:SLURM_ARRAY_TASK_ID}`
    if (node.kind() == ConfigNode::Kind::kInt) {
      out.values = {node.as_int()};
      return true;
    }
    return OptionCodec<std::vector<int64_t>>::decode(node, out.values);
  }
  /// One class as a number, so `3` and `[3]` are the same config (and the same run id).
  static ConfigNode encode(const ClassList& value) {
    if (value.values.size() == 1) return ConfigNode::integer(value.values[0]);
    return OptionCodec<std::vector<int64_t>>::encode(value.values);
  }
};

/// The training or the validation split holds no image of the normal classes: the data is too
/// small for them (data.subset, data.val_fraction), which the caller knows how to name.
class NoNormalImagesError : public DataError {
 public:
  using DataError::DataError;
};

/// Which classes are normal and which anomalous.
struct OneClassProtocol {
  std::vector<int64_t> normal_classes;
  std::vector<int64_t> anomaly_classes;  ///< empty: every class that is not normal
  /// Share of anomalies in the validation set (0: none), drawn from the validation images of
  /// the anomaly classes; never trained on.
  double val_anomaly_fraction = 0;
  int64_t seed = 0;  ///< which validation anomalies are drawn
};

/// The splits of one one-class run; labels are 1 for anomalies.
struct OneClassData {
  torch::Tensor train_x;                 ///< training images of the normal classes
  torch::Tensor val_normal;              ///< validation images of the normal classes
  torch::Tensor val_anomalous;           ///< validation anomalies (may have no rows)
  torch::Tensor test_x;                  ///< test images of the normal and anomaly classes
  std::vector<int64_t> test_labels;      ///< 1 = anomaly, per test image
  torch::Tensor test_classes;            ///< the dataset's class of each test image [N]
  std::vector<int64_t> anomaly_classes;  ///< resolved (never empty)
};

/// DataError when a class is negative or, with `class_count`, out of range; when a class is
/// both normal and anomalous; or when no class is normal.
void check_one_class_protocol(const OneClassProtocol& protocol,
                              std::optional<int64_t> class_count = std::nullopt);

/// Applies `protocol` to `data` (labels [N] per split, classes 0..class_count-1). The protocol's
/// classes are labels of the data's files: where those are not 0..K-1 (data.label_values), each
/// is turned into its class number, and OneClassData holds class numbers. DataError when a class
/// is out of range, the two sets overlap, or a split ends up empty.
OneClassData one_class_split(const DataSplits& data, const OneClassProtocol& labelled,
                             int64_t class_count);

}  // namespace aelab
