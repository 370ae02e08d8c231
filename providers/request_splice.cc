#include "providers/request_splice.h"

#include <array>

#include "base/json/json_writer.h"

namespace gw::providers {
namespace {

constexpr std::array<std::string_view, 6> kRouterOnlyFields = {
    "models", "provider", "route", "transforms", "usage", "session_id"};

void AppendSeparator(std::string& out) {
  if (out.back() != '{') out += ',';
}

}  // namespace

bool IsRouterOnlyField(std::string_view raw_key) {
  for (std::string_view name : kRouterOnlyFields) {
    if (json::KeyIs(raw_key, name)) return true;
  }
  return false;
}

void AppendMember(std::string& out, const json::Member& member) {
  AppendSeparator(out);
  out += '"';
  out += member.raw_key;
  out += "\":";
  out += member.value;
}

void AppendModel(std::string& out, std::string_view upstream_model) {
  AppendSeparator(out);
  out += "\"model\":";
  json::AppendJsonString(out, upstream_model);
}

std::string SpliceRequestBody(const std::vector<json::Member>& members,
                              std::string_view upstream_model) {
  size_t size = upstream_model.size() + 16;
  for (const json::Member& member : members)
    size += member.raw_key.size() + member.value.size() + 4;
  std::string out;
  out.reserve(size);
  out += '{';
  if (json::FindMember(members, "model") == nullptr) AppendModel(out, upstream_model);
  for (const json::Member& member : members) {
    if (json::KeyIs(member.raw_key, "model")) {
      AppendModel(out, upstream_model);
    } else if (!IsRouterOnlyField(member.raw_key)) {
      AppendMember(out, member);
    }
  }
  out += '}';
  return out;
}

}  // namespace gw::providers
