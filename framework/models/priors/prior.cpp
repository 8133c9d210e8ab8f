// The prior registry and the Gaussian helpers every prior shares.
#include "framework/models/priors/prior.h"

#include <cmath>

namespace aelab {

Registry<PriorImpl, PriorContext>& prior_registry() {
  static Registry<PriorImpl, PriorContext> registry("prior");
  return registry;
}

std::shared_ptr<PriorImpl> make_prior(const ConfigNode& section, const PriorContext& context) {
  return prior_registry().make_named(section, "prior", context);
}

torch::Tensor log_normal_diag(const torch::Tensor& z, const torch::Tensor& mean,
                              const torch::Tensor& logvar) {
  static const double kLogTwoPi = std::log(2.0 * M_PI);
  return (-0.5 * (kLogTwoPi + logvar + (z - mean).pow(2) * torch::exp(-logvar))).sum(-1);
}

torch::Tensor log_normal_pairwise(const torch::Tensor& z, const torch::Tensor& means,
                                  const torch::Tensor& logvars) {
  static const double kLogTwoPi = std::log(2.0 * M_PI);
  torch::Tensor z64 = z.to(torch::kFloat64);
  torch::Tensor means64 = means.to(torch::kFloat64);
  torch::Tensor logvars64 = logvars.to(torch::kFloat64);
  torch::Tensor precision = torch::exp(-logvars64);  // [K, D]
  // sum_d (z_d - m_d)^2 / v_d = z^2 . (1/v) - 2 z . (m/v) + m^2 . (1/v)
  torch::Tensor squared = torch::matmul(z64.pow(2), precision.t()) -
                          2.0 * torch::matmul(z64, (means64 * precision).t()) +
                          (means64.pow(2) * precision).sum(-1).unsqueeze(0);
  torch::Tensor constant = (kLogTwoPi + logvars64).sum(-1).unsqueeze(0);
  return (-0.5 * (squared + constant)).to(z.scalar_type());
}

torch::Tensor PriorImpl::kl(const Posterior& posterior, const torch::Tensor& z) {
  return log_normal_diag(z, posterior.mean, posterior.logvar) - log_prob(z);
}

}  // namespace aelab
