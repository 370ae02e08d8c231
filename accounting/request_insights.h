// Fills what the insights analyses read from a record's prompt (docs/insights.md): the
// conversation's message count, whether tools were offered, the language of the user's text
// and the task category. The accounting consumer calls it off the request path, before
// FillNormalizedCounts releases the prompt; any thread, on a record it owns.
#pragma once

#include "accounting/generation_record.h"

namespace gw::accounting {

// Reads record.prompt_source (left in place), which must be valid JSON: the request body the
// request path validated, or the chat body it built from a Responses request; through
// record.prompt_layout when the request path noted where its parts are (then cleared). A record
// without one (nothing was relayed) keeps its defaults. A category set already (the app declared
// one) is kept; otherwise the classifier's is stored.
void FillRequestInsights(GenerationRecord& record);

}  // namespace gw::accounting
