// GET /v1/generation?id=gen-... (one request's usage record) and GET /v1/activity (daily usage
// rows, JSON or CSV): query parsing, validation and the answer, as pure functions over the
// recorder and a ledger reader, so they are tested without a server. Worker thread.
#pragma once

#include <string>
#include <string_view>

#include "accounting/ledger/usage_reports.h"
#include "gateway/api/usage_recorder.h"

namespace gw::api {

struct UsageAnswer {
  int status = 200;
  std::string_view content_type = "application/json";
  std::string body;
  std::string error;        // the message of a non-200 answer (access log)
  std::string disposition;  // Content-Disposition, for the CSV download; "" = none
};

// A non-200 answer in the OpenAI error shape.
UsageAnswer UsageFailure(int status, std::string message);

// With auth on, a key reads only its own usage: `caller_key_id` is the calling key's id ("" when
// auth is off, and then every record is readable).

// `target` is the request target with its query. 400 without an id or with an unknown
// parameter, 404 for an id the ledger does not know (or of another key), else
// {"data": {...record...}}. An id this instance's ledger lacks is looked up in `shared` (the
// shared ledger, when there is one: the record of another instance); 503 when it cannot be read.
UsageAnswer GenerationAnswer(std::string_view target, std::string_view caller_key_id,
                             const UsageRecorder& usage, accounting::UsageSource* shared = nullptr);

// Parameters: from, to (YYYY-MM-DD, UTC, inclusive; default the last 30 days up to today),
// key, user, model, provider, app (exact matches), format (json | csv). 400 names a bad
// parameter; 403 for a `key` other than the caller's. With auth on, the rows are the caller's.
UsageAnswer ActivityAnswer(std::string_view target, std::string_view caller_key_id,
                           accounting::UsageSource& reader);

}  // namespace gw::api
