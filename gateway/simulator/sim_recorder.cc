#include "gateway/simulator/sim_recorder.h"

#include <nlohmann/json.hpp>

namespace gw::simulator {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

void RequestRecorder::Record(const server::Request& request) {
  Recorded copy;
  copy.method = std::string(request.method_string());
  copy.target = std::string(request.target());
  for (const auto& field : request) {
    copy.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  copy.body = request.body();
  std::optional<Recorded> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old = std::exchange(last_, std::move(copy));
  }
  // `old` (possibly a large body) is freed here, outside the lock.
}

std::optional<std::string> RequestRecorder::LastAsJson() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!last_) return std::nullopt;
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : last_->headers) {
    nlohmann::json& slot = headers[name];
    slot = slot.is_string() ? nlohmann::json(slot.get<std::string>() + ", " + value)
                            : nlohmann::json(value);
  }
  nlohmann::json out = {{"method", last_->method},
                        {"target", last_->target},
                        {"headers", std::move(headers)},
                        {"body", last_->body}};
  // Replace: a body that is not valid UTF-8 must not make the dump throw.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace gw::simulator
