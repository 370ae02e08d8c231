// The validated configuration of one gateway process, as plain structs.
// Produced once by config/loader.h at start-up (or reload) and then read-only: any thread may
// read a Config it holds, nothing mutates one after loading.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/task_category.h"

namespace gw::config {

// A secret value (API key, bearer key) resolved from the environment. Deliberately has no
// stream operator: code that wants to print it has to spell out `.value`, which review catches.
struct Secret {
  std::string value;
  // The environment variable it came from, for messages that must name it but not its value.
  std::string env_var;
};

// "host:port" a listener binds to.
struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
};

// A parsed upstream base URL, e.g. https://api.openai.com/v1.
struct Url {
  bool tls = false;         // scheme https
  std::string host;         // no brackets for IPv6
  uint16_t port = 0;        // explicit or the scheme default (80/443)
  std::string path_prefix;  // "/v1" (no trailing slash; may be empty)
};

struct ServerTimeouts {
  uint32_t idle_ms = 60000;            // keep-alive wait for the first byte of the next request
  uint32_t header_ms = 10000;          // to receive the rest of a request header once it started
  uint32_t body_ms = 60000;            // to receive the request body
  uint32_t write_ms = 30000;           // for each write to the client
  uint32_t shutdown_grace_ms = 10000;  // in-flight requests get this long after SIGTERM
};

struct TlsServerConfig {
  std::string cert_file;  // PEM chain
  std::string key_file;   // PEM private key
};

// GET /metrics, the Prometheus scrape endpoint.
struct MetricsConfig {
  bool enabled = true;
  // false: anyone who reaches the port may scrape (the usual Prometheus set-up; the page holds
  // model and provider names and counts, no prompts or keys). true: a valid key is required.
  bool require_key = false;
};

enum class RankingsAccess { kPublic, kAnyKey, kAdmin };

struct ServerConfig {
  ListenAddress listen;
  uint32_t workers = 0;  // 0 = one per core
  uint32_t max_header_bytes = 16 * 1024;
  uint64_t max_body_bytes = 16ull * 1024 * 1024;
  ServerTimeouts timeouts;
  // While a stream waits for its first upstream event, an SSE comment ": PROCESSING" is sent
  // every this many ms so clients and proxies do not time out. 0 disables.
  uint32_t stream_keepalive_ms = 5000;
  std::optional<TlsServerConfig> tls;
  // Accepted bearer keys. No keys and no admin keys = no authentication (the demo runs so).
  std::vector<Secret> auth_keys;
  // Keys that may also read everyone's usage (and the rankings under RankingsAccess::kAdmin).
  std::vector<Secret> admin_keys;
  // Who may read GET /v1/rankings* (docs/rankings.md); only meaningful with auth on.
  RankingsAccess rankings_access = RankingsAccess::kAnyKey;
  bool access_log = true;
  MetricsConfig metrics;
};

struct ProviderTimeouts {
  uint32_t connect_ms = 5000;      // TCP connect + TLS handshake
  uint32_t first_byte_ms = 60000;  // request sent -> first response byte (streams: first event)
  uint32_t idle_ms = 60000;        // between two reads of a streamed body
  uint32_t total_ms = 600000;      // whole attempt
};

// The wire dialect a provider speaks (YAML `api`).
enum class ProviderKind {
  kOpenAi,     // any OpenAI-compatible API (OpenAI, DeepSeek, Groq, Together, vLLM, llama.cpp ...)
  kAnthropic,  // Anthropic's Messages API (api.anthropic.com and compatible servers)
  kOpenAiResponses,  // OpenAI's Responses API (api.openai.com/v1/responses): Responses only
};

// The anthropic-version header sent to an Anthropic provider when the client sent none.
inline constexpr std::string_view kDefaultAnthropicVersion = "2023-06-01";

struct ProviderConfig {
  std::string name;  // unique; what responses report as `provider`
  ProviderKind kind = ProviderKind::kOpenAi;
  Url base_url;
  // Sent as "Authorization: Bearer ..." (OpenAI-compatible) or "x-api-key" (Anthropic).
  std::optional<Secret> api_key;
  std::vector<std::pair<std::string, std::string>> headers;  // extra upstream headers
  // Anthropic only: the anthropic-version sent when translating, or when a Messages client
  // sent none (a client's own version is forwarded).
  std::string anthropic_version = std::string(kDefaultAnthropicVersion);
  bool tls_verify = true;  // certificate + hostname verification against the system CA store
  ProviderTimeouts timeouts;
  uint32_t max_idle_connections = 64;  // per worker keep-alive pool size
};

