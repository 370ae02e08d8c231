// Single-thread throughput of gw::accounting::tokenizer on a corpus file, and the time to load
// each encoding (SHA-256 check + parse + index; the first also builds the Unicode tables).
// Usage: tokenizer_bench CORPUS_FILE [RUNS]
// Prints one JSON object per line: {"impl","encoding","op","mb_per_s","tokens"} for the
// operations and {"impl","encoding","op":"load","ms"} for the loads; run.sh tabulates them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "accounting/tokenizer/tokenizer.h"
#include "accounting/tokenizer/unicode_tables.h"

namespace {

namespace tok = gw::accounting::tokenizer;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The median of `runs` timings of `work`, in seconds; `work` returns a token count.
template <typename Work>
double MedianSeconds(int runs, Work&& work, std::size_t& tokens) {
  std::vector<double> times;
  tokens = work();  // warm-up
  for (int i = 0; i < runs; ++i) {
    const Clock::time_point start = Clock::now();
    tokens = work();
    times.push_back(Seconds(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_FILE [RUNS]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string corpus = buffer.str();
  if (corpus.empty()) {
    std::fprintf(stderr, "tokenizer_bench: %s is empty or unreadable\n", argv[1]);
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const double megabytes = static_cast<double>(corpus.size()) / 1e6;

  const Clock::time_point tables_start = Clock::now();
  tok::CharClasses::Get();
  std::printf("{\"impl\":\"gw\",\"encoding\":\"unicode tables\",\"op\":\"load\",\"ms\":%.1f}\n",
              Seconds(tables_start) * 1e3);
  for (tok::Encoding encoding : {tok::Encoding::kCl100kBase, tok::Encoding::kO200kBase}) {
    const char* name = tok::EncodingName(encoding).data();
    const Clock::time_point load_start = Clock::now();
    const tok::Tokenizer& tokenizer = tok::Tokenizer::Get(encoding);
    std::printf("{\"impl\":\"gw\",\"encoding\":\"%s\",\"op\":\"load\",\"ms\":%.1f}\n", name,
                Seconds(load_start) * 1e3);
    std::size_t tokens = 0;
    const double encode = MedianSeconds(
        runs, [&] { return tokenizer.Encode(corpus).size(); }, tokens);
    std::printf(
        "{\"impl\":\"gw\",\"encoding\":\"%s\",\"op\":\"encode\",\"mb_per_s\":%.2f,"
        "\"tokens\":%zu}\n",
        name, megabytes / encode, tokens);
    const double count = MedianSeconds(
        runs, [&] { return tokenizer.Count(corpus); }, tokens);
    std::printf(
        "{\"impl\":\"gw\",\"encoding\":\"%s\",\"op\":\"count\",\"mb_per_s\":%.2f,"
        "\"tokens\":%zu}\n",
        name, megabytes / count, tokens);
    std::fflush(stdout);
  }
  return 0;
}
