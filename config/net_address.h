// Parsing of the two network address forms in a config: a listen address ("host:port") and an
// upstream base URL ("https://host[:port]/prefix"). Pure functions; any thread. Both return an
// error message (empty on success) that never repeats the input, since a URL may carry secrets.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace gw::config {

// "host:port", "[v6addr]:port". host is an IPv4 address, a hostname or a bracketed IPv6
// address (stored without brackets); port is 0-65535, 0 letting the OS choose.
// On success fills *out and returns ""; otherwise leaves *out untouched.
std::string ParseListenAddress(std::string_view text, ListenAddress* out);

// "http[s]://host[:port][/path]". Scheme case-insensitive; port 1-65535, default 80 or 443;
// credentials ("user:pw@"), queries and fragments are rejected; trailing slashes of the path
// are dropped ("https://h/v1/" -> path_prefix "/v1"). Returns "" on success, as above.
std::string ParseBaseUrl(std::string_view text, Url* out);

}  // namespace gw::config
