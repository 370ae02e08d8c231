// A small JSON text writer for the ledger's outputs. It exists because USD amounts must reach
// clients as exact decimal numbers ("0.000123456"), and nlohmann::json stores numbers as double:
// amounts are kept as int64 nano-USD and written as number tokens with
// gw::config::FormatScaledDecimal. Strings go through the one escaper, json::AppendJsonString
// (base/json/json_writer.h): invalid UTF-8 becomes U+FFFD. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::accounting {

// nano-USD as an exact JSON number token in USD: 1500 -> 0.0000015, 0 -> 0.
std::string UsdNumber(int64_t nano_usd);

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Double(double value);  // shortest round-trip text; null for NaN or infinity
  JsonWriter& Null();
  JsonWriter& Usd(int64_t nano_usd);  // exact decimal number
  // `scaled` / 10^decimals as an exact decimal number (1500, 3 -> 1.5).
  JsonWriter& Decimal(int64_t scaled, int decimals);
  // Shorthands for one member.
  JsonWriter& Member(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& Member(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Member(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Member(std::string_view key, bool value) { return Key(key).Bool(value); }

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();  // a comma before a value or key that is not the first of its container

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace gw::accounting
