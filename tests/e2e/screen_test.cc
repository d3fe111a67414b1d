// `nmscds screen` end to end (interfaces.md §7.3 "nmscds screen", §10 "Population screen output"; issue #4).
//
// Every test runs the real binary on NDJSON files and checks concrete outcomes: exit status, the exact §10
// lines on stdout, the counts of the summary line and the diagnostics on stderr.
//   ScreenCohort    the synthetic cohort of tools/synth_cohort.py against its answer key; --threads; --all
//   ScreenSynthea   the Synthea Bulk Data export in shared/data (real-world shape, nothing to flag)
//   ScreenEdge      hand-written exports: files per type, malformed and truncated lines, empty files,
//                   manifest, patients known only through references, --strict, --output, --since, chunking
//   ScreenShards    --shard K/N partitions the patients and adds up to the unsharded run
//   ScreenProgress  --progress always|never and the default when stderr is not a terminal
//   ScreenFileType  a file's type from its first non-empty (readable) line
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keeps member order: §10 fixes the order of every member

constexpr char kAt[] = "2026-11-20T14:00:00Z";
constexpr int kHour = 60;  // minutes
constexpr int kDay = 24 * kHour;

// ---------------------------------------------------------------------------------------------------------
// Running the screen and reading its output
// ---------------------------------------------------------------------------------------------------------

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// One run of `nmscds screen`, with stdout read as §10 NDJSON.
struct Screened {
  testing::RunResult run;
  std::vector<std::string> patient_lines;  // exact bytes, without the line end
  std::vector<Json> patients;
  std::string summary_line;  // "" when stdout holds no summary line
  Json summary;
  std::vector<std::string> err_lines;  // stderr, split at '\n'

  // The patient line of `id` (null when there is none).
  Json Patient(const std::string& id) const {
    for (const Json& p : patients) {
      if (p["patient_id"] == id) return p;
    }
    return nullptr;
  }
  std::vector<std::string> Invalid() const {  // the "nmscds: invalid input: " lines of stderr
    std::vector<std::string> out;
    for (const std::string& l : err_lines) {
      if (StartsWith(l, "nmscds: invalid input: ")) out.push_back(l);
    }
    return out;
  }
};

