// Segmentation mosaics: items of a labelled image set (Fashion-MNIST) placed on a 2x2 grid of a
// larger canvas with random jitter, each pixel labelled with its item's class where the item
// has ink and background (0) elsewhere; optionally coloured by class, so a grey input has one
// right colouring.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace aelab {

/// How mosaics are laid out.
struct MosaicLayout {
  int64_t canvas = 64;          ///< side of the square canvas
  int64_t jitter = 4;           ///< largest shift of an item inside its cell, each axis
  double ink_threshold = 0.25;  ///< an item pixel above this is labelled with its class
  bool colour = false;          ///< 3 channels, each item tinted with its class's colour
};

/// Mosaics and their label maps.
struct Mosaics {
  torch::Tensor images;  ///< [count, 1 or 3, canvas, canvas] float in [0, 1]
  torch::Tensor labels;  ///< [count, canvas, canvas] int64: 0 background, class + 1 for ink
};

/// `count` mosaics of `items` [N, 1, h, w] with class labels [N] (0..9), four items each, drawn
/// by a permutation seeded with `seed` (items repeat only once all were used). ConfigError when
/// an item does not fit its cell with the jitter.
Mosaics make_mosaics(const torch::Tensor& items, const torch::Tensor& labels, int64_t count,
                     int64_t seed, const MosaicLayout& layout);

/// The RGB colour [3] of class `label` in colour mosaics.
torch::Tensor class_colour(int64_t label);

}  // namespace aelab
