// launcher.stack through run_sweep: jobs that differ in seed, learning rate and code size train
// as one stacked model and write the run files separate runs write (same run ids, metrics and
// histories); jobs of other architectures form stacks of their own; what cannot stack runs
// alone.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "framework/core/yaml_io.h"
#include "framework/experiment/model_store.h"
#include "framework/results/result_table.h"
#include "framework/results/run_record.h"
#include "framework/sweep/workers/job_worker.h"
#include "framework/sweep/workers/stacked_jobs.h"
#include "tests/sweep/run_sweep_in_child.h"
#include "tests/sweep/toy_data_sweep.h"

namespace aelab {
namespace {

class StackedSweep : public testing::ToyDataSweep {
 protected:
  testing::CommandResult sweep(const std::string& out, const std::string& arguments,
                               const std::string& environment = "") const {
    return ToyDataSweep::sweep(out, "--jobs 1 " + arguments, environment);
  }
};

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

/// Every metric of `b` within 1e-4 relative of `a`'s (NaN where `a` has NaN). Stacked and separate
/// runs take the same steps through batched and single matrix products, which OpenBLAS need not
/// round alike: on an AMD EPYC (its Haswell kernels) they differ in the last bits.
void expect_metrics_near(const RunRecord& a, const RunRecord& b, const std::string& id) {
  for (const auto& [split, metrics] : a.metrics)
    for (const auto& [name, value] : metrics) {
      ASSERT_TRUE(b.metrics.count(split) && b.metrics.at(split).count(name))
          << id << " " << split << "/" << name;
      const double other = b.metrics.at(split).at(name);
      if (std::isnan(value))
        EXPECT_TRUE(std::isnan(other)) << id << " " << split << "/" << name;
      else
        EXPECT_NEAR(other, value, 1e-4 * (1 + std::abs(value)))
            << id << " " << split << "/" << name;
    }
  EXPECT_EQ(b.metrics.size(), a.metrics.size()) << id;
}

/// The weights in the run files `a` and `b` of one run, tensor by tensor, within the same
/// tolerance.
void expect_weights_near(const std::string& a, const std::string& b) {
  auto first = load_run_model(a), second = load_run_model(b);
  auto theirs = second->named_parameters();
  ASSERT_EQ(first->named_parameters().size(), theirs.size());
  for (const auto& item : first->named_parameters())
    EXPECT_TRUE(torch::allclose(item.value(), theirs[item.key()], 1e-4, 1e-6))
        << b << " " << item.key();
}

TEST_F(StackedSweep, StackedRunsWriteTheRunFilesSeparateRunsWrite) {
  const std::string args =
      "model=mlp_ae encoder.hidden=[16] decoder.hidden=[16] model.latent_dim=2,4 seed=1,2 "
      "trainer.lr=1e-3,3e-3 noise=gaussian trainer.epochs=3";
  auto separate = sweep("separate", "--quiet " + args);
  ASSERT_EQ(separate.exit_code, 0) << separate.output;
  auto stacked = sweep("stacked", args + " launcher.stack=8");
  ASSERT_EQ(stacked.exit_code, 0) << stacked.output;
  EXPECT_EQ(count_of(stacked.output,
                     "training 8 jobs as one stacked model: #0 #1 #2 #3 #4 #5 "
                     "#6 #7"),
            1u)
      << stacked.output;
  EXPECT_EQ(count_of(stacked.output, "] epoch 3/3"), 8u) << stacked.output;
  // The stack's jobs end together: its lines estimate nothing from its first job alone.
  EXPECT_EQ(count_of(stacked.output, "ETA"), 0u) << stacked.output;
  auto alone = runs("separate"), together = runs("stacked");
  ASSERT_EQ(alone.size(), 8u);
  ASSERT_EQ(together.size(), 8u);
  for (const auto& [id, a] : alone) {
    ASSERT_TRUE(together.count(id)) << "stacking changed a run id: " << id;
    const RunRecord& b = together.at(id);
    EXPECT_EQ(b.status, "completed") << b.error;
    EXPECT_EQ(b.config_yaml, a.config_yaml);
    EXPECT_NE(b.notes.at("training").find("stacked: trained at once with the runs "),
              std::string::npos);
    EXPECT_NE(b.notes.at("training").find(id), std::string::npos) << b.notes.at("training");
    EXPECT_NE(b.notes.at("training").find("(jobs #0"), std::string::npos) << b.notes.at("training");
    EXPECT_FALSE(a.notes.count("training"));
    expect_metrics_near(a, b, id);
    for (const auto& [split, metrics] : a.history)
      for (const auto& [name, values] : metrics)
        if (name != "seconds")
          for (size_t e = 0; e < values.size(); ++e)
            EXPECT_NEAR(b.history.at(split).at(name).at(e), values[e],
                        1e-4 * (1 + std::abs(values[e])))
                << id << " " << split << "/" << name;
    expect_weights_near(run_file_path(dir_.file("separate"), id),
                        run_file_path(dir_.file("stacked"), id));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.file("stacked/checkpoints")) &&
               !std::filesystem::is_empty(dir_.file("stacked/checkpoints")));
}

TEST_F(StackedSweep, AKilledStackResumesEachVariantFromItsOwnCheckpoint) {
  const std::string args =
      "--quiet model=mlp_ae encoder.hidden=[16] decoder.hidden=[16] model.latent_dim=2,3 "
      "trainer.epochs=4 trainer.checkpoint_every=1 noise=masking";
  auto whole = sweep("whole", args);
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  // The first variant's checkpoint of epoch 2 is written, then the worker dies as with kill -9.
  auto killed = sweep("killed", args + " launcher.stack=2", "AELAB_KILL_AFTER_CHECKPOINT=2");
  EXPECT_EQ(killed.exit_code, 1) << killed.output;
  EXPECT_EQ(count_of(killed.output,
                     "failed: worker killed by SIGKILL (the kernel's out-of-memory killer, or kill "
                     "-9) without writing results"),
            2u)
      << killed.output;
  auto resumed = sweep("killed", args.substr(8) + " launcher.stack=2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(count_of(resumed.output, "resuming from the checkpoint of epoch 2"), 1u)
      << resumed.output;
  EXPECT_EQ(count_of(resumed.output, "resuming from the checkpoint of epoch 1"), 1u)
      << resumed.output;
  auto a = runs("whole"), b = runs("killed");
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (const auto& [id, run] : a) {
    ASSERT_TRUE(b.count(id));
    EXPECT_EQ(b.at(id).status, "completed");
    expect_metrics_near(run, b.at(id), id);
    expect_weights_near(run_file_path(dir_.file("whole"), id),
                        run_file_path(dir_.file("killed"), id));
  }
}

TEST_F(StackedSweep, CtrlCLeavesADivergedVariantDivergedAndResumesTheRest) {
  // lr=1e6 on an unbounded output diverges in epoch 1; a Ctrl-C comes after epoch 2.
  const std::string args =
      "--quiet model=mlp_ae_real model.latent_dim=2 trainer.lr=1e-3,1e6 trainer.epochs=4";
  auto whole = sweep("whole", args);
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  auto stopped = sweep("stopped", args + " launcher.stack=2", "AELAB_INTERRUPT_AFTER_EPOCH=2");
  EXPECT_EQ(stopped.exit_code, 3) << stopped.output;
  auto a = runs("whole"), b = runs("stopped");
  ASSERT_EQ(b.size(), 2u) << stopped.output;
  std::string diverged_id;
  for (const auto& [id, run] : a) {
    if (run.status == "diverged") diverged_id = id;
    EXPECT_EQ(b.at(id).status, run.status == "diverged" ? "diverged" : "interrupted") << id;
    if (run.status == "diverged") EXPECT_EQ(b.at(id).error, run.error);
  }
  ASSERT_FALSE(diverged_id.empty()) << whole.output;
  EXPECT_NE(a.at(diverged_id).error.find("in epoch 1"), std::string::npos);
  // The interrupted variant's record holds its share of the stacked time so far.
  std::string stopped_id;
  for (const auto& [id, run] : b)
    if (id != diverged_id) stopped_id = id;
  EXPECT_GT(b.at(stopped_id).wall_seconds, 0);
  auto resumed = sweep("stopped", args.substr(8) + " launcher.stack=2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(count_of(resumed.output, "resuming from the checkpoint of epoch 2"), 1u)
      << resumed.output;
  b = runs("stopped");
  for (const auto& [id, run] : a) {
    EXPECT_EQ(b.at(id).status, run.status) << id;
    expect_metrics_near(run, b.at(id), id);
    EXPECT_EQ(b.at(id).history.at("train").at("loss").size(),
              run.history.at("train").at("loss").size())
        << id;
  }
}

TEST_F(StackedSweep, AStackedRunReproducesWithinTheTolerance) {
  auto result = sweep("padded",
                      "--quiet model=mlp_ae encoder.hidden=[16] decoder.hidden=[16] "
                      "model.latent_dim=2,5 trainer.epochs=2 launcher.stack=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const auto& [id, run] : runs("padded")) {
    auto again = testing::run_sweep("--quiet --reproduce " + dir_.file("padded/runs/" + id + ".h5"),
                                    "AELAB_CACHE_DIR=" + dir_.file("cache"));
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("the run was trained stacked"), std::string::npos) << again.output;
  }
}

TEST_F(StackedSweep, OnlyJobsOfOneArchitectureStackAndTheRestRunAlone) {
  auto result = sweep("mixed",
                      "model=mlp_ae,conv_ae,linear_ae model.latent_dim=2 seed=1,2,3 "
                      "trainer.epochs=1 launcher.stack=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // 3 jobs of each stackable model in stacks of at most 2 (2 + 1); conv_ae's jobs run alone.
  EXPECT_EQ(count_of(result.output, "training 2 jobs as one stacked model"), 2u) << result.output;
  // Every job that trains alone is accounted for, the stackable ones left over too.
  EXPECT_NE(
      result.output.find("launcher.stack: 2 job(s) run alone (#2 #8): left over when the jobs that "
                         "stack together were split"),
      std::string::npos)
      << result.output;
  auto all = runs("mixed");
  EXPECT_EQ(all.size(), 9u);
  size_t stacked = 0;
  for (const auto& [id, run] : all) {
    EXPECT_EQ(run.status, "completed") << run.error;
    if (run.notes.count("training")) {
      ++stacked;
      EXPECT_NE(run.choices.at("model"), "conv_ae");
    }
  }
  EXPECT_EQ(stacked, 4u);
}

TEST_F(StackedSweep, DryRunShowsTheStacksAndWhatRunsAlone) {
  auto result = ToyDataSweep::sweep("dry",
                                    "--dry-run --jobs 2 model=mlp_ae,conv_ae model.latent_dim=2,4 "
                                    "seed=1,2 launcher.stack=4");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // The 4 mlp_ae jobs in one stack: the 4 conv_ae jobs, which run alone, keep the other worker
  // busy.
  EXPECT_NE(result.output.find("# stacks (launcher.stack=4, 2 worker(s)): #0 #1 #2 #3\n"),
            std::string::npos)
      << result.output;
  EXPECT_NE(
      result.output.find("# 4 job(s) run alone (#4 #5 #6 #7): encoder.name=conv does not stack"),
      std::string::npos)
      << result.output;
  // As few stacks as keep every worker busy, each key's jobs split as evenly as they go.
  struct Plan {
    std::string arguments, lines;
  };
  const std::vector<Plan> plans = {
      // Two stack keys (the epochs differ) of two jobs each, on two workers: a stack each.
      {"--jobs 2 model=mlp_ae trainer.epochs=1,2 seed=1,2 launcher.stack=4",
       "# stacks (launcher.stack=4, 2 worker(s)): #0 #1 | #2 #3\n# stacks apart where "
       "trainer.epochs differs: a stack's jobs differ only in seed, trainer.lr, "
       "trainer.weight_decay, model.latent_dim, the noise level, eval and checkpointing\n"},
      {"--jobs 2 model=mlp_ae trainer.epochs=1,2 seed=1,2,3,4 launcher.stack=4",
       "# stacks (launcher.stack=4, 2 worker(s)): #0 #1 #2 #3 | #4 #5 #6 #7\n"},
      // Six jobs of one key over four workers: four stacks, one per worker.
      {"--jobs 4 model=mlp_ae seed=1,2,3,4,5,6 launcher.stack=4",
       "# stacks (launcher.stack=4, 4 worker(s)): #0 #1 | #2 #3\n# 2 job(s) run alone (#4 #5): "
       "left "
       "over when the jobs that stack together were split into stacks that keep every worker "
       "busy\n"},
      // Five jobs of one key in stacks of at most 4, over one worker: 3 and 2, not 4 and 1.
      {"--jobs 1 model=mlp_ae seed=1,2,3,4,5 launcher.stack=4",
       "# stacks (launcher.stack=4, 1 worker(s)): #0 #1 #2 | #3 #4\n"},
      // No more jobs than workers: none stack, and the line says why.
      {"--jobs 2 model=mlp_ae seed=1,2 launcher.stack=2",
       "# stacks (launcher.stack=2, 2 worker(s)): none\n# 2 job(s) run alone (#0 #1): with 2 "
       "workers, "
       "a stack would leave one idle: each job runs on a worker of its own (stacks pay where "
       "the jobs outnumber the workers)\n"},
  };
  for (size_t i = 0; i < plans.size(); ++i) {
    auto planned =
        ToyDataSweep::sweep("plan" + std::to_string(i), "--dry-run " + plans[i].arguments);
    EXPECT_NE(planned.output.find(plans[i].lines), std::string::npos) << plans[i].arguments << "\n"
                                                                      << planned.output;
  }
}

TEST(StackKey, SeedRateDecayCodeSizeAndNoiseLevelMayDiffer) {
  auto config = [](const std::string& extra) {
    return parse_yaml(
        "experiment: {name: reconstruction}\nseed: 1\ndevice: cpu\n"
        "data: {name: idx}\nmodel: {name: ae, latent_dim: 4}\n"
        "encoder: {name: mlp, hidden: [8]}\ndecoder: {name: mlp, hidden: [8]}\n"
        "objective: {name: reconstruction, loss: mse}\nnoise: {name: gaussian, std: 0.1}\n"
        "trainer: {optimizer: adam, lr: 0.001, weight_decay: 0, lr_schedule: constant, "
        "warmup_epochs: 0, param_groups: [], phases: [], clip_grad_norm: null, "
        "init_from: null}\n" +
            extra,
        "test");
  };
  const std::string base = stack_key(config(""));
  ASSERT_FALSE(base.empty());
  ConfigNode varied = config("");
  varied.set("seed", ConfigNode::integer(7));
  varied.find("trainer")->set("lr", ConfigNode::real(0.01));
  varied.find("trainer")->set("weight_decay", ConfigNode::real(0.1));
  varied.find("model")->set("latent_dim", ConfigNode::integer(32));
  varied.find("noise")->set("std", ConfigNode::real(0.5));
  EXPECT_EQ(stack_key(varied), base);
  ConfigNode wider = config("");
  wider.find("encoder")->set("hidden", ConfigNode::list({ConfigNode::integer(16)}));
  EXPECT_NE(stack_key(wider), base);
  ConfigNode sgd = config("");
  sgd.find("trainer")->set("optimizer", ConfigNode::string("sgd"));
  std::string why;
  EXPECT_EQ(stack_key(sgd, &why), "");
  EXPECT_NE(why.find("trainer.optimizer=sgd"), std::string::npos) << why;
  ConfigNode conv = config("");
  conv.find("encoder")->set("name", ConfigNode::string("conv"));
  EXPECT_EQ(stack_key(conv, &why), "");
  EXPECT_NE(why.find("encoder.name=conv"), std::string::npos) << why;
}

TEST(JobsAloneLine, NamesTheFirstEightJobsOfMany) {
  EXPECT_EQ(jobs_alone_line("why", {3}), "1 job(s) run alone (#3): why");
  EXPECT_EQ(jobs_alone_line("why", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
            "10 job(s) run alone (#0 #1 #2 #3 #4 #5 #6 #7 and 2 more): why");
}

}  // namespace
}  // namespace aelab
