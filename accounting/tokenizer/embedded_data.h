// The rank files of accounting/tokenizer/data/, embedded into the library at build time (an
// assembler .incbin, see embedded_data.cc), with the SHA-256 each must have (from
// data/SHA256SUMS, passed in by CMake). Constant data; any thread may call this.
#pragma once

#include <string_view>

#include "accounting/tokenizer/encoding.h"

namespace gw::accounting::tokenizer {

struct EmbeddedRankFile {
  std::string_view file_name;  // e.g. "cl100k_base.tiktoken"
  std::string_view contents;   // the file's bytes, as built into the binary
  std::string_view sha256;     // the expected SHA-256 (hex) of `contents`
};

EmbeddedRankFile EmbeddedRanks(Encoding encoding);

}  // namespace gw::accounting::tokenizer
