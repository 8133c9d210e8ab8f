// A finished run whose autoencoder another experiment takes (transfer.from): what it must be,
// checked before any job starts.
#include "framework/experiment/source_autoencoder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "framework/config/composition.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/experiment.h"
#include "framework/experiment/model_store.h"

namespace aelab {

std::vector<std::string> model_differences(const ConfigNode& config, const ConfigNode& source,
                                           const std::vector<std::string>& prefixes) {
  std::vector<std::string> out;
  for (const std::string& prefix : prefixes) {
    std::set<std::string> keys;  // under this prefix, in either config
    for (const ConfigNode* side : {&config, &source})
      for (const std::string& key : leaf_paths(*side))
        if (key.rfind(prefix, 0) == 0) keys.insert(key);
    for (const std::string& key : keys) {
      const ConfigNode* here = config.find(key);
      const ConfigNode* there = source.find(key);
      if (!there || (here && *here == *there)) continue;
      out.push_back(fmt::format("{} is {} there, {} here", key, there->text(),
                                here ? here->text() : "absent"));
    }
  }
  return out;
}

void check_source_autoencoder(const ConfigNode& config, const std::string& path,
                              const std::vector<int64_t>& sample_shape) {
  RunRecord source = read_referenced_run(path, "transfer.from");
  ConfigNode source_config = parse_yaml(source.config_yaml, path);
  const ConfigNode* model_name = source_config.find("model.name");
  const std::string model =
      model_name && model_name->kind() == ConfigNode::Kind::kString ? model_name->as_string() : "";
  const ConfigNode* experiment = source_config.find("experiment.name");
  // Why not, in the words of what the run is: unfinished, a classifier, a model that trains
  // nothing.
  std::string why;
  if (source.status != "completed")
    why = "its status is " + (source.status.empty() ? std::string("unfinished") : source.status);
  else if (experiment && experiment_declaration(experiment->as_string()).saved_model)
    why = "it is an experiment=" + experiment->as_string() +
          " run, whose saved model is not an autoencoder";
  else if (model.empty() || !model_declaration(model).traits.trainable)
    why = "its model (" + (model.empty() ? std::string("unnamed") : model) + ") trains nothing";
  if (!why.empty())
    throw DataError("transfer.from: " + path + " is not a completed run of a trained " +
                    "autoencoder: " + why +
                    " (give a reconstruction or anomaly run of model=conv_ae, mlp_ae or vae)");
  if (!dynamic_cast<LatentCodec*>(
          build_model_for_loading(source_config, source.model_input_shape).get()))
    throw DataError("transfer.from: the model of " + path + " (" + model +
                    ") has no codes to classify (give an autoencoder run)");
  // The job would record a model it did not use, and size its PCA baseline for it.
  if (const auto differences =
          model_differences(config, source_config, {"model.", "encoder.", "decoder.", "prior."});
      !differences.empty())
    throw ConfigError(fmt::format(
        "transfer.from: the model of {} is not this job's: {}{} (give the same model as that "
        "run: {})",
        path,
        fmt::join(differences.begin(),
                  differences.begin() + std::min<size_t>(differences.size(), 3), "; "),
        differences.size() > 3 ? fmt::format("; and {} more", differences.size() - 3) : "",
        source.overrides.empty() ? std::string("it had no overrides")
                                 : "its overrides were '" + source.overrides + "'"));
  if (source.model_input_shape != sample_shape) {
    const ConfigNode* source_data = source_config.find("data.name");
    throw DataError(fmt::format(
        "transfer.from: {} was trained on samples of shape [{}]{}, and data.name={} has samples "
        "of shape [{}] (give a run trained on this data, or set the data it was trained on)",
        path, fmt::join(source.model_input_shape, ","),
        source_data ? " from data.name=" + source_data->text() : std::string(),
        config.find("data.name")->as_string(), fmt::join(sample_shape, ",")));
  }
}

}  // namespace aelab
