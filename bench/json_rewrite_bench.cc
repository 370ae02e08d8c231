// Request-body rewrite cost: our validating scanner + span splicing against the DOM libraries
// (nlohmann::json, Boost.JSON) doing parse + modify + serialize, and simdjson's parse alone as a
// reference for raw validation speed. Bodies: a realistic ~400 KB chat request (long code,
// English, some non-ASCII) and a ~300-byte one. Reported as MB/s (10^6 bytes) of input.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <boost/json.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "providers/openai/openai_request.h"

namespace {

namespace gwjson = gw::json;

constexpr const char* kUpstreamModel = "gpt-4o-2024-08-06";

const char* const kCode[] = {
    "#include <string>\n#include <vector>\n\nstd::string Join(const std::vector<std::string>& "
    "parts, char sep) {\n\tstd::string out;\n\tfor (size_t i = 0; i < parts.size(); ++i) {\n"
    "\t\tif (i > 0) out += sep;\n\t\tout += parts[i];\n\t}\n\treturn out;  // \"joined\"\n}\n",
    "def parse_path(path: str) -> list[str]:\n    \"\"\"Split a Windows path like C:\\\\Users\\\\"
    "me into parts.\"\"\"\n    return [p for p in path.split('\\\\') if p]\n\n\nif __name__ == "
    "\"__main__\":\n    print(parse_path(r\"C:\\temp\\x\"))\n",
    "const re = /\\d+\\.\\d+/g;\nfunction fmt(n) {\n  return `value: ${n.toFixed(2)}`;\n}\n"
    "console.log(JSON.stringify({ \"a\": [1, 2, 3], b: 'x\\ny' }));\n",
    "SELECT u.id, u.name, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id "
    "= u.id\nWHERE u.created_at > '2024-01-01'\nGROUP BY u.id, u.name\nORDER BY orders DESC;\n",
};

const char* const kProse[] = {
    "Could you review the function below and explain why it allocates so much? I expected the "
    "reserve call to avoid reallocations, but the profiler still shows a lot of time in malloc. "
    "Please also suggest a version that handles empty inputs gracefully. ",
    "The service handles roughly twelve thousand requests per second at peak, and the p99 "
    "latency budget for the whole path is fifty milliseconds, so every copy matters. ",
    "Merci pour la réponse précédente ! J'ai une question de suivi à propos de l'encodage "
    "des caractères spéciaux : « é », « ç », « ü ». ",
    "请帮我检查这段代码是否有内存泄漏，并解释原因。谢谢！ ",
    "Great, that works 🎉 — one more thing: the tests fail on Windows paths. ",
};

// A chat request of about `target` bytes: system prompt, then alternating user turns (prose +
// code) and assistant turns (prose + code), plus router fields the rewrite must drop.
std::string MakeChatBody(size_t target) {
  nlohmann::ordered_json body;
  body["model"] = "openai/gpt-4o";
  body["models"] = {"openai/gpt-4o", "anthropic/claude-sonnet-4"};
  body["provider"] = {{"sort", "price"}, {"allow_fallbacks", true}};
  body["messages"] = nlohmann::ordered_json::array();
  body["messages"].push_back({{"role", "system"},
                              {"content",
                               "You are a senior software engineer. Answer precisely, "
                               "show code in fenced blocks, and explain trade-offs."}});
  body["temperature"] = 0.2;
  body["max_tokens"] = 4096;
  body["stream"] = true;
  body["user"] = "user-1234";
  unsigned seed = 7;
  auto next = [&seed](unsigned n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
  };
  for (int turn = 0; body.dump(-1, ' ', false).size() < target; ++turn) {
    std::string content;
    for (int i = 0; i < 6; ++i) {
      content += kProse[next(std::size(kProse))];
      content += "\n```\n";
      content += kCode[next(std::size(kCode))];
      content += "```\n";
    }
    body["messages"].push_back(
        {{"role", turn % 2 == 0 ? "user" : "assistant"}, {"content", content}});
  }
  return body.dump(-1, ' ', false);
}

std::string MakeSmallBody() {
  return R"({"model":"openai/gpt-4o","messages":[{"role":"system","content":"You are a helpful )"
         R"(assistant."},{"role":"user","content":"What is the capital of France? Réponds en )"
         R"(français, s'il te plaît."}],"temperature":0.7,"max_tokens":256,"stream":true,)"
         R"("provider":{"sort":"price"},"user":"user-1234"})";
}

// One JSON object whose only value is a long plain-ASCII string: the scanner's best case.
std::string MakeLongAsciiBody(size_t size) {
  std::string text;
  while (text.size() < size) text += "The quick brown fox jumps over the lazy dog 0123456789. ";
  return "{\"content\":\"" + text + "\"}";
}

const std::string& Body(int which) {
  static const std::string small = MakeSmallBody();
  static const std::string large = MakeChatBody(400 * 1000);
  static const std::string ascii = MakeLongAsciiBody(400 * 1000);
  return which == 0 ? small : which == 1 ? large : ascii;
}

void Label(benchmark::State& state, const std::string& body) {
  state.SetLabel(std::to_string(body.size()) + " B");
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(body.size()) / 1e6,
                                              benchmark::Counter::kIsIterationInvariantRate);
}

void BM_GwScanObject(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  std::vector<gwjson::Member> members;
  for (auto _ : state) {
    auto error = gwjson::ScanObject(body, members);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(members.data());
  }
  Label(state, body);
}

void BM_GwScanAndRewrite(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  std::vector<gwjson::Member> members;
  for (auto _ : state) {
    if (gwjson::ScanObject(body, members)) state.SkipWithError("scan failed");
    std::string out = gw::providers::openai::RewriteRequestBody(members, kUpstreamModel, true);
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, body);
}

void BM_Nlohmann(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(body);
    doc["model"] = kUpstreamModel;
    for (const char* key : {"models", "provider", "route", "transforms", "usage", "session_id"}) {
      doc.erase(key);
    }
    doc["stream_options"]["include_usage"] = true;
    std::string out = doc.dump();
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, body);
}

void BM_BoostJson(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    boost::json::value doc = boost::json::parse(body);
    boost::json::object& object = doc.as_object();
    object["model"] = kUpstreamModel;
    for (const char* key : {"models", "provider", "route", "transforms", "usage", "session_id"}) {
      object.erase(key);
    }
    object["stream_options"].emplace_object()["include_usage"] = true;
    std::string out = boost::json::serialize(doc);
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, body);
}

void BM_SimdjsonParseOnly(benchmark::State& state) {
  const std::string& body = Body(static_cast<int>(state.range(0)));
  const simdjson::padded_string padded(body);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(padded).get(doc) != simdjson::SUCCESS) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(doc);
  }
  Label(state, body);
  state.SetLabel(std::to_string(body.size()) + " B, simdjson kernel " +
                 simdjson::get_active_implementation()->name());
}

// Arg: 0 = small (~300 B), 1 = chat (~400 KB), 2 = one long ASCII string (~400 KB).
BENCHMARK(BM_GwScanObject)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_GwScanAndRewrite)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_Nlohmann)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_BoostJson)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_SimdjsonParseOnly)->Arg(0)->Arg(1)->Arg(2);

}  // namespace

BENCHMARK_MAIN();
