// Mosaic generation.
#include "framework/data/mosaic.h"

#include <random>

#include "framework/core/error.h"
#include "framework/data/dataset.h"

namespace aelab {

torch::Tensor class_colour(int64_t label) {
  // Ten well separated hues (Okabe-Ito and Tableau), bright enough to keep the items' texture.
  static const float kPalette[10][3] = {
      {0.90f, 0.62f, 0.00f}, {0.34f, 0.71f, 0.91f}, {0.00f, 0.62f, 0.45f}, {0.94f, 0.89f, 0.26f},
      {0.00f, 0.45f, 0.70f}, {0.84f, 0.37f, 0.00f}, {0.80f, 0.47f, 0.65f}, {1.00f, 1.00f, 1.00f},
      {0.58f, 0.40f, 0.74f}, {0.74f, 0.74f, 0.13f}};
  const float* rgb = kPalette[((label % 10) + 10) % 10];
  return torch::tensor({rgb[0], rgb[1], rgb[2]});
}

Mosaics make_mosaics(const torch::Tensor& items, const torch::Tensor& labels, int64_t count,
                     int64_t seed, const MosaicLayout& layout) {
  const int64_t cell = layout.canvas / 2, height = items.size(2), width = items.size(3);
  if (height + layout.jitter > cell || width + layout.jitter > cell)
    throw ConfigError("data.jitter: " + std::to_string(height) + "x" + std::to_string(width) +
                      " items shifted by up to " + std::to_string(layout.jitter) +
                      " do not fit the " + std::to_string(cell) + "-pixel cells of a " +
                      std::to_string(layout.canvas) + "-pixel canvas (raise data.canvas)");
  const int64_t n = items.size(0), channels = layout.colour ? 3 : 1;
  Mosaics out{torch::zeros({count, channels, layout.canvas, layout.canvas}),
              torch::zeros({count, layout.canvas, layout.canvas}, torch::kLong)};
  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  std::uniform_int_distribution<int64_t> shift(0, layout.jitter);
  std::vector<int64_t> order;
  size_t next = 0;
  int64_t round = 0;
  auto labels_cpu = labels.to(torch::kLong).contiguous();
  const int64_t* label_of = labels_cpu.data_ptr<int64_t>();
  for (int64_t m = 0; m < count; ++m) {
    for (int64_t slot = 0; slot < 4; ++slot) {
      if (next == order.size()) order = seeded_permutation(n, seed * 1000003 + round++), next = 0;
      const int64_t item = order[next++], label = label_of[item];
      const int64_t top = (slot / 2) * cell + shift(rng), left = (slot % 2) * cell + shift(rng);
      torch::Tensor ink = items[item][0];  // [h, w]
      torch::Tensor paint =
          layout.colour ? ink.unsqueeze(0) * class_colour(label).view({3, 1, 1}) : ink.unsqueeze(0);
      out.images[m].slice(1, top, top + height).slice(2, left, left + width).copy_(paint);
      out.labels[m]
          .slice(0, top, top + height)
          .slice(1, left, left + width)
          .masked_fill_(ink.gt(layout.ink_threshold), label + 1);
    }
  }
  return out;
}

}  // namespace aelab
