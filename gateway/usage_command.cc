#include "gateway/usage_command.h"

#include <cstdio>
#include <filesystem>

#include "accounting/ledger/usage_format.h"
#include "accounting/ledger/usage_reports.h"
#include "config/loader.h"

namespace gw {

std::string ParseUsageCommand(const std::vector<std::string>& args, UsageCommandOptions* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    if (const size_t equals = name.find('=');
        name.starts_with("--") && equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return name + " needs a value";
    }
    if (name == "--config" || name == "-c") {
      out->config_file = value;
    } else if (name == "--from") {
      out->from = value;
    } else if (name == "--to") {
      out->to = value;
    } else if (name == "--by") {
      if (!accounting::ParseUsageDimension(value)) {
        return "--by: expected one of model, provider, author, app, key, user, day; got \"" +
               value + "\"";
      }
      out->by = value;
    } else if (name == "--format") {
      if (value != "table" && value != "csv" && value != "json") {
        return "--format: expected table, csv or json; got \"" + value + "\"";
      }
      out->format = value;
    } else {
      return "unknown option \"" + name + "\"";
    }
  }
  if (out->config_file.empty()) return "usage needs --config FILE";
  return "";
}

int RunUsageCommand(const UsageCommandOptions& options) {
  config::LoadResult loaded = config::LoadConfigFile(options.config_file, config::ProcessEnv());
  if (!loaded.errors.empty()) {
    std::fprintf(stderr, "gateway usage: %s: %s\n", options.config_file.c_str(),
                 loaded.errors.front().ToString().c_str());
    return 1;
  }
  const std::string path = loaded.config->accounting.DatabasePath();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::fprintf(stderr,
                 "gateway usage: no usage ledger at %s yet (it is created when the gateway "
                 "starts with this configuration)\n",
                 path.c_str());
    return 1;
  }
  accounting::UsageQuery query;
  query.by = *accounting::ParseUsageDimension(options.by);
  query.from = options.from;
  query.to = options.to;
  try {
    std::unique_ptr<accounting::LedgerReader> reader = accounting::LedgerReader::Open(path);
    const accounting::UsageReport report = reader->Usage(query);
    std::string text;
    if (options.format == "csv") {
      text = accounting::FormatUsageCsv(report);
    } else if (options.format == "json") {
      text = accounting::FormatUsageJson(report);
    } else {
      text = accounting::FormatUsageTable(report);
    }
    if (!text.empty() && text.back() != '\n') text += '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gateway usage: %s\n", error.what());
    return 1;
  }
  return 0;
}

}  // namespace gw
