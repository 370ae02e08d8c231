// The words of the demo traffic's prompts (docs/demo-traffic.md): for each task category and
// language, the requests users write, what they paste after them, the later turns of a
// conversation and the assistant's earlier answers, as real text that the gateway's own task
// classifier and language detector recognise (tests/gateway/demo_prompts_test.cc checks each).
// Also the system prompts, tools and tool results of the demo apps. Static data; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "config/task_category.h"

namespace gw::demo {

// The languages the demo's users write in. kNone: text with no language to tell ("hi", "test").
enum class Language : uint8_t {
  kEnglish,
  kChinese,
  kSpanish,
  kRussian,
  kGerman,
  kFrench,
  kJapanese,
  kPortuguese,
  kKorean,
  kNone,
};
inline constexpr size_t kLanguageCount = 10;

// The ISO 639-1 code the gateway's detector answers for text in `language` ("" for kNone).
std::string_view LanguageCode(Language language);

// A variant of a category's text for one kind of app (a support desk asks other questions than a
// chat assistant); kGeneral is the text of anyone.
enum class Topic : uint8_t {
  kGeneral,
  kSupport,   // general_qa: customers of an online shop
  kNotebook,  // programming: data analysis in a notebook (pandas, SQL)
  kAgent,     // programming: tasks for a coding agent that reads and edits files itself
};

// The text of one category (and topic) in one language.
struct TopicText {
  config::TaskCategory category = config::TaskCategory::kOther;
  Topic topic = Topic::kGeneral;
  Language language = Language::kEnglish;
  // Whole requests: the latest user turn of a conversation. When `material` is not empty, each
  // is followed by one or more pieces of it (the request refers to what it is pasted with).
  std::span<const std::string_view> asks;
  // Later turns of the same conversation ("now add tests"); empty: asks are used.
  std::span<const std::string_view> followups;
  // The assistant's earlier answers; empty: a short answer of the language's.
  std::span<const std::string_view> replies;
  // What users paste after their request: code, passages to translate, clauses, notes.
  std::span<const std::string_view> material;
};

// Every topic text, in a fixed order.
std::span<const TopicText> AllTopicTexts();

// The text of `category` and `topic` in `language`; nullptr when there is none.
const TopicText* FindTopicText(config::TaskCategory category, Topic topic, Language language);

// Short answers of an assistant in `language`, for conversations whose topic has no replies.
std::span<const std::string_view> GenericReplies(Language language);

// The tools an app offers (OpenAI `tools`), and what its tools answer.
enum class ToolKit : uint8_t {
  kNone,
  kCodingAgent,  // a terminal coding agent: Bash, Read, Edit, ...
  kIde,          // an editor's assistant: read_file, edit_file, run_terminal_cmd, ...
  kSupport,      // a shop's support desk: lookup_order, ...
  kNotebook,     // a data notebook: run_sql, ...
  kWebSearch,    // a chat assistant: web_search, get_weather
};

// The JSON array of the kit's tools (empty for kNone).
std::string_view ToolsJson(ToolKit kit);

// A call the assistant made in an earlier turn: one of the kit's tools and its JSON arguments.
struct ToolCallText {
  std::string_view name;
  std::string_view arguments;
};
std::span<const ToolCallText> ToolCalls(ToolKit kit);

// What the kit's tools answer (file contents, an order, query results); pads tool results.
std::span<const std::string_view> ToolResults(ToolKit kit);

}  // namespace gw::demo
