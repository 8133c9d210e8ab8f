// An autoencoder pretrained on a dataset's unlabelled training images for an experiment that
// uses its encoder (transfer learning, segmentation), cached by its settings: the runs of a sweep
// that differ only in what they do with the encoder pretrain it once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "framework/experiment/training.h"

namespace aelab {

/// The autoencoder `config` describes (its model and sections, objective, trainer `trainer`),
/// trained on the unlabelled training images of `on_device`, or loaded from the cache an earlier
/// run with the same settings wrote (keyed by the seed, device, data, model and its sections,
/// objective and trainer). `build` makes the model afresh from the seed. `record` gets
/// the pretraining history (`pretrain_train`, `pretrain_val`) and `notes["encoder"]`: `note`, and
/// where the weights came from. Null when the pretraining diverged (`record` says so).
std::shared_ptr<ModelImpl> pretrained_autoencoder(
    const ConfigNode& config, const TrainerOptions& trainer,
    const std::function<std::shared_ptr<ModelImpl>()>& build, const DataSplits& on_device,
    const std::string& note, const RunContext& context, RunRecord& record);

}  // namespace aelab
