// Typed, located reads of yaml-cpp nodes for the config loader: every read either yields a value
// or records a ConfigError with the value's path and 1-based position, so loading can go on and
// report every problem. Internal to config/; a Diagnostics is used by one thread at a time.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/loader.h"

namespace gw::config::internal {

// A value in the document with its path ("models[2].endpoints[0].provider") and the position
// errors about it point at: the value's, or its key's when the value is empty ("key:" with
// nothing after it), because yaml-cpp places an empty value at the next token.
struct Field {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;
};

// Collects problems in the order found.
class Diagnostics {
 public:
  // `mark` is yaml-cpp's 0-based position; a negative one (no position) becomes line/column 0.
  void Add(std::string path, const YAML::Mark& mark, std::string message);
  void Add(const Field& field, std::string message) {
    Add(field.path, field.mark, std::move(message));
  }

  std::vector<ConfigError> Take() { return std::move(errors_); }

 private:
  std::vector<ConfigError> errors_;
};

// Each reader returns nullopt after reporting when the field does not hold the expected type.
// Numbers and booleans must be plain YAML scalars: a quoted "5000" is a string, not a number.
std::optional<std::string> ReadString(const Field& field, Diagnostics& diag);
std::optional<bool> ReadBool(const Field& field, Diagnostics& diag);
std::optional<uint64_t> ReadUnsigned(const Field& field, uint64_t min, uint64_t max,
                                     Diagnostics& diag);
// A non-negative decimal USD amount (see money.h) times `scale`, exactly.
std::optional<int64_t> ReadMoney(const Field& field, int64_t scale, Diagnostics& diag);
// A value that must be exactly "${NAME}", resolved through `env`. Literal values are rejected
// without being repeated, since they are presumably secrets.
std::optional<Secret> ReadSecretRef(const Field& field, const EnvLookup& env, Diagnostics& diag);
// A list's items with paths "path[i]".
std::optional<std::vector<Field>> ReadList(const Field& field, Diagnostics& diag);

// A YAML map opened for reading. An empty value counts as an empty map, so an optional block
// whose keys are all commented out means "all defaults".
class MapReader {
 public:
  // Reports a non-map, non-string keys, duplicate keys and, when `known` is given, every key
  // not in it (with a did-you-mean hint). Returns nullopt only for a non-map.
  static std::optional<MapReader> Open(const Field& field,
                                       std::initializer_list<std::string_view> known,
                                       Diagnostics& diag);
  // Same, for maps whose keys are data (e.g. headers): any string key is accepted.
  static std::optional<MapReader> OpenAnyKeys(const Field& field, Diagnostics& diag);

  const Field& field() const { return field_; }
  // The (key, value) pairs in document order, duplicates removed.
  const std::vector<std::pair<std::string, Field>>& entries() const { return entries_; }

  std::optional<Field> Get(std::string_view key) const;
  // Get, reporting a missing key at the map's position.
  std::optional<Field> Require(std::string_view key) const;

  // Store the value in *out when present and valid; otherwise *out keeps its default.
  void String(std::string_view key, std::string* out) const;
  void Bool(std::string_view key, bool* out) const;
  void Uint32(std::string_view key, uint32_t* out, uint32_t min = 0) const;
  void Uint64(std::string_view key, uint64_t* out, uint64_t min = 0) const;

 private:
  MapReader(Field field, Diagnostics* diag) : field_(std::move(field)), diag_(diag) {}
  static std::optional<MapReader> OpenImpl(const Field& field,
                                           const std::vector<std::string_view>* known,
                                           Diagnostics& diag);

  Field field_;
  std::vector<std::pair<std::string, Field>> entries_;
  Diagnostics* diag_;
};

}  // namespace gw::config::internal
