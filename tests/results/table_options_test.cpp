// make_table's options: filters, several row keys, group choices, baselines as columns or rows,
// ratios, bold best values, medians, and the digits a column needs.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/core/error.h"
#include "framework/results/metric_direction.h"
#include "framework/results/result_table.h"
#include "framework/results/results_folder.h"
#include "framework/results/table_renames.h"
#include "tests/results/csv_table_spec.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

RunRecord run(const std::string& id, const std::string& family, int64_t k, int64_t seed, double sse,
              double pca_sse) {
  RunRecord r;
  r.run_id = id;
  r.config_yaml = family == "pca"
                      ? "model: {name: pca, latent_dim: " + std::to_string(k) + "}\n"
                      : "model: {name: ae, latent_dim: " + std::to_string(k) +
                            "}\nencoder: {name: " + family + "}\ndecoder: {name: " + family + "}\n";
  r.config_yaml += "seed: " + std::to_string(seed) + "\n";
  r.status = "completed";
  r.seed = seed;
  r.choices["model"] = family + "_ae";
  r.metrics["test"]["sse"] = sse;
  r.metrics["test"]["psnr"] = 100 - sse;
  r.baselines["pca"]["test"]["sse"] = pca_sse;
  r.baselines["pca"]["test"]["psnr"] = 100 - pca_sse;
  return r;
}

/// Two families at k = 2 and 8, two seeds each; PCA's value is the same beside every model of a
/// k, whatever the seed.
std::vector<RunRecord> sweep() {
  return {run("a", "mlp", 2, 0, 20, 30),      run("b", "mlp", 2, 1, 22, 30),
          run("c", "linear", 2, 0, 31, 30),   run("d", "linear", 2, 1, 31, 30),
          run("e", "mlp", 8, 0, 10, 15),      run("f", "mlp", 8, 1, 12, 15),
          run("g", "linear", 8, 0, 15.5, 15), run("h", "linear", 8, 1, 15.5, 15)};
}

TEST(TableOptions, WhereKeepsMatchingRunsAndNamesWhatIsMissing) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.where = {"family=mlp", "model.latent_dim=8.0"};  // numbers compare as numbers
  EXPECT_EQ(
      make_table(sweep(), s),
      "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n\n8,11,1.4142135623730951,2\n");
  s.where = {"model=linear_ae"};  // a group's choice
  EXPECT_EQ(make_table(sweep(), s),
            "model.latent_dim,linear test/sse,linear test/sse std,linear test/sse "
            "n\n2,31,0,2\n8,15.5,0,2\n");
  s.where = {"model.latent_dim=4"};
  EXPECT_THROW(make_table(sweep(), s), ConfigError);
  s.where = {"nosuch.key=1"};
  EXPECT_THROW(make_table(sweep(), s), ConfigError);
  s.where = {"latent_dim"};
  EXPECT_THROW(make_table(sweep(), s), ConfigError);
  s.where = {"family=mlp,linear", "model.latent_dim=2"};  // either value, as a Hydra sweep
  EXPECT_EQ(make_table(sweep(), s),
            "model.latent_dim,linear test/sse,linear test/sse std,linear test/sse n,mlp "
            "test/sse,mlp test/sse std,mlp test/sse n\n"
            "2,31,0,2,21,1.4142135623730951,2\n");
  s.where = {"family=mlp,lineer"};  // every value must match some run
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--where family=mlp,lineer: no run has family=lineer (did you mean family=linear? "
            "values: linear, mlp)");
  s.where = {"family=mlp", "family=linear"};  // each narrows the runs further
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--where family=linear: no run that --where family=mlp keeps has family=linear (each "
            "--where narrows the runs further; family=a,b keeps either value)");
}

TEST(TableOptions, WhereSaysHowManyRunsLackItsKey) {
  std::vector<RunRecord> runs = sweep();
  for (RunRecord& r : runs) r.config_yaml += "trainer: {lr: 0.003}\n";
  runs.push_back(run("p", "pca", 2, 0, 30, 30));  // PCA trains no weights: it has no trainer.lr
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.where = {"trainer.lr=0.003"};
  std::vector<std::string> warnings;
  make_table(runs, s, &warnings);
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "--where trainer.lr=0.003: 1 run(s) have no trainer.lr in their config "
                          "and are left out (1 pca); --baseline pca adds the PCA baseline that "
                          "the kept runs record"});
  s.baselines = {"pca"};  // already there: nothing to suggest
  warnings.clear();
  make_table(runs, s, &warnings);
  EXPECT_EQ(warnings, std::vector<std::string>{"--where trainer.lr=0.003: 1 run(s) have no "
                                               "trainer.lr in their config and are left out (1 "
                                               "pca)"});
  s.baselines = {};
  s.where = {"model.latent_dim=2"};  // every run has it: nothing to say
  warnings.clear();
  make_table(runs, s, &warnings);
  EXPECT_TRUE(warnings.empty());
}

TEST(TableOptions, MisspelledNamesGetTheClosestNameTheRunsHave) {
  auto error = [](TableSpec s, const std::vector<RunRecord>& runs = sweep()) {
    return testing::message_of<ConfigError>([&] { make_table(runs, s); });
  };
  TableSpec s = testing::csv_table_spec("model.latent_dm", "family");
  EXPECT_EQ(error(s),
            "--rows model.latent_dm: no run has this key (did you mean "
            "'model.latent_dim'?)");
  s = testing::csv_table_spec("model.latent_dim", "famly");
  EXPECT_EQ(error(s), "--cols famly: no run has this key (did you mean 'family'?)");
  s = testing::csv_table_spec("family", "family");
  EXPECT_EQ(error(s),
            "--cols family: family is in --rows too; a key goes on one axis (--cols '' "
            "for none)");
  s = testing::csv_table_spec("model.latent_dim", "family");
  s.where = {"encoder.nmae=mlp"};
  EXPECT_EQ(error(s),
            "--where encoder.nmae=mlp: no run has 'encoder.nmae' (did you mean "
            "'encoder.name'?)");
  s.where = {"family=mpl"};
  EXPECT_EQ(error(s),
            "--where family=mpl: no run has family=mpl (did you mean family=mlp? "
            "values: linear, mlp)");
  s.where = {"qqq=1"};  // nothing close: what keys look like
  EXPECT_NE(error(s).find("(a config key such as model.latent_dim"), std::string::npos);
  s.where = {};
  s.metrics = {"test/ss"};
  EXPECT_EQ(error(s),
            "--metric test/ss: no completed run has it (did you mean 'test/sse'? known: "
            "baseline/pca/test/psnr, baseline/pca/test/sse, test/psnr, test/sse)");
  // A metric of another experiment is no typo: the message says which experiments ran.
  std::vector<RunRecord> runs = sweep();
  for (auto& run : runs) run.config_yaml += "experiment: {name: reconstruction}\n";
  s.metrics = {"test/auroc"};
  EXPECT_EQ(error(s, runs).rfind("--metric test/auroc: no completed run has it; they are runs of "
                                 "experiment=reconstruction (",
                                 0),
            0u)
      << error(s, runs);
}

