#include "gateway/api/usage_api.h"

#include <initializer_list>

#include "accounting/ledger/generation_json.h"
#include "accounting/ledger/usage_format.h"
#include "gateway/api/query_string.h"
#include "gateway/error_response.h"

namespace gw::api {
namespace {

constexpr std::string_view kCsv = "text/csv; charset=utf-8";

// ReadParameters with its problem as the 400 answer in *failure.
std::optional<std::vector<QueryParameter>> ReadParameters(
    std::string_view target, std::initializer_list<std::string_view> allowed,
    UsageAnswer* failure) {
  std::string problem;
  std::optional<std::vector<QueryParameter>> parameters =
      api::ReadParameters(target, allowed, &problem);
  if (!parameters) *failure = UsageFailure(400, std::move(problem));
  return parameters;
}

}  // namespace

UsageAnswer UsageFailure(int status, std::string message) {
  UsageAnswer answer;
  answer.status = status;
  answer.body = ErrorBody(status, message);
  answer.error = std::move(message);
  return answer;
}

UsageAnswer GenerationAnswer(std::string_view target, std::string_view caller_key_id,
                             const UsageRecorder& usage, accounting::UsageSource* shared) {
  UsageAnswer failure;
  const std::optional<std::vector<QueryParameter>> parameters =
      ReadParameters(target, {"id"}, &failure);
  if (!parameters) return failure;
  if (parameters->empty() || parameters->front().value.empty()) {
    return UsageFailure(400, "parameter \"id\" is required: GET /v1/generation?id=gen-...");
  }
  const std::string& id = parameters->front().value;
  std::optional<accounting::GenerationRecord> record = usage.Find(id);
  if (!record && shared != nullptr) {
    // Served by another instance: there once that instance shipped it.
    try {
      record = shared->FindGeneration(id);
    } catch (const std::exception& error) {
      return UsageFailure(503, "generation \"" + id +
                                   "\" is not in this instance's ledger, and the shared ledger "
                                   "cannot be read: " +
                                   error.what());
    }
  }
  if (!record || (!caller_key_id.empty() && record->api_key_id != caller_key_id)) {
    return UsageFailure(404, "generation \"" + id + "\" not found");
  }
  UsageAnswer answer;
  answer.body = "{\"data\":" + accounting::GenerationJson(*record) + "}";
  return answer;
}

UsageAnswer ActivityAnswer(std::string_view target, std::string_view caller_key_id,
                           accounting::UsageSource& reader) {
  UsageAnswer failure;
  const std::optional<std::vector<QueryParameter>> parameters = ReadParameters(
      target, {"from", "to", "key", "user", "model", "provider", "app", "format"}, &failure);
  if (!parameters) return failure;
  accounting::ActivityQuery query;
  bool csv = false;
  for (const QueryParameter& parameter : *parameters) {
    const std::string& name = parameter.name;
    if (name == "format") {
      if (parameter.value != "json" && parameter.value != "csv") {
        return UsageFailure(400, "format: expected json or csv, got \"" + parameter.value + "\"");
      }
      csv = parameter.value == "csv";
    } else if (name == "from") {
      query.from = parameter.value;
    } else if (name == "to") {
      query.to = parameter.value;
    } else if (name == "key") {
      query.filters.api_key_id = parameter.value;
    } else if (name == "user") {
      query.filters.user = parameter.value;
    } else if (name == "model") {
      query.filters.model = parameter.value;
    } else if (name == "provider") {
      query.filters.provider = parameter.value;
    } else if (name == "app") {
      query.filters.app = parameter.value;
    }
  }
  if (!caller_key_id.empty()) {
    if (query.filters.api_key_id && *query.filters.api_key_id != caller_key_id) {
      return UsageFailure(403, "key: a key can read only its own usage (this key is " +
                                   std::string(caller_key_id) + ")");
    }
    query.filters.api_key_id = std::string(caller_key_id);
  }
  accounting::DayRange range;
  if (std::string problem =
          accounting::ResolveDayRange(query.from, query.to, reader.Today(), &range);
      !problem.empty()) {
    return UsageFailure(400, std::move(problem));
  }
  std::vector<accounting::ActivityRow> rows;
  try {
    rows = reader.Activity(query);
  } catch (const std::exception& error) {
    return UsageFailure(503, std::string("the usage ledger cannot be read: ") + error.what());
  }
  UsageAnswer answer;
  if (csv) {
    answer.content_type = kCsv;
    answer.disposition = "attachment; filename=\"activity.csv\"";
    answer.body = accounting::ActivityCsv(rows);
  } else {
    answer.body = "{\"data\":" + accounting::ActivityJson(rows) + "}";
  }
  return answer;
}

}  // namespace gw::api
