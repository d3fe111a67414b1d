// Pins every choice listed in doc/interpretations.md (places where clinical.md is silent or contradicts
// itself), so that changing one is a deliberate decision. Each test starts from scenario S02 (haloperidol
// monotherapy, stage V, all gates passed: `consider`) and changes one thing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "case_corpus.h"
#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;
using testing::AssessJson;

json S02() { return json::parse(testing::ReadFile(testing::SharedDir() + "/spec/scenarios/S02.json")); }

std::vector<std::string> Codes(const json& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(r["code"]);
  return out;
}

bool HasPlan(const json& report, const std::string& id) {
  for (const auto& p : report["plan"]) {
    if (p["id"] == id) return true;
  }
  return false;
}

// 1. A stop followed by a new entry of the same dopaminergic drug (a dose cut) is a withdrawal event; a parallel
//    order running across the stop is not.
TEST(Interpretations, DoseCutIsAWithdrawalEventButAParallelOrderIsNot) {
  json c = S02();
  c["medications"].push_back({{"name", "levodopa"}, {"status", "stopped"}, {"start", "2026-01-01T08:00:00Z"},
                              {"stop", "2026-02-27T08:00:00Z"}, {"dose", "200 mg four times daily"}});
  c["medications"].push_back({{"name", "levodopa"}, {"status", "active"}, {"start", "2026-02-27T08:00:00Z"},
                              {"dose", "100 mg four times daily"}});
  json r = AssessJson(c);
  EXPECT_EQ(r["nms"]["trigger"]["type"], "both");
  EXPECT_TRUE(HasPlan(r, "RESTART_DOPAMINERGIC"));

  json parallel = S02();
  parallel["medications"].push_back({{"name", "levodopa"}, {"status", "stopped"}, {"start", "2026-02-20T08:00:00Z"},
                                     {"stop", "2026-02-27T08:00:00Z"}});
  parallel["medications"].push_back({{"name", "levodopa"}, {"status", "active"}, {"start", "2026-01-01T08:00:00Z"}});
  json p = AssessJson(parallel);
  EXPECT_EQ(p["nms"]["trigger"]["type"], "d2_antagonist");
  EXPECT_FALSE(HasPlan(p, "RESTART_DOPAMINERGIC"));
}

// 4. An unspecified malignancy on the problem list is a known malignancy for FN presumed.
TEST(Interpretations, UnspecifiedMalignancyAllowsFnPresumed) {
  json c = S02();
  c["context"].erase("malignancy");
  c["context"].erase("last_chemotherapy_at");
  c["conditions"] = json::array({{{"text", "metastatic malignant neoplasm"}, {"status", "active"}}});
  // No ANC: FN status unknown with fever present.
  for (auto it = c["observations"].begin(); it != c["observations"].end();) {
    it = (*it)["kind"] == "anc" ? c["observations"].erase(it) : it + 1;
  }
  json r = AssessJson(c);
  EXPECT_EQ(r["febrile_neutropenia"]["status"], "unknown");
  EXPECT_EQ(r["febrile_neutropenia"]["presumed"], true);
  EXPECT_TRUE(HasPlan(r, "EMPIRIC_ANTIBIOTICS"));
}

// 5. Cytotoxic chemotherapy in the medication list makes chemotherapy recent (DF-31).
TEST(Interpretations, ChemotherapyInTheMedicationListIsRecentChemotherapy) {
  json c = S02();
  c["context"].erase("last_chemotherapy_at");
  c["context"].erase("malignancy");
  c["conditions"] = json::array();
  c["medications"].push_back({{"name", "cisplatin"}, {"status", "completed"}, {"start", "2026-02-20T08:00:00Z"},
                              {"stop", "2026-02-20T14:00:00Z"}});
  for (auto it = c["observations"].begin(); it != c["observations"].end();) {
    it = (*it)["kind"] == "anc" ? c["observations"].erase(it) : it + 1;
  }
  json r = AssessJson(c);
  EXPECT_EQ(r["febrile_neutropenia"]["presumed"], true);
}

// 6. A comparator is read in the cautious direction when it does not decide the comparison.
TEST(Interpretations, ComparatorBoundIsReadCautiously) {
  json c = S02();
  for (auto& o : c["observations"]) {
    if (o["kind"] == "anc") {
      o["value"] = 0.5;
      o["comparator"] = "<";
    }
  }
  json r = AssessJson(c);
  EXPECT_EQ(r["febrile_neutropenia"]["anc"]["status"], "neutropenic");  // decided: below 0.5
  EXPECT_EQ(r["febrile_neutropenia"]["profound"], "yes");               // undecided: as low as plausible
  EXPECT_EQ(r["febrile_neutropenia"]["status"], "present");
}

// 7. An undetermined verapamil entry keeps the gate closed (DEC-5 exposure_pattern_unknown), and an undetermined
//    serotonergic entry leaves serotonergic exposure unknown.
TEST(Interpretations, UndeterminedVerapamilIsInsufficientData) {
  json c = S02();
  c["medications"].push_back({{"name", "verapamil"}, {"status", "unknown"}});
  json r = AssessJson(c);
  EXPECT_EQ(r["dantrolene"]["decision"], "insufficient_data");
  EXPECT_EQ(Codes(r["dantrolene"]["reasons"]), std::vector<std::string>{"exposure_pattern_unknown"});
  bool timing = false;
  for (const auto& m : r["missing_data"]) timing = timing || (m["item"] == "medication_timing" && m["blocking"] == true);
  EXPECT_TRUE(timing);
}

TEST(Interpretations, UndeterminedSerotonergicEntryIsUnknownExposure) {
  json c = S02();
  c["medications"].push_back({{"name", "sertraline"}, {"status", "completed"}});
  json r = AssessJson(c);
  json with_clonus = c;
  with_clonus["findings"]["inducible_clonus"] = true;
  with_clonus["findings"]["agitation"] = true;
  json r2 = AssessJson(with_clonus);  // a Hunter rule true with exposure unknown: possible
  for (const auto& d : r2["differential"]) {
    if (d["condition"] == "serotonin_syndrome") {
      EXPECT_EQ(d["status"], "possible");
    }
  }
  for (const auto& d : r["differential"]) {
    if (d["condition"] == "serotonin_syndrome") {
      EXPECT_EQ(d["basis"][0]["value"], "unknown");
      // Exposure unknown, but every Hunter rule is known false: "unlikely" by §10 (all rules false).
      EXPECT_EQ(d["status"], "unlikely");
    }
  }
}

// 8. OBSERVATION_AFTER_T0 names items by kind and time, not by position in the input.
TEST(Interpretations, AfterT0WarningNamesKindAndTime) {
  json c = S02();
  c["observations"].push_back({{"kind", "ck"}, {"value", 20000}, {"unit", "U/L"}, {"time", "2026-03-01T12:30:00Z"}});
  json r = AssessJson(c);
  bool found = false;
  for (const auto& w : r["warnings"]) {
    if (w["code"] == "OBSERVATION_AFTER_T0") {
      found = true;
      EXPECT_NE(w["text"].get<std::string>().find("ck 20000 at 2026-03-01 12:30"), std::string::npos) << w["text"];
      EXPECT_EQ(w["text"].get<std::string>().find("/observations"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace nmscds
