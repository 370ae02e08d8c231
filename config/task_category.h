// The task categories of the insights (docs/insights.md): what a request's prompt is for, as the
// classifier decides it or an app declares it in the config. It lives in config, the lowest
// module that needs it: the `apps` section validates declared categories against it. Plain
// values, any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace gw::config {

enum class TaskCategory {
  kProgramming,
  kRoleplay,
  kTranslation,
  kGeneralQa,
  kProductivity,  // productivity and business writing: emails, summaries, documents, plans
  kEducation,
  kCreativeWriting,
  kMarketing,
  kScience,
  kTechnology,
  kHealth,
  kFinance,
  kLegal,
  kAcademia,
  kTrivia,
  kOther,
};

// How many categories there are: TaskCategory numbers them from 0 to kTaskCategoryCount - 1 (a
// classifier keeps one score per category in an array this long). task_category.cc checks it.
inline constexpr size_t kTaskCategoryCount = 16;

// The category's stable name, as stored in the ledger and used in the config and the API
// ("programming", "general_qa", "creative_writing", ...).
std::string_view TaskCategoryName(TaskCategory category);

// The category named `name` (exactly as TaskCategoryName spells it); nullopt for any other text.
std::optional<TaskCategory> TaskCategoryByName(std::string_view name);

// Every category, in the order of the enum.
std::span<const TaskCategory> AllTaskCategories();

}  // namespace gw::config
