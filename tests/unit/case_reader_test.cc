// Native case reader (interfaces.md §2): valid examples, conversions, warnings, and every kind of invalid
// input with its issue code and JSON pointer.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/json_dom.h"
#include "common/sha256.h"
#include "io/case_reader.h"
#include "kb/knowledge_base.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;
using nmscds::testing::ReadFile;
using nmscds::testing::SharedDir;

const KnowledgeBase& Kb() {
  static std::shared_ptr<const KnowledgeBase> kb = [] {
    auto loaded = LoadEmbeddedKnowledgeBase();
    if (!loaded.ok()) {
      std::string what = loaded.error().message;
      for (const Issue& i : loaded.error().issues) what += "\n  " + i.location + ": " + i.message;
      ADD_FAILURE() << "cannot load the embedded knowledge base: " << what;
      return std::shared_ptr<const KnowledgeBase>();
    }
    return *loaded;
  }();
  if (!kb) throw std::runtime_error("no knowledge base");
  return *kb;
}

Result<Case> Read(const std::string& bytes, const ReadOptions& options = {}) {
  static JsonParser parser;
  auto root = parser.Parse(bytes);
  if (!root.ok()) return root.error();
  return ReadNativeCase(*root, bytes, Kb(), options);
}

Result<Case> Read(const json& doc, const ReadOptions& options = {}) { return Read(doc.dump(), options); }

std::string ExampleDir() { return SharedDir() + "/spec/examples"; }
std::string ScenarioDir() { return SharedDir() + "/spec/scenarios"; }

json LoadJson(const std::string& path) { return json::parse(ReadFile(path)); }
json Minimal() { return LoadJson(ExampleDir() + "/case-minimal.json"); }
json Complete() { return LoadJson(ExampleDir() + "/case-fn-polypharmacy.json"); }

Instant T(const char* text) {
  auto t = ParseDateTime(text);
  if (!t) throw std::runtime_error(std::string("bad time ") + text);
  return *t;
}

Fixed F(const char* text) { return *Fixed::Parse(text); }

using IssueKey = std::pair<std::string, std::string>;  // (code, pointer)

std::vector<IssueKey> Keys(const Result<Case>& r) {
  std::vector<IssueKey> keys;
  if (r.ok()) return keys;
  for (const Issue& i : r.error().issues) keys.emplace_back(i.code, i.location);
  return keys;
}

std::string Dump(const Result<Case>& r) {
  if (r.ok()) return "(read without error)";
  std::string out = r.error().message;
  for (const Issue& i : r.error().issues) out += "\n  " + i.code + " " + i.location + ": " + i.message;
  return out;
}

// Asserts that reading `doc` fails with exactly these (code, pointer) problems, in any order.
void ExpectIssues(const json& doc, std::vector<IssueKey> expected, const ReadOptions& options = {}) {
  Result<Case> r = Read(doc, options);
  ASSERT_FALSE(r.ok()) << "expected an error, got a case";
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  std::vector<IssueKey> got = Keys(r);
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected) << Dump(r);
  for (const Issue& i : r.error().issues) {
    EXPECT_EQ(i.location_type, "json_pointer");
    EXPECT_FALSE(i.message.empty());
  }
}

void ExpectIssue(const json& doc, const std::string& code, const std::string& pointer) {
  ExpectIssues(doc, {{code, pointer}});
}

const Observation& ObsAt(const Case& c, const std::string& source) {
  for (const Observation& o : c.observations) {
    if (o.source == source) return o;
  }
  throw std::runtime_error("no observation " + source);
}

const InputWarning* FindWarning(const Case& c, const std::string& code) {
  for (const InputWarning& w : c.input_warnings) {
    if (w.code == code) return &w;
  }
  return nullptr;
}

int CountOf(const json& doc, const char* member) {
  return doc.contains(member) ? static_cast<int>(doc[member].size()) : 0;
}

// ---- Valid input ----------------------------------------------------------------------------------------

