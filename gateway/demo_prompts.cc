#include "gateway/demo_prompts.h"

#include <vector>

#include "gateway/demo_prompts_data.h"

namespace gw::demo {
namespace {

using std::string_view;

constexpr string_view kEnReplies[] = {
    "Sure, here is what I would do, step by step.",
    "Good question. Here are a few options, starting with the simplest one.",
    "Done. I kept the structure and changed only what you asked for.",
};
constexpr string_view kZhReplies[] = {"好的，我按步骤给你整理一下。",
                                      "没问题，下面是修改后的版本。"};
constexpr string_view kEsReplies[] = {"¡Claro! Aquí lo tienes, paso a paso.",
                                      "Listo. He cambiado solo lo que me pediste."};
constexpr string_view kRuReplies[] = {"Конечно, вот что я предлагаю, по шагам.",
                                      "Готово. Я изменил только то, что ты просил."};
constexpr string_view kDeReplies[] = {"Klar, hier ist mein Vorschlag, Schritt für Schritt.",
                                      "Erledigt. Ich habe nur geändert, worum du gebeten hast."};
constexpr string_view kFrReplies[] = {"Bien sûr, voici ce que je propose, étape par étape.",
                                      "C'est fait. Je n'ai changé que ce que tu as demandé."};
constexpr string_view kJaReplies[] = {"もちろんです。順番に説明しますね。",
                                      "できました。ご依頼の部分だけを変更しています。"};
constexpr string_view kPtReplies[] = {"Claro, aqui está o passo a passo.",
                                      "Pronto. Mudei só o que você pediu."};
constexpr string_view kKoReplies[] = {"물론이죠. 차례대로 설명해 드릴게요.",
                                      "완료했습니다. 요청하신 부분만 바꿨어요."};

// ---- tools ----------------------------------------------------------------------------------

constexpr string_view kCodingAgentTools =
    R"([{"type":"function","function":{"name":"Bash","description":"Executes a bash command in a persistent shell session.","parameters":{"type":"object","properties":{"command":{"type":"string"},"description":{"type":"string"}},"required":["command"]}}},)"
    R"({"type":"function","function":{"name":"Read","description":"Reads a file from the local filesystem.","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"offset":{"type":"integer"},"limit":{"type":"integer"}},"required":["file_path"]}}},)"
    R"({"type":"function","function":{"name":"Edit","description":"Performs exact string replacements in files.","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"old_string":{"type":"string"},"new_string":{"type":"string"}},"required":["file_path","old_string","new_string"]}}},)"
    R"({"type":"function","function":{"name":"Write","description":"Writes a file to the local filesystem.","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}},)"
    R"({"type":"function","function":{"name":"Glob","description":"Fast file pattern matching.","parameters":{"type":"object","properties":{"pattern":{"type":"string"}},"required":["pattern"]}}},)"
    R"({"type":"function","function":{"name":"Grep","description":"Searches file contents with ripgrep.","parameters":{"type":"object","properties":{"pattern":{"type":"string"},"path":{"type":"string"}},"required":["pattern"]}}}])";
constexpr ToolCallText kCodingAgentCalls[] = {
    {"Bash", R"({"command":"pytest -q tests/test_cart.py","description":"Run the cart tests"})"},
    {"Read", R"({"file_path":"/repo/src/orders/cart.py"})"},
    {"Grep", R"({"pattern":"cart_total","path":"src"})"},
    {"Bash", R"({"command":"git diff --stat","description":"Show what changed"})"},
};

constexpr string_view kIdeTools =
    R"([{"type":"function","function":{"name":"read_file","description":"Read the contents of a file in the workspace.","parameters":{"type":"object","properties":{"target_file":{"type":"string"},"start_line":{"type":"integer"},"end_line":{"type":"integer"}},"required":["target_file"]}}},)"
    R"({"type":"function","function":{"name":"edit_file","description":"Propose an edit to an existing file.","parameters":{"type":"object","properties":{"target_file":{"type":"string"},"instructions":{"type":"string"},"code_edit":{"type":"string"}},"required":["target_file","code_edit"]}}},)"
    R"({"type":"function","function":{"name":"run_terminal_cmd","description":"Run a command in the user's terminal.","parameters":{"type":"object","properties":{"command":{"type":"string"},"is_background":{"type":"boolean"}},"required":["command"]}}},)"
    R"({"type":"function","function":{"name":"codebase_search","description":"Semantic search over the codebase.","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}])";
