// tools/synth_cohort.py end to end (issue #4): the synthetic Bulk Data cohort and its answer key.
// Every patient of a small cohort is regrouped into a FHIR collection Bundle and assessed by the real binary;
// the report must state what the answer key says (suspicion, dantrolene decision, FN status, presumed FN, and
// hence the interfaces §10 flag). Also: same arguments give the same bytes, and one patient's resources of one
// type are spread over several files, as a real multi-file export may spread them.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keeps member order, to compare a re-dumped line

constexpr char kAt[] = "2026-11-20T14:00:00Z";
constexpr char kKeyName[] = "expected.json.lines";

// Runs the generator for 300 patients, 20 % planted, 2 files per type.
testing::RunResult Generate(const std::string& out, const std::string& seed = "1") {
  return testing::Run({testing::Python3(), testing::SourceDir() + "/tools/synth_cohort.py", "--out", out,
                       "--patients", "300", "--positive-rate", "0.2", "--seed", seed, "--at", kAt,
                       "--files-per-type", "2"});
}

// Every file in `dir`, name -> bytes (ordered by name).
std::map<std::string, std::string> Files(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename().string()] = testing::ReadFile(entry.path().string());
  }
  return files;
}

bool IsNdjson(const std::string& name) { return name.size() > 7 && name.substr(name.size() - 7) == ".ndjson"; }

class SynthCohort : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir("synth-cohort") + "/export");
    const testing::RunResult r = Generate(*dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(fs::path(*dir_).parent_path());
    delete dir_;
    dir_ = nullptr;
  }
  static std::vector<Json> Key() {
    std::vector<Json> key;
    for (const auto& line : testing::NonEmptyLines(testing::ReadFile(*dir_ + "/" + kKeyName))) key.push_back(Json::parse(line));
    return key;
  }
  static std::string* dir_;
};
std::string* SynthCohort::dir_ = nullptr;

TEST_F(SynthCohort, EveryPatientGetsTheKeyedResultFromAssess) {
  // Group the export's resources by patient ("Patient/<id>" subject references), in file then line order.
  std::map<std::string, Json> patients;
  std::map<std::string, std::vector<Json>> resources;
  for (const auto& [name, bytes] : Files(*dir_)) {
    if (!IsNdjson(name)) continue;
    for (const auto& line : testing::NonEmptyLines(bytes)) {
      Json r = Json::parse(line);
      if (r["resourceType"] == "Patient") {
        patients[r["id"].get<std::string>()] = r;
      } else {
        const std::string ref = r["subject"]["reference"].get<std::string>();
        ASSERT_EQ(ref.rfind("Patient/", 0), 0u) << line;
        resources[ref.substr(8)].push_back(std::move(r));
      }
    }
  }
  const std::vector<Json> key = Key();
  ASSERT_EQ(key.size(), 300u);
  ASSERT_EQ(patients.size(), 300u);

  const std::string bundles = fs::path(*dir_).parent_path().string() + "/bundles";
  fs::create_directories(bundles);
  std::map<std::string, int> planted_by_scenario;
  int flagged = 0;
  for (const Json& expected : key) {
    const std::string id = expected["patient_id"].get<std::string>();
    SCOPED_TRACE(id + " (" + expected["scenario"].get<std::string>() + ")");
    ASSERT_TRUE(patients.count(id));
    Json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"timestamp", kAt}, {"entry", Json::array()}};
    bundle["entry"].push_back({{"resource", patients[id]}});
    for (const Json& r : resources[id]) bundle["entry"].push_back({{"resource", r}});
    const std::string path = bundles + "/" + id + ".json";
    testing::WriteFile(path, bundle.dump());

    const testing::RunResult run =
        testing::Run({testing::BinaryPath(), "assess", "--format", "json", "--at", kAt, path});
    ASSERT_EQ(run.exit_code, 0) << run.out.substr(0, 2000) << run.err;
    const Json report = Json::parse(run.out);
    const std::string suspicion = report["nms"]["suspicion"];
    const std::string decision = report["dantrolene"]["decision"];
    const std::string fn_status = report["febrile_neutropenia"]["status"];
    const bool fn_presumed = report["febrile_neutropenia"]["presumed"];
    EXPECT_EQ(suspicion, expected["suspicion"]);
    EXPECT_EQ(decision, expected["dantrolene_decision"]);
    EXPECT_EQ(fn_status, expected["fn_status"]);
    EXPECT_EQ(fn_presumed, expected["fn_presumed"]);
    // interfaces §10: flagged = suspicion possible or high, MH protocol, FN present, FN presumed (no data errors).
    const bool report_flagged = suspicion != "unlikely" || decision == "malignant_hyperthermia_protocol" ||
                                fn_status == "present" || fn_presumed;
    EXPECT_EQ(report_flagged, expected["flagged"].get<bool>());
    EXPECT_EQ(expected["flagged"].get<bool>(), !expected["flags"].empty());
    if (expected["planted"].get<bool>()) {
      ++planted_by_scenario[expected["scenario"].get<std::string>()];
      EXPECT_TRUE(expected["flagged"].get<bool>()) << "a planted positive must be flagged";
    }
    flagged += expected["flagged"].get<bool>();
  }
  // Every planted scenario occurs (they are dealt round-robin), and the negatives are not all flagged.
  EXPECT_EQ(planted_by_scenario.size(), 8u);
  for (const auto& [scenario, n] : planted_by_scenario) EXPECT_GE(n, 3) << scenario;
  EXPECT_LT(flagged, 150);
}