TEST(TableOptions, TheCaptionSaysWhereTestMetricsAreOverATestSubset) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.where = {"seed=0"};
  auto caption = [&](const std::vector<RunRecord>& runs) {
    const std::string table = make_table(runs, s);
    return table.substr(0, table.find('\n'));
  };
  std::vector<RunRecord> runs = sweep();
  for (auto& r : runs) r.config_yaml += "data: {name: idx, test_subset: null}\n";
  EXPECT_EQ(caption(runs), "test/sse (one run per cell)");
  std::vector<RunRecord> subset = sweep();
  for (auto& r : subset) r.config_yaml += "data: {name: idx, test_subset: 1000}\n";
  EXPECT_EQ(caption(subset),
            "test/sse (one run per cell; test metrics over the first 1000 test images "
            "(data.test_subset))");
  // Some cells over a subset, others over every test image.
  subset.front().config_yaml = runs.front().config_yaml;
  EXPECT_EQ(caption(subset),
            "test/sse (one run per cell; test metrics over the first 1000 test images in some "
            "cells, over all of them in the others (data.test_subset))");
  subset.front().config_yaml =
      sweep().front().config_yaml + "data: {name: idx, test_subset: 300}\n";
  EXPECT_EQ(caption(subset),
            "test/sse (one run per cell; test metrics over the first 300 or 1000 test images, by "
            "cell (data.test_subset))");
  // Shown by the labels: nothing more to say.
  s.rows = "model.latent_dim,data.test_subset";
  EXPECT_EQ(caption(subset), "test/sse (one run per cell)");
}

TEST(TableOptions, TheCaptionSpeaksOfSeedsOnlyWhereACellHasSeveral) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.bold = true;
  s.where = {"seed=0"};
  const std::string one = make_table(sweep(), s);
  EXPECT_EQ(one.substr(0, one.find('\n')), "test/sse (one run per cell; best per row in bold)");
  s.where = {};
  const std::string two = make_table(sweep(), s);
  EXPECT_EQ(two.substr(0, two.find('\n')),
            "test/sse (mean ± std over 2 seeds; best per row in bold)");
  // The KL term has no better end: nothing is bold, and the caption promises nothing.
  std::vector<RunRecord> runs = sweep();
  for (auto& run : runs) run.metrics["test"]["kl"] = run.metrics["test"]["sse"] / 2;
  s.metrics = {"test/kl"};
  const std::string kl = make_table(runs, s);
  EXPECT_EQ(kl.substr(0, kl.find('\n')), "test/kl (mean ± std over 2 seeds)");
  EXPECT_EQ(kl.find("**"), std::string::npos) << kl;
  // Beside the SSE, the title says which metric's cells are never bold.
  s.metrics = {"test/kl", "test/sse"};
  const std::string both = make_table(runs, s);
  EXPECT_EQ(both.substr(0, both.find('\n')),
            "test/kl, test/sse (mean ± std over 2 seeds; best per row in bold except test/kl, "
            "which has no better end)");
}

TEST(TableOptions, AMisspelledResultsFolderGetsTheFoldersBesideIt) {
  testing::ScratchDir dir;
  dir.write("bottleneck/runs/.keep", "");
  dir.write("denoising/runs/.keep", "");
  dir.write("figures/a.png", "");
  const std::string base = dir.path();
  EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + "/botleneck"); }),
            base + "/botleneck: no such folder; give the folder run_sweep wrote (did you mean '" +
                base + "/bottleneck'? known: " + base + "/bottleneck, " + base + "/denoising)");
  // Names are compared, not the paths they share: `nope` is close to no folder.
  EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + "/nope"); }),
            base + "/nope: no such folder; give the folder run_sweep wrote (known: " + base +
                "/bottleneck, " + base + "/denoising)");
  EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + "/figures"); }),
            base + "/figures: no runs/ folder; give the folder run_sweep wrote (known: " + base +
                "/bottleneck, " + base + "/denoising)");
  // A folder inside a results folder: the results folder is meant.
  dir.write("bottleneck/jobs/0.log", "");
  for (const std::string inside : {"/bottleneck/jobs", "/bottleneck/runs", "/bottleneck/jobs/x"})
    EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + inside); }),
              base + inside + ": a folder inside the results folder " + base +
                  "/bottleneck; give that folder");
  // Its summary or a run file: the same. A file in no results folder is no folder.
  dir.write("bottleneck/summary.h5", "");
  for (const std::string inside : {"/bottleneck/summary.h5", "/bottleneck/runs/a1.h5"}) {
    dir.write(inside.substr(1), "");
    EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + inside); }),
              base + inside + ": a file inside the results folder " + base +
                  "/bottleneck; give that folder");
  }
  dir.write("notes.txt", "");
  EXPECT_EQ(testing::message_of<DataError>([&] { read_results(base + "/notes.txt"); }),
            base + "/notes.txt: a file, not a folder; give the folder run_sweep wrote (known: " +
                base + "/bottleneck, " + base + "/denoising)");
}