TEST(CaseReader, EveryExampleAndScenarioReads) {
  std::vector<std::string> files;
  for (const auto& dir : {ExampleDir(), ScenarioDir()}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if ((name.rfind("case-", 0) == 0 || (name.size() == 8 && name[0] == 'S')) && name.ends_with(".json")) {
        files.push_back(entry.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 14u);
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    std::string bytes = ReadFile(path);
    json doc = json::parse(bytes);
    Result<Case> r = Read(bytes);
    ASSERT_TRUE(r.ok()) << Dump(r);
    const Case& c = *r;
    EXPECT_EQ(c.assessed_at, T(doc["assessed_at"].get<std::string>().c_str()));
    EXPECT_EQ(c.input.assessed_at_source, AssessedAtSource::kInput);
    EXPECT_EQ(c.input.format, InputFormat::kNativeCase);
    EXPECT_EQ(c.input.sha256, Sha256Hex(bytes));
    EXPECT_EQ(c.patient_id, doc["patient"]["id"].get<std::string>());
    int administrations = 0;
    if (doc.contains("medications")) {
      for (const auto& m : doc["medications"]) administrations += CountOf(m, "administrations");
    }
    EXPECT_EQ(c.input.read, CountOf(doc, "observations") + CountOf(doc, "medications") + administrations +
                                CountOf(doc, "conditions") + CountOf(doc, "procedures"));
    EXPECT_EQ(c.observations.size(), static_cast<std::size_t>(CountOf(doc, "observations")));
    EXPECT_EQ(c.medications.size(), static_cast<std::size_t>(CountOf(doc, "medications")));
    EXPECT_EQ(c.medications_supplied, doc.contains("medications"));
    EXPECT_EQ(c.conditions_supplied, doc.contains("conditions"));
    EXPECT_EQ(c.procedures_supplied, doc.contains("procedures"));
    // Every observation keeps its source and a canonical value inside the plausible range.
    for (std::size_t i = 0; i < c.observations.size(); ++i) {
      const Observation& o = c.observations[i];
      EXPECT_EQ(o.source, "/observations/" + std::to_string(i));
      EXPECT_EQ(ObsKindName(o.kind), doc["observations"][i]["kind"].get<std::string>());
      EXPECT_GE(o.value, Kb().kind(o.kind).plausible_low);
      EXPECT_LE(o.value, Kb().kind(o.kind).plausible_high);
      EXPECT_EQ(o.time, T(doc["observations"][i]["time"].get<std::string>().c_str()));
    }
    // Medications: recognised ones have ingredients; the rest are named in the warning.
    int unrecognised = 0;
    for (const Medication& m : c.medications) {
      if (m.status != MedStatus::kNotTaken && m.status != MedStatus::kEnteredInError && m.ingredients.empty()) {
        ++unrecognised;
      }
    }
    const InputWarning* w = FindWarning(c, "INPUT_MEDICATION_NOT_RECOGNISED");
    EXPECT_EQ(w == nullptr ? 0 : static_cast<int>(w->facts.size()), unrecognised);
  }
}

TEST(CaseReader, CompleteExample) {
  std::string bytes = ReadFile(ExampleDir() + "/case-fn-polypharmacy.json");
  Result<Case> r = Read(bytes);
  ASSERT_TRUE(r.ok()) << Dump(r);
  const Case& c = *r;
  EXPECT_EQ(c.assessed_at, T("2026-11-20T14:00:00Z"));
  EXPECT_EQ(c.episode_onset, T("2026-11-20T02:00:00Z"));
  EXPECT_TRUE(c.clinician_suspected_nms);
  EXPECT_EQ(c.clinician_suspected_source, "/clinician_suspected_nms");
  EXPECT_EQ(c.input.read, 40);  // 31 observations, 6 medications, 2 administrations, 1 condition
  ASSERT_EQ(c.input.ignored.size(), 1u);
  EXPECT_EQ(c.input.ignored[0].kind, "medications");
  EXPECT_EQ(c.input.ignored[0].reason, "not_in_knowledge_base");
  EXPECT_EQ(c.input.ignored[0].count, 1);
  EXPECT_EQ(c.input.sha256.size(), 64u);

  // Patient: age from birth_date at T0 (1964-03-02 -> 62 on 2026-11-20).
  EXPECT_EQ(c.patient_id, "p-aml-017");
  EXPECT_EQ(c.age_years, 62);
  EXPECT_EQ(c.age_source, "/patient/birth_date");
  EXPECT_EQ(c.sex, Sex::kMale);
  EXPECT_EQ(c.sex_source, "/patient/sex");
  ASSERT_TRUE(c.weight.has_value());
  EXPECT_EQ(c.weight->kg, F("78"));
  EXPECT_EQ(c.weight->measured_at, T("2026-11-19T08:00:00Z"));
  EXPECT_EQ(c.weight->source, "/patient/weight");
  EXPECT_EQ(c.height_cm, F("176"));
  EXPECT_EQ(FindWarning(c, "INPUT_WEIGHT_UNDATED"), nullptr);

  // Observations: 103.0 [degF] -> 39.44 Cel; ANC 0.08 10*3/uL -> 0.08 with its range.
  const Observation& t3 = ObsAt(c, "/observations/3");
  EXPECT_EQ(t3.kind, ObsKind::kTemperature);
  EXPECT_EQ(t3.value, F("39.44"));
  EXPECT_EQ(t3.route, TempRoute::kOral);
  EXPECT_EQ(t3.time, T("2026-11-20T13:30:00Z"));
  EXPECT_FALSE(t3.baseline);
  const Observation& t0 = ObsAt(c, "/observations/0");
  EXPECT_TRUE(t0.baseline);
  EXPECT_EQ(t0.value, F("36.8"));
  const Observation& anc = ObsAt(c, "/observations/23");
  EXPECT_EQ(anc.kind, ObsKind::kAnc);
  EXPECT_EQ(anc.value, F("0.08"));
  EXPECT_EQ(anc.ref_low, F("1.8"));
  EXPECT_EQ(anc.ref_high, F("7.7"));
  EXPECT_EQ(anc.comparator, Comparator::kNone);
  const Observation& myo = ObsAt(c, "/observations/27");
  EXPECT_EQ(myo.kind, ObsKind::kMyoglobin);
  EXPECT_FALSE(myo.ref_low.has_value());
  EXPECT_EQ(myo.ref_high, F("85"));
  EXPECT_EQ(ObsAt(c, "/observations/15").kind, ObsKind::kGcs);
  EXPECT_EQ(ObsAt(c, "/observations/15").value, F("12"));
  EXPECT_EQ(ObsAt(c, "/observations/4").route, TempRoute::kNotGiven);

  // Findings.
  const Findings& f = c.findings;
  EXPECT_EQ(f.assessed_at, T("2026-11-20T13:30:00Z"));
  EXPECT_EQ(f.rigidity, Rigidity::kSevere);
  EXPECT_EQ(f.rigidity_source, "/findings/rigidity");
  EXPECT_EQ(f.mental_status, MentalStatus::kDelirious);
  EXPECT_EQ(f.bowel_sounds, BowelSounds::kDecreased);
  EXPECT_EQ(f.get(Finding::kDiaphoresis), Tri::kTrue);
  EXPECT_EQ(f.source(Finding::kDiaphoresis), "/findings/diaphoresis");
  EXPECT_EQ(f.get(Finding::kCatatonia), Tri::kFalse);
  EXPECT_EQ(f.get(Finding::kAutonomicInstability), Tri::kUnknown);
  EXPECT_EQ(f.source(Finding::kAutonomicInstability), "");
  EXPECT_EQ(f.get(Finding::kHeadache), Tri::kUnknown);

  // Medications.
  ASSERT_EQ(c.medications.size(), 6u);
  const Medication& meto = c.medications[0];
  EXPECT_EQ(meto.name, "metoclopramide");
  EXPECT_EQ(meto.rxnorm, "6915");
  ASSERT_FALSE(meto.ingredients.empty());
  EXPECT_EQ(meto.ingredients[0], Kb().FindDrug("metoclopramide"));
  EXPECT_EQ(meto.route, MedRoute::kIv);
  EXPECT_EQ(meto.status, MedStatus::kActive);
  EXPECT_EQ(meto.start, T("2026-11-16T08:00:00Z"));
  EXPECT_EQ(meto.last_administered, T("2026-11-20T06:00:00Z"));
  EXPECT_TRUE(meto.used_as_antiemetic);  // "chemotherapy-induced nausea"
  EXPECT_FALSE(meto.long_acting);
  EXPECT_EQ(meto.dose, "10 mg IV every 8 hours");
  ASSERT_EQ(meto.administrations.size(), 2u);
  EXPECT_EQ(meto.administrations[1].at, T("2026-11-20T06:00:00Z"));
  EXPECT_EQ(meto.administrations[1].dose_mg, F("10"));
  EXPECT_FALSE(meto.administrations[1].dose_mg_per_kg.has_value());
  EXPECT_EQ(meto.administrations[1].source, "/medications/0/administrations/1");
  EXPECT_EQ(meto.source, "/medications/0");
  const Medication& olz = c.medications[1];
  ASSERT_FALSE(olz.ingredients.empty());
  EXPECT_EQ(olz.ingredients[0], Kb().FindDrug("olanzapine"));
  EXPECT_TRUE(olz.used_as_antiemetic);
  EXPECT_EQ(c.medications[2].status, MedStatus::kCompleted);
  EXPECT_EQ(c.medications[2].stop, T("2026-11-14T20:00:00Z"));
  EXPECT_FALSE(c.medications[2].used_as_antiemetic);  // "AML induction"
  EXPECT_FALSE(c.medications[4].used_as_antiemetic);  // "antibacterial prophylaxis"
  const Medication& acyclovir = c.medications[5];
  EXPECT_EQ(acyclovir.name, "acyclovir");
  EXPECT_TRUE(acyclovir.ingredients.empty());
  const InputWarning* w = FindWarning(c, "INPUT_MEDICATION_NOT_RECOGNISED");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->text, "Not in the knowledge base and not used by any rule: acyclovir.");
  ASSERT_EQ(w->facts.size(), 1u);
  EXPECT_EQ(w->facts[0], (std::pair<std::string, std::string>("medication", "acyclovir")));
  EXPECT_EQ(w->sources, std::vector<std::string>{"/medications/5"});

  // Conditions: concepts from the knowledge base.
  ASSERT_EQ(c.conditions.size(), 1u);
  const Condition& aml = c.conditions[0];
  EXPECT_EQ(aml.system, "http://snomed.info/sct");
  EXPECT_EQ(aml.code, "91861009");
  EXPECT_EQ(aml.status, ConditionStatus::kActive);
  EXPECT_EQ(aml.onset, T("2026-11-02T00:00:00Z"));
  EXPECT_EQ(aml.concepts, Kb().MatchConcepts(aml.system, aml.code, aml.text));
  EXPECT_EQ(aml.source, "/conditions/0");
  EXPECT_FALSE(c.procedures_supplied);

  // Context.
  const Context& ctx = c.context;
  EXPECT_EQ(ctx.iv_access, IvAccess::kCentral);
  EXPECT_EQ(ctx.iv_access_source, "/context/iv_access");
  EXPECT_EQ(ctx.malignancy, Malignancy::kHematologic);
  EXPECT_EQ(ctx.burden_of_illness, Burden::kSevere);
  EXPECT_EQ(ctx.penicillin_allergy, PenicillinAllergy::kNone);
  EXPECT_EQ(ctx.location, Location::kOther);
  EXPECT_EQ(ctx.expected_neutropenia_days, F("14"));
  EXPECT_EQ(ctx.expected_neutropenia_days_source, "/context/expected_neutropenia_days");
  EXPECT_EQ(ctx.last_chemotherapy_at, T("2026-11-14T20:00:00Z"));
  EXPECT_EQ(ctx.last_chemotherapy_source, "/context/last_chemotherapy_at");
  EXPECT_EQ(ctx.get(CtxFlag::kCentralLine), Tri::kTrue);
  EXPECT_EQ(ctx.source(CtxFlag::kCentralLine), "/context/central_line");
  EXPECT_EQ(ctx.get(CtxFlag::kOutpatientAtFeverOnset), Tri::kFalse);
  EXPECT_EQ(ctx.get(CtxFlag::kHospitalizedAtFeverOnset), Tri::kTrue);
  EXPECT_EQ(ctx.get(CtxFlag::kWorkupNegative), Tri::kFalse);
  EXPECT_EQ(ctx.source(CtxFlag::kWorkupNegative), "/context/workup_negative_for_other_causes");
  EXPECT_EQ(ctx.anesthesia.volatile_agent, Tri::kFalse);
  EXPECT_EQ(ctx.anesthesia.succinylcholine, Tri::kFalse);
  EXPECT_FALSE(ctx.anesthesia.at.has_value());
  EXPECT_EQ(ctx.anesthesia.source, "/context/anesthesia");
}

