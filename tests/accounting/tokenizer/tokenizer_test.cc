#include "accounting/tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "accounting/tokenizer/embedded_data.h"

namespace gw::accounting::tokenizer {
namespace {

using Ids = std::vector<std::uint32_t>;

TEST(EncodingTest, ByName) {
  EXPECT_EQ(EncodingByName("cl100k_base"), Encoding::kCl100kBase);
  EXPECT_EQ(EncodingByName("o200k_base"), Encoding::kO200kBase);
  EXPECT_EQ(EncodingByName("O200K_BASE"), std::nullopt);
  EXPECT_EQ(EncodingByName("p50k_base"), std::nullopt);
  EXPECT_EQ(EncodingByName(""), std::nullopt);
  EXPECT_EQ(EncodingName(Encoding::kO200kBase), "o200k_base");
}

TEST(TokenizerTest, KnownIds) {
  // From tiktoken's own tests.
  const Tokenizer& cl100k = Tokenizer::Get(Encoding::kCl100kBase);
  EXPECT_EQ(cl100k.Encode("hello world"), (Ids{15339, 1917}));
  EXPECT_EQ(cl100k.vocabulary_size(), 100256u);
  const Tokenizer& o200k = Tokenizer::Get(Encoding::kO200kBase);
  EXPECT_EQ(o200k.Encode("hello world"), (Ids{24912, 2375}));
  EXPECT_EQ(o200k.vocabulary_size(), 199998u);
}

TEST(TokenizerTest, SpecialTokens) {
  for (Encoding encoding : {Encoding::kCl100kBase, Encoding::kO200kBase}) {
    const Tokenizer& tokenizer = Tokenizer::Get(encoding);
    for (const SpecialToken& special : SpecialTokens(encoding)) {
      SCOPED_TRACE(special.text);
      EXPECT_EQ(tokenizer.EncodeWithSpecial(special.text), Ids{special.id});
      // Ordinary encoding treats the text as text: several ordinary ids.
      const Ids ordinary = tokenizer.Encode(special.text);
      EXPECT_GT(ordinary.size(), 1u);
      for (std::uint32_t id : ordinary) EXPECT_LT(id, tokenizer.vocabulary_size());
      EXPECT_EQ(tokenizer.Decode(Ids{special.id}), special.text);
    }
  }
  const Tokenizer& cl100k = Tokenizer::Get(Encoding::kCl100kBase);
  const Ids ids = cl100k.EncodeWithSpecial("a<|endoftext|>b<|fim_prefix|>");
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[1], 100257u);
  EXPECT_EQ(ids[3], 100258u);
  // <|fim_prefix|> is not a special token of o200k_base.
  const Tokenizer& o200k = Tokenizer::Get(Encoding::kO200kBase);
  EXPECT_EQ(o200k.EncodeWithSpecial("<|fim_prefix|>"), o200k.Encode("<|fim_prefix|>"));
}

TEST(TokenizerTest, RoundTripAndCount) {
  const std::string texts[] = {"", "Hello, world!", "  indented\n\tcode();  \n\n",
                               "中文 русский 👨‍👩‍👧‍👦 e\xCC\x81",
                               std::string(5000, 'x') + " " + std::string(3000, '\n')};
  for (Encoding encoding : {Encoding::kCl100kBase, Encoding::kO200kBase}) {
    const Tokenizer& tokenizer = Tokenizer::Get(encoding);
    for (const std::string& text : texts) {
      const Ids ids = tokenizer.Encode(text);
      EXPECT_EQ(tokenizer.Decode(ids), text);
      EXPECT_EQ(tokenizer.Count(text), ids.size());
    }
  }
}

TEST(TokenizerTest, InvalidUtf8IsReplaced) {
  const Tokenizer& tokenizer = Tokenizer::Get(Encoding::kCl100kBase);
  // A 3-byte sequence cut after 2 bytes is one U+FFFD; a stray continuation byte another.
  EXPECT_EQ(tokenizer.Encode("a\xE4\xB8 b\x80"), tokenizer.Encode("a\uFFFD b\uFFFD"));
  EXPECT_EQ(tokenizer.Decode(tokenizer.Encode("a\xE4\xB8")), "a\uFFFD");
  EXPECT_EQ(tokenizer.Count("\xFF\xFF"), tokenizer.Encode("\uFFFD\uFFFD").size());
}

TEST(TokenizerTest, DecodeRejectsUnknownIds) {
  const Tokenizer& tokenizer = Tokenizer::Get(Encoding::kCl100kBase);
  EXPECT_THROW(tokenizer.Decode(Ids{100256}), std::out_of_range);  // between ranks and specials
  EXPECT_THROW(tokenizer.Decode(Ids{1u << 30}), std::out_of_range);
}

TEST(TokenizerTest, CorruptDataFailsToLoadWithAClearError) {
  const EmbeddedRankFile file = EmbeddedRanks(Encoding::kO200kBase);
  std::string corrupt(file.contents);
  corrupt[corrupt.size() / 2] ^= 1;
  try {
    Tokenizer::Load(Encoding::kO200kBase, "test o200k_base.tiktoken", corrupt, file.sha256);
    FAIL() << "loaded corrupt data";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("test o200k_base.tiktoken is corrupt"), std::string::npos) << message;
    EXPECT_NE(message.find(file.sha256), std::string::npos) << message;
  }
  // Intact data with the right digest loads.
  EXPECT_NE(Tokenizer::Load(Encoding::kO200kBase, "copy", std::string(file.contents), file.sha256),
            nullptr);
}

TEST(TokenizerTest, ConcurrentFirstUseAndEncoding) {
  const std::string text = "Concurrent tokenization, 并发 🙂 " + std::string(300, 'z');
  std::vector<Ids> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      const Encoding encoding = i % 2 == 0 ? Encoding::kCl100kBase : Encoding::kO200kBase;
      const Tokenizer& tokenizer = Tokenizer::Get(encoding);
      for (int round = 0; round < 20; ++round) results[i] = tokenizer.Encode(text);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Encoding encoding = i % 2 == 0 ? Encoding::kCl100kBase : Encoding::kO200kBase;
    EXPECT_EQ(results[i], Tokenizer::Get(encoding).Encode(text));
    EXPECT_EQ(&Tokenizer::Get(encoding), &Tokenizer::Get(encoding));
  }
}

}  // namespace
}  // namespace gw::accounting::tokenizer
