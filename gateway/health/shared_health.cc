#include "gateway/health/shared_health.h"

#include <algorithm>
#include <charconv>
#include <random>

namespace gw::health {
namespace {

// The next tab-separated field of `line` (consumed).
std::string_view NextField(std::string_view& line) {
  const size_t tab = line.find('\t');
  const std::string_view field = line.substr(0, tab);
  line.remove_prefix(tab == std::string_view::npos ? line.size() : tab + 1);
  return field;
}

template <typename Number>
bool ParseNumber(std::string_view text, Number* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

void AppendNumber(std::string& out, double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

// A sanity bound on one line's counts: a malformed or hostile entry cannot make the monitor
// allocate without bound.
constexpr uint32_t kMaxCount = 1'000'000;

}  // namespace

SharedHealth::SharedHealth(std::unique_ptr<redis::RedisClient> client, std::string prefix,
                           std::vector<std::string> endpoint_names,
                           std::function<void(std::string_view)> log)
    : client_(std::move(client)),
      stream_(std::move(prefix) + "health"),
      names_(std::move(endpoint_names)),
      log_(std::move(log)) {
  std::random_device device;
  instance_ = std::to_string(device()) + "-" + std::to_string(device());
  for (uint32_t id = 0; id < names_.size(); ++id) ids_.emplace(names_[id], id);
}

std::string SharedHealth::Encode(std::span<const routing::HealthObservation> own) const {
  struct Summary {
    uint32_t successes = 0, errors = 0, rate_limited = 0;
    std::string samples;
    size_t sampled = 0;
  };
  std::vector<Summary> by_endpoint(names_.size());
  for (const routing::HealthObservation& observation : own) {
    if (observation.endpoint_id >= by_endpoint.size()) continue;
    Summary& summary = by_endpoint[observation.endpoint_id];
    switch (observation.result) {
      case routing::HealthObservation::Result::kSuccess:
        ++summary.successes;
        if (summary.sampled < kSamplesPerEndpoint) {
          if (summary.sampled++ > 0) summary.samples.push_back(',');
          AppendNumber(summary.samples, observation.latency_ms);
          summary.samples.push_back('/');
          AppendNumber(summary.samples, observation.tokens_per_second);
        }
        break;
      case routing::HealthObservation::Result::kError:
        ++summary.errors;
        break;
      case routing::HealthObservation::Result::kRateLimited:
        ++summary.rate_limited;
        break;
    }
  }
  std::string out;
  for (size_t id = 0; id < by_endpoint.size(); ++id) {
    const Summary& summary = by_endpoint[id];
    if (summary.successes + summary.errors + summary.rate_limited == 0) continue;
    out.append(names_[id]).push_back('\t');
    out.append(std::to_string(summary.successes)).push_back('\t');
    out.append(std::to_string(summary.errors)).push_back('\t');
    out.append(std::to_string(summary.rate_limited)).push_back('\t');
    out.append(summary.samples).push_back('\n');
  }
  return out;
}

void SharedHealth::Decode(std::string_view summary, Clock::time_point now,
                          std::vector<routing::HealthObservation>& out) const {
  while (!summary.empty()) {
    const size_t newline = summary.find('\n');
    std::string_view line = summary.substr(0, newline);
    summary.remove_prefix(newline == std::string_view::npos ? summary.size() : newline + 1);
    const auto known = ids_.find(std::string(NextField(line)));
    uint32_t successes = 0, errors = 0, rate_limited = 0;
    if (known == ids_.end() || !ParseNumber(NextField(line), &successes) ||
        !ParseNumber(NextField(line), &errors) || !ParseNumber(NextField(line), &rate_limited) ||
        successes > kMaxCount || errors > kMaxCount || rate_limited > kMaxCount) {
      continue;
    }
    routing::HealthObservation observation;
    observation.endpoint_id = known->second;
    observation.at = now;
    observation.result = routing::HealthObservation::Result::kError;
    out.insert(out.end(), errors, observation);
    observation.result = routing::HealthObservation::Result::kRateLimited;
    out.insert(out.end(), rate_limited, observation);
    observation.result = routing::HealthObservation::Result::kSuccess;
    // The samples are successes with measurements; the other successes have none.
    std::string_view samples = NextField(line);
    uint32_t sampled = 0;
    while (!samples.empty() && sampled < successes) {
      const size_t comma = samples.find(',');
      const std::string_view sample = samples.substr(0, comma);
      samples.remove_prefix(comma == std::string_view::npos ? samples.size() : comma + 1);
      const size_t slash = sample.find('/');
      routing::HealthObservation measured = observation;
      if (slash == std::string_view::npos ||
          !ParseNumber(sample.substr(0, slash), &measured.latency_ms) ||
          !ParseNumber(sample.substr(slash + 1), &measured.tokens_per_second)) {
        break;
      }
      out.push_back(measured);
      ++sampled;
    }
    out.insert(out.end(), successes - sampled, observation);
  }
}

void SharedHealth::ReadSince(Clock::time_point now, std::vector<routing::HealthObservation>& out) {
  for (;;) {
    const std::vector<std::string> command{"XRANGE", stream_, "(" + last_id_,
                                           "+",      "COUNT", std::to_string(kReadBatch)};
    const redis::RedisValue entries = client_->Command(command);
    for (const redis::RedisValue& entry : entries.items) {
      // [id, [field, value, ...]]
      if (entry.items.size() != 2) continue;
      last_id_ = entry.items[0].text;
      const std::vector<redis::RedisValue>& fields = entry.items[1].items;
      std::string_view instance, summary;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text == "i") instance = fields[i + 1].text;
        if (fields[i].text == "s") summary = fields[i + 1].text;
      }
      if (instance != instance_) Decode(summary, now, out);
    }
    if (static_cast<int64_t>(entries.items.size()) < kReadBatch) return;
  }
}

std::vector<routing::HealthObservation> SharedHealth::Exchange(
    std::span<const routing::HealthObservation> own, Clock::time_point now) {
  std::vector<routing::HealthObservation> theirs;
  try {
    if (last_id_.empty()) {
      // Start with what was published in the last kCatchUp by the server's clock (stream ids
      // are its milliseconds), so the first exchange, a second after start-up, misses nothing
      // published meanwhile.
      const std::vector<std::string> time{"TIME"};
      const redis::RedisValue server_time = client_->Command(time);
      const int64_t server_ms = server_time.At(0) * 1000 + server_time.At(1) / 1000;
      last_id_ = std::to_string(std::max<int64_t>(0, server_ms - kCatchUp.count())) + "-0";
    }
    if (!own.empty()) {
      const std::vector<std::string> add{
          "XADD", stream_, "MAXLEN",  "~", std::to_string(kStreamLength),
          "*",    "i",     instance_, "s", Encode(own)};
      client_->Command(add, redis::RedisClient::Resend::kNever);
    }
    ReadSince(now, theirs);
    if (failing_) {
      failing_ = false;
      if (log_) log_("sharing endpoint health through Redis works again");
    }
  } catch (const redis::RedisError& failure) {
    // After the failure, start again from the last kCatchUp: what was published during a long
    // outage is stale, and would all be dated now.
    last_id_.clear();
    failures_.fetch_add(1, std::memory_order_relaxed);
    if (!failing_ && log_) {
      log_(std::string("endpoint health cannot be shared: ") + failure.what());
    }
    failing_ = true;
  }
  return theirs;
}

std::vector<std::string> EndpointNamesOf(const config::Config& config) {
  std::vector<std::string> names;
  for (const config::ModelConfig& model : config.models) {
    for (const config::EndpointConfig& endpoint : model.endpoints) {
      names.push_back(model.id + "|" + endpoint.provider + "|" + endpoint.upstream_model);
    }
  }
  return names;
}

}  // namespace gw::health