TEST(TableOptions, BaselineIsAColumnOrARowCountedOncePerSeedAndK) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.baselines = {"pca"};
  // Four runs carry PCA at k=2 with the same value: one value, no spread.
  EXPECT_EQ(
      make_table(sweep(), s),
      "model.latent_dim,linear test/sse,linear test/sse std,linear test/sse n,mlp test/sse,mlp "
      "test/sse std,mlp test/sse n,pca test/sse,pca test/sse std,pca test/sse n\n"
      "2,31,0,2,21,1.4142135623730951,2,30,0,2\n8,15.5,0,2,11,1.4142135623730951,2,15,0,2\n");
  s = testing::csv_table_spec("family", "model.latent_dim");
  s.baselines = {"pca"};
  const std::string by_family = make_table(sweep(), s);
  EXPECT_EQ(by_family.substr(0, by_family.find("\npca")),
            "family,2 test/sse,2 test/sse std,2 test/sse n,8 test/sse,8 test/sse std,8 test/sse "
            "n\nlinear,31,0,2,15.5,0,2\nmlp,21,1.4142135623730951,2,11,1.4142135623730951,2");
  EXPECT_NE(make_table(sweep(), s).find("\npca,30,0,2,15,0,2\n"), std::string::npos)
      << make_table(sweep(), s);
  s = testing::csv_table_spec("model.latent_dim",
                              "");  // no family key: the baseline gets a column of its own
  s.baselines = {"pca"};
  s.where = {"family=linear"};
  EXPECT_EQ(make_table(sweep(), s),
            "model.latent_dim,test/sse,test/sse std,test/sse n,pca test/sse,pca test/sse std,pca "
            "test/sse n\n"
            "2,31,0,2,30,0,2\n8,15.5,0,2,15,0,2\n");
  // A column key that names the model (the group's choice) names the baseline too, once.
  s = testing::csv_table_spec("model.latent_dim", "model");
  s.baselines = {"pca"};
  s.where = {"family=linear"};
  EXPECT_EQ(make_table(sweep(), s),
            "model.latent_dim,linear_ae test/sse,linear_ae test/sse std,linear_ae test/sse n,pca "
            "test/sse,pca test/sse std,pca test/sse n\n"
            "2,31,0,2,30,0,2\n8,15.5,0,2,15,0,2\n");
  s.baselines = {"raw"};
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--baseline raw: no run records /baseline/raw (known: pca)");
  // A model option that does not name the model (a segmenter's skips, say): the baseline keeps
  // the recording run's value, in columns of its own after the runs' own.
  std::vector<RunRecord> with_skips = sweep();
  for (auto& run : with_skips)
    run.config_yaml.insert(run.config_yaml.find("latent_dim"),
                           run.seed ? "skips: true, " : "skips: false, ");
  s = testing::csv_table_spec("model.skips", "model.latent_dim");
  s.baselines = {"pca"};
  s.where = {"family=mlp"};
  EXPECT_EQ(make_table(with_skips, s),
            "model.skips,2 test/sse,2 test/sse std,2 test/sse n,8 test/sse,8 test/sse std,"
            "8 test/sse n,\"2, pca test/sse\",\"2, pca test/sse std\",\"2, pca test/sse n\","
            "\"8, pca test/sse\",\"8, pca test/sse std\",\"8, pca test/sse n\"\n"
            "false,20,,1,10,,1,30,,1,15,,1\n"
            "true,22,,1,12,,1,30,,1,15,,1\n");
  // A baseline that lacks the table's metric: not a column of empty cells.
  s.baselines = {"pca"};
  s.metrics = {"test/mse"};
  s.where = {};
  std::vector<RunRecord> runs = sweep();
  for (auto& run : runs) run.metrics["test"]["mse"] = 1;
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(runs, s); }),
            "--baseline pca: its runs record none of test/mse under /baseline/pca (they record "
            "test/psnr, test/sse; choose one with --metric)");
}

TEST(TableOptions, RelativeToDividesByTheReferenceColumnOfTheRow) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.baselines = {"pca"};
  s.relative_to = "pca";
  s.where = {"family=linear"};
  // A CSV has no title, so each value column's header says what it is divided by.
  EXPECT_EQ(make_table(sweep(), s),
            "model.latent_dim,linear test/sse (relative to pca),"
            "linear test/sse std (relative to pca),linear test/sse n,"
            "pca test/sse (relative to pca),pca test/sse std (relative to pca),pca test/sse n\n"
            "2,1.0333333333333334,0,2,1,0,2\n8,1.0333333333333334,0,2,1,0,2\n");
  // A row without the reference has no ratio, but its runs are still counted.
  std::vector<RunRecord> runs = sweep();
  RunRecord alone = run("k4", "linear", 4, 0, 40, 0);
  alone.baselines.clear();
  runs.push_back(alone);
  const std::string csv = make_table(runs, s);
  EXPECT_EQ(csv.substr(csv.find("\n4,")), "\n4,,,1,,,0\n8,1.0333333333333334,0,2,1,0,2\n") << csv;
  s.relative_to = "vae";
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--relative-to vae: no column or row is labelled 'vae' (columns: linear, pca; give one "
            "of them)");
  // With families as rows and one unlabelled column, the message names the rows.
  s = testing::csv_table_spec("family", "");
  s.relative_to = "pca";
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--relative-to pca: no column or row is labelled 'pca' (rows: linear, mlp; give one of "
            "them, or add a baseline with --baseline NAME)");
}

TEST(TableOptions, RelativeToARowDividesByTheReferenceRowOfTheColumn) {
  // Families as rows (make_table then gives one column): each value over the pca row's.
  TableSpec s = testing::csv_table_spec("family", "");
  s.baselines = {"pca"};
  s.relative_to = "pca";
  s.where = {"model.latent_dim=8"};
  EXPECT_EQ(make_table(sweep(), s),
            "family,test/sse (relative to pca),test/sse std (relative to pca),test/sse n\n"
            "linear,1.0333333333333334,0,2\nmlp,0.7333333333333333,0.09428090415820635,2\n"
            "pca,1,0,2\n");
  // Over both latent_dims, a cell pools them: the table says what its ratios are then.
  s.where = {};
  s.format = "md";
  std::vector<std::string> warnings;
  make_table(sweep(), s, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "--relative-to pca: the cells pool runs that differ in model.latent_dim, so each value "
            "is the cell's mean over pca's mean over those runs, not a mean of like-for-like "
            "ratios (add model.latent_dim to --rows or --cols to compare at equal values)");
  // With a second key, the reference is the pca row of the same latent_dim.
  s = testing::csv_table_spec("family,model.latent_dim", "");
  s.baselines = {"pca"};
  s.relative_to = "pca";
  s.where = {"family=linear"};
  EXPECT_EQ(make_table(sweep(), s),
            "family,model.latent_dim,test/sse (relative to pca),test/sse std (relative to pca),"
            "test/sse n\nlinear,2,1.0333333333333334,0,2\nlinear,8,1.0333333333333334,0,2\n"
            "pca,2,1,0,2\npca,8,1,0,2\n");
}