TEST(CaseReader, MinimalExample) {
  Result<Case> r = Read(Minimal());
  ASSERT_TRUE(r.ok()) << Dump(r);
  const Case& c = *r;
  EXPECT_EQ(c.assessed_at, T("2026-11-20T09:15:00Z"));
  EXPECT_EQ(c.input.read, 2);
  EXPECT_TRUE(c.input.ignored.empty());
  EXPECT_TRUE(c.input_warnings.empty());
  EXPECT_FALSE(c.age_years.has_value());
  EXPECT_EQ(c.sex, Sex::kUnknown);
  EXPECT_FALSE(c.weight.has_value());
  EXPECT_FALSE(c.episode_onset.has_value());
  EXPECT_FALSE(c.clinician_suspected_nms);
  EXPECT_TRUE(c.medications_supplied);
  EXPECT_FALSE(c.conditions_supplied);
  ASSERT_EQ(c.medications.size(), 1u);
  EXPECT_EQ(c.medications[0].ingredients, std::vector<int>{Kb().FindDrug("haloperidol")});
  EXPECT_EQ(c.medications[0].status, MedStatus::kActive);
  EXPECT_EQ(c.medications[0].route, MedRoute::kNotGiven);
  EXPECT_FALSE(c.medications[0].last_administered.has_value());
  EXPECT_EQ(c.findings.get(Finding::kRigidityRefractory), Tri::kUnknown);
  EXPECT_EQ(c.context.iv_access, IvAccess::kUnknown);
}

TEST(CaseReader, AtOverrideReplacesAssessedAt) {
  ReadOptions options;
  options.at_override = T("2026-11-20T12:00:00Z");
  Result<Case> r = Read(Minimal(), options);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->assessed_at, T("2026-11-20T12:00:00Z"));
  EXPECT_EQ(r->input.assessed_at_source, AssessedAtSource::kOverride);
}

TEST(CaseReader, FractionalSecondsAndOffsetsAreTruncatedToUtc) {
  json doc = Minimal();
  doc["assessed_at"] = "2026-11-20T10:15:00.999+01:00";
  doc["observations"][0]["time"] = "2026-11-20T09:00:00.123456789Z";
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->assessed_at, T("2026-11-20T09:15:00Z"));
  EXPECT_EQ(r->observations[0].time, T("2026-11-20T09:00:00Z"));
}

