// Request splicing: one pass over the top-level members, appending each one's original key and
// value text except for the few the router owns or must change.
#include "providers/openai/openai_request.h"

#include "providers/request_splice.h"

namespace gw::providers::openai {
namespace {

using json::Member;
using json::ValueKind;

constexpr std::string_view kIncludeUsage = "\"include_usage\":true";

void AppendSeparator(std::string& out) {
  if (out.back() != '{') out += ',';
}

// `"stream_options":{...,"include_usage":true}`, keeping the other keys of an object value.
void AppendStreamOptions(std::string& out, const Member* client_options) {
  AppendSeparator(out);
  out += "\"stream_options\":{";
  if (client_options != nullptr && client_options->kind == ValueKind::kObject) {
    std::vector<Member> options;
    json::ObjectMembers(client_options->value, options);
    for (const Member& option : options) {
      if (!json::KeyIs(option.raw_key, "include_usage")) AppendMember(out, option);
    }
  }
  AppendSeparator(out);
  out += kIncludeUsage;
  out += '}';
}

}  // namespace

std::string RewriteRequestBody(const std::vector<Member>& members, std::string_view upstream_model,
                               bool stream) {
  size_t size = upstream_model.size() + kIncludeUsage.size() + 64;
  for (const Member& member : members) size += member.raw_key.size() + member.value.size() + 4;
  std::string out;
  out.reserve(size);
  out += '{';
  if (json::FindMember(members, "model") == nullptr) AppendModel(out, upstream_model);
  bool wrote_stream_options = false;
  for (const Member& member : members) {
    if (json::KeyIs(member.raw_key, "model")) {
      AppendModel(out, upstream_model);
    } else if (IsRouterOnlyField(member.raw_key)) {
      continue;
    } else if (json::KeyIs(member.raw_key, "stream_options")) {
      // OpenAI refuses stream_options on a request that does not stream.
      if (!stream) continue;
      AppendStreamOptions(out, &member);
      wrote_stream_options = true;
    } else {
      AppendMember(out, member);
    }
  }
  if (stream && !wrote_stream_options) AppendStreamOptions(out, nullptr);
  out += '}';
  return out;
}

}  // namespace gw::providers::openai
