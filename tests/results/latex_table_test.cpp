// make_table's LaTeX: a column key whose values are bare spans them on a header line of its own;
// a rename's math stays math.
#include <gtest/gtest.h>

#include "framework/results/result_table.h"
#include "tests/results/csv_table_spec.h"

namespace aelab {
namespace {

RunRecord latex_run(const std::string& id, int64_t k, double sse) {
  RunRecord r;
  r.run_id = id;
  r.config_yaml = "model: {name: ae, latent_dim: " + std::to_string(k) +
                  "}\nencoder: {name: mlp}\ndecoder: {name: mlp}\nseed: 0\n";
  r.status = "completed";
  r.choices["model"] = "mlp_ae";
  r.metrics["test"]["elbo"] = -sse;
  r.baselines["pca"]["test"]["elbo"] = -sse - 10;
  return r;
}

TEST(LatexTable, ABareColumnKeySpansItsValuesAndABaselineAtEachValueItsName) {
  const std::vector<RunRecord> runs = {latex_run("a", 2, 318.1), latex_run("b", 8, 331.6)};
  TableSpec spec = testing::csv_table_spec("family", "model.latent_dim");
  spec.format = "latex";
  spec.metrics = {"test/elbo"};
  const std::string latex = make_table(runs, spec);
  EXPECT_NE(latex.find("\\toprule\n & \\multicolumn{2}{c}{model.latent\\_dim} \\\\\n"
                       "\\cmidrule(lr){2-3}\nfamily & 2 & 8 \\\\\n\\midrule\n"
                       "mlp & $-$318.1 & $-$331.6 \\\\\n"),
            std::string::npos)
      << latex;
  // Beside a baseline at each value (`2, pca`): the key spans the runs' values, the baseline's
  // name its own.
  spec.rows = "seed";
  spec.baselines = {"pca"};
  const std::string beside = make_table(runs, spec);
  EXPECT_NE(
      beside.find(" & \\multicolumn{2}{c}{model.latent\\_dim} & \\multicolumn{2}{c}{pca} "
                  "\\\\\n\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}\nseed & 2 & 8 & 2 & 8 \\\\\n"),
      std::string::npos)
      << beside;
}

TEST(LatexTable, ABareColumnKeySpansTheRunsColumnsBesideABaselineTheSameAtEachValue) {
  std::vector<RunRecord> runs = {latex_run("a", 2, 318.1), latex_run("b", 8, 331.6)};
  for (RunRecord& run : runs) run.baselines["ink"]["test"]["elbo"] = -400;  // reads the data alone
  TableSpec spec = testing::csv_table_spec("seed", "model.latent_dim");
  spec.format = "latex";
  spec.metrics = {"test/elbo"};
  spec.baselines = {"ink"};
  const std::string latex = make_table(runs, spec);
  EXPECT_NE(latex.find(" & \\multicolumn{2}{c}{model.latent\\_dim} & \\\\\n\\cmidrule(lr){2-3}\n"
                       "seed & 2 & 8 & ink \\\\\n"),
            std::string::npos)
      << latex;
}

TEST(LatexTable, RenamesKeepTheirMathAndEscapeTheRest) {
  const std::vector<RunRecord> runs = {latex_run("a", 2, 318.1), latex_run("b", 8, 331.6)};
  TableSpec spec = testing::csv_table_spec("model.latent_dim", "family");
  spec.format = "latex";
  spec.metrics = {"test/elbo"};
  spec.renames = {{"model.latent_dim", "$k$"}, {"mlp", "MLP_1 (\\$) $\\beta$-AE $"}};
  const std::string latex = make_table(runs, spec);
  EXPECT_NE(latex.find("$k$ & MLP\\_1 (\\$) $\\beta$-AE \\$ \\\\\n"), std::string::npos) << latex;
}

}  // namespace
}  // namespace aelab
