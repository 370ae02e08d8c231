#include "gateway/metrics/prometheus_writer.h"

#include <charconv>
#include <cmath>

namespace gw::metrics {
namespace {

// HELP text escapes backslash and newline; label values also escape the double quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    // Shortest round-trip digits in fixed notation: "0.0001", not "1e-04".
    char digits[400];
    const auto [end, ec] =
        std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed);
    out.append(digits, end);
  }
}

template <class Integer>
void AppendInteger(std::string& out, Integer value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

double Seconds(std::chrono::nanoseconds value) {
  return std::chrono::duration<double>(value).count();
}

}  // namespace

void PrometheusWriter::Family(std::string_view name, std::string_view type, std::string_view help) {
  text_.append("# HELP ").append(name).append(" ");
  AppendEscaped(text_, help, false);
  text_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusWriter::BeginSample(std::string_view name, Labels labels, const Label* extra) {
  text_.append(name);
  if (labels.size() == 0 && extra == nullptr) {
    text_ += ' ';
    return;
  }
  char separator = '{';
  auto append_label = [&](const Label& label) {
    text_ += separator;
    text_.append(label.first).append("=\"");
    AppendEscaped(text_, label.second, true);
    text_ += '"';
    separator = ',';
  };
  for (const Label& label : labels) append_label(label);
  if (extra != nullptr) append_label(*extra);
  text_.append("} ");
}

void PrometheusWriter::Sample(std::string_view name, Labels labels, uint64_t value) {
  BeginSample(name, labels, nullptr);
  AppendInteger(text_, value);
  text_ += '\n';
}

void PrometheusWriter::Sample(std::string_view name, Labels labels, int64_t value) {
  BeginSample(name, labels, nullptr);
  AppendInteger(text_, value);
  text_ += '\n';
}

void PrometheusWriter::Sample(std::string_view name, Labels labels, double value) {
  BeginSample(name, labels, nullptr);
  AppendDouble(text_, value);
  text_ += '\n';
}

void PrometheusWriter::Histogram(std::string_view name, Labels labels,
                                 const DurationHistogram& histogram) {
  const std::string bucket_name = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  std::string bound;
  for (size_t i = 0; i <= histogram.bounds().size(); ++i) {
    cumulative += histogram.counts()[i];
    bound.clear();
    if (i < histogram.bounds().size()) {
      AppendDouble(bound, Seconds(histogram.bounds()[i]));
    } else {
      bound = "+Inf";
    }
    const Label le{"le", bound};
    BeginSample(bucket_name, labels, &le);
    AppendInteger(text_, cumulative);
    text_ += '\n';
  }
  Sample(std::string(name) + "_sum", labels, Seconds(std::chrono::nanoseconds(histogram.sum_ns())));
  Sample(std::string(name) + "_count", labels, histogram.count());
}

}  // namespace gw::metrics
