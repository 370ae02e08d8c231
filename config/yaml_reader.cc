#include "config/yaml_reader.h"

#include <algorithm>
#include <limits>

#include "config/env_refs.h"
#include "config/money.h"

namespace gw::config::internal {
namespace {

// Longest value text repeated in a message; longer text is cut with "...".
constexpr size_t kMaxQuotedValue = 40;

// What a node is, for "expected X, got Y". Plain scalars are quoted back (they are typos such
// as "5s", never secrets: secret fields use ReadSecretRef, which does not quote).
std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      break;
    default:
      return "an undefined value";
  }
  if (node.Tag() != "?") return "a quoted string";
  const std::string& text = node.Scalar();
  if (text.size() <= kMaxQuotedValue) return "\"" + text + "\"";
  return "\"" + text.substr(0, kMaxQuotedValue) + "...\"";
}

// "parent.key", or "key" at the root.
std::string ChildPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

// A scalar written without quotes or tag, the only kind YAML lets be a number or boolean.
bool IsPlainScalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Levenshtein distance, for did-you-mean hints on short key names.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::string UnknownKeyMessage(std::string_view key, const std::vector<std::string_view>& known) {
  const auto closest = std::min_element(known.begin(), known.end(), [&](auto a, auto b) {
    return EditDistance(key, a) < EditDistance(key, b);
  });
  if (closest != known.end() && EditDistance(key, *closest) <= 2) {
    return "unknown key; did you mean \"" + std::string(*closest) + "\"?";
  }
  std::string message = "unknown key; expected one of:";
  for (size_t i = 0; i < known.size(); ++i) message += (i ? ", " : " ") + std::string(known[i]);
  return message;
}

}  // namespace

void Diagnostics::Add(std::string path, const YAML::Mark& mark, std::string message) {
  const bool located = mark.line >= 0 && mark.column >= 0;
  errors_.push_back(ConfigError{.path = std::move(path),
                                .message = std::move(message),
                                .line = located ? mark.line + 1 : 0,
                                .column = located ? mark.column + 1 : 0});
}

std::optional<std::string> ReadString(const Field& field, Diagnostics& diag) {
  if (field.node.IsScalar()) return field.node.Scalar();
  diag.Add(field, "expected a string, got " + Describe(field.node));
  return std::nullopt;
}

std::optional<bool> ReadBool(const Field& field, Diagnostics& diag) {
  if (IsPlainScalar(field.node)) {
    const std::string& text = field.node.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
  }
  diag.Add(field, "expected true or false, got " + Describe(field.node));
  return std::nullopt;
}

