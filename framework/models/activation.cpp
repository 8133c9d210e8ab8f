// Activation functions by name.
#include "framework/models/activation.h"

namespace aelab {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"relu", "leaky_relu", "elu",      "gelu",
                                                 "tanh", "sigmoid",    "softplus", "identity"};
  return names;
}

OneOf activation_choice() { return OneOf{activation_names()}; }

torch::Tensor activate(const torch::Tensor& x, const std::string& name) {
  if (name == "relu") return torch::relu(x);
  if (name == "leaky_relu") return torch::leaky_relu(x, 0.01);
  if (name == "elu") return torch::elu(x);
  if (name == "gelu") return torch::gelu(x);
  if (name == "tanh") return torch::tanh(x);
  if (name == "sigmoid") return torch::sigmoid(x);
  if (name == "softplus") return torch::softplus(x);
  if (name == "identity") return x;
  throw ConfigError("activation: unknown name '" + name + "'; expected one of " +
                    join(activation_names(), ", "));
}

}  // namespace aelab
