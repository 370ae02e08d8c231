#include "dialects/dialect.h"

namespace gw::dialects {

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kChatCompletions:
      return "chat_completions";
    case Dialect::kCompletions:
      return "completions";
    case Dialect::kAnthropicMessages:
      return "messages";
    case Dialect::kResponses:
      return "responses";
  }
  return "chat_completions";
}

ApiFamily FamilyOf(Dialect inbound) {
  return inbound == Dialect::kAnthropicMessages ? ApiFamily::kAnthropic : ApiFamily::kOpenAi;
}

}  // namespace gw::dialects
