// One-channel convolutions: each loop runs along the many-channel side, contiguous in
// channels-last layout, so it vectorizes without reordering a sum. With -ffp-contract=off (the
// project's flags) no copy fuses a multiply and an add, so every vector width gives the same bits.
#include "framework/models/one_channel_conv.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <vector>

#include "framework/train/autocast.h"

namespace aelab {
namespace {

#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && defined(__GLIBC__)
#define AELAB_CONV_WIDTHS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AELAB_CONV_WIDTHS
#endif

/// The geometry of a stride-1 convolution that keeps the image's size: `channels` on the many
/// side, a square odd `kernel`, padding kernel / 2.
struct Geometry {
  int64_t images, height, width, channels, kernel;
  bool to_one;
  int64_t pad() const { return kernel / 2; }
  int64_t taps() const { return kernel * kernel; }
  int64_t pixels() const { return height * width; }
  /// An image's share of the gradients: the weights' [taps][channels], then the biases'.
  int64_t share() const { return taps() * channels + (to_one ? 1 : channels); }
};

/// Calls `tap(t, pixel)` for each tap t of the kernel whose pixel of the padded image at
/// (h, w)'s window lies inside the image (row-major, `pixel` an index into one image).
template <class Tap>
inline void for_each_tap(const Geometry& shape, int64_t h, int64_t w, Tap tap) {
  for (int64_t i = 0; i < shape.kernel; ++i) {
    const int64_t row = h + i - shape.pad();
    if (row < 0 || row >= shape.height) continue;
    for (int64_t j = 0; j < shape.kernel; ++j) {
      const int64_t column = w + j - shape.pad();
      if (column >= 0 && column < shape.width)
        tap(i * shape.kernel + j, row * shape.width + column);
    }
  }
}

// To one channel: x [pixels][channels], weights [taps][channels], y [pixels].

AELAB_CONV_WIDTHS
void to_one_forward(const Geometry& shape, const float* __restrict x,
                    const float* __restrict weights, float bias, float* __restrict y,
                    int64_t image) {
  const int64_t c_count = shape.channels;
  std::vector<float> sums(c_count);
  float* __restrict sum = sums.data();
  const float* __restrict in = x + image * shape.pixels() * c_count;
  for (int64_t h = 0; h < shape.height; ++h)
    for (int64_t w = 0; w < shape.width; ++w) {
      for (int64_t c = 0; c < c_count; ++c) sum[c] = 0.0f;
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict read = in + pixel * c_count;
        const float* __restrict tap = weights + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) sum[c] += read[c] * tap[c];
      });
      float total = bias;
      for (int64_t c = 0; c < c_count; ++c) total += sum[c];
      y[image * shape.pixels() + h * shape.width + w] = total;
    }
}

/// The input's gradient (each pixel gathers the output gradients that read it) and this
/// image's share of the weight's and bias's gradients.
AELAB_CONV_WIDTHS
void to_one_backward(const Geometry& shape, const float* __restrict x,
                     const float* __restrict weights, const float* __restrict grad_y,
                     float* __restrict grad_x, float* __restrict shares, int64_t image) {
  const int64_t c_count = shape.channels;
  const float* __restrict in = x + image * shape.pixels() * c_count;
  const float* __restrict grad_out = grad_y + image * shape.pixels();
  float* __restrict grad_in = grad_x ? grad_x + image * shape.pixels() * c_count : nullptr;
  float* __restrict grad_taps = shares + image * shape.share();
  for (int64_t k = 0; k < shape.share(); ++k) grad_taps[k] = 0.0f;
  for (int64_t h = 0; h < shape.height; ++h)
    for (int64_t w = 0; w < shape.width; ++w) {
      const float gradient = grad_out[h * shape.width + w];
      grad_taps[shape.taps() * c_count] += gradient;
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict read = in + pixel * c_count;
        float* __restrict tap_gradient = grad_taps + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) tap_gradient[c] += gradient * read[c];
      });
      if (!grad_in) continue;
      // Pixel (h, w) is read by output (h - i + pad, w - j + pad) through tap (i, j): the
      // mirrored window.
      float* __restrict out = grad_in + (h * shape.width + w) * c_count;
      for (int64_t c = 0; c < c_count; ++c) out[c] = 0.0f;
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float read = grad_out[pixel];
        const float* __restrict tap = weights + (shape.taps() - 1 - t) * c_count;
        for (int64_t c = 0; c < c_count; ++c) out[c] += read * tap[c];
      });
    }
}

// From one channel: x [pixels], weights [taps][channels], y [pixels][channels].