TEST_F(SynthCohort, SameArgumentsGiveIdenticalBytes) {
  const std::string again = fs::path(*dir_).parent_path().string() + "/again";
  const testing::RunResult r = Generate(again);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto first = Files(*dir_);
  const auto second = Files(again);
  ASSERT_EQ(first.size(), second.size());
  for (const auto& [name, bytes] : first) {
    ASSERT_TRUE(second.count(name)) << name;
    EXPECT_TRUE(bytes == second.at(name)) << name << " differs between two runs with the same seed";
  }
  const std::string other = fs::path(*dir_).parent_path().string() + "/other-seed";
  ASSERT_EQ(Generate(other, "2").exit_code, 0);
  EXPECT_NE(Files(other).at("Observation.000.ndjson"), first.at("Observation.000.ndjson"));
}

TEST_F(SynthCohort, ExportShapeAndSpreadOverFiles) {
  const auto files = Files(*dir_);
  // The answer key is beside the export but is not an .ndjson file, so a screen over the directory skips it.
  ASSERT_TRUE(files.count(kKeyName));
  ASSERT_TRUE(files.count("manifest.json"));

  const Json manifest = Json::parse(files.at("manifest.json"));
  EXPECT_EQ(manifest["transactionTime"], kAt);
  std::set<std::string> listed;
  for (const Json& out : manifest["output"]) {
    const std::string url = out["url"];
    listed.insert(url);
    ASSERT_TRUE(files.count(url)) << url << " (urls are relative to the manifest)";
    EXPECT_EQ(url.rfind(out["type"].get<std::string>() + ".", 0), 0u) << url;
    EXPECT_EQ(testing::NonEmptyLines(files.at(url)).size(), out["count"].get<std::size_t>()) << url;
  }

  // (type, patient) -> the files holding that patient's resources of that type, and how many there are
  std::map<std::pair<std::string, std::string>, std::set<std::string>> where;
  std::map<std::pair<std::string, std::string>, int> per_patient;
  std::set<std::string> ids;
  for (const auto& [name, bytes] : files) {
    if (!IsNdjson(name)) continue;
    EXPECT_TRUE(listed.count(name)) << name << " missing from the manifest";
    ASSERT_EQ(bytes.back(), '\n') << name;
    const std::string type = name.substr(0, name.find('.'));
    for (const auto& line : testing::NonEmptyLines(bytes)) {
      const Json r = Json::parse(line);
      ASSERT_EQ(r["resourceType"], type) << name << ": one resource type per file";
      EXPECT_EQ(line, r.dump()) << "compact JSON, one resource per line";
      EXPECT_TRUE(ids.insert(type + "/" + r["id"].get<std::string>()).second) << "duplicate id " << r["id"];
      const std::string patient = type == "Patient" ? r["id"].get<std::string>()
                                                    : r["subject"]["reference"].get<std::string>().substr(8);
      where[{type, patient}].insert(name);
      ++per_patient[{type, patient}];
    }
  }
  // Every patient with two or more resources of one type has them in both files of that type.
  int spread = 0;
  for (const auto& [type_patient, n] : per_patient) {
    if (n < 2) continue;
    EXPECT_EQ(where[type_patient].size(), 2u) << type_patient.first << " of " << type_patient.second;
    ++spread;
  }
  EXPECT_GT(spread, 300);  // every patient has at least four Observations
}

}  // namespace
}  // namespace nmscds
