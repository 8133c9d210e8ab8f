// Pretraining an experiment's autoencoder once per settings: the cache, and the training.
#include "framework/experiment/pretrained_autoencoder.h"

#include <filesystem>
#include <optional>

#include "framework/core/file_lock.h"
#include "framework/core/hashing.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/experiment/run_inputs.h"
#include "framework/metrics/reconstruction_metrics.h"
#include "framework/results/run_record.h"

namespace aelab {
namespace {

const std::string kHistoryPrefix = "pretrain_";
/// The random generator's state after pretraining, kept in the cache: a run that takes the
/// cached autoencoder then draws what the run that trained it drew next (batch order, noise), so
/// its numbers do not depend on which run filled the cache.
const std::string kGeneratorState = "generator_state";

/// Loads the autoencoder an earlier run cached in `cache` into `model`, with its history and the
/// generator state it left; false when there is none, or it cannot be read (a warning says why).
bool load_cached(ModelImpl& model, const std::string& cache, const torch::Device& device,
                 const RunContext& context, RunRecord& record) {
  if (!std::filesystem::is_regular_file(cache)) return false;
  try {
    RunRecord cached = read_run_file(cache);
    load_model_state(model, cached.model_state, {}, /*require_all=*/true, cache);
    if (auto state = cached.arrays.find(kGeneratorState); state != cached.arrays.end()) {
      at::Generator generator = at::globalContext().defaultGenerator(device);
      generator.set_state(torch::tensor(state->second.values, torch::kFloat64).to(torch::kUInt8));
    }
    keep_history(std::move(cached.history), kHistoryPrefix, record);
  } catch (const std::exception& e) {  // ours, or LibTorch's on a generator state of another kind
    warn(context, std::string("ignoring the pretraining cache: ") + e.what());
    return false;
  }
  say(context, "pretrained autoencoder from " + cache);
  return true;
}

/// Trains `model` to minimize the reconstruction objective of `config` on the unlabelled
/// training images (its validation images give the curves), and caches it in `cache`; false when
/// it diverged (`record` then holds the status and the error, `pretraining: ...`).
bool pretrain_and_cache(ModelImpl& model, const ConfigNode& config, const TrainerOptions& trainer,
                        const DataSplits& on_device, const std::string& cache,
                        const RunContext& context, RunRecord& record) {
  std::shared_ptr<Objective> objective = reconstruction_objective(model, config);
  auto validate = [&](const LabelledSet& val) {
    return reconstruction_metrics(model, val.x, trainer.eval_batch_size);
  };
  TrainingJob job{model,
                  *objective,
                  trainer,
                  LabelledSet{on_device.train_x, {}},
                  LabelledSet{on_device.val_x, {}},
                  nullptr,
                  validate,
                  {},
                  "pretrain"};
  RunRecord pretrained;  // the cache holds the model and its history, as a run file does
  // Its epochs told apart from those that follow.
  const bool trained = train_model(job, context.for_stage("pretraining"), pretrained);
  keep_history(pretrained.history, kHistoryPrefix, record);
  if (!trained) {
    record.status = pretrained.status;
    record.error = "pretraining: " + pretrained.error;
    return false;
  }
  pretrained.run_id = "pretrained-" + record.run_id;
  pretrained.status = "completed";
  pretrained.config_yaml = record.config_yaml;
  std::vector<int64_t> shape(on_device.train_x.sizes().begin() + 1,
                             on_device.train_x.sizes().end());
  const torch::Device device = on_device.train_x.device();
  pretrained.arrays[kGeneratorState] =
      to_float_array(at::globalContext().defaultGenerator(device).get_state());
  record_model(pretrained, model, shape);
  model.to(device);
  try {  // a cache that cannot be written costs later runs the pretraining, not this run
    std::filesystem::create_directories(context.cache_dir);
    write_run_file(cache, pretrained);  // atomic: a concurrent run reads all or nothing
  } catch (const std::exception& e) {
    warn(context, std::string("the pretrained autoencoder is not cached: ") + e.what());
  }
  return true;
}

/// Where an autoencoder pretrained with the settings of `config` on the samples of `data` (its
/// training and validation images: the same options on changed files are another pretraining)
/// is cached.
std::string pretraining_cache_path(const ConfigNode& config, const DataSplits& data,
                                   const std::string& cache_dir) {
  ConfigNode key = ConfigNode::map();
  key.set("samples",
          ConfigNode::string(samples_hash(data.train_x) + " " + samples_hash(data.val_x)));
  std::vector<std::string> sections{"seed", "device", "data", "model", "objective", "trainer"};
  for (const std::string& section :
       model_declaration(config.find("model.name")->as_string()).sections)
    sections.push_back(section);
  for (const std::string& section : sections)
    if (const ConfigNode* node = config.get(section)) key.set(section, *node);
  // The test images play no part in pretraining: runs that measure on fewer share it.
  if (ConfigNode* data_section = key.get("data"); data_section && data_section->is_map())
    data_section->remove("test_subset");
  return cache_dir + "/pretrained-" + short_hash(yaml_for_hashing(key), 16) + ".h5";
}

}  // namespace

std::shared_ptr<ModelImpl> pretrained_autoencoder(
    const ConfigNode& config, const TrainerOptions& trainer,
    const std::function<std::shared_ptr<ModelImpl>()>& build, const DataSplits& on_device,
    const std::string& note, const RunContext& context, RunRecord& record) {
  const std::string cache = pretraining_cache_path(config, on_device, context.cache_dir);
  std::shared_ptr<ModelImpl> model = build();
  auto from_cache = [&] {
    if (!load_cached(*model, cache, on_device.train_x.device(), context, record)) return false;
    record.notes["encoder"] =
        note + " (by an earlier run with the same pretraining settings, cached in " + cache + ")";
    return true;
  };
  if (from_cache()) return model;
  // Another worker of the sweep may be pretraining the same autoencoder now: its cache is awaited
  // rather than the same training done twice at once. (A cache there already is damaged:
  // load_cached said so, and this run pretrains anew.)
  std::optional<FileLock> one_pretraining;
  bool damaged = std::filesystem::exists(cache);
  if (!damaged) {
    std::error_code ignored;
    std::filesystem::create_directories(context.cache_dir, ignored);
    one_pretraining.emplace(cache + ".lock", [&] {
      say(context, "waiting for another run that pretrains the same autoencoder (" + cache + ")");
    });
    if (std::filesystem::exists(cache)) {  // pretrained while this run waited
      if (from_cache()) return model;
      damaged = true;
    }
  }
  if (damaged) model = build();  // a failed load may have set some weights: from the seed again
  if (!pretrain_and_cache(*model, config, trainer, on_device, cache, context, record))
    return nullptr;
  record.notes["encoder"] = note + " (in this run; cached in " + cache + ")";
  return model;
}

}  // namespace aelab
