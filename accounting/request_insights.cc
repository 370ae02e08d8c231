#include "accounting/request_insights.h"

#include "accounting/insights/language_detector.h"
#include "accounting/insights/prompt_text.h"
#include "accounting/insights/task_classifier.h"

namespace gw::accounting {

void FillRequestInsights(GenerationRecord& record) {
  if (record.prompt_source.empty()) return;
  const insights::PromptText prompt = insights::ReadPromptTextOfLayout(
      record.prompt_source, record.prompt_layout, record.prompt_is_chat);
  record.message_count = prompt.message_count;
  record.tools_offered = prompt.tools_offered;
  // The user's own words tell the language; system prompts are often English whatever the
  // user writes, so they decide only when there is no user text.
  record.language =
      std::string(insights::DetectLanguage(prompt.user.empty() ? prompt.system : prompt.user));
  if (record.category.empty()) {
    record.category = std::string(config::TaskCategoryName(insights::ClassifyTask(prompt)));
  }
  record.prompt_layout = {};  // read; its vector is freed with the text
}

}  // namespace gw::accounting
