#include "gateway/dashboard/dashboard_assets.h"

#include <array>
#include <cstdint>
#include <cstdio>

// CMake defines GW_DASHBOARD_DIR (the absolute path of this directory) and lists the asset
// files as dependencies of this object, so editing one rebuilds it.
#ifndef GW_DASHBOARD_DIR
#error "gateway/dashboard/CMakeLists.txt defines GW_DASHBOARD_DIR"
#endif

// Each file becomes a read-only symbol followed by a 64-bit symbol holding its size. (.incbin
// takes the path as a string literal; adjacent literals concatenate before the assembler.)
#define GW_EMBED_ASSET(symbol, file)             \
  __asm__(".pushsection .rodata." #symbol        \
          ", \"a\", @progbits\n"                 \
          ".balign 16\n"                         \
          ".globl " #symbol                      \
          "\n"                                   \
          ".hidden " #symbol "\n" #symbol        \
          ":\n"                                  \
          ".incbin \"" GW_DASHBOARD_DIR "/" file \
          "\"\n"                                 \
          "1:\n"                                 \
          ".balign 8\n"                          \
          ".globl " #symbol                      \
          "_size\n"                              \
          ".hidden " #symbol "_size\n" #symbol   \
          "_size:\n"                             \
          ".quad 1b - " #symbol                  \
          "\n"                                   \
          ".popsection\n")

GW_EMBED_ASSET(gw_dashboard_rankings_html, "rankings.html");
GW_EMBED_ASSET(gw_dashboard_activity_html, "activity.html");
GW_EMBED_ASSET(gw_dashboard_keys_html, "keys.html");
GW_EMBED_ASSET(gw_dashboard_insights_html, "insights.html");
GW_EMBED_ASSET(gw_dashboard_model_html, "model.html");
GW_EMBED_ASSET(gw_dashboard_js, "dashboard.js");
GW_EMBED_ASSET(gw_dashboard_css, "dashboard.css");
GW_EMBED_ASSET(gw_dashboard_insights_js, "insights.js");
GW_EMBED_ASSET(gw_dashboard_insights_css, "insights.css");

extern "C" {
extern const char gw_dashboard_rankings_html[];
extern const std::uint64_t gw_dashboard_rankings_html_size;
extern const char gw_dashboard_activity_html[];
extern const std::uint64_t gw_dashboard_activity_html_size;
extern const char gw_dashboard_keys_html[];
extern const std::uint64_t gw_dashboard_keys_html_size;
extern const char gw_dashboard_insights_html[];
extern const std::uint64_t gw_dashboard_insights_html_size;
extern const char gw_dashboard_model_html[];
extern const std::uint64_t gw_dashboard_model_html_size;
extern const char gw_dashboard_js[];
extern const std::uint64_t gw_dashboard_js_size;
extern const char gw_dashboard_css[];
extern const std::uint64_t gw_dashboard_css_size;
extern const char gw_dashboard_insights_js[];
extern const std::uint64_t gw_dashboard_insights_js_size;
extern const char gw_dashboard_insights_css[];
extern const std::uint64_t gw_dashboard_insights_css_size;
}

namespace gw::dashboard {
namespace {

constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::string_view kCss = "text/css; charset=utf-8";
constexpr std::string_view kJs = "text/javascript; charset=utf-8";

// Every path under it is the model page (its entry in the table has this key).
constexpr std::string_view kModelPagePrefix = "/models/";

// `"` + 16 hex digits + `"`.
using EtagText = std::array<char, 19>;

// A strong validator: FNV-1a (64 bit) of the bytes. Not a security measure, only a change
// detector; a collision would need two builds whose asset differs yet hashes alike.
EtagText HashEtag(std::string_view body) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  EtagText text{};
  std::snprintf(text.data(), text.size(), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

struct Entry {
  std::string_view path;
  Asset asset;
};

// The assets with their ETags, which point into `etags_`; built once, in place, never copied.
class Table {
 public:
  Table() {
    Add("/rankings", kHtml, {gw_dashboard_rankings_html, gw_dashboard_rankings_html_size});
    Add("/activity", kHtml, {gw_dashboard_activity_html, gw_dashboard_activity_html_size});
    Add("/keys", kHtml, {gw_dashboard_keys_html, gw_dashboard_keys_html_size});
    Add("/insights", kHtml, {gw_dashboard_insights_html, gw_dashboard_insights_html_size});
    Add(kModelPagePrefix, kHtml, {gw_dashboard_model_html, gw_dashboard_model_html_size});
    Add("/dashboard/dashboard.js", kJs, {gw_dashboard_js, gw_dashboard_js_size});
    Add("/dashboard/dashboard.css", kCss, {gw_dashboard_css, gw_dashboard_css_size});
    Add("/dashboard/insights.js", kJs, {gw_dashboard_insights_js, gw_dashboard_insights_js_size});
    Add("/dashboard/insights.css", kCss,
        {gw_dashboard_insights_css, gw_dashboard_insights_css_size});
  }
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const Asset* Find(std::string_view path) const {
    for (std::size_t i = 0; i < size_; ++i) {
      if (entries_[i].path == path) return &entries_[i].asset;
    }
    return nullptr;
  }

 private:
  static constexpr std::size_t kCapacity = 9;

  void Add(std::string_view path, std::string_view content_type, std::string_view body) {
    etags_[size_] = HashEtag(body);
    const std::string_view etag(etags_[size_].data(), etags_[size_].size() - 1);  // no NUL
    entries_[size_] = {path, {content_type, body, etag}};
    ++size_;
  }

  std::array<EtagText, kCapacity> etags_{};
  std::array<Entry, kCapacity> entries_{};
  std::size_t size_ = 0;
};

}  // namespace

const Asset* FindAsset(std::string_view path) {
  static const Table table;  // thread-safe initialization on first use
  // Every /models/{author}/{slug} is the one model page; its script reads the id from the path.
  if (path.starts_with(kModelPagePrefix) && path.size() > kModelPagePrefix.size()) {
    return table.Find(kModelPagePrefix);
  }
  return table.Find(path);
}

}  // namespace gw::dashboard
