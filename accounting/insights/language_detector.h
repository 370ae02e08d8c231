// The language a prompt is written in, detected locally and deterministically (no network, no
// model files): by Unicode script first, then, within the Latin and Cyrillic scripts, by the
// prompt's words, word endings and distinctive letters against small built-in profiles
// (language_profiles.h; docs/insights.md, "Language detection"). Pure function, any thread.
#pragma once

#include <string_view>

namespace gw::accounting::insights {

// The ISO 639-1 code of the language of `text` (UTF-8; invalid bytes are skipped), or "" when
// the text has too few letters to tell or matches no known language well enough. Reads at most
// the first few KiB of `text` (4 KiB, and no further than its first 128 words of Latin or
// Cyrillic prose); code (fenced blocks, lines of code, `inline code`), URLs and identifiers do
// not count. The code returned is a static string.
std::string_view DetectLanguage(std::string_view text);

}  // namespace gw::accounting::insights