// Runs `nmscds screen ARGS...` and parses stdout: patient lines then, last, the summary line (§10). Shape
// problems (a line that is not JSON, a patient line after the summary, no final line end) are test failures.
Screened Screen(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {testing::BinaryPath(), "screen"};
  argv.insert(argv.end(), args.begin(), args.end());
  Screened s;
  s.run = testing::Run(argv);
  std::istringstream err(s.run.err);
  for (std::string line; std::getline(err, line);) s.err_lines.push_back(line);
  if (!s.run.out.empty()) {
    EXPECT_EQ(s.run.out.back(), '\n') << "stdout must end with a line end";
  }
  for (const std::string& line : testing::NonEmptyLines(s.run.out)) {
    Json j;
    try {
      j = Json::parse(line);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "stdout line is not JSON: " << line.substr(0, 300);
      continue;
    }
    EXPECT_TRUE(s.summary_line.empty()) << "a line after the summary line: " << line.substr(0, 300);
    if (j.value("record", "") == "summary") {
      s.summary_line = line;
      s.summary = j;
    } else {
      EXPECT_EQ(j.value("record", ""), "patient") << line.substr(0, 300);
      s.patient_lines.push_back(line);
      s.patients.push_back(std::move(j));
    }
  }
  return s;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

// §10: the members of a patient line and of the summary line, in their order.
void ExpectPatientShape(const Json& p) {
  const std::vector<std::string> expected = {
      "record",         "patient_id",   "assessed_at",     "suspicion",      "iec_points",          "iec_max_possible",
      "woodbury_stage", "trigger_type", "trigger_pattern", "trigger_agents", "dantrolene_decision", "fn_status",
      "flags",          "data_errors"};
  EXPECT_EQ(Keys(p), expected) << p.dump();
}

void ExpectSummaryShape(const Json& s, bool with_since) {
  std::vector<std::string> expected = {"record",    "screen_format", "engine_version", "kb_version",
                                       "kb_sha256", "protocol",      "assessed_at"};
  if (with_since) expected.push_back("since");
  for (const char* k :
       {"files", "files_skipped", "lines", "malformed_lines", "resources_used", "resources_ignored", "patients_total",
        "patients_screened", "patients_unchanged", "patients_flagged", "by_suspicion", "by_decision", "fn"}) {
    expected.push_back(k);
  }
  EXPECT_EQ(Keys(s), expected) << s.dump();
  EXPECT_EQ(s["screen_format"], 1);
  EXPECT_EQ(Keys(s["by_suspicion"]), (std::vector<std::string>{"high", "possible", "unlikely"}));
  EXPECT_EQ(Keys(s["by_decision"]),
            (std::vector<std::string>{"malignant_hyperthermia_protocol", "not_applicable", "contraindicated",
                                      "not_indicated", "insufficient_data", "consider"}));
  EXPECT_EQ(Keys(s["fn"]), (std::vector<std::string>{"present", "absent", "unknown", "presumed"}));
}

// Patient lines are sorted by patient_id in byte order, each id once.
void ExpectSortedById(const Screened& s) {
  for (std::size_t i = 1; i < s.patients.size(); ++i) {
    EXPECT_LT(s.patients[i - 1]["patient_id"].get<std::string>(), s.patients[i]["patient_id"].get<std::string>());
  }
}

// Every non-empty line of the input is either used, ignored or malformed (the summary accounts for all).
void ExpectLinesAccountedFor(const Json& s) {
  EXPECT_EQ(s["resources_used"].get<std::uint64_t>() + s["resources_ignored"].get<std::uint64_t>() +
                s["malformed_lines"].get<std::uint64_t>(),
            s["lines"].get<std::uint64_t>())
      << s.dump();
}

// The stderr summary line (§7.3) is the last line of stderr.
void ExpectStderrSummary(const Screened& s, std::uint64_t screened) {
  ASSERT_FALSE(s.err_lines.empty());
  EXPECT_TRUE(StartsWith(s.err_lines.back(), "nmscds: screened " + std::to_string(screened) + " patients in "))
      << s.run.err;
}

std::vector<std::string> NdjsonFiles(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 7 && name.substr(name.size() - 7) == ".ndjson") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// FNV-1a 64 of the id bytes (doc/screen.md): --shard K/N holds the patients whose hash mod N is K.
std::uint64_t Fnv1a64(const std::string& s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// The synthetic cohort (tools/synth_cohort.py, doc/synth_cohort.md)
// ---------------------------------------------------------------------------------------------------------

// Generates the 400-patient cohort of these tests into `dir` (20 % planted, 3 files per type).
void GenerateCohort(const std::string& dir) {
  const testing::RunResult r =
      testing::Run({testing::Python3(), testing::SourceDir() + "/tools/synth_cohort.py", "--out", dir, "--patients",
                    "400", "--positive-rate", "0.2", "--seed", "7", "--at", kAt, "--files-per-type", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// A suite with one cohort, generated once (SetUpTestSuite) and removed at the end.
class CohortSuite : public ::testing::Test {
 protected:
  static void SetUpCohort(const std::string& name) {
    root_ = new std::string(testing::MakeTempDir(name));
    dir_ = new std::string(*root_ + "/export");
    GenerateCohort(*dir_);
  }
  static void TearDownTestSuite() {
    if (root_ != nullptr) fs::remove_all(*root_);
    delete root_;
    delete dir_;
    root_ = dir_ = nullptr;
  }
  // The answer key, by patient id.
  static std::map<std::string, Json> Key() {
    std::map<std::string, Json> key;
    for (const std::string& line : testing::NonEmptyLines(testing::ReadFile(*dir_ + "/expected.json.lines"))) {
      Json k = Json::parse(line);
      key[k["patient_id"].get<std::string>()] = k;
    }
    return key;
  }
  static std::string* root_;
  static std::string* dir_;
};
std::string* CohortSuite::root_ = nullptr;
std::string* CohortSuite::dir_ = nullptr;

class ScreenCohort : public CohortSuite {
 protected:
  static void SetUpTestSuite() { SetUpCohort("screen-cohort"); }
};

TEST_F(ScreenCohort, FlaggedPatientsAndCountsMatchTheAnswerKey) {
  const std::map<std::string, Json> key = Key();
  ASSERT_EQ(key.size(), 400u);
  const Screened s = Screen({"--at", kAt, *dir_});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;

  // Exactly the key's flagged patients have a line, with the key's results and flags.
  std::set<std::string> written;
  for (const Json& p : s.patients) {
    ExpectPatientShape(p);
    const std::string id = p["patient_id"];
    SCOPED_TRACE(id);
    ASSERT_TRUE(key.count(id)) << "not a patient of the cohort";
    const Json& k = key.at(id);
    EXPECT_TRUE(k["flagged"].get<bool>()) << "written but not flagged in the key (" << k["scenario"] << ")";
    EXPECT_EQ(p["assessed_at"], kAt);
    EXPECT_EQ(p["suspicion"], k["suspicion"]);
    EXPECT_EQ(p["dantrolene_decision"], k["dantrolene_decision"]);
    EXPECT_EQ(p["fn_status"], k["fn_status"]);
    EXPECT_EQ(p["flags"], k["flags"]);
    EXPECT_EQ(p["data_errors"], 0);
    written.insert(id);
  }
  int flagged = 0;
  std::map<std::string, int> suspicion, decision, fn;
  int presumed = 0;
  for (const auto& [id, k] : key) {
    if (k["flagged"].get<bool>()) {
      ++flagged;
      EXPECT_TRUE(written.count(id)) << id << " (" << k["scenario"] << ") is flagged in the key but has no line";
    }
    ++suspicion[k["suspicion"]];
    ++decision[k["dantrolene_decision"]];
    ++fn[k["fn_status"]];
    presumed += k["fn_presumed"].get<bool>();
  }
  ASSERT_GT(flagged, 40);  // 20 % planted, plus presumed-FN negatives
  EXPECT_EQ(s.patients.size(), static_cast<std::size_t>(flagged));
  ExpectSortedById(s);

  // Summary: counts from the key and from the files themselves.
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  ExpectSummaryShape(s.summary, /*with_since=*/false);
  const Json& sum = s.summary;
  EXPECT_EQ(sum["assessed_at"], kAt);
  EXPECT_EQ(sum["protocol"], "standard");
  const std::vector<std::string> files = NdjsonFiles(*dir_);
  EXPECT_EQ(files.size(), 15u);  // 5 types x 3 files
  std::size_t lines = 0;
  for (const std::string& f : files) lines += testing::NonEmptyLines(testing::ReadFile(*dir_ + "/" + f)).size();
  EXPECT_EQ(sum["files"], files.size());
  EXPECT_EQ(sum["files_skipped"], 0);
  EXPECT_EQ(sum["lines"], lines);
  EXPECT_EQ(sum["malformed_lines"], 0);
  ExpectLinesAccountedFor(sum);
  EXPECT_EQ(sum["patients_total"], 400);
  EXPECT_EQ(sum["patients_screened"], 400);
  EXPECT_EQ(sum["patients_unchanged"], 0);
  EXPECT_EQ(sum["patients_flagged"], flagged);
  for (const char* level : {"high", "possible", "unlikely"}) {
    EXPECT_EQ(sum["by_suspicion"][level], suspicion[level]) << level;
  }
  for (auto it = sum["by_decision"].begin(); it != sum["by_decision"].end(); ++it) {
    EXPECT_EQ(it.value(), decision[it.key()]) << it.key();
  }
  for (const char* status : {"present", "absent", "unknown"}) EXPECT_EQ(sum["fn"][status], fn[status]) << status;
  EXPECT_EQ(sum["fn"]["presumed"], presumed);

  // stderr: the answer key is named once as an ignored file (manifest.json is not), no invalid input, and the
  // human summary line last.
  EXPECT_EQ(s.err_lines.size(), 2u) << s.run.err;
  EXPECT_EQ(s.err_lines.front(), "nmscds: note: not an .ndjson file, ignored: " + *dir_ + "/expected.json.lines");
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  ExpectStderrSummary(s, 400);
  EXPECT_EQ(s.run.err.find("manifest.json"), std::string::npos) << s.run.err;
}

TEST_F(ScreenCohort, OutputIsByteIdenticalForEveryThreadCount) {
  const Screened one = Screen({"--threads", "1", "--at", kAt, *dir_});
  ASSERT_EQ(one.run.exit_code, 0) << one.run.err;
  ASSERT_FALSE(one.patients.empty());
  for (const char* threads : {"2", "3"}) {
    const Screened other = Screen({"--threads", threads, "--at", kAt, *dir_});
    EXPECT_EQ(other.run.exit_code, 0) << other.run.err;
    EXPECT_TRUE(other.run.out == one.run.out) << "--threads " << threads << " differs from --threads 1";
  }
  // The files named in another order give the same patients (the join does not depend on file order).
  std::vector<std::string> args = {"--threads", "2", "--at", kAt};
  std::vector<std::string> files = NdjsonFiles(*dir_);
  std::reverse(files.begin(), files.end());
  for (const std::string& f : files) args.push_back(*dir_ + "/" + f);
  const Screened reversed = Screen(args);
  EXPECT_EQ(reversed.run.exit_code, 0) << reversed.run.err;
  EXPECT_EQ(reversed.patient_lines, one.patient_lines);
  EXPECT_EQ(reversed.summary_line, one.summary_line);
}

TEST_F(ScreenCohort, AllWritesEveryPatient) {
  const std::map<std::string, Json> key = Key();
  const Screened flagged = Screen({"--at", kAt, *dir_});
  const Screened all = Screen({"--all", "--at", kAt, *dir_});
  ASSERT_EQ(all.run.exit_code, 0) << all.run.err;
  ASSERT_EQ(all.patients.size(), 400u);
  ExpectSortedById(all);

  std::map<std::string, std::string> flagged_lines;
  for (std::size_t i = 0; i < flagged.patients.size(); ++i) {
    flagged_lines[flagged.patients[i]["patient_id"]] = flagged.patient_lines[i];
  }
  std::size_t unflagged = 0;
  for (std::size_t i = 0; i < all.patients.size(); ++i) {
    const Json& p = all.patients[i];
    const std::string id = p["patient_id"];
    SCOPED_TRACE(id);
    ExpectPatientShape(p);
    ASSERT_TRUE(key.count(id));
    const Json& k = key.at(id);
    if (flagged_lines.count(id)) {
      EXPECT_EQ(all.patient_lines[i], flagged_lines[id]) << "a flagged patient's line is the same with --all";
    } else {
      ++unflagged;
      EXPECT_FALSE(k["flagged"].get<bool>());
      EXPECT_EQ(p["flags"], Json::array());
      EXPECT_EQ(p["data_errors"], 0);
      EXPECT_EQ(p["suspicion"], k["suspicion"]);
      EXPECT_EQ(p["dantrolene_decision"], k["dantrolene_decision"]);
      EXPECT_EQ(p["fn_status"], k["fn_status"]);
    }
  }
  EXPECT_EQ(unflagged + flagged.patients.size(), 400u);
  // --all changes which lines are written, not what is counted.
  EXPECT_EQ(all.summary_line, flagged.summary_line);
}

// ---------------------------------------------------------------------------------------------------------
// Synthea (shared/data/synthea-bulk): a real-world-shaped export, 120 patients, 16 files
// ---------------------------------------------------------------------------------------------------------

TEST(ScreenSynthea, NothingToFlagAtTheCohortT0) {
  const std::string dir = testing::SharedDir() + "/data/synthea-bulk";
  const Screened s = Screen({"--at", kAt, dir});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
  // No patient line at all: Synthea has fevers but no dopamine antagonist (no NMS trigger, no MH agents), and
  // its data end in March 2021, so at T0 = 2026-11-20 nothing lies within the engine's windows (24-72 h for
  // vitals, findings and ANC): no patient is NMS-suspect, in FN or presumed FN.
  EXPECT_TRUE(s.patients.empty()) << s.run.out.substr(0, 2000);
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  ExpectSummaryShape(s.summary, false);
  const Json& sum = s.summary;
  EXPECT_EQ(sum["malformed_lines"], 0);
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  EXPECT_EQ(sum["patients_total"], 120);
  EXPECT_EQ(sum["patients_screened"], 120);
  EXPECT_EQ(sum["patients_flagged"], 0);
  EXPECT_EQ(sum["files"], 16);
  // Read: AllergyIntolerance, Condition, MedicationRequest, Observation, Patient, Procedure. Skipped after their
  // first line: CarePlan, Claim, DiagnosticReport, Encounter, ExplanationOfBenefit, Goal, ImagingStudy,
  // Immunization, Organization, Practitioner.
  EXPECT_EQ(sum["files_skipped"], 10);
  // 19788 lines of the 6 read types (68 + 784 + 796 + 15118 + 120 + 2902) + the first line of each skipped file.
  EXPECT_EQ(sum["lines"], 19798);
  ExpectLinesAccountedFor(sum);
  EXPECT_EQ(sum["by_suspicion"]["unlikely"], 120);
  // LICENSE is named as an ignored file; manifest.json is not.
  EXPECT_NE(std::find(s.err_lines.begin(), s.err_lines.end(),
                      "nmscds: note: not an .ndjson file, ignored: " + dir + "/LICENSE"),
            s.err_lines.end())
      << s.run.err;
  EXPECT_EQ(s.run.err.find("manifest.json"), std::string::npos) << s.run.err;
  ExpectStderrSummary(s, 120);
  EXPECT_NE(s.err_lines.back().find("10 files of types not read"), std::string::npos) << s.err_lines.back();
}

TEST(ScreenSynthea, JustAfterTheLastObservation) {
  const std::string dir = testing::SharedDir() + "/data/synthea-bulk";
  // The last Synthea Observation is at 2021-03-31T02:43:19Z; T0 the next day.
  const Screened s = Screen({"--all", "--at", "2021-04-01T00:00:00Z", dir});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  EXPECT_EQ(s.summary["malformed_lines"], 0);
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  EXPECT_EQ(s.summary["lines"], 19798);
  ASSERT_EQ(s.patients.size(), 120u);
  for (const Json& p : s.patients) {
    SCOPED_TRACE(p.dump());
    // No dopamine antagonist, no volatile anaesthetic or succinylcholine in Synthea's medications.
    for (const char* flag : {"nms_high", "nms_possible", "malignant_hyperthermia"}) {
      EXPECT_EQ(std::count(p["flags"].begin(), p["flags"].end(), flag), 0) << flag;
    }
    EXPECT_EQ(p["trigger_agents"], Json::array());
    // What we found in the data: no patient is flagged febrile_neutropenia or fn_presumed at this T0 either.
    // Synthea has no ANC (LOINC 751-8) at all, so neutropenia is never known and FN is never "present"; FN
    // presumed needs a fever within 24 h of T0, but the last temperature is 37.1 °C on 2021-01-21, and the
    // chemotherapy courses (cisplatin, paclitaxel, docetaxel) ended in 1989, 1994, 2000, 2003 and June 2020.
    EXPECT_EQ(p["flags"], Json::array());
    EXPECT_EQ(p["fn_status"], "unknown");
  }
  EXPECT_EQ(s.summary["patients_flagged"], 0);
  EXPECT_EQ(s.summary["fn"]["unknown"], 120);
  EXPECT_EQ(s.summary["fn"]["presumed"], 0);
}

TEST(ScreenSynthea, ARealFeverWithoutMalignancyIsNotFlagged) {
  const std::string dir = testing::SharedDir() + "/data/synthea-bulk";
  // Patient fc200fa2-... has 39.1 °C at 2020-08-24T04:38:16Z, no malignancy, no chemotherapy, no ANC: fever
  // present and neutropenia unknown give FN "unknown", and without a malignancy or recent chemotherapy FN is
  // not presumed (DF-25, DF-31); no trigger, so not NMS-suspect either.
  const Screened s = Screen({"--all", "--at", "2020-08-24T05:00:00Z", dir});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
  const Json p = s.Patient("fc200fa2-12c9-4276-ba4a-e0601d424e55");
  ASSERT_FALSE(p.is_null()) << s.run.out.substr(0, 2000);
  EXPECT_EQ(p["fn_status"], "unknown");
  EXPECT_EQ(p["suspicion"], "unlikely");
  EXPECT_EQ(p["trigger_type"], "none");
  EXPECT_EQ(p["flags"], Json::array());
  EXPECT_EQ(s.summary["patients_flagged"], 0);
}

// ---------------------------------------------------------------------------------------------------------
// Hand-written exports (resources shaped like those of tools/synth_cohort.py)
// ---------------------------------------------------------------------------------------------------------

// `minutes` before kAt as a FHIR dateTime.
std::string Before(int minutes) {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 20;
  tm.tm_hour = 14;
  const std::time_t t = ::timegm(&tm) - static_cast<std::time_t>(minutes) * 60;
  std::tm out{};
  ::gmtime_r(&t, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buf;
}

Json Coding(const std::string& system, const std::string& code, const std::string& display = "") {
  Json c = {{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

Json Quantity(double value, const std::string& code) {
  return {{"value", value}, {"unit", code}, {"system", "http://unitsofmeasure.org"}, {"code", code}};
}

constexpr char kLoinc[] = "http://loinc.org";
constexpr char kSnomed[] = "http://snomed.info/sct";

// An Observation (vital sign, lab or finding) of `patient`, `minutes` before T0.
Json Obs(const std::string& id, const std::string& patient, const std::string& category, const Json& code, int minutes,
         const std::string& value_key = "", const Json& value = nullptr, bool baseline = false) {
  Json r = {{"resourceType", "Observation"}, {"id", id}};
  if (baseline) {
    r["meta"] = {{"tag", Json::array({Coding("urn:nmscds:cs:tag", "baseline", "Pre-episode baseline")})}};
  }
  r["status"] = "final";
  r["category"] = Json::array(
      {{{"coding", Json::array({Coding("http://terminology.hl7.org/CodeSystem/observation-category", category)})}}});
  r["code"] = {{"coding", Json::array({code})}};
  r["subject"] = {{"reference", "Patient/" + patient}};
  r["effectiveDateTime"] = Before(minutes);
  if (!value_key.empty()) r[value_key] = value;
  return r;
}

Json Temperature(const std::string& id, const std::string& patient, int minutes, double celsius,
                 bool baseline = false) {
  return Obs(id, patient, "vital-signs", Coding(kLoinc, "8310-5", "Body temperature"), minutes, "valueQuantity",
             Quantity(celsius, "Cel"), baseline);
}
Json HeartRate(const std::string& id, const std::string& patient, int minutes, int bpm, bool baseline = false) {
  return Obs(id, patient, "vital-signs", Coding(kLoinc, "8867-4", "Heart rate"), minutes, "valueQuantity",
             Quantity(bpm, "/min"), baseline);
}
Json BloodPressure(const std::string& id, const std::string& patient, int minutes, int sbp, int dbp,
                   bool baseline = false) {
  Json r = Obs(id, patient, "vital-signs", Coding(kLoinc, "85354-9", "Blood pressure panel"), minutes, "", nullptr,
               baseline);
  r["component"] =
      Json::array({{{"code", {{"coding", Json::array({Coding(kLoinc, "8480-6", "Systolic blood pressure")})}}},
                    {"valueQuantity", Quantity(sbp, "mm[Hg]")}},
                   {{"code", {{"coding", Json::array({Coding(kLoinc, "8462-4", "Diastolic blood pressure")})}}},
                    {"valueQuantity", Quantity(dbp, "mm[Hg]")}}});
  return r;
}
Json Lab(const std::string& id, const std::string& patient, const std::string& loinc, int minutes, double value,
         const std::string& unit, double low, double high) {
  Json r = Obs(id, patient, "laboratory", Coding(kLoinc, loinc), minutes, "valueQuantity", Quantity(value, unit));
  r["referenceRange"] = Json::array({{{"low", Quantity(low, unit)}, {"high", Quantity(high, unit)}}});
  return r;
}
Json Finding(const std::string& id, const std::string& patient, const std::string& name, int minutes) {
  return Obs(id, patient, "exam", Coding("urn:nmscds:cs:finding", name), minutes, "valueBoolean", true);
}

Json PatientRes(const std::string& id, const std::string& gender = "male", const std::string& birth = "1975-06-14") {
  return {{"resourceType", "Patient"}, {"id", id}, {"gender", gender}, {"birthDate", birth}};
}

Json ConditionRes(const std::string& id, const std::string& patient, const std::string& icd, const std::string& display,
                  int minutes) {
  return {
      {"resourceType", "Condition"},
      {"id", id},
      {"clinicalStatus",
       {{"coding", Json::array({Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")})}}},
      {"verificationStatus",
       {{"coding", Json::array({Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")})}}},
      {"category",
       Json::array({{{"coding", Json::array({Coding("http://terminology.hl7.org/CodeSystem/condition-category",
                                                    "problem-list-item")})}}})},
      {"code",
       {{"coding", Json::array({Coding("http://hl7.org/fhir/sid/icd-10-cm", icd, display)})}, {"text", display}}},
      {"subject", {{"reference", "Patient/" + patient}}},
      {"onsetDateTime", Before(minutes)},
      {"recordedDate", Before(minutes)}};
}

Json MedRequest(const std::string& id, const std::string& patient, const std::string& drug, const std::string& rxnorm,
                int start_minutes) {
  return {{"resourceType", "MedicationRequest"},
          {"id", id},
          {"status", "active"},
          {"intent", "order"},
          {"medicationCodeableConcept",
           {{"coding", Json::array({Coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm, drug)})},
            {"text", drug}}},
          {"subject", {{"reference", "Patient/" + patient}}},
          {"authoredOn", Before(start_minutes)},
          {"reasonCode", Json::array({{{"text", "acute psychosis"}}})},
          {"dosageInstruction",
           Json::array({{{"text", "5 mg twice daily"},
                         {"timing", {{"repeat", {{"boundsPeriod", {{"start", Before(start_minutes)}}}}}}},
                         {"route", {{"coding", Json::array({Coding(kSnomed, "26643006", "Oral route")})}}}}})}};
}

// A haloperidol-triggered NMS episode (the nms_haloperidol scenario of doc/synth_cohort.md): suspicion high,
// dantrolene insufficient_data (no liver tests, IV access not documented), FN absent. Its Observations are in
// three groups so that a test can spread them over files.
struct NmsPatient {
  Json patient, condition, medication;
  std::vector<Json> baseline, episode, exam;
};
NmsPatient MakeNmsPatient(const std::string& id) {
  NmsPatient p;
  p.patient = PatientRes(id);
  p.condition = ConditionRes(id + "-c1", id, "F20.9", "Schizophrenia, unspecified", 900 * kDay);
  p.medication = MedRequest(id + "-mr2", id, "haloperidol", "5093", 4 * kDay);
  const int b = 7 * kDay;
  p.baseline = {Temperature(id + "-t3", id, b, 36.7, true), HeartRate(id + "-hr4", id, b, 76, true),
                BloodPressure(id + "-bp5", id, b, 120, 76, true)};
  int serial = 6;
  const int minutes[] = {20 * kHour, 10 * kHour, 1 * kHour};
  const double temps[] = {38.6, 39.4, 40.1};
  const int hr[] = {112, 121, 129};
  const int sbp[] = {162, 118, 164}, dbp[] = {98, 70, 100};
  for (int i = 0; i < 3; ++i) {
    p.episode.push_back(Temperature(id + "-t" + std::to_string(serial++), id, minutes[i], temps[i]));
    p.episode.push_back(HeartRate(id + "-hr" + std::to_string(serial++), id, minutes[i], hr[i]));
    p.episode.push_back(BloodPressure(id + "-bp" + std::to_string(serial++), id, minutes[i], sbp[i], dbp[i]));
  }
  const std::string f = id + "-f";
  p.exam = {Obs(f + "20", id, "exam", Coding("urn:nmscds:cs:finding", "rigidity"), 45, "valueCodeableConcept",
                {{"coding", Json::array({Coding(kSnomed, "24484000", "Severe")})}}),
            Obs(f + "21", id, "exam", Coding("urn:nmscds:cs:finding", "mental_status"), 45, "valueCodeableConcept",
                {{"coding", Json::array({Coding("urn:nmscds:cs:value", "delirious")})}}),
            Finding(f + "22", id, "diaphoresis", 45),
            Finding(f + "23", id, "urinary_incontinence", 45),
            Lab(id + "-lab24", id, "2157-6", 4 * kHour, 4200, "U/L", 30, 200),
            Lab(id + "-lab25", id, "751-8", 4 * kHour, 6.4, "10*9/L", 1.8, 7.7)};
  return p;
}

// Normal vitals `minutes` before T0: suspicion unlikely, FN absent, not flagged.
std::vector<Json> HealthyVitals(const std::string& id, int minutes) {
  return {Temperature(id + "-t1", id, minutes, 36.8), HeartRate(id + "-hr2", id, minutes, 72),
          BloodPressure(id + "-bp3", id, minutes, 118, 76)};
}

std::string Ndjson(const std::vector<Json>& resources) {
  std::string out;
  for (const Json& r : resources) out += r.dump() + "\n";
  return out;
}

std::vector<Json> Concat(std::initializer_list<std::vector<Json>> parts) {
  std::vector<Json> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class ScreenEdge : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir(std::string("screen-edge-") +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A fresh subdirectory of this test's directory holding `files` (name -> bytes).
  std::string Export(const std::string& name, const std::map<std::string, std::string>& files) {
    const std::string d = dir_ + "/" + name;
    fs::create_directories(d);
    for (const auto& [file, bytes] : files) testing::WriteFile(d + "/" + file, bytes);
    return d;
  }
  // The NMS patient "nms1" and the healthy patient "well1", one file per type.
  std::map<std::string, std::string> BaseFiles() {
    const NmsPatient n = MakeNmsPatient("nms1");
    return {
        {"Patient.000.ndjson", Ndjson({n.patient, PatientRes("well1", "female", "1961-02-03")})},
        {"Condition.000.ndjson", Ndjson({n.condition})},
        {"MedicationRequest.000.ndjson", Ndjson({n.medication})},
        {"Observation.000.ndjson", Ndjson(Concat({n.baseline, n.episode, n.exam, HealthyVitals("well1", 3 * kHour)}))}};
  }

  std::string dir_;
};

// (a) Several files per type, one patient's Observations over three files, its Patient and the other
// patient's in two: the same result as with one file per type.
TEST_F(ScreenEdge, FilesPerTypeDoNotChangeTheResult) {
  const NmsPatient n = MakeNmsPatient("nms1");
  const std::string one = Export("one", BaseFiles());
  std::map<std::string, std::string> split_files = {
      {"Patient.000.ndjson", Ndjson({PatientRes("well1", "female", "1961-02-03")})},
      {"Patient.001.ndjson", Ndjson({n.patient})},
      {"Condition.000.ndjson", Ndjson({n.condition})},
      {"MedicationRequest.000.ndjson", Ndjson({n.medication})},
      {"Observation.000.ndjson", Ndjson(Concat({n.exam, HealthyVitals("well1", 3 * kHour)}))},  // findings, CK, ANC
      {"Observation.001.ndjson", Ndjson(n.episode)},                                            // fever, HR, BP
      {"Observation.002.ndjson", Ndjson(n.baseline)}};
  const std::string split = Export("split", split_files);

  const Screened a = Screen({"--all", "--at", kAt, one});
  const Screened b = Screen({"--all", "--at", kAt, split});
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  ASSERT_EQ(b.run.exit_code, 0) << b.run.err;
  ASSERT_EQ(a.patients.size(), 2u) << a.run.out;
  const Json nms = a.Patient("nms1");
  EXPECT_EQ(nms["suspicion"], "high") << nms.dump();
  EXPECT_EQ(nms["trigger_agents"], Json::array({"haloperidol"}));
  EXPECT_EQ(nms["dantrolene_decision"], "insufficient_data");
  EXPECT_EQ(nms["fn_status"], "absent");
  EXPECT_EQ(nms["flags"], Json::array({"nms_high"}));
  EXPECT_EQ(a.Patient("well1")["flags"], Json::array());
  EXPECT_EQ(a.Patient("well1")["suspicion"], "unlikely");

  EXPECT_EQ(b.patient_lines, a.patient_lines);
  // The summaries differ only in the number of files.
  Json sa = a.summary, sb = b.summary;
  EXPECT_EQ(sa["files"], 4);
  EXPECT_EQ(sb["files"], 7);
  sa.erase("files");
  sb.erase("files");
  EXPECT_EQ(sa, sb);

  // Every Observation file counts: without the fever readings of Observation.001 the result is not the same.
  fs::remove(split + "/Observation.001.ndjson");
  const Screened c = Screen({"--all", "--at", kAt, split});
  ASSERT_EQ(c.run.exit_code, 0) << c.run.err;
  EXPECT_NE(c.Patient("nms1")["suspicion"], "high") << c.Patient("nms1").dump();
}

// §4.9 in an export: a line repeated (here in a second file) is read once; another resource under the same
// type and id is a data error of its patient, reported at the later line. Both for Observations that the scan
// maps on its own (a temperature, a blood-pressure panel) and for lines kept whole (a Condition).
TEST_F(ScreenEdge, RepeatedLinesAreReadOnceAndConflictingIdsAreDataErrors) {
  const NmsPatient n = MakeNmsPatient("nms1");
  const std::vector<Json> vitals = HealthyVitals("well1", 3 * kHour);  // temperature, heart rate, BP panel
  const Screened base = Screen({"--all", "--at", kAt, Export("base", BaseFiles())});
  ASSERT_EQ(base.run.exit_code, 0) << base.run.err;

  auto files = BaseFiles();
  files["Observation.001.ndjson"] = Ndjson({vitals[0], vitals[2], n.episode[3]});
  files["Condition.001.ndjson"] = Ndjson({n.condition});
  const Screened repeated = Screen({"--all", "--at", kAt, Export("repeated", files)});
  EXPECT_EQ(repeated.run.exit_code, 0) << repeated.run.err;
  EXPECT_TRUE(repeated.Invalid().empty()) << repeated.run.err;
  EXPECT_EQ(repeated.patient_lines, base.patient_lines);
  EXPECT_EQ(repeated.summary["lines"], base.summary["lines"].get<int>() + 4);
  EXPECT_EQ(repeated.summary["malformed_lines"], 0);

  Json temperature = vitals[0];
  temperature["valueQuantity"]["value"] = 39.5;
  Json panel = vitals[2];
  panel["component"][0]["valueQuantity"]["value"] = 190;
  Json condition = n.condition;
  condition["code"]["text"] = "Schizoaffective disorder";
  files["Observation.001.ndjson"] = Ndjson({temperature, panel});
  files["Condition.001.ndjson"] = Ndjson({condition});
  const std::string d = Export("conflicting", files);
  const Screened conflicting = Screen({"--all", "--at", kAt, d});
  EXPECT_EQ(conflicting.run.exit_code, 3) << conflicting.run.err;
  const std::vector<std::string> invalid = conflicting.Invalid();
  ASSERT_EQ(invalid.size(), 3u) << conflicting.run.err;
  // In patient order, then reading order: nms1's Condition, then well1's temperature and panel.
  EXPECT_TRUE(StartsWith(invalid[0], "nmscds: invalid input: " + d + "/Condition.001.ndjson:1: ")) << invalid[0];
  EXPECT_NE(invalid[0].find("Condition/nms1-c1 is also at"), std::string::npos) << invalid[0];
  EXPECT_TRUE(StartsWith(invalid[1], "nmscds: invalid input: " + d + "/Observation.001.ndjson:1: ")) << invalid[1];
  EXPECT_NE(invalid[1].find("Observation/well1-t1 is also at"), std::string::npos) << invalid[1];
  EXPECT_TRUE(StartsWith(invalid[2], "nmscds: invalid input: " + d + "/Observation.001.ndjson:2: ")) << invalid[2];
  EXPECT_NE(invalid[2].find("Observation/well1-bp3 is also at"), std::string::npos) << invalid[2];
  EXPECT_EQ(conflicting.Patient("nms1")["data_errors"], 1);
  EXPECT_EQ(conflicting.Patient("well1")["data_errors"], 2);
  EXPECT_EQ(conflicting.summary["malformed_lines"], 3);
  ExpectLinesAccountedFor(conflicting.summary);
}

// (b) A last line cut short (no line end) that still shows its subject reference.
TEST_F(ScreenEdge, TruncatedLastLineIsADataErrorOfItsPatient) {
  auto files = BaseFiles();
  // Line 1 and 3: well1's vitals; line 2 blank (counted); line 4: cut right after the subject reference.
  std::string full = HeartRate("well1-hr9", "well1", 2 * kHour, 74).dump();
  const std::string marker = R"("subject":{"reference":"Patient/well1")";
  const std::size_t at = full.find(marker);
  ASSERT_NE(at, std::string::npos) << full;
  const std::string truncated = full.substr(0, at + marker.size() + 4);  // ...,"Patient/well1"},"ef  (no '\n')
  const std::vector<Json> vitals = HealthyVitals("well1", 3 * kHour);
  const NmsPatient n = MakeNmsPatient("nms1");
  files["Observation.000.ndjson"] = Ndjson(Concat({n.baseline, n.episode, n.exam}));
  files["Observation.001.ndjson"] = vitals[0].dump() + "\n\n" + vitals[1].dump() + "\n" + truncated;
  const std::string d = Export("export", files);

  const Screened s = Screen({"--at", kAt, d});
  EXPECT_EQ(s.run.exit_code, 3) << s.run.err;
  const std::vector<std::string> invalid = s.Invalid();
  ASSERT_EQ(invalid.size(), 1u) << s.run.err;
  EXPECT_TRUE(StartsWith(invalid[0], "nmscds: invalid input: " + d + "/Observation.001.ndjson:4: ")) << invalid[0];
  EXPECT_NE(invalid[0].find("cut short"), std::string::npos) << invalid[0];

  // The output is complete: both patients' data were used, well1 is written because of its data error.
  ASSERT_EQ(s.patients.size(), 2u) << s.run.out;
  const Json well = s.Patient("well1");
  EXPECT_EQ(well["flags"], Json::array({"data_errors"})) << well.dump();
  EXPECT_EQ(well["data_errors"], 1);
  EXPECT_EQ(well["suspicion"], "unlikely");
  EXPECT_EQ(s.Patient("nms1")["flags"], Json::array({"nms_high"}));
  EXPECT_EQ(s.Patient("nms1")["data_errors"], 0);
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  EXPECT_EQ(s.summary["malformed_lines"], 1);
  EXPECT_EQ(s.summary["patients_flagged"], 2);
  ExpectLinesAccountedFor(s.summary);
  ExpectStderrSummary(s, 2);
  EXPECT_NE(s.err_lines.back().find("1 malformed lines"), std::string::npos) << s.err_lines.back();
}

// (c) Garbage lines: each reported with its 1-based line number (blank lines count), counted and skipped.
TEST_F(ScreenEdge, GarbageLinesAreReportedCountedAndSkipped) {
  auto files = BaseFiles();
  const std::vector<Json> vitals = HealthyVitals("well1", 3 * kHour);
  const Json condition = ConditionRes("well1-c7", "well1", "I10", "Essential (primary) hypertension", 300 * kDay);
  files["Observation.001.ndjson"] = vitals[0].dump() + "\n" +  // 1
                                    "not json\n" +             // 2
                                    "\n" +                     // 3 (blank: not a line of data, but counted)
                                    "{}\n" +                   // 4 no resourceType
                                    "[1,2]\n" +                // 5 not an object
                                    condition.dump() + "\n" +  // 6 a Condition in an Observation file
                                    vitals[1].dump() + "\n";   // 7
  const std::string d = Export("export", files);
  const std::string file = d + "/Observation.001.ndjson";

  const Screened s = Screen({"--at", kAt, d});
  EXPECT_EQ(s.run.exit_code, 3) << s.run.err;
  const std::vector<std::string> invalid = s.Invalid();
  ASSERT_EQ(invalid.size(), 4u) << s.run.err;
  const std::pair<int, const char*> expected[] = {{2, "not valid JSON"},
                                                  {4, "resourceType"},
                                                  {5, "not a JSON object"},
                                                  {6, "a Condition in a file of Observation"}};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string prefix = "nmscds: invalid input: " + file + ":" + std::to_string(expected[i].first) + ": ";
    EXPECT_TRUE(StartsWith(invalid[i], prefix)) << invalid[i] << "\nexpected prefix " << prefix;
    EXPECT_NE(invalid[i].find(expected[i].second), std::string::npos) << invalid[i];
  }
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  EXPECT_EQ(s.summary["malformed_lines"], 4);
  ExpectLinesAccountedFor(s.summary);
  // The misplaced Condition names its patient: well1 gets a data error (the other garbage names nobody).
  ASSERT_EQ(s.patients.size(), 2u) << s.run.out;
  EXPECT_EQ(s.Patient("well1")["data_errors"], 1);
  EXPECT_EQ(s.Patient("well1")["flags"], Json::array({"data_errors"}));
  EXPECT_EQ(s.Patient("nms1")["data_errors"], 0);

  // The same export without the file: its 6 non-empty lines were all counted in `lines`.
  fs::remove(file);
  const Screened clean = Screen({"--at", kAt, d});
  ASSERT_EQ(clean.run.exit_code, 0) << clean.run.err;
  EXPECT_EQ(s.summary["lines"].get<int>() - clean.summary["lines"].get<int>(), 6);
  EXPECT_EQ(clean.patients.size(), 1u);  // nms1 only: well1 is not flagged without its data error
}

// (d) An empty file and a file of blank lines: no error; counted as files, nothing else.
TEST_F(ScreenEdge, EmptyAndBlankFilesAreCountedOnly) {
  auto files = BaseFiles();
  const std::string base = Export("base", files);
  files["Observation.001.ndjson"] = "";
  files["Condition.001.ndjson"] = "\n\n  \n\r\n";
  const std::string d = Export("export", files);

  const Screened a = Screen({"--all", "--at", kAt, base});
  const Screened s = Screen({"--all", "--at", kAt, d});
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  EXPECT_EQ(s.patient_lines, a.patient_lines);
  EXPECT_EQ(s.summary["files"], 6);
  EXPECT_EQ(a.summary["files"], 4);
  Json x = s.summary, y = a.summary;
  x.erase("files");
  y.erase("files");
  EXPECT_EQ(x, y) << "only the file count differs";
  EXPECT_EQ(s.summary["files_skipped"], 0);
}

// (e) A directory with or without manifest.json (and with another file, which is named on stderr).
TEST_F(ScreenEdge, ManifestIsNotNeededAndNotNamed) {
  auto files = BaseFiles();
  const std::string without = Export("without", files);
  Json manifest = {{"transactionTime", kAt},
                   {"request", "https://example.org/fhir/$export"},
                   {"requiresAccessToken", false},
                   {"output", Json::array()},
                   {"error", Json::array()}};
  for (const auto& [name, bytes] : files) {
    manifest["output"].push_back(
        {{"type", name.substr(0, name.find('.'))}, {"url", name}, {"count", testing::NonEmptyLines(bytes).size()}});
  }
  files["manifest.json"] = manifest.dump(2);
  const std::string with = Export("with", files);
  files["README.txt"] = "not data\n";
  const std::string readme = Export("readme", files);

  const Screened a = Screen({"--all", "--at", kAt, without});
  const Screened b = Screen({"--all", "--at", kAt, with});
  const Screened c = Screen({"--all", "--at", kAt, readme});
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  EXPECT_EQ(b.run.exit_code, 0) << b.run.err;
  EXPECT_EQ(c.run.exit_code, 0) << c.run.err;
  ASSERT_EQ(a.patients.size(), 2u);
  EXPECT_TRUE(b.run.out == a.run.out);
  EXPECT_TRUE(c.run.out == a.run.out);
  EXPECT_EQ(a.err_lines.size(), 1u) << a.run.err;  // the summary line only
  EXPECT_EQ(b.err_lines.size(), 1u) << b.run.err;  // manifest.json is expected in an export: not named
  ASSERT_EQ(c.err_lines.size(), 2u) << c.run.err;
  EXPECT_EQ(c.err_lines[0], "nmscds: note: not an .ndjson file, ignored: " + readme + "/README.txt");
  ExpectStderrSummary(c, 2);
}

// (e2) A manifest that does not match the directory: a listed file that is missing stops the screen before
// any output (exit 4: the export is incomplete, and a missing MedicationRequest file would make medication
// lists look complete); a count that differs from the file's lines is reported and gives exit 3 with the
// output complete; an unreadable manifest is invalid input; absolute URLs are matched by their last segment.
TEST_F(ScreenEdge, ManifestIsCheckedAgainstTheDirectory) {
  auto files = BaseFiles();
  Json manifest = {{"transactionTime", kAt}, {"output", Json::array()}, {"error", Json::array()}};
  for (const auto& [name, bytes] : files) {
    manifest["output"].push_back({{"type", name.substr(0, name.find('.'))},
                                  {"url", "https://ehr.example/bulk/files/" + name},
                                  {"count", testing::NonEmptyLines(bytes).size()}});
  }
  auto with_manifest = [&](const std::string& name, const Json& m) {
    auto f = files;
    f["manifest.json"] = m.dump();
    return Export(name, f);
  };
  const Screened whole = Screen({"--all", "--at", kAt, with_manifest("whole", manifest)});
  ASSERT_EQ(whole.run.exit_code, 0) << whole.run.err;
  ASSERT_EQ(whole.patients.size(), 2u);

  Json missing = manifest;
  missing["output"].push_back({{"type", "MedicationRequest"}, {"url", "MedicationRequest.007.ndjson"}});
  const std::string missing_dir = with_manifest("missing", missing);
  const Screened m = Screen({"--all", "--at", kAt, missing_dir});
  EXPECT_EQ(m.run.exit_code, 4) << m.run.err;
  EXPECT_TRUE(m.run.out.empty());
  EXPECT_NE(m.run.err.find(missing_dir + "/MedicationRequest.007.ndjson"), std::string::npos) << m.run.err;
  EXPECT_NE(m.run.err.find("incomplete export"), std::string::npos) << m.run.err;

  Json miscounted = manifest;
  miscounted["output"][0]["count"] = miscounted["output"][0]["count"].get<int>() + 1;
  const std::string first_file = miscounted["output"][0]["url"].get<std::string>().substr(31);
  const std::string miscounted_dir = with_manifest("miscounted", miscounted);
  const Screened c = Screen({"--all", "--at", kAt, miscounted_dir});
  EXPECT_EQ(c.run.exit_code, 3) << c.run.err;
  EXPECT_EQ(c.patients, whole.patients);  // the output is still complete
  EXPECT_NE(c.run.err.find("nmscds: invalid input: " + miscounted_dir + "/" + first_file + ": the manifest counts"),
            std::string::npos)
      << c.run.err;

  Json with_errors = manifest;
  with_errors["error"].push_back({{"type", "OperationOutcome"}, {"url", "errors.ndjson"}});
  const Screened e = Screen({"--all", "--at", kAt, with_manifest("errors", with_errors)});
  EXPECT_EQ(e.run.exit_code, 0) << e.run.err;
  EXPECT_NE(e.run.err.find("lists 1 error file(s)"), std::string::npos) << e.run.err;

  auto broken = files;
  broken["manifest.json"] = "{\"output\": [";
  const Screened b = Screen({"--at", kAt, Export("broken", broken)});
  EXPECT_EQ(b.run.exit_code, 3) << b.run.err;
  EXPECT_TRUE(b.run.out.empty());
  EXPECT_NE(b.run.err.find("manifest.json"), std::string::npos) << b.run.err;
}

// (f) A patient known only through references (no Patient line) is screened.
TEST_F(ScreenEdge, PatientKnownOnlyByReferenceIsScreened) {
  auto files = BaseFiles();
  files["Observation.001.ndjson"] = Ndjson(HealthyVitals("ghost", 2 * kHour));
  const std::string d = Export("export", files);

  const Screened all = Screen({"--all", "--at", kAt, d});
  ASSERT_EQ(all.run.exit_code, 0) << all.run.err;
  EXPECT_EQ(all.summary["patients_total"], 3);
  EXPECT_EQ(all.summary["patients_screened"], 3);
  const Json ghost = all.Patient("ghost");
  ASSERT_FALSE(ghost.is_null()) << all.run.out;
  EXPECT_EQ(ghost["suspicion"], "unlikely");
  EXPECT_EQ(ghost["flags"], Json::array());
  EXPECT_EQ(ghost["data_errors"], 0);
  EXPECT_EQ(all.patient_lines.size(), 3u);

  const Screened flagged = Screen({"--at", kAt, d});
  EXPECT_TRUE(flagged.Patient("ghost").is_null()) << "not flagged: no line without --all";
}

// (g) A line without a subject reference: counted (ignored), not an error.
TEST_F(ScreenEdge, LineWithoutSubjectIsCountedNotAnError) {
  auto files = BaseFiles();
  const std::string base = Export("base", files);
  Json orphan = HeartRate("orphan-hr1", "nobody", 2 * kHour, 80);
  orphan.erase("subject");
  Json elsewhere = HeartRate("group-hr2", "nobody", 2 * kHour, 80);
  elsewhere["subject"] = {{"reference", "Group/g1"}};  // not a Patient reference
  files["Observation.001.ndjson"] = Ndjson({orphan, elsewhere});
  const std::string d = Export("export", files);

  const Screened a = Screen({"--at", kAt, base});
  const Screened s = Screen({"--at", kAt, d});
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  EXPECT_EQ(s.summary["malformed_lines"], 0);
  EXPECT_EQ(s.summary["lines"].get<int>(), a.summary["lines"].get<int>() + 2);
  EXPECT_EQ(s.summary["resources_ignored"].get<int>(), a.summary["resources_ignored"].get<int>() + 2);
  EXPECT_EQ(s.summary["resources_used"], a.summary["resources_used"]);
  EXPECT_EQ(s.summary["patients_total"], 2);
  EXPECT_EQ(s.patient_lines, a.patient_lines);
  ExpectStderrSummary(s, 2);
  EXPECT_NE(s.err_lines.back().find("; 2 lines without a Patient reference"), std::string::npos) << s.err_lines.back();
}

// (h) A PATH that cannot be read: exit 4 before any output.
TEST_F(ScreenEdge, UnreadablePathExits4WithNoOutput) {
  const std::string d = Export("export", BaseFiles());
  for (const std::vector<std::string>& paths :
       {std::vector<std::string>{dir_ + "/missing.ndjson"}, std::vector<std::string>{d, dir_ + "/missing-dir"}}) {
    std::vector<std::string> args = {"--at", kAt};
    args.insert(args.end(), paths.begin(), paths.end());
    const Screened s = Screen(args);
    EXPECT_EQ(s.run.exit_code, 4) << s.run.err;
    EXPECT_EQ(s.run.out, "");
    EXPECT_NE(s.run.err.find(paths.back()), std::string::npos) << s.run.err;
    EXPECT_EQ(s.run.err.find("nmscds: screened"), std::string::npos) << s.run.err;
  }
}

// (i) --strict: a malformed line stops the screen, exit 3, no summary line.
TEST_F(ScreenEdge, StrictStopsWithoutSummary) {
  auto files = BaseFiles();
  files["Observation.001.ndjson"] = Ndjson(HealthyVitals("well2", kHour)) + "not json\n";
  const std::string d = Export("export", files);

  const Screened strict = Screen({"--strict", "--at", kAt, d});
  EXPECT_EQ(strict.run.exit_code, 3) << strict.run.err;
  EXPECT_EQ(strict.summary_line, "") << strict.run.out;
  EXPECT_EQ(strict.run.out.find("\"record\":\"summary\""), std::string::npos);
  ASSERT_EQ(strict.Invalid().size(), 2u) << strict.run.err;
  EXPECT_TRUE(StartsWith(strict.Invalid()[0], "nmscds: invalid input: " + d + "/Observation.001.ndjson:4: "))
      << strict.run.err;
  EXPECT_NE(strict.Invalid()[1].find("--strict"), std::string::npos) << strict.run.err;

  // Without --strict the same input is screened to the end, with its summary.
  const Screened lax = Screen({"--at", kAt, d});
  EXPECT_EQ(lax.run.exit_code, 3) << lax.run.err;
  ASSERT_FALSE(lax.summary.is_null()) << lax.run.out;
  EXPECT_EQ(lax.summary["malformed_lines"], 1);
  EXPECT_EQ(lax.summary["patients_total"], 3);
}

// (j) A file of a type nmscds does not read: skipped after its first line and counted.
TEST_F(ScreenEdge, UnsupportedTypeIsSkippedAndCounted) {
  auto files = BaseFiles();
  const std::string base = Export("base", files);
  std::string encounters;
  for (const char* id : {"e1", "e2", "e3"}) {
    encounters += Json({{"resourceType", "Encounter"},
                        {"id", id},
                        {"status", "finished"},
                        {"subject", {{"reference", "Patient/nms1"}}},
                        {"period", {{"start", Before(3 * kDay)}, {"end", Before(kDay)}}}})
                      .dump() +
                  "\n";
  }
  files["Encounter.000.ndjson"] = encounters;
  const std::string d = Export("export", files);

  const Screened a = Screen({"--at", kAt, base});
  const Screened s = Screen({"--at", kAt, d});
  ASSERT_EQ(a.run.exit_code, 0) << a.run.err;
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_TRUE(s.Invalid().empty()) << s.run.err;
  EXPECT_EQ(s.summary["files"], 5);
  EXPECT_EQ(s.summary["files_skipped"], 1);
  EXPECT_EQ(a.summary["files_skipped"], 0);
  EXPECT_EQ(s.summary["lines"].get<int>(), a.summary["lines"].get<int>() + 1);  // its first line only
  EXPECT_EQ(s.summary["resources_ignored"].get<int>(), a.summary["resources_ignored"].get<int>() + 1);
  EXPECT_EQ(s.patient_lines, a.patient_lines);
  EXPECT_NE(s.err_lines.back().find("; 1 files of types not read"), std::string::npos) << s.err_lines.back();
}

// (k) --output FILE: the same bytes as stdout, and nothing on stdout.
TEST_F(ScreenEdge, OutputFileHoldsTheStdoutBytes) {
  auto files = BaseFiles();
  files["Observation.001.ndjson"] = "not json\n";  // with a malformed line: exit 3 either way
  const std::string d = Export("export", files);
  const std::string out = dir_ + "/screen.ndjson";

  const Screened to_stdout = Screen({"--all", "--at", kAt, d});
  const Screened to_file = Screen({"--all", "--output", out, "--at", kAt, d});
  EXPECT_EQ(to_stdout.run.exit_code, 3) << to_stdout.run.err;
  EXPECT_EQ(to_file.run.exit_code, 3) << to_file.run.err;
  EXPECT_EQ(to_file.run.out, "");
  ASSERT_TRUE(fs::exists(out));
  EXPECT_TRUE(testing::ReadFile(out) == to_stdout.run.out);
  EXPECT_EQ(testing::NonEmptyLines(to_stdout.run.out).size(), 3u);  // 2 patients + summary
  EXPECT_EQ(to_file.Invalid(), to_stdout.Invalid());
}

// (l) --since: a patient with only old data is not screened; a resource exactly at --since counts as recent.
TEST_F(ScreenEdge, SinceSkipsUnchangedPatients) {
  const std::string since = Before(2 * kDay);  // 2026-11-18T14:00:00Z
  std::vector<Json> obs = HealthyVitals("old", 400 * kDay);
  for (const Json& r : HealthyVitals("new", 3 * kHour)) obs.push_back(r);
  obs.push_back(HeartRate("edge-hr1", "edge", 2 * kDay, 70));  // exactly at the --since time
  obs.push_back(HeartRate("edge-hr2", "edge", 30 * kDay, 70));
  const std::string d =
      Export("export", {{"Patient.000.ndjson", Ndjson({PatientRes("old"), PatientRes("new"), PatientRes("edge")})},
                        {"Observation.000.ndjson", Ndjson(obs)}});

  const Screened s = Screen({"--all", "--since", since, "--at", kAt, d});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
  ASSERT_FALSE(s.summary.is_null()) << s.run.out;
  ExpectSummaryShape(s.summary, /*with_since=*/true);
  EXPECT_EQ(s.summary["since"], since);
  EXPECT_EQ(s.summary["patients_total"], 3);
  EXPECT_EQ(s.summary["patients_unchanged"], 1);
  EXPECT_EQ(s.summary["patients_screened"], 2);
  ASSERT_EQ(s.patients.size(), 2u) << s.run.out;  // --all: the screened ones only
  EXPECT_EQ(s.patients[0]["patient_id"], "edge");
  EXPECT_EQ(s.patients[1]["patient_id"], "new");
  ExpectStderrSummary(s, 2);
  EXPECT_NE(s.err_lines.back().find("; 1 unchanged since " + since), std::string::npos) << s.err_lines.back();

  // Without --since: every patient, and no "since" member.
  const Screened all = Screen({"--all", "--at", kAt, d});
  ASSERT_EQ(all.run.exit_code, 0) << all.run.err;
  ExpectSummaryShape(all.summary, /*with_since=*/false);
  EXPECT_EQ(all.summary["patients_unchanged"], 0);
  EXPECT_EQ(all.patients.size(), 3u);
}

// Usage errors (exit 2, nothing on stdout).
TEST_F(ScreenEdge, BadOptionsAreUsageErrors) {
  const std::string d = Export("export", BaseFiles());
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--at", "yesterday"},
                                              {"--at", "2026-11-20T14:00:00"},
                                              {"--since", "2026-13-01"},
                                              {"--shard", "3/3"},
                                              {"--shard", "1/0"},
                                              {"--shard", "0/3x"},
                                              {"--shard", "a/b"},
                                              {"--shard", "2"},
                                              {"--threads", "0"},
                                              {"--progress", "sometimes"}}) {
    std::vector<std::string> args = bad;
    if (bad[0] != "--at") args.insert(args.end(), {"--at", kAt});
    args.push_back(d);
    const Screened s = Screen(args);
    EXPECT_EQ(s.run.exit_code, 2) << bad[0] << " " << bad[1] << ": " << s.run.err;
    EXPECT_EQ(s.run.out, "") << bad[0] << " " << bad[1];
  }
}

// A large file is scanned in chunks (8 MiB) on several threads: every line is read once, and line numbers
// stay right across chunk boundaries (a line starting exactly at a boundary, a line across one).
TEST_F(ScreenEdge, LineNumbersAcrossChunkBoundaries) {
  constexpr std::size_t kChunk = std::size_t{8} << 20;
  // An Observation line of exactly `length` bytes (with its '\n'), its id padded.
  auto filler = [](int serial, std::size_t length) {
    const std::string patient = "bulk" + std::to_string(serial % 200);
    Json r = HeartRate("h" + std::to_string(serial) + "-", patient, (serial % 300) * 10 + 60, 60 + serial % 40);
    std::string line = r.dump();
    const std::size_t bare = line.size() + 1;
    if (length < bare) throw std::logic_error("filler line too short");
    r["id"] = r["id"].get<std::string>() + std::string(length - bare, 'x');
    return r.dump() + "\n";
  };
  std::string data;
  int serial = 0, lines = 0;
  constexpr std::size_t kLine = 600;     // a filler line is about 460 bytes before padding
  auto fill_to = [&](std::size_t end) {  // filler lines up to exactly `end` bytes (at least 2 lines)
    ASSERT_GE(end, data.size() + 2 * kLine);
    while (end - data.size() >= 3 * kLine) {
      data += filler(serial++, kLine);
      ++lines;
    }
    const std::size_t rest = end - data.size();
    data += filler(serial++, rest / 2);
    data += filler(serial++, rest - rest / 2);
    lines += 2;
  };
  std::vector<int> bad_lines;
  fill_to(kChunk);  // a malformed line starting exactly at the first boundary
  data += "not json\n";
  bad_lines.push_back(++lines);
  fill_to(2 * kChunk - 5);  // one across the second boundary
  data += "{\"resourceType\": broken across the boundary}\n";
  bad_lines.push_back(++lines);
  fill_to(2 * kChunk + 50000);
  data += "\n";  // a blank line, counted in the numbering
  ++lines;
  data += "[1]\n";
  bad_lines.push_back(++lines);
  ASSERT_EQ(data.substr(kChunk, 8), "not json");
  const std::string d = Export("export", {{"Observation.000.ndjson", data}});
  const std::string file = d + "/Observation.000.ndjson";

  const Screened one = Screen({"--threads", "1", "--all", "--at", kAt, d});
  const Screened three = Screen({"--threads", "3", "--all", "--at", kAt, d});
  EXPECT_EQ(one.run.exit_code, 3) << one.run.err;
  EXPECT_EQ(three.run.exit_code, 3) << three.run.err;
  const std::vector<std::string> invalid = one.Invalid();
  ASSERT_EQ(invalid.size(), bad_lines.size()) << one.run.err;
  for (std::size_t i = 0; i < bad_lines.size(); ++i) {
    EXPECT_TRUE(StartsWith(invalid[i], "nmscds: invalid input: " + file + ":" + std::to_string(bad_lines[i]) + ": "))
        << invalid[i] << " (expected line " << bad_lines[i] << ")";
  }
  EXPECT_EQ(three.Invalid(), invalid);
  EXPECT_TRUE(three.run.out == one.run.out);
  ASSERT_FALSE(one.summary.is_null());
  EXPECT_EQ(one.summary["lines"], lines - 1);  // non-empty lines: every line once (none lost or doubled)
  EXPECT_EQ(one.summary["malformed_lines"], 3);
  ExpectLinesAccountedFor(one.summary);
  EXPECT_EQ(one.summary["patients_total"], 200);
}

// ---------------------------------------------------------------------------------------------------------
// --shard K/N
// ---------------------------------------------------------------------------------------------------------

class ScreenShards : public CohortSuite {
 protected:
  static void SetUpTestSuite() { SetUpCohort("screen-shards"); }
};

TEST_F(ScreenShards, ShardsPartitionThePatients) {
  const Screened whole = Screen({"--all", "--at", kAt, *dir_});
  ASSERT_EQ(whole.run.exit_code, 0) << whole.run.err;
  ASSERT_EQ(whole.patients.size(), 400u);
  const Screened flagged_whole = Screen({"--at", kAt, *dir_});
  ASSERT_EQ(flagged_whole.run.exit_code, 0);

  std::vector<std::string> all_lines, flagged_lines;
  std::uint64_t total = 0, flagged = 0, screened = 0, used = 0, high = 0;
  for (int k = 0; k < 3; ++k) {
    const std::string shard = std::to_string(k) + "/3";
    SCOPED_TRACE("--shard " + shard);
    const Screened s = Screen({"--all", "--shard", shard, "--at", kAt, *dir_});
    const Screened f = Screen({"--shard", shard, "--at", kAt, *dir_});
    ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
    ASSERT_EQ(f.run.exit_code, 0) << f.run.err;
    ASSERT_FALSE(s.summary.is_null());
    EXPECT_GT(s.patients.size(), 80u);  // about a third each
    for (const Json& p : s.patients) {
      EXPECT_EQ(Fnv1a64(p["patient_id"].get<std::string>()) % 3, static_cast<std::uint64_t>(k)) << p["patient_id"];
    }
    ExpectSortedById(s);
    all_lines.insert(all_lines.end(), s.patient_lines.begin(), s.patient_lines.end());
    flagged_lines.insert(flagged_lines.end(), f.patient_lines.begin(), f.patient_lines.end());
    EXPECT_EQ(s.summary["patients_total"], s.patients.size());
    EXPECT_EQ(f.summary_line, s.summary_line) << "--all does not change the counts";
    total += s.summary["patients_total"].get<std::uint64_t>();
    screened += s.summary["patients_screened"].get<std::uint64_t>();
    flagged += s.summary["patients_flagged"].get<std::uint64_t>();
    used += s.summary["resources_used"].get<std::uint64_t>();
    high += s.summary["by_suspicion"]["high"].get<std::uint64_t>();
    // Every shard reads every line.
    EXPECT_EQ(s.summary["lines"], whole.summary["lines"]);
    EXPECT_EQ(s.summary["files"], whole.summary["files"]);
    ExpectLinesAccountedFor(s.summary);
  }
  std::sort(all_lines.begin(), all_lines.end());
  std::sort(flagged_lines.begin(), flagged_lines.end());
  EXPECT_EQ(all_lines, whole.patient_lines);  // the unsharded lines are sorted by id; the ids lead each line
  EXPECT_EQ(flagged_lines, flagged_whole.patient_lines);
  EXPECT_EQ(total, 400u);
  EXPECT_EQ(screened, 400u);
  EXPECT_EQ(flagged, whole.summary["patients_flagged"].get<std::uint64_t>());
  EXPECT_EQ(used, whole.summary["resources_used"].get<std::uint64_t>());
  EXPECT_EQ(high, whole.summary["by_suspicion"]["high"].get<std::uint64_t>());

  // 0/1 is the unsharded run.
  const Screened single = Screen({"--all", "--shard", "0/1", "--at", kAt, *dir_});
  EXPECT_TRUE(single.run.out == whole.run.out);
}

// ---------------------------------------------------------------------------------------------------------
// --progress
// ---------------------------------------------------------------------------------------------------------

class ScreenProgress : public ::testing::Test {
 protected:
  // The progress line is drawn every 100 ms, so the input must take clearly longer than that to screen:
  // 50,000 Patient lines take about 0.5 s with one thread on the 2-core development machine.
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir("screen-progress"));
    std::string patients;
    for (int i = 0; i < 50000; ++i) {
      patients += PatientRes("p" + std::to_string(100000 + i), i % 2 ? "male" : "female").dump() + "\n";
    }
    testing::WriteFile(*dir_ + "/Patient.000.ndjson", patients);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  static std::string* dir_;
};
std::string* ScreenProgress::dir_ = nullptr;

TEST_F(ScreenProgress, AlwaysDrawsOnStderrOnly) {
  const Screened s = Screen({"--threads", "1", "--progress", "always", "--at", kAt, *dir_});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_NE(s.run.err.find("screen ["), std::string::npos) << s.run.err.substr(0, 500);
  // The last state is drawn before the line is erased, whatever the timing: all patients assessed. (This
  // run takes about 0.1 s; before that final draw, whether a draw fell in the assessment was a race.)
  EXPECT_NE(s.run.err.find("50,000/50,000 patients"), std::string::npos) << s.run.err.substr(0, 500);
  EXPECT_EQ(s.run.out.find("screen ["), std::string::npos);
  EXPECT_EQ(s.run.out.find('\r'), std::string::npos);
  ASSERT_FALSE(s.summary.is_null());
  EXPECT_EQ(s.summary["patients_total"], 50000);
  // The line is erased at the end, before the summary line.
  const std::string erase_then_summary = "\r\033[Knmscds: screened 50000 patients in ";
  EXPECT_NE(s.run.err.find(erase_then_summary), std::string::npos) << s.run.err.substr(s.run.err.size() - 300);
  // The output is the same as without the progress line.
  const Screened never = Screen({"--threads", "1", "--progress", "never", "--at", kAt, *dir_});
  EXPECT_TRUE(never.run.out == s.run.out);
}

TEST_F(ScreenProgress, NeverAndTheDefaultOffATerminalDrawNothing) {
  for (const std::vector<std::string>& option :
       {std::vector<std::string>{"--progress", "never"}, std::vector<std::string>{"--progress", "auto"},
        std::vector<std::string>{}}) {
    std::vector<std::string> args = {"--threads", "1", "--at", kAt, *dir_};
    args.insert(args.begin(), option.begin(), option.end());
    const Screened s = Screen(args);
    ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
    EXPECT_EQ(s.run.err.find("screen ["), std::string::npos) << s.run.err.substr(0, 500);
    EXPECT_EQ(s.run.err.find('\r'), std::string::npos);
    EXPECT_EQ(s.run.err.find('\033'), std::string::npos);
    ASSERT_EQ(s.err_lines.size(), 1u) << s.run.err;  // the summary line only
    ExpectStderrSummary(s, 50000);
  }
}

// ---------------------------------------------------------------------------------------------------------
// File types (§7.3: the type of a file is that of its first non-empty line) and a short --progress run.
// These were found failing by this suite and fixed; each keeps the reason it exists.
// ---------------------------------------------------------------------------------------------------------

// A blank first line does not hide the file's type: a file not named after its type is still read.
TEST(ScreenFileType, BlankFirstLineDoesNotHideTheFileType) {
  const std::string dir = testing::MakeTempDir("screen-bug-blank-first");
  testing::WriteFile(dir + "/patients.ndjson", "\n" + PatientRes("p1").dump() + "\n");
  testing::WriteFile(dir + "/conditions.ndjson",
                     "\n" + ConditionRes("p1-c1", "p1", "I10", "Essential (primary) hypertension", kDay).dump() + "\n");
  const Screened s = Screen({"--all", "--at", kAt, dir});
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_EQ(s.summary["files_skipped"], 0) << s.summary_line;
  EXPECT_EQ(s.summary["lines"], 2) << s.summary_line;
  EXPECT_EQ(s.summary["patients_total"], 1) << s.summary_line;
  EXPECT_EQ(s.patients.size(), 1u) << s.run.out;
  // The same files without the blank line.
  testing::WriteFile(dir + "/patients.ndjson", PatientRes("p1").dump() + "\n");
  testing::WriteFile(dir + "/conditions.ndjson",
                     ConditionRes("p1-c1", "p1", "I10", "Essential (primary) hypertension", kDay).dump() + "\n");
  const Screened ok = Screen({"--all", "--at", kAt, dir});
  EXPECT_EQ(ok.summary["patients_total"], 1) << ok.summary_line;
  fs::remove_all(dir);
}

// A file of blank lines only has no resource type and no line: counted in `files` only.
TEST(ScreenFileType, BlankOnlyFileCountsNoLine) {
  const std::string dir = testing::MakeTempDir("screen-bug-blank-only");
  testing::WriteFile(dir + "/blank.ndjson", "\n\n   \n");
  const Screened s = Screen({"--at", kAt, dir});
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_EQ(s.summary["files"], 1) << s.summary_line;
  EXPECT_EQ(s.summary["lines"], 0) << s.summary_line;
  EXPECT_EQ(s.summary["files_skipped"], 0) << s.summary_line;
  fs::remove_all(dir);
}

// A garbage first line is reported, and the file's type is that of its first readable line.
TEST(ScreenFileType, GarbageFirstLineIsReported) {
  const std::string dir = testing::MakeTempDir("screen-bug-garbage-first");
  testing::WriteFile(dir + "/export.ndjson", "not json\n" + PatientRes("p1").dump() + "\n");
  const Screened s = Screen({"--all", "--at", kAt, dir});
  EXPECT_EQ(s.run.exit_code, 3) << s.run.err;
  EXPECT_EQ(s.summary["malformed_lines"], 1) << s.summary_line;
  EXPECT_EQ(s.Invalid().size(), 1u) << s.run.err;
  fs::remove_all(dir);
}

// --progress always draws the line at once, so even a run shorter than 100 ms shows it.
TEST(ScreenProgressShort, ProgressAlwaysOnAShortRun) {
  const std::string dir = testing::MakeTempDir("screen-bug-progress");
  testing::WriteFile(dir + "/Patient.000.ndjson", PatientRes("p1").dump() + "\n");
  const Screened s = Screen({"--progress", "always", "--at", kAt, dir});
  EXPECT_EQ(s.run.exit_code, 0) << s.run.err;
  EXPECT_NE(s.run.err.find("screen ["), std::string::npos) << s.run.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nmscds
