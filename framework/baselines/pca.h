// The exact linear baseline: PCA of the mean-centred training set (eigenvectors of its scatter
// matrix, or its SVD when features outnumber samples), reconstructing at
// any number of components, cached per dataset in an HDF5 file.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>

namespace aelab {

/// Mean and principal directions of a dataset.
struct PcaBasis {
  torch::Tensor mean;             ///< [D]
  torch::Tensor components;       ///< [R, D], rows by decreasing singular value
  torch::Tensor singular_values;  ///< [R]
  int64_t rank() const { return components.size(0); }
  int64_t features() const { return components.size(1); }  ///< D, the values of a sample
  /// Codes [N, k] of a batch [N, ...]: its coordinates on the first `k` components.
  torch::Tensor encode(const torch::Tensor& batch, int64_t k) const;
  /// Projection of a batch [N, ...] onto the first `k` components, back in input space.
  torch::Tensor reconstruct(const torch::Tensor& batch, int64_t k) const;
  /// The same basis on `device`, in float32.
  PcaBasis to(const torch::Device& device) const;
};

/// Fits PCA to samples [N, ...]: when N >= D, from the D x D scatter matrix (float32 products,
/// float64 for float64 input, summed in float64) and its float64 symmetric eigendecomposition; else
/// from a float64 SVD of the centred data. Each component is signed so that its largest entry is
/// positive.
PcaBasis fit_pca(const torch::Tensor& samples);

/// The basis cached at `cache_path` for samples of `features` values, or nullopt when there is
/// no such file, or when it is damaged or holds something else (only a cache: the caller fits
/// the basis again and replaces it); then `damaged`, when given, says what is wrong with it.
std::optional<PcaBasis> load_cached_pca(const std::string& cache_path, int64_t features,
                                        std::string* damaged = nullptr);

/// Writes `basis` to `cache_path` atomically (so concurrent jobs never read half a file).
void cache_pca(const PcaBasis& basis, const std::string& cache_path);

/// Loads the basis cached at `cache_path`, or fits it on `samples` and writes the cache
/// atomically (so concurrent jobs never read half a file).
PcaBasis load_or_fit_pca(const torch::Tensor& samples, const std::string& cache_path);

}  // namespace aelab