TEST(TableOptions, RunsWithoutTheMetricAreLeftOutWithAWarning) {
  // An anomaly run beside a bottleneck sweep: it records no test/sse, so it fills no row of a
  // table of test/sse (not a row of empty cells), and a warning counts it.
  std::vector<RunRecord> runs = sweep();
  RunRecord anomaly = run("z", "conv", 16, 0, 0, 0);
  anomaly.config_yaml += "anomaly: {normal_classes: [1]}\n";
  anomaly.metrics["test"] = {{"auroc", 0.9}};
  anomaly.baselines.clear();
  runs.push_back(anomaly);
  std::vector<std::string> warnings;
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  const std::string md = make_table(runs, s, &warnings);
  EXPECT_EQ(md.find("| 16"), std::string::npos) << md;
  EXPECT_EQ(md.find("conv"), std::string::npos) << md;
  EXPECT_EQ(md.substr(0, md.find('\n')), "test/sse (mean ± std over 2 seeds)") << md;
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "1 completed run(s) record none of test/sse and are left out, with the "
                          "rows and columns only they would fill (make a table of them with a "
                          "--metric they record)"});
  // A run of that other experiment that failed is left out too (no row of `1 failed`); a failed
  // run of the table's own experiment is shown.
  RunRecord failed = anomaly;
  failed.run_id = "y";
  failed.config_yaml += "experiment: {name: anomaly}\n";
  failed.status = "failed";
  failed.metrics.clear();
  runs.push_back(failed);
  RunRecord own = run("x", "mlp", 4, 0, 0, 0);
  own.status = "failed";
  runs.push_back(own);
  warnings.clear();
  const std::string with_failed = make_table(runs, s, &warnings);
  EXPECT_EQ(with_failed.find("| 16"), std::string::npos) << with_failed;
  EXPECT_NE(with_failed.find("| 4                |        | 1 failed     |"), std::string::npos)
      << with_failed;
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[1],
            "1 run(s) of experiment=anomaly did not complete and are left out: no completed run "
            "of that experiment records test/sse");
}

TEST(TableOptions, RunsWithoutARowOrColumnKeyAreLeftOutWithAWarning) {
  // Denoising runs of two noise models: masking has a fraction, gaussian a sigma.
  std::vector<RunRecord> runs;
  for (const auto& [id, noise] :
       std::vector<std::pair<std::string, std::string>>{{"a", "{name: masking, fraction: 0.1}"},
                                                        {"b", "{name: masking, fraction: 0.4}"},
                                                        {"c", "{name: gaussian, sigma: 0.3}"}}) {
    RunRecord r = run(id, "mlp", 8, 0, 10, 15);
    r.config_yaml += "noise: " + noise + "\n";
    runs.push_back(r);
  }
  std::vector<std::string> warnings;
  const std::string csv =
      make_table(runs, testing::csv_table_spec("noise.name", "noise.fraction"), &warnings);
  EXPECT_EQ(csv.find("gaussian"), std::string::npos) << csv;
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "1 run(s) have no noise.fraction in their config and are left out "
                          "(choose keys every run has, or make a table of those runs with "
                          "--where)"});
  // Keys each of which some runs have, but no run all of them.
  EXPECT_EQ(testing::message_of<ConfigError>([&] {
              make_table(runs, testing::csv_table_spec("noise.fraction,noise.sigma", ""));
            }),
            "--rows noise.fraction,noise.sigma: no run has all of these keys in its config (each "
            "key is some runs': of the 3 runs, 1 has no noise.fraction, 2 have no noise.sigma; "
            "make a table of the runs that share keys, with --where)");
}

TEST(TableOptions, RelativeToSubtractsDecibels) {
  // PSNR is a logarithm already: a ratio of two means nothing, their difference is the gain.
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.baselines = {"pca"};
  s.relative_to = "pca";
  s.where = {"family=linear"};  // k=2: linear 69 dB, pca 70; k=8: 84.5, 85
  s.metrics = {"test/psnr", "test/sse"};
  const std::string csv = make_table(sweep(), s);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "model.latent_dim,linear test/psnr (minus pca in dB),linear test/psnr std (minus pca "
            "in dB),linear test/psnr n,linear test/sse (relative to pca),linear test/sse std "
            "(relative to pca),linear test/sse n,pca test/psnr (minus pca in dB),pca test/psnr std "
            "(minus pca in dB),pca test/psnr n,pca test/sse (relative to pca),pca test/sse std "
            "(relative to pca),pca test/sse n");
  EXPECT_EQ(csv.substr(csv.find('\n')),
            "\n2,-1,0,2,1.0333333333333334,0,2,0,0,2,1,0,2\n"
            "8,-0.5,0,2,1.0333333333333334,0,2,0,0,2,1,0,2\n");
  s.format = "md";
  const std::string md = make_table(sweep(), s);
  EXPECT_EQ(md.substr(0, md.find('\n')),
            "test/psnr, test/sse (mean ± std over 2 seeds; relative to pca: the difference for "
            "test/psnr in dB, the ratio for the others)");
}

// Three VAE priors, one run each: a negative ELBO (higher is better), an AUROC and a metric
// aelab does not know, higher is better by --better, negative too.
std::vector<RunRecord> priors() {
  std::vector<RunRecord> runs;
  for (const auto& [prior, elbo] :
       {std::pair{"normal", -380.0}, {"mog", -379.0}, {"vamp", -382.0}}) {
    RunRecord r;
    r.run_id = prior;
    r.config_yaml = std::string("model: {name: vae}\nprior: {name: ") + prior + "}\nseed: 0\n";
    r.status = "completed";
    r.metrics["test"]["elbo"] = elbo;
    r.metrics["test"]["auroc"] = 0.9 + (elbo + 380) / 100;
    r.metrics["test"]["loglik"] = elbo;
    runs.push_back(r);
  }
  return runs;
}