constexpr ToolCallText kIdeCalls[] = {
    {"read_file", R"({"target_file":"src/orders/cart.py","start_line":1,"end_line":80})"},
    {"codebase_search", R"({"query":"where is the cart total computed"})"},
    {"run_terminal_cmd", R"({"command":"npm test -- CartSummary","is_background":false})"},
};

constexpr string_view kSupportTools =
    R"([{"type":"function","function":{"name":"lookup_order","description":"Find an order by its number or the customer's email.","parameters":{"type":"object","properties":{"order_id":{"type":"string"},"email":{"type":"string"}}}}},)"
    R"({"type":"function","function":{"name":"create_return_label","description":"Create a prepaid return label for an order.","parameters":{"type":"object","properties":{"order_id":{"type":"string"},"reason":{"type":"string","enum":["damaged","wrong_item","changed_mind"]}},"required":["order_id"]}}},)"
    R"({"type":"function","function":{"name":"escalate_to_human","description":"Hand the conversation to a human agent.","parameters":{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}}}])";
constexpr ToolCallText kSupportCalls[] = {
    {"lookup_order", R"({"order_id":"A-20417"})"},
    {"lookup_order", R"({"email":"dana.whitfield@example.com"})"},
    {"create_return_label", R"({"order_id":"A-19982","reason":"damaged"})"},
};
constexpr string_view kSupportResults[] = {
    R"({"order_id":"A-20417","status":"packed","placed_at":"2025-03-02T10:14:00Z","carrier":"UPS","items":[{"sku":"BL-200","name":"PowerBlend 200 blender","qty":1,"price":89.9}],"ship_by":"2025-03-06","address":{"city":"Portland","country":"US"},"notes":"waiting for carrier pickup"})",
    R"({"orders":[{"order_id":"A-19982","status":"delivered","delivered_at":"2025-02-21","items":[{"sku":"KT-10","name":"Copper kettle 1.7 l","qty":1,"price":54.0}]},{"order_id":"A-20417","status":"packed","items":[{"sku":"BL-200","name":"PowerBlend 200 blender","qty":1,"price":89.9}]}],"customer":{"name":"Dana Whitfield","since":"2021-06-11","tier":"gold"}})",
    R"({"label_id":"RL-55821","carrier":"USPS","url":"https://labels.example.com/RL-55821.pdf","expires":"2025-03-30","refund":"issued when the parcel is scanned"})",
};

constexpr string_view kNotebookTools =
    R"([{"type":"function","function":{"name":"run_sql","description":"Run a read-only SQL query on the warehouse and return the first rows.","parameters":{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer"}},"required":["query"]}}},)"
    R"({"type":"function","function":{"name":"describe_table","description":"Show the columns of a table.","parameters":{"type":"object","properties":{"table":{"type":"string"}},"required":["table"]}}}])";
constexpr ToolCallText kNotebookCalls[] = {
    {"run_sql", R"({"query":"SELECT region, count(*) FROM customers GROUP BY region","limit":50})"},
    {"describe_table", R"({"table":"orders"})"},
};
constexpr string_view kNotebookResults[] = {
    "region,customers\nnorth,4120\nsouth,3388\neast,2975\nwest,5012\ncentral,1874\n",
    "column,type,nullable\nid,bigint,no\ncustomer_id,bigint,no\ncreated_at,timestamp,no\n"
    "amount,numeric(10,2),no\nstatus,text,no\nregion_code,text,yes\n",
    "month,region,amount\n2025-01,north,182340.50\n2025-01,south,120981.00\n2025-02,north,"
    "190112.75\n2025-02,south,118004.20\n2025-03,north,201877.10\n2025-03,south,125550.00\n",
};

constexpr string_view kWebSearchTools =
    R"([{"type":"function","function":{"name":"web_search","description":"Search the web and return the top results.","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}},)"
    R"({"type":"function","function":{"name":"get_weather","description":"Current weather and forecast for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"},"units":{"type":"string","enum":["metric","imperial"]}},"required":["city"]}}}])";
