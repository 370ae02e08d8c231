// One insights analysis as a table: named columns and rows of cells, rendered as the `data`
// array of a JSON answer (one object per row, keys = columns) or as CSV (a header line, then
// one line per row). Lets every analysis answer both formats from one description. Pure; any
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "accounting/ledger/json_text.h"

namespace gw::api {

struct UsdCell {
  int64_t nano_usd = 0;  // written as the exact decimal USD amount
};
// null (JSON null, empty in CSV), a count, a decimal, text, a boolean or an amount.
using InsightCell = std::variant<std::monostate, int64_t, double, std::string, bool, UsdCell>;

struct InsightTable {
  std::vector<std::string> columns;
  std::vector<std::vector<InsightCell>> rows;  // each as long as `columns`

  // Appends the rows as a JSON array (the writer is positioned after a key).
  void WriteJson(accounting::JsonWriter& json) const;
  // Appends rows[row] alone as a JSON object (a table of one row, such as totals).
  void WriteRowJson(accounting::JsonWriter& json, size_t row) const;
  std::string Csv() const;
};

// value / total in percent, rounded to 2 decimals; null when total is 0.
InsightCell Percent(int64_t value, int64_t total);
// A decimal rounded to 2 decimals.
InsightCell Rounded(double value);
// "" -> null, else the text.
InsightCell TextOrNull(std::string_view text);

}  // namespace gw::api
