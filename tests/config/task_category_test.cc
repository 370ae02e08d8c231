#include "config/task_category.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gw::config {
namespace {

TEST(TaskCategoryTest, EveryCategoryHasADistinctNameThatReadsBack) {
  std::set<std::string> names;
  for (TaskCategory category : AllTaskCategories()) {
    const std::string_view name = TaskCategoryName(category);
    EXPECT_TRUE(names.insert(std::string(name)).second) << name;
    EXPECT_EQ(TaskCategoryByName(name), category) << name;
  }
  EXPECT_EQ(names.size(), 16u);
  EXPECT_EQ(AllTaskCategories().size(), kTaskCategoryCount);
  EXPECT_EQ(TaskCategoryName(TaskCategory::kGeneralQa), "general_qa");
  EXPECT_EQ(TaskCategoryName(TaskCategory::kCreativeWriting), "creative_writing");
}

TEST(TaskCategoryTest, UnknownNamesAreRefused) {
  for (std::string_view name : {"", "Programming", "general qa", "coding", "other "}) {
    EXPECT_EQ(TaskCategoryByName(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace gw::config
