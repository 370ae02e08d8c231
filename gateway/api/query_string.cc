#include "gateway/api/query_string.h"

namespace gw::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Decode(std::string_view text, bool plus_is_space = true) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> DecodePathPart(std::string_view part) { return Decode(part, false); }

std::optional<std::vector<QueryParameter>> ParseQueryString(std::string_view target) {
  std::vector<QueryParameter> parameters;
  const size_t mark = target.find('?');
  if (mark == std::string_view::npos) return parameters;
  std::string_view query = target.substr(mark + 1);
  while (!query.empty()) {
    const size_t end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::optional<std::string> name = Decode(pair.substr(0, equals));
    std::optional<std::string> value =
        Decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    parameters.push_back({std::move(*name), std::move(*value)});
  }
  return parameters;
}

std::string JoinNames(std::initializer_list<std::string_view> names) {
  std::string text;
  for (std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::optional<std::vector<QueryParameter>> ReadParameters(
    std::string_view target, std::initializer_list<std::string_view> allowed,
    std::string* problem) {
  std::optional<std::vector<QueryParameter>> parameters = ParseQueryString(target);
  if (!parameters) {
    *problem = "the query string has a malformed %-escape";
    return std::nullopt;
  }
  for (size_t i = 0; i < parameters->size(); ++i) {
    const std::string& name = (*parameters)[i].name;
    bool known = false;
    for (std::string_view candidate : allowed) known = known || candidate == name;
    if (!known) {
      *problem = "unknown parameter \"" + name + "\"; allowed: " + JoinNames(allowed);
      return std::nullopt;
    }
    for (size_t j = 0; j < i; ++j) {
      if ((*parameters)[j].name == name) {
        *problem = "parameter \"" + name + "\" is given twice";
        return std::nullopt;
      }
    }
  }
  return parameters;
}

}  // namespace gw::api
