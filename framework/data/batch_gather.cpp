// The row gather into kept batch buffers.
#include "framework/data/batch_gather.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace aelab {
namespace {

constexpr int64_t kCacheLine = 64;

bool cpu_gather_applies(const torch::Tensor& source, const torch::Tensor& index) {
  return source.device().is_cpu() && source.dim() >= 1 && source.is_contiguous() &&
         index.device().is_cpu() && index.dim() == 1 && index.scalar_type() == torch::kLong &&
         index.is_contiguous();
}

/// Whether `buffer` can take rows of `source` shaped `sizes` with no one else seeing the change.
bool reusable(const torch::Tensor& buffer, at::IntArrayRef sizes, const torch::Tensor& source) {
  // Neither the tensor handed out last step nor a view of it may still be alive.
  return buffer.defined() && buffer.use_count() == 1 && buffer.storage().use_count() == 1 &&
         buffer.sizes().equals(sizes) && buffer.scalar_type() == source.scalar_type() &&
         !buffer.requires_grad();
}

}  // namespace

torch::Tensor gather_rows(const torch::Tensor& source, const torch::Tensor& index,
                          torch::Tensor& buffer) {
  if (!cpu_gather_applies(source, index)) return source.index_select(0, index);
  std::vector<int64_t> sizes = source.sizes().vec();
  const int64_t rows = source.size(0);
  sizes[0] = index.numel();
  if (!reusable(buffer, sizes, source)) buffer = torch::empty(sizes, source.options());
  const int64_t row_bytes =
      source.numel() / std::max<int64_t>(rows, 1) * static_cast<int64_t>(source.element_size());
  const auto* from = static_cast<const char*>(source.data_ptr());
  auto* to = static_cast<char*>(buffer.data_ptr());
  const int64_t* picked = index.data_ptr<int64_t>();
  const int64_t count = index.numel();
  for (int64_t i = 0; i < count; ++i)
    if (picked[i] < 0 || picked[i] >= rows)
      throw std::out_of_range("batch index " + std::to_string(picked[i]) + " is outside the " +
                              std::to_string(rows) + " rows");
  for (int64_t i = 0; i < count; ++i) {
    if (i + 1 < count) {  // the next row is somewhere else: ask for it before copying this one
      const char* next = from + picked[i + 1] * row_bytes;
      for (int64_t line = 0; line < row_bytes; line += kCacheLine) __builtin_prefetch(next + line);
    }
    std::memcpy(to + i * row_bytes, from + picked[i] * row_bytes, static_cast<size_t>(row_bytes));
  }
  return buffer;
}

Batch BatchGather::take(const LabelledSet& set, const torch::Tensor& index) {
  return Batch{gather_rows(set.x, index, x_),
               set.y.defined() ? gather_rows(set.y, index, y_) : set.y};
}

}  // namespace aelab
