// Batches drawn by index into buffers kept from step to step. A shuffled epoch reads its rows from
// all over a dataset of hundreds of megabytes: index_select allocates each batch afresh and waits
// on memory at the start of every row. On the CPU the gather here copies each row while the next
// one is already on its way to the cache, into the same buffer each step (a new one only while
// the last batch is still referenced): a third of index_select's time for Fashion-MNIST's
// batches of 128. The rows are the same bytes; elsewhere (a GPU) it is index_select.
#pragma once

#include <torch/torch.h>

#include "framework/data/batch.h"

namespace aelab {

class BatchGather {
 public:
  /// The rows `index` (a long tensor on the set's device, each in [0, set.size())) of `set`.
  Batch take(const LabelledSet& set, const torch::Tensor& index);

 private:
  torch::Tensor x_, y_;
};

/// The rows `index` of `source` along its first dimension, written into `buffer` when the CPU
/// gather applies and `buffer` is free to rewrite (made when it is missing, shaped differently or
/// still shared), else index_select. Throws std::out_of_range for an index outside the rows.
torch::Tensor gather_rows(const torch::Tensor& source, const torch::Tensor& index,
                          torch::Tensor& buffer);

}  // namespace aelab