TEST(TableOptions, RelativeToTakesDifferencesOfLogLikelihoodsAndScoresAndKeepsTheBestBold) {
  TableSpec s = testing::csv_table_spec("prior.name", "");
  s.relative_to = "normal";
  s.metrics = {"test/elbo", "test/auroc"};
  EXPECT_EQ(make_table(priors(), s),
            "prior.name,test/elbo (minus normal in nats),test/elbo std (minus normal in "
            "nats),test/elbo n,test/auroc (minus normal),test/auroc std (minus normal),test/auroc "
            "n\nmog,1,,1,0.010000000000000009,,1\nnormal,0,,1,0,,1\nvamp,-2,,1,-0."
            "020000000000000018,,1\n");
  // Rows are the priors: the best of each column is bold, mog's ELBO the highest.
  s.format = "md";
  s.bold = true;
  s.metrics = {"test/elbo"};
  EXPECT_EQ(make_table(priors(), s),
            "test/elbo (one run per cell; relative to normal, as the difference in nats; best per "
            "column in bold)\n\n| prior.name | test/elbo |\n|------------|----------:|\n"
            "| mog        | **1**     |\n| normal     | 0         |\n| vamp       | -2        |\n");
  // A score's differences take the decimals of the scores (0.88 to 0.91: four), the reference's
  // zero too, not significant digits each.
  s.metrics = {"test/auroc"};
  const std::string scores = make_table(priors(), s);
  EXPECT_NE(scores.find("| mog        | **0.0100** |\n| normal     | 0.0000     |\n"
                        "| vamp       | -0.0200    |"),
            std::string::npos)
      << scores;
  // A ratio to a negative reference divides by its size: the best stays the highest.
  s.metrics = {"test/loglik"};
  s.higher_is_better = {{"test/loglik", true}};
  const std::string table = make_table(priors(), s);
  EXPECT_NE(table.find("| mog        | **-0.9974** |"), std::string::npos) << table;
  EXPECT_NE(table.find("| normal     | -1.0000     |"), std::string::npos) << table;
}

TEST(TableOptions, RelativeToDividesEveryColumnWhereverTheReferenceStands) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.baselines = {"pca"};
  s.where = {"seed=0"};      // k=2: linear 31, mlp 20, pca 30; k=8: 15.5, 10, 15
  s.relative_to = "linear";  // the first column: the ones after it are divided by it too
  const std::string by_linear = make_table(sweep(), s);
  EXPECT_EQ(by_linear.substr(0, by_linear.find('\n')),
            "model.latent_dim,linear test/sse (relative to linear),"
            "linear test/sse std (relative to linear),linear test/sse n,"
            "mlp test/sse (relative to linear),mlp test/sse std (relative to linear),"
            "mlp test/sse n,pca test/sse (relative to linear),"
            "pca test/sse std (relative to linear),pca test/sse n");
  EXPECT_EQ(by_linear.substr(by_linear.find('\n')),
            "\n2,1,,1,0.6451612903225806,,1,0.967741935483871,,1\n"
            "8,1,,1,0.6451612903225806,,1,0.967741935483871,,1\n");
  s.relative_to = "mlp";
  const std::string ratios = make_table(sweep(), s);
  EXPECT_EQ(ratios.substr(ratios.find('\n')), "\n2,1.55,,1,1,,1,1.5,,1\n8,1.55,,1,1,,1,1.5,,1\n");
}

TEST(TableOptions, AMarkdownTitleNamesAColumnKeyWhoseValuesAreBare) {
  TableSpec s = testing::csv_table_spec("family", "model.latent_dim");
  s.format = "md";
  s.where = {"family=mlp"};
  const std::string md = make_table(sweep(), s);
  EXPECT_EQ(md.substr(0, md.find('\n')),
            "test/sse (mean ± std over 2 seeds); columns: "
            "model.latent_dim")
      << md;
  EXPECT_NE(md.find("| family | 2 "), std::string::npos) << md;
}

TEST(TableOptions, TheReferenceColumnIsBoldOnlyWhereItIsBest) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.bold = true;
  s.baselines = {"pca"};
  s.where = {"seed=0"};
  s.relative_to = "pca";  // its column is all 1, printed without decimals; mlp's 0.6667 is best
  const std::string md = make_table(sweep(), s);
  EXPECT_NE(md.find("| 2                | 1.033  | **0.6667** | 1   |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 8                | 1.033  | **0.6667** | 1   |"), std::string::npos) << md;
}

TEST(TableOptions, SeedsNeverCompeteForBold) {
  TableSpec s = testing::csv_table_spec("seed", "");
  s.format = "md";
  s.bold = true;
  s.where = {"family=mlp", "model.latent_dim=2"};
  const std::string seeds_as_rows = make_table(sweep(), s);  // 20 and 22: neither is bold
  EXPECT_EQ(seeds_as_rows.find("**"), std::string::npos) << seeds_as_rows;
  EXPECT_NE(seeds_as_rows.find("none in bold: a best seed is chance"), std::string::npos)
      << seeds_as_rows;
  // Seeds as columns, k as rows: each seed's best k, down its column, not each k's best seed.
  s.rows = "model.latent_dim";
  s.cols = "seed";
  s.where = {"family=mlp"};
  const std::string seeds_as_columns = make_table(sweep(), s);
  EXPECT_NE(seeds_as_columns.find("best per column in bold"), std::string::npos)
      << seeds_as_columns;
  EXPECT_NE(seeds_as_columns.find("| 8                | **10** | **12** |"), std::string::npos)
      << seeds_as_columns;
  // Seeds beside another row key: the rows of each seed compared, not the seeds.
  s.rows = "seed,model.latent_dim";
  s.cols = "";
  const std::string within_seeds = make_table(sweep(), s);
  EXPECT_NE(within_seeds.find("best per column at each seed in bold"), std::string::npos)
      << within_seeds;
  EXPECT_NE(within_seeds.find("| 1    | 8                | **12**   |"), std::string::npos)
      << within_seeds;
  // Seeds as rows beside the families as columns: the families at each seed.
  s.rows = "seed";
  s.cols = "family";
  s.where = {"model.latent_dim=2"};
  const std::string families = make_table(sweep(), s);
  EXPECT_NE(families.find("| 0    | 31     | **20** |"), std::string::npos) << families;
}

