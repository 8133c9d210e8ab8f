// Where a run computes: `device: auto | cpu | cuda | cuda:N`, and the CPU thread count.
#pragma once

#include <torch/torch.h>

#include <string>

namespace aelab {

/// The device a `device` value names; `auto` is CUDA when available, else CPU. ConfigError when
/// CUDA is asked for and absent, or the index is out of range.
torch::Device resolve_device(const std::string& spec);

/// Checks the syntax of a `device` value without touching any GPU.
void check_device_spec(const std::string& spec);

/// Sets torch's intra-op threads (and OpenMP's, which OpenBLAS follows), and makes each of them
/// treat denormal floats as zero: Adam's second moments and small activations decay into that
/// range after an epoch, and computing with them made later MLP epochs about 20% slower
/// (measured: 10.4 s against 8.7 s for the second epoch of the same run).
void set_cpu_threads(int64_t threads);

/// Keeps freed tensor memory in the process: glibc otherwise maps and unmaps every large
/// buffer (convolution workspaces reach ~100 MB), and the page faults made a convolutional
/// epoch 5.6x slower (measured: 82.8 s against 14.8 s). Call before the first tensor.
void keep_freed_memory_for_reuse();

}  // namespace aelab
