// PCA fit, reconstruction and its HDF5 cache.
#include "framework/baselines/pca.h"

#include <filesystem>

#include "framework/core/error.h"
#include "framework/results/hdf5_file.h"

namespace aelab {

torch::Tensor PcaBasis::encode(const torch::Tensor& batch, int64_t k) const {
  return torch::matmul(batch.flatten(1) - mean, components.slice(0, 0, k).t());
}

torch::Tensor PcaBasis::reconstruct(const torch::Tensor& batch, int64_t k) const {
  torch::Tensor flat = batch.flatten(1);
  torch::Tensor directions = components.slice(0, 0, k);
  torch::Tensor codes = torch::matmul(flat - mean, directions.t());
  return (torch::matmul(codes, directions) + mean).view(batch.sizes());
}

PcaBasis PcaBasis::to(const torch::Device& device) const {
  return PcaBasis{mean.to(device, torch::kFloat32), components.to(device, torch::kFloat32),
                  singular_values.to(device, torch::kFloat32)};
}

PcaBasis fit_pca(const torch::Tensor& samples) {
  torch::Tensor x = samples.flatten(1).to(torch::kCPU, torch::kFloat64);
  torch::Tensor mean = x.mean(0);
  auto [u, s, vh] = torch::linalg_svd(x - mean, /*full_matrices=*/false);
  (void)u;
  return PcaBasis{mean.to(torch::kFloat32), vh.to(torch::kFloat32), s.to(torch::kFloat32)};
}

namespace {

std::vector<double> as_doubles(const torch::Tensor& t) {
  torch::Tensor flat = t.to(torch::kCPU, torch::kFloat64).contiguous().flatten();
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

torch::Tensor from_doubles(const std::vector<double>& values, std::vector<int64_t> shape) {
  return torch::tensor(values, torch::kFloat64).view(shape).to(torch::kFloat32);
}

}  // namespace

std::optional<PcaBasis> load_cached_pca(const std::string& cache_path, int64_t features) {
  if (!std::filesystem::exists(cache_path)) return std::nullopt;
  Hdf5File file = Hdf5File::open_read(cache_path);
  auto components = file.read_doubles("/components");
  auto mean = file.read_doubles("/mean");
  auto singular = file.read_doubles("/singular_values");
  auto shape = file.shape("/components");
  if (components && mean && singular && shape.size() == 2 &&
      static_cast<int64_t>(shape[1]) == features) {
    int64_t rank = static_cast<int64_t>(shape[0]);
    return PcaBasis{from_doubles(*mean, {features}), from_doubles(*components, {rank, features}),
                    from_doubles(*singular, {rank})};
  }
  throw DataError(cache_path + ": not a PCA cache for this dataset; delete it to refit");
}

void cache_pca(const PcaBasis& basis, const std::string& cache_path) {
  std::filesystem::create_directories(std::filesystem::path(cache_path).parent_path());
  write_hdf5_atomically(cache_path, [&](Hdf5File& file) {
    file.write_doubles("/mean", as_doubles(basis.mean), {uint64_t(basis.mean.size(0))});
    file.write_doubles("/components", as_doubles(basis.components),
                       {uint64_t(basis.components.size(0)), uint64_t(basis.components.size(1))});
    file.write_doubles("/singular_values", as_doubles(basis.singular_values),
                       {uint64_t(basis.singular_values.size(0))});
  });
}

PcaBasis load_or_fit_pca(const torch::Tensor& samples, const std::string& cache_path) {
  if (auto cached = load_cached_pca(cache_path, samples.flatten(1).size(1))) return *cached;
  PcaBasis basis = fit_pca(samples);
  cache_pca(basis, cache_path);
  return basis;
}

}  // namespace aelab
