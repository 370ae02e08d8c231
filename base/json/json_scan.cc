// The validating scanner: recursive descent over the text with no intermediate tree. Strings, the
// bulk of every request body, are skipped 16 bytes per step with SWAR lane tests and only the
// bytes that end a plain ASCII run ('"', '\\', controls, non-ASCII) are looked at one by one.
#include "base/json/json_scan.h"

#include <cstdio>
#include <forward_list>
#include <string>
#include <unordered_set>

#include "base/json/json_internal.h"

namespace gw::json {
namespace {

using internal::EscapeStatus;

// Above this many top-level members, duplicates are found with a hash set instead of a linear
// scan, so that a hostile body with 100k keys costs O(n), not O(n^2).
constexpr size_t kLinearDuplicateCheck = 32;
// Longest key quoted back in a "duplicate key" message.
constexpr size_t kMaxKeyInMessage = 64;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// First byte in [p, end) that ends a plain ASCII run inside a string, or end.
inline const char* SkipPlainAscii(const char* p, const char* end) {
  while (end - p >= 16) {
    const uint64_t low = internal::StringSpecialLanes(internal::Load8(p));
    const uint64_t high = internal::StringSpecialLanes(internal::Load8(p + 8));
    if (low != 0) return p + internal::FirstLane(low);
    if (high != 0) return p + 8 + internal::FirstLane(high);
    p += 16;
  }
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return p;
    ++p;
  }
  return end;
}

// Keys compared as JSON strings: equal once unescaped.
bool SameKey(std::string_view a, std::string_view b) {
  if (a.find('\\') == std::string_view::npos) return KeyIs(b, a);
  if (b.find('\\') == std::string_view::npos) return KeyIs(a, b);
  return UnescapeString(a) == UnescapeString(b);
}

// A key shortened for an error message without splitting a UTF-8 sequence.
std::string KeyForMessage(std::string_view raw_key) {
  if (raw_key.size() <= kMaxKeyInMessage) return std::string(raw_key);
  size_t cut = kMaxKeyInMessage;
  while (cut > 0 && internal::IsContinuation(static_cast<unsigned char>(raw_key[cut]))) --cut;
  return std::string(raw_key.substr(0, cut)) + "...";
}

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  // Scans the whole document. With `members`, the top level must be an object and its members
  // are captured and checked for duplicates.
  std::optional<ScanError> Run(std::vector<Member>* members) {
    SkipWhitespace();
    ValueKind kind;
    if (members != nullptr) {
      if (p_ == end_) return Error(p_, "unexpected end of input");
      if (*p_ != '{') return Error(p_, "top-level value is not an object");
      if (!ParseObject(1, members)) return std::move(error_);
    } else if (!ParseValue(0, &kind)) {
      return std::move(error_);
    }
    SkipWhitespace();
    if (p_ == end_) return std::nullopt;
    FailUnexpected(p_, "unexpected data after the JSON value");
    return std::move(error_);
  }

 private:
  std::optional<ScanError> Error(const char* at, std::string message) {
    Fail(at, std::move(message));
    return std::move(error_);
  }

  bool Fail(const char* at, std::string message, bool invalid_utf8 = false) {
    error_ = ScanError{static_cast<size_t>(at - begin_), std::move(message), invalid_utf8};
    return false;
  }

  // Fails at a byte that cannot start what `expected` names (or at the end of input).
  bool FailUnexpected(const char* at, const char* expected) {
    if (at == end_) return Fail(at, "unexpected end of input");
    const auto c = static_cast<unsigned char>(*at);
    char what[48];
    if (c >= 0x20 && c < 0x7F) {
      std::snprintf(what, sizeof what, ": unexpected character '%c'", c);
    } else {
      std::snprintf(what, sizeof what, ": unexpected byte 0x%02X", c);
    }
    const bool bad_utf8 = c >= 0x80 && internal::Utf8SequenceLength(
                                           reinterpret_cast<const unsigned char*>(at),
                                           reinterpret_cast<const unsigned char*>(end_)) == 0;
    return Fail(at, std::string(expected) + what, bad_utf8);
  }

