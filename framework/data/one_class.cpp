// One-class splits.
#include "framework/data/one_class.h"

#include <algorithm>
#include <cmath>

#include "framework/core/error.h"
#include "framework/core/suggest.h"

namespace aelab {
namespace {

torch::Tensor in_classes(const torch::Tensor& labels, const std::vector<int64_t>& classes) {
  torch::Tensor mask = torch::zeros(labels.sizes(), labels.options().dtype(torch::kBool));
  for (int64_t c : classes) mask |= labels.eq(c);
  return mask;
}

/// `[0, 1, 255]`; a run of three or more consecutive classes as `1..26`.
std::string listed(const std::vector<int64_t>& classes) {
  std::vector<std::string> names;
  for (size_t i = 0; i < classes.size();) {
    size_t end = i + 1;
    while (end < classes.size() && classes[end] == classes[end - 1] + 1) ++end;
    if (end - i >= 3) {
      names.push_back(std::to_string(classes[i]) + ".." + std::to_string(classes[end - 1]));
      i = end;
    } else {
      names.push_back(std::to_string(classes[i++]));
    }
  }
  return "[" + join(names, ", ") + "]";
}

/// `protocol` with its classes, given as labels of the data's files, as class numbers (where the
/// files' labels are not 0..K-1, `values` holds the label of each class); DataError naming a label
/// no image carries.
OneClassProtocol numbered(const OneClassProtocol& protocol, const std::vector<int64_t>& values) {
  OneClassProtocol out = protocol;
  if (values.empty()) return out;
  for (const auto& [key, classes] : {std::pair{"normal_classes", &out.normal_classes},
                                     std::pair{"anomaly_classes", &out.anomaly_classes}})
    for (int64_t& c : *classes) {
      const auto found = std::lower_bound(values.begin(), values.end(), c);
      if (found == values.end() || *found != c)
        throw DataError(std::string("anomaly.") + key + ": no image of the dataset has label " +
                        std::to_string(c) + " (its labels: " + listed(values) + ")");
      c = found - values.begin();
    }
  return out;
}

/// `count` rows of `x` chosen by a permutation seeded with `seed`, in their original order.
torch::Tensor seeded_rows(const torch::Tensor& x, int64_t count, int64_t seed) {
  std::vector<int64_t> order = seeded_permutation(x.size(0), seed);
  order.resize(static_cast<size_t>(count));
  std::sort(order.begin(), order.end());
  return x.index_select(0, torch::tensor(order, torch::kLong).to(x.device()));
}

}  // namespace

void check_one_class_protocol(const OneClassProtocol& protocol,
                              std::optional<int64_t> class_count) {
  if (protocol.normal_classes.empty())
    throw DataError("anomaly.normal_classes: expected at least one class");
  if (class_count && *class_count == 0)
    throw DataError(
        "anomaly.normal_classes: the dataset has no class labels to tell normal from "
        "anomalous images");
  for (const auto& [key, classes] : {std::pair{"normal_classes", &protocol.normal_classes},
                                     std::pair{"anomaly_classes", &protocol.anomaly_classes}})
    for (int64_t c : *classes) {
      if (c < 0 || (class_count && c >= *class_count))
        throw DataError(
            std::string("anomaly.") + key + ": class " + std::to_string(c) + " is not a class of " +
            (class_count ? "the dataset (choose 0.." + std::to_string(*class_count - 1) + ")"
                         : "any dataset (classes are numbered from 0)"));
      if (std::count(classes->begin(), classes->end(), c) > 1)
        throw DataError(std::string("anomaly.") + key + ": class " + std::to_string(c) +
                        " is listed more than once in " + listed(*classes) +
                        " (list each class once)");
    }
  for (int64_t c : protocol.anomaly_classes)
    if (std::count(protocol.normal_classes.begin(), protocol.normal_classes.end(), c))
      throw DataError("anomaly.anomaly_classes: class " + std::to_string(c) +
                      " is also in anomaly.normal_classes " + listed(protocol.normal_classes));
}

OneClassData one_class_split(const DataSplits& data, const OneClassProtocol& labelled,
                             int64_t class_count) {
  // Checked as the user gave it (by the files' labels, where those were numbered), then numbered.
  check_one_class_protocol(labelled,
                           data.label_values.empty() ? std::optional(class_count) : std::nullopt);
  const OneClassProtocol protocol = numbered(labelled, data.label_values);
  // Messages name classes as the user gave them too.
  auto label_of = [&](int64_t c) {
    return data.label_values.empty() ? c : data.label_values.at(static_cast<size_t>(c));
  };
  auto as_given = [&](const std::vector<int64_t>& classes) {
    std::vector<int64_t> labels;
    for (int64_t c : classes) labels.push_back(label_of(c));
    return listed(labels);
  };
  // A class that no image of the splits carries (labels 0, 1 and 200; a subset without it).
  const std::vector<int64_t> present = label_vector(std::get<0>(torch::_unique(
      torch::cat({data.train_y.flatten(), data.val_y.flatten(), data.test_y.flatten()}))));
  for (const auto& [key, classes] : {std::pair{"normal_classes", &protocol.normal_classes},
                                     std::pair{"anomaly_classes", &protocol.anomaly_classes}})
    for (int64_t c : *classes)
      if (!std::binary_search(present.begin(), present.end(), c))
        throw DataError(std::string("anomaly.") + key + ": no image of the dataset has class " +
                        std::to_string(label_of(c)) + " (its classes: " + as_given(present) + ")");
  OneClassData out;
  out.anomaly_classes = protocol.anomaly_classes;
  if (out.anomaly_classes.empty())
    for (int64_t c = 0; c < class_count; ++c)
      if (!std::count(protocol.normal_classes.begin(), protocol.normal_classes.end(), c))
        out.anomaly_classes.push_back(c);
  if (out.anomaly_classes.empty())
    throw DataError("anomaly.normal_classes: every class is normal, so there is nothing to detect");
  auto normal = [&](const torch::Tensor& y) { return in_classes(y, protocol.normal_classes); };
  auto anomalous = [&](const torch::Tensor& y) { return in_classes(y, out.anomaly_classes); };
  out.train_x = data.train_x.index({normal(data.train_y)});
  out.val_normal = data.val_x.index({normal(data.val_y)});
  const std::string classes = as_given(protocol.normal_classes);
  if (out.train_x.size(0) == 0 || out.val_normal.size(0) == 0) {
    // Where the training files hold none of them at all, no subset brings them: say which they do.
    const std::vector<int64_t> training = label_vector(
        std::get<0>(torch::_unique(torch::cat({data.train_y.flatten(), data.val_y.flatten()}))));
    const bool none_in_training = std::none_of(
        protocol.normal_classes.begin(), protocol.normal_classes.end(),
        [&](int64_t c) { return std::binary_search(training.begin(), training.end(), c); });
    throw NoNormalImagesError(
        "anomaly: the " + std::string(out.train_x.size(0) ? "validation" : "training") +
        " split holds no image of the normal classes " + classes +
        (out.train_x.size(0) ? " (raise data.subset or data.val_fraction)"
         : none_in_training
             ? " (its images' classes: " + as_given(training) +
                   "; choose normal classes among them, or raise data.subset where it is set)"
             : " (raise data.subset or lower data.val_fraction)"));
  }
  torch::Tensor candidates = data.val_x.index({anomalous(data.val_y)});
  const double share = protocol.val_anomaly_fraction;
  const int64_t wanted =
      share > 0
          ? static_cast<int64_t>(std::llround(share / (1 - share) * double(out.val_normal.size(0))))
          : 0;
  out.val_anomalous =
      seeded_rows(candidates, std::min<int64_t>(wanted, candidates.size(0)), protocol.seed);
  torch::Tensor is_anomaly = anomalous(data.test_y);
  torch::Tensor kept = normal(data.test_y) | is_anomaly;
  out.test_x = data.test_x.index({kept});
  out.test_classes = data.test_y.index({kept});
  const int64_t test_anomalies = is_anomaly.sum().item<int64_t>();
  if (test_anomalies == 0 || test_anomalies == kept.sum().item<int64_t>())
    throw DataError(std::string("anomaly.") + (test_anomalies == 0 ? "anomaly" : "normal") +
                    "_classes: the test split holds no image of " +
                    (test_anomalies == 0 ? "the anomaly classes " + as_given(out.anomaly_classes)
                                         : "the normal classes " + classes) +
                    ", so detection cannot be measured; choose classes its test images have (or "
                    "raise data.test_subset where it is set)");
  out.test_labels = label_vector(is_anomaly.index({kept}));
  return out;
}

}  // namespace aelab