TEST(TableOptions, RowsThatNameTheModelsAreComparedDownEachColumn) {
  // --rows family --cols model.latent_dim: the families at each k, not each family's best k.
  TableSpec s = testing::csv_table_spec("family", "model.latent_dim");
  s.format = "md";
  s.bold = true;
  s.where = {"seed=0"};
  const std::string md = make_table(sweep(), s);
  EXPECT_NE(md.find("best per column in bold"), std::string::npos) << md;
  EXPECT_NE(md.find("| linear | 31     | 15.50     |"), std::string::npos) << md;
  EXPECT_NE(md.find("| mlp    | **20** | **10.00** |"), std::string::npos) << md;
  // The models and k both as rows: the families compared at each k, not across k.
  s.rows = "family,model.latent_dim";
  s.cols = "";
  const std::string at_each_k = make_table(sweep(), s);
  EXPECT_NE(at_each_k.find("best per column at each model.latent_dim in bold"), std::string::npos)
      << at_each_k;
  EXPECT_NE(at_each_k.find("| linear | 2                | 31.00     |\n"
                           "| linear | 8                | 15.50     |\n"
                           "| mlp    | 2                | **20.00** |\n"
                           "| mlp    | 8                | **10.00** |"),
            std::string::npos)
      << at_each_k;
  // Models on both axes: each row has one value, in its preset's column, with no rival to beat:
  // nothing is bold, and the title promises no bold.
  s.rows = "family";
  s.cols = "model";
  const std::string alone = make_table(sweep(), s);
  EXPECT_EQ(alone.find("in bold"), std::string::npos) << alone;
  EXPECT_EQ(alone.find("**"), std::string::npos) << alone;
}

TEST(TableOptions, BoldMarksTheBestOfEachRowInItsDirection) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.bold = true;
  s.metrics = {"test/sse", "test/psnr"};  // lower and higher is better
  s.where = {"seed=0"};
  const std::string md = make_table(sweep(), s);
  EXPECT_NE(md.find("| 2                | 31.00           | 69.00            | **20**       | "
                    "**80**        |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 8                | 15.50           | 84.50            | **10**       | "
                    "**90**        |"),
            std::string::npos)
      << md;
  s.format = "latex";
  const std::string latex = make_table(sweep(), s);
  EXPECT_NE(latex.find("\\textbf{20}"), std::string::npos);
  // Each column label spans its metrics, as papers group metrics by model.
  EXPECT_NE(latex.find("\\toprule\n & \\multicolumn{2}{c}{linear} & \\multicolumn{2}{c}{mlp} "
                       "\\\\\n\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}\nmodel.latent\\_dim & "
                       "test/sse & test/psnr & test/sse & test/psnr \\\\\n\\midrule\n"),
            std::string::npos)
      << latex;
  // Ties are all bold; an unknown metric is never bold unless its direction is given.
  EXPECT_EQ(higher_is_better("baseline/pca/test/auroc"), std::optional<bool>(true));
  EXPECT_EQ(higher_is_better("test/my_score"), std::nullopt);
  EXPECT_EQ(higher_is_better("test/kl"), std::nullopt);  // low is also a collapsed posterior
  EXPECT_EQ(higher_is_better("test/noisy_psnr"), std::nullopt);    // the corrupted input's own
  EXPECT_EQ(higher_is_better("test/active_units"), std::nullopt);  // a count, not a score
  EXPECT_EQ(higher_is_better("test/denoise_psnr"), std::optional<bool>(true));
  EXPECT_EQ(higher_is_better("test/my_score", {{"test/my_score", false}}),
            std::optional<bool>(false));
}

TEST(TableOptions, ValuesThatPrintTheSameAreBothBoldAndLoneColumnsBoldTheirBestRow) {
  // The linear autoencoder at k=2 is 30.004 against PCA's 30: "30.00" in its column, a tie.
  std::vector<RunRecord> runs = {run("a", "linear", 2, 0, 30.004, 30),
                                 run("b", "pca", 2, 0, 30, 30), run("c", "linear", 8, 0, 15.2, 15),
                                 run("d", "pca", 8, 0, 15, 15)};
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.bold = true;
  std::string md = make_table(runs, s);
  EXPECT_NE(md.find("| 2                | **30.00** | **30** |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 8                | 15.20     | **15** |"), std::string::npos) << md;
  // One column per metric (the priors of a VAE sweep as rows): the best of each column.
  s.cols = "";
  s.metrics = {"test/sse", "test/psnr"};
  s.where = {"family=linear"};
  md = make_table(runs, s);
  EXPECT_NE(md.find("best per column in bold"), std::string::npos) << md;
  EXPECT_NE(md.find("| 8                | **15.20** | **84.80** |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 2                | 30.00     | 70.00     |"), std::string::npos) << md;
}

TEST(TableOptions, AGroupChoiceCountsWhereTheRunHasItsSection) {
  // Both record the encoder preset of their config, but PCA has no encoder to filter by.
  std::vector<RunRecord> runs = {run("a", "mlp", 2, 0, 20, 30), run("b", "pca", 2, 0, 30, 30)};
  for (auto& r : runs) r.choices["encoder"] = "mlp";
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "csv";
  s.where = {"encoder=mlp"};
  EXPECT_EQ(make_table(runs, s),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n\n2,20,,1\n");
}

TEST(TableOptions, KeysARunDoesNotReadAreNotPooledDifferences) {
  // PCA runs have no encoder or decoder section: only model.name tells the cells' runs apart.
  std::vector<RunRecord> runs = {run("a", "mlp", 2, 0, 20, 30), run("b", "pca", 2, 0, 30, 30)};
  TableSpec s = testing::csv_table_spec("model.latent_dim", "");
  s.format = "md";
  const std::string md = make_table(runs, s);
  // Both runs have seed 0: the cells pool model.name alone, not seeds.
  EXPECT_EQ(md.substr(0, md.find('\n')),
            "test/sse (mean ± std over model.name, which differ within cells; 2 runs per cell)");
  // A CSV has no title: the pooling is a warning beside it, and the values are the same.
  std::vector<std::string> warnings;
  s.format = "csv";
  EXPECT_EQ(make_table(runs, s, &warnings),
            "model.latent_dim,test/sse,test/sse std,test/sse n\n2,25,7.0710678118654755,2\n");
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "the cells pool runs that differ in model.name (a CSV has no title to "
                          "say so; add it to --rows or --cols, or pick runs with --where)"});
  warnings.clear();
  s.where = {"family=mlp"};
  make_table(runs, s, &warnings);
  EXPECT_TRUE(warnings.empty());
}

