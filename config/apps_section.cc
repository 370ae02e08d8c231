// The `apps` list (docs/configuration.md, docs/insights.md): what the config says about the apps
// that call the gateway, by the name their requests carry.
#include <map>
#include <string>

#include "config/sections.h"

namespace gw::config::internal {
namespace {

std::string CategoryChoices() {
  std::string text;
  for (TaskCategory category : AllTaskCategories()) {
    if (!text.empty()) text += ", ";
    text += TaskCategoryName(category);
  }
  return text;
}

void ReadApp(const Field& field, Diagnostics& diag, std::map<std::string, std::string>* first_seen,
             AppConfig* out) {
  const auto map = MapReader::Open(field, {"name", "category"}, diag);
  if (!map) return;
  if (std::optional<Field> name = map->Require("name")) {
    if (std::optional<std::string> text = ReadString(*name, diag)) {
      if (text->empty()) diag.Add(*name, "must not be empty");
      const auto [it, inserted] = first_seen->emplace(*text, name->path);
      if (!inserted) {
        diag.Add(*name, "duplicate app \"" + *text + "\" (first defined at " + it->second + ")");
      }
      out->name = std::move(*text);
    }
  }
  if (std::optional<Field> category = map->Get("category")) {
    if (std::optional<std::string> text = ReadString(*category, diag)) {
      out->category = TaskCategoryByName(*text);
      if (!out->category) {
        diag.Add(*category,
                 "unknown category \"" + *text + "\"; expected one of: " + CategoryChoices());
      }
    }
  }
}

}  // namespace

void ReadApps(const Field& field, Diagnostics& diag, std::vector<AppConfig>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return;
  std::map<std::string, std::string> first_seen;
  for (const Field& item : *items) {
    AppConfig app;
    ReadApp(item, diag, &first_seen, &app);
    out->push_back(std::move(app));
  }
}

}  // namespace gw::config::internal
