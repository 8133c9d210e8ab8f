// Options of the `trainer:` section: budget, optimizer and parameter groups, learning-rate
// schedule, clipping, training phases that freeze parts of the model, checkpoints, and the run
// whose weights a model starts from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/core/options.h"

namespace aelab {

/// Parameters (by module path prefix) trained with their own learning rate or weight decay.
struct ParamGroupOptions {
  std::string params;
  std::optional<double> lr;
  std::optional<double> weight_decay;
  template <class V>
  void visit(V& v) {
    v("params", params, "module path prefix of the group's parameters (encoder, decoder.layers)");
    v("lr", lr, "learning rate of the group (null: trainer.lr)", AtLeast{0});
    v("weight_decay", weight_decay, "weight decay of the group (null: trainer.weight_decay)",
      AtLeast{0});
  }
};

/// A stretch of training from `from_epoch` on, until the next phase starts.
struct PhaseOptions {
  int64_t from_epoch = 1;
  std::vector<std::string> freeze;
  double lr_scale = 1.0;
  template <class V>
  void visit(V& v) {
    v("from_epoch", from_epoch, "first epoch (1-based) of the phase", AtLeast{1});
    v("freeze", freeze,
      "module path prefixes whose parameters stay fixed (and whose batch-norm statistics stay "
      "frozen) during the phase, such as [encoder]");
    v("lr_scale", lr_scale, "factor on every group's learning rate during the phase", AtLeast{0});
  }
};

/// Options of the `trainer:` section.
struct TrainerOptions {
  int64_t epochs = 10;
  int64_t batch_size = 128;
  std::string optimizer = "adam";
  double lr = 1e-3;
  double weight_decay = 0;
  double momentum = 0.9;
  bool nesterov = false;
  std::vector<ParamGroupOptions> param_groups;
  std::string lr_schedule = "constant";
  int64_t step_size = 10;
  double gamma = 0.1;
  int64_t warmup_epochs = 0;
  std::optional<double> clip_grad_norm;
  std::vector<PhaseOptions> phases;
  int64_t eval_batch_size = 2000;
  int64_t checkpoint_every = 0;
  bool keep_checkpoint = false;
  std::string precision = "fp32";
  std::optional<std::string> init_from;
  std::vector<std::string> init_modules;
  template <class V>
  void visit(V& v) {
    v("epochs", epochs, "passes over the training set", AtLeast{0});
    v("batch_size", batch_size, "samples per optimizer step", AtLeast{1});
    v("optimizer", optimizer, "adam, adamw (decoupled weight decay) or sgd",
      OneOf{{"adam", "adamw", "sgd"}});
    v("lr", lr, "learning rate", AtLeast{0});
    v("weight_decay", weight_decay, "L2 penalty (adam, sgd) or decoupled decay (adamw)",
      AtLeast{0});
    v("momentum", momentum, "sgd: momentum", AtLeast{0});
    v("nesterov", nesterov, "sgd: Nesterov momentum");
    v("param_groups", param_groups,
      "list of {params: PREFIX, lr, weight_decay}: parameters trained with their own settings");
    v("lr_schedule", lr_schedule,
      "constant; cosine decay to zero over the epochs; or step (x gamma every step_size epochs)",
      OneOf{{"constant", "cosine", "step"}});
    v("step_size", step_size, "step schedule: epochs between decays", AtLeast{1});
    v("gamma", gamma, "step schedule: factor at each decay", AtLeast{0});
    v("warmup_epochs", warmup_epochs,
      "linear warm-up: epoch e <= N trains at e/(N+1) of the scheduled rate (0 = none)",
      AtLeast{0});
    v("clip_grad_norm", clip_grad_norm, "largest total gradient norm (null: no clipping)",
      AtLeast{0});
    v("phases", phases,
      "list of {from_epoch, freeze: [PREFIX, ...], lr_scale}: freeze parts of the model for a "
      "stretch of epochs (a head on a frozen encoder, then fine-tuning)");
    v("eval_batch_size", eval_batch_size, "samples per batch when evaluating", AtLeast{1});
    v("checkpoint_every", checkpoint_every,
      "save model, optimizer and random state every N epochs so a killed run resumes (0: never)",
      AtLeast{0});
    v("keep_checkpoint", keep_checkpoint,
      "keep the checkpoints, the last epoch's among them, once the run completes (they are "
      "deleted otherwise); not part of the run id");
    v("precision", precision,
      "fp32, or bf16: forward passes and losses of training under autocast to bfloat16 "
      "(weights, optimizer and evaluation stay float32); CPUs without bf16 instructions "
      "emulate it, slower than fp32",
      OneOf{{"fp32", "bf16"}});
    v("init_from", init_from,
      "start from the weights of a run: a run id of the same results folder or a run file path");
    v("init_modules", init_modules,
      "module path prefixes taken from init_from (empty: every tensor both models share)");
  }
};

}  // namespace aelab
