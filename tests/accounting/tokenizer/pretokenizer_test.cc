#include "accounting/tokenizer/pretokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gw::accounting::tokenizer {
namespace {

std::vector<std::string> Pieces(Encoding encoding, std::string_view text) {
  std::vector<std::string> pieces;
  Pretokenizer(encoding).ForEachPiece(text,
                                      [&](std::string_view piece) { pieces.emplace_back(piece); });
  return pieces;
}

using P = std::vector<std::string>;

TEST(PretokenizerTest, Cl100kAlternatives) {
  const Encoding e = Encoding::kCl100kBase;
  EXPECT_EQ(Pieces(e, "Hello world"), (P{"Hello", " world"}));
  EXPECT_EQ(Pieces(e, "I'm WE'RE 'sand"), (P{"I", "'m", " WE", "'RE", " '", "sand"}));
  EXPECT_EQ(Pieces(e, "12345 x"), (P{"123", "45", " x"}));
  EXPECT_EQ(Pieces(e, "a  b"), (P{"a", " ", " b"}));
  EXPECT_EQ(Pieces(e, "a \n\n  b  "), (P{"a", " \n\n", " ", " b", "  "}));
  EXPECT_EQ(Pieces(e, "x !!\n\ny"), (P{"x", " !!\n\n", "y"}));
  EXPECT_EQ(Pieces(e, ".hello\tworld"), (P{".hello", "\tworld"}));
  EXPECT_EQ(Pieces(e, "\n\nabc"), (P{"\n\n", "abc"}));
  EXPECT_EQ(Pieces(e, "e\u0301t\u00e9"), (P{"e", "\u0301t\u00e9"}));  // marks are not \p{L}
}

TEST(PretokenizerTest, O200kAlternatives) {
  const Encoding e = Encoding::kO200kBase;
  EXPECT_EQ(Pieces(e, "HelloWorld helloWORLD"), (P{"Hello", "World", " hello", "WORLD"}));
  EXPECT_EQ(Pieces(e, "HTTPServer"), (P{"HTTPServer"}));
  EXPECT_EQ(Pieces(e, "I'm WE'RE"), (P{"I'm", " WE'RE"}));
  EXPECT_EQ(Pieces(e, "a//b\n/ x"), (P{"a", "//", "b", "\n", "/", " x"}));
  EXPECT_EQ(Pieces(e, "!!\n/\nx"), (P{"!!\n/\n", "x"}));
  EXPECT_EQ(Pieces(e, "e\u0301t\u00e9"), (P{"e\u0301t\u00e9"}));  // marks join words
  // Lo is in both case classes: the lower-case run ends at the last Lo before "ABC".
  EXPECT_EQ(Pieces(e, "\u4e2d\u6587ABC"), (P{"\u4e2d\u6587", "ABC"}));
  EXPECT_EQ(Pieces(e, "1234"), (P{"123", "4"}));
}

}  // namespace
}  // namespace gw::accounting::tokenizer
