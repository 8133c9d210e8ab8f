// The one-class filter: training and validation images of the normal classes only, the share of
// validation anomalies, test labels, and clear errors for protocols that cannot work.
#include "framework/data/one_class.h"

#include <gtest/gtest.h>

#include "framework/core/error.h"
#include "framework/core/yaml_io.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

/// Splits whose image i holds the value of its class everywhere, labels cycling 0..3.
DataSplits four_class_splits(int64_t train, int64_t val, int64_t test) {
  auto make = [](int64_t n, torch::Tensor& x, torch::Tensor& y) {
    y = torch::arange(n, torch::kLong).remainder(4);
    x = y.to(torch::kFloat32).view({n, 1, 1, 1}).expand({n, 1, 2, 2}).contiguous();
  };
  DataSplits data;
  make(train, data.train_x, data.train_y);
  make(val, data.val_x, data.val_y);
  make(test, data.test_x, data.test_y);
  return data;
}

TEST(OneClass, KeepsOnlyNormalClassesForTrainingAndValidation) {
  DataSplits data = four_class_splits(40, 20, 16);
  OneClassData one = one_class_split(data, {{1}, {}, 0.0, 0}, 4);
  EXPECT_EQ(one.train_x.size(0), 10);
  EXPECT_TRUE(one.train_x.eq(1).all().item<bool>());
  EXPECT_EQ(one.val_normal.size(0), 5);
  EXPECT_TRUE(one.val_normal.eq(1).all().item<bool>());
  EXPECT_EQ(one.val_anomalous.size(0), 0);
  EXPECT_EQ(one.anomaly_classes, (std::vector<int64_t>{0, 2, 3}));
  ASSERT_EQ(one.test_labels.size(), 16u);
  for (size_t i = 0; i < 16; ++i)
    EXPECT_EQ(one.test_labels[i], one.test_classes[static_cast<int64_t>(i)].item<int64_t>() != 1);
}

TEST(OneClass, NarrowedAnomaliesAndValidationAnomalies) {
  DataSplits data = four_class_splits(40, 40, 16);
  OneClassData one = one_class_split(data, {{0, 1}, {3}, 0.25, 7}, 4);
  EXPECT_EQ(one.train_x.size(0), 20);
  EXPECT_EQ(one.val_normal.size(0), 20);
  // A quarter of the validation set: 20 normal images call for round(20 * 0.25 / 0.75) = 7 of
  // the 10 validation images of class 3.
  EXPECT_EQ(one.val_anomalous.size(0), 7);
  EXPECT_TRUE(one.val_anomalous.eq(3).all().item<bool>());
  EXPECT_EQ(one.test_x.size(0), 12);  // class 2 is neither normal nor anomalous: left out
  EXPECT_FALSE(one.test_classes.eq(2).any().item<bool>());
  OneClassData again = one_class_split(data, {{0, 1}, {3}, 0.25, 7}, 4);
  EXPECT_TRUE(again.val_anomalous.equal(one.val_anomalous));
  OneClassData capped = one_class_split(data, {{0, 1}, {3}, 0.9, 7}, 4);
  EXPECT_EQ(capped.val_anomalous.size(0), 10);
}