AELAB_CONV_WIDTHS
void from_one_forward(const Geometry& shape, const float* __restrict x,
                      const float* __restrict weights, const float* __restrict bias,
                      float* __restrict y, int64_t image) {
  const int64_t c_count = shape.channels;
  const float* __restrict in = x + image * shape.pixels();
  for (int64_t h = 0; h < shape.height; ++h)
    for (int64_t w = 0; w < shape.width; ++w) {
      float* __restrict out = y + (image * shape.pixels() + h * shape.width + w) * c_count;
      for (int64_t c = 0; c < c_count; ++c) out[c] = 0.0f;
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float value = in[pixel];
        const float* __restrict tap = weights + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) out[c] += value * tap[c];
      });
      for (int64_t c = 0; c < c_count; ++c) out[c] += bias[c];
    }
}

AELAB_CONV_WIDTHS
void from_one_backward(const Geometry& shape, const float* __restrict x,
                       const float* __restrict weights, const float* __restrict grad_y,
                       float* __restrict grad_x, float* __restrict shares, int64_t image) {
  const int64_t c_count = shape.channels;
  const float* __restrict in = x + image * shape.pixels();
  const float* __restrict grad_out = grad_y + image * shape.pixels() * c_count;
  float* __restrict grad_taps = shares + image * shape.share();
  std::vector<float> sums(c_count);
  float* __restrict sum = sums.data();
  for (int64_t k = 0; k < shape.share(); ++k) grad_taps[k] = 0.0f;
  for (int64_t h = 0; h < shape.height; ++h)
    for (int64_t w = 0; w < shape.width; ++w) {
      const float* __restrict gradient = grad_out + (h * shape.width + w) * c_count;
      float* __restrict bias_gradient = grad_taps + shape.taps() * c_count;
      for (int64_t c = 0; c < c_count; ++c) bias_gradient[c] += gradient[c];
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float value = in[pixel];
        float* __restrict tap_gradient = grad_taps + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) tap_gradient[c] += value * gradient[c];
      });
      if (!grad_x) continue;
      for (int64_t c = 0; c < c_count; ++c) sum[c] = 0.0f;
      for_each_tap(shape, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict read = grad_out + pixel * c_count;
        const float* __restrict tap = weights + (shape.taps() - 1 - t) * c_count;
        for (int64_t c = 0; c < c_count; ++c) sum[c] += read[c] * tap[c];
      });
      float total = 0.0f;
      for (int64_t c = 0; c < c_count; ++c) total += sum[c];
      grad_x[image * shape.pixels() + h * shape.width + w] = total;
    }
}
#undef AELAB_CONV_WIDTHS  // the unity build may put other files after this one

/// The images' shares of the gradients [images][share] summed in the images' order, whatever
/// the threads that made them.
torch::Tensor summed_shares(const torch::Tensor& shares) {
  torch::Tensor total = torch::zeros({shares.size(1)}, shares.options());
  if (shares.size(0) == 0) return total;
  total.copy_(shares[0]);
  const int64_t size = total.numel();
  float* __restrict sum = total.data_ptr<float>();
  for (int64_t image = 1; image < shares.size(0); ++image) {
    const float* __restrict share = shares.data_ptr<float>() + image * size;
    for (int64_t k = 0; k < size; ++k) sum[k] += share[k];
  }
  return total;
}

/// The weight [out, in, k, k] as [taps][channels] of its many side.
torch::Tensor taps_by_channel(const torch::Tensor& weight, int64_t channels) {
  return weight.reshape({channels, -1}).t().contiguous();
}

/// LibTorch 2.1 and later hold an option's alternatives in std::variant, earlier ones in
/// c10::variant.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
template <class T, class Variant>
const T& variant_get(const Variant& value) {
  return std::get<T>(value);
}
#else
template <class T, class Variant>
const T& variant_get(const Variant& value) {
  return c10::get<T>(value);
}
#endif

