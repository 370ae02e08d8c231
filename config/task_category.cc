#include "config/task_category.h"

#include <array>

namespace gw::config {
namespace {

struct Named {
  TaskCategory category;
  std::string_view name;
};

constexpr std::array<Named, 16> kNames = {{
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
}};

constexpr std::array<TaskCategory, kNames.size()> kAll = [] {
  std::array<TaskCategory, kNames.size()> all{};
  for (size_t i = 0; i < kNames.size(); ++i) all[i] = kNames[i].category;
  return all;
}();

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
