#include "config/task_category.h"

#include <array>
#include <iterator>

namespace gw::config {
namespace {

struct Named {
  TaskCategory category;
  std::string_view name;
};

// In the order of the enum.
constexpr Named kNames[] = {
    {TaskCategory::kProgramming, "programming"},
    {TaskCategory::kRoleplay, "roleplay"},
    {TaskCategory::kTranslation, "translation"},
    {TaskCategory::kGeneralQa, "general_qa"},
    {TaskCategory::kProductivity, "productivity"},
    {TaskCategory::kEducation, "education"},
    {TaskCategory::kCreativeWriting, "creative_writing"},
    {TaskCategory::kMarketing, "marketing"},
    {TaskCategory::kScience, "science"},
    {TaskCategory::kTechnology, "technology"},
    {TaskCategory::kHealth, "health"},
    {TaskCategory::kFinance, "finance"},
    {TaskCategory::kLegal, "legal"},
    {TaskCategory::kAcademia, "academia"},
    {TaskCategory::kTrivia, "trivia"},
    {TaskCategory::kOther, "other"},
};
static_assert(std::size(kNames) == kTaskCategoryCount, "one name per category");
static_assert(static_cast<size_t>(TaskCategory::kOther) + 1 == kTaskCategoryCount,
              "kTaskCategoryCount counts the enumerators");

constexpr std::array<TaskCategory, kTaskCategoryCount> kAll = [] {
  std::array<TaskCategory, kTaskCategoryCount> all{};
  for (size_t i = 0; i < kTaskCategoryCount; ++i) all[i] = kNames[i].category;
  return all;
}();
static_assert(
    [] {
      for (size_t i = 0; i < kTaskCategoryCount; ++i) {
        if (static_cast<size_t>(kAll[i]) != i) return false;
      }
      return true;
    }(),
    "kNames lists the categories in the order of the enum");

}  // namespace

std::string_view TaskCategoryName(TaskCategory category) {
  for (const Named& named : kNames) {
    if (named.category == category) return named.name;
  }
  return "other";
}

std::optional<TaskCategory> TaskCategoryByName(std::string_view name) {
  for (const Named& named : kNames) {
    if (named.name == name) return named.category;
  }
  return std::nullopt;
}

std::span<const TaskCategory> AllTaskCategories() { return kAll; }

}  // namespace gw::config
