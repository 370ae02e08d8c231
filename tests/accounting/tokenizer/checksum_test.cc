#include "accounting/tokenizer/checksum.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "accounting/tokenizer/embedded_data.h"

namespace gw::accounting::tokenizer {
namespace {

TEST(ChecksumTest, Sha256OfKnownInputs) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ChecksumTest, VerifyAcceptsEitherCaseAndRejectsMismatch) {
  EXPECT_NO_THROW(VerifySha256("abc", "abc",
                               "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_THROW(VerifySha256("abc", "abd",
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
               std::runtime_error);
  EXPECT_THROW(VerifySha256("abc", "abc", "ba7816bf"), std::runtime_error);
}

// The embedded files are the ones in data/, with the digests data/SHA256SUMS lists, which are
// the digests tiktoken pins for OpenAI's published files.
TEST(ChecksumTest, EmbeddedFilesMatchSha256Sums) {
  std::ifstream sums(GW_TOKENIZER_DATA_DIR "/SHA256SUMS");
  std::stringstream listing;
  listing << sums.rdbuf();
  for (Encoding encoding : {Encoding::kCl100kBase, Encoding::kO200kBase}) {
    const EmbeddedRankFile file = EmbeddedRanks(encoding);
    EXPECT_EQ(Sha256Hex(file.contents), file.sha256);
    EXPECT_NE(listing.str().find(std::string(file.sha256) + "  " + std::string(file.file_name)),
              std::string::npos);
  }
  EXPECT_EQ(EmbeddedRanks(Encoding::kCl100kBase).sha256,
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7");
  EXPECT_EQ(EmbeddedRanks(Encoding::kO200kBase).sha256,
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d");
}

}  // namespace
}  // namespace gw::accounting::tokenizer
