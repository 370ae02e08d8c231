// Appends JSON text to an output buffer: the one JSON string escaper of the project, used where
// values are spliced into otherwise copied bodies (a model id, a provider name), by the ledger's
// report writer, the logs and the demo traffic. Owned by base; pure, any thread.
#pragma once

#include <string>
#include <string_view>

namespace gw::json {

// Appends `text` as a JSON string: quotes added, '"' and '\\' escaped, \n \r \t \b \f written
// short and other control characters as \u00XX. Valid UTF-8 sequences are copied as they are;
// a byte that does not start a valid sequence becomes U+FFFD, so the output is always valid
// JSON whatever the input.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace gw::json
