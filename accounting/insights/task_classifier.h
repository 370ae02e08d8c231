// The task category of a request, decided locally and deterministically from its prompt
// (docs/insights.md, "Task categories"): built-in cues (words and phrases per category in several
// languages, code and roleplay shapes such as ``` fences and *actions*, the tools of coding
// agents) give each category points, weighted by where they are: the latest user turn 3x, the
// system text 2x, older user turns 1x. Pure function, any thread; no model, no allocation per call
// after the cue tables' one-time build.
#pragma once

#include "accounting/insights/prompt_text.h"
#include "config/task_category.h"

namespace gw::accounting::insights {

// The category whose cues score highest (a tie goes to the category listed first in
// task_category.h); general_qa for a question that no category scores as much as; kOther when
// nothing scores enough (empty text, a greeting, a test).
config::TaskCategory ClassifyTask(const PromptText& prompt);

}  // namespace gw::accounting::insights
