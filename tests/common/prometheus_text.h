// A strict reader of the Prometheus text exposition format (0.0.4) for tests: it parses a
// page into samples and checks the rules a scraper relies on - every sample belongs to a family
// announced by "# HELP" and "# TYPE" lines before it, names and label names are valid, label
// values are properly escaped, each series appears once, histogram buckets are cumulative,
// ascending in `le` and end with +Inf equal to `_count`. Problems are collected, not thrown.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace gw::testing {

struct PrometheusPage {
  // "name{a="x",b="y"}" (labels in page order) -> value.
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family -> counter/gauge/histogram/...
  std::vector<std::string> problems;

  bool Has(const std::string& series) const { return samples.count(series) != 0; }
  double Value(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? std::nan("") : it->second;
  }
};

namespace prometheus_detail {

inline bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
inline bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

inline bool ValidName(const std::string& name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// The family a sample name belongs to, given the declared types.
inline std::string FamilyOf(const std::string& name,
                            const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return {};
}

struct ParsedLabels {
  std::vector<std::pair<std::string, std::string>> labels;
  bool ok = true;
};

// Parses `{a="x",...}` starting at text[pos] == '{'; moves pos past '}'.
inline ParsedLabels ParseLabels(const std::string& text, size_t& pos) {
  ParsedLabels out;
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    size_t start = pos;
    while (pos < text.size() && IsNameChar(text[pos])) ++pos;
    const std::string name = text.substr(start, pos - start);
    if (!ValidName(name) || pos + 1 >= text.size() || text[pos] != '=' || text[pos + 1] != '"') {
      out.ok = false;
      return out;
    }
    pos += 2;
    std::string value;
    while (pos < text.size() && text[pos] != '"') {
      if (text[pos] == '\\') {
        if (pos + 1 >= text.size()) break;
        const char next = text[pos + 1];
        if (next == 'n') {
          value += '\n';
        } else if (next == '\\' || next == '"') {
          value += next;
        } else {
          out.ok = false;
          return out;
        }
        pos += 2;
      } else if (text[pos] == '\n') {
        out.ok = false;
        return out;
      } else {
        value += text[pos++];
      }
    }
    if (pos >= text.size()) {
      out.ok = false;
      return out;
    }
    ++pos;  // closing quote
    out.labels.emplace_back(name, value);
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  if (pos >= text.size()) out.ok = false;
  ++pos;
  return out;
}

}  // namespace prometheus_detail

inline PrometheusPage ParsePrometheusText(const std::string& text) {
  using namespace prometheus_detail;
  PrometheusPage page;
  std::set<std::string> helped;
  // Histogram checks: series without `le` -> list of (le, cumulative count).
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;
  size_t line_start = 0;
  int line_number = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) {
      page.problems.push_back("the page does not end with a newline");
      line_end = text.size();
    }
    const std::string line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (line.empty()) continue;
    if (line[0] == '#') {
      const bool help = line.rfind("# HELP ", 0) == 0;
      const bool type = line.rfind("# TYPE ", 0) == 0;
      if (!help && !type) continue;  // a comment
      const size_t name_end = line.find(' ', 7);
      const std::string name =
          line.substr(7, name_end == std::string::npos ? std::string::npos : name_end - 7);
      if (!ValidName(name)) page.problems.push_back(where + "invalid metric name " + name);
      if (help) {
        if (!helped.insert(name).second) page.problems.push_back(where + "second HELP for " + name);
        if (name_end == std::string::npos) page.problems.push_back(where + "HELP without text");
      } else {
        const std::string kind = name_end == std::string::npos ? "" : line.substr(name_end + 1);
        static const std::set<std::string> kKinds = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kKinds.count(kind)) page.problems.push_back(where + "unknown TYPE " + kind);
        if (!page.types.emplace(name, kind).second) {
          page.problems.push_back(where + "second TYPE for " + name);
        }
        if (!helped.count(name)) page.problems.push_back(where + "TYPE before HELP for " + name);
      }
      continue;
    }
    size_t pos = 0;
    while (pos < line.size() && IsNameChar(line[pos])) ++pos;
    const std::string name = line.substr(0, pos);
    if (!ValidName(name)) {
      page.problems.push_back(where + "invalid sample name");
      continue;
    }
    ParsedLabels labels;
    if (pos < line.size() && line[pos] == '{') labels = ParseLabels(line, pos);
    if (!labels.ok || pos >= line.size() || line[pos] != ' ') {
      page.problems.push_back(where + "malformed labels or missing value: " + line);
      continue;
    }
    const std::string value_text = line.substr(pos + 1);
    double value = 0;
    if (value_text == "+Inf") {
      value = INFINITY;
    } else if (value_text == "-Inf") {
      value = -INFINITY;
    } else if (value_text == "NaN") {
      value = NAN;
    } else {
      char* end = nullptr;
      value = std::strtod(value_text.c_str(), &end);
      if (end == value_text.c_str() || *end != '\0') {
        page.problems.push_back(where + "bad value " + value_text);
        continue;
      }
    }
    const std::string family = FamilyOf(name, page.types);
    if (family.empty()) page.problems.push_back(where + name + " has no TYPE before it");
    std::string series = name;
    std::string series_without_le = family;
    double le = NAN;
    if (!labels.labels.empty()) {
      series += '{';
      std::string others;
      for (size_t i = 0; i < labels.labels.size(); ++i) {
        const auto& [label, label_value] = labels.labels[i];
        if (i) series += ',';
        series += label + "=\"" + label_value + "\"";
        if (label == "le") {
          le = label_value == "+Inf" ? INFINITY : std::strtod(label_value.c_str(), nullptr);
        } else {
          others += (others.empty() ? "" : ",") + label + "=\"" + label_value + "\"";
        }
      }
      series += '}';
      if (!others.empty()) series_without_le += "{" + others + "}";
    }
    if (!page.samples.emplace(series, value).second) {
      page.problems.push_back(where + "duplicate series " + series);
    }
    if (name == family + "_bucket") {
      if (std::isnan(le)) page.problems.push_back(where + "bucket without le");
      buckets[series_without_le].emplace_back(le, value);
    }
  }
  for (const auto& [series, list] : buckets) {
    for (size_t i = 1; i < list.size(); ++i) {
      if (!(list[i].first > list[i - 1].first)) {
        page.problems.push_back(series + ": le not ascending");
      }
      if (list[i].second < list[i - 1].second) {
        page.problems.push_back(series + ": buckets not cumulative");
      }
    }
    if (list.empty() || !std::isinf(list.back().first)) {
      page.problems.push_back(series + ": no +Inf bucket");
      continue;
    }
    // The _count series has the same labels as the bucket series without `le`.
    const size_t brace = series.find('{');
    const std::string family = series.substr(0, brace);
    const std::string labels = brace == std::string::npos ? "" : series.substr(brace);
    const auto count = page.samples.find(family + "_count" + labels);
    if (count == page.samples.end() || count->second != list.back().second) {
      page.problems.push_back(series + ": +Inf bucket differs from _count");
    }
    if (!page.samples.count(family + "_sum" + labels)) {
      page.problems.push_back(series + ": no _sum");
    }
  }
  return page;
}

}  // namespace gw::testing
