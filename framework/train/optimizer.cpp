// Optimizer construction, learning rates and freezing.
#include "framework/train/optimizer.h"

#include "framework/core/error.h"
#include "framework/core/suggest.h"
#include "framework/train/fused_adam.h"
#include "framework/train/lr_schedule.h"

namespace aelab {
namespace {

/// Names of the model's direct submodules, for messages about prefixes.
std::string module_names(torch::nn::Module& model) {
  std::vector<std::string> names;
  for (const auto& child : model.named_children()) names.push_back(child.key());
  return names.empty() ? "none" : join(names, ", ");
}

std::unique_ptr<torch::optim::OptimizerOptions> group_options(const TrainerOptions& options,
                                                              double lr, double weight_decay) {
  if (options.optimizer == "adamw")
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(lr).weight_decay(weight_decay));
  if (options.optimizer == "sgd")
    return std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(lr)
                                                          .momentum(options.momentum)
                                                          .nesterov(options.nesterov)
                                                          .weight_decay(weight_decay));
  return std::make_unique<torch::optim::AdamOptions>(
      torch::optim::AdamOptions(lr).weight_decay(weight_decay));
}

/// The optimizer over `groups`; every group carries its own options, so the defaults passed
/// here only fill what a group leaves unset.
std::unique_ptr<torch::optim::Optimizer> build(
    const TrainerOptions& options, std::vector<torch::optim::OptimizerParamGroup> groups) {
  auto defaults = group_options(options, options.lr, options.weight_decay);
  if (options.optimizer == "adamw")
    return make_fused_adamw(std::move(groups), static_cast<torch::optim::AdamWOptions&>(*defaults));
  if (options.optimizer == "sgd")
    return std::make_unique<torch::optim::SGD>(std::move(groups),
                                               static_cast<torch::optim::SGDOptions&>(*defaults));
  return make_fused_adam(std::move(groups), static_cast<torch::optim::AdamOptions&>(*defaults));
}

}  // namespace

bool under_prefix(const std::string& name, const std::string& prefix) {
  return name == prefix ||
         (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
          name[prefix.size()] == '.');
}

OptimizerSetup make_optimizer(torch::nn::Module& model, const TrainerOptions& options) {
  std::vector<std::vector<torch::Tensor>> members(options.param_groups.size() + 1);
  for (const auto& parameter : model.named_parameters()) {
    size_t group = options.param_groups.size();
    for (size_t g = 0; g < options.param_groups.size(); ++g)
      if (under_prefix(parameter.key(), options.param_groups[g].params)) {
        group = g;
        break;
      }
    members[group].push_back(parameter.value());
  }
  OptimizerSetup setup;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (size_t g = 0; g < options.param_groups.size(); ++g) {
    const ParamGroupOptions& spec = options.param_groups[g];
    if (members[g].empty())
      throw ConfigError("trainer.param_groups[" + std::to_string(g) + "].params: '" + spec.params +
                        "' names no parameter of the model (its modules: " + module_names(model) +
                        ")");
    double lr = spec.lr.value_or(options.lr);
    groups.emplace_back(
        members[g], group_options(options, lr, spec.weight_decay.value_or(options.weight_decay)));
    setup.base_lrs.push_back(lr);
  }
  if (!members.back().empty() || groups.empty()) {
    groups.emplace_back(members.back(), group_options(options, options.lr, options.weight_decay));
    setup.base_lrs.push_back(options.lr);
  }
  setup.optimizer = build(options, std::move(groups));
  return setup;
}

void set_learning_rates(OptimizerSetup& setup, int64_t epoch, double scale,
                        const TrainerOptions& options) {
  auto& groups = setup.optimizer->param_groups();
  for (size_t g = 0; g < groups.size(); ++g)
    groups[g].options().set_lr(scheduled_lr(setup.base_lrs[g], epoch, options) * scale);
}

const PhaseOptions* phase_at(const TrainerOptions& options, int64_t epoch) {
  const PhaseOptions* current = nullptr;
  for (const auto& phase : options.phases)
    if (phase.from_epoch <= epoch && (!current || phase.from_epoch >= current->from_epoch))
      current = &phase;
  return current;
}

void apply_freezing(torch::nn::Module& model, const std::vector<std::string>& prefixes) {
  std::vector<bool> used(prefixes.size(), false);
  for (auto& parameter : model.named_parameters()) {
    bool frozen = false;
    for (size_t p = 0; p < prefixes.size(); ++p)
      if (under_prefix(parameter.key(), prefixes[p])) frozen = used[p] = true;
    torch::Tensor& tensor = parameter.value();
    if (frozen && tensor.grad().defined()) tensor.mutable_grad() = torch::Tensor();
    tensor.set_requires_grad(!frozen);
  }
  for (size_t p = 0; p < prefixes.size(); ++p)
    if (!used[p])
      throw ConfigError("trainer.phases: freeze: '" + prefixes[p] +
                        "' names no parameter of the model (its modules: " + module_names(model) +
                        ")");
  for (const auto& module : model.named_modules("", /*include_self=*/false))
    for (const auto& prefix : prefixes)
      if (under_prefix(module.key(), prefix)) module.value()->eval();
}

}  // namespace aelab