TEST(CaseReader, UnitConversions) {
  json doc = Minimal();
  doc["observations"] = json::array({
      {{"kind", "temperature"}, {"value", 100.4}, {"unit", "[degF]"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "temperature"}, {"value", 104.0}, {"unit", "[degF]"}, {"time", "2026-11-20T08:00:00Z"}},
      {{"kind", "anc"}, {"value", 400}, {"unit", "/uL"}, {"time", "2026-11-20T08:00:00Z"},
       {"reference_range", {{"low", 1800}, {"high", 7700}}}},
      {{"kind", "anc"}, {"value", 0.1}, {"unit", "10*9/L"}, {"comparator", "<"}, {"time", "2026-11-20T07:00:00Z"}},
      {{"kind", "bilirubin_total"}, {"value", 20.5}, {"unit", "umol/L"}, {"time", "2026-11-20T08:00:00Z"},
       {"reference_range", {{"high", 20.5}}}},
      {{"kind", "creatinine"}, {"value", 97}, {"unit", "umol/L"}, {"time", "2026-11-20T08:00:00Z"}},
      {{"kind", "ck"}, {"value", 2}, {"unit", "ukat/L"}, {"time", "2026-11-20T08:00:00Z"}},
      {{"kind", "glucose"}, {"value", 5.5}, {"unit", "mmol/L"}, {"time", "2026-11-20T08:00:00Z"}},
      {{"kind", "wbc"}, {"value", 0.4}, {"unit", "10*3/uL"}, {"time", "2026-11-20T08:00:00Z"}},
      {{"kind", "gcs"}, {"value", 14.0}, {"unit", "1"}, {"time", "2026-11-20T08:00:00Z"}},
  });
  doc["patient"]["weight"] = {{"value", 154}, {"unit", "[lb_av]"}, {"measured_at", "2026-11-19T08:00:00Z"}};
  doc["patient"]["height"] = {{"value", 1.76}, {"unit", "m"}};
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  const Case& c = *r;
  EXPECT_EQ(c.observations[0].value, F("38.00"));
  EXPECT_EQ(c.observations[1].value, F("40.00"));
  EXPECT_EQ(c.observations[2].value, F("0.4"));
  EXPECT_EQ(c.observations[2].ref_low, F("1.8"));
  EXPECT_EQ(c.observations[2].ref_high, F("7.7"));
  EXPECT_EQ(c.observations[3].value, F("0.1"));
  EXPECT_EQ(c.observations[3].comparator, Comparator::kLt);
  EXPECT_EQ(c.observations[4].value, F("1.20"));
  EXPECT_EQ(c.observations[4].ref_high, F("1.20"));
  EXPECT_EQ(c.observations[5].value, F("1.10"));
  EXPECT_EQ(c.observations[6].value, F("120"));
  EXPECT_EQ(c.observations[7].value, F("99"));
  EXPECT_EQ(c.observations[8].value, F("0.4"));
  EXPECT_EQ(c.observations[9].value, F("14"));
  EXPECT_EQ(c.weight->kg, F("69.9"));  // 154 x 0.45359237 = 69.853...
  EXPECT_EQ(c.height_cm, F("176"));
  EXPECT_EQ(FindWarning(c, "INPUT_WEIGHT_UNDATED"), nullptr);
}

TEST(CaseReader, UndatedWeightWarns) {
  json doc = Minimal();
  doc["patient"]["weight"] = {{"value", 70500}, {"unit", "g"}};
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->weight->kg, F("70.5"));
  EXPECT_FALSE(r->weight->measured_at.has_value());
  const InputWarning* w = FindWarning(*r, "INPUT_WEIGHT_UNDATED");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->text, "The weight has no measurement time and was taken as current.");
  EXPECT_EQ(w->sources, std::vector<std::string>{"/patient/weight"});
}

TEST(CaseReader, AgeYearsAndSex) {
  json doc = Minimal();
  doc["patient"]["age_years"] = 45.0;  // an integer-valued number is an integer (JSON Schema)
  doc["patient"]["birth_date"] = "1981-11-20";  // 45th birthday on T0's day
  doc["patient"]["sex"] = "other";
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->age_years, 45);
  EXPECT_EQ(r->age_source, "/patient/age_years");
  EXPECT_EQ(r->sex, Sex::kOther);
  doc["patient"]["sex"] = "unknown";
  doc["patient"].erase("age_years");
  doc["patient"]["birth_date"] = "1981-11-21";  // 45th birthday tomorrow
  r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->age_years, 44);
  EXPECT_EQ(r->sex, Sex::kUnknown);
  EXPECT_EQ(r->sex_source, "/patient/sex");
}

TEST(CaseReader, ConflictingValuesWarnOnce) {
  json doc = Minimal();
  doc["observations"] = json::array({
      {{"kind", "temperature"}, {"value", 38.9}, {"unit", "Cel"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "temperature"}, {"value", 102.02}, {"unit", "[degF]"}, {"time", "2026-11-20T09:00:00Z"}},  // 38.9
      {{"kind", "heart_rate"}, {"value", 110}, {"unit", "/min"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "heart_rate"}, {"value", 120}, {"unit", "/min"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "heart_rate"}, {"value", 100}, {"unit", "/min"}, {"time", "2026-11-20T08:00:00Z"}},
  });
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->observations[1].value, F("38.9"));
  const InputWarning* w = FindWarning(*r, "INPUT_CONFLICTING_VALUES");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("heart_rate at 2026-11-20T09:00:00Z"), std::string::npos) << w->text;
  EXPECT_EQ(w->text.find("temperature"), std::string::npos) << w->text;  // same value: no conflict
  EXPECT_EQ(w->sources, (std::vector<std::string>{"/observations/2", "/observations/3"}));
  EXPECT_EQ(std::count_if(r->input_warnings.begin(), r->input_warnings.end(),
                          [](const InputWarning& x) { return x.code == "INPUT_CONFLICTING_VALUES"; }),
            1);
  // Two kind/time pairs still give one warning naming both.
  doc["observations"][1]["value"] = 103;
  r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  w = FindWarning(*r, "INPUT_CONFLICTING_VALUES");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("temperature at 2026-11-20T09:00:00Z"), std::string::npos) << w->text;
  EXPECT_NE(w->text.find("heart_rate at 2026-11-20T09:00:00Z"), std::string::npos) << w->text;
}

