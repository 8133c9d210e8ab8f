// The table renderers: LaTeX a paper can paste as it is, whatever the labels hold.
#include "framework/results/table_format.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(TableFormat, LatexLabelsAreTextWhateverTheyHold) {
  const TableGrid grid = {{"transfer.head_hidden", "mlp"},
                          {"[256]", "0.7536"},
                          {"[]", "0.8091"},
                          {"a_b~c^d\\e", "1"}};
  const std::string latex = render_latex(grid, "test/accuracy", 1, {}, false);
  // A row that opens with '[' is not read as the optional argument of \\ or \midrule.
  EXPECT_NE(latex.find("\\midrule\n{}[256] & 0.7536 \\\\\n{}[] & 0.8091 \\\\\n"),
            std::string::npos)
      << latex;
  EXPECT_NE(latex.find("a\\_b\\textasciitilde{}c\\textasciicircum{}d\\textbackslash{}e & 1"),
            std::string::npos)
      << latex;
  EXPECT_NE(latex.find("transfer.head\\_hidden & mlp \\\\"), std::string::npos) << latex;
}

}  // namespace
}  // namespace aelab