  void SkipWhitespace() {
    while (p_ < end_ && IsWhitespace(*p_)) ++p_;
  }

  bool ParseValue(int depth, ValueKind* kind) {
    if (p_ == end_) return Fail(p_, "unexpected end of input");
    switch (*p_) {
      case '{':
        *kind = ValueKind::kObject;
        return ParseObject(depth + 1, nullptr);
      case '[':
        *kind = ValueKind::kArray;
        return ParseArray(depth + 1);
      case '"':
        *kind = ValueKind::kString;
        return ParseString();
      case 't':
        *kind = ValueKind::kTrue;
        return ParseLiteral("true");
      case 'f':
        *kind = ValueKind::kFalse;
        return ParseLiteral("false");
      case 'n':
        *kind = ValueKind::kNull;
        return ParseLiteral("null");
      default:
        *kind = ValueKind::kNumber;
        if (*p_ == '-' || IsDigit(*p_)) return ParseNumber();
        return FailUnexpected(p_, "expected a value");
    }
  }

  // p_ is at '{'; `depth` counts this object.
  bool ParseObject(int depth, std::vector<Member>* members) {
    if (depth > kMaxDepth) return Fail(p_, "nesting deeper than 128 levels");
    ++p_;
    SkipWhitespace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      if (p_ == end_ || *p_ != '"') return FailUnexpected(p_, "expected a string key");
      const char* key_begin = p_ + 1;
      if (!ParseString()) return false;
      const std::string_view key(key_begin, p_ - 1 - key_begin);
      escaped_keys_ += string_had_escape_ ? 1 : 0;
      SkipWhitespace();
      if (p_ == end_ || *p_ != ':') return FailUnexpected(p_, "expected ':' after object key");
      ++p_;
      SkipWhitespace();
      const char* value_begin = p_;
      ValueKind kind;
      if (!ParseValue(depth, &kind)) return false;
      if (members != nullptr) {
        members->push_back(Member{key, std::string_view(value_begin, p_ - value_begin), kind});
        if (!CheckDuplicate(*members)) return Fail(key_begin - 1, DuplicateMessage(key));
      }
      SkipWhitespace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return true;
      }
      return FailUnexpected(p_, "expected ',' or '}' after object member");
    }
  }

  // p_ is at '['; `depth` counts this array.
  bool ParseArray(int depth) {
    if (depth > kMaxDepth) return Fail(p_, "nesting deeper than 128 levels");
    ++p_;
    SkipWhitespace();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      ValueKind kind;
      if (!ParseValue(depth, &kind)) return false;
      SkipWhitespace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        return true;
      }
      return FailUnexpected(p_, "expected ',' or ']' after array element");
    }
  }

  // p_ is at the opening quote; on success p_ is just past the closing one.
  bool ParseString() {
    const char* p = p_ + 1;
    string_had_escape_ = false;
    for (;;) {
      p = SkipPlainAscii(p, end_);
      if (p == end_) return Fail(p_, "unterminated string");
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        p_ = p + 1;
        return true;
      }
      if (c == '\\') {
        string_had_escape_ = true;
        if (!ParseEscapeAt(&p)) return false;
      } else if (c < 0x20) {
        return Fail(p, "control character in string");
      } else {
        p = SkipUtf8Run(p);
        if (p == nullptr) return false;
      }
    }
  }

  // Validates consecutive multi-byte UTF-8 sequences from p (a byte >= 0x80); returns the first
  // byte after them, or nullptr after failing.
  const char* SkipUtf8Run(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    const auto* end = reinterpret_cast<const unsigned char*>(end_);
    do {
      const int length = internal::Utf8SequenceLength(u, end);
      if (length == 0) {
        Fail(reinterpret_cast<const char*>(u), "invalid UTF-8 in string", true);
        return nullptr;
      }
      u += length;
    } while (u < end && *u >= 0x80);
    return reinterpret_cast<const char*>(u);
  }

  bool ParseEscapeAt(const char** p) {
    const char* at = *p;
    uint32_t code_point;
    switch (internal::ParseEscape(p, end_, &code_point)) {
      case EscapeStatus::kOk:
        return true;
      case EscapeStatus::kTruncated:
        return Fail(at, "unterminated string");
      case EscapeStatus::kBadEscape:
        return Fail(at, "invalid escape sequence");
      case EscapeStatus::kBadHex:
        return Fail(*p, "invalid \\u escape: expected 4 hex digits");
      case EscapeStatus::kUnpairedSurrogate:
        return Fail(at, "unpaired surrogate in \\u escape");
    }
    return false;
  }

  // Grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber() {
    const char* p = p_;
    if (*p == '-') ++p;
    if (p == end_ || !IsDigit(*p)) return Fail(p, "invalid number: expected a digit");
    if (*p == '0') {
      ++p;
      if (p < end_ && IsDigit(*p)) return Fail(p, "invalid number: leading zero");
    } else {
      while (p < end_ && IsDigit(*p)) ++p;
    }
    if (p < end_ && *p == '.') {
      ++p;
      if (p == end_ || !IsDigit(*p)) return Fail(p, "invalid number: expected a digit after '.'");
      while (p < end_ && IsDigit(*p)) ++p;
    }
    if (p < end_ && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end_ && (*p == '+' || *p == '-')) ++p;
      if (p == end_ || !IsDigit(*p)) {
        return Fail(p, "invalid number: expected a digit in the exponent");
      }
      while (p < end_ && IsDigit(*p)) ++p;
    }
    p_ = p;
    return true;
  }

  bool ParseLiteral(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return FailUnexpected(p_, "invalid literal");
    }
    p_ += word.size();
    return true;
  }

  // True when the last member's key does not repeat an earlier one.
  bool CheckDuplicate(const std::vector<Member>& members) {
    const std::string_view key = members.back().raw_key;
    if (members.size() <= kLinearDuplicateCheck) {
      for (size_t i = 0; i + 1 < members.size(); ++i) {
        // Without escapes (the usual case) equal keys are equal texts.
        const bool same =
            escaped_keys_ == 0 ? members[i].raw_key == key : SameKey(members[i].raw_key, key);
        if (same) return false;
      }
      return true;
    }
    if (seen_.empty()) {
      for (size_t i = 0; i + 1 < members.size(); ++i) seen_.insert(Normalized(members[i].raw_key));
    }
    return seen_.insert(Normalized(key)).second;
  }

  // The unescaped key, stored only when it differs from the raw text.
  std::string_view Normalized(std::string_view raw_key) {
    if (raw_key.find('\\') == std::string_view::npos) return raw_key;
    return unescaped_keys_.emplace_front(UnescapeString(raw_key).value_or(std::string(raw_key)));
  }

  static std::string DuplicateMessage(std::string_view key) {
    return "duplicate key \"" + KeyForMessage(key) + "\"";
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::optional<ScanError> error_;
  bool string_had_escape_ = false;  // the last ParseString met a backslash
  size_t escaped_keys_ = 0;         // captured keys that contain escapes
  std::unordered_set<std::string_view> seen_;
  // A list: it does not allocate until used, and growth keeps the views in seen_ valid.
  std::forward_list<std::string> unescaped_keys_;
};

}  // namespace

std::optional<ScanError> ScanObject(std::string_view text, std::vector<Member>& members) {
  members.clear();
  return Scanner(text).Run(&members);
}

std::optional<ScanError> Validate(std::string_view text) { return Scanner(text).Run(nullptr); }

}  // namespace gw::json
