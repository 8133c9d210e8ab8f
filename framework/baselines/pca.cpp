// PCA fit, reconstruction and its HDF5 cache.
#include "framework/baselines/pca.h"

#include <algorithm>
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

namespace {

/// The largest feature count fitted through the covariance matrix: its eigendecomposition
/// costs O(D^3), which beyond this outgrows the SVD's O(N D^2) for datasets of this kind.
constexpr int64_t kMaxCovarianceFeatures = 4096;

/// Rows centred and multiplied per chunk, in buffers allocated once: each fresh allocation of
/// a chunk (or a copy of the whole data) is first touched page by page, and those page faults
/// took longer than the products.
constexpr int64_t kScatterChunkRows = 4096;

/// The mean of the rows of `x` [N, D] in float64, from per-chunk sums in the input's type:
/// `mean(0, kFloat64)` would first convert the whole data to a float64 copy.
torch::Tensor column_mean(const torch::Tensor& x) {
  torch::Tensor sum = torch::zeros({x.size(1)}, torch::kFloat64);
  for (int64_t begin = 0; begin < x.size(0); begin += kScatterChunkRows)
    sum.add_(x.slice(0, begin, std::min(x.size(0), begin + kScatterChunkRows)).sum(0));
  return sum / static_cast<double>(x.size(0));
}

/// The scatter matrix X^T X of the rows of `x` [N, D] less `mean`, in float64. The products run
/// in float32 (float64 for float64 input; scikit-learn's PCA of float32 data is float32 too) on
/// chunks of rows, each chunk's product added in float64. The matrix is symmetric: with the
/// columns cut in two halves, three of the four blocks are multiplied and the lower left one is
/// the transpose of the upper right.
torch::Tensor scatter_matrix(const torch::Tensor& x, const torch::Tensor& mean) {
  const auto precision = x.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
  const auto options = torch::TensorOptions().dtype(precision);
  const int64_t n = x.size(0), d = x.size(1), half = d / 2;
  const torch::Tensor centre = mean.to(precision);
  torch::Tensor scatter = torch::zeros({d, d}, torch::kFloat64);
  torch::Tensor top = scatter.slice(0, 0, half), bottom = scatter.slice(0, half, d);
  torch::Tensor buffer = torch::empty({std::min(n, kScatterChunkRows), d}, options);
  torch::Tensor product = torch::empty({half, half}, options),
                cross = torch::empty({half, d - half}, options),
                lower = torch::empty({d - half, d - half}, options);
  for (int64_t begin = 0; begin < n; begin += kScatterChunkRows) {
    const int64_t end = std::min(n, begin + kScatterChunkRows);
    torch::Tensor rows = buffer.slice(0, 0, end - begin);
    torch::sub_out(rows, x.slice(0, begin, end), centre);
    torch::Tensor left = rows.slice(1, 0, half), right = rows.slice(1, half, d);
    top.slice(1, 0, half).add_(torch::mm_out(product, left.t(), left));
    top.slice(1, half, d).add_(torch::mm_out(cross, left.t(), right));
    bottom.slice(1, half, d).add_(torch::mm_out(lower, right.t(), right));
  }
  bottom.slice(1, 0, half).copy_(top.slice(1, half, d).t());
  return scatter;
}

/// Flips each row's sign so that its largest-magnitude entry is positive: the basis is then
/// the same whichever factorization found it.
torch::Tensor with_fixed_signs(const torch::Tensor& rows) {
  torch::Tensor largest = rows.abs().argmax(1, /*keepdim=*/true);
  torch::Tensor signs = rows.gather(1, largest).sign();
  return rows * torch::where(signs == 0, torch::ones_like(signs), signs);
}

}  // namespace

PcaBasis fit_pca(const torch::Tensor& samples) {
  torch::Tensor x = samples.flatten(1).to(torch::kCPU);
  const int64_t n = x.size(0), d = x.size(1);
  torch::Tensor mean = column_mean(x);
  torch::Tensor components, singular;
  if (d <= n && d <= kMaxCovarianceFeatures) {
    // Tall data: the scatter matrix X^T X (d x d), then its symmetric eigendecomposition in
    // float64; its eigenvalues are the squared singular values of X.
    auto [eigenvalues, eigenvectors] = torch::linalg_eigh(scatter_matrix(x, mean));
    components = eigenvectors.flip({1}).t();
    singular = eigenvalues.flip({0}).clamp_min(0).sqrt();
  } else {
    auto [u, s, vh] = torch::linalg_svd(x.to(torch::kFloat64) - mean, /*full_matrices=*/false);
    (void)u;
    components = vh;
    singular = s;
  }
  return PcaBasis{mean.to(torch::kFloat32), with_fixed_signs(components).to(torch::kFloat32),
                  singular.to(torch::kFloat32)};
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

std::optional<PcaBasis> load_cached_pca(const std::string& cache_path, int64_t features,
                                        std::string* damaged) {
  if (!std::filesystem::exists(cache_path)) return std::nullopt;
  std::string why = "not a PCA cache for this dataset";
  try {
    Hdf5File file = Hdf5File::open_read(cache_path);
    auto components = file.read_doubles("/components");
    auto mean = file.read_doubles("/mean");
    auto singular = file.read_doubles("/singular_values");
    auto shape = file.shape("/components");
    if (components && mean && singular && shape.size() == 2 &&
        static_cast<int64_t>(shape[1]) == features && components->size() == shape[0] * shape[1] &&
        mean->size() == uint64_t(features) && singular->size() == shape[0]) {
      int64_t rank = static_cast<int64_t>(shape[0]);
      return PcaBasis{from_doubles(*mean, {features}), from_doubles(*components, {rank, features}),
                      from_doubles(*singular, {rank})};
    }
  } catch (const std::exception& e) {  // a damaged file: our errors, or a size beyond memory
    why = e.what();
    const std::string prefix = cache_path + ": ";
    if (why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
  }
  if (damaged) *damaged = why;
  return std::nullopt;
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
