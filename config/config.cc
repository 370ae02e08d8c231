#include "config/config.h"

namespace gw::config {

// Linear scans: catalogues are small and these are used at start-up; the data path looks
// endpoints up in the routing snapshot's own index.
const ProviderConfig* Config::FindProvider(std::string_view name) const {
  for (const ProviderConfig& provider : providers) {
    if (provider.name == name) return &provider;
  }
  return nullptr;
}

const ModelConfig* Config::FindModel(std::string_view id) const {
  for (const ModelConfig& model : models) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

const AppConfig* Config::FindApp(std::string_view name) const {
  if (name.empty()) return nullptr;
  for (const AppConfig& app : apps) {
    if (app.name == name) return &app;
  }
  return nullptr;
}

std::string AccountingConfig::DatabasePath() const {
  if (!database.empty()) return database;
  if (data_dir.empty()) return "ledger.sqlite3";
  return data_dir.back() == '/' ? data_dir + "ledger.sqlite3" : data_dir + "/ledger.sqlite3";
}

std::string AccountingConfig::ResponseStorePath() const {
  const std::string ledger = DatabasePath();
  if (ledger == ":memory:") return ledger;
  constexpr std::string_view kExtension = ".sqlite3";
  const std::string_view stem =
      std::string_view(ledger).ends_with(kExtension)
          ? std::string_view(ledger).substr(0, ledger.size() - kExtension.size())
          : std::string_view(ledger);
  return std::string(stem) + "-responses.sqlite3";
}

}  // namespace gw::config
