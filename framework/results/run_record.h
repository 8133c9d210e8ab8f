// What one run produced, independent of how it is stored: status, provenance, per-epoch
// history, final metrics, the PCA baseline, images, float arrays and the trained weights.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "framework/core/error.h"

namespace aelab {

/// An image array (N x C x H x W, or a grid), pixels 0..255.
struct ImageArray {
  std::vector<uint8_t> pixels;
  std::vector<uint64_t> shape;
};

/// A float array of any shape (ROC points, per-image scores, confusion matrices, label maps).
struct FloatArray {
  std::vector<double> values;  ///< row-major
  std::vector<uint64_t> shape;
};

/// Metrics by split (`train`, `val`, `test`) then by name (`mse`, `sse`, `psnr`).
using MetricTable = std::map<std::string, std::map<std::string, double>>;

/// Everything recorded about a run.
struct RunRecord {
  std::string run_id;
  std::string config_yaml;  ///< the fully resolved config
  std::string overrides;    ///< the job's overrides, space-separated
  std::string status;       ///< completed, diverged, failed or interrupted
  std::string error;        ///< empty unless failed, diverged or interrupted
  int64_t seed = 0;
  double wall_seconds = 0;
  std::string device;
  std::string torch_version;
  std::string blas;  ///< the BLAS and its kernels (`OpenBLAS 0.3.21 SkylakeX`), "" when unknown
  std::string git_commit;
  std::string host;  ///< the machine the run ran on (its host name)
  /// DataSplits::content_hash() of the data the run was trained and tested on; "" where the
  /// run file predates it or the run loaded none.
  std::string data_hash;
  std::string written_at;  ///< when the file was written, UTC `2026-12-06T09:12:03Z` (on reading)
  int64_t threads = 1;
  /// split -> metric -> one value per epoch
  std::map<std::string, std::map<std::string, std::vector<double>>> history;
  MetricTable metrics;
  /// baseline name (`pca`) -> split -> metric
  std::map<std::string, MetricTable> baselines;
  std::map<std::string, ImageArray> images;
  std::map<std::string, FloatArray> arrays;
  /// Facts a reader must know to read the metrics right (an anomaly run's `threshold`: which
  /// threshold was used and why), as strings under `/notes/<name>`.
  std::map<std::string, std::string> notes;
  /// Config-group choices (group -> option: model -> linear_ae), recorded, not hashed.
  std::map<std::string, std::string> choices;
  /// The trained model's weights: the bytes of a LibTorch archive (Module::save), empty when
  /// the run holds no model.
  std::vector<uint8_t> model_state;
  std::vector<int64_t> model_input_shape;  ///< the sample shape [C, H, W] it was built for
};

/// Writes `record` to `path` atomically (temporary name, then rename).
void write_run_file(const std::string& path, const RunRecord& record);

/// Reads everything in a run file: attributes, choices, history, metrics, baselines, images,
/// arrays and the model. Groups a file lacks (files before /choices, /arrays, /model) stay
/// empty. Throws DataError when it is not a run file.
RunRecord read_run_file(const std::string& path);

/// A run file that cannot be read back whole. Its message ends with what a reader of the results
/// does about it; problem() is the message without that, for the runner, which moves the file
/// aside itself and says so.
class DamagedRunFile : public DataError {
 public:
  /// `problem` with the advice for the file at `path` (one in a results folder's runs/, or not).
  DamagedRunFile(const std::string& path, const std::string& problem);
  const std::string& problem() const { return problem_; }

 private:
  std::string problem_;
};

/// Reads what tables need: the attributes, group choices, metrics and baselines; no history,
/// images, arrays or weights. Throws DamagedRunFile when it is not a whole run file.
RunRecord read_run_summary(const std::string& path);

/// The status attribute of a run file, or "" when the file is missing or unreadable.
std::string run_file_status(const std::string& path);

/// Rewrites `<results_dir>/summary.h5` atomically: an external link `/runs/<run_id>` to the root
/// of every run file under `runs/`.
void write_summary(const std::string& results_dir, const std::string& sweep_name);

}  // namespace aelab
