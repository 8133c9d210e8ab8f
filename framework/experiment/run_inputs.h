// What every experiment needs before it trains: the data on its device, the PCA basis of the
// dataset (cached), a model built from the config, and the image arrays it records.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "framework/baselines/pca.h"
#include "framework/data/dataset.h"
#include "framework/experiment/experiment.h"
#include "framework/models/model.h"
#include "framework/models/noise/noise_model.h"

namespace aelab {

/// ConfigError unless `data`'s training samples carry two classes or more: `purpose` (such as
/// "transfer learning needs class labels") says what needs them, at data.name.
void require_classes(const ConfigNode& config, const DataSplits& data, const std::string& purpose);

/// Loads the `data:` section's dataset (on the CPU).
DataSplits load_data(const ConfigNode& config);

/// Records what a run file keeps of its data: the hash of its splits (data_hash) and, where it
/// has classes, their names in class order (note `classes`: the dataset's names, the labels of
/// the data's files where those are not 0..K-1, else 0..K-1).
void record_data_facts(const DataSplits& data, RunRecord& record);

/// Path of the cached PCA basis of the training samples `train_x`, keyed by their values: the
/// same samples share it whatever the config that loaded them, and changed files get their own.
std::string pca_cache_path(const torch::Tensor& train_x, const std::string& cache_dir);

/// The dataset's PCA basis (of the training split), as build_model asks for it: loaded from
/// the cache or fitted the first time it is called, then kept. `data` must outlive it.
PcaSource lazy_dataset_pca(const DataSplits& data, const std::string& cache_dir);

/// Builds the `model:` section's model for samples of `input_shape` (torch seeded from `seed`
/// first), reading any section it needs from `config`.
std::shared_ptr<ModelImpl> build_model(const ConfigNode& config,
                                       const std::vector<int64_t>& input_shape,
                                       const PcaSource& pca_basis);

/// The same model, built only to receive saved weights (nothing fitted).
std::shared_ptr<ModelImpl> build_model_for_loading(const ConfigNode& config,
                                                   const std::vector<int64_t>& input_shape);

/// The `noise:` section's noise model (`none` when the config has no such section).
std::shared_ptr<NoiseModel> build_noise(const ConfigNode& config);

/// The first `count` images of a batch as uint8 pixels [N, C, H, W].
ImageArray to_image_array(const torch::Tensor& images, int64_t count);

/// A tensor of any shape as a float array for `/arrays/<name>`.
FloatArray to_float_array(const torch::Tensor& values);

}  // namespace aelab
