// Trained models kept in run files: the weights as a LibTorch archive (`/model/state`), loaded
// back into an identically built model, whole or by module path (`init_from`).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "framework/core/error.h"
#include "framework/models/model.h"
#include "framework/results/run_record.h"

namespace aelab {

/// The bytes of a torch::serialize archive of `model` (what `Module::save` writes).
std::vector<uint8_t> save_model_state(torch::nn::Module& model);

/// Moves `model` to the CPU and keeps its weights and the sample shape it was built for in
/// `record` (`/model/state`, `/model/input_shape`), so load_run_model can rebuild it.
void record_model(RunRecord& record, ModelImpl& model, const std::vector<int64_t>& input_shape);

/// Saved weights that are not a LibTorch archive: the file that holds them is damaged.
class DamagedModelState : public DataError {
 public:
  using DataError::DataError;
};

/// Loads saved weights into `model`: the tensors under `prefixes` (each must match one), or all
/// when there are none. With `require_all`, every one of them must be saved (an identical
/// model); without, those the saved model lacks keep their values (a new head). Shapes must
/// agree. Returns how many tensors were loaded; `source` names the weights in errors.
/// DamagedModelState when `state` is not an archive; DataError when it does not fit.
int64_t load_model_state(torch::nn::Module& model, const std::vector<uint8_t>& state,
                         const std::vector<std::string>& prefixes, bool require_all,
                         const std::string& source);

/// The module paths of `model` (`encoder`, or `encoder.stages` where not all of the encoder
/// fits) whose every tensor `state` holds with the same shape: what trainer.init_modules can
/// take from weights of a model built otherwise. Empty when `state` is not an archive.
std::vector<std::string> matching_modules(torch::nn::Module& model,
                                          const std::vector<uint8_t>& state);

/// The run file a reference names: a path to a `.h5` file, or a run id in `<results_dir>/runs/`.
/// DataError starting with `key` (the option that gave it) when it does not exist.
std::string resolve_run_reference(const std::string& reference, const std::string& results_dir,
                                  const std::string& key = "trainer.init_from");

/// The run file `path` that the option `key` names, read; DataError starting with `key` when it
/// is no readable run file.
RunRecord read_referenced_run(const std::string& path, const std::string& key);

/// The model a completed run file holds, rebuilt from its config and loaded with its weights,
/// in eval mode on the CPU. DataError when the run holds no model.
std::shared_ptr<ModelImpl> load_run_model(const std::string& run_file);

}  // namespace aelab
