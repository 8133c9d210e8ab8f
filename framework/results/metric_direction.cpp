// The direction of every metric the experiments record (listed in metric_directions.def).
#include "framework/results/metric_direction.h"

#include <map>

namespace {

// The directions and scales metric_directions.def names.
const std::optional<bool> kBetter_lower = false, kBetter_higher = true, kBetter_none;
enum class Scale { ratio, count, dB, nats, points };

struct Listed {
  std::optional<bool> higher_is_better;
  Scale scale;
};

// The entry of `name`, the last part of a metric's path; nullptr for a name not listed.
const Listed* listed_entry(const std::string& name) {
  static const std::map<std::string, Listed> listed = {
#define AELAB_METRIC(direction, name, scale) {name, {kBetter_##direction, Scale::scale}},
#include "framework/results/metric_directions.def"
#undef AELAB_METRIC
  };
  auto it = listed.find(name);
  return it == listed.end() ? nullptr : &it->second;
}

std::string last_part(const std::string& metric) { return metric.substr(metric.rfind('/') + 1); }

bool per_class_iou(const std::string& name) { return name.rfind("iou_", 0) == 0; }

}  // namespace

namespace aelab {

std::optional<bool> higher_is_better(const std::string& metric,
                                     const std::map<std::string, bool>& overrides) {
  const std::string name = last_part(metric);
  for (const auto& key : {metric, name})
    if (auto it = overrides.find(key); it != overrides.end()) return it->second;
  if (const Listed* entry = listed_entry(name)) return entry->higher_is_better;
  if (per_class_iou(name)) return true;
  return std::nullopt;
}

RelativeForm relative_form(const std::string& metric) {
  const std::string name = last_part(metric);
  if (per_class_iou(name)) return {true, ""};
  const Listed* entry = listed_entry(name);
  switch (entry ? entry->scale : Scale::ratio) {
    case Scale::dB:
      return {true, "dB"};
    case Scale::nats:
      return {true, "nats"};
    case Scale::points:
      return {true, ""};
    case Scale::ratio:
    case Scale::count:
      break;
  }
  return {};
}

bool compared_by_difference(const std::string& metric) { return relative_form(metric).difference; }

bool is_count(const std::string& metric) {
  const Listed* entry = listed_entry(last_part(metric));
  return entry && entry->scale == Scale::count;
}

}  // namespace aelab