/// Zero padding of kernel / 2 on each side: the image keeps its size (padding_mode zeros and
/// an explicit padding are the first alternatives of their variants).
bool pads_like_same_size(const torch::nn::detail::ConvNdOptions<2>& options) {
  const int64_t pad = (*options.kernel_size())[0] / 2;
  if (options.padding_mode().index() != 0 || options.padding().index() != 0) return false;
  const auto& padding = variant_get<torch::ExpandingArray<2>>(options.padding());
  return (*padding)[0] == pad && (*padding)[1] == pad;
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

Geometry geometry_of(const torch::Tensor& x, const torch::Tensor& weight, bool to_one) {
  return {x.size(0),      x.size(2), x.size(3), to_one ? weight.size(1) : weight.size(0),
          weight.size(2), to_one};
}

/// The convolution from or to one channel, with its backward pass.
struct OneChannelConv : torch::autograd::Function<OneChannelConv> {
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias) {
    const bool to_one = weight.size(0) == 1;
    const Geometry shape = geometry_of(input, weight, to_one);
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor weight_taps = taps_by_channel(weight, shape.channels);
    const torch::Tensor bias_values = bias.contiguous();
    torch::Tensor y =
        torch::empty({shape.images, to_one ? 1 : shape.channels, shape.height, shape.width},
                     x.options().memory_format(torch::MemoryFormat::ChannelsLast));
    at::parallel_for(0, shape.images, 1, [&](int64_t begin, int64_t end) {
      for (int64_t image = begin; image < end; ++image) {
        if (to_one)
          to_one_forward(shape, x.data_ptr<float>(), weight_taps.data_ptr<float>(),
                         bias_values.data_ptr<float>()[0], y.data_ptr<float>(), image);
        else
          from_one_forward(shape, x.data_ptr<float>(), weight_taps.data_ptr<float>(),
                           bias_values.data_ptr<float>(), y.data_ptr<float>(), image);
      }
    });
    context->save_for_backward({x, weight, weight_taps});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list grad_outputs) {
    // The loops compute gradients, not a graph of them: a second derivative would be zero.
    TORCH_CHECK(!torch::GradMode::is_enabled(),
                "the one-channel convolution has no second derivative (create_graph)");
    const auto saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &weight = saved[1], &weight_taps = saved[2];
    const bool to_one = weight.size(0) == 1;
    const Geometry shape = geometry_of(x, weight, to_one);
    const torch::Tensor grad_y = grad_outputs[0].contiguous(torch::MemoryFormat::ChannelsLast);
    const bool wants_input = context->needs_input_grad(0);
    torch::Tensor grad_x = wants_input ? torch::empty_like(x) : torch::Tensor();
    torch::Tensor shares = torch::empty({shape.images, shape.share()}, x.options());
    at::parallel_for(0, shape.images, 1, [&](int64_t begin, int64_t end) {
      for (int64_t image = begin; image < end; ++image) {
        float* grad_in = wants_input ? grad_x.data_ptr<float>() : nullptr;
        if (to_one)
          to_one_backward(shape, x.data_ptr<float>(), weight_taps.data_ptr<float>(),
                          grad_y.data_ptr<float>(), grad_in, shares.data_ptr<float>(), image);
        else
          from_one_backward(shape, x.data_ptr<float>(), weight_taps.data_ptr<float>(),
                            grad_y.data_ptr<float>(), grad_in, shares.data_ptr<float>(), image);
      }
    });
    const torch::Tensor total = summed_shares(shares);
    const int64_t weight_count = shape.taps() * shape.channels;
    torch::Tensor grad_weight = total.slice(0, 0, weight_count)
                                    .view({shape.taps(), shape.channels})
                                    .t()
                                    .reshape(weight.sizes())
                                    .contiguous(weight.suggest_memory_format());
    return {grad_x, grad_weight, total.slice(0, weight_count).clone()};
  }
};

}  // namespace

bool takes_one_channel_loops(torch::nn::Conv2d& conv, const torch::Tensor& x) {
  const auto& options = conv->options;
  const torch::Tensor& weight = conv->weight;
  return (options.in_channels() == 1) != (options.out_channels() == 1) &&
         (*options.stride())[0] == 1 && (*options.stride())[1] == 1 &&
         (*options.dilation())[0] == 1 && (*options.dilation())[1] == 1 && options.groups() == 1 &&
         weight.size(2) == weight.size(3) && weight.size(2) % 2 == 1 && x.dim() == 4 &&
         x.size(1) == options.in_channels() && x.device().is_cpu() && weight.device().is_cpu() &&
         x.scalar_type() == torch::kFloat32 && weight.scalar_type() == torch::kFloat32 &&
         !autocast_enabled(at::kCPU) && pads_like_same_size(options);
}

torch::Tensor same_size_conv(torch::nn::Conv2d& conv, const torch::Tensor& x) {
  if (!takes_one_channel_loops(conv, x)) return conv->forward(x);
  // LibTorch 1.13's autograd takes no undefined input: a convolution without bias adds zeros.
  const torch::Tensor bias =
      conv->bias.defined() ? conv->bias : torch::zeros({conv->options.out_channels()}, x.options());
  return OneChannelConv::apply(x, conv->weight, bias);
}

}  // namespace aelab
