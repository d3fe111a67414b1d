// POST /api/case (doc/web.md): a FHIR Bundle written as a native case for the bedside page's form. The written
// case must be a valid case (case.schema.json, python-jsonschema as the oracle) whose assessment is the Bundle's
// own; whatever a native case cannot hold is named, so that the page assesses the Bundle as it is instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "nmscds/nmscds.h"
#include "server/case_from_bundle.h"
#include "test_util.h"

namespace nmscds {
namespace {

using Json = nlohmann::ordered_json;

const KnowledgeBase& Kb() {
  static const auto kb = *LoadKnowledgeBase("");
  return *kb;
}

std::string CaseSchema() { return testing::SharedDir() + "/spec/case.schema.json"; }
std::string FnBundle() { return testing::ReadFile(testing::SharedDir() + "/spec/examples/bundle-fn-polypharmacy.json"); }

TEST(CaseFromBundle, ThePolypharmacyBundleBecomesAValidCaseWithTheSameAssessment) {
  auto result = ReadCaseFromBundle(FnBundle(), Kb(), AssessOptions{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->differences.empty()) << result->differences.front();
  EXPECT_EQ(testing::ValidateAgainstSchema(result->case_json, CaseSchema()), "");
  const Json c = Json::parse(result->case_json);
  EXPECT_EQ(c["patient"]["id"], "p-aml-017");
  EXPECT_EQ(c["patient"]["weight"], Json::parse(R"({"value":78,"unit":"kg","measured_at":"2026-11-19T08:00:00Z"})"));
  EXPECT_EQ(c["assessed_at"], "2026-11-20T14:00:00Z");  // Bundle.timestamp
  // 103 °F is written in the canonical unit, as the reader converted it.
  const auto& observations = c["observations"];
  EXPECT_NE(std::find(observations.begin(), observations.end(),
                      Json::parse(R"({"kind":"temperature","value":39.44,"unit":"Cel","time":"2026-11-20T13:30:00Z","route":"oral"})")),
            observations.end());
  EXPECT_EQ(c["medications"].size(), 6u);
  auto report = Assess(result->case_json, Kb(), AssessOptions{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->dantrolene.decision, "contraindicated");
  const Json response = Json::parse(CaseFromBundleJson(*result));
  EXPECT_EQ(response["case"], c);
  EXPECT_EQ(response["differences"], Json::array());
}

TEST(CaseFromBundle, AMedicationThatNamesNoDrugIsADifference) {
  Json bundle = Json::parse(FnBundle());
  int changed = 0;
  for (Json& entry : bundle["entry"]) {
    Json& resource = entry["resource"];
    if (resource.contains("medicationCodeableConcept") && resource["medicationCodeableConcept"]["text"] == "daunorubicin") {
      resource["medicationCodeableConcept"] = Json::parse(R"({"coding":[{"system":"http://example.org/formulary","code":"X1"}]})");
      ++changed;
    }
  }
  ASSERT_EQ(changed, 1);
  auto result = ReadCaseFromBundle(bundle.dump(), Kb(), AssessOptions{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_FALSE(result->differences.empty());
  EXPECT_NE(result->differences.front().find("a medication that names no drug"), std::string::npos)
      << result->differences.front();
  EXPECT_NE(result->differences.front().find("Bundle.entry["), std::string::npos) << result->differences.front();
  EXPECT_EQ(testing::ValidateAgainstSchema(result->case_json, CaseSchema()), "");
}

TEST(CaseFromBundle, EverySyntheaBundleBecomesAValidCase) {
  AssessOptions options;
  options.at = *ParseDateTime("2030-01-01T00:00:00Z");
  int read = 0;
  for (const auto& file : std::filesystem::directory_iterator(testing::SharedDir() + "/data/synthea-bundles")) {
    if (file.path().extension() != ".json") continue;
    auto result = ReadCaseFromBundle(testing::ReadFile(file.path().string()), Kb(), options);
    ASSERT_TRUE(result.ok()) << file.path() << ": " << result.error().message;
    EXPECT_EQ(testing::ValidateAgainstSchema(result->case_json, CaseSchema()), "") << file.path();
    for (const std::string& difference : result->differences) {
      EXPECT_EQ(difference.find("the written case is refused"), std::string::npos) << file.path() << ": " << difference;
    }
    EXPECT_TRUE(result->differences.empty()) << file.path() << ": " << result->differences.front();
    ++read;
  }
  EXPECT_EQ(read, 5);
}

TEST(CaseFromBundle, OnlyABundleIsRead) {
  auto native = ReadCaseFromBundle(testing::ReadFile(testing::SharedDir() + "/spec/examples/case-minimal.json"), Kb(),
                                   AssessOptions{});
  ASSERT_FALSE(native.ok());
  EXPECT_EQ(native.error().issues.front().code, "unsupported_document");
  auto broken = ReadCaseFromBundle("{\"resourceType\":\"Bundle\",\"type\":\"document\"}", Kb(), AssessOptions{});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(broken.error().issues.front().code, "bundle_type_unsupported");
}

}  // namespace
}  // namespace nmscds