TEST(CaseReader, MedicationMatchingAndDerivedMembers) {
  json doc = Minimal();
  doc["medications"] = json::array({
      {{"name", "Haloperidol decanoate 50 mg/mL"}, {"administrations", {{{"at", "2026-10-30T10:00:00Z"}, {"dose_mg", 50}}}}},
      {{"name", "prochlorperazine"}, {"indication", "Nausea and VOMITING"}},
      {{"name", "ondansetron"}, {"indication", "nauseated"}, {"status", "on_hold"}},  // whole words only
      {{"name", "olanzapine"}, {"indication", "nausea"}, {"used_as_antiemetic", false}},  // explicit wins
      {{"name", "not a drug at all"}, {"rxnorm", "6915"}},  // RxNorm code wins over the name
      {{"name", "olanzapine"}, {"rxnorm", "9999999999"}},    // unknown code: falls back to the name
      {{"name", "zzzmadeupol"}, {"status", "not_taken"}},
      {{"name", "zzzmadeupin"}, {"status", "entered_in_error"}},
      {{"name", "zzzmadeupan"}},
      {{"name", "qqqnothing"}, {"status", "stopped"}},
      {{"name", "dantrolene"},
       {"last_administered", "2026-11-20T08:00:00Z"},
       {"administrations", {{{"at", "2026-11-20T09:00:00Z"}, {"dose_mg_per_kg", 1}}}}},
      {{"name", "haloperidol"},
       {"administrations", {{{"at", "2026-11-20T07:00:00Z"}}, {{"at", "2026-11-20T10:00:00Z"}}, {{"at", "2026-11-20T05:00:00Z"}}}}},
  });
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  const auto& m = r->medications;
  ASSERT_EQ(m.size(), 12u);
  EXPECT_EQ(m[0].ingredients, std::vector<int>{Kb().FindDrug("haloperidol")});
  EXPECT_TRUE(m[0].long_acting);
  EXPECT_EQ(m[0].last_administered, T("2026-10-30T10:00:00Z"));
  EXPECT_TRUE(m[1].used_as_antiemetic);
  EXPECT_FALSE(m[2].used_as_antiemetic);
  EXPECT_EQ(m[2].status, MedStatus::kOnHold);
  EXPECT_FALSE(m[3].used_as_antiemetic);
  EXPECT_EQ(m[4].ingredients, std::vector<int>{Kb().FindDrug("metoclopramide")});
  EXPECT_EQ(m[5].ingredients, std::vector<int>{Kb().FindDrug("olanzapine")});
  EXPECT_EQ(m[6].status, MedStatus::kNotTaken);
  EXPECT_EQ(m[7].status, MedStatus::kEnteredInError);
  EXPECT_TRUE(m[8].ingredients.empty());
  EXPECT_EQ(m[10].last_administered, T("2026-11-20T08:00:00Z"));  // explicit wins
  EXPECT_EQ(m[10].administrations[0].dose_mg_per_kg, F("1"));
  EXPECT_EQ(m[11].last_administered, T("2026-11-20T10:00:00Z"));  // latest administration (after T0 too)
  EXPECT_EQ(r->input.read, 1 + 12 + 5);  // observations, medications, administrations
  std::vector<std::tuple<std::string, std::string, int>> ignored;
  for (const auto& i : r->input.ignored) ignored.emplace_back(i.kind, i.reason, i.count);
  EXPECT_EQ(ignored, (std::vector<std::tuple<std::string, std::string, int>>{
                         {"medications", "entered_in_error", 1},
                         {"medications", "not_in_knowledge_base", 2},
                         {"medications", "status_excluded", 1}}));
  const InputWarning* w = FindWarning(*r, "INPUT_MEDICATION_NOT_RECOGNISED");
  ASSERT_NE(w, nullptr);
  // Sorted by name, whatever the input order (determinism, interfaces §5.1).
  EXPECT_EQ(w->text, "Not in the knowledge base and not used by any rule: qqqnothing, zzzmadeupan.");
  EXPECT_EQ(w->sources, (std::vector<std::string>{"/medications/9", "/medications/8"}));
  ASSERT_EQ(w->facts.size(), 2u);
  EXPECT_EQ(w->facts[1].first, "medication");
  EXPECT_EQ(w->facts[1].second, "zzzmadeupan");
}

TEST(CaseReader, ConditionsProceduresAnesthesia) {
  json doc = Minimal();
  doc["conditions"] = json::array({{{"text", "Cirrhosis of liver"}, {"status", "past"}},
                                   {{"system", "http://hl7.org/fhir/sid/icd-10-cm"}, {"code", "J44.9"}, {"status", "refuted"}}});
  doc["procedures"] = json::array({{{"kind", "ect"}, {"time", "2026-11-18T08:00:00Z"}}});
  doc["context"] = {{"anesthesia", {{"volatile_agent", true}, {"at", "2026-11-20T07:00:00Z"}}},
                    {"fever_onset_at", "2026-11-20T06:00:00Z"},
                    {"antibiotics_started_at", "2026-11-20T07:00:00Z"},
                    {"hospitalized_at_fever_onset", false},
                    {"outpatient_at_fever_onset", false}};
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  ASSERT_EQ(r->conditions.size(), 2u);
  EXPECT_EQ(r->conditions[0].status, ConditionStatus::kPast);
  EXPECT_EQ(r->conditions[0].concepts, Kb().MatchConcepts("", "", "Cirrhosis of liver"));
  EXPECT_EQ(r->conditions[1].status, ConditionStatus::kRefuted);
  EXPECT_EQ(r->conditions[1].concepts, Kb().MatchConcepts("http://hl7.org/fhir/sid/icd-10-cm", "J44.9", ""));
  EXPECT_TRUE(r->procedures_supplied);
  ASSERT_EQ(r->procedures.size(), 1u);
  EXPECT_EQ(r->procedures[0].time, T("2026-11-18T08:00:00Z"));
  EXPECT_EQ(r->procedures[0].source, "/procedures/0");
  EXPECT_EQ(r->context.anesthesia.volatile_agent, Tri::kTrue);
  EXPECT_EQ(r->context.anesthesia.succinylcholine, Tri::kUnknown);
  EXPECT_EQ(r->context.anesthesia.at, T("2026-11-20T07:00:00Z"));
  EXPECT_EQ(r->context.fever_onset_at, T("2026-11-20T06:00:00Z"));
  EXPECT_EQ(r->context.antibiotics_started_at, T("2026-11-20T07:00:00Z"));
  EXPECT_EQ(r->input.read, 2 + 2 + 1);
}

TEST(CaseReader, DataAfterT0IsNotAnError) {
  json doc = Minimal();
  doc["observations"].push_back({{"kind", "ck"}, {"value", 5000}, {"unit", "U/L"}, {"time", "2026-11-21T09:00:00Z"}});
  doc["medications"][0]["start"] = "2026-11-21T10:00:00Z";
  doc["medications"][0]["administrations"] = {{{"at", "2026-11-22T10:00:00Z"}}};
  doc["procedures"] = json::array({{{"kind", "ect"}, {"time", "2026-11-22T08:00:00Z"}}});
  doc["extensions"] = {{"anything", {{"goes", json::array({1, "x", nullptr})}}}};
  Result<Case> r = Read(doc);
  ASSERT_TRUE(r.ok()) << Dump(r);
  EXPECT_EQ(r->observations.size(), 2u);
}

// ---- Pass 1: schema problems ------------------------------------------------------------------------------