TEST(OneClass, ClassesAreAnIndexOrAList) {
  const auto classes_of = [](const std::string& yaml) {
    ClassList classes;
    EXPECT_TRUE(OptionCodec<ClassList>::decode(parse_yaml(yaml, "t.yaml"), classes)) << yaml;
    return classes.values;
  };
  EXPECT_EQ(classes_of("3"), std::vector<int64_t>{3});
  EXPECT_EQ(classes_of("[3, 5]"), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(classes_of("'3'"), std::vector<int64_t>{3});  // ${oc.env:SLURM_ARRAY_TASK_ID}
  ClassList none;
  EXPECT_FALSE(OptionCodec<ClassList>::decode(parse_yaml("'3.5'", "t.yaml"), none));
}

TEST(OneClass, ClassesAreTheFilesLabelsWhereThoseAreNotZeroToKMinusOne) {
  DataSplits data = four_class_splits(40, 20, 16);
  data.label_values = {1, 2, 3, 26};  // class 3 is the files' label 26
  OneClassData one = one_class_split(data, {{26}, {}, 0.0, 0}, 4);
  EXPECT_TRUE(one.train_x.eq(3).all().item<bool>());
  EXPECT_EQ(one.anomaly_classes, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(testing::message_of<DataError>([&] {
              one_class_split(data, {{0}, {}, 0.0, 0}, 4);
            }),
            "anomaly.normal_classes: no image of the dataset has label 0 (its labels: [1..3, 26])");
  EXPECT_EQ(
      testing::message_of<DataError>([&] {
        one_class_split(data, {{26}, {4}, 0.0, 0}, 4);
      }),
      "anomaly.anomaly_classes: no image of the dataset has label 4 (its labels: [1..3, 26])");
  // Every other message names the files' labels too.
  EXPECT_EQ(testing::message_of<DataError>([&] {
              one_class_split(data, {{26}, {26}, 0.0, 0}, 4);
            }),
            "anomaly.anomaly_classes: class 26 is also in anomaly.normal_classes [26]");
  DataSplits no_test_anomalies = data;
  no_test_anomalies.test_y = torch::full({16}, 3, torch::kLong);
  EXPECT_EQ(
      testing::message_of<DataError>([&] {
        one_class_split(no_test_anomalies, {{26}, {}, 0.0, 0}, 4);
      }),
      "anomaly.anomaly_classes: the test split holds no image of the anomaly classes "
      "[1..3], so detection cannot be measured; choose classes its test images have (or raise "
      "data.test_subset where it is set)");
}

TEST(OneClass, ImpossibleProtocolsAreClearErrors) {
  DataSplits data = four_class_splits(40, 20, 16);
  auto message = [&](OneClassProtocol protocol, int64_t classes) {
    return testing::message_of<DataError>([&] { one_class_split(data, protocol, classes); });
  };
  EXPECT_EQ(message({{4}, {}, 0, 0}, 4),
            "anomaly.normal_classes: class 4 is not a class of the dataset (choose 0..3)");
  EXPECT_EQ(message({{1}, {1, 2}, 0, 0}, 4),
            "anomaly.anomaly_classes: class 1 is also in anomaly.normal_classes [1]");
  EXPECT_EQ(message({{0, 1, 2, 3}, {}, 0, 0}, 4),
            "anomaly.normal_classes: every class is normal, so there is nothing to detect");
  EXPECT_EQ(message({{}, {}, 0, 0}, 4), "anomaly.normal_classes: expected at least one class");
  EXPECT_EQ(message({{0}, {-1}, 0, 0}, 4),
            "anomaly.anomaly_classes: class -1 is not a class of the dataset (choose 0..3)");
  EXPECT_EQ(message({{0}, {}, 0, 0}, 0),
            "anomaly.normal_classes: the dataset has no class labels to tell normal from anomalous "
            "images");
  DataSplits tiny = four_class_splits(40, 1, 16);  // the validation split holds class 0 only
  EXPECT_THROW(one_class_split(tiny, {{2}, {}, 0, 0}, 4), DataError);
  // Training files that hold no image of the normal class: no subset helps, their classes do.
  DataSplits lacking = four_class_splits(40, 20, 16);
  for (torch::Tensor* y : {&lacking.train_y, &lacking.val_y}) *y = y->masked_fill(*y == 3, 2);
  EXPECT_EQ(testing::message_of<DataError>([&] {
              one_class_split(lacking, {{3}, {}, 0, 0}, 4);
            }),
            "anomaly: the training split holds no image of the normal classes [3] (its images' "
            "classes: [0..2]; choose normal classes among them, or raise data.subset where it is "
            "set)");
  EXPECT_THROW(check_one_class_protocol({{1}, {1}, 0, 0}), DataError);
  EXPECT_NO_THROW(check_one_class_protocol({{12}, {}, 0, 0}));  // range unknown without data
}

}  // namespace
}  // namespace aelab