// Money is integer. Token prices are nano-USD per one million tokens (USD 0.15/M = 150'000'000),
// which keeps sub-cent per-token prices exact; the per-request price is nano-USD.
struct Pricing {
  int64_t prompt = 0;
  int64_t completion = 0;
  std::optional<int64_t> cached_read;  // unset = billed as prompt
  std::optional<int64_t> cache_write;  // unset = billed as prompt
  std::optional<int64_t> reasoning;    // unset = billed as completion
  int64_t request = 0;                 // nano-USD per request
};

// The quantizations an endpoint may declare and a request may ask for (provider.quantizations).
inline constexpr std::array<std::string_view, 9> kQuantizationNames = {
    "int4", "int8", "fp4", "fp6", "fp8", "fp16", "bf16", "fp32", "unknown"};

struct EndpointConfig {
  std::string provider;        // ProviderConfig::name
  std::string upstream_model;  // the model name the provider expects
  Pricing pricing;
  uint32_t context_length = 0;         // 0 = the model's
  uint32_t max_completion_tokens = 0;  // 0 = no limit beyond context
  std::string quantization;            // "fp16", "int8", ... or empty (unknown)
  std::vector<std::string> supported_parameters;
  // Attributes the routing preferences filter on (provider.data_collection, provider.zdr).
  bool collects_data = true;  // data_collection: allow (default) | deny
  bool zdr = false;           // zero data retention
  // Performance until the gateway has measured the endpoint (sort by throughput / latency):
  uint32_t throughput_hint = 0;  // completion tokens per second; 0 = unknown
  uint32_t latency_hint_ms = 0;  // time to first token; 0 = unknown
  // A stream's time-to-first-token limit for this endpoint (the attempt is abandoned and the
  // next endpoint tried); 0 = the provider's timeouts.first_byte_ms.
  uint32_t first_token_timeout_ms = 0;
};

struct ModelConfig {
  std::string id;    // public id, e.g. "meta-llama/llama-3.1-8b-instruct"
  std::string name;  // display name; default = id
  std::string description;
  int64_t created = 0;  // unix seconds, shown by /v1/models
  uint32_t context_length = 0;
  std::string author;  // default: the part of id before '/'
  bool open_weights = false;
  std::string origin_country;  // ISO 3166 alpha-2 or empty
  int64_t parameters_m = 0;    // parameter count in millions (config `parameters_b`); 0 unknown
  bool reasoning = false;      // the model reasons before it answers
  std::string tokenizer = "o200k_base";  // o200k_base | cl100k_base
  std::string modality = "text->text";
  std::vector<EndpointConfig> endpoints;  // at least one
  std::string routing_sort;               // the model's `routing.sort`; "" = the global default
};

// What the gateway does with an endpoint in outage (routing.health.outage_policy).
enum class OutagePolicy {
  kFallback,  // tried only after every stable endpoint (the default, as API.md describes)
  kExclude,   // not tried at all while the outage lasts (reason "outage" in no-route errors)
};

// The `routing.health` block: outage detection over live traffic (docs/routing.md).
struct HealthConfig {
  // Outage: at least outage_min_requests answers in the last outage_window_s seconds, of which
  // at least outage_error_percent % failed (429s are not failures of the endpoint).
  uint32_t outage_window_s = 30;
  uint32_t outage_min_requests = 5;
  uint32_t outage_error_percent = 50;
  // After cooldown_s the endpoint is half-open: probe_percent % of the requests that could use
  // it try it first; a success closes the outage, a failure re-opens it with the cooldown doubled
  // (up to max_cooldown_s).
  uint32_t cooldown_s = 30;
  uint32_t max_cooldown_s = 300;
  uint32_t probe_percent = 10;
  OutagePolicy outage_policy = OutagePolicy::kFallback;
  // With a `redis` block: publish this instance's observations and fold in the other
  // instances', so an outage one instance sees is avoided by all (docs/scale-out.md).
  bool share = true;
};

// The `routing` block: defaults of the routing policies (docs/routing.md). A request's own
// provider.sort or model suffix wins over a model's `routing.sort`, which wins over this one.
struct RoutingConfig {
  std::string sort;               // "" = price-weighted; "price" | "throughput" | "latency"
  uint32_t max_attempts = 5;      // endpoints tried per request at most (>= 1)
  uint32_t total_timeout_ms = 0;  // across every attempt of a request; 0 = no such limit
  // Upstream statuses that move on to the next endpoint besides 429 and every 5xx, which always
  // do (a provider's own auth, billing or lookup failure says nothing about the others).
  std::vector<uint16_t> retry_statuses = {401, 402, 403, 404, 408, 409};
  // Sticky routing by session_id: forgotten after this long without a request.
  uint32_t session_idle_timeout_s = 600;
  HealthConfig health;
};

// The `accounting` block: where and how usage records are kept (docs/accounting.md).
// When the end of an answer may go out (docs/architecture.md, "Durability of usage records").
enum class AccountingDurability {
  kCommit,  // after the request's usage record is committed and fsynced (group commit)
  kAsync,   // at once; the record is written within flush_interval_ms (a crash loses that window)
};