TEST(TableOptions, MedianSeveralRowKeysAndDigitsThatShowDifferences) {
  std::vector<RunRecord> runs = sweep();
  runs.push_back(run("i", "mlp", 2, 2, 30, 30));
  TableSpec s = testing::csv_table_spec("family,model.latent_dim", "");
  s.agg = "median";
  // The median's spread is the interquartile range, its quartiles as numpy's (20, 22, 30: 21
  // and 26).
  EXPECT_EQ(make_table(runs, s),
            "family,model.latent_dim,test/sse median,test/sse iqr,test/sse n\nlinear,2,31,0,2\n"
            "linear,8,15.5,0,2\nmlp,2,22,5,3\nmlp,8,11,1,2\n");
  TableSpec medians = s;
  medians.format = "md";
  const std::string md = make_table(runs, medians);
  EXPECT_NE(md.find("median (IQR) over"), std::string::npos) << md;
  EXPECT_NE(md.find("| 22.00 (IQR 5.00) |"), std::string::npos) << md;
  // Infinite values keep an infinite median; an IQR of exactly half the last decimal is shown.
  medians.rows = "family";
  std::vector<RunRecord> edges = {
      run("x", "mlp", 2, 0, INFINITY, 1), run("y", "mlp", 2, 1, INFINITY, 1),
      run("z", "linear", 2, 0, 1234, 1), run("w", "linear", 2, 1, 1235, 1)};
  const std::string edge = make_table(edges, medians);
  EXPECT_NE(edge.find("| mlp    | inf "), std::string::npos) << edge;
  EXPECT_NE(edge.find("(IQR 0.5)"), std::string::npos) << edge;
  // The shown tables' digits: 1.00001 and 1.00002 differ in the fifth decimal, and the column
  // gets the digits to show it.
  TableSpec shown = testing::csv_table_spec("family", "");
  shown.format = "md";
  runs = {run("x", "mlp", 2, 0, 1.00001, 1), run("y", "linear", 2, 0, 1.00002, 1)};
  EXPECT_NE(make_table(runs, shown).find("| linear | 1.00002  |\n| mlp    | 1.00001  |"),
            std::string::npos)
      << make_table(runs, shown);
  // A spread that the column's decimals would round to 0 keeps its first digit: 68 ± 0.5, not
  // a std of none.
  TableSpec two_digits = shown;
  two_digits.digits = 2;
  runs = {run("x", "mlp", 2, 0, 67.7, 1), run("y", "mlp", 2, 1, 68.35, 1)};
  EXPECT_NE(make_table(runs, two_digits).find("| mlp    | 68 ± 0.5 |"), std::string::npos)
      << make_table(runs, two_digits);
  // and one that they would round up to 1 (a std of 0.6) is not shown larger than it is.
  runs = {run("x", "mlp", 2, 0, 67.6, 1), run("y", "mlp", 2, 1, 68.45, 1)};
  EXPECT_NE(make_table(runs, two_digits).find("| mlp    | 68 ± 0.6 |"), std::string::npos)
      << make_table(runs, two_digits);
  // Values too small or too large for fixed decimals get significant digits instead.
  runs = {run("x", "mlp", 2, 0, 8.948e-16, 1), run("y", "linear", 2, 0, 9.5e-16, 1)};
  EXPECT_NE(make_table(runs, shown).find("| linear | 9.5e-16   |\n| mlp    | 8.948e-16 |"),
            std::string::npos)
      << make_table(runs, shown);
  runs = {run("x", "mlp", 2, 0, 3.14159e12 + 0.5, 1)};
  EXPECT_NE(make_table(runs, shown).find("| mlp    | 3.142e+12 |"), std::string::npos)
      << make_table(runs, shown);
  // The CSV keeps every digit.
  EXPECT_EQ(make_table(runs, testing::csv_table_spec("family", "")),
            "family,test/sse,test/sse std,test/sse n\nmlp,3141590000000.5,,1\n");
  s.agg = "mode";
  EXPECT_THROW(make_table(runs, s), ConfigError);
}

