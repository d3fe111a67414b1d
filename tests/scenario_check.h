#pragma once
// Checks an assessment report against one entry of the conformance expectations
// (../shared/spec/scenarios/expected.json; clinical.md §16). Used by the in-process and the CLI tests.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace nmscds::testing {

// Every mismatch, as readable lines; empty when the report conforms.
std::vector<std::string> CheckScenario(const nlohmann::json& report, const nlohmann::json& expected);

}  // namespace nmscds::testing
