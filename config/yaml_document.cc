#include "config/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace gw::config::internal {
namespace {

// Records where each document starts; the node events themselves are not needed.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

YamlDocument Failure(std::string error, const YAML::Mark& mark) {
  return YamlDocument{.root = YAML::Node(), .error = std::move(error), .mark = mark};
}

}  // namespace

YamlDocument ReadSingleDocument(std::string_view text) {
  try {
    // First pass: count the documents, refusing a parser that stops making progress.
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    DocumentStarts handler;
    while (parser.HandleNextDocument(handler)) {
      const size_t n = handler.starts.size();
      if (n >= 2 && handler.starts[n - 1].pos <= handler.starts[n - 2].pos) {
        const YAML::Mark& at = handler.starts[n - 1];
        const bool in_text = at.pos >= 0 && static_cast<size_t>(at.pos) < text.size();
        return Failure(in_text ? std::string("invalid YAML: unexpected \"") + text[at.pos] + "\""
                               : std::string("invalid YAML: unexpected end of input"),
                       at);
      }
    }
    if (handler.starts.size() > 1) {
      return Failure("only one YAML document is allowed (remove the \"---\" separator)",
                     handler.starts[1]);
    }
    // Second pass: build the node tree of the (only) document. YAML::Load reads one document
    // and stops, so it cannot stall.
    if (handler.starts.empty()) return YamlDocument{};
    YamlDocument document;
    document.root = YAML::Load(std::string(text));
    return document;
  } catch (const YAML::Exception& e) {
    return Failure("invalid YAML: " + e.msg, e.mark);
  }
}

}  // namespace gw::config::internal
