// The screen's look-back cut and keep filter (doc/screen.md) never change a result: for every real Synthea
// patient that ../shared/data has both as an original per-patient Bundle (synthea-bundles) and inside the Bulk
// export (synthea-bulk), `nmscds screen --all` gives the §10 line that the full Bundle's report implies, at
// assessment times spread over the patient's own history (where the windows hold data) and at 2026-11-20;
// and the full report (apart from input details and element paths) is the Bundle's report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "screen/screen.h"
#include "screen_test_support.h"
#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const KnowledgeBase& Kb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

// Removes what differs between channels by design (as fhir_bundle_twin_test): `input`, evidence `source`
// values (element paths differ) and the input-handling INPUT_* warnings.
void StripSources(json& j) {
  if (j.is_object()) {
    j.erase("source");
    for (auto& [key, value] : j.items()) StripSources(value);
  } else if (j.is_array()) {
    for (auto& v : j) StripSources(v);
  }
}
json ComparableReport(const Report& r) {
  json j = json::parse(ReportToJson(r, false));
  j.erase("input");
  json warnings = json::array();
  for (auto& w : j["warnings"]) {
    if (w["code"].get<std::string>().rfind("INPUT_", 0) != 0) warnings.push_back(w);
  }
  j["warnings"] = warnings;
  StripSources(j);
  return j;
}

// patient_id -> §10 line of `screen --all` over synthea-bulk at t0; `reports` gets every full report.
std::map<std::string, json> ScreenAll(Instant t0, std::map<std::string, json>& reports) {
  std::mutex mu;
  std::vector<std::string> diagnostics;
  const std::string out = testing::ScreenAllOutput(
      Kb(), testing::SharedDir() + "/data/synthea-bulk", t0,
      [&](const Report& r) {
        json j = ComparableReport(r);
        std::lock_guard lock(mu);
        reports[r.patient_id] = std::move(j);
      },
      &diagnostics);
  // At a T0 in the past, the Patients born after it are malformed lines ("birthDate is after the assessment
  // time", as in assess); the compared patients are checked to have none (data_errors 0).
  for (const std::string& d : diagnostics) EXPECT_NE(d.find("birthDate is after the assessment time"), std::string::npos) << d;
  std::map<std::string, json> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    json j = json::parse(out.substr(start, nl - start));
    if (j["record"] == "patient") lines[j["patient_id"].get<std::string>()] = j;
  }
  return lines;
}

// The §10 line members that a full report determines (interfaces §10), from `assess` on the Bundle.
json LineFromReport(const Report& r) {
  std::vector<std::string> agents;
  for (const auto& a : r.nms.trigger.agents) agents.push_back(a.name);
  std::sort(agents.begin(), agents.end());
  agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
  json flags = json::array();
  if (r.nms.suspicion == "high") flags.push_back("nms_high");
  if (r.nms.suspicion == "possible") flags.push_back("nms_possible");
  if (r.dantrolene.decision == "malignant_hyperthermia_protocol") flags.push_back("malignant_hyperthermia");
  if (r.febrile_neutropenia.status == "present") flags.push_back("febrile_neutropenia");
  if (r.febrile_neutropenia.presumed) flags.push_back("fn_presumed");
  return json{{"suspicion", r.nms.suspicion},
              {"iec_points", r.nms.iec.points},
              {"iec_max_possible", r.nms.iec.max_possible},
              {"woodbury_stage", r.nms.woodbury.stage},
              {"trigger_type", r.nms.trigger.type},
              {"trigger_pattern", r.nms.trigger.pattern},
              {"trigger_agents", agents},
              {"dantrolene_decision", r.dantrolene.decision},
              {"fn_status", r.febrile_neutropenia.status},
              {"flags", flags}};
}

json Comparable(json line) {
  for (const char* member : {"record", "patient_id", "assessed_at", "data_errors"}) line.erase(member);
  return line;
}

struct BundlePatient {
  std::string id;
  std::string bytes;
  std::vector<Instant> observation_times;
};

std::vector<BundlePatient> SyntheaBundles() {
  std::vector<BundlePatient> patients;
  for (const auto& e : fs::directory_iterator(testing::SharedDir() + "/data/synthea-bundles")) {
    if (e.path().extension() != ".json") continue;
    BundlePatient p;
    p.bytes = testing::ReadFile(e.path().string());
    const json bundle = json::parse(p.bytes);
    for (const auto& entry : bundle["entry"]) {
      const json& r = entry["resource"];
      if (r["resourceType"] == "Patient") p.id = r["id"];
      if (r["resourceType"] == "Observation" && r.contains("effectiveDateTime")) {
        if (auto t = ParseDateTime(r["effectiveDateTime"].get<std::string>())) p.observation_times.push_back(*t);
      }
    }
    std::sort(p.observation_times.begin(), p.observation_times.end());
    p.observation_times.erase(std::unique(p.observation_times.begin(), p.observation_times.end()),
                              p.observation_times.end());
    patients.push_back(std::move(p));
  }
  std::sort(patients.begin(), patients.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return patients;
}

TEST(ScreenTwin, KeptLinesGiveTheFullBundlesResult) {
  const std::vector<BundlePatient> patients = SyntheaBundles();
  ASSERT_EQ(patients.size(), 5u);
  // Assessment times: 2026-11-20, and for each patient 8 of its observation times (+ 1 h) spread over its
  // history, so that vital signs, labs, weights and heights fall inside and outside every window.
  // (A patient is compared only at times after its birth: before, the Bundle is rightly refused.)
  std::map<Instant, std::set<std::string>> times;
  for (const BundlePatient& p : patients) {
    ASSERT_FALSE(p.observation_times.empty()) << p.id;
    times[*ParseDateTime("2026-11-20T14:00:00Z")].insert(p.id);
    const std::size_t n = p.observation_times.size();
    for (std::size_t k = 0; k < 8; ++k) times[p.observation_times[(n - 1) * k / 7] + kHour].insert(p.id);
  }
  std::size_t compared = 0, with_data = 0;
  for (const auto& [t0, ids] : times) {
    std::map<std::string, json> reports;
    const std::map<std::string, json> screened = ScreenAll(t0, reports);
    ASSERT_EQ(screened.size(), 120u);
    for (const BundlePatient& p : patients) {
      if (!ids.count(p.id)) continue;
      SCOPED_TRACE(p.id + " at " + FormatDateTime(t0));
      AssessOptions options;
      options.at = t0;
      auto report = Assess(p.bytes, Kb(), options);
      ASSERT_TRUE(report.ok()) << report.error().message;
      ASSERT_TRUE(screened.count(p.id));
      EXPECT_EQ(screened.at(p.id)["data_errors"], 0);
      EXPECT_EQ(Comparable(screened.at(p.id)), LineFromReport(*report));
      // The whole report, not only the line: weights, vital signs, labs and their windows agree.
      ASSERT_TRUE(reports.count(p.id));
      EXPECT_EQ(reports.at(p.id), ComparableReport(*report));
      ++compared;
      with_data += !report->nms.cardinal_features.autonomic_dysfunction.evidence.empty();
    }
  }
  EXPECT_GE(compared, 5u * 6u);
  // The times inside the patients' histories do exercise the windows: vital signs were within them.
  EXPECT_GT(with_data, 0u);
}

}  // namespace
}  // namespace nmscds
