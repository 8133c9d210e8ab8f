// One-channel convolutions: each loop runs along the many-channel side, contiguous in
// channels-last layout, so it vectorizes without reordering a sum (no reassociation, no fused
// multiply-adds: every copy below gives the same bits).
#include "framework/models/one_channel_conv.h"

#include <ATen/Parallel.h>

#include <vector>

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
  int64_t pad() const { return kernel / 2; }
  int64_t taps() const { return kernel * kernel; }
  int64_t pixels() const { return height * width; }
};

/// Calls `tap(t, pixel)` for each tap t of the kernel whose pixel of the padded image at
/// (h, w)'s window lies inside the image (row-major, `pixel` an index into one image).
template <class Tap>
inline void for_each_tap(const Geometry& g, int64_t h, int64_t w, Tap tap) {
  for (int64_t i = 0; i < g.kernel; ++i) {
    const int64_t row = h + i - g.pad();
    if (row < 0 || row >= g.height) continue;
    for (int64_t j = 0; j < g.kernel; ++j) {
      const int64_t column = w + j - g.pad();
      if (column >= 0 && column < g.width) tap(i * g.kernel + j, row * g.width + column);
    }
  }
}

// To one channel: x [pixels][channels], weights [taps][channels], y [pixels].

AELAB_CONV_WIDTHS
void to_one_forward(const Geometry& g, const float* __restrict x, const float* __restrict weights,
                    float bias, float* __restrict y, int64_t image) {
  const int64_t c_count = g.channels;
  std::vector<float> sums(c_count);
  float* __restrict s = sums.data();
  const float* __restrict in = x + image * g.pixels() * c_count;
  for (int64_t h = 0; h < g.height; ++h)
    for (int64_t w = 0; w < g.width; ++w) {
      for (int64_t c = 0; c < c_count; ++c) s[c] = 0.0f;
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict a = in + pixel * c_count;
        const float* __restrict b = weights + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) s[c] += a[c] * b[c];
      });
      float total = bias;
      for (int64_t c = 0; c < c_count; ++c) total += s[c];
      y[image * g.pixels() + h * g.width + w] = total;
    }
}

/// The input's gradient (each pixel gathers the output gradients that read it) and this
/// image's share of the weights' gradient.
AELAB_CONV_WIDTHS
void to_one_backward(const Geometry& g, const float* __restrict x, const float* __restrict weights,
                     const float* __restrict grad_y, float* __restrict grad_x,
                     float* __restrict grad_weights, int64_t image) {
  const int64_t c_count = g.channels;
  const float* __restrict in = x + image * g.pixels() * c_count;
  const float* __restrict gy = grad_y + image * g.pixels();
  float* __restrict gx = grad_x ? grad_x + image * g.pixels() * c_count : nullptr;
  float* __restrict gw = grad_weights + image * g.taps() * c_count;
  for (int64_t k = 0; k < g.taps() * c_count; ++k) gw[k] = 0.0f;
  for (int64_t h = 0; h < g.height; ++h)
    for (int64_t w = 0; w < g.width; ++w) {
      const float gradient = gy[h * g.width + w];
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict a = in + pixel * c_count;
        float* __restrict d = gw + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) d[c] += gradient * a[c];
      });
      if (!gx) continue;
      // Pixel (h, w) is read by output (h - i + pad, w - j + pad) through tap (i, j): the
      // mirrored window.
      float* __restrict out = gx + (h * g.width + w) * c_count;
      for (int64_t c = 0; c < c_count; ++c) out[c] = 0.0f;
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float read = gy[pixel];
        const float* __restrict b = weights + (g.taps() - 1 - t) * c_count;
        for (int64_t c = 0; c < c_count; ++c) out[c] += read * b[c];
      });
    }
}

// From one channel: x [pixels], weights [taps][channels], y [pixels][channels].

AELAB_CONV_WIDTHS
void from_one_forward(const Geometry& g, const float* __restrict x, const float* __restrict weights,
                      const float* __restrict bias, float* __restrict y, int64_t image) {
  const int64_t c_count = g.channels;
  const float* __restrict in = x + image * g.pixels();
  for (int64_t h = 0; h < g.height; ++h)
    for (int64_t w = 0; w < g.width; ++w) {
      float* __restrict out = y + (image * g.pixels() + h * g.width + w) * c_count;
      for (int64_t c = 0; c < c_count; ++c) out[c] = 0.0f;
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float value = in[pixel];
        const float* __restrict b = weights + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) out[c] += value * b[c];
      });
      for (int64_t c = 0; c < c_count; ++c) out[c] += bias[c];
    }
}

