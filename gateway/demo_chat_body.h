// The chat completions body of one planned demo request (demo_traffic_model.h): the app's system
// prompt, the earlier turns of the conversation (with tool calls and their results when the
// request offers tools), the latest request in the planned language and category
// (demo_prompts.h), and whatever pads it to the planned size. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "gateway/demo_traffic_model.h"

namespace gw::demo {

// The JSON body of `request` for POST /v1/chat/completions with the public model id `model`. Its
// message contents total request.prompt_tokens * 4 bytes as the simulator counts them (JSON
// escapes included), or more when the conversation's own words are longer. The same request
// always gives the same body.
std::string BuildDemoChatBody(const DemoRequest& request, std::string_view model);

}  // namespace gw::demo
