// Checks before the first job: folders, devices, datasets and each job's model on its data.
#include "framework/sweep/checks/preflight.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "framework/core/error.h"
#include "framework/core/error_message.h"
#include "framework/core/suggest.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"
#include "framework/experiment/training.h"
#include "framework/models/encoder.h"
#include "framework/sweep/checks/writable_folder.h"
#include "framework/train/device.h"

namespace aelab {

namespace {

/// The dotted key a message starts with (`model.latent_dim` of `model.latent_dim: ...`), or "".
/// For a key within a list (`trainer.param_groups[0].params`), the list's key.
std::string leading_key(const std::string& message) {
  const size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  const std::string key = message.substr(0, colon);
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string("_.[]").find(c) == std::string::npos)
      return "";
  return key.substr(0, key.find('['));
}

/// A dataset loaded once for the jobs that share its `data:` section.
struct LoadedData {
  DataSplits splits;
  std::optional<PcaBasis> basis;
  std::string cache_path;  ///< where the basis goes once every job passed ("" when it is there)
  std::string line;        ///< what it holds, said once every job passed (an error stands alone)
};

/// The options of `sections` that the job's overrides set (a value marked by an override, not
/// by a file's line), as (dotted key, value), in the sections' order.
std::vector<std::pair<std::string, const ConfigNode*>> set_by_overrides(
    const Job& job, const std::vector<std::string>& sections) {
  std::vector<std::pair<std::string, const ConfigNode*>> out;
  for (const std::string& section : sections)
    if (const ConfigNode* node = job.config.get(section); node && node->is_map())
      for (const auto& [key, value] : node->entries())
        if (value.mark.line == 0 && !value.mark.origin.empty())
          out.emplace_back(section + "." + key, &value);
  return out;
}

/// Loads a job's dataset (and, when its experiment uses one, its PCA basis: from the cache, or
/// fitted to be cached once every check passed, where `caches`), with a line on what it found.
LoadedData load_for(const Job& job, const std::string& cache_dir, bool caches) {
  LoadedData loaded{load_data(job.config), std::nullopt, "", ""};
  const DataSplits& data = loaded.splits;
  for (const char* split : {"train", "val", "test"}) {  // once per dataset, before any PCA fit
    const torch::Tensor samples = data.split(split).x;
    if (samples.numel() > 0 && !torch::isfinite(samples).all().item<bool>()) {
      // The data's options that overrides set are the likely cause: named as a hint (a damaged
      // file is another cause, so none of them is blamed outright).
      std::vector<std::string> overridden;
      for (const auto& [key, value] : set_by_overrides(job, {"data"})) overridden.push_back(key);
      throw ConfigError(fmt::format(
          "data: the {} split of data.name={} holds values that are not finite (NaN or inf), "
          "which no model can learn from (check {}the data's options: --cfg job shows them)",
          split, job.config.find("data.name")->as_string(),
          overridden.empty()
              ? ""
              : fmt::format("{}, which overrides set, and ", fmt::join(overridden, ", "))));
    }
  }
  std::string line = fmt::format("data {}: {} train / {} val / {} test samples of shape [{}]",
                                 job.config.find("data.name")->as_string(), data.train_x.size(0),
                                 data.val_x.size(0), data.test_x.size(0),
                                 fmt::format("{}", fmt::join(data.sample_shape(), ",")));
  if (experiment_declaration_of(job.config).fits_pca) {
    const std::string cache = pca_cache_path(data.train_x, cache_dir);
    std::string damaged;
    loaded.basis = load_cached_pca(cache, data.train_x.flatten(1).size(1), &damaged);
    if (!damaged.empty())
      std::fputs(fmt::format("warning: {}: {}; it is only a cache: the PCA basis is fitted "
                             "again\n",
                             cache, damaged)
                     .c_str(),
                 stderr);
    if (!loaded.basis) {
      loaded.basis = fit_pca(data.train_x);
      loaded.cache_path = cache;
    }
    const char* how = loaded.cache_path.empty() ? "from cache"
                      : caches                  ? "fitted, cached once every job is checked, at"
                               : "fitted (a dry run caches nothing), as none is cached yet at";
    line += fmt::format("; PCA basis {} {}", how, cache);
  }
  loaded.line = std::move(line);
  return loaded;
}

/// The first line of an exception's message (LibTorch's without its backtrace).
std::string first_line_of(const std::exception& e) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  const std::string message = torch_error ? torch_error->what_without_backtrace() : e.what();
  return message.substr(0, message.find('\n'));
}

