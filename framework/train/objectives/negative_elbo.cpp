// The negative ELBO of a variational model (Kingma and Welling 2014), as the model defines it:
// its likelihood, its prior's KL term and its beta and warm-up weights.
#include "framework/models/variational_model.h"
#include "framework/train/objective.h"

namespace aelab {

/// -ELBO of the clean input under the model's posterior for the (possibly corrupted) input.
class NegativeElbo : public Objective {
 public:
  NegativeElbo(NoOptions, const ObjectiveContext&) {}

  torch::Tensor loss(ModelImpl& model, const ModelOutputs& outputs, const Batch& batch) override {
    auto* variational = dynamic_cast<VariationalModel*>(&model);
    if (!variational)
      throw Error("objective negative_elbo needs a variational model (model=vae), not '" +
                  model.name() + "'");
    return variational->negative_elbo(outputs, batch.x);
  }
};

AELAB_REGISTER_PLUGIN(objective_registry(), "negative_elbo", NegativeElbo, NoOptions)
    .describe("negative ELBO of a variational model, weighted by its beta and KL warm-up");

}  // namespace aelab
