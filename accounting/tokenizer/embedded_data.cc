#include "accounting/tokenizer/embedded_data.h"

#include <cstdint>

// CMake defines GW_TOKENIZER_DATA_DIR (the absolute path of data/) and the expected digests,
// and lists the data files as dependencies of this object, so editing them rebuilds it.
#if !defined(GW_TOKENIZER_DATA_DIR) || !defined(GW_CL100K_SHA256) || !defined(GW_O200K_SHA256)
#error "accounting/tokenizer/CMakeLists.txt defines the data directory and the digests"
#endif

// Each file becomes a read-only symbol followed by a 64-bit symbol holding its size. (.incbin
// takes the path as a string literal; adjacent literals concatenate before the assembler.)
#define GW_EMBED_FILE(symbol, file)                   \
  __asm__(".pushsection .rodata." #symbol             \
          ", \"a\", @progbits\n"                      \
          ".balign 64\n"                              \
          ".globl " #symbol                           \
          "\n"                                        \
          ".hidden " #symbol "\n" #symbol             \
          ":\n"                                       \
          ".incbin \"" GW_TOKENIZER_DATA_DIR "/" file \
          "\"\n"                                      \
          "1:\n"                                      \
          ".balign 8\n"                               \
          ".globl " #symbol                           \
          "_size\n"                                   \
          ".hidden " #symbol "_size\n" #symbol        \
          "_size:\n"                                  \
          ".quad 1b - " #symbol                       \
          "\n"                                        \
          ".popsection\n")

GW_EMBED_FILE(gw_tokenizer_cl100k_base, "cl100k_base.tiktoken");
GW_EMBED_FILE(gw_tokenizer_o200k_base, "o200k_base.tiktoken");

extern "C" {
extern const char gw_tokenizer_cl100k_base[];
extern const std::uint64_t gw_tokenizer_cl100k_base_size;
extern const char gw_tokenizer_o200k_base[];
extern const std::uint64_t gw_tokenizer_o200k_base_size;
}

namespace gw::accounting::tokenizer {

EmbeddedRankFile EmbeddedRanks(Encoding encoding) {
  if (encoding == Encoding::kCl100kBase) {
    return {"cl100k_base.tiktoken",
            std::string_view(gw_tokenizer_cl100k_base, gw_tokenizer_cl100k_base_size),
            GW_CL100K_SHA256};
  }
  return {"o200k_base.tiktoken",
          std::string_view(gw_tokenizer_o200k_base, gw_tokenizer_o200k_base_size), GW_O200K_SHA256};
}

}  // namespace gw::accounting::tokenizer
