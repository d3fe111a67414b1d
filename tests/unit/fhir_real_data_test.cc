// Real FHIR data (../shared/data): every Synthea Bundle and every FHIR R4 example loads, with known outcomes.
// How a file without its Patient is loaded is decided in doc/interpretations.md ("FHIR real-data files"):
// single resources and Bundles without a Patient are read on the CDS channel with the patient taken from
// their subject, as a CDS service receives them.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "fhir_test_support.h"
#include "test_util.h"

namespace nmscds {
namespace {

using namespace fhirtest;  // NOLINT(google-build-using-namespace)

std::string DataDir(const std::string& sub) { return testing::SharedDir() + "/data/" + sub; }

std::vector<std::string> JsonFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first patient a resource or Bundle names ("Patient/pat2" -> "pat2").
std::string SubjectPatient(const std::string& text) {
  static const std::regex kRef("\"reference\"\\s*:\\s*\"Patient/([A-Za-z0-9.-]+)\"");
  std::smatch m;
  return std::regex_search(text, m, kRef) ? m[1].str() : std::string();
}

Result<Case> ReadAsCds(const std::string& text, const std::string& key, Instant t0) {
  Cds cds(SubjectPatient(text));
  cds.data.t0 = t0;
  cds.Add(key, json::parse(text));
  return cds.Read();
}

const Instant kLater = *ParseDateTime("2030-01-01T00:00:00Z");

TEST(FhirRealData, EverySyntheaBundleLoadsAsADocument) {
  const auto files = JsonFiles(DataDir("synthea-bundles"));
  ASSERT_EQ(files.size(), 5u);
  for (const std::string& f : files) {
    const std::string text = testing::ReadFile(f);
    JsonParser parser;
    auto root = parser.Parse(text);
    ASSERT_TRUE(root.ok()) << f;
    auto c = ReadFhirBundle(*root, text, Kb(), FhirBundleOptions{std::nullopt, kLater});
    ASSERT_TRUE(c.ok()) << f << IssuesText(c.error());
    EXPECT_EQ(c->input.bundle_type, "transaction");
    EXPECT_EQ(c->input.assessed_at_source, AssessedAtSource::kClock);
    EXPECT_FALSE(c->patient_id.empty());
    EXPECT_GT(c->input.read, 100) << f;
    EXPECT_GT(Ignored(*c, "Encounter", "unsupported_resource_type"), 0) << f;
    // The whole record runs through the engine.
    auto report = Assess(text, Kb(), AssessOptions{std::nullopt, kLater});
    EXPECT_TRUE(report.ok()) << f;
  }
}

// The five Synthea Bundles hold no temperature and no creatinine; the bulk export of the same generator
// does: its oral temperatures (8331-1) and blood creatinine (38483-4) are read as a CDS search result.
TEST(FhirRealData, SyntheaOralTemperatureAndBloodCreatinineAreRead) {
  std::istringstream lines(testing::ReadFile(DataDir("synthea-bulk/Observation.000.ndjson")));
  std::map<std::string, std::vector<json>> by_patient;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"8331-1\"") == std::string::npos && line.find("\"38483-4\"") == std::string::npos) continue;
    by_patient[SubjectPatient(line)].push_back(json::parse(line));
  }
  int temperatures = 0, creatinines = 0, febrile = 0;
  for (const auto& [patient, resources] : by_patient) {
    Cds cds(patient);
    cds.data.t0 = kLater;
    cds.Add("vitals", Searchset(resources));
    auto c = cds.Read();
    ASSERT_TRUE(c.ok()) << patient << IssuesText(c.error());
    ASSERT_EQ(c->observations.size(), resources.size()) << patient;
    for (const Observation& o : c->observations) {
      if (o.kind == ObsKind::kTemperature) {
        ++temperatures;
        EXPECT_EQ(o.route, TempRoute::kOral);
        febrile += o.value >= Fixed::FromInt(38);
      } else {
        ASSERT_EQ(o.kind, ObsKind::kCreatinine);
        ++creatinines;
      }
    }
  }
  EXPECT_EQ(temperatures, 91);  // data/README.md: 91 oral temperatures, 13 of them >= 38.0 Cel
  EXPECT_EQ(febrile, 13);
  EXPECT_EQ(creatinines, 404);
}