TEST(CaseReader, WrongTypes) {
  json doc = Complete();
  doc["clinician_suspected_nms"] = "yes";
  doc["patient"]["age_years"] = "62";
  doc["observations"][0]["value"] = "36.8";
  doc["observations"][1]["baseline"] = 1;
  doc["findings"]["diaphoresis"] = nullptr;
  doc["medications"][0]["long_acting"] = "false";
  doc["medications"][1]["administrations"] = json::object();
  doc["context"]["expected_neutropenia_days"] = true;  // booleans are not numbers
  doc["conditions"] = json::object();
  doc["findings"]["rigidity"] = 3;
  doc["patient"]["age_years"] = 62.5;
  ExpectIssues(doc, {{"wrong_type", "/clinician_suspected_nms"},
                     {"wrong_type", "/patient/age_years"},
                     {"wrong_type", "/observations/0/value"},
                     {"wrong_type", "/observations/1/baseline"},
                     {"wrong_type", "/findings/diaphoresis"},
                     {"wrong_type", "/findings/rigidity"},
                     {"wrong_type", "/medications/0/long_acting"},
                     {"wrong_type", "/medications/1/administrations"},
                     {"wrong_type", "/context/expected_neutropenia_days"},
                     {"wrong_type", "/conditions"}});
  ExpectIssue(json::array(), "wrong_type", "");
}

TEST(CaseReader, UnknownMembers) {
  json doc = Complete();
  doc["asessed_at"] = "2026-11-20T14:00:00Z";
  doc["findings"]["diaphoresys"] = true;  // misspelt finding: never silently unknown
  doc["patient"]["weight"]["when"] = "2026-11-19T08:00:00Z";
  doc["observations"][2]["reference_range"]["uln"] = 5;
  doc["medications"][0]["administrations"][0]["route"] = "iv";
  doc["context"]["anesthesia"]["agent"] = "sevoflurane";
  doc["conditions"][0]["a/b~c"] = 1;
  doc["extensions"] = {{"free", {{"form", true}}}};  // allowed
  ExpectIssues(doc, {{"unknown_member", "/asessed_at"},
                     {"unknown_member", "/findings/diaphoresys"},
                     {"unknown_member", "/patient/weight/when"},
                     {"unknown_member", "/observations/2/reference_range/uln"},
                     {"unknown_member", "/medications/0/administrations/0/route"},
                     {"unknown_member", "/context/anesthesia/agent"},
                     {"unknown_member", "/conditions/0/a~1b~0c"}});
  Result<Case> r = Read(doc);
  for (const Issue& i : r.error().issues) {
    if (i.location == "/findings/diaphoresys") {
      EXPECT_NE(i.message.find("did you mean 'diaphoresis'?"), std::string::npos) << i.message;
    }
  }
}

TEST(CaseReader, EnumValues) {
  json doc = Complete();
  doc["patient"]["sex"] = "M";
  doc["observations"][0]["kind"] = "temp";
  doc["observations"][3]["route"] = "forehead";
  doc["observations"][5]["comparator"] = "=";
  doc["findings"]["rigidity"] = "lead-pipe";
  doc["findings"]["mental_status"] = "Delirious";
  doc["medications"][0]["status"] = "discontinued";
  doc["medications"][0]["route"] = "po";
  doc["conditions"][0]["system"] = "SNOMED";
  doc["context"]["iv_access"] = "picc";
  doc["format"] = "nmscds";
  ExpectIssues(doc, {{"enum_value", "/patient/sex"},
                     {"enum_value", "/observations/0/kind"},
                     {"unknown_member", "/observations/0/route"},  // route with a kind other than temperature
                     {"enum_value", "/observations/3/route"},
                     {"enum_value", "/observations/5/comparator"},
                     {"enum_value", "/findings/rigidity"},
                     {"enum_value", "/findings/mental_status"},
                     {"enum_value", "/medications/0/status"},
                     {"enum_value", "/medications/0/route"},
                     {"enum_value", "/conditions/0/system"},
                     {"enum_value", "/context/iv_access"},
                     {"enum_value", "/format"}});
}

TEST(CaseReader, MissingRequired) {
  json doc = Complete();
  doc.erase("assessed_at");
  doc["patient"].erase("id");
  doc["observations"][0].erase("unit");
  doc["observations"][1].erase("time");
  doc["medications"][0].erase("name");
  doc["medications"][0]["administrations"][0].erase("at");
  doc["patient"]["weight"].erase("unit");
  doc["conditions"][0].erase("status");
  doc["procedures"] = json::array({{{"kind", "ect"}}});
  doc["observations"][2]["reference_range"] = json::object();
  ExpectIssues(doc, {{"missing_required", "/assessed_at"},
                     {"missing_required", "/patient/id"},
                     {"missing_required", "/patient/weight/unit"},
                     {"missing_required", "/observations/0/unit"},
                     {"missing_required", "/observations/1/time"},
                     {"missing_required", "/observations/2/reference_range"},
                     {"missing_required", "/medications/0/name"},
                     {"missing_required", "/medications/0/administrations/0/at"},
                     {"missing_required", "/conditions/0/status"},
                     {"missing_required", "/procedures/0/time"}});
  ExpectIssues(json::object(), {{"missing_required", "/format"},
                                {"missing_required", "/format_version"},
                                {"missing_required", "/patient"},
                                {"missing_required", "/assessed_at"}});
}

TEST(CaseReader, FormatVersion) {
  json doc = Minimal();
  doc["format_version"] = 2;
  ExpectIssue(doc, "unsupported_version", "/format_version");
  doc["format_version"] = "1";
  ExpectIssue(doc, "wrong_type", "/format_version");
  doc["format_version"] = 1.0;
  EXPECT_TRUE(Read(doc).ok());
}

TEST(CaseReader, UnitsPerKind) {
  json doc = Minimal();
  doc["observations"][0]["unit"] = "F";
  Result<Case> r = Read(doc);
  ExpectIssue(doc, "unit_not_accepted", "/observations/0/unit");
  EXPECT_EQ(r.error().issues[0].message, "'F' is not accepted for temperature (use Cel or [degF])");
  doc = Minimal();
  doc["observations"].push_back({{"kind", "creatinine"}, {"value", 1.1}, {"unit", "mg/dl"}, {"time", "2026-11-20T08:00:00Z"}});
  r = Read(doc);
  ExpectIssue(doc, "unit_not_accepted", "/observations/1/unit");
  EXPECT_EQ(r.error().issues[0].message, "'mg/dl' is not accepted for creatinine (use mg/dL or umol/L)");
  doc = Minimal();
  doc["patient"]["weight"] = {{"value", 70}, {"unit", "lb"}};
  ExpectIssue(doc, "unit_not_accepted", "/patient/weight/unit");
  doc = Minimal();
  doc["observations"][0]["unit"] = 7;
  ExpectIssue(doc, "wrong_type", "/observations/0/unit");
}

