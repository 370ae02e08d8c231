// Appends JSON text to an output buffer: the few writers the adapters need when they splice
// new values (a model id, a provider name) into otherwise copied bodies.
// Owned by the providers module; pure functions on a caller-owned buffer, any thread.
#pragma once

#include <string>
#include <string_view>

namespace gw::providers::json {

// Appends `utf8` as a JSON string: quotes added, '"' and '\\' escaped, \n \r \t \b \f written
// short and other control characters as \u00XX. Every other byte (including UTF-8 sequences) is
// copied as it is, so the caller guarantees `utf8` is valid UTF-8.
void AppendJsonString(std::string& out, std::string_view utf8);

}  // namespace gw::providers::json