TEST(FhirRealData, EveryR4ExampleLoads) {
  for (const std::string& f : JsonFiles(DataDir("fhir-r4-examples"))) {
    const std::string name = std::filesystem::path(f).filename().string();
    const std::string text = testing::ReadFile(f);
    if (name == "Bundle-bundle-transaction.json" || name == "Medication-med0316.json") continue;  // below
    const std::string key = name.rfind("Patient-", 0) == 0 ? "patient" : "data";
    Result<Case> c = name == "Patient-example.json" ? [&] {
      Cds cds("example");
      cds.data.t0 = kLater;
      cds.Add("patient", json::parse(text));
      return cds.Read();
    }()
                                                    : ReadAsCds(text, key, kLater);
    EXPECT_TRUE(c.ok()) << name << (c.ok() ? "" : IssuesText(c.error()));
  }
}

TEST(FhirRealData, TransactionOfSeveralPatientsIsRefusedForThatReasonOnly) {
  // An administrative transaction that creates and updates five Patients is not one patient's record
  // (§4.1: multiple_patients). Its GET and DELETE entries are counted, not read.
  const std::string text = testing::ReadFile(DataDir("fhir-r4-examples/Bundle-bundle-transaction.json"));
  JsonParser parser;
  auto root = parser.Parse(text);
  auto c = ReadFhirBundle(*root, text, Kb(), FhirBundleOptions{kLater, std::nullopt});
  ASSERT_FALSE(c.ok());
  for (const Issue& i : c.error().issues) {
    EXPECT_TRUE(i.code == "multiple_patients" || (i.code == "missing_element" && i.location.size() > 3 &&
                                                  i.location.substr(i.location.size() - 3) == ".id"))
        << i.code << " at " << i.location;
  }
  EXPECT_TRUE(HasIssue(c.error(), "multiple_patients", "Bundle.entry[4].resource.id")) << IssuesText(c.error());
}

TEST(FhirRealData, EnteredInErrorTemperatureIsIgnoredAndCounted) {
  auto c = ReadAsCds(testing::ReadFile(DataDir("fhir-r4-examples/Observation-f202.json")), "vitals", kLater);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_TRUE(c->observations.empty());
  EXPECT_EQ(Ignored(*c, "Observation", "entered_in_error"), 1);
}

TEST(FhirRealData, Bundle101NeutrophilsAreTheAnc) {
  auto c = ReadAsCds(testing::ReadFile(DataDir("fhir-r4-examples/Bundle-101.json")), "labs", kLater);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(c->patient_id, "pat2");
  bool anc = false, wbc = false;
  for (const Observation& o : c->observations) {
    if (o.kind == ObsKind::kAnc) {
      anc = true;
      EXPECT_EQ(o.value, *Fixed::Parse("0.9"));
    }
    if (o.kind == ObsKind::kWbc) {
      wbc = true;
      EXPECT_EQ(o.value, *Fixed::Parse("4.6"));
    }
  }
  EXPECT_TRUE(anc);
  EXPECT_TRUE(wbc);
  EXPECT_EQ(Ignored(*c, "DiagnosticReport", "unsupported_resource_type"), 1);
}

TEST(FhirRealData, PoundWeightConvertsToKilograms) {
  const std::string text = testing::ReadFile(DataDir("fhir-r4-examples/Observation-example.json"));
  auto c = ReadAsCds(text, "vitals", *ParseDateTime("2016-03-29T00:00:00Z"));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_TRUE(c->weight.has_value());
  EXPECT_EQ(c->weight->kg.ToString(1), "83.9");  // 185 [lb_av] x 0.45359237
}

