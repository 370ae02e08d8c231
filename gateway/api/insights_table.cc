#include "gateway/api/insights_table.h"

#include <charconv>
#include <cmath>

#include "accounting/ledger/usage_format.h"

namespace gw::api {
namespace {

void WriteCell(accounting::JsonWriter& json, const InsightCell& cell) {
  if (const auto* count = std::get_if<int64_t>(&cell)) {
    json.Int(*count);
  } else if (const auto* decimal = std::get_if<double>(&cell)) {
    json.Double(*decimal);
  } else if (const auto* text = std::get_if<std::string>(&cell)) {
    json.String(*text);
  } else if (const auto* flag = std::get_if<bool>(&cell)) {
    json.Bool(*flag);
  } else if (const auto* usd = std::get_if<UsdCell>(&cell)) {
    json.Usd(usd->nano_usd);
  } else {
    json.Null();
  }
}

std::string CsvCell(const InsightCell& cell) {
  if (const auto* count = std::get_if<int64_t>(&cell)) return std::to_string(*count);
  if (const auto* decimal = std::get_if<double>(&cell)) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *decimal);
    return std::string(buffer, result.ptr);
  }
  if (const auto* text = std::get_if<std::string>(&cell)) return accounting::CsvField(*text);
  if (const auto* flag = std::get_if<bool>(&cell)) return *flag ? "true" : "false";
  if (const auto* usd = std::get_if<UsdCell>(&cell)) return accounting::UsdNumber(usd->nano_usd);
  return "";
}

}  // namespace

void InsightTable::WriteJson(accounting::JsonWriter& json) const {
  json.BeginArray();
  for (size_t row = 0; row < rows.size(); ++row) WriteRowJson(json, row);
  json.EndArray();
}

void InsightTable::WriteRowJson(accounting::JsonWriter& json, size_t row) const {
  const std::vector<InsightCell>& cells = rows.at(row);
  json.BeginObject();
  for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
    json.Key(columns[i]);
    WriteCell(json, cells[i]);
  }
  json.EndObject();
}

std::string InsightTable::Csv() const {
  std::string csv;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) csv += ',';
    csv += columns[i];
  }
  csv += '\n';
  for (const std::vector<InsightCell>& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvCell(row[i]);
    }
    csv += '\n';
  }
  return csv;
}

InsightCell Percent(int64_t value, int64_t total) {
  if (total == 0) return std::monostate{};
  return Rounded(static_cast<double>(value) * 100.0 / static_cast<double>(total));
}

InsightCell Rounded(double value) { return std::round(value * 100.0) / 100.0 + 0.0; }

InsightCell TextOrNull(std::string_view text) {
  if (text.empty()) return std::monostate{};
  return std::string(text);
}

}  // namespace gw::api
