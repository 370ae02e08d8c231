#include "accounting/tokenizer/unicode_tables.h"

#include <algorithm>
#include <map>
#include <string>

namespace gw::accounting::tokenizer {

const CharClasses& CharClasses::Get() {
  static const CharClasses classes;
  return classes;
}

CharClasses::CharClasses() {
  constexpr char32_t kCodePointLimit = 0x110000;
  std::vector<std::uint8_t> flat(kCodePointLimit, 0);
  for (std::size_t i = 0; i < kUnicodeRangeCount; ++i) {
    const UnicodeRange& r = kUnicodeRanges[i];
    std::fill(flat.begin() + r.first, flat.begin() + r.last + 1, r.classes);
  }
  std::map<std::string, std::uint16_t> block_numbers;
  block_of_.resize(kCodePointLimit / kBlockSize);
  for (std::size_t b = 0; b < block_of_.size(); ++b) {
    std::string block(reinterpret_cast<const char*>(flat.data() + b * kBlockSize), kBlockSize);
    auto [it, inserted] =
        block_numbers.try_emplace(block, static_cast<std::uint16_t>(block_numbers.size()));
    if (inserted) classes_.insert(classes_.end(), block.begin(), block.end());
    block_of_[b] = it->second;
  }
}

}  // namespace gw::accounting::tokenizer
