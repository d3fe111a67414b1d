// The specification's examples (../shared/spec/examples): each validates against its schema, and the case
// examples give the decision documented for them (interfaces.md §2.9, examples/report-example.json).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;

std::string Spec(const std::string& rel) { return testing::SharedDir() + "/spec/" + rel; }

const KnowledgeBase& Kb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

TEST(SpecExamples, CaseExamplesValidateAgainstTheCaseSchema) {
  for (const char* name : {"examples/case-minimal.json", "examples/case-fn-polypharmacy.json"}) {
    EXPECT_EQ(testing::ValidateAgainstSchema(testing::ReadFile(Spec(name)), Spec("case.schema.json")), "") << name;
  }
}

TEST(SpecExamples, ReportExampleValidatesAgainstTheReportSchema) {
  EXPECT_EQ(testing::ValidateAgainstSchema(testing::ReadFile(Spec("examples/report-example.json")),
                                           Spec("report.schema.json")),
            "");
}

TEST(SpecExamples, BundleExampleValidatesAgainstTheFhirSchema) {
  const std::string fhir_schema = testing::SharedDir() + "/data/fhir-schema/fhir.schema.json";
  // The FHIR R4 JSON schema is draft-06; the helper's validator handles any draft the schema declares.
  EXPECT_EQ(testing::ValidateAgainstSchema(testing::ReadFile(Spec("examples/bundle-fn-polypharmacy.json")), fhir_schema),
            "");
}

TEST(SpecExamples, BundledCopiesAreIdenticalToTheSpecification) {
  for (const char* name : {"case-minimal.json", "case-fn-polypharmacy.json"}) {
    EXPECT_EQ(testing::ReadFile(testing::SourceDir() + "/examples/" + name), testing::ReadFile(Spec(std::string("examples/") + name)))
        << name;
  }
}

// The complete case is the report example's input: same decision, reasons and plan ids.
TEST(SpecExamples, FebrileNeutropenicPolypharmacyCaseGivesTheDocumentedDecision) {
  auto report = Assess(testing::ReadFile(Spec("examples/case-fn-polypharmacy.json")), Kb(), {});
  ASSERT_TRUE(report.ok());
  const json got = json::parse(ReportToJson(*report, false));
  const json doc = json::parse(testing::ReadFile(Spec("examples/report-example.json")));
  EXPECT_EQ(got["dantrolene"]["decision"], "contraindicated");
  std::vector<std::string> reasons, doc_reasons;
  for (const auto& r : got["dantrolene"]["reasons"]) reasons.push_back(r["code"]);
  for (const auto& r : doc["dantrolene"]["reasons"]) doc_reasons.push_back(r["code"]);
  EXPECT_EQ(reasons, doc_reasons);
  EXPECT_EQ(got["nms"]["suspicion"], doc["nms"]["suspicion"]);
  EXPECT_EQ(got["nms"]["iec"]["points"], doc["nms"]["iec"]["points"]);
  EXPECT_EQ(got["nms"]["woodbury"]["stage"], doc["nms"]["woodbury"]["stage"]);
  EXPECT_EQ(got["nms"]["trigger"]["pattern"], "polypharmacy");
  EXPECT_EQ(got["febrile_neutropenia"]["status"], "present");
  EXPECT_EQ(got["febrile_neutropenia"]["mascc"]["score"], doc["febrile_neutropenia"]["mascc"]["score"]);
  EXPECT_EQ(got["renal"]["crcl_ml_min"], doc["renal"]["crcl_ml_min"]);
  std::vector<std::string> plan, doc_plan;
  for (const auto& p : got["plan"]) plan.push_back(p["id"]);
  for (const auto& p : doc["plan"]) doc_plan.push_back(p["id"]);
  EXPECT_EQ(plan, doc_plan);
  EXPECT_EQ(testing::ValidateAgainstSchema(got.dump(), Spec("report.schema.json")), "");
}

// interfaces.md §2.9: the minimal case leaves weight, hepatic tests, IV access and the rest to missing data.
TEST(SpecExamples, MinimalCaseListsWhatIsMissing) {
  auto report = Assess(testing::ReadFile(Spec("examples/case-minimal.json")), Kb(), {});
  ASSERT_TRUE(report.ok());
  const json got = json::parse(ReportToJson(*report, false));
  // One cardinal feature (fever) with haloperidol: the consensus criteria are not met on these data.
  EXPECT_EQ(got["dantrolene"]["decision"], "not_applicable");
  std::set<std::string> items;
  for (const auto& m : got["missing_data"]) items.insert(m["item"]);
  for (const char* item : {"weight", "alt", "ast", "iv_access", "rigidity_grade", "mental_status", "heart_rate", "ck"}) {
    EXPECT_TRUE(items.count(item)) << item;
  }
  EXPECT_EQ(testing::ValidateAgainstSchema(got.dump(), Spec("report.schema.json")), "");
}

}  // namespace
}  // namespace nmscds