/// Where building a job's model failed for want of memory (`message`: LibTorch's first line),
/// what to say: the sizes the job's overrides set in the model's sections (whole numbers, or
/// lists of them) are the likely cause, the largest first (`prior.components=100000000`); ""
/// for any other failure.
std::string too_large_for_memory(const Job& job, const std::string& message) {
  const std::string lower = lowercase(message);
  const size_t at = lower.find("tried to allocate ");
  if (at == std::string::npos && lower.find("out of memory") == std::string::npos &&
      lower.find("bad_alloc") == std::string::npos)
    return "";
  std::string wanted;
  if (at != std::string::npos) {
    const double bytes = std::strtod(message.c_str() + at + 18, nullptr);
    if (bytes > 0) wanted = fmt::format(" ({:.3g} GB for one tensor)", bytes / 1e9);
  }
  // Each size override with its largest number: `encoder.hidden=[100000, 64]` counts 100000.
  std::vector<std::pair<double, std::string>> sizes;
  for (const auto& [key, value] : set_by_overrides(job, {"model", "encoder", "decoder", "prior"})) {
    double largest = -1;
    if (value->kind() == ConfigNode::Kind::kInt) largest = static_cast<double>(value->as_int());
    if (value->is_list())
      for (const auto& item : value->items())
        if (item.kind() == ConfigNode::Kind::kInt)
          largest = std::max(largest, static_cast<double>(item.as_int()));
    if (largest >= 0) sizes.emplace_back(largest, key + "=" + value->text());
  }
  std::stable_sort(sizes.begin(), sizes.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> named;
  for (const auto& size : sizes) named.push_back(size.second);
  // Said of the largest (the error's place is then its override), else of the model.
  return fmt::format(
      "{}: building the model takes more memory than this machine has{}: check its sizes{}",
      named.empty() ? "model" : named.front().substr(0, named.front().find('=')), wanted,
      named.empty() ? std::string(" (run_sweep --cfg job shows them)")
                    : fmt::format(", such as those the overrides set: {}", fmt::join(named, ", ")));
}

/// Where a model built for the data failed forward because its decoder cannot take what its
/// encoder gives (an encoder of one's own whose codes are not model.latent_dim wide), what to
/// say, naming the encoder; "" where the encoder is not to blame.
std::string encoder_blamed(ModelImpl& model, const Batch& probe, const Job& job,
                           const std::string& message) {
  std::shared_ptr<EncoderImpl> encoder;
  for (const auto& child : model.named_children())
    if (child.key() == "encoder") encoder = std::dynamic_pointer_cast<EncoderImpl>(child.value());
  const ConfigNode* name = job.config.find("encoder.name");
  const ConfigNode* latent_dim = job.config.find("model.latent_dim");
  if (!encoder || !name || !latent_dim) return "";
  torch::Tensor code;
  try {
    torch::NoGradGuard no_grad;
    code = encoder->forward(probe.x);
  } catch (const std::exception&) {
    return "";  // the encoder fails on the data itself: the model's message says so
  }
  // Codes of latent_dim (a VAE's encoder gives twice that, its means and log-variances).
  const int64_t k = latent_dim->kind() == ConfigNode::Kind::kInt ? latent_dim->as_int() : -1;
  if (code.dim() == 2 && (code.size(1) == k || code.size(1) == 2 * k)) return "";
  return fmt::format(
      "encoder.name: encoder '{}' gives codes of shape [{}] for {} samples, which the rest of "
      "the model cannot take (model.latent_dim is {}; each registered encoder gives [N, "
      "latent_dim], as tests/models/conformance_test.cpp checks): {}",
      name->text(), fmt::join(code.sizes(), ","), probe.x.size(0), latent_dim->text(), message);
}

/// The job's model, built for the dataset's samples and run forward on two of them, and what
/// its training would set up on it.
void probe_model(const Job& job, LoadedData& loaded, const std::string& results_dir) {
  const DataSplits& data = loaded.splits;
  auto basis = [&]() -> const PcaBasis& {
    if (!loaded.basis) loaded.basis = fit_pca(data.train_x);
    return *loaded.basis;
  };
  std::shared_ptr<ModelImpl> model;
  const Batch probe{data.train_x.slice(0, 0, 2),
                    data.train_y.defined() ? data.train_y.slice(0, 0, 2) : torch::Tensor()};
  ModelOutputs outputs;
  try {
    torch::NoGradGuard no_grad;
    model = build_model(job.config, data.sample_shape(), basis);
    model->eval();
    outputs = model->forward(probe.x);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {  // LibTorch's errors, or any other, said in one line
    if (const std::string sizes = too_large_for_memory(job, first_line_of(e)); !sizes.empty())
      throw ConfigError(sizes);
    if (model)
      if (const std::string blamed = encoder_blamed(*model, probe, job, first_line_of(e));
          !blamed.empty())
        throw ConfigError(blamed);
    throw ConfigError(
        fmt::format("model: this model cannot take samples of shape [{}] from "
                    "data.name={}: {}",
                    fmt::join(data.sample_shape(), ","), job.config.find("data.name")->as_string(),
                    first_line_of(e)));
  }
  if (job.config.get("noise")) build_noise(job.config)->check_samples(data.sample_shape());
  if (const ConfigNode* objective = job.config.get("objective")) {
    try {  // what the run's training minimizes, on what the model gives
      torch::NoGradGuard no_grad;
      reconstruction_objective(*model, job.config)->loss(*model, outputs, probe);
    } catch (const ConfigError&) {
      throw;
    } catch (const std::exception& e) {
      throw ConfigError(fmt::format("objective.name: {} does not fit this experiment's model: {}",
                                    objective->get("name")->text(), first_line_of(e)));
    }
  }
  if (const ConfigNode* trainer = job.config.get("trainer"))
    check_training_setup(*model, decode_options<TrainerOptions>(*trainer, "trainer"), results_dir);
}

/// What a job's training does that its config may not mean: no epoch at all, or one step per
/// epoch because the batch holds the whole training split.
std::vector<std::string> training_notes(const Job& job, const DataSplits& data) {
  const ConfigNode* trainer = job.config.get("trainer");
  // None where the run trains nothing on it (PCA, or a transfer from a trained encoder).
  if (!trainer || !trainer->get("epochs") || !trainer->get("batch_size")) return {};
  const TrainerOptions options = decode_options<TrainerOptions>(*trainer, "trainer");
  std::vector<std::string> notes;
  if (options.epochs == 0)
    notes.push_back("trainer.epochs=0: the model is tested as initialized, without training");
  const int64_t samples = data.train_x.size(0);
  if (options.epochs > 0 && options.batch_size > samples)
    notes.push_back(fmt::format(
        "trainer.batch_size={} is more than the {} training samples of data.name={}: each epoch "
        "is one optimizer step",
        options.batch_size, samples, job.config.find("data.name")->as_string()));
  return notes;
}

/// Everything a job needs from its dataset: splits to train and test on, what its experiment
/// checks, and a model that fits the samples.
void check_job_on_data(const Job& job, LoadedData& loaded, const std::string& results_dir) {
  if (loaded.splits.test_x.size(0) == 0)
    throw ConfigError("data: the test split of data.name=" +
                      job.config.find("data.name")->as_string() + " is empty");
  const ExperimentDeclaration& declaration = experiment_declaration_of(job.config);
  if (declaration.check_data) declaration.check_data(job.config, loaded.splits, results_dir);
  probe_model(job, loaded, results_dir);
}

/// Runs `check` for `job`, turning its error into a ConfigError that names the key and the job.
template <class Check>
void checked(const Job& job, bool several_jobs, Check&& check) {
  try {
    check();
  } catch (const Error& e) {
    throw ConfigError(job_error(job, e.what(), several_jobs));
  } catch (const std::exception& e) {  // a file system error while reading the job's data
    throw ConfigError(job_error(job, one_line_message(e), several_jobs));
  }
}

}  // namespace

std::string job_error(const Job& job, const std::string& message, bool several_jobs) {
  std::string out = message;
  const std::string key = leading_key(message);
  if (const ConfigNode* node = key.empty() ? nullptr : job.config.find(key)) {
    const std::string where = node->mark.describe();
    if (!where.empty() && message.rfind(where, 0) != 0) out = where + ": " + message;
  }
  if (several_jobs) out += fmt::format(" [in job #{}: {}]", job.index, job.spec.describe());
  return out;
}

void preflight(const std::vector<const Job*>& pending, const std::string& cache_dir,
               const std::string& results_dir, const PreflightScope& scope) {
  if (pending.empty()) return;
  const bool several = pending.size() > 1;
  for (const Job* job : pending)
    if (experiment_declaration_of(job->config).fits_pca) {
      check_writable_folder(cache_dir, "cache folder (--cache-dir or AELAB_CACHE_DIR)");
      break;
    }
  if (scope.devices_here)
    for (const Job* job : pending)
      checked(*job, several, [&] { resolve_device(job->config.get("device")->as_string()); });
  if (!scope.loads_data) return;

  std::map<std::string, std::vector<const Job*>> by_data;
  std::vector<std::string> order;
  for (const Job* job : pending) {
    std::string key = to_yaml(*job->config.get("data")) +
                      (experiment_declaration_of(job->config).fits_pca ? "+" : "");
    if (!by_data.count(key)) order.push_back(key);
    by_data[key].push_back(job);
  }
  std::vector<std::pair<std::string, PcaBasis>> to_cache;  // written once every job passed
  std::vector<std::string> notes;                          // each said once, in job order
  std::vector<std::string> data_lines;                     // each dataset's, in job order
  for (const auto& key : order) {
    const std::vector<const Job*>& jobs = by_data[key];
    std::optional<LoadedData> loaded;
    checked(*jobs.front(), several,
            [&] { loaded = load_for(*jobs.front(), cache_dir, scope.caches_pca); });
    data_lines.push_back(loaded->line);
    for (const Job* job : jobs) {
      checked(*job, several, [&] { check_job_on_data(*job, *loaded, results_dir); });
      std::vector<std::string> job_notes = training_notes(*job, loaded->splits);
      const ExperimentDeclaration& declaration = experiment_declaration_of(job->config);
      if (declaration.data_warnings)
        for (auto& note : declaration.data_warnings(job->config, loaded->splits))
          job_notes.push_back(note);
      const auto& pca_warnings = declaration.pca_warnings;
      if (!scope.runs_follow && loaded->basis && pca_warnings)
        for (auto& note :
             pca_warnings(job->config, loaded->basis->rank(), loaded->basis->features()))
          job_notes.push_back(note);
      for (auto& note : job_notes)
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
    }
    if (!loaded->cache_path.empty()) to_cache.emplace_back(loaded->cache_path, *loaded->basis);
  }
  if (scope.says_data) {
    for (const auto& line : data_lines) std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
  }
  for (const auto& note : notes) std::fputs(("warning: " + note + "\n").c_str(), stderr);
  if (scope.caches_pca)
    for (const auto& [path, basis] : to_cache) cache_pca(basis, path);
}

}  // namespace aelab
