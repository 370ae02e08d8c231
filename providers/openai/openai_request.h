// Turns a client's /chat/completions or /completions body into the body sent upstream, by
// splicing the spans of the validated client JSON rather than re-serializing it.
// Owned by the OpenAI adapter; pure functions, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"
#include "providers/request_splice.h"

namespace gw::providers::openai {

// Builds the upstream body from the client's validated top-level members (from ScanObject);
// untouched values are copied byte for byte, in their original order:
// - `model` becomes `upstream_model` (JSON-escaped here), in place; added first if absent;
// - router-only fields are dropped;
// - when `stream` is false, `stream_options` is dropped (OpenAI rejects it on such a request);
// - when `stream` is true, `stream_options` gets "include_usage":true: an object keeps its other
//   keys (a client's own include_usage is replaced), any other value (null, a string, ...) is
//   replaced by {"include_usage":true}, and an absent one is appended.
// Members are joined compactly ("key":value,...); whitespace inside values is kept.
std::string RewriteRequestBody(const std::vector<json::Member>& members,
                               std::string_view upstream_model, bool stream);

}  // namespace gw::providers::openai
