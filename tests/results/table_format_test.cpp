// The table renderers: LaTeX a paper can paste as it is, whatever the labels hold.
#include "framework/results/table_format.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(TableFormat, LatexLabelsAreTextWhateverTheyHold) {
  const TableGrid grid = {
      {"transfer.head_hidden", "mlp"}, {"[256]", "0.7536"}, {"[]", "0.8091"}, {"a_b~c^d\\e", "1"}};
  const std::string latex = render_latex(grid, "test/accuracy", 1, {}, false);
  // A row that opens with '[' is not read as the optional argument of \\ or \midrule.
  EXPECT_NE(latex.find("\\midrule\n{}[256] & 0.7536 \\\\\n{}[] & 0.8091 \\\\\n"), std::string::npos)
      << latex;
  EXPECT_NE(latex.find("a\\_b\\textasciitilde{}c\\textasciicircum{}d\\textbackslash{}e & 1"),
            std::string::npos)
      << latex;
  EXPECT_NE(latex.find("transfer.head\\_hidden & mlp \\\\"), std::string::npos) << latex;
}

TEST(TableFormat, LatexNumbersTakeAMinusNotAHyphenAndBareColumnsTheirKey) {
  const TableGrid grid = {{"prior", "2", "8"},
                          {"mog", "\\textbf{-318.1 $\\pm$ 3.5}", "-1e-05"},
                          {"vamp", "8.9e-16", "-inf"}};
  const std::string latex =
      render_latex(grid, "test/elbo", 1, {"model.latent_dim", "model.latent_dim"}, false);
  EXPECT_NE(latex.find("mog & \\textbf{$-$318.1 $\\pm$ 3.5} & $-$1e-05 \\\\\n"), std::string::npos)
      << latex;
  EXPECT_NE(latex.find("vamp & 8.9e-16 & -inf \\\\\n"), std::string::npos) << latex;
  EXPECT_NE(latex.find(" & \\multicolumn{2}{c}{model.latent\\_dim} \\\\\n\\cmidrule(lr){2-3}\n"),
            std::string::npos)
      << latex;
}

}  // namespace
}  // namespace aelab
