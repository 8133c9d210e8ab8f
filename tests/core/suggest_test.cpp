// "Did you mean" suggestions: the closest name wins, swapped letters count as one typo.
#include "framework/core/suggest.h"

#include <gtest/gtest.h>

namespace aelab {
namespace {

TEST(Suggest, EditDistanceCountsASwapAsOneEdit) {
  EXPECT_EQ(edit_distance("vea", "vae"), 1u);
  EXPECT_EQ(edit_distance("vea", "ae"), 2u);
  EXPECT_EQ(edit_distance("hiden", "hidden"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggest, TheClosestNameIsSuggested) {
  const std::vector<std::string> models{"ae", "conv_ae", "linear_ae", "mlp_ae", "pca", "vae"};
  EXPECT_EQ(closest_match("vea", models), "vae");
  EXPECT_EQ(closest_match("mpl_ae", models), "mlp_ae");
  EXPECT_EQ(closest_match("pac", models), "pca");
  EXPECT_EQ(closest_match("VAE", models), "vae");       // another letter case, however short
  EXPECT_EQ(closest_match("transformer", models), "");  // nothing close: no suggestion
  EXPECT_EQ(suggestion_suffix("vea", models),
            " (did you mean 'vae'? known: ae, conv_ae, linear_ae, mlp_ae, pca, vae)");
}

TEST(Suggest, ShortWordsTakeOneEditAndANameCutShortOrSaidAtLengthIsFound) {
  const std::vector<std::string> keys{"root", "subset", "val_fraction"};
  EXPECT_EQ(closest_match("foo", keys), "");  // two edits from 'root': another word
  EXPECT_EQ(closest_match("rot", keys), "root");
  EXPECT_EQ(closest_match("subest", keys), "subset");
  const std::vector<std::string> noises{"gaussian", "grayscale", "masking", "salt_pepper"};
  EXPECT_EQ(closest_match("gauss", noises), "gaussian");
  EXPECT_EQ(closest_match("g", noises), "");   // too short to complete
  EXPECT_EQ(closest_match("sa", noises), "");  // too short to complete
  // A name said at length: the one option it begins with.
  const std::vector<std::string> conv{"channels", "kernel", "stride", "ae"};
  EXPECT_EQ(closest_match("kernel_size", conv), "kernel");
  EXPECT_EQ(closest_match("aether", conv), "");  // 'ae' is too short to stand for it
  EXPECT_EQ(closest_match("stride_x", {"stride", "strides"}), "stride");  // one edit
  EXPECT_EQ(closest_match("kernel_size_x", {"kern", "kernel"}), "");      // two begin it
  // A name cut short comes before another name a near spelling away; where two start so, the
  // nearest spelling.
  const std::vector<std::string> metrics{"test/elbo", "test/kl", "test/nll_is", "test/sse"};
  EXPECT_EQ(closest_match("test/nll", metrics), "test/nll_is");
  EXPECT_EQ(closest_match("test/s", {"test/ssim", "test/sse"}), "test/sse");
  EXPECT_EQ(closest_match("test/acc", {"test/accuracy_frozen", "test/ari", "test/accuracy"}),
            "test/accuracy");
  EXPECT_EQ(closest_match("labels_per_class", {"transfer.labels_per_class", "seed"}),
            "transfer.labels_per_class");                       // a key without its section
  EXPECT_EQ(closest_match("mlp", {"mlp", "mlp_real"}), "mlp");  // a name given whole is itself
}

}  // namespace
}  // namespace aelab
