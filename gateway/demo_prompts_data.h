// The tables behind demo_prompts.h, one file per group of languages; only demo_prompts.cc reads
// them. Static data; any thread.
#pragma once

#include <span>
#include <string_view>

#include "gateway/demo_prompts.h"

namespace gw::demo::internal {

std::span<const TopicText> EnglishTopicTexts();        // demo_prompts_en.cc
std::span<const TopicText> InternationalTopicTexts();  // demo_prompts_intl.cc
// Code files, language-neutral: what programming requests paste in every language.
std::span<const std::string_view> CodeMaterial();  // demo_prompts_en.cc

}  // namespace gw::demo::internal
