// Convolution weights moved to channels-last layout in place (see the header for why).
#include "framework/models/channels_last.h"

namespace aelab {

void use_channels_last(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& parameter : module.parameters())
    if (parameter.dim() == 4)
      parameter.set_data(parameter.contiguous(torch::MemoryFormat::ChannelsLast));
}

}  // namespace aelab
