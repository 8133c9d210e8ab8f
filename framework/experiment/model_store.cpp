// Saving and loading model weights.
#include "framework/experiment/model_store.h"

#include <filesystem>
#include <map>
#include <sstream>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/experiment/run_inputs.h"
#include "framework/results/run_record.h"
#include "framework/train/optimizer.h"

namespace aelab {
namespace {

/// The tensor at dotted `name` of an archive that Module::save wrote (one sub-archive per
/// submodule); false when absent.
bool read_tensor(torch::serialize::InputArchive& archive, const std::string& name,
                 torch::Tensor& out, bool is_buffer) {
  size_t dot = name.find('.');
  if (dot == std::string::npos) return archive.try_read(name, out, is_buffer);
  torch::serialize::InputArchive child;
  if (!archive.try_read(name.substr(0, dot), child)) return false;
  return read_tensor(child, name.substr(dot + 1), out, is_buffer);
}

}  // namespace

std::vector<uint8_t> save_model_state(torch::nn::Module& model) {
  torch::serialize::OutputArchive archive;
  model.save(archive);
  std::ostringstream stream;
  archive.save_to(stream);
  std::string bytes = stream.str();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

void record_model(RunRecord& record, ModelImpl& model, const std::vector<int64_t>& input_shape) {
  model.to(torch::kCPU);
  record.model_state = save_model_state(model);
  record.model_input_shape = input_shape;
}

int64_t load_model_state(torch::nn::Module& model, const std::vector<uint8_t>& state,
                         const std::vector<std::string>& prefixes, bool require_all,
                         const std::string& source) {
  std::istringstream stream(std::string(state.begin(), state.end()));
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(stream, torch::Device(torch::kCPU));
  } catch (const c10::Error& e) {
    const std::string why = e.what_without_backtrace();
    throw DamagedModelState(source + ": the saved model weights are not a LibTorch archive (" +
                            why.substr(0, why.find('\n')) +
                            "); the file is damaged: rerun the run that wrote it");
  }
  std::vector<bool> used(prefixes.size(), false);
  int64_t loaded = 0;
  torch::NoGradGuard no_grad;
  auto take = [&](const std::string& name, torch::Tensor& tensor, bool is_buffer) {
    bool wanted = prefixes.empty();
    for (size_t p = 0; p < prefixes.size(); ++p)
      if (under_prefix(name, prefixes[p])) wanted = used[p] = true;
    if (!wanted) return;
    torch::Tensor saved;
    if (!read_tensor(archive, name, saved, is_buffer)) {
      if (require_all)
        throw DataError(source + ": the saved model has no '" + name +
                        "': it was built from another config");
      return;
    }
    if (saved.sizes() != tensor.sizes())
      throw DataError(source + ": '" + name + "' was saved with shape " + c10::str(saved.sizes()) +
                      ", the model has " + c10::str(tensor.sizes()));
    tensor.copy_(saved);
    ++loaded;
  };
  for (auto& parameter : model.named_parameters()) take(parameter.key(), parameter.value(), false);
  for (auto& buffer : model.named_buffers()) take(buffer.key(), buffer.value(), true);
  for (size_t p = 0; p < prefixes.size(); ++p)
    if (!used[p])
      throw ConfigError("trainer.init_modules: '" + prefixes[p] +
                        "' names no parameter of the model");
  if (loaded == 0) throw DataError(source + ": no saved tensor matches the model");
  return loaded;
}

std::vector<std::string> matching_modules(torch::nn::Module& model,
                                          const std::vector<uint8_t>& state) {
  std::istringstream stream(std::string(state.begin(), state.end()));
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(stream, torch::Device(torch::kCPU));
  } catch (const c10::Error&) {
    return {};
  }
  // Whether every tensor under a module path, one or two parts deep, is saved in its shape.
  std::map<std::string, bool> fits;
  auto check = [&](const std::string& name, const torch::Tensor& tensor, bool is_buffer) {
    torch::Tensor saved;
    const bool same =
        read_tensor(archive, name, saved, is_buffer) && saved.sizes() == tensor.sizes();
    size_t end = name.find('.');
    for (int depth = 0; depth < 2 && end != std::string::npos; ++depth) {
      auto [it, fresh] = fits.emplace(name.substr(0, end), same);
      if (!fresh) it->second = it->second && same;
      end = name.find('.', end + 1);
    }
  };
  for (auto& parameter : model.named_parameters()) check(parameter.key(), parameter.value(), false);
  for (auto& buffer : model.named_buffers()) check(buffer.key(), buffer.value(), true);
  std::vector<std::string> out;  // the widest paths that fit, in alphabetical order
  for (const auto& [path, fit] : fits) {
    const size_t dot = path.find('.');
    const bool parent_fits = dot != std::string::npos && fits.at(path.substr(0, dot));
    if (fit && !parent_fits) out.push_back(path);
  }
  return out;
}

std::string resolve_run_reference(const std::string& reference, const std::string& results_dir,
                                  const std::string& key) {
  if (reference.empty())
    throw DataError(key + ": empty (give a run id of this results folder or a run file path)");
  bool is_path = reference.find('/') != std::string::npos ||
                 std::filesystem::path(reference).extension() == ".h5";
  std::string path = is_path ? reference : results_dir + "/runs/" + reference + ".h5";
  std::error_code unreadable;  // a folder that cannot be looked into is "not found" below
  if (std::filesystem::is_directory(path, unreadable)) {
    const std::string folder = path.substr(0, path.find_last_not_of('/') + 1);
    throw DataError(key + ": " + path + " is a folder; give one run file in it (" +
                    (std::filesystem::is_directory(folder + "/runs", unreadable)
                         ? folder + "/runs/<run id>.h5"
                         : folder + "/<run id>.h5") +
                    ") or a run id of this results folder");
  }
  if (!std::filesystem::is_regular_file(path, unreadable))
    throw DataError(key + ": " + path +
                    " not found (give a run id of this results folder or a run file path)");
  return path;
}

RunRecord read_referenced_run(const std::string& path, const std::string& key) {
  try {
    return read_run_file(path);
  } catch (const DataError& e) {
    throw DataError(key + ": " + e.what());
  }
}

std::shared_ptr<ModelImpl> load_run_model(const std::string& run_file) {
  RunRecord record = read_run_file(run_file);
  if (record.model_state.empty())
    throw DataError(run_file + ": holds no model weights (status " + record.status + ")");
  ConfigNode config = parse_yaml(record.config_yaml, run_file);
  std::shared_ptr<ModelImpl> model;
  const ConfigNode* experiment = config.find("experiment.name");
  const auto saved =
      experiment ? experiment_declaration(experiment->as_string()).saved_model : nullptr;
  if (saved) {
    try {
      model = saved(config, record);
    } catch (const DataError& e) {
      throw DataError(run_file + ": " + e.what());
    }
  }
  if (!model) model = build_model_for_loading(config, record.model_input_shape);
  load_model_state(*model, record.model_state, {}, /*require_all=*/true, run_file);
  model->eval();
  return model;
}

}  // namespace aelab