TEST(CaseReader, RouteOnlyOnTemperature) {
  json doc = Minimal();
  doc["observations"].push_back(
      {{"kind", "heart_rate"}, {"value", 120}, {"unit", "/min"}, {"time", "2026-11-20T08:00:00Z"}, {"route", "oral"}});
  ExpectIssue(doc, "unknown_member", "/observations/1/route");
}

TEST(CaseReader, GcsIsAnIntegerFrom3To15) {
  json doc = Minimal();
  doc["observations"].push_back({{"kind", "gcs"}, {"value", 2}, {"unit", "{score}"}, {"time", "2026-11-20T08:00:00Z"}});
  ExpectIssue(doc, "out_of_range", "/observations/1/value");
  doc["observations"][1]["value"] = 14.5;
  ExpectIssue(doc, "wrong_type", "/observations/1/value");
  doc["observations"][1]["value"] = 16;
  ExpectIssue(doc, "out_of_range", "/observations/1/value");
  doc["observations"][1]["value"] = 15.0;
  EXPECT_TRUE(Read(doc).ok());
}

TEST(CaseReader, SchemaNumericBounds) {
  json doc = Minimal();
  doc["patient"]["weight"] = {{"value", -70}, {"unit", "kg"}};
  doc["patient"]["height"] = {{"value", 0}, {"unit", "cm"}};
  doc["patient"]["age_years"] = 131;
  doc["medications"][0]["long_acting_interval_days"] = 0;
  doc["medications"][0]["administrations"] = {{{"at", "2026-11-20T08:00:00Z"}, {"dose_mg", -1}}};
  doc["context"] = {{"expected_neutropenia_days", 366}};
  ExpectIssues(doc, {{"out_of_range", "/patient/weight/value"},
                     {"out_of_range", "/patient/height/value"},
                     {"out_of_range", "/patient/age_years"},
                     {"out_of_range", "/medications/0/long_acting_interval_days"},
                     {"out_of_range", "/medications/0/administrations/0/dose_mg"},
                     {"out_of_range", "/context/expected_neutropenia_days"}});
}

TEST(CaseReader, StringsAndPatterns) {
  json doc = Minimal();
  doc["patient"]["id"] = "p 001";
  doc["observations"][0]["id"] = std::string(65, 'a');
  doc["medications"][0]["rxnorm"] = "RX123";
  doc["medications"].push_back({{"name", ""}});
  doc["medications"].push_back({{"name", std::string(201, 'x')}});
  doc["medications"].push_back({{"name", "x"}, {"dose", std::string(201, 'x')}});
  doc["conditions"] = json::array({{{"system", "http://snomed.info/sct"}, {"code", std::string(33, '1')}, {"status", "active"}}});
  doc["patient"]["birth_date"] = "1964-3-2";
  ExpectIssues(doc, {{"unsupported_value", "/patient/id"},
                     {"time_format", "/patient/birth_date"},
                     {"unsupported_value", "/observations/0/id"},
                     {"unsupported_value", "/medications/0/rxnorm"},
                     {"out_of_range", "/medications/1/name"},
                     {"out_of_range", "/medications/2/name"},
                     {"out_of_range", "/medications/3/dose"},
                     {"out_of_range", "/conditions/0/code"}});
  // Lengths count characters (code points), not bytes.
  doc = Minimal();
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xC3\xA9";  // 200 x U+00E9
  doc["medications"][0]["name"] = name;
  EXPECT_TRUE(Read(doc).ok());
}

TEST(CaseReader, TimestampsWithoutZoneAndBadPatterns) {
  json doc = Minimal();
  doc["assessed_at"] = "2026-11-20T14:00:00";
  doc["observations"][0]["time"] = "2026-11-20 09:00:00Z";
  doc["medications"][0]["start"] = "2026-11-18";
  doc["episode_onset"] = "2026-11-20T02:00:00.1234567890Z";
  Result<Case> r = Read(doc);
  ExpectIssues(doc, {{"time_format", "/assessed_at"},
                     {"time_format", "/observations/0/time"},
                     {"time_format", "/medications/0/start"},
                     {"time_format", "/episode_onset"}});
  for (const Issue& i : r.error().issues) {
    if (i.location == "/assessed_at") {
      EXPECT_NE(i.message.find("no UTC offset"), std::string::npos) << i.message;
    }
  }
}

TEST(CaseReader, DosesAnesthesiaConditions) {
  json doc = Minimal();
  doc["medications"][0]["administrations"] = {{{"at", "2026-11-20T08:00:00Z"}, {"dose_mg", 70}, {"dose_mg_per_kg", 1}}};
  doc["context"] = {{"anesthesia", {{"succinylcholine", true}, {"volatile_agent", false}}}};
  doc["conditions"] = json::array({{{"code", "91861009"}, {"status", "active"}},
                                   {{"system", "http://snomed.info/sct"}, {"text", "AML"}, {"status", "active"}},
                                   {{"status", "active"}, {"onset", "2026-11-02T00:00:00Z"}}});
  ExpectIssues(doc, {{"unsupported_element", "/medications/0/administrations/0"},
                     {"missing_required", "/context/anesthesia/at"},
                     {"missing_required", "/conditions/0/system"},
                     {"missing_required", "/conditions/1/code"},
                     {"missing_required", "/conditions/2"}});
  // false flags need no time.
  doc = Minimal();
  doc["context"] = {{"anesthesia", {{"succinylcholine", false}}}};
  EXPECT_TRUE(Read(doc).ok());
}

TEST(CaseReader, TooManyElements) {
  json doc = Minimal();
  doc["procedures"] = json::array();
  for (int i = 0; i < 10001; ++i) doc["procedures"].push_back({{"kind", "ect"}, {"time", "2026-11-18T08:00:00Z"}});
  ExpectIssue(doc, "too_large", "/procedures");
}

// ---- Pass 2: semantic problems ----------------------------------------------------------------------------