TEST(TableOptions, ABaselineOfTheDataAloneIsOneColumnAndOneOfTheModelSaysWhatItPools) {
  std::vector<RunRecord> runs = sweep();
  std::swap(runs[4], runs[5]);  // k = 8 lists seed 1 first: a cell's values come in file order
  for (RunRecord& r : runs) {
    // The data's alone, seeded: the same beside every model and k of a seed.
    r.baselines["raw"]["test"]["sse"] = 50 + 2.0 * r.seed;
    // Trained as the run's own model from scratch: the same for a family, not across them.
    r.baselines["scratch"]["test"]["sse"] = r.config_yaml.find("mlp") != std::string::npos ? 9 : 13;
  }
  TableSpec s = testing::csv_table_spec("status", "model.latent_dim");
  s.format = "md";
  s.baselines = {"pca", "raw"};
  std::string md = make_table(runs, s);
  // PCA differs with k: a column per k; raw pixels do not (their seeds in any order): one
  // column, after the others.
  EXPECT_NE(md.find("| 2, pca | 8, pca | raw          |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 51.00 ± 1.41 |"), std::string::npos) << md;
  s.baselines = {"raw", "pca"};  // in the order given
  EXPECT_NE(make_table(runs, s).find("| raw          | 2, pca | 8, pca |"), std::string::npos)
      << make_table(runs, s);
  s.baselines = {"pca", "raw"};
  s.relative_to = "raw";
  md = make_table(runs, s);
  EXPECT_NE(md.find("| 1.000 ± 0.028 |"), std::string::npos) << md;  // its pooled mean: 1
  EXPECT_EQ(md.find("2, raw"), std::string::npos) << md;
  // Relative to PCA, raw keeps a column per k, each relative to the PCA of its k.
  s.relative_to = "pca";
  md = make_table(runs, s);
  EXPECT_NE(md.find("| 2, raw"), std::string::npos) << md;
  EXPECT_NE(md.find("| 8, raw"), std::string::npos) << md;
  // From scratch, the two families' values differ: the title says the cell pools them.
  s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.baselines = {"scratch"};
  md = make_table(runs, s);
  EXPECT_NE(md.find("over seeds and over decoder.name, encoder.name, which differ within cells"),
            std::string::npos)
      << md;
  // It has no PSNR: no column of it, rather than one of empty cells.
  s.metrics = {"test/sse", "test/psnr"};
  md = make_table(runs, s);
  EXPECT_NE(md.find("| scratch test/sse |\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("scratch test/psnr"), std::string::npos) << md;
}

TEST(TableOptions, ABaselineRecordedBesideSeveralModelsPoolsNoModel) {
  // Seed 0's PCA is recorded first beside the linear model, seed 1's beside the MLP: one PCA
  // cell holds both, and their models are no difference of PCA's own.
  std::vector<RunRecord> runs = {run("a", "linear", 2, 0, 31, 30), run("b", "mlp", 2, 0, 20, 30),
                                 run("c", "mlp", 2, 1, 22, 32), run("d", "linear", 2, 1, 31, 32)};
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.baselines = {"pca"};
  const std::string md = make_table(runs, s);
  EXPECT_NE(md.find("| 31.00 ± 1.41 |"), std::string::npos) << md;
  EXPECT_EQ(md.find("differ within cells"), std::string::npos) << md;
}

TEST(TableOptions, ABaselineNoRunsTellOfIsTakenToFollowTheModel) {
  // A from-scratch baseline beside an MLP and a linear model whose runs differ in more than the
  // model (two folders, other learning rates): no two runs of one setting say whether it follows
  // the model, so the title names the model keys its cell pools rather than hide them.
  std::vector<RunRecord> runs = {run("a", "mlp", 2, 0, 20, 30), run("b", "linear", 2, 0, 31, 30)};
  runs[0].config_yaml += "trainer: {lr: 0.1}\n";
  runs[1].config_yaml += "trainer: {lr: 0.01}\n";
  runs[0].baselines["scratch"]["test"]["sse"] = 9;
  runs[1].baselines["scratch"]["test"]["sse"] = 13;
  TableSpec s = testing::csv_table_spec("family", "");  // its row the only cell of two runs
  s.format = "md";
  s.baselines = {"scratch"};
  const std::string md = make_table(runs, s);
  EXPECT_NE(md.find("over decoder.name, encoder.name, trainer.lr, which differ within cells"),
            std::string::npos)
      << md;
}

TEST(TableOptions, NaNIsShownNeverBoldAndFailedSeedsAreCounted) {
  std::vector<RunRecord> runs = sweep();
  runs[0].metrics["test"]["sse"] = std::nan("");  // mlp, k=2, seed 0
  runs[1].metrics["test"]["sse"] = std::nan("");
  runs[6].status = "failed";  // linear, k=8, seed 0
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.bold = true;
  const std::string md = make_table(runs, s);
  // A NaN is no rival: 31.00 is alone in its row, so nothing there is bold.
  EXPECT_NE(md.find("| 2                | 31.00            | nan              |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("15.50 (1 failed)"), std::string::npos) << md;
  // An interrupted run is named as such, and its config pools nothing (it gave no value).
  runs[7].status = "interrupted";  // linear, k=8, seed 1
  runs[7].config_yaml += "trainer: {epochs: 99}\n";
  const std::string cut = make_table(runs, s);
  EXPECT_NE(cut.find("| 1 failed, 1 interrupted"), std::string::npos) << cut;
  EXPECT_EQ(cut.find("trainer.epochs"), std::string::npos) << cut;
  s.agg = "median";
  EXPECT_NE(make_table(runs, s).find("nan"), std::string::npos);
}

TEST(TableOptions, OrderPutsColumnsOrRowsAsAPaperDoes) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.order = {"mlp"};  // first, the others after it as they were
  const std::string csv = make_table(sweep(), s);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "model.latent_dim,mlp test/sse,mlp test/sse std,mlp test/sse n,linear test/sse,"
            "linear test/sse std,linear test/sse n");
  s = testing::csv_table_spec("family", "model.latent_dim");
  s.order = {"mlp", "linear"};  // no column has them: the rows
  EXPECT_EQ(make_table(sweep(), s).substr(make_table(sweep(), s).find('\n') + 1, 4), "mlp,");
  s.order = {"mlp", "vae"};
  EXPECT_EQ(testing::message_of<ConfigError>([&] { make_table(sweep(), s); }),
            "--order mlp,vae: no row is labelled 'vae' (columns: 2, 8; rows: linear, mlp)");
}

TEST(TableOptions, RenameGivesTheWordsOfAPaper) {
  TableSpec s = testing::csv_table_spec("model.latent_dim", "family");
  s.format = "md";
  s.where = {"family=mlp,linear"};
  s.renames = parse_renames({"model.latent_dim=k", "test/sse=SSE per image", "mlp=deep AE"});
  const std::string md = make_table(sweep(), s);
  EXPECT_EQ(md.substr(0, md.find(" (")), "SSE per image") << md;
  EXPECT_NE(md.find("| k   | linear | deep AE      |"), std::string::npos) << md;
  // In a CSV, the column label and metric that make each header.
  s.format = "csv";
  EXPECT_EQ(make_table(sweep(), s).substr(0, make_table(sweep(), s).find('\n')),
            "k,linear SSE per image,linear SSE per image std,linear SSE per image n,"
            "deep AE SSE per image,deep AE SSE per image std,deep AE SSE per image n");
  // LaTeX: a bare column key spans its values, renamed too (as text, escaped as LaTeX).
  s = testing::csv_table_spec("family", "model.latent_dim");
  s.format = "latex";
  s.renames = parse_renames({"model.latent_dim=code size k"});
  EXPECT_NE(make_table(sweep(), s).find("\\multicolumn{2}{c}{code size k}"), std::string::npos)
      << make_table(sweep(), s);
  // A name the table does not show, and an item without its `=`.
  s.renames = parse_renames({"vae=VAE"});
  EXPECT_NE(testing::message_of<ConfigError>([&] {
              make_table(sweep(), s);
            }).find("--rename vae=VAE: the table shows no 'vae' (its header: family, 2, 8;"),
            std::string::npos);
  EXPECT_EQ(testing::message_of<ConfigError>([] { parse_renames({"k"}); }),
            "--rename k: expected OLD=NEW, such as --rename model.latent_dim=k or --rename "
            "'test/nll_is=NLL (nats)'");
}

}  // namespace
}  // namespace aelab