std::optional<uint64_t> ReadUnsigned(const Field& field, uint64_t min, uint64_t max,
                                     Diagnostics& diag) {
  const std::string text = IsPlainScalar(field.node) ? field.node.Scalar() : std::string();
  if (text.starts_with('-') && AllDigits(text.substr(1))) {
    diag.Add(field, "must not be negative");
    return std::nullopt;
  }
  if (!AllDigits(text)) {
    diag.Add(field, "expected an unsigned integer, got " + Describe(field.node));
    return std::nullopt;
  }
  uint64_t value = 0;
  bool overflow = false;
  for (char c : text) {
    overflow = overflow || __builtin_mul_overflow(value, uint64_t{10}, &value) ||
               __builtin_add_overflow(value, static_cast<uint64_t>(c - '0'), &value);
  }
  if (overflow || value > max) {
    diag.Add(field, "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  if (value < min) {
    diag.Add(field, "must be at least " + std::to_string(min));
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> ReadMoney(const Field& field, int64_t scale, Diagnostics& diag) {
  const std::string text = IsPlainScalar(field.node) ? field.node.Scalar() : std::string();
  int64_t value = 0;
  switch (ParseScaledDecimal(text, scale, &value)) {
    case DecimalStatus::kOk:
      return value;
    case DecimalStatus::kTooManyDecimals:
      diag.Add(field, "has more than 9 decimal places; prices are exact to the nano-dollar");
      return std::nullopt;
    case DecimalStatus::kOutOfRange:
      diag.Add(field, "is too large");
      return std::nullopt;
    case DecimalStatus::kMalformed:
    case DecimalStatus::kBadScale:
      break;
  }
  if (text.starts_with('-') && ParseUsdDecimal(text.substr(1), scale)) {
    diag.Add(field, "must not be negative");
  } else {
    diag.Add(field,
             "expected a non-negative decimal number such as 0.15, got " + Describe(field.node));
  }
  return std::nullopt;
}

std::optional<Secret> ReadSecretRef(const Field& field, const EnvLookup& env, Diagnostics& diag) {
  if (!field.node.IsScalar()) {
    diag.Add(field, "expected a ${ENV_VAR} reference, got " + Describe(field.node));
    return std::nullopt;
  }
  const std::optional<std::string_view> name = WholeEnvRef(field.node.Scalar());
  if (!name) {
    diag.Add(field,
             "must be a ${ENV_VAR} reference such as ${OPENAI_API_KEY}; secrets must not be "
             "written into the config file");
    return std::nullopt;
  }
  EnvValue resolved = ResolveEnvVar(*name, env);
  if (!resolved.error.empty()) {
    diag.Add(field, std::move(resolved.error));
    return std::nullopt;
  }
  return Secret{.value = std::move(resolved.value), .env_var = std::string(*name)};
}

std::optional<std::vector<Field>> ReadList(const Field& field, Diagnostics& diag) {
  if (!field.node.IsSequence()) {
    diag.Add(field, "expected a list, got " + Describe(field.node));
    return std::nullopt;
  }
  std::vector<Field> items;
  for (const YAML::Node& item : field.node) {
    items.push_back(Field{.node = item,
                          .path = field.path + "[" + std::to_string(items.size()) + "]",
                          .mark = item.IsNull() ? field.mark : item.Mark()});
  }
  return items;
}

std::optional<MapReader> MapReader::Open(const Field& field,
                                         std::initializer_list<std::string_view> known,
                                         Diagnostics& diag) {
  const std::vector<std::string_view> known_keys(known);
  return OpenImpl(field, &known_keys, diag);
}

std::optional<MapReader> MapReader::OpenAnyKeys(const Field& field, Diagnostics& diag) {
  return OpenImpl(field, nullptr, diag);
}

std::optional<MapReader> MapReader::OpenImpl(const Field& field,
                                             const std::vector<std::string_view>* known,
                                             Diagnostics& diag) {
  if (field.node.IsNull()) return MapReader(field, &diag);
  if (!field.node.IsMap()) {
    diag.Add(field, "expected a map, got " + Describe(field.node));
    return std::nullopt;
  }
  MapReader reader(field, &diag);
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // Copies: the iterator's operator-> yields a temporary proxy.
    const YAML::Node key = it->first;
    const YAML::Node value_node = it->second;
    if (!key.IsScalar()) {
      diag.Add(field.path, key.Mark(), "keys must be strings, got " + Describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    Field value{.node = value_node,
                .path = ChildPath(field.path, name),
                .mark = value_node.IsNull() ? key.Mark() : value_node.Mark()};
    if (reader.Get(name)) {
      diag.Add(value.path, key.Mark(), "duplicate key");
    } else if (known && std::find(known->begin(), known->end(), name) == known->end()) {
      diag.Add(value.path, key.Mark(), UnknownKeyMessage(name, *known));
    } else {
      reader.entries_.emplace_back(name, std::move(value));
    }
  }
  return reader;
}

std::optional<Field> MapReader::Get(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::optional<Field> MapReader::Require(std::string_view key) const {
  std::optional<Field> value = Get(key);
  if (!value) diag_->Add(ChildPath(field_.path, key), field_.mark, "required key is missing");
  return value;
}

void MapReader::String(std::string_view key, std::string* out) const {
  if (std::optional<Field> value = Get(key)) {
    if (std::optional<std::string> text = ReadString(*value, *diag_)) *out = std::move(*text);
  }
}

void MapReader::Bool(std::string_view key, bool* out) const {
  if (std::optional<Field> value = Get(key)) {
    if (std::optional<bool> flag = ReadBool(*value, *diag_)) *out = *flag;
  }
}

void MapReader::Uint32(std::string_view key, uint32_t* out, uint32_t min) const {
  if (std::optional<Field> value = Get(key)) {
    const auto number = ReadUnsigned(*value, min, std::numeric_limits<uint32_t>::max(), *diag_);
    if (number) *out = static_cast<uint32_t>(*number);
  }
}

void MapReader::Uint64(std::string_view key, uint64_t* out, uint64_t min) const {
  if (std::optional<Field> value = Get(key)) {
    const auto number = ReadUnsigned(*value, min, std::numeric_limits<uint64_t>::max(), *diag_);
    if (number) *out = *number;
  }
}

}  // namespace gw::config::internal
