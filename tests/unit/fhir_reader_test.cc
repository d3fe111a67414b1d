// The FHIR reader, section by section (interfaces.md §4.1-4.9).
#include <gtest/gtest.h>

#include "fhir/fhir_json.h"
#include "fhir_test_support.h"

namespace nmscds {
namespace {

using namespace fhirtest;  // NOLINT(google-build-using-namespace)

const Observation* FindObs(const Case& c, ObsKind kind) {
  for (const Observation& o : c.observations) {
    if (o.kind == kind) return &o;
  }
  return nullptr;
}

// Patient p1 at T0 as the screen hands it to the Bulk channel: one resource per line, each with its origin
// (its index) and its line's bytes. `parser` holds the parsed resources; `lines` must outlive the result.
BulkPatient BulkPatientOfLines(simdjson::dom::parser& parser, const std::vector<std::string>& lines) {
  std::string array = "[";
  for (const std::string& line : lines) array += (array.size() > 1 ? "," : "") + line;
  array += "]";
  simdjson::dom::array resources;
  EXPECT_EQ(parser.parse(array).get(resources), simdjson::SUCCESS);
  BulkPatient patient;
  patient.patient_id = "p1";
  patient.t0 = kT0Instant;
  std::size_t origin = 0;
  for (simdjson::dom::element e : resources) {
    simdjson::dom::object obj;
    EXPECT_EQ(e.get(obj), simdjson::SUCCESS);
    patient.resources.push_back(BulkResource{obj, origin, lines[origin]});
    ++origin;
  }
  EXPECT_EQ(patient.resources.size(), lines.size());
  return patient;
}

// ---- §4.1 Bundle types, entries read, patient ------------------------------------------------------------

TEST(FhirBundle, AcceptedTypesReadTheirEntries) {
  for (const char* type : {"collection", "searchset", "transaction", "batch"}) {
    auto c = ReadBundle(Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z")}, type));
    ASSERT_TRUE(c.ok()) << type << IssuesText(c.error());
    EXPECT_EQ(c->input.bundle_type, type);
    EXPECT_EQ(c->input.format, InputFormat::kFhirBundle);
    ASSERT_NE(FindObs(*c, ObsKind::kHeartRate), nullptr) << type;
    EXPECT_EQ(c->patient_id, "p1");
  }
}

TEST(FhirBundle, RefusedTypesAreAnErrorAtBundleType) {
  for (const char* type : {"document", "message", "history", "transaction-response", "batch-response"}) {
    auto c = ReadBundle(Bundle({}, type));
    ASSERT_FALSE(c.ok()) << type;
    EXPECT_TRUE(HasIssue(c.error(), "bundle_type_unsupported", "Bundle.type")) << IssuesText(c.error());
  }
}

TEST(FhirBundle, SearchsetOutcomeEntriesAreCounted) {
  json b = Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z")}, "searchset");
  b["entry"].push_back({{"resource", {{"resourceType", "OperationOutcome"}}}, {"search", {{"mode", "outcome"}}}});
  b["entry"][1]["search"] = {{"mode", "include"}};
  auto c = ReadBundle(b);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(Ignored(*c, "OperationOutcome", "unsupported_resource_type"), 1);
  EXPECT_NE(FindObs(*c, ObsKind::kHeartRate), nullptr);
}

TEST(FhirBundle, TransactionEntriesOtherThanPostAndPutAreCounted) {
  json b = Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z"), Obs("9279-1", 30, "/min", "2026-11-20T13:00:00Z")},
                  "transaction");
  b["entry"][2]["request"]["method"] = "GET";
  b["entry"].push_back({{"request", {{"method", "DELETE"}, {"url", "Observation/x"}}}});
  auto c = ReadBundle(b);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_NE(FindObs(*c, ObsKind::kHeartRate), nullptr);
  EXPECT_EQ(FindObs(*c, ObsKind::kRespiratoryRate), nullptr);
  EXPECT_EQ(Ignored(*c, "Observation", "status_excluded"), 1);
  EXPECT_EQ(Ignored(*c, "Bundle.entry", "status_excluded"), 1);
}

TEST(FhirBundle, NestedBundlesAndOtherResourceTypesAreCounted) {
  auto c = ReadBundle(Bundle({Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z")}),
                              json{{"resourceType", "Encounter"}, {"id", "enc"}}}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(Ignored(*c, "Bundle", "unsupported_resource_type"), 1);
  EXPECT_EQ(Ignored(*c, "Encounter", "unsupported_resource_type"), 1);
  EXPECT_TRUE(c->observations.empty());
}

TEST(FhirBundle, ExactlyOnePatient) {
  auto none = ReadBundle(Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z")}, "collection", false));
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(HasIssue(none.error(), "no_patient", "Bundle"));
  auto two = ReadBundle(Bundle({Patient("p2")}));
  ASSERT_FALSE(two.ok());
  EXPECT_TRUE(HasIssue(two.error(), "multiple_patients", "Bundle.entry[1].resource.id")) << IssuesText(two.error());
  json no_id = Bundle({});
  no_id["entry"][0]["resource"].erase("id");
  auto missing = ReadBundle(no_id);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(HasIssue(missing.error(), "missing_element", "Bundle.entry[0].resource.id"));
}

TEST(FhirBundle, AssessmentTimeFromOverrideTimestampOrClock) {
  json b = Bundle({});
  auto from_timestamp = ReadBundle(b);
  ASSERT_TRUE(from_timestamp.ok());
  EXPECT_EQ(from_timestamp->assessed_at, kT0Instant);
  EXPECT_EQ(from_timestamp->input.assessed_at_source, AssessedAtSource::kBundleTimestamp);
  auto overridden = ReadBundle(b, FhirBundleOptions{kT0Instant + 60, kT0Instant + 120});
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->assessed_at, kT0Instant + 60);
  EXPECT_EQ(overridden->input.assessed_at_source, AssessedAtSource::kOverride);
  b.erase("timestamp");
  auto from_clock = ReadBundle(b, FhirBundleOptions{std::nullopt, kT0Instant + 120});
  ASSERT_TRUE(from_clock.ok());
  EXPECT_EQ(from_clock->assessed_at, kT0Instant + 120);
  EXPECT_EQ(from_clock->input.assessed_at_source, AssessedAtSource::kClock);
  EXPECT_NE(FindWarning(*from_clock, "INPUT_ASSESSED_AT_FROM_CLOCK"), nullptr);
  auto no_time = ReadBundle(b);
  ASSERT_FALSE(no_time.ok());
  EXPECT_TRUE(HasIssue(no_time.error(), "missing_element", "Bundle.timestamp"));
}

TEST(FhirBundle, GenderAndBirthDate) {
  json b = Bundle({});
  b["entry"][0]["resource"]["birthDate"] = "1964";  // partial: the oldest possible age
  auto c = ReadBundle(b);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->sex, Sex::kMale);
  EXPECT_EQ(c->age_years, 62);  // born 1964-01-01 at the earliest
  EXPECT_NE(FindWarning(*c, "INPUT_PARTIAL_DATE"), nullptr);
}

// A birthDate is a FHIR date: a full day is complete for it, only a year or a month is partial (§4.3,
// INPUT_PARTIAL_DATE). The age is taken from the earliest day either way.
TEST(FhirBundle, BirthDateIsPartialOnlyWithoutItsDay) {
  struct Row {
    const char* birth_date;
    bool partial;
    int age;
  };
  for (const Row& row : {Row{"1964", true, 62}, Row{"1964-11", true, 62}, Row{"1964-11-21", false, 61},
                         Row{"1964-11-20", false, 62}}) {
    json b = Bundle({});
    b["entry"][0]["resource"]["birthDate"] = row.birth_date;
    auto c = ReadBundle(b);
    ASSERT_TRUE(c.ok()) << row.birth_date;
    EXPECT_EQ(c->age_years, row.age) << row.birth_date;
    EXPECT_EQ(FindWarning(*c, "INPUT_PARTIAL_DATE") != nullptr, row.partial) << row.birth_date;
  }
}

// ---- §4.2 references -----------------------------------------------------------------------------------

// "Type/id" of a reference (§4.2): the one-slash form (the usual one, read without searching for a version)
// and every other form give what the general reading gives.
TEST(FhirReferences, TypeAndIdOfEachForm) {
  struct Row {
    std::string_view reference, type, id;
  };
  const Row rows[] = {
      {"Patient/p1", "Patient", "p1"},
      {"Patient/p1/_history/3", "Patient", "p1"},
      {"https://ehr.example/fhir/Patient/p1", "Patient", "p1"},
      {"https://ehr.example/fhir/Patient/p1/_history/2", "Patient", "p1"},
      {"Medication/halo", "Medication", "halo"},
      {"a/b/c", "b", "c"},
      {"Patient//p1", "", "p1"},
      {"Patient/", "", ""},
      {"/p1", "", ""},
      {"p1", "", ""},
      {"", "", ""},
      {"#med", "", ""},
  };
  for (const Row& row : rows) {
    const auto [type, id] = fhir::ReferenceTypeAndId(row.reference);
    EXPECT_EQ(type, row.type) << row.reference;
    EXPECT_EQ(id, row.id) << row.reference;
  }
}

TEST(FhirReferences, SubjectFormsThatNameThePatient) {
  struct Row {
    const char* reference;
    bool ok;
  };
  const Row rows[] = {
      {"urn:uuid:e0", true},                 // fullUrl of the Patient entry
      {"Patient/p1", true},                  // relative, though the Patient entry has a urn:uuid fullUrl
      {"Patient/p1/_history/3", true},       // version ignored
      {"Patient/p2", false},                 // another patient
      {"urn:uuid:nowhere", false},           // resolves to nothing
  };
  for (const Row& row : rows) {
    auto c = ReadBundle(Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z", row.reference)}));
    EXPECT_EQ(c.ok(), row.ok) << row.reference;
    if (!row.ok && !c.ok()) {
      EXPECT_TRUE(HasIssue(c.error(), "patient_mismatch", "Bundle.entry[1].resource.subject.reference"))
          << IssuesText(c.error());
    }
  }
  json b = Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z")});
  b["entry"][0]["fullUrl"] = "https://ehr.example/fhir/Patient/p1";
  b["entry"][1]["resource"]["subject"] = Ref("https://ehr.example/fhir/Patient/p1");
  EXPECT_TRUE(ReadBundle(b).ok()) << "absolute fullUrl";
  b["entry"][1]["resource"].erase("subject");
  auto no_subject = ReadBundle(b);
  ASSERT_TRUE(no_subject.ok());
  EXPECT_EQ(Ignored(*no_subject, "Observation", "no_subject"), 1);
  EXPECT_NE(FindObs(*no_subject, ObsKind::kHeartRate), nullptr) << "assumed to be the patient's";
}

TEST(FhirReferences, MedicationReferenceToContainedThenBundledMedication) {
  json contained = Med("MedicationRequest", "", "");
  contained.erase("medicationCodeableConcept");
  contained["status"] = "active";
  contained["intent"] = "order";
  contained["authoredOn"] = "2026-11-19T08:00:00Z";
  contained["contained"] = json::array({{{"resourceType", "Medication"}, {"id", "m"},
                                         {"code", Concept("http://www.nlm.nih.gov/research/umls/rxnorm", "5093")}}});
  contained["medicationReference"] = Ref("#m");
  json bundled = contained;
  bundled.erase("contained");
  bundled["medicationReference"] = Ref("Medication/olz");
  json medication{{"resourceType", "Medication"}, {"id", "olz"},
                  {"code", {{"text", "olanzapine"}}}};
  auto c = ReadBundle(Bundle({contained, bundled, medication}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 2u);
  EXPECT_EQ(Kb().drug(c->medications[0].ingredients.at(0)).id, "haloperidol");
  EXPECT_EQ(c->medications[0].rxnorm, "5093");
  EXPECT_EQ(Kb().drug(c->medications[1].ingredients.at(0)).id, "olanzapine");
  EXPECT_NE(FindWarning(*c, "INPUT_MEDICATION_MATCHED_BY_NAME"), nullptr);
}

// ---- §4.3 status and time ---------------------------------------------------------------------------------

TEST(FhirTimes, PartialDatesArePlacedOnTheTimeLine) {
  struct Row {
    const char* time;
    Instant expected;
  };
  const Row rows[] = {
      {"2026-11", kT0Instant},                             // contains T0: at T0
      {"2026-11-20", kT0Instant},                          // contains T0: at T0
      {"2026-11-19", *ParseDateTime("2026-11-19T23:59:59Z")},  // before T0: its last second
      {"2026-12", *ParseDateTime("2026-12-01T00:00:00Z")},     // after T0: its start ("after T0")
  };
  for (const Row& row : rows) {
    auto c = ReadBundle(Bundle({Obs("8867-4", 110, "/min", row.time)}));
    ASSERT_TRUE(c.ok()) << row.time;
    const Observation* o = FindObs(*c, ObsKind::kHeartRate);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->time, row.expected) << row.time;
    EXPECT_NE(FindWarning(*c, "INPUT_PARTIAL_DATE"), nullptr) << row.time;
  }
}

TEST(FhirTimes, DateTimeWithoutOffsetAndEffectiveTimingAreErrors) {
  auto no_zone = ReadBundle(Bundle({Obs("8867-4", 110, "/min", "2026-11-20T13:00:00")}));
  ASSERT_FALSE(no_zone.ok());
  EXPECT_TRUE(HasIssue(no_zone.error(), "time_format", "Bundle.entry[1].resource.effectiveDateTime"));
  json timing = Obs("8867-4", 110, "/min", "x");
  timing.erase("effectiveDateTime");
  timing["effectiveTiming"] = {{"event", json::array({"2026-11-20T13:00:00Z"})}};
  auto t = ReadBundle(Bundle({timing}));
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(HasIssue(t.error(), "unsupported_element", "Bundle.entry[1].resource.effectiveTiming"));
  json none = Obs("8867-4", 110, "/min", "x");
  none.erase("effectiveDateTime");
  auto m = ReadBundle(Bundle({none}));
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(HasIssue(m.error(), "missing_time", "Bundle.entry[1].resource.effective[x]"));
  none["issued"] = "2026-11-20T13:05:00Z";  // the fallback for Observations
  auto issued = ReadBundle(Bundle({none}));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(FindObs(*issued, ObsKind::kHeartRate)->time, *ParseDateTime("2026-11-20T13:05:00Z"));
  json period = Obs("8867-4", 110, "/min", "x");
  period.erase("effectiveDateTime");
  period["effectivePeriod"] = {{"start", "2026-11-20T12:00:00Z"}, {"end", "2026-11-20T12:30:00Z"}};
  auto p = ReadBundle(Bundle({period}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(FindObs(*p, ObsKind::kHeartRate)->time, *ParseDateTime("2026-11-20T12:30:00Z"));
}

TEST(FhirStatus, ExcludedStatusesAreCounted) {
  struct Row {
    const char* status;
    const char* reason;  // "" = used
  };
  const Row rows[] = {{"final", ""},        {"amended", ""},   {"corrected", ""},
                      {"preliminary", ""},  {"unknown", ""},   {"registered", "status_excluded"},
                      {"cancelled", "status_excluded"}, {"entered-in-error", "entered_in_error"}};
  for (const Row& row : rows) {
    json o = Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z");
    o["status"] = row.status;
    auto c = ReadBundle(Bundle({o}));
    ASSERT_TRUE(c.ok()) << row.status;
    if (std::string(row.reason).empty()) {
      EXPECT_NE(FindObs(*c, ObsKind::kHeartRate), nullptr) << row.status;
    } else {
      EXPECT_EQ(FindObs(*c, ObsKind::kHeartRate), nullptr) << row.status;
      EXPECT_EQ(Ignored(*c, "Observation", row.reason), 1) << row.status;
    }
  }
}

// ---- §4.4-4.5 observations --------------------------------------------------------------------------------

TEST(FhirObservations, UnitsAliasesComparatorsAndRanges) {
  json t = Obs("8331-1", 103, "[degF]", "2026-11-20T13:00:00Z");
  json alias = Obs("8310-5", 39.5, "x", "2026-11-20T12:00:00Z");
  alias["valueQuantity"] = {{"value", 39.5}, {"unit", "°C"}};
  alias["bodySite"] = Concept("http://snomed.info/sct", "34402009");
  json anc = Obs("751-8", 80, "/uL", "2026-11-20T12:00:00Z");
  anc["valueQuantity"]["comparator"] = "<";
  anc["referenceRange"] = json::array({{{"type", Concept("http://terminology.hl7.org/CodeSystem/referencerange-meaning", "treatment")},
                                        {"low", {{"value", 9}}}},
                                       {{"low", {{"value", 1.8}, {"unit", "10*3/uL"}}}, {"high", {{"value", 7700}}}}});
  json cr = Obs("38483-4", 1.3, "mg/dL", "2026-11-20T12:00:00Z");
  cr["referenceRange"] = json::array({{{"high", {{"value", 1}, {"system", "http://unitsofmeasure.org"}, {"code", "g/L"}}}}});
  auto c = ReadBundle(Bundle({t, alias, anc, cr}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->observations.size(), 4u);
  EXPECT_EQ(c->observations[0].value.ToString(2), "39.44");
  EXPECT_EQ(c->observations[0].route, TempRoute::kOral);  // 8331-1
  EXPECT_EQ(c->observations[1].value.ToString(2), "39.5");
  EXPECT_EQ(c->observations[1].route, TempRoute::kRectal);  // 8310-5 with a rectal bodySite
  const Observation& a = c->observations[2];
  EXPECT_EQ(a.value.ToString(3), "0.08");
  EXPECT_EQ(a.comparator, Comparator::kLt);
  ASSERT_TRUE(a.ref_low && a.ref_high);
  EXPECT_EQ(a.ref_low->ToString(1), "1.8");
  EXPECT_EQ(a.ref_high->ToString(1), "7.7");  // no unit: the value's unit (/uL)
  EXPECT_FALSE(c->observations[3].ref_high.has_value());
  EXPECT_NE(FindWarning(*c, "INPUT_RANGE_IGNORED"), nullptr);
}

TEST(FhirObservations, BloodPressurePanelComponentsAndBaselineTag) {
  json bp{{"resourceType", "Observation"},
          {"status", "final"},
          {"meta", {{"tag", json::array({Coding("urn:nmscds:cs:tag", "baseline")})}}},
          {"code", Concept("http://loinc.org", "85354-9")},
          {"subject", Ref("Patient/p1")},
          {"effectiveDateTime", "2026-11-17T08:00:00Z"},
          {"component",
           json::array({{{"code", Concept("http://loinc.org", "8480-6")},
                         {"valueQuantity", {{"value", 128}, {"system", "http://unitsofmeasure.org"}, {"code", "mm[Hg]"}}}},
                        {{"code", Concept("http://loinc.org", "8478-0")}, {"valueQuantity", {{"value", 90}}}},
                        {{"code", Concept("http://loinc.org", "8462-4")},
                         {"valueQuantity", {{"value", 76}, {"unit", "mmHg"}}}}})}};
  auto c = ReadBundle(Bundle({bp}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->observations.size(), 2u);
  EXPECT_EQ(c->observations[0].kind, ObsKind::kSystolicBp);
  EXPECT_EQ(c->observations[0].source, "Bundle.entry[1].resource.component[0]");
  EXPECT_TRUE(c->observations[0].baseline);
  EXPECT_EQ(c->observations[1].kind, ObsKind::kDiastolicBp);
  EXPECT_EQ(c->observations[1].value.ToString(0), "76");
}

TEST(FhirObservations, UnitNotAcceptedIsAnErrorInADocumentAndSkippedInCds) {
  json k = Obs("2823-3", 5.1, "mg/dL", "2026-11-20T12:00:00Z");
  auto doc = ReadBundle(Bundle({k}));
  ASSERT_FALSE(doc.ok());
  EXPECT_TRUE(HasIssue(doc.error(), "unit_not_accepted", "Bundle.entry[1].resource.valueQuantity.code"))
      << IssuesText(doc.error());
  json no_code = k;
  no_code["valueQuantity"] = {{"value", 5.1}, {"unit", "mg%"}};
  auto doc2 = ReadBundle(Bundle({no_code}));
  ASSERT_FALSE(doc2.ok());
  EXPECT_TRUE(HasIssue(doc2.error(), "unit_not_accepted", "Bundle.entry[1].resource.valueQuantity.unit"));

  Cds cds;
  cds.Add("labs", Searchset({k, Obs("2157-6", 2850, "U/L", "2026-11-20T12:00:00Z")}));
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->observations.size(), 1u);
  EXPECT_EQ(c->observations[0].kind, ObsKind::kCk);
  EXPECT_EQ(Ignored(*c, "Observation", "unit_unsupported"), 1);
  const InputWarning* w = FindWarning(*c, "UNIT_UNSUPPORTED");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("potassium 5.1 mg/dL"), std::string::npos) << w->text;
  EXPECT_EQ(w->sources.at(0), "prefetch.labs.entry[0].resource");
}

TEST(FhirObservations, ImplausibleValuesAndOtherValueTypes) {
  auto anc = ReadBundle(Bundle({Obs("751-8", 400000, "10*9/L", "2026-11-20T12:00:00Z")}));
  ASSERT_FALSE(anc.ok());
  EXPECT_TRUE(HasIssue(anc.error(), "out_of_range", "Bundle.entry[1].resource.valueQuantity.value"));
  json s = Obs("8867-4", 1, "/min", "2026-11-20T12:00:00Z");
  s.erase("valueQuantity");
  s["valueString"] = "fast";
  auto str = ReadBundle(Bundle({s}));
  ASSERT_FALSE(str.ok());
  EXPECT_TRUE(HasIssue(str.error(), "unsupported_value", "Bundle.entry[1].resource.value[x]"));
  s.erase("valueString");
  s["valueInteger"] = 120;  // allowed for heart rate
  auto integer = ReadBundle(Bundle({s}));
  ASSERT_TRUE(integer.ok());
  EXPECT_EQ(FindObs(*integer, ObsKind::kHeartRate)->value.ToString(0), "120");
  s.erase("valueInteger");
  s["dataAbsentReason"] = Concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown");
  auto absent = ReadBundle(Bundle({s}));
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(Ignored(*absent, "Observation", "value_absent"), 1);
  json two = Obs("8867-4", 110, "/min", "2026-11-20T12:00:00Z");
  two["code"]["coding"].push_back(Coding("http://loinc.org", "9279-1"));
  auto ambiguous = ReadBundle(Bundle({two}));
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_TRUE(HasIssue(ambiguous.error(), "ambiguous_code", "Bundle.entry[1].resource.code"));
  auto unrecognised = ReadBundle(Bundle({Obs("2093-3", 180, "mg/dL", "2026-11-20T12:00:00Z")}));
  ASSERT_TRUE(unrecognised.ok());
  EXPECT_EQ(Ignored(*unrecognised, "Observation", "unrecognised_code"), 1);
}

TEST(FhirObservations, WeightAndHeightChoice) {
  json old_weight = Obs("29463-7", 90, "kg", "2026-10-01T08:00:00Z");
  json weight = Obs("29463-7", 185, "[lb_av]", "2026-11-19T08:00:00Z");
  json height = Obs("8302-2", 70, "[in_i]", "2026-01-08T08:00:00Z");
  auto c = ReadBundle(Bundle({old_weight, weight, height}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_TRUE(c->weight.has_value());
  EXPECT_EQ(c->weight->kg.ToString(1), "83.9");
  EXPECT_EQ(c->weight->measured_at, *ParseDateTime("2026-11-19T08:00:00Z"));
  EXPECT_EQ(Ignored(*c, "Observation", "outside_window"), 1);
  ASSERT_TRUE(c->height_cm.has_value());
  EXPECT_EQ(c->height_cm->ToString(1), "177.8");
  json undated = Obs("29463-7", 80, "kg", "x");
  undated.erase("effectiveDateTime");
  auto u = ReadBundle(Bundle({undated}));
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(u->weight.has_value());
  EXPECT_FALSE(u->weight->measured_at.has_value());
  EXPECT_NE(FindWarning(*u, "INPUT_WEIGHT_UNDATED"), nullptr);
}

// ---- §4.6 findings ------------------------------------------------------------------------------------------

TEST(FhirFindings, ValuesFreshnessAndConflicts) {
  json tremor = Obs("x", 0, "x", "2026-11-20T13:30:00Z");
  tremor = Nmscds("finding", "tremor", "2026-11-20T13:30:00Z");
  tremor["code"] = Concept("http://snomed.info/sct", "26079004");
  tremor["valueCodeableConcept"] = Concept("http://snomed.info/sct", "373066001");  // Yes
  json diaphoresis = Nmscds("finding", "diaphoresis", "2026-11-20T13:30:00Z");  // no value: present
  json old = Nmscds("finding", "agitation", "2026-11-19T13:00:00Z");           // 25 h old
  old["valueBoolean"] = true;
  json rigidity_mild = Nmscds("finding", "rigidity", "2026-11-20T13:00:00Z");
  rigidity_mild["valueCodeableConcept"] = Concept("http://snomed.info/sct", "255604002");
  json rigidity_severe = Nmscds("finding", "rigidity", "2026-11-20T13:00:00Z");
  rigidity_severe["valueCodeableConcept"] = Concept("urn:nmscds:cs:value", "severe");
  json delirium = Nmscds("finding", "x", "2026-11-20T13:00:00Z");
  delirium["code"] = Concept("http://snomed.info/sct", "2776000");
  delirium["valueBoolean"] = true;
  json mutism = Nmscds("finding", "mutism", "2026-11-20T13:00:00Z");
  mutism["dataAbsentReason"] = Concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown");
  auto c = ReadBundle(Bundle({tremor, diaphoresis, old, rigidity_mild, rigidity_severe, delirium, mutism}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  const Findings& f = c->findings;
  EXPECT_EQ(f.get(Finding::kTremor), Tri::kTrue);
  EXPECT_EQ(f.get(Finding::kDiaphoresis), Tri::kTrue);
  EXPECT_EQ(f.get(Finding::kAgitation), Tri::kUnknown);
  EXPECT_EQ(f.get(Finding::kMutism), Tri::kUnknown);
  EXPECT_EQ(f.rigidity, Rigidity::kSevere);  // same time: the more abnormal one
  EXPECT_EQ(f.mental_status, MentalStatus::kDelirious);
  EXPECT_EQ(Ignored(*c, "Observation", "outside_window"), 1);
  EXPECT_EQ(Ignored(*c, "Observation", "value_absent"), 1);
  EXPECT_NE(FindWarning(*c, "INPUT_CONFLICTING_VALUES"), nullptr);
  EXPECT_EQ(f.assessed_at, *ParseDateTime("2026-11-20T13:30:00Z"));
}

TEST(FhirFindings, ConditionsCountWhenRecent) {
  json fresh{{"resourceType", "Condition"}, {"code", Concept("http://snomed.info/sct", "26079004")},
             {"subject", Ref("Patient/p1")}, {"onsetDateTime", "2026-11-20T10:00:00Z"}};
  json old = fresh;
  old["code"] = Concept("http://snomed.info/sct", "88052002");
  old["onsetDateTime"] = "2025-01-01T00:00:00Z";
  json refuted = fresh;
  refuted["code"] = Concept("http://snomed.info/sct", "37125009");
  refuted["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted");
  auto c = ReadBundle(Bundle({fresh, old, refuted}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(c->findings.get(Finding::kTremor), Tri::kTrue);
  EXPECT_EQ(c->findings.get(Finding::kMutism), Tri::kUnknown);
  EXPECT_EQ(c->findings.get(Finding::kMydriasis), Tri::kFalse);
}

// ---- §4.7 context items -------------------------------------------------------------------------------------

json Allergy(json code) {
  return json{{"resourceType", "AllergyIntolerance"}, {"patient", Ref("Patient/p1")}, {"code", std::move(code)}};
}

TEST(FhirContext, PenicillinAllergySeverity) {
  struct Row {
    const char* name;
    json allergy;
    PenicillinAllergy expected;
  };
  json pen = Allergy(Concept("http://snomed.info/sct", "91936005"));
  json high = pen, low = pen, low_severe = pen, anaphylaxis = pen, refuted = pen;
  high["criticality"] = "high";
  low["criticality"] = "low";
  low_severe["criticality"] = "low";
  low_severe["reaction"] = json::array({{{"severity", "severe"}}});
  anaphylaxis["reaction"] = json::array({{{"manifestation", json::array({Concept("http://snomed.info/sct", "39579001")})}}});
  refuted["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "refuted");
  json piperacillin = Allergy(Concept("http://www.nlm.nih.gov/research/umls/rxnorm", "8339"));
  json nkda = Allergy(Concept("http://snomed.info/sct", "409137002"));
  json peanut = Allergy(Concept("http://snomed.info/sct", "91935009"));
  const Row rows[] = {
      {"criticality high", high, PenicillinAllergy::kSevere},
      {"criticality low", low, PenicillinAllergy::kNonSevere},
      {"low but a severe reaction", low_severe, PenicillinAllergy::kSevere},
      {"anaphylaxis", anaphylaxis, PenicillinAllergy::kSevere},
      {"severity not recorded", pen, PenicillinAllergy::kSevere},
      {"refuted", refuted, PenicillinAllergy::kNone},
      {"no known drug allergy", nkda, PenicillinAllergy::kNone},
      {"another allergy", peanut, PenicillinAllergy::kUnknown},
      {"RxNorm of a penicillin-class ingredient", piperacillin, PenicillinAllergy::kSevere},
  };
  for (const Row& row : rows) {
    auto c = ReadBundle(Bundle({row.allergy}));
    ASSERT_TRUE(c.ok()) << row.name;
    EXPECT_EQ(c->context.penicillin_allergy, row.expected) << row.name;
  }
}

TEST(FhirContext, NmscdsObservationsWinOverCodedSourcesWithinTheirWindow) {
  json iv = Nmscds("context", "iv_access", "2026-11-20T13:00:00Z");
  iv["valueCodeableConcept"] = Concept("urn:nmscds:cs:value", "peripheral");
  json line{{"resourceType", "Device"}, {"status", "active"}, {"patient", Ref("Patient/p1")},
            {"type", Concept("http://snomed.info/sct", "52124006")}};
  json stale_location = Nmscds("context", "location", "2026-11-18T13:00:00Z");  // > 24 h
  stale_location["valueCodeableConcept"] = Concept("urn:nmscds:cs:value", "icu");
  json days = Nmscds("context", "expected_neutropenia_days", "2026-11-20T13:00:00Z");
  days["valueQuantity"] = {{"value", 10}, {"system", "http://unitsofmeasure.org"}, {"code", "d"}};
  json chemo = Nmscds("context", "last_chemotherapy_at", "2026-11-20T13:00:00Z");
  chemo["valueDateTime"] = "2026-11-14T20:00:00Z";
  auto c = ReadBundle(Bundle({iv, line, stale_location, days, chemo}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(c->context.iv_access, IvAccess::kPeripheral);
  EXPECT_EQ(c->context.get(CtxFlag::kCentralLine), Tri::kTrue);
  EXPECT_EQ(c->context.location, Location::kUnknown);
  EXPECT_EQ(c->context.expected_neutropenia_days->ToString(0), "10");
  EXPECT_EQ(c->context.last_chemotherapy_at, *ParseDateTime("2026-11-14T20:00:00Z"));
  auto only_line = ReadBundle(Bundle({line}));
  ASSERT_TRUE(only_line.ok());
  EXPECT_EQ(only_line->context.iv_access, IvAccess::kCentral) << "an active central line gives central access";
}

TEST(FhirContext, ConditionsProcedureAndTheProblemListRule) {
  json nms{{"resourceType", "Condition"}, {"code", Concept("http://snomed.info/sct", "15244003")},
           {"subject", Ref("Patient/p1")}, {"onsetDateTime", "2026-11-20T02:00:00Z"}};
  json old_nms = nms;
  old_nms["onsetDateTime"] = "2024-05-01";
  json pneumonia{{"resourceType", "Condition"}, {"code", Concept("http://hl7.org/fhir/sid/icd-10-cm", "J18.9")},
                 {"subject", Ref("Patient/p1")}};
  json ect{{"resourceType", "Procedure"}, {"status", "completed"}, {"code", Concept("http://snomed.info/sct", "23835007")},
           {"subject", Ref("Patient/p1")}, {"performedDateTime", "2026-11-18T09:00:00Z"}};
  auto c = ReadBundle(Bundle({nms, old_nms, pneumonia, ect}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_TRUE(c->clinician_suspected_nms);
  EXPECT_EQ(c->episode_onset, *ParseDateTime("2026-11-20T02:00:00Z"));
  EXPECT_EQ(c->context.get(CtxFlag::kHistoryOfNms), Tri::kTrue);
  EXPECT_EQ(c->context.get(CtxFlag::kPneumonia), Tri::kTrue);
  EXPECT_EQ(c->context.get(CtxFlag::kEctInProgress), Tri::kTrue);
  EXPECT_TRUE(c->conditions_supplied) << "a problem list was supplied: liver disease and COPD become false";
  EXPECT_EQ(c->conditions.size(), 3u);
  auto without = ReadBundle(Bundle({ect}));
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->conditions_supplied);
  EXPECT_EQ(without->context.get(CtxFlag::kPneumonia), Tri::kUnknown) << "coded sources never give false alone";
}

// ---- §4.8 medications ---------------------------------------------------------------------------------------

json Request(const std::string& status, const std::string& start, const std::string& end = "") {
  json r = Med("MedicationRequest", "5093", "haloperidol");
  r["status"] = status;
  r["intent"] = "order";
  json bounds{{"start", start}};
  if (!end.empty()) bounds["end"] = end;
  r["dosageInstruction"] = json::array({{{"text", "5 mg"}, {"timing", {{"repeat", {{"boundsPeriod", bounds}}}}}}});
  return r;
}

TEST(FhirMedications, RequestStatusTable) {
  struct Row {
    const char* name;
    json request;
    std::optional<MedStatus> status;  // nullopt: ignored
    std::optional<std::string> stop;
    bool end_inferred;
  };
  json inferred = Request("stopped", "2026-11-10T08:00:00Z");
  inferred["meta"] = {{"lastUpdated", "2026-11-18T10:00:00Z"}};
  json proposal = Request("active", "2026-11-19T08:00:00Z");
  proposal["intent"] = "proposal";
  json option = Request("active", "2026-11-19T08:00:00Z");
  option["intent"] = "option";
  json dnp = Request("active", "2026-11-19T08:00:00Z");
  dnp["doNotPerform"] = true;
  const Row rows[] = {
      {"active, running", Request("active", "2026-11-19T08:00:00Z", "2026-11-30T08:00:00Z"), MedStatus::kActive,
       std::nullopt, false},
      {"active, ran out", Request("active", "2026-11-10T08:00:00Z", "2026-11-15T08:00:00Z"), MedStatus::kActive,
       "2026-11-15T08:00:00Z", false},
      {"on-hold", Request("on-hold", "2026-11-10T08:00:00Z"), MedStatus::kOnHold, std::nullopt, false},
      {"completed with end", Request("completed", "2026-11-10T08:00:00Z", "2026-11-12T08:00:00Z"),
       MedStatus::kCompleted, "2026-11-12T08:00:00Z", false},
      {"stopped, lastUpdated", inferred, MedStatus::kStopped, "2026-11-18T10:00:00Z", true},
      {"stopped, no end", Request("stopped", "2026-11-10T08:00:00Z"), MedStatus::kStopped, std::nullopt, false},
      {"draft", Request("draft", "2026-11-19T08:00:00Z"), MedStatus::kPlanned, std::nullopt, false},
      {"proposal", proposal, MedStatus::kPlanned, std::nullopt, false},
      {"unknown", Request("unknown", "2026-11-19T08:00:00Z"), MedStatus::kUnknown, std::nullopt, false},
      {"cancelled", Request("cancelled", "2026-11-19T08:00:00Z"), std::nullopt, std::nullopt, false},
      {"option", option, std::nullopt, std::nullopt, false},
      {"doNotPerform", dnp, std::nullopt, std::nullopt, false},
  };
  for (const Row& row : rows) {
    auto c = ReadBundle(Bundle({row.request}));
    ASSERT_TRUE(c.ok()) << row.name << IssuesText(c.error());
    EXPECT_TRUE(c->medications_supplied) << row.name;
    if (!row.status) {
      EXPECT_TRUE(c->medications.empty()) << row.name;
      EXPECT_EQ(Ignored(*c, "MedicationRequest", "status_excluded"), 1) << row.name;
      continue;
    }
    ASSERT_EQ(c->medications.size(), 1u) << row.name;
    const Medication& m = c->medications[0];
    EXPECT_EQ(m.status, *row.status) << row.name;
    EXPECT_EQ(m.stop.has_value(), row.stop.has_value()) << row.name;
    if (row.stop && m.stop) {
      EXPECT_EQ(*m.stop, *ParseDateTime(*row.stop)) << row.name;
    }
    EXPECT_EQ(FindWarning(*c, "INPUT_MEDICATION_END_INFERRED") != nullptr, row.end_inferred) << row.name;
  }
}

TEST(FhirMedications, AdministrationsAttachToTheirOrderOrStandAlone) {
  json order = Request("active", "2026-11-16T08:00:00Z");
  json a1 = Med("MedicationAdministration", "5093", "haloperidol");
  a1["status"] = "completed";
  a1["effectiveDateTime"] = "2026-11-20T06:00:00Z";
  a1["request"] = Ref("urn:uuid:e2");  // the order (entry 2)
  a1["dosage"] = {{"dose", {{"value", 0.005}, {"system", "http://unitsofmeasure.org"}, {"code", "g"}}}};
  json a2 = a1;
  a2["effectivePeriod"] = {{"start", "2026-11-19T22:00:00Z"}};
  a2.erase("effectiveDateTime");
  json lone = Med("MedicationAdministration", "", "sevoflurane");
  lone["status"] = "completed";
  lone["effectiveDateTime"] = "2026-11-20T09:00:00Z";
  json not_done = a1;
  not_done["status"] = "not-done";
  auto c = ReadBundle(Bundle({a1, order, a2, lone, not_done}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 2u);
  const Medication& m = c->medications[0];
  EXPECT_EQ(m.source, "Bundle.entry[2].resource");
  ASSERT_EQ(m.administrations.size(), 2u);
  EXPECT_EQ(m.administrations[1].dose_mg->ToString(0), "5");
  EXPECT_EQ(m.last_administered, *ParseDateTime("2026-11-20T06:00:00Z"));
  const Medication& s = c->medications[1];
  EXPECT_EQ(s.status, MedStatus::kCompleted);
  EXPECT_EQ(s.start, *ParseDateTime("2026-11-20T09:00:00Z"));
  EXPECT_EQ(s.stop, s.start);
  EXPECT_EQ(Ignored(*c, "MedicationAdministration", "status_excluded"), 1);
}

// On the Bulk channel every resource's element path is its type alone ("MedicationRequest"), so an
// administration must join the order its `request` names, not the first order with the same path.
TEST(FhirMedications, BulkAdministrationJoinsTheOrderItNames) {
  json ondansetron = Med("MedicationRequest", "26225", "ondansetron");
  ondansetron["id"] = "mr-ondansetron";
  ondansetron["status"] = "active";
  ondansetron["intent"] = "order";
  ondansetron["authoredOn"] = "2026-11-18T08:00:00Z";
  json haloperidol = Request("active", "2026-11-16T08:00:00Z");
  haloperidol["id"] = "mr-haloperidol";
  json given = Med("MedicationAdministration", "5093", "haloperidol");
  given["status"] = "completed";
  given["effectiveDateTime"] = "2026-11-20T06:00:00Z";
  given["request"] = Ref("MedicationRequest/mr-haloperidol");
  simdjson::dom::parser parser;
  std::vector<std::string> lines;
  for (const json& r : {Patient(), ondansetron, haloperidol, given}) lines.push_back(r.dump());
  BulkPatient patient = BulkPatientOfLines(parser, lines);
  patient.medication_files = true;
  std::vector<BulkSkipped> skipped;
  auto c = ReadFhirBulkPatient(patient, Kb(), skipped);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(c->medications.size(), 2u);
  for (const Medication& m : c->medications) {
    if (m.name == "haloperidol") {
      ASSERT_EQ(m.administrations.size(), 1u);
      EXPECT_EQ(m.last_administered, *ParseDateTime("2026-11-20T06:00:00Z"));
    } else {
      EXPECT_EQ(m.name, "ondansetron");
      EXPECT_TRUE(m.administrations.empty());
      EXPECT_FALSE(m.last_administered.has_value());
    }
  }
}

// An Observation mapped in the screen's scan has values only: a reference to it from another resource (here
// a MedicationRequest naming it as its medication, which is wrong) resolves to nothing, never to its content.
TEST(FhirMedications, BulkReferenceToAMappedObservationResolvesToNothing) {
  json temperature = Obs("8310-5", 39.4, "Cel", "2026-11-20T10:00:00Z");
  temperature["id"] = "t1";
  json order = Request("active", "2026-11-16T08:00:00Z");
  order.erase("medicationCodeableConcept");
  order["medicationReference"] = Ref("Observation/t1");
  simdjson::dom::parser parser;
  const std::vector<std::string> lines = {Patient().dump(), order.dump()};
  BulkPatient patient = BulkPatientOfLines(parser, lines);
  simdjson::dom::parser obs_parser;
  simdjson::dom::object obs;
  ASSERT_EQ(obs_parser.parse(temperature.dump()).get(obs), simdjson::SUCCESS);
  BulkObservationMapper mapper(Kb());
  auto mapped = mapper.Map(obs, "p1", kT0Instant);
  ASSERT_TRUE(mapped);
  patient.mapped.push_back(BulkMapped{&*mapped, 1, 2});
  std::vector<BulkSkipped> skipped;
  auto c = ReadFhirBulkPatient(patient, Kb(), skipped);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->observations.size(), 1u);
  EXPECT_EQ(c->observations[0].value, *Fixed::Parse("39.4"));
  ASSERT_EQ(c->medications.size(), 1u);
  EXPECT_TRUE(c->medications[0].ingredients.empty());  // not identified: an unknown drug, as for any bad reference
}

TEST(FhirMedications, LongActingAntiemeticRouteAndStatement) {
  json depot = Med("MedicationRequest", "", "haloperidol decanoate 100 mg/mL injection");
  depot["status"] = "active";
  depot["intent"] = "order";
  depot["authoredOn"] = "2026-10-01T08:00:00Z";
  depot["dosageInstruction"] = json::array(
      {{{"route", Concept("http://snomed.info/sct", "78421000")},
        {"timing", {{"repeat", {{"period", 4}, {"periodUnit", "wk"}}}}}}});
  json nausea = Request("active", "2026-11-19T08:00:00Z");
  nausea["medicationCodeableConcept"] = {{"text", "prochlorperazine"}};
  nausea["reasonCode"] = json::array({Concept("http://snomed.info/sct", "422587007")});
  json statement = Med("MedicationStatement", "", "levofloxacin");
  statement["status"] = "active";
  statement["effectiveDateTime"] = "2026-11-10T08:00:00Z";
  json not_taken = statement;
  not_taken["status"] = "not-taken";
  auto c = ReadBundle(Bundle({depot, nausea, statement, not_taken}));
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 3u);
  EXPECT_TRUE(c->medications[0].long_acting);
  EXPECT_EQ(c->medications[0].long_acting_interval_days->ToString(0), "28");
  EXPECT_EQ(c->medications[0].route, MedRoute::kIm);
  EXPECT_TRUE(c->medications[1].used_as_antiemetic);
  EXPECT_EQ(c->medications[2].status, MedStatus::kActive);
  EXPECT_FALSE(c->medications[2].stop.has_value());
  EXPECT_EQ(c->context.get(CtxFlag::kFluoroquinoloneProphylaxis), Tri::kTrue);
  EXPECT_EQ(Ignored(*c, "MedicationStatement", "status_excluded"), 1);
}

TEST(FhirMedications, UnidentifiedMedicationMakesTheExposurePatternUnknown) {
  json order = Request("active", "2026-11-19T08:00:00Z");
  json mystery = Request("active", "2026-11-19T08:00:00Z");
  mystery.erase("medicationCodeableConcept");
  mystery["medicationReference"] = Ref("Medication/not-here");
  json b = Bundle({order, mystery});
  auto c = ReadBundle(b);
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 2u);
  EXPECT_FALSE(c->medications[1].identified);
  auto report = Assess(b.dump(), Kb(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->nms.trigger.pattern, "unknown");
  bool listed = false;
  for (const MissingItem& m : report->missing_data) {
    if (m.item == "medication_identity") {
      listed = true;
      EXPECT_NE(m.text.find("Bundle.entry[2].resource"), std::string::npos) << m.text;
      EXPECT_EQ(m.needed_for, std::vector<std::string>{"nms.trigger"});
    }
  }
  EXPECT_TRUE(listed);
  // The same order without the unidentified one is a monotherapy.
  auto mono = Assess(Bundle({order}).dump(), Kb(), {});
  ASSERT_TRUE(mono.ok());
  EXPECT_EQ(mono->nms.trigger.pattern, "monotherapy");
}

// ---- §4.9 duplicates and malformed resources ----------------------------------------------------------------

TEST(FhirMalformed, DuplicatesAreReadOnceOrRefused) {
  json o = Obs("8867-4", 110, "/min", "2026-11-20T13:00:00Z");
  o["id"] = "hr1";
  auto same = ReadBundle(Bundle({o, o}));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->observations.size(), 1u);
  EXPECT_EQ(Ignored(*same, "Observation", "duplicate"), 1);
  json other = o;
  other["valueQuantity"]["value"] = 120;
  auto conflict = ReadBundle(Bundle({o, other}));
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(HasIssue(conflict.error(), "duplicate_resource", "Bundle.entry[2].resource.id"));
}

TEST(FhirMalformed, ProblemsNameTheElementAndCdsSkipsTheResource) {
  json bad_time = Obs("2157-6", 2850, "U/L", "yesterday");
  json component_bad = Obs("85354-9", 0, "x", "2026-11-20T13:00:00Z");
  component_bad.erase("valueQuantity");
  component_bad["component"] = json::array(
      {{{"code", Concept("http://loinc.org", "8480-6")}, {"valueQuantity", {{"value", 120}, {"code", "mm[Hg]"}, {"system", "http://unitsofmeasure.org"}}}},
       {{"code", Concept("http://loinc.org", "8462-4")}, {"valueQuantity", {{"value", "80"}}}}});
  auto doc = ReadBundle(Bundle({bad_time, component_bad}));
  ASSERT_FALSE(doc.ok());
  EXPECT_TRUE(HasIssue(doc.error(), "time_format", "Bundle.entry[1].resource.effectiveDateTime")) << IssuesText(doc.error());
  EXPECT_TRUE(HasIssue(doc.error(), "wrong_type", "Bundle.entry[2].resource.component[1].valueQuantity.value"))
      << IssuesText(doc.error());

  Cds cds;
  cds.Add("labs", Searchset({bad_time, Obs("751-8", 0.4, "10*9/L", "2026-11-20T12:00:00Z")}));
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->observations.size(), 1u);
  EXPECT_EQ(c->observations[0].source, "prefetch.labs.entry[1].resource");
  EXPECT_EQ(Ignored(*c, "Observation", "malformed"), 1);
  const InputWarning* w = FindWarning(*c, "INPUT_DATA_UNAVAILABLE");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->text.find("labs"), std::string::npos) << w->text;
}

// ---- CDS channel --------------------------------------------------------------------------------------------

TEST(FhirCds, PatientFromContextAndListsSupplied) {
  Cds cds;
  cds.data.medication_list_complete = true;
  cds.data.problem_list_supplied = true;
  cds.data.unavailable = {"findings"};
  cds.Add("vitals", Searchset({Obs("8867-4", 130, "/min", "2026-11-20T13:00:00Z")}));
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  EXPECT_EQ(c->patient_id, "p1");
  EXPECT_EQ(c->sex, Sex::kUnknown);
  EXPECT_FALSE(c->age_years.has_value());
  EXPECT_EQ(c->input.format, InputFormat::kCdsHooks);
  EXPECT_EQ(c->input.assessed_at_source, AssessedAtSource::kRequest);
  EXPECT_EQ(c->assessed_at, kT0Instant);
  EXPECT_TRUE(c->medications_supplied);
  EXPECT_TRUE(c->conditions_supplied);
  EXPECT_EQ(c->input.unavailable, std::vector<std::string>{"findings"});
  ASSERT_NE(FindWarning(*c, "INPUT_DATA_UNAVAILABLE"), nullptr);

  Cds other;
  other.Add("patient", Patient("p2"));
  auto wrong = other.Read();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(HasIssue(wrong.error(), "patient_mismatch", "prefetch.patient.id"));
  Cds subject;
  subject.Add("vitals", Searchset({Obs("8867-4", 130, "/min", "2026-11-20T13:00:00Z", "Patient/p9")}));
  auto mismatch = subject.Read();
  ASSERT_FALSE(mismatch.ok());
  EXPECT_TRUE(HasIssue(mismatch.error(), "patient_mismatch", "prefetch.vitals.entry[0].resource.subject.reference"));
}

TEST(FhirCds, MedicationIncludedInAnotherSourceIsResolved) {
  json order = Request("active", "2026-11-19T08:00:00Z");
  order.erase("medicationCodeableConcept");
  order["medicationReference"] = Ref("Medication/m1");
  json medication{{"resourceType", "Medication"}, {"id", "m1"},
                  {"code", Concept("http://www.nlm.nih.gov/research/umls/rxnorm", "6915")}};
  json page = Searchset({order});
  page["entry"].push_back({{"resource", medication}, {"search", {{"mode", "include"}}}});
  Cds cds;
  cds.Add("medication_requests", page);
  auto c = cds.Read();
  ASSERT_TRUE(c.ok()) << IssuesText(c.error());
  ASSERT_EQ(c->medications.size(), 1u);
  EXPECT_EQ(Kb().drug(c->medications[0].ingredients.at(0)).id, "metoclopramide");
}

TEST(FhirIdentify, DraftOrderAgainstABundle) {
  json order = Request("draft", "2026-11-20T14:00:00Z");
  order.erase("medicationCodeableConcept");
  order["medicationReference"] = Ref("Medication/d1");
  json b{{"resourceType", "Bundle"}, {"type", "collection"},
         {"entry", json::array({{{"resource", {{"resourceType", "Medication"}, {"id", "d1"},
                                                {"code", {{"text", "Dantrium IV"}}}}}}})}};
  const std::string order_text = order.dump(), bundle_text = b.dump();
  JsonParser p1, p2;
  auto o = p1.Parse(order_text);
  auto bundle = p2.Parse(bundle_text);
  ASSERT_TRUE(o.ok() && bundle.ok());
  IdentifiedDrug d = IdentifyMedication(o->get_object().value_unsafe(), *bundle, Kb());
  EXPECT_TRUE(d.identified);
  EXPECT_TRUE(d.matched_by_name);
  EXPECT_EQ(d.name, "Dantrium IV");
  ASSERT_EQ(d.ingredients.size(), 1u);
  EXPECT_EQ(Kb().drug(d.ingredients[0]).id, "dantrolene");
  order["medicationReference"] = Ref("Medication/none");
  const std::string missing_text = order.dump();
  JsonParser p3;
  auto m = p3.Parse(missing_text);
  IdentifiedDrug none = IdentifyMedication(m->get_object().value_unsafe(), *bundle, Kb());
  EXPECT_FALSE(none.identified);
  EXPECT_TRUE(none.ingredients.empty());
}

}  // namespace
}  // namespace nmscds
