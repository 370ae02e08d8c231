// Strict single-pass JSON validation plus zero-copy walkers over already validated text: the
// request path validates each body once and then splices spans of it instead of building a DOM.
// Owned by the providers module; pure functions over caller-owned text, callable from any thread.
// Every string_view handed out points into the caller's text and lives as long as that text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::json {

// Deepest accepted nesting of objects and arrays; the top-level container counts as 1.
inline constexpr int kMaxDepth = 128;

enum class ValueKind : uint8_t { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

struct Member {
  std::string_view raw_key;  // the key's text between its quotes, still escaped
  std::string_view value;    // the value's exact text (for strings: including the quotes)
  ValueKind kind;
};

struct Element {
  std::string_view value;  // the element's exact text (for strings: including the quotes)
  ValueKind kind;
};

struct ScanError {
  size_t offset = 0;          // byte offset of the problem in the scanned text
  std::string message;        // e.g. "expected ',' or '}' after object member"
  bool invalid_utf8 = false;  // the problem is a byte sequence that is not valid UTF-8
};

// Validates `text` as exactly one JSON document (RFC 8259) whose top level is an object, and fills
// `members` (cleared first) with its top-level members in document order. Strict: UTF-8 is checked
// everywhere (overlongs, UTF-8-encoded surrogates, code points above U+10FFFF and truncated
// sequences are rejected), \u escapes must not leave a surrogate unpaired, strings must not hold
// raw control characters, nesting is at most kMaxDepth, only whitespace may surround the value,
// and a top-level key may appear once (compared after unescaping: "duplicate key \"model\"").
// Returns nullopt on success; on failure `members` holds an unspecified prefix.
std::optional<ScanError> ScanObject(std::string_view text, std::vector<Member>& members);

// Same validation as ScanObject for a document of any top-level kind; duplicate keys are allowed.
std::optional<ScanError> Validate(std::string_view text);

// Walkers for text that was ALREADY validated (by ScanObject/Validate, or a value span taken from
// such text). They do not check anything: on unvalidated input the result is unspecified (but
// they never read outside `*_text`). `out` is cleared first. A text whose first non-whitespace
// byte is not '{' (resp. '[') yields no members (elements).
void ObjectMembers(std::string_view object_text, std::vector<Member>& out);
void ArrayElements(std::string_view array_text, std::vector<Element>& out);

// True when the key, once unescaped, equals `name` ("mod\u0065l" is "model"). No allocation.
bool KeyIs(std::string_view raw_key, std::string_view name);

// Decodes the escapes of `raw` (the text between a string's quotes) into UTF-8. Returns nullopt
// when an escape is invalid or a \u escape leaves a surrogate unpaired; other bytes are copied as
// they are (validate first if they may not be UTF-8).
std::optional<std::string> UnescapeString(std::string_view raw);

// Byte size UnescapeString(raw) would return, without allocating. `raw` must be validated text.
size_t UnescapedSize(std::string_view raw);

// The text between the quotes of a kString value ("\"a\\n\"" -> "a\\n", still escaped).
std::string_view StringContents(std::string_view string_value);

// The first member whose key is `name` (see KeyIs), or nullptr.
const Member* FindMember(const std::vector<Member>& members, std::string_view name);

}  // namespace gw::json
