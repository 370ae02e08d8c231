// Every id of every corpus case, both encodings, ordinary and with special tokens, against what
// js-tiktoken gave (expected.jsonl; see scripts/tokenizer/make-expected.mjs).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "accounting/tokenizer/tokenizer.h"

namespace gw::accounting::tokenizer {

// gtest names the parameter in test listings (ctest) with this.
void PrintTo(Encoding encoding, std::ostream* out) { *out << EncodingName(encoding); }

namespace {

struct Case {
  nlohmann::json json;
  std::string input;  // the bytes given to the tokenizer
};

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

std::vector<Case> LoadCases() {
  const char* override_path = std::getenv("GW_TOKENIZER_EXPECTED");
  const std::string path =
      override_path != nullptr ? override_path : GW_TOKENIZER_TEST_DIR "/expected.jsonl";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<Case> cases;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Case c{nlohmann::json::parse(line), ""};
    c.input = c.json.contains("hex") ? FromHex(c.json["hex"].get<std::string>())
                                     : c.json["text"].get<std::string>();
    cases.push_back(std::move(c));
  }
  return cases;
}

class CorpusTest : public ::testing::TestWithParam<Encoding> {};

TEST_P(CorpusTest, IdsMatchJsTiktoken) {
  const Tokenizer& tokenizer = Tokenizer::Get(GetParam());
  const std::string name(EncodingName(GetParam()));
  const std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 100u);
  std::size_t ids_checked = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json["name"].get<std::string>());
    const auto expected = c.json[name].get<std::vector<std::uint32_t>>();
    const auto expected_special = c.json[name + "_special"].get<std::vector<std::uint32_t>>();
    const std::vector<std::uint32_t> ids = tokenizer.Encode(c.input);
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(tokenizer.EncodeWithSpecial(c.input), expected_special);
    EXPECT_EQ(tokenizer.Count(c.input), expected.size());
    // Decode gives the text js-tiktoken saw: the input, with ill-formed UTF-8 replaced.
    EXPECT_EQ(tokenizer.Decode(ids), c.json["decoded"].get<std::string>());
    EXPECT_EQ(tokenizer.Decode(expected_special), c.json["decoded"].get<std::string>());
    ids_checked += expected.size() + expected_special.size();
  }
  RecordProperty("ids_checked", std::to_string(ids_checked));
  std::printf("%s: %zu cases, %zu ids checked\n", name.c_str(), cases.size(), ids_checked);
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, CorpusTest,
                         ::testing::Values(Encoding::kCl100kBase, Encoding::kO200kBase),
                         [](const ::testing::TestParamInfo<Encoding>& info) {
                           return std::string(EncodingName(info.param));
                         });

}  // namespace
}  // namespace gw::accounting::tokenizer