// Bundle-ghp: the results its DiagnosticReport lists take the report's time; the others (among them the
// molar creatinine o8 and the ALT o14) have no time at all and are skipped as malformed on the CDS channel.
TEST(FhirRealData, GeneralHealthPanelResultsWithoutATimeAreSkippedOnTheCdsChannel) {
  const std::string text = testing::ReadFile(DataDir("fhir-r4-examples/Bundle-ghp.json"));
  auto c = ReadAsCds(text, "labs", kLater);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_GE(Ignored(*c, "Observation", "malformed"), 1);
  for (const Observation& o : c->observations) {
    EXPECT_NE(o.kind, ObsKind::kCreatinine);
    EXPECT_NE(o.kind, ObsKind::kAlt);
  }
  const InputWarning* w = FindWarning(*c, "INPUT_DATA_UNAVAILABLE");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("labs"), std::string::npos);
  // The same data as a document: every problem is named, among them the missing time of o8.
  JsonParser parser;
  json with_patient = json::parse(text);
  with_patient["entry"].push_back({{"resource", Patient("pat2")}});
  const std::string doc = with_patient.dump();
  auto root = parser.Parse(doc);
  auto refused = ReadFhirBundle(*root, doc, Kb(), FhirBundleOptions{kLater, std::nullopt});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(HasIssue(refused.error(), "missing_time", "Bundle.entry[30].resource.effective[x]"))
      << IssuesText(refused.error());
}

// A creatinine in mmol/L (as in Bundle-ghp) is not an accepted unit: skipped and reported on the CDS
// channel, an error in a document.
TEST(FhirRealData, MolarCreatinineIsNotAcceptedAndSkippedOnTheCdsChannel) {
  json o8 = Obs("14682-9", 0.09, "x", "2015-08-16T06:40:17Z", "Patient/pat2");
  o8["valueQuantity"] = {{"value", 0.09}, {"unit", "mmol/L"}};
  Cds cds("pat2");
  cds.data.t0 = kLater;
  cds.Add("labs", Searchset({o8}));
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(Ignored(*c, "Observation", "unit_unsupported"), 1);
  const InputWarning* w = FindWarning(*c, "UNIT_UNSUPPORTED");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("creatinine 0.09 mmol/L"), std::string::npos) << w->text;
}

TEST(FhirRealData, NestedBundlesAreCountedAndEachInnerBundleLoads) {
  const std::string text = testing::ReadFile(DataDir("fhir-r4-examples/Bundle-72ac8493-52ac-41bd-8d5d-7258c289b5ea.json"));
  auto outer = ReadAsCds(text, "labs", kLater);
  ASSERT_TRUE(outer.ok()) << IssuesText(outer.error());
  EXPECT_EQ(Ignored(*outer, "Bundle", "unsupported_resource_type"), 17);
  const json doc = json::parse(text);
  int loaded = 0;
  for (const json& entry : doc["entry"]) {
    auto inner = ReadAsCds(entry["resource"].dump(), "labs", kLater);
    // An inner Bundle of several patients is another patient's data for the first one: refused as such.
    if (!inner.ok()) {
      for (const Issue& i : inner.error().issues) EXPECT_EQ(i.code, "patient_mismatch") << i.location;
      continue;
    }
    ++loaded;
  }
  EXPECT_GT(loaded, 0);
}

TEST(FhirRealData, MedicationRequestWithItsExternalMedication) {
  const json request = json::parse(testing::ReadFile(DataDir("fhir-r4-examples/MedicationRequest-medrx002.json")));
  const json medication = json::parse(testing::ReadFile(DataDir("fhir-r4-examples/Medication-med0316.json")));
  Cds cds("pat1");
  cds.data.t0 = kLater;
  cds.Add("medication_requests", Searchset({request, medication}));
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 1u);
  EXPECT_TRUE(c->medications[0].identified);
  EXPECT_FALSE(c->medications[0].name.empty());
}

}  // namespace
}  // namespace nmscds
