// Options of the `eval:` section: what a run measures beyond its experiment's own metrics, the
// likelihood of variational models and the clustering of latent codes.
#pragma once

#include <cstdint>

#include "framework/core/options.h"

namespace aelab {

/// Options of the `eval:` section.
struct EvalOptions {
  int64_t is_samples = 1000;
  double active_unit_threshold = 0.01;
  int64_t samples_per_batch = 2000;
  bool cluster = false;
  int64_t cluster_restarts = 10;
  int64_t cluster_iterations = 300;
  template <class V>
  void visit(V& v) {
    v("is_samples", is_samples,
      "variational models: importance samples per test image for test/nll_is (1000 as in the "
      "IWAE and VampPrior papers; 0 skips it)",
      AtLeast{0});
    v("active_unit_threshold", active_unit_threshold,
      "variational models: a latent unit is active when its posterior mean's variance over the "
      "data exceeds this",
      AtLeast{0});
    v("samples_per_batch", samples_per_batch,
      "variational models: images x importance samples decoded at once: memory and speed (a conv "
      "decoder slows down past ~2000); it also changes which draws each image gets",
      AtLeast{1});
    v("cluster", cluster,
      "k-means on the test codes (k = number of classes): test/cluster_accuracy, nmi, ari, next "
      "to PCA codes and raw pixels under /baseline");
    v("cluster_restarts", cluster_restarts,
      "k-means runs from different k-means++ seedings; the lowest inertia is kept", AtLeast{1});
    v("cluster_iterations", cluster_iterations, "most Lloyd iterations of one k-means run",
      AtLeast{1});
  }
};

}  // namespace aelab
