// The HDF5 layout of one run file (see results/README.md).
#include <algorithm>
#include <ctime>
#include <filesystem>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "framework/results/hdf5_file.h"
#include "framework/results/run_record.h"

namespace aelab {
namespace {

void write_table(Hdf5File& file, const std::string& prefix, const MetricTable& table) {
  for (const auto& [split, metrics] : table)
    for (const auto& [name, value] : metrics)
      file.write_doubles(prefix + "/" + split + "/" + name, {value}, {});
}

MetricTable read_table(const Hdf5File& file, const std::string& prefix) {
  MetricTable table;
  for (const auto& split : file.members(prefix))
    for (const auto& name : file.members(prefix + "/" + split))
      if (auto values = file.read_doubles(prefix + "/" + split + "/" + name);
          values && !values->empty())
        table[split][name] = values->front();
  return table;
}

/// Now, in UTC, as ISO 8601 to the second: `2026-12-06T09:12:03Z`.
std::string utc_now_text() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

void write_run_file(const std::string& path, const RunRecord& record) {
  write_hdf5_atomically(path, [&](Hdf5File& file) {
    file.set_attribute("run_id", record.run_id);
    file.set_attribute("config_yaml", record.config_yaml);
    file.set_attribute("overrides", record.overrides);
    file.set_attribute("status", record.status);
    file.set_attribute("error", record.error);
    file.set_attribute("seed", record.seed);
    file.set_attribute("wall_seconds", record.wall_seconds);
    file.set_attribute("device", record.device);
    file.set_attribute("torch_version", record.torch_version);
    file.set_attribute("blas", record.blas);
    file.set_attribute("git_commit", record.git_commit);
    file.set_attribute("host", record.host);
    if (!record.data_hash.empty()) file.set_attribute("data_hash", record.data_hash);
    file.set_attribute("written_at", utc_now_text());
    file.set_attribute("threads", record.threads);
    for (const auto& [split, metrics] : record.history)
      for (const auto& [name, values] : metrics)
        file.write_doubles("/history/" + split + "/" + name, values, {values.size()});
    write_table(file, "/metrics", record.metrics);
    for (const auto& [baseline, table] : record.baselines)
      write_table(file, "/baseline/" + baseline, table);
    for (const auto& [name, image] : record.images)
      file.write_bytes("/images/" + name, image.pixels, image.shape);
    for (const auto& [name, array] : record.arrays)
      file.write_doubles("/arrays/" + name, array.values, array.shape);
    for (const auto& [group, option] : record.choices)
      file.write_string("/choices/" + group, option);
    for (const auto& [name, text] : record.notes) file.write_string("/notes/" + name, text);
    if (!record.model_state.empty()) {
      file.write_bytes("/model/state", record.model_state, {record.model_state.size()});
      std::vector<double> shape(record.model_input_shape.begin(), record.model_input_shape.end());
      file.write_doubles("/model/input_shape", shape, {shape.size()});
    }
  });
}

namespace {

/// The root attributes, choices, metrics and baselines of an open run file.
/// DataError naming the run file and what it lacks.
[[noreturn]] void missing(const std::string& path, const std::string& what) {
  throw DamagedRunFile(path, path + ": " + what + " is missing");
}

/// A dataset the file lists but cannot read as `T` is damage, not an absent value.
template <class T>
T present(std::optional<T> value, const std::string& path, const std::string& dataset) {
  if (!value) missing(path, "a readable " + dataset);
  return std::move(*value);
}

RunRecord read_summary_of(const Hdf5File& file, const std::string& path) {
  RunRecord record;
  auto text = [&](const char* name) { return file.string_attribute(name).value_or(""); };
  auto required_text = [&](const char* name) {
    return present(file.string_attribute(name), path, std::string("attribute '") + name + "'");
  };
  auto required_number = [&](const char* name) {
    return present(file.number_attribute(name), path, std::string("attribute '") + name + "'");
  };
  record.run_id = required_text("run_id");
  record.config_yaml = required_text("config_yaml");
  record.status = required_text("status");
  record.overrides = text("overrides");
  record.error = text("error");
  record.device = text("device");
  record.torch_version = text("torch_version");
  record.blas = text("blas");
  record.data_hash = text("data_hash");
  record.git_commit = text("git_commit");
  record.host = text("host");
  record.written_at = text("written_at");
  if (record.status.empty() || record.config_yaml.empty())
    missing(path, "a status or config_yaml value");
  try {  // read back by tables and reruns: a config damaged here is a damaged run file
    parse_yaml(record.config_yaml, path + " (config_yaml)");
  } catch (const ConfigError& e) {
    throw DamagedRunFile(path, e.what());
  }
  record.seed = static_cast<int64_t>(required_number("seed"));
  record.wall_seconds = required_number("wall_seconds");
  record.threads = static_cast<int64_t>(file.number_attribute("threads").value_or(1));
  for (const auto& group : file.members("/choices"))
    record.choices[group] =
        present(file.read_string("/choices/" + group), path, "/choices/" + group);
  for (const auto& name : file.members("/notes"))
    record.notes[name] = present(file.read_string("/notes/" + name), path, "/notes/" + name);
  record.metrics = read_table(file, "/metrics");
  for (const auto& baseline : file.members("/baseline"))
    record.baselines[baseline] = read_table(file, "/baseline/" + baseline);
  // Tables read no history or images, but a file whose index of them is damaged is no whole
  // run (its figures cannot be drawn): listing them, which is cheap, finds that.
  for (const auto& split : file.members("/history")) file.members("/history/" + split);
  for (const char* group : {"/images", "/arrays"}) file.members(group);
  return record;
}

}  // namespace

DamagedRunFile::DamagedRunFile(const std::string& path, const std::string& problem)
    : DataError(problem +
                (std::filesystem::path(path).parent_path().filename() == "runs"
                     ? " (damaged or not an aelab run file: move it out of runs/ or delete it, "
                       "and run_sweep runs its job again)"
                     : " (damaged or not an aelab run file: give a run file, "
                       "results/<name>/runs/<run_id>.h5)")),
      problem_(problem) {}

namespace {

/// `read(file)` of the run file at `path`; a file HDF5 cannot open, or a dataset of the wrong
/// type, is a damaged run file too.
template <class Read>
RunRecord read_whole(const std::string& path, Read read) {
  try {
    return read(Hdf5File::open_read(path));
  } catch (const DamagedRunFile&) {
    throw;
  } catch (const DataError& e) {
    throw DamagedRunFile(path, e.what());
  }
}

}  // namespace

RunRecord read_run_summary(const std::string& path) {
  return read_whole(path, [&](const Hdf5File& file) { return read_summary_of(file, path); });
}

RunRecord read_run_file(const std::string& path) {
  return read_whole(path, [&](const Hdf5File& file) {
    RunRecord record = read_summary_of(file, path);
    for (const auto& split : file.members("/history"))
      for (const auto& name : file.members("/history/" + split))
        record.history[split][name] = present(file.read_doubles("/history/" + split + "/" + name),
                                              path, "/history/" + split + "/" + name);
    for (const auto& name : file.members("/images")) {
      ImageArray& image = record.images[name];
      image.pixels = present(file.read_bytes("/images/" + name), path, "/images/" + name);
      image.shape = file.shape("/images/" + name);
    }
    for (const auto& name : file.members("/arrays")) {
      FloatArray& array = record.arrays[name];
      array.values = present(file.read_doubles("/arrays/" + name), path, "/arrays/" + name);
      array.shape = file.shape("/arrays/" + name);
    }
    if (auto state = file.read_bytes("/model/state")) record.model_state = *state;
    if (auto shape = file.read_doubles("/model/input_shape"))
      for (double dim : *shape) record.model_input_shape.push_back(static_cast<int64_t>(dim));
    return record;
  });
}

std::string run_file_status(const std::string& path) {
  if (!std::filesystem::exists(path)) return "";
  try {
    return Hdf5File::open_read(path).string_attribute("status").value_or("");
  } catch (const Error&) {
    return "";
  }
}

void write_summary(const std::string& results_dir, const std::string& sweep_name) {
  namespace fs = std::filesystem;
  auto listed_runs = [&] {
    std::vector<std::string> run_ids;
    fs::path runs = fs::path(results_dir) / "runs";
    if (fs::is_directory(runs)) {
      // Writers rename complete files into place, so every `*.h5` here is a finished run file.
      for (const auto& entry : fs::directory_iterator(runs))
        if (entry.path().extension() == ".h5") run_ids.push_back(entry.path().stem().string());
    }
    std::sort(run_ids.begin(), run_ids.end());
    return run_ids;
  };
  // Several processes may rewrite it at once (workers whose runner died, shards): one that
  // listed the runs before another's file came may rename its summary last. Each writer looks
  // again after its rename and writes again where runs came meanwhile, so the last summary
  // renamed into place lists every run whose file was there before it.
  std::vector<std::string> run_ids = listed_runs();
  for (int attempt = 0; attempt < 5; ++attempt) {
    write_hdf5_atomically((fs::path(results_dir) / "summary.h5").string(), [&](Hdf5File& file) {
      file.set_attribute("sweep", sweep_name);
      file.set_attribute("run_count", static_cast<int64_t>(run_ids.size()));
      for (const auto& id : run_ids) file.link_external("/runs/" + id, "runs/" + id + ".h5", "/");
    });
    std::vector<std::string> now = listed_runs();
    if (now == run_ids) break;
    run_ids = std::move(now);
  }
}

}  // namespace aelab
