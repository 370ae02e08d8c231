// The bundled demo config (config/examples/demo.yaml) and its models as the demo traffic model
// sees them, for the demo traffic tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.h"
#include "gateway/demo_traffic_model.h"

namespace gw::demo::testing {

inline config::Config DemoYamlConfig() {
  config::LoadResult loaded =
      config::LoadConfigFile(std::string(GW_SOURCE_DIR) + "/config/examples/demo.yaml",
                             [](std::string_view) { return std::optional<std::string>(); });
  EXPECT_TRUE(loaded.errors.empty()) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
  return loaded.config.value_or(config::Config{});
}

inline std::vector<DemoModel> DemoYamlModels() { return DemoModelsOf(DemoYamlConfig()); }

}  // namespace gw::demo::testing
