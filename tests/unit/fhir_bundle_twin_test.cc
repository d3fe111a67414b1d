// interfaces.md §4.10: the FHIR Bundle example and its native twin give the same report apart from
// `input`, evidence `source` values and input-handling (INPUT_*) warnings.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;

std::string Example(const std::string& name) {
  return testing::ReadFile(testing::SharedDir() + "/spec/examples/" + name);
}

const KnowledgeBase& Kb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

// Removes what §4.10 lets differ: every evidence `source` member, `input`, and INPUT_* warnings.
void StripChannelDetails(json& j) {
  if (j.is_object()) {
    j.erase("source");
    for (auto& [key, value] : j.items()) StripChannelDetails(value);
  } else if (j.is_array()) {
    for (auto& v : j) StripChannelDetails(v);
  }
}

json ComparableReport(const std::string& document) {
  auto report = Assess(document, Kb(), {});
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message + ": " +
                                                      (report.error().issues.empty() ? std::string()
                                                                                     : report.error().issues[0].location +
                                                                                           " " + report.error().issues[0].message));
  if (!report.ok()) return json();
  json j = json::parse(ReportToJson(*report, false));
  j.erase("input");
  json warnings = json::array();
  for (auto& w : j["warnings"]) {
    if (w["code"].get<std::string>().rfind("INPUT_", 0) != 0) warnings.push_back(w);
  }
  j["warnings"] = warnings;
  StripChannelDetails(j);
  return j;
}

class FhirBundleTwin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    native_ = new json(ComparableReport(Example("case-fn-polypharmacy.json")));
    fhir_ = new json(ComparableReport(Example("bundle-fn-polypharmacy.json")));
  }
  static void TearDownTestSuite() {
    delete native_;
    delete fhir_;
  }
  static json* native_;
  static json* fhir_;
};
json* FhirBundleTwin::native_ = nullptr;
json* FhirBundleTwin::fhir_ = nullptr;

TEST_F(FhirBundleTwin, DantroleneDecisionIsTheSame) {
  EXPECT_EQ((*fhir_)["dantrolene"]["decision"], "contraindicated");
  EXPECT_EQ((*fhir_)["dantrolene"], (*native_)["dantrolene"]);
}

TEST_F(FhirBundleTwin, PlanAlternativesAndWarningsAreTheSame) {
  EXPECT_EQ((*fhir_)["plan"], (*native_)["plan"]);
  EXPECT_EQ((*fhir_)["alternatives"], (*native_)["alternatives"]);
  EXPECT_EQ((*fhir_)["warnings"], (*native_)["warnings"]);
}

// Member by member, so that a difference names the section it is in.
TEST_F(FhirBundleTwin, EveryOtherReportMemberIsTheSame) {
  ASSERT_TRUE(native_->is_object());
  for (auto& [key, value] : native_->items()) {
    EXPECT_EQ((*fhir_)[key], value) << "report member " << key << " differs:\nFHIR:   " << (*fhir_)[key].dump()
                                    << "\nnative: " << value.dump();
  }
  for (auto& [key, value] : fhir_->items()) EXPECT_TRUE(native_->contains(key)) << key;
}

}  // namespace
}  // namespace nmscds
