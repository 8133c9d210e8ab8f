// Pretraining an experiment's autoencoder once per settings: the cache, and the training.
#include "framework/experiment/pretrained_autoencoder.h"

#include <filesystem>

#include "framework/core/hashing.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/results/run_record.h"

namespace aelab {
namespace {

const std::string kHistoryPrefix = "pretrain_";

/// Loads the autoencoder an earlier run cached in `cache` into `model`, with its history; false
/// when there is none, or it cannot be read (a warning says why).
bool load_cached(ModelImpl& model, const std::string& cache, const RunContext& context,
                 RunRecord& record) {
  if (!std::filesystem::is_regular_file(cache)) return false;
  try {
    RunRecord cached = read_run_file(cache);
    load_model_state(model, cached.model_state, {}, /*require_all=*/true, cache);
    for (auto& [split, metrics] : cached.history)
      record.history[kHistoryPrefix + split] = std::move(metrics);
  } catch (const Error& e) {
    warn(context, std::string("ignoring the pretraining cache: ") + e.what());
    return false;
  }
  say(context, "pretrained autoencoder from " + cache);
  return true;
}

/// Trains `model` as an autoencoder and caches it in `cache`; false when it diverged.
bool pretrain_and_cache(ModelImpl& model, const ConfigNode& config, const TrainerOptions& trainer,
                        const DataSplits& on_device, const std::string& cache,
                        const RunContext& context, RunRecord& record) {
  std::shared_ptr<Objective> objective = reconstruction_objective(model, config);
  if (!pretrain_autoencoder(model, *objective, trainer, on_device, context, record)) return false;
  RunRecord pretrained;  // the cache holds the model and its history, as a run file does
  pretrained.run_id = "pretrained-" + record.run_id;
  pretrained.status = "completed";
  pretrained.config_yaml = record.config_yaml;
  for (const auto& [split, metrics] : record.history)
    if (split.rfind(kHistoryPrefix, 0) == 0)
      pretrained.history[split.substr(kHistoryPrefix.size())] = metrics;
  std::vector<int64_t> shape(on_device.train_x.sizes().begin() + 1,
                             on_device.train_x.sizes().end());
  record_model(pretrained, model, shape);
  model.to(on_device.train_x.device());
  std::filesystem::create_directories(context.cache_dir);
  write_run_file(cache, pretrained);  // atomic: a concurrent run reads all or nothing
  return true;
}

}  // namespace

std::string pretraining_cache_path(const ConfigNode& config, const std::string& cache_dir) {
  ConfigNode key = ConfigNode::map();
  std::vector<std::string> sections{"seed", "device", "data", "model", "objective", "trainer"};
  for (const std::string& section :
       model_declaration(config.find("model.name")->as_string()).sections)
    sections.push_back(section);
  for (const std::string& section : sections)
    if (const ConfigNode* node = config.get(section)) key.set(section, *node);
  return cache_dir + "/pretrained-" + short_hash(to_yaml(key), 16) + ".h5";
}

std::shared_ptr<ModelImpl> pretrained_autoencoder(
    const ConfigNode& config, const TrainerOptions& trainer,
    const std::function<std::shared_ptr<ModelImpl>()>& build, const DataSplits& on_device,
    const std::string& note, const RunContext& context, RunRecord& record) {
  const std::string cache = pretraining_cache_path(config, context.cache_dir);
  std::shared_ptr<ModelImpl> model = build();
  if (load_cached(*model, cache, context, record)) {
    record.notes["encoder"] =
        note + " (by an earlier run with the same pretraining settings, cached in " + cache + ")";
    return model;
  }
  if (std::filesystem::exists(cache)) model = build();  // damaged: start again from the seed
  if (!pretrain_and_cache(*model, config, trainer, on_device, cache, context, record))
    return nullptr;
  record.notes["encoder"] = note + " (in this run; cached in " + cache + ")";
  return model;
}

}  // namespace aelab