constexpr ToolCallText kWebSearchCalls[] = {
    {"web_search", R"({"query":"remove red wine stain cotton"})"},
    {"get_weather", R"({"city":"Innsbruck","units":"metric"})"},
};
constexpr string_view kWebSearchResults[] = {
    R"([{"title":"How to Get Red Wine Out of Clothes","url":"https://www.example.com/laundry/red-wine","snippet":"Blot, do not rub. Rinse from the back with cold water, then apply a paste of baking soda or a drop of dish soap before washing."},{"title":"Stain removal guide","url":"https://cleaning.example.org/stains","snippet":"Salt draws out fresh stains; hydrogen peroxide works on white cotton but can bleach colours."}])",
    R"({"city":"Innsbruck","now":{"temp_c":7,"conditions":"light rain"},"forecast":[{"day":"Sat","min_c":1,"max_c":9,"conditions":"showers"},{"day":"Sun","min_c":-1,"max_c":6,"conditions":"clear"}]})",
};

}  // namespace

std::string_view LanguageCode(Language language) {
  switch (language) {
    case Language::kEnglish:
      return "en";
    case Language::kChinese:
      return "zh";
    case Language::kSpanish:
      return "es";
    case Language::kRussian:
      return "ru";
    case Language::kGerman:
      return "de";
    case Language::kFrench:
      return "fr";
    case Language::kJapanese:
      return "ja";
    case Language::kPortuguese:
      return "pt";
    case Language::kKorean:
      return "ko";
    case Language::kNone:
      return "";
  }
  return "";
}

std::span<const TopicText> AllTopicTexts() {
  static const std::vector<TopicText> topics = [] {
    std::vector<TopicText> all;
    for (const auto& group : {internal::EnglishTopicTexts(), internal::InternationalTopicTexts()}) {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  return topics;
}

const TopicText* FindTopicText(config::TaskCategory category, Topic topic, Language language) {
  for (const TopicText& text : AllTopicTexts()) {
    if (text.category == category && text.topic == topic && text.language == language) {
      return &text;
    }
  }
  return nullptr;
}

std::span<const std::string_view> GenericReplies(Language language) {
  switch (language) {
    case Language::kChinese:
      return kZhReplies;
    case Language::kSpanish:
      return kEsReplies;
    case Language::kRussian:
      return kRuReplies;
    case Language::kGerman:
      return kDeReplies;
    case Language::kFrench:
      return kFrReplies;
    case Language::kJapanese:
      return kJaReplies;
    case Language::kPortuguese:
      return kPtReplies;
    case Language::kKorean:
      return kKoReplies;
    case Language::kEnglish:
    case Language::kNone:
      return kEnReplies;
  }
  return kEnReplies;
}

std::string_view ToolsJson(ToolKit kit) {
  switch (kit) {
    case ToolKit::kCodingAgent:
      return kCodingAgentTools;
    case ToolKit::kIde:
      return kIdeTools;
    case ToolKit::kSupport:
      return kSupportTools;
    case ToolKit::kNotebook:
      return kNotebookTools;
    case ToolKit::kWebSearch:
      return kWebSearchTools;
    case ToolKit::kNone:
      return "";
  }
  return "";
}

std::span<const ToolCallText> ToolCalls(ToolKit kit) {
  switch (kit) {
    case ToolKit::kCodingAgent:
      return kCodingAgentCalls;
    case ToolKit::kIde:
      return kIdeCalls;
    case ToolKit::kSupport:
      return kSupportCalls;
    case ToolKit::kNotebook:
      return kNotebookCalls;
    case ToolKit::kWebSearch:
      return kWebSearchCalls;
    case ToolKit::kNone:
      return {};
  }
  return {};
}

std::span<const std::string_view> ToolResults(ToolKit kit) {
  switch (kit) {
    case ToolKit::kCodingAgent:
    case ToolKit::kIde:
      return internal::CodeMaterial();
    case ToolKit::kSupport:
      return kSupportResults;
    case ToolKit::kNotebook:
      return kNotebookResults;
    case ToolKit::kWebSearch:
      return kWebSearchResults;
    case ToolKit::kNone:
      return {};
  }
  return {};
}

}  // namespace gw::demo
