// base/json: the strict scanner (ScanObject, Validate), the walkers over validated text, the
// unescaper and the string writer. Invariants: what ScanObject accepts Validate accepts; every
// member the scanner hands out is itself valid JSON, and the walkers find the same members;
// unescaping a validated string works and has the size UnescapedSize predicts; the writer's
// output is always valid JSON and survives an unescape/escape round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "base/json/json_writer.h"
#include "fuzz/fuzz_check.h"

namespace {

using gw::json::Element;
using gw::json::Member;
using gw::json::ValueKind;

void CheckString(std::string_view raw) {
  const std::optional<std::string> text = gw::json::UnescapeString(raw);
  FUZZ_CHECK(text.has_value());
  FUZZ_CHECK(text->size() == gw::json::UnescapedSize(raw));
}

// Checks a value span taken from validated text, and the spans inside it, `depth` levels down.
void CheckValue(std::string_view value, ValueKind kind, int depth) {
  FUZZ_CHECK(!gw::json::Validate(value));
  if (kind == ValueKind::kString) CheckString(gw::json::StringContents(value));
  if (depth == 0) return;
  if (kind == ValueKind::kObject) {
    std::vector<Member> members;
    gw::json::ObjectMembers(value, members);
    for (const Member& member : members) {
      CheckString(member.raw_key);
      CheckValue(member.value, member.kind, depth - 1);
    }
  } else if (kind == ValueKind::kArray) {
    std::vector<Element> elements;
    gw::json::ArrayElements(value, elements);
    for (const Element& element : elements) CheckValue(element.value, element.kind, depth - 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gw::fuzz::AsText(data, size);

  std::vector<Member> members;
  const bool object_ok = !gw::json::ScanObject(text, members);
  const bool valid = !gw::json::Validate(text);
  if (object_ok) {
    FUZZ_CHECK(valid);
    std::vector<Member> walked;
    gw::json::ObjectMembers(text, walked);
    FUZZ_CHECK(walked.size() == members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      FUZZ_CHECK(walked[i].raw_key == members[i].raw_key);
      FUZZ_CHECK(walked[i].value == members[i].value);
      FUZZ_CHECK(walked[i].kind == members[i].kind);
      const std::optional<std::string> key = gw::json::UnescapeString(members[i].raw_key);
      FUZZ_CHECK(key.has_value());
      FUZZ_CHECK(gw::json::KeyIs(members[i].raw_key, *key));
      FUZZ_CHECK(gw::json::FindMember(members, *key) != nullptr);
    }
  }
  if (valid) {
    const size_t start = text.find_first_not_of(" \t\r\n");
    FUZZ_CHECK(start != std::string_view::npos);
    const char first = text[start];
    const ValueKind kind = first == '{'   ? ValueKind::kObject
                           : first == '[' ? ValueKind::kArray
                           : first == '"' ? ValueKind::kString
                                          : ValueKind::kNumber;  // the rest are not walked
    CheckValue(text.substr(start, text.find_last_not_of(" \t\r\n") + 1 - start), kind, 3);
  }

  // The writer: any bytes in, valid JSON out; a second pass through it changes nothing.
  std::string written;
  gw::json::AppendJsonString(written, text);
  FUZZ_CHECK(!gw::json::Validate(written));
  const std::optional<std::string> back =
      gw::json::UnescapeString(gw::json::StringContents(written));
  FUZZ_CHECK(back.has_value());
  std::string rewritten;
  gw::json::AppendJsonString(rewritten, *back);
  FUZZ_CHECK(rewritten == written);
  return 0;
}
