// End to end through the command-line program: the twelve conformance scenarios of clinical.md §16
// (../shared/spec/scenarios with expected.json), every report valid against report.schema.json, and bad input
// that must give exit 3 with an error naming the place, never a crash and never a partial report.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenario_check.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;

std::string ScenarioDir() { return testing::SharedDir() + "/spec/scenarios/"; }

class ScenarioCli : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioCli, ConformsThroughTheCommandLine) {
  const auto expected = json::parse(testing::ReadFile(ScenarioDir() + "expected.json"));
  auto run = testing::Run({testing::BinaryPath(), "assess", "--format", "json", ScenarioDir() + GetParam()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const json report = json::parse(run.out);
  for (const auto& f : testing::CheckScenario(report, expected.at(GetParam()))) ADD_FAILURE() << GetParam() << ": " << f;
  EXPECT_EQ(testing::ValidateAgainstSchema(run.out, testing::SharedDir() + "/spec/report.schema.json"), "");
  // The text report leads with the decision line (interfaces.md §6.1).
  auto text = testing::Run({testing::BinaryPath(), "assess", "--format", "text", ScenarioDir() + GetParam()});
  ASSERT_EQ(text.exit_code, 0);
  const std::string line3 = text.out.substr(text.out.find("\n\n") + 2, 12);
  EXPECT_EQ(line3, "DANTROLENE: ");
}

INSTANTIATE_TEST_SUITE_P(Section16, ScenarioCli,
                         ::testing::Values("S01.json", "S02.json", "S03.json", "S04.json", "S05.json", "S06.json",
                                           "S07.json", "S08.json", "S09.json", "S10.json", "S11.json", "S12.json"),
                         [](const auto& param_info) { return param_info.param.substr(0, 3); });

// Bad input: each row changes a valid case (S02) and names the JSON pointer the error must name.
struct BadInput {
  const char* name;
  const char* pointer_path;  // where to change, as a JSON pointer into S02
  const char* new_value;     // JSON text; "<delete>" removes the member
  const char* code;          // Appendix A issue code
  const char* location;      // expected JSON pointer in the error
};

const BadInput kBadInputs[] = {
    {"wrong_type_weight", "/patient/weight/value", R"("70")", "wrong_type", "/patient/weight/value"},
    {"negative_weight", "/patient/weight/value", "-70", "out_of_range", "/patient/weight/value"},
    {"unknown_member", "/findings/sweating", "true", "unknown_member", "/findings/sweating"},
    {"unknown_enum", "/findings/rigidity", R"("very severe")", "enum_value", "/findings/rigidity"},
    {"temperature_80_c", "/observations/0/value", "80", "out_of_range", "/observations/0/value"},
    {"anc_minus_1", "/observations/18/value", "-1", "out_of_range", "/observations/18/value"},
    {"unit_not_accepted", "/observations/0/unit", R"("F")", "unit_not_accepted", "/observations/0/unit"},
    {"creatinine_mg_dl_lower_case", "/observations/19/unit", R"("mg/dl")", "unit_not_accepted", "/observations/19/unit"},
    {"time_without_zone", "/observations/0/time", R"("2026-03-01T06:00:00")", "time_format", "/observations/0/time"},
    {"impossible_date", "/observations/0/time", R"("2026-02-30T06:00:00Z")", "time_format", "/observations/0/time"},
    {"missing_required", "/assessed_at", "<delete>", "missing_required", "/assessed_at"},
    {"format_version_2", "/format_version", "2", "unsupported_version", "/format_version"},
    {"findings_after_t0", "/findings/assessed_at", R"("2026-03-01T13:00:00Z")", "time_order", "/findings/assessed_at"},
};

class BadInputCli : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputCli, ExitThreeNamingThePlace) {
  const BadInput& row = GetParam();
  json doc = json::parse(testing::ReadFile(ScenarioDir() + "S02.json"));
  json::json_pointer ptr(row.pointer_path);
  if (std::string(row.new_value) == "<delete>") {
    doc.at(ptr.parent_pointer()).erase(ptr.back());
  } else {
    doc[ptr] = json::parse(row.new_value);
  }
  const std::string dir = testing::MakeTempDir(std::string("bad-") + row.name);
  const std::string path = dir + "/case.json";
  testing::WriteFile(path, doc.dump());
  auto text = testing::Run({testing::BinaryPath(), "assess", "--format", "json", path});
  EXPECT_EQ(text.exit_code, 3) << text.err;
  EXPECT_EQ(text.out, "") << "no partial report";
  const json err = json::parse(text.err);
  bool found = false;
  for (const auto& issue : err["error"]["issues"]) {
    if (issue["code"] == row.code && issue["location"] == row.location) found = true;
  }
  EXPECT_TRUE(found) << text.err;
  auto plain = testing::Run({testing::BinaryPath(), "assess", path});
  EXPECT_EQ(plain.exit_code, 3);
  EXPECT_NE(plain.err.find(std::string("case.json: ") + row.location + ": "), std::string::npos) << plain.err;
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInputCli, ::testing::ValuesIn(kBadInputs),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(BadInputCli, MalformedJsonNeverCrashes) {
  const std::string dir = testing::MakeTempDir("malformed");
  const char* docs[] = {"", "{", "[]", "null", "{\"format\": \"nmscds-case\"", "{\"a\":1,\"a\":2}", "\xff\xfe",
                        "{\"format\":\"nmscds-case\",\"format_version\":1e999}"};
  int i = 0;
  for (const char* d : docs) {
    const std::string path = dir + "/doc" + std::to_string(i++) + ".json";
    testing::WriteFile(path, d);
    auto r = testing::Run({testing::BinaryPath(), "assess", path});
    EXPECT_EQ(r.exit_code, 3) << d << "\n" << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("nmscds: invalid input: ", 0), 0u) << r.err;
  }
}

// Items timed after T0 are not errors: they are ignored with a warning (interfaces.md §2.8).
TEST(BadInputCli, ItemsAfterT0AreIgnoredWithAWarning) {
  json doc = json::parse(testing::ReadFile(ScenarioDir() + "S02.json"));
  doc["observations"].push_back(
      {{"kind", "temperature"}, {"value", 41.5}, {"unit", "Cel"}, {"time", "2026-03-01T12:30:00Z"}, {"route", "core"}});
  const std::string path = testing::MakeTempDir("after-t0") + "/case.json";
  testing::WriteFile(path, doc.dump());
  auto r = testing::Run({testing::BinaryPath(), "assess", "--format", "json", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  bool warned = false;
  for (const auto& w : report["warnings"]) warned = warned || w["code"] == "OBSERVATION_AFTER_T0";
  EXPECT_TRUE(warned);
  EXPECT_EQ(report["febrile_neutropenia"]["fever"]["max_c"], 40.6);  // the 41.5 after T0 is not used
}

}  // namespace
}  // namespace nmscds
