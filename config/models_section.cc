// models: the public catalogue, each model with the endpoints (provider + upstream model +
// pricing) that serve it.
#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>

#include "config/money.h"
#include "config/sections.h"

namespace gw::config::internal {
namespace {

constexpr std::array<std::string_view, 2> kTokenizers = {"o200k_base", "cl100k_base"};

constexpr std::array<std::string_view, 2> kDataCollection = {"allow", "deny"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& choices, std::string_view value) {
  return std::find(choices.begin(), choices.end(), value) != choices.end();
}

template <size_t N>
std::string ChoicesText(const std::array<std::string_view, N>& choices) {
  std::string text;
  for (std::string_view choice : choices) text += (text.empty() ? "" : ", ") + std::string(choice);
  return text;
}

// Empty when `id` is a valid model id, else why not.
std::string CheckModelId(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (std::any_of(id.begin(), id.end(),
                  [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); })) {
    return "must not contain whitespace or control characters";
  }
  if (id.find(':') != std::string_view::npos) {
    return "must not contain ':' (suffixes such as :floor are reserved for routing variants)";
  }
  return "";
}

// Reads a string that must be one of `choices` into *out.
template <size_t N>
void ReadChoice(const MapReader& map, std::string_view key,
                const std::array<std::string_view, N>& choices, Diagnostics& diag,
                std::string* out) {
  const std::optional<Field> field = map.Get(key);
  if (!field) return;
  std::optional<std::string> text = ReadString(*field, diag);
  if (!text) return;
  if (!OneOf(choices, *text)) {
    diag.Add(*field, "unknown value \"" + *text + "\"; expected one of: " + ChoicesText(choices));
    return;
  }
  *out = std::move(*text);
}

void ReadPricing(const Field& field, Diagnostics& diag, Pricing* out) {
  const auto map = MapReader::Open(
      field, {"prompt", "completion", "cached_read", "cache_write", "reasoning", "request"}, diag);
  if (!map) return;
  const auto read = [&](std::string_view key, int64_t* target) {
    if (std::optional<Field> value = map->Get(key)) {
      if (auto price = ReadMoney(*value, kNanoUsdPerUsd, diag)) *target = *price;
    }
  };
  read("prompt", &out->prompt);
  read("completion", &out->completion);
  read("request", &out->request);
  for (auto [key, target] :
       {std::pair{"cached_read", &out->cached_read}, std::pair{"cache_write", &out->cache_write},
        std::pair{"reasoning", &out->reasoning}}) {
    if (std::optional<Field> value = map->Get(key)) {
      *target = ReadMoney(*value, kNanoUsdPerUsd, diag);
    }
  }
}

void ReadSupportedParameters(const Field& field, Diagnostics& diag, std::vector<std::string>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return;
  for (const Field& item : *items) {
    std::optional<std::string> name = ReadString(item, diag);
    if (!name) continue;
    if (name->empty()) {
      diag.Add(item, "must not be empty");
    } else if (std::find(out->begin(), out->end(), *name) != out->end()) {
      diag.Add(item, "duplicate parameter \"" + *name + "\"");
    } else {
      out->push_back(std::move(*name));
    }
  }
}

// What an endpoint is checked against: the model it belongs to and the known providers.
struct EndpointContext {
  const std::set<std::string>* provider_names;              // nullptr: providers block unusable
  uint32_t model_context_length;                            // 0 when the model's was invalid
  std::map<std::string, std::string>* provider_first_seen;  // provider -> endpoint path
};

void ReadEndpointProvider(const Field& field, const EndpointContext& context, Diagnostics& diag,
                          std::string* out) {
  std::optional<std::string> name = ReadString(field, diag);
  if (!name) return;
  if (context.provider_names && !context.provider_names->count(*name)) {
    diag.Add(field, "unknown provider \"" + *name + "\"");
  }
  const auto [it, inserted] = context.provider_first_seen->emplace(*name, field.path);
  if (!inserted) {
    diag.Add(field, "provider \"" + *name + "\" already serves this model (at " + it->second +
                        "); give each provider one endpoint per model");
  }
  *out = std::move(*name);
}

// The endpoint's limits must fit inside the model's advertised context.
void CheckEndpointLimits(const MapReader& map, const EndpointContext& context, Diagnostics& diag,
                         const EndpointConfig& endpoint) {
  const uint32_t model_limit = context.model_context_length;
  const std::optional<Field> context_field = map.Get("context_length");
  if (context_field && model_limit > 0 && endpoint.context_length > model_limit) {
    diag.Add(*context_field,
             "must be at most the model's context_length (" + std::to_string(model_limit) + ")");
    return;
  }
  const uint32_t limit = endpoint.context_length > 0 ? endpoint.context_length : model_limit;
  const std::optional<Field> max_field = map.Get("max_completion_tokens");
  if (max_field && limit > 0 && endpoint.max_completion_tokens > limit) {
    diag.Add(*max_field, "must be at most the context length (" + std::to_string(limit) + ")");
  }
}

void ReadEndpoint(const Field& field, const EndpointContext& context, Diagnostics& diag,
                  EndpointConfig* out) {
  const auto map =
      MapReader::Open(field,
                      {"provider", "model", "pricing", "context_length", "max_completion_tokens",
                       "quantization", "supported_parameters", "data_collection", "zdr",
                       "throughput_hint", "latency_hint_ms", "first_token_timeout_ms"},
                      diag);
  if (!map) return;
  if (std::optional<Field> provider = map->Require("provider")) {
    ReadEndpointProvider(*provider, context, diag, &out->provider);
  }
  if (std::optional<Field> model = map->Require("model")) {
    if (std::optional<std::string> name = ReadString(*model, diag)) {
      if (name->empty()) diag.Add(*model, "must not be empty");
      out->upstream_model = std::move(*name);
    }
  }
  if (std::optional<Field> pricing = map->Get("pricing"))
    ReadPricing(*pricing, diag, &out->pricing);
  map->Uint32("context_length", &out->context_length);
  map->Uint32("max_completion_tokens", &out->max_completion_tokens);
  ReadChoice(*map, "quantization", kQuantizationNames, diag, &out->quantization);
  if (std::optional<Field> parameters = map->Get("supported_parameters")) {
    ReadSupportedParameters(*parameters, diag, &out->supported_parameters);
  }
  std::string data_collection;
  ReadChoice(*map, "data_collection", kDataCollection, diag, &data_collection);
  out->collects_data = data_collection != "deny";
  map->Bool("zdr", &out->zdr);
  map->Uint32("throughput_hint", &out->throughput_hint);
  map->Uint32("latency_hint_ms", &out->latency_hint_ms);
  map->Uint32("first_token_timeout_ms", &out->first_token_timeout_ms);
  CheckEndpointLimits(*map, context, diag, *out);
}

void ReadEndpoints(const Field& field, const std::set<std::string>* provider_names,
                   uint32_t model_context_length, Diagnostics& diag,
                   std::vector<EndpointConfig>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return;
  if (items->empty()) diag.Add(field, "at least one endpoint is required");
  std::map<std::string, std::string> provider_first_seen;
  const EndpointContext context{provider_names, model_context_length, &provider_first_seen};
  for (const Field& item : *items) {
    EndpointConfig endpoint;
    ReadEndpoint(item, context, diag, &endpoint);
    out->push_back(std::move(endpoint));
  }
}

void ReadId(const Field& field, Diagnostics& diag, std::map<std::string, std::string>* first_seen,
            std::string* out) {
  std::optional<std::string> id = ReadString(field, diag);
  if (!id) return;
  const std::string error = CheckModelId(*id);
  if (!error.empty()) diag.Add(field, error);
  const auto [it, inserted] = first_seen->emplace(*id, field.path);
  if (!inserted) {
    diag.Add(field, "duplicate model id \"" + *id + "\" (first defined at " + it->second + ")");
  }
  *out = std::move(*id);
}

void ReadOriginCountry(const MapReader& map, Diagnostics& diag, std::string* out) {
  const std::optional<Field> field = map.Get("origin_country");
  if (!field) return;
  std::optional<std::string> code = ReadString(*field, diag);
  if (!code) return;
  const bool valid =
      code->empty() || (code->size() == 2 && std::isupper((*code)[0]) && std::isupper((*code)[1]));
  if (!valid) {
    diag.Add(*field, "expected an ISO 3166-1 alpha-2 code such as US, or \"\"");
    return;
  }
  *out = std::move(*code);
}

// `parameters_b`: the model's parameter count in billions (for a mixture of experts, all of
// them), a decimal exact to the million: 8, 1.5, 671.
void ReadParameterCount(const MapReader& map, Diagnostics& diag, int64_t* out) {
  const std::optional<Field> field = map.Get("parameters_b");
  if (!field) return;
  const std::string text = field->node.IsScalar() ? field->node.Scalar() : std::string();
  int64_t millions = 0;
  if (ParseScaledDecimal(text, 1000, &millions) != DecimalStatus::kOk || millions == 0 ||
      millions > 1'000'000'000) {
    diag.Add(*field,
             "expected the parameter count in billions, a number above 0 with at most 3 "
             "decimals such as 8 or 1.5, got \"" +
                 text + "\"");
    return;
  }
  *out = millions;
}

void ReadModel(const Field& field, const std::set<std::string>* provider_names, Diagnostics& diag,
               std::map<std::string, std::string>* first_seen, ModelConfig* out) {
  const auto map = MapReader::Open(field,
                                   {"id", "name", "description", "created", "context_length",
                                    "author", "open_weights", "origin_country", "parameters_b",
                                    "reasoning", "tokenizer", "modality", "endpoints", "routing"},
                                   diag);
  if (!map) return;
  if (std::optional<Field> id = map->Require("id")) ReadId(*id, diag, first_seen, &out->id);
  out->name = out->id;
  map->String("name", &out->name);
  map->String("description", &out->description);
  if (std::optional<Field> created = map->Get("created")) {
    const uint64_t max = std::numeric_limits<int64_t>::max();
    if (auto seconds = ReadUnsigned(*created, 0, max, diag))
      out->created = static_cast<int64_t>(*seconds);
  }
  if (std::optional<Field> context = map->Require("context_length")) {
    const uint64_t max = std::numeric_limits<uint32_t>::max();
    if (auto tokens = ReadUnsigned(*context, 1, max, diag))
      out->context_length = static_cast<uint32_t>(*tokens);
  }
  out->author = out->id.substr(0, out->id.find('/'));
  map->String("author", &out->author);
  map->Bool("open_weights", &out->open_weights);
  ReadOriginCountry(*map, diag, &out->origin_country);
  ReadParameterCount(*map, diag, &out->parameters_m);
  map->Bool("reasoning", &out->reasoning);
  ReadChoice(*map, "tokenizer", kTokenizers, diag, &out->tokenizer);
  map->String("modality", &out->modality);
  if (std::optional<Field> routing = map->Get("routing")) {
    ReadModelRouting(*routing, diag, &out->routing_sort);
  }
  if (std::optional<Field> endpoints = map->Require("endpoints")) {
    ReadEndpoints(*endpoints, provider_names, out->context_length, diag, &out->endpoints);
  }
}

}  // namespace

void ReadModels(const Field& field, const std::set<std::string>* provider_names, Diagnostics& diag,
                std::vector<ModelConfig>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return;
  if (items->empty()) diag.Add(field, "at least one model is required");
  std::map<std::string, std::string> first_seen;
  for (const Field& item : *items) {
    ModelConfig model;
    ReadModel(item, provider_names, diag, &first_seen, &model);
    out->push_back(std::move(model));
  }
}

}  // namespace gw::config::internal
