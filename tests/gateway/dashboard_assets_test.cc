#include "gateway/dashboard/dashboard_assets.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace gw::dashboard {
namespace {

struct Expected {
  std::string_view path;
  std::string_view content_type;
  std::string_view marker;  // something the file must contain
};

constexpr Expected kAssets[] = {
    {"/rankings", "text/html; charset=utf-8", "<!doctype html>"},
    {"/activity", "text/html; charset=utf-8", "<!doctype html>"},
    {"/keys", "text/html; charset=utf-8", "/v1/keys"},
    {"/dashboard/dashboard.js", "text/javascript; charset=utf-8", "Authorization"},
    {"/dashboard/dashboard.css", "text/css; charset=utf-8", "prefers-color-scheme"},
};

TEST(DashboardAssetsTest, EachPathResolvesWithItsContentType) {
  for (const Expected& expected : kAssets) {
    SCOPED_TRACE(expected.path);
    const Asset* asset = FindAsset(expected.path);
    ASSERT_NE(asset, nullptr);
    EXPECT_EQ(asset->content_type, expected.content_type);
    EXPECT_FALSE(asset->body.empty());
    EXPECT_NE(asset->body.find(expected.marker), std::string_view::npos);
  }
}

TEST(DashboardAssetsTest, EtagsAreQuotedStableAndDistinct) {
  std::set<std::string_view> etags;
  for (const Expected& expected : kAssets) {
    const Asset* asset = FindAsset(expected.path);
    ASSERT_NE(asset, nullptr);
    ASSERT_GE(asset->etag.size(), 3u);
    EXPECT_EQ(asset->etag.front(), '"');
    EXPECT_EQ(asset->etag.back(), '"');
    EXPECT_EQ(asset->etag.find('\0'), std::string_view::npos);
    EXPECT_EQ(FindAsset(expected.path)->etag, asset->etag);  // same answer on every call
    etags.insert(asset->etag);
  }
  EXPECT_EQ(etags.size(), std::size(kAssets));
}

TEST(DashboardAssetsTest, UnknownPathsAreNull) {
  for (std::string_view path : {"", "/", "/rankings/", "/rankings?period=day", "/activity.html",
                                "/dashboard/", "/dashboard/dashboard.js?v=1", "/dashboard/other.js",
                                "/v1/rankings", "/RANKINGS", "/dashboard/../rankings"}) {
    EXPECT_EQ(FindAsset(path), nullptr) << path;
  }
}

// Every "http://" or "https://" in `body` except the SVG namespace name (an identifier that
// the script passes to createElementNS, never fetched).
int ExternalUrlCount(std::string_view body) {
  constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";
  int count = 0;
  for (std::string_view scheme : {"http://", "https://"}) {
    for (size_t at = body.find(scheme); at != std::string_view::npos;
         at = body.find(scheme, at + 1)) {
      if (body.substr(at, kSvgNamespace.size()) != kSvgNamespace) ++count;
    }
  }
  return count;
}

// The pages must work on a network with no way out: no CDN, no external script, font or image.
TEST(DashboardAssetsTest, NoAssetReferencesAnExternalUrl) {
  for (const Expected& expected : kAssets) {
    SCOPED_TRACE(expected.path);
    const std::string_view body = FindAsset(expected.path)->body;
    EXPECT_EQ(ExternalUrlCount(body), 0);
    for (std::string_view reference :
         {"//cdn", "src=\"//", "href=\"//", "src='//", "href='//", "url(//", "@import"}) {
      EXPECT_EQ(body.find(reference), std::string_view::npos) << reference;
    }
  }
}

TEST(DashboardAssetsTest, ExternalUrlCountSkipsOnlyTheSvgNamespace) {
  EXPECT_EQ(ExternalUrlCount("createElementNS('http://www.w3.org/2000/svg', 'rect')"), 0);
  EXPECT_EQ(ExternalUrlCount("<script src=\"https://cdn.example/x.js\">"), 1);
  EXPECT_EQ(ExternalUrlCount("http://www.w3.org/1999/xlink http://a"), 2);
}

}  // namespace
}  // namespace gw::dashboard