AELAB_CONV_WIDTHS
void from_one_backward(const Geometry& g, const float* __restrict x,
                       const float* __restrict weights, const float* __restrict grad_y,
                       float* __restrict grad_x, float* __restrict grad_weights, int64_t image) {
  const int64_t c_count = g.channels;
  const float* __restrict in = x + image * g.pixels();
  const float* __restrict gy = grad_y + image * g.pixels() * c_count;
  float* __restrict gw = grad_weights + image * g.taps() * c_count;
  std::vector<float> sums(c_count);
  float* __restrict s = sums.data();
  for (int64_t k = 0; k < g.taps() * c_count; ++k) gw[k] = 0.0f;
  for (int64_t h = 0; h < g.height; ++h)
    for (int64_t w = 0; w < g.width; ++w) {
      const float* __restrict gradient = gy + (h * g.width + w) * c_count;
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float value = in[pixel];
        float* __restrict d = gw + t * c_count;
        for (int64_t c = 0; c < c_count; ++c) d[c] += value * gradient[c];
      });
      if (!grad_x) continue;
      for (int64_t c = 0; c < c_count; ++c) s[c] = 0.0f;
      for_each_tap(g, h, w, [&](int64_t t, int64_t pixel) {
        const float* __restrict read = gy + pixel * c_count;
        const float* __restrict b = weights + (g.taps() - 1 - t) * c_count;
        for (int64_t c = 0; c < c_count; ++c) s[c] += read[c] * b[c];
      });
      float total = 0.0f;
      for (int64_t c = 0; c < c_count; ++c) total += s[c];
      grad_x[image * g.pixels() + h * g.width + w] = total;
    }
}
#undef AELAB_CONV_WIDTHS  // the unity build may put other files after this one

/// The images' shares of the weights' gradient [images][taps][channels] summed in the images'
/// order, whatever the threads that made them: [taps][channels].
torch::Tensor summed_shares(const torch::Tensor& shares) {
  torch::Tensor total = shares[0].clone();
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

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

Geometry geometry_of(const torch::Tensor& x, const torch::Tensor& weight, bool to_one) {
  return {x.size(0), x.size(2), x.size(3), to_one ? weight.size(1) : weight.size(0),
          weight.size(2)};
}

/// The convolution from or to one channel, with its backward pass.
struct OneChannelConv : torch::autograd::Function<OneChannelConv> {
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias) {
    const bool to_one = weight.size(0) == 1;
    const Geometry g = geometry_of(input, weight, to_one);
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor weights = taps_by_channel(weight, g.channels);
    const torch::Tensor biases = bias.contiguous();
    torch::Tensor y = torch::empty({g.images, to_one ? 1 : g.channels, g.height, g.width},
                                   x.options().memory_format(torch::MemoryFormat::ChannelsLast));
    at::parallel_for(0, g.images, 1, [&](int64_t begin, int64_t end) {
      for (int64_t image = begin; image < end; ++image) {
        if (to_one)
          to_one_forward(g, x.data_ptr<float>(), weights.data_ptr<float>(),
                         biases.data_ptr<float>()[0], y.data_ptr<float>(), image);
        else
          from_one_forward(g, x.data_ptr<float>(), weights.data_ptr<float>(),
                           biases.data_ptr<float>(), y.data_ptr<float>(), image);
      }
    });
    context->save_for_backward({x, weight, weights});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list grad_outputs) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &weight = saved[1], &weights = saved[2];
    const bool to_one = weight.size(0) == 1;
    const Geometry g = geometry_of(x, weight, to_one);
    const torch::Tensor grad_y = grad_outputs[0].contiguous(torch::MemoryFormat::ChannelsLast);
    const bool wants_input = context->needs_input_grad(0);
    torch::Tensor grad_x = wants_input ? torch::empty_like(x) : torch::Tensor();
    torch::Tensor shares = torch::empty({g.images, g.taps() * g.channels}, x.options());
    at::parallel_for(0, g.images, 1, [&](int64_t begin, int64_t end) {
      for (int64_t image = begin; image < end; ++image) {
        float* gx = wants_input ? grad_x.data_ptr<float>() : nullptr;
        if (to_one)
          to_one_backward(g, x.data_ptr<float>(), weights.data_ptr<float>(),
                          grad_y.data_ptr<float>(), gx, shares.data_ptr<float>(), image);
        else
          from_one_backward(g, x.data_ptr<float>(), weights.data_ptr<float>(),
                            grad_y.data_ptr<float>(), gx, shares.data_ptr<float>(), image);
      }
    });
    const torch::Tensor grad_weights = summed_shares(shares.view({g.images, g.taps(), g.channels}));
    torch::Tensor grad_weight =
        grad_weights.t().reshape(weight.sizes()).contiguous(weight.suggest_memory_format());
    torch::Tensor grad_bias;
    if (context->needs_input_grad(2))
      grad_bias = to_one ? grad_y.sum().reshape({1}) : grad_y.sum({0, 2, 3});
    return {grad_x, grad_weight, grad_bias};
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
         !c10::impl::tls_is_dispatch_key_included(c10::DispatchKey::AutocastCPU);
}

torch::Tensor same_size_conv(torch::nn::Conv2d& conv, const torch::Tensor& x) {
  if (!takes_one_channel_loops(conv, x)) return conv->forward(x);
  // LibTorch 1.13's autograd takes no undefined input: a convolution without bias adds zeros.
  const torch::Tensor bias = conv->bias.defined()
                                 ? conv->bias
                                 : torch::zeros({conv->options.out_channels()}, x.options());
  return OneChannelConv::apply(x, conv->weight, bias);
}

}  // namespace aelab
