// The twelve conformance scenarios of clinical.md §16 assessed in-process (the CLI version is in
// tests/e2e/scenarios_test.cc). Expectations: ../shared/spec/scenarios/expected.json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nmscds/nmscds.h"
#include "scenario_check.h"
#include "test_util.h"

namespace nmscds {
namespace {

class ScenarioEngine : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioEngine, ConformsToClinicalSpec) {
  const std::string dir = testing::SharedDir() + "/spec/scenarios/";
  const auto expected = nlohmann::json::parse(testing::ReadFile(dir + "expected.json"));
  auto kb = LoadKnowledgeBase("");
  ASSERT_TRUE(kb.ok());
  auto report = Assess(testing::ReadFile(dir + GetParam()), **kb, {});
  ASSERT_TRUE(report.ok()) << report.error().issues.front().message;
  auto json = nlohmann::json::parse(ReportToJson(*report, false));
  auto failures = testing::CheckScenario(json, expected.at(GetParam()));
  for (const auto& f : failures) ADD_FAILURE() << GetParam() << ": " << f;
}

INSTANTIATE_TEST_SUITE_P(Section16, ScenarioEngine,
                         ::testing::Values("S01.json", "S02.json", "S03.json", "S04.json", "S05.json", "S06.json",
                                           "S07.json", "S08.json", "S09.json", "S10.json", "S11.json", "S12.json"),
                         [](const auto& param_info) { return param_info.param.substr(0, 3); });

}  // namespace
}  // namespace nmscds
