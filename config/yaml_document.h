#pragma once

// Reads the one YAML document a config file holds, guarding against yaml-cpp 0.7's parser
// stalling (see ReadSingleDocument).

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace gw::config::internal {

struct YamlDocument {
  // The root node; a null node for an empty file. Meaningful only when `error` is empty.
  YAML::Node root;
  // Empty on success; otherwise what is wrong, located by `mark`.
  std::string error;
  YAML::Mark mark = YAML::Mark::null_mark();
};

// Parses `text` as exactly one YAML document. Errors: yaml-cpp's syntax errors (prefixed
// "invalid YAML: "), a second document (it would be ignored silently, like an unknown key), and
// a token the parser cannot consume. The last one is why this exists: yaml-cpp 0.7 (Debian 12)
// does not consume a `,` at the start of a block-context line, so YAML::LoadAll, which loops
// until the parser reports no more documents, never returns on a file such as ",\na: b\n".
// Here every document must start past the previous one, which bounds the loop by the input.
// Never throws.
YamlDocument ReadSingleDocument(std::string_view text);

}  // namespace gw::config::internal
