// Named activation functions for plugin options (`activation: relu`).
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "framework/core/options.h"

namespace aelab {

/// The activation names plugins accept.
const std::vector<std::string>& activation_names();
/// Constraint for an activation option.
OneOf activation_choice();
/// Applies the named activation (`identity` does nothing).
torch::Tensor activate(const torch::Tensor& x, const std::string& name);

}  // namespace aelab