// The `redis` block: the Redis server several gateway instances share their state through
// (docs/scale-out.md): managed keys' limits (accounting.limits.store: redis) and endpoint health
// (routing.health.share).
struct RedisConfig {
  // redis://[[user]:password@]host[:port][/db] or unix:///path/redis.sock; a ${ENV_VAR}
  // reference (it may hold a password).
  Secret url;
  uint32_t timeout_ms = 250;   // connect and each command
  std::string prefix = "gw:";  // of the Redis keys (several gateways on one server)
};

// Where managed keys' budgets, reservations and rate limits are kept (docs/scale-out.md).
enum class LimitsStore {
  kMemory,  // in this process: one gateway instance
  kRedis,   // in the `redis` server shared by every instance: exact across them
};

struct LimitsConfig {
  LimitsStore store = LimitsStore::kMemory;
  // Redis unreachable: false (closed) answers a managed key's requests 503; true (open) admits
  // them without budgets or rate limits.
  bool fail_open = false;
  uint32_t reservation_ttl_s = 900;  // a hold not settled by then is released
};

// Where the usage ledger lives (docs/scale-out.md).
enum class LedgerStore {
  kSqlite,    // this instance's SQLite file only: one gateway instance
  kPostgres,  // the SQLite file, shipped to the `postgres` server every instance shares
};

struct AccountingConfig {
  // Relative paths are resolved against the directory of the config file when it is loaded
  // from a file (LoadConfigFile), else against the working directory.
  std::string data_dir = "data";
  std::string database;  // "" = <data_dir>/ledger.sqlite3
  // Records waiting to be written; when this many are waiting, new requests get a 503.
  uint32_t queue_capacity = 100000;
  uint32_t flush_interval_ms = 100;  // the ledger writes at least this often (crash-loss window)
  uint32_t max_batch = 8192;         // records per transaction at most
  uint32_t retention_days = 90;      // raw records kept this long (rollups forever); 0 = forever
  AccountingDurability durability = AccountingDurability::kCommit;
  // The key table's file (keys_store sqlite); "" = beside the ledger (<ledger>-keys.sqlite3).
  // Instances on one machine that share limits in Redis may share this file (docs/scale-out.md).
  std::string keys_database;
  LimitsConfig limits;
  LedgerStore store = LedgerStore::kSqlite;
  // Where the key table lives: kSqlite, the file above; kPostgres, the `postgres` server every
  // instance shares. Never implied by `store`: an existing deployment that moves its ledger
  // keeps its keys where they are.
  LedgerStore keys_store = LedgerStore::kSqlite;
  // The database file this configuration means: `database`, else <data_dir>/ledger.sqlite3.
  std::string DatabasePath() const;
  // The Responses API's conversation store (gateway/responses/response_store.h), beside the
  // ledger: DatabasePath() with "-responses" before its .sqlite3 (data/ledger-responses.sqlite3).
  std::string ResponseStorePath() const;
};

// An app as the config describes it: the request's app is its X-Title header, else its
// HTTP-Referer (docs/insights.md).
struct AppConfig {
  std::string name;  // matched exactly against the request's app
  // The app's declared task category: its requests are recorded with it instead of the
  // classifier's guess.
  std::optional<TaskCategory> category;
};

// The `postgres` block: the shared ledger of several gateway instances
// (accounting.store: postgres, docs/scale-out.md).
struct PostgresConfig {
  // A libpq connection string, postgresql://user:password@host:port/db or "host=... dbname=...";
  // a ${ENV_VAR} reference (it may hold a password).
  Secret url;
  uint32_t connect_timeout_ms = 2000;  // libpq counts whole seconds, at least 2
  uint32_t ship_interval_ms = 200;     // how often new records are shipped at most
  uint32_t batch = 5000;               // records per transaction at most
  // Stored with each record (generations.instance); "" = <host name>:<ledger file path>.
  std::string instance;
};

struct Config {
  ServerConfig server;
  RoutingConfig routing;
  AccountingConfig accounting;
  std::optional<RedisConfig> redis;        // none: nothing is shared (one instance)
  std::optional<PostgresConfig> postgres;  // none: the ledger is this instance's file only
  std::vector<ProviderConfig> providers;
  std::vector<ModelConfig> models;
  std::vector<AppConfig> apps;

  const ProviderConfig* FindProvider(std::string_view name) const;
  const ModelConfig* FindModel(std::string_view id) const;
  // The app named `name` (config `apps`); nullptr for "" and for an app the config does not
  // list. A linear scan: the list names a handful of apps.
  const AppConfig* FindApp(std::string_view name) const;
};

}  // namespace gw::config
