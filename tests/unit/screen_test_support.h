#pragma once
// Running the screen through the library in unit tests (engine_screen_test.cc, screen_twin_test.cc).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "nmscds/nmscds.h"
#include "screen/screen.h"

namespace nmscds::testing {

// `screen --all` over the export `dir` at `t0` on 2 threads: the whole output (patient lines, then the summary
// line). `report`, when given, receives every full report (from the worker threads); `diagnostics`, when
// given, the stderr lines.
inline std::string ScreenAllOutput(const KnowledgeBase& kb, const std::string& dir, Instant t0,
                                   std::function<void(const Report&)> report = {},
                                   std::vector<std::string>* diagnostics = nullptr) {
  auto input = ListScreenInput({dir});
  EXPECT_TRUE(input.ok());
  if (!input.ok()) return {};
  ScreenOptions options;
  options.t0 = t0;
  options.all = true;
  options.threads = 2;
  std::string out;
  ScreenSinks sinks;
  sinks.write = [&](std::string_view bytes) {
    out.append(bytes);
    return true;
  };
  sinks.diagnostic = [&](std::string_view d) {
    if (diagnostics != nullptr) diagnostics->emplace_back(d);
  };
  sinks.report = std::move(report);
  EXPECT_TRUE(RunScreen(*input, options, kb, sinks).ok());
  return out;
}

}  // namespace nmscds::testing
