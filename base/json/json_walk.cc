// Walkers and string helpers over already validated JSON. Nothing here re-checks the grammar:
// strings are skipped with memchr for the closing quote and structural bytes are found with a
// lookup table, which is what makes splicing a 400 KB body cheap after its one validation pass.
#include <array>
#include <cstring>

#include "base/json/json_internal.h"
#include "base/json/json_scan.h"
#include "base/text/utf8.h"

namespace gw::json {
namespace {

inline bool IsWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline const char* SkipWhitespace(const char* p, const char* end) {
  while (p < end && IsWhitespace(*p)) ++p;
  return p;
}

// p is at an opening quote; returns the byte after the closing quote (or end). In validated
// text a quote is escaped exactly when an odd number of backslashes precedes it.
const char* SkipString(const char* p, const char* end) {
  const char* contents = p + 1;
  const char* q = contents;
  for (;;) {
    q = static_cast<const char*>(std::memchr(q, '"', end - q));
    if (q == nullptr) return end;
    const char* run = q;
    while (run > contents && run[-1] == '\\') --run;
    if ((q - run) % 2 == 0) return q + 1;
    ++q;
  }
}

constexpr std::array<bool, 256> MakeStructuralTable() {
  std::array<bool, 256> table{};
  for (unsigned char c : {'"', '{', '}', '[', ']'}) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kStructural = MakeStructuralTable();

// p is at '{' or '['; returns the byte after the matching close (or end).
const char* SkipContainer(const char* p, const char* end) {
  int depth = 0;
  while (p < end) {
    while (p < end && !kStructural[static_cast<unsigned char>(*p)]) ++p;
    if (p == end) break;
    switch (*p) {
      case '"':
        p = SkipString(p, end);
        break;
      case '{':
      case '[':
        ++depth;
        ++p;
        break;
      default:  // '}' or ']'
        ++p;
        if (--depth == 0) return p;
    }
  }
  return end;
}

inline bool IsNumberByte(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// p is at the first byte of a value (p < end); returns the byte after it and sets *kind.
const char* SkipValue(const char* p, const char* end, ValueKind* kind) {
  auto literal = [&](ValueKind k, ptrdiff_t size) {
    *kind = k;
    return end - p < size ? end : p + size;
  };
  switch (*p) {
    case '"':
      *kind = ValueKind::kString;
      return SkipString(p, end);
    case '{':
      *kind = ValueKind::kObject;
      return SkipContainer(p, end);
    case '[':
      *kind = ValueKind::kArray;
      return SkipContainer(p, end);
    case 't':
      return literal(ValueKind::kTrue, 4);
    case 'f':
      return literal(ValueKind::kFalse, 5);
    case 'n':
      return literal(ValueKind::kNull, 4);
    default:
      *kind = ValueKind::kNumber;
      while (p < end && IsNumberByte(*p)) ++p;
      return p;
  }
}

// Calls on_item(p) for each item of the container opened at `text`'s first non-whitespace byte
// `open`; on_item returns the byte after its item. Stops at the close or the end of the text.
template <class OnItem>
void ForEachItem(std::string_view text, char open, char close, OnItem&& on_item) {
  const char* end = text.data() + text.size();
  const char* p = SkipWhitespace(text.data(), end);
  if (p == end || *p != open) return;
  p = SkipWhitespace(p + 1, end);
  while (p < end && *p != close) {
    const char* next = on_item(p, end);
    if (next <= p) return;  // malformed input: stop rather than loop
    p = SkipWhitespace(next, end);
    if (p < end && *p == ',') p = SkipWhitespace(p + 1, end);
  }
}

}  // namespace

void ObjectMembers(std::string_view object_text, std::vector<Member>& out) {
  out.clear();
  ForEachItem(object_text, '{', '}', [&out](const char* p, const char* end) -> const char* {
    if (*p != '"') return p;
    const char* key_end = SkipString(p, end);
    if (key_end == end) return p;
    const std::string_view key(p + 1, key_end - 1 - (p + 1));
    const char* q = SkipWhitespace(key_end, end);
    if (q == end || *q != ':') return p;
    q = SkipWhitespace(q + 1, end);
    if (q == end) return p;
    ValueKind kind;
    const char* value_end = SkipValue(q, end, &kind);
    out.push_back(Member{key, std::string_view(q, value_end - q), kind});
    return value_end;
  });
}

void ArrayElements(std::string_view array_text, std::vector<Element>& out) {
  out.clear();
  ForEachItem(array_text, '[', ']', [&out](const char* p, const char* end) {
    ValueKind kind;
    const char* value_end = SkipValue(p, end, &kind);
    out.push_back(Element{std::string_view(p, value_end - p), kind});
    return value_end;
  });
}

bool KeyIs(std::string_view raw_key, std::string_view name) {
  // Every escape is longer than what it stands for: a raw key shorter than `name` cannot match.
  if (raw_key.size() < name.size()) return false;
  // Plain common prefix; most calls end here at the first differing byte.
  size_t matched = 0;
  const size_t common = name.size();
  while (matched < common && raw_key[matched] == name[matched] && raw_key[matched] != '\\') {
    ++matched;
  }
  if (matched == raw_key.size() || raw_key[matched] != '\\') {
    return matched == raw_key.size() && matched == name.size();
  }
  const char* p = raw_key.data() + matched;
  const char* end = raw_key.data() + raw_key.size();
  while (p < end) {
    if (*p != '\\') {
      if (matched == name.size() || name[matched] != *p) return false;
      ++matched;
      ++p;
      continue;
    }
    uint32_t code_point;
    if (internal::ParseEscape(&p, end, &code_point) != internal::EscapeStatus::kOk) return false;
    char utf8[4];
    const size_t size = text::EncodeUtf8(code_point, utf8);
    if (name.substr(matched, size) != std::string_view(utf8, size)) return false;
    matched += size;
  }
  return matched == name.size();
}

std::optional<std::string> UnescapeString(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const auto* slash = static_cast<const char*>(std::memchr(p, '\\', end - p));
    if (slash == nullptr) {
      out.append(p, end);
      break;
    }
    out.append(p, slash);
    p = slash;
    uint32_t code_point;
    if (internal::ParseEscape(&p, end, &code_point) != internal::EscapeStatus::kOk) {
      return std::nullopt;
    }
    char utf8[4];
    out.append(utf8, text::EncodeUtf8(code_point, utf8));
  }
  return out;
}

size_t UnescapedSize(std::string_view raw) {
  size_t size = 0;
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const auto* slash = static_cast<const char*>(std::memchr(p, '\\', end - p));
    if (slash == nullptr) return size + (end - p);
    size += slash - p;
    p = slash;
    uint32_t code_point;
    if (internal::ParseEscape(&p, end, &code_point) != internal::EscapeStatus::kOk) {
      return size + (end - p);  // not validated text: count the rest as it is
    }
    size += code_point < 0x80 ? 1 : code_point < 0x800 ? 2 : code_point < 0x10000 ? 3 : 4;
  }
  return size;
}

std::string_view StringContents(std::string_view string_value) {
  if (string_value.size() < 2) return {};
  return string_value.substr(1, string_value.size() - 2);
}

const Member* FindMember(const std::vector<Member>& members, std::string_view name) {
  for (const Member& member : members) {
    if (KeyIs(member.raw_key, name)) return &member;
  }
  return nullptr;
}

}  // namespace gw::json
