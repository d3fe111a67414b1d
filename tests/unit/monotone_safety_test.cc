// Monotone safety (clinical.md §0.2 fail-safe rule): removing any single input item never turns a decision of
// contraindicated, insufficient_data, not_indicated or malignant_hyperthermia_protocol into consider. Two
// stricter checks cover the other decisions, so that no case of the corpus is skipped: a not_applicable case
// never becomes consider, and a consider case never becomes not_applicable (the NMS question closed by
// missing data) unless the removed item is a medication entry (the dopamine antagonist itself).
//
// Items removed one at a time: each observation, each medication, each administration, each condition, each
// finding, each context member (and each anaesthesia flag), the weight, the age and the sex.
//
// One exception is inherent in the specification and is checked precisely instead of skipped: a supplied
// medication list is complete (§0.2), so deleting the very entry that carries a DEC-3 reason (the second
// dopamine antagonist of a polypharmacy, verapamil/diltiazem, a concurrent NMS therapy, the dantrolene doses
// that reached the 24 h cap) is not missing data but different data, and the reason it carried must go. The
// test then requires that this reason was the only one, i.e. the change is exactly explained by the entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "case_corpus.h"
#include "nmscds/nmscds.h"

namespace nmscds {
namespace {

using nlohmann::json;
using testing::AssessJson;

struct Variant {
  std::string what;
  json doc;
  bool medication_entry = false;
};

std::vector<Variant> SingleRemovals(const json& c) {
  std::vector<Variant> out;
  auto remove_element = [&](const char* array, bool medication) {
    if (!c.contains(array)) return;
    for (std::size_t i = 0; i < c[array].size(); ++i) {
      json d = c;
      d[array].erase(i);
      out.push_back({std::string(array) + "[" + std::to_string(i) + "]", d, medication});
    }
  };
  remove_element("observations", false);
  remove_element("medications", true);
  remove_element("conditions", false);
  remove_element("procedures", false);
  if (c.contains("medications")) {
    for (std::size_t i = 0; i < c["medications"].size(); ++i) {
      const json& m = c["medications"][i];
      if (!m.contains("administrations")) continue;
      for (std::size_t j = 0; j < m["administrations"].size(); ++j) {
        json d = c;
        d["medications"][i]["administrations"].erase(j);
        out.push_back({"medications[" + std::to_string(i) + "].administrations[" + std::to_string(j) + "]", d, true});
      }
    }
  }
  for (const char* object : {"findings", "context"}) {
    if (!c.contains(object)) continue;
    for (const auto& [key, value] : c[object].items()) {
      json d = c;
      d[object].erase(key);
      out.push_back({std::string(object) + "." + key, d, false});
    }
  }
  if (c.contains("context") && c["context"].contains("anesthesia")) {
    for (const auto& [key, value] : c["context"]["anesthesia"].items()) {
      if (key == "at") continue;  // `at` is required while a flag is true
      json d = c;
      d["context"]["anesthesia"].erase(key);
      out.push_back({"context.anesthesia." + key, d, false});
    }
  }
  for (const char* member : {"weight", "age_years", "birth_date", "sex"}) {
    if (!c["patient"].contains(member)) continue;
    json d = c;
    d["patient"].erase(member);
    out.push_back({std::string("patient.") + member, d, false});
  }
  return out;
}

std::vector<std::string> ReasonCodes(const json& report) {
  std::vector<std::string> codes;
  for (const auto& r : report["dantrolene"]["reasons"]) codes.push_back(r["code"]);
  return codes;
}

class MonotoneSafety : public ::testing::TestWithParam<std::string> {};

TEST_P(MonotoneSafety, RemovingOneItemNeverPermitsDantrolene) {
  const json original = json::parse(testing::ReadFile(GetParam()));
  const json base = AssessJson(original);
  const std::string decision = base["dantrolene"]["decision"];
  const std::vector<std::string> base_reasons = ReasonCodes(base);
  int checked = 0;
  for (const Variant& v : SingleRemovals(original)) {
    const json got = AssessJson(v.doc);
    ++checked;
    if (decision == "consider") {
      EXPECT_TRUE(got["dantrolene"]["decision"] != "not_applicable" || v.medication_entry)
          << testing::BaseName(GetParam()) << ": removing " << v.what << " closed the NMS question";
      continue;
    }
    if (got["dantrolene"]["decision"] != "consider") continue;
    // Only the inherent exception may lead here (see the file comment).
    static const std::vector<std::string> kCarriedByEntries = {
        "d2_polypharmacy", "ccb_non_dihydropyridine_active", "multiple_concurrent_nms_therapies",
        "cumulative_24h_cap_reached"};
    const bool explained = v.medication_entry && decision == "contraindicated" && base_reasons.size() == 1 &&
                           std::find(kCarriedByEntries.begin(), kCarriedByEntries.end(), base_reasons[0]) !=
                               kCarriedByEntries.end() &&
                           base["dantrolene"]["secondary_findings"].empty();
    EXPECT_TRUE(explained) << testing::BaseName(GetParam()) << ": removing " << v.what << " turned " << decision
                           << " into consider";
  }
  EXPECT_GT(checked, 0) << "no single removal was generated";
}

INSTANTIATE_TEST_SUITE_P(Corpus, MonotoneSafety, ::testing::ValuesIn(testing::CorpusPaths()),
                         [](const auto& param_info) {
                           std::string n = testing::BaseName(param_info.param);
                           std::replace(n.begin(), n.end(), '-', '_');
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

}  // namespace
}  // namespace nmscds

namespace nmscds {
namespace {

// The exception above is real, not hypothetical: S09 is S02 plus verapamil; deleting the verapamil entry
// gives S02 back, whose decision is consider.
TEST(MonotoneSafetyException, DeletingTheOnlyContraindicatingEntryIsDifferentData) {
  json s09 = json::parse(testing::ReadFile(testing::SharedDir() + "/spec/scenarios/S09.json"));
  ASSERT_EQ(AssessJson(s09)["dantrolene"]["decision"], "contraindicated");
  auto& meds = s09["medications"];
  auto verapamil = std::find_if(meds.begin(), meds.end(), [](const json& m) { return m["name"] == "verapamil"; });
  ASSERT_NE(verapamil, meds.end());
  meds.erase(verapamil);
  EXPECT_EQ(AssessJson(s09)["dantrolene"]["decision"], "consider");
}

}  // namespace
}  // namespace nmscds