TEST(CaseReader, PlausibleRanges) {
  json doc = Minimal();
  doc["observations"] = json::array({
      {{"kind", "temperature"}, {"value", 80}, {"unit", "Cel"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "temperature"}, {"value", 176}, {"unit", "[degF]"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "anc"}, {"value", -1}, {"unit", "10*9/L"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "anc"}, {"value", 1001}, {"unit", "10*9/L"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "ck"}, {"value", 1e300}, {"unit", "U/L"}, {"time", "2026-11-20T09:00:00Z"}},
      {{"kind", "heart_rate"}, {"value", 300}, {"unit", "/min"}, {"time", "2026-11-20T09:00:00Z"}},  // edge: ok
  });
  doc["patient"]["weight"] = {{"value", 0.2}, {"unit", "kg"}};
  doc["patient"]["height"] = {{"value", 300}, {"unit", "cm"}};
  Result<Case> r = Read(doc);
  ExpectIssues(doc, {{"out_of_range", "/observations/0/value"},
                     {"out_of_range", "/observations/1/value"},
                     {"out_of_range", "/observations/2/value"},
                     {"out_of_range", "/observations/3/value"},
                     {"out_of_range", "/observations/4/value"},
                     {"out_of_range", "/patient/weight/value"},
                     {"out_of_range", "/patient/height/value"}});
  for (const Issue& i : r.error().issues) {
    if (i.location == "/observations/1/value") {
      EXPECT_NE(i.message.find("176 [degF] (80 Cel)"), std::string::npos) << i.message;
    }
  }
  doc = Minimal();
  doc["patient"]["weight"] = {{"value", 1200}, {"unit", "[lb_av]"}};  // 544 kg
  ExpectIssue(doc, "out_of_range", "/patient/weight/value");
}

TEST(CaseReader, CalendarInvalidTimestamps) {
  json doc = Minimal();
  doc["observations"][0]["time"] = "2026-02-30T00:00:00Z";
  doc["medications"][0]["start"] = "2026-11-18T24:00:00Z";
  doc["patient"]["birth_date"] = "1964-02-30";
  doc["context"] = {{"fever_onset_at", "2026-11-20T06:00:60Z"}};
  ExpectIssues(doc, {{"time_format", "/observations/0/time"},
                     {"time_format", "/medications/0/start"},
                     {"time_format", "/patient/birth_date"},
                     {"time_format", "/context/fever_onset_at"}});
}

TEST(CaseReader, TimeOrder) {
  json doc = Minimal();
  doc["medications"][0]["stop"] = "2026-11-17T10:00:00Z";
  doc["episode_onset"] = "2026-11-20T09:15:01Z";
  doc["findings"] = {{"assessed_at", "2026-11-20T10:00:00+00:30"}};  // 09:30Z
  ExpectIssues(doc, {{"time_order", "/medications/0/stop"},
                     {"time_order", "/episode_onset"},
                     {"time_order", "/findings/assessed_at"}});
  // At T0 exactly is fine; an --at before episode_onset makes it an error.
  doc = Minimal();
  doc["episode_onset"] = "2026-11-20T09:15:00Z";
  doc["findings"] = {{"assessed_at", "2026-11-20T09:15:00Z"}};
  doc["medications"][0]["stop"] = "2026-11-18T10:00:00Z";
  EXPECT_TRUE(Read(doc).ok());
  ReadOptions earlier;
  earlier.at_override = T("2026-11-20T09:00:00Z");
  ExpectIssues(doc, {{"time_order", "/episode_onset"}, {"time_order", "/findings/assessed_at"}}, earlier);
}

TEST(CaseReader, AgeConsistency) {
  json doc = Complete();
  doc["patient"]["age_years"] = 61;
  ExpectIssue(doc, "inconsistent_age", "/patient/age_years");
  doc["patient"]["age_years"] = 62;
  EXPECT_TRUE(Read(doc).ok());
  doc["patient"].erase("age_years");
  doc["patient"]["birth_date"] = "2027-01-01";
  ExpectIssue(doc, "time_order", "/patient/birth_date");
}

TEST(CaseReader, ContextConsistency) {
  json doc = Minimal();
  doc["context"] = {{"hospitalized_at_fever_onset", true}, {"outpatient_at_fever_onset", true}};
  ExpectIssue(doc, "inconsistent_context", "/context/outpatient_at_fever_onset");
}

TEST(CaseReader, ReferenceRangeOrder) {
  json doc = Complete();
  doc["observations"][16]["reference_range"] = {{"low", 56}, {"high", 7}};
  ExpectIssue(doc, "invalid_range", "/observations/16/reference_range");
}

TEST(CaseReader, AllSemanticProblemsAtOnce) {
  json doc = Complete();
  doc["observations"][3]["value"] = 176;  // [degF]
  doc["observations"][23]["value"] = -1;  // ANC
  doc["observations"][0]["time"] = "2026-02-30T08:00:00Z";
  doc["medications"][2]["stop"] = "2026-11-01T00:00:00Z";
  doc["episode_onset"] = "2026-11-21T00:00:00Z";
  doc["findings"]["assessed_at"] = "2026-11-20T15:00:00Z";
  doc["patient"]["age_years"] = 30;
  doc["context"]["outpatient_at_fever_onset"] = true;
  doc["observations"][17]["reference_range"] = {{"low", 56}, {"high", 7}};
  doc["patient"]["weight"]["value"] = 501;
  ExpectIssues(doc, {{"out_of_range", "/observations/3/value"},
                     {"out_of_range", "/observations/23/value"},
                     {"time_format", "/observations/0/time"},
                     {"time_order", "/medications/2/stop"},
                     {"time_order", "/episode_onset"},
                     {"time_order", "/findings/assessed_at"},
                     {"inconsistent_age", "/patient/age_years"},
                     {"inconsistent_context", "/context/outpatient_at_fever_onset"},
                     {"invalid_range", "/observations/17/reference_range"},
                     {"out_of_range", "/patient/weight/value"}});
}

TEST(CaseReader, SemanticPassRunsOnlyAfterSchemaPass) {
  json doc = Minimal();
  doc["observations"][0]["value"] = 80;  // pass 2 problem
  doc["patient"]["sex"] = "M";           // pass 1 problem
  ExpectIssue(doc, "enum_value", "/patient/sex");
}

TEST(CaseReader, IsFast) {
  std::string bytes = ReadFile(ExampleDir() + "/case-fn-polypharmacy.json");
  JsonParser parser;
  auto root = parser.Parse(bytes);
  ASSERT_TRUE(root.ok());
  const KnowledgeBase& kb = Kb();
  ASSERT_TRUE(ReadNativeCase(*root, bytes, kb, {}).ok());
  constexpr int kRuns = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRuns; ++i) {
    Result<Case> r = ReadNativeCase(*root, bytes, kb, {});
    ASSERT_TRUE(r.ok());
  }
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kRuns;
  RecordProperty("microseconds_per_read", static_cast<int>(us));
  // Well under a millisecond in a release build; generous for unoptimised and sanitizer builds.
  EXPECT_LT(us, 5000.0);
}

}  // namespace
}  // namespace nmscds
