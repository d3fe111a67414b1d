// Pass 1 of the screen (src/screen/scan.h; doc/screen.md "Keep", "Look-back cut"), line by line: what is kept,
// what is ignored, what is malformed and whom it is attributed to; the look-back derived from the knowledge
// base; the shard hash.
#include "screen/scan.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <deque>
#include <string>
#include <tuple>
#include <vector>

#include "common/time_util.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"

namespace nmscds {
namespace {

// A worker's records of one patient read back as the screen reads them (empty when it has none), and counts
// of the patients the worker saw.
PatientScan PatientOf(const ScanWorker& w, const std::string& id) {
  std::vector<PatientRecord> shard = w.records[ScanWorker::ShardOf(id)];
  PatientScan scan;
  for (const PatientGroup& g : GroupShard(shard)) {
    if (g.id == id) ReadPatientRecords(shard.data() + g.begin, shard.data() + g.end, scan);
  }
  return scan;
}
std::size_t PatientCount(const ScanWorker& w, const std::string& id) {
  std::vector<PatientRecord> shard = w.records[ScanWorker::ShardOf(id)];
  const std::vector<PatientGroup> groups = GroupShard(shard);
  return std::count_if(groups.begin(), groups.end(), [&](const PatientGroup& g) { return g.id == id; });
}
std::size_t PatientCount(const ScanWorker& w) {
  std::size_t n = 0;
  for (std::vector<PatientRecord> shard : w.records) n += GroupShard(shard).size();
  return n;
}

const KnowledgeBase& Kb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

constexpr char kLoinc[] = "http://loinc.org";
constexpr char kT0[] = "2026-11-20T14:00:00Z";

TEST(ScreenKeep, ObservationCodingsTheMappingReads) {
  struct Row {
    const char* system;
    const char* code;
    bool read;
  };
  const Row rows[] = {
      {kLoinc, "8310-5", true},                     // body temperature (kind.temperature)
      {kLoinc, "8331-1", true},                     // oral temperature
      {kLoinc, "2157-6", true},                     // creatine kinase
      {kLoinc, "751-8", true},                      // neutrophils (ANC)
      {kLoinc, "8302-2", true},                     // body height
      {kLoinc, "29463-7", true},                    // body weight
      {kLoinc, "85354-9", true},                    // blood-pressure panel
      {kLoinc, "2093-3", false},                    // cholesterol: no rule reads it
      {kLoinc, "", false},
      {"urn:nmscds:cs:finding", "tremor", true},    // nmscds codes are read,
      {"urn:nmscds:cs:finding", "nonsense", true},  // unknown ones too: the mapping reports them
      {"urn:nmscds:cs:context", "iv_access", true},
      {"http://snomed.info/sct", "38341003", false},  // hypertension
  };
  for (const Row& row : rows) {
    EXPECT_EQ(IsReadObservationCoding(Kb(), row.system, row.code), row.read) << row.system << " " << row.code;
  }
  // Every finding code of kb/fhir_codes.json is read.
  for (const FhirCode& c : Kb().fhir_codes[static_cast<std::size_t>(FhirCodeList::kFindingCodes)].codes) {
    EXPECT_TRUE(IsReadObservationCoding(Kb(), c.system, c.code)) << c.system << " " << c.code;
  }
}

TEST(ScreenLookBack, CoversEveryWindowOfTheKnowledgeBase) {
  ScanContext ctx;
  SetLookBack(Kb(), ctx);
  const Params& p = Kb().params;
  for (Fixed hours : {p.nms_window_h, p.vitals_window_h, p.anc_window_h, p.creatinine_window_h,
                      p.window_withdrawal_iec_h, p.antifungal_fever_hours}) {
    EXPECT_GE(ctx.look_back, hours.FloorInt() * kHour);
  }
  for (Fixed days : {p.hepatic_window_days, p.weight_window_days, p.recent_chemo_days, p.fhir_context_days,
                     p.central_line_procedure_days, p.window_withdrawal_phs_days}) {
    EXPECT_GE(ctx.look_back, days.FloorInt() * kDay);
  }
  EXPECT_GE(ctx.look_back_height, p.fhir_height_window_days.FloorInt() * kDay);
  // ... and is a cut at all: decades of history are not kept.
  EXPECT_LT(ctx.look_back, 100 * kDay);
}

TEST(ScreenShardHash, IsFnv1a64) {
  EXPECT_EQ(PatientHash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(PatientHash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(PatientHash("foobar"), 0x85944171f73967e8ull);
}

class ScanLines : public ::testing::Test {
 protected:
  ScanLines() {
    ctx_.kb = &Kb();
    ctx_.t0 = *ParseDateTime(kT0);
    SetLookBack(Kb(), ctx_);
  }
  // Scans one line (with simdjson's padding after it, as the chunk reader leaves it).
  void Scan(ScanWorker& w, const std::string& line, std::string_view file_type, bool terminated = true) {
    buffers_.push_back(line + std::string(simdjson::SIMDJSON_PADDING, ' '));
    ChunkLine l;
    l.bytes = std::string_view(buffers_.back()).substr(0, line.size());
    l.index_in_chunk = index_++;
    l.terminated = terminated;
    w.Line(0, l, file_type);
  }
  static std::string Obs(const std::string& code, const std::string& time, const std::string& patient = "p1",
                         const std::string& extra = "") {
    return R"({"resourceType":"Observation","id":"o)" + std::to_string(++counter_) + R"(",)" + extra +
           R"("status":"final","code":{"coding":[{"system":"http://loinc.org","code":")" + code +
           R"("}]},"subject":{"reference":"Patient/)" + patient + R"("},"effectiveDateTime":")" + time +
           R"(","valueQuantity":{"value":39.2,"unit":"Cel","system":"http://unitsofmeasure.org","code":"Cel"}})";
  }
  ScanContext ctx_;
  std::deque<std::string> buffers_;
  std::uint64_t index_ = 0;
  static inline int counter_ = 0;
};

TEST_F(ScanLines, KeepsWhatTheMappingReadsWithinTheLookBack) {
  ScanWorker w(ctx_);
  Scan(w, Obs("8310-5", "2026-11-20T10:00:00Z"), "Observation");   // temperature today: kept
  Scan(w, Obs("8310-5", "2019-01-01T10:00:00Z"), "Observation");   // years ago: cut
  Scan(w, Obs("8302-2", "2026-03-01T10:00:00Z"), "Observation");   // a height of this year: kept
  Scan(w, Obs("2093-3", "2026-11-20T10:00:00Z"), "Observation");   // cholesterol: not read
  Scan(w, Obs("8310-5", "2019-01-01T10:00:00Z", "p1",
              R"("meta":{"tag":[{"system":"urn:nmscds:cs:tag","code":"baseline"}]},)"),
       "Observation");                                               // an old baseline: kept
  Scan(w, Obs("8310-5", "2026-11", "p2"), "Observation");           // partial date, its month: kept
  // A height older than the other kinds' look-back, within the height window, in cm: kept and mapped (the
  // keep filter first, then the mapping); a temperature as old: cut.
  const std::string older = FormatDateTime(ctx_.t0 - ctx_.look_back - kDay);
  ASSERT_LT(ctx_.look_back + kDay, ctx_.look_back_height);
  Scan(w, R"({"resourceType":"Observation","id":"h2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8302-2"}]},"subject":{"reference":"Patient/p3"},"effectiveDateTime":")" +
              older + R"(","valueQuantity":{"value":170,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}})",
       "Observation");
  Scan(w, Obs("8310-5", older, "p3"), "Observation");
  EXPECT_EQ(w.lines, 8u);
  EXPECT_EQ(w.used, 5u);
  EXPECT_EQ(w.ignored, 3u);
  EXPECT_EQ(w.malformed_count, 0u);
  ASSERT_EQ(PatientCount(w, "p1"), 1u);
  // Kept: the two temperatures as mapped values, the height (39.2 Cel: a unit not accepted, left to the
  // patient's mapping to report) as its line; p2's partial date as its line.
  EXPECT_EQ(PatientOf(w, "p1").mapped.size(), 2u);
  EXPECT_EQ(PatientOf(w, "p1").lines.size(), 1u);
  EXPECT_FALSE(PatientOf(w, "p1").has_patient_line);
  EXPECT_EQ(PatientOf(w, "p2").lines.size(), 1u);
  EXPECT_EQ(PatientOf(w, "p2").mapped.size(), 0u);
  ASSERT_EQ(PatientOf(w, "p3").mapped.size(), 1u);
  EXPECT_EQ(PatientOf(w, "p3").mapped[0].observation->values[0].kind, ObsKind::kHeight);
  EXPECT_EQ(PatientOf(w, "p3").lines.size(), 0u);
}

// Which Observations the scan maps on its own (BulkObservationMapper): clean measurements and panels with a
// time of their own; everything else stays a line for the patient's mapping (doc/screen.md).
TEST(ScreenMapInScan, OnlyCleanMeasurementsAndPanelsWithTheirOwnTime) {
  const std::string head = R"({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},)";
  const std::string temp = R"("code":{"coding":[{"system":"http://loinc.org","code":"8310-5"}]},)";
  const std::string when = R"("effectiveDateTime":"2026-11-20T10:00:00Z",)";
  const std::string cel = R"("valueQuantity":{"value":39.2,"system":"http://unitsofmeasure.org","code":"Cel"})";
  const std::string panel =
      R"("code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"component":[)"
      R"({"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"/min"}},)"
      R"({"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":150,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},)"
      R"({"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":90,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]})";
  struct Row {
    const char* what;
    std::string line;
    int values;  // -1: not mapped
  };
  const Row rows[] = {
      {"temperature", head + R"("status":"final",)" + temp + when + cel + "}", 1},
      {"blood-pressure panel (its heart-rate component is not the panel's)", head + R"("status":"final",)" + when + panel, 2},
      {"weight", head + R"("status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},)" + when +
                     R"("valueQuantity":{"value":70,"system":"http://unitsofmeasure.org","code":"kg"}})", 1},
      {"weight without a time", head + R"("status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},)" +
                                     R"("valueQuantity":{"value":70,"system":"http://unitsofmeasure.org","code":"kg"}})", -1},
      {"partial date", head + R"("status":"final",)" + temp + R"("effectiveDateTime":"2026-11",)" + cel + "}", -1},
      {"unit not accepted", head + R"("status":"final",)" + temp + when +
                                R"("valueQuantity":{"value":39.2,"system":"http://unitsofmeasure.org","code":"mg"}})", -1},
      {"unreadable reference range", head + R"("status":"final",)" + temp + when + cel +
                                         R"(,"referenceRange":[{"high":{"value":1,"unit":"furlong"}}]})", -1},
      {"no value", head + R"("status":"final",)" + temp + when + R"("dataAbsentReason":{"text":"refused"}})", -1},
      {"entered in error", head + R"("status":"entered-in-error",)" + temp + when + cel + "}", -1},
      {"cancelled", head + R"("status":"cancelled",)" + temp + when + cel + "}", -1},
      {"malformed (no status)", head + temp + when + cel + "}", -1},
      {"a finding", head + R"("status":"final","code":{"coding":[{"system":"urn:nmscds:cs:finding","code":"tremor"}]},)" +
                        when + R"("valueBoolean":true})", -1},
      {"another patient", R"({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p2"},"status":"final",)" +
                              temp + when + cel + "}", -1},
  };
  BulkObservationMapper mapper(Kb());
  const Instant t0 = *ParseDateTime("2026-11-20T14:00:00Z");
  for (const Row& row : rows) {
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    ASSERT_EQ(parser.parse(row.line).get(obj), simdjson::SUCCESS) << row.what;
    auto mapped = mapper.Map(obj, "p1", t0);
    EXPECT_EQ(mapped ? mapped->count : -1, row.values) << row.what;
    if (!mapped) continue;
    EXPECT_EQ(mapped->id, "o1") << row.what;
    EXPECT_EQ(mapped->values[0].time, *ParseDateTime("2026-11-20T10:00:00Z")) << row.what;
  }
  // The panel's values keep their component positions (their evidence sources): 1 and 2, not 0 and 1.
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  const std::string bp = head + R"("status":"final",)" + when + panel;
  ASSERT_EQ(parser.parse(bp).get(obj), simdjson::SUCCESS);
  auto mapped = mapper.Map(obj, "p1", t0);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->values[0].kind, ObsKind::kSystolicBp);
  EXPECT_EQ(mapped->values[0].component, 1);
  EXPECT_EQ(mapped->values[1].kind, ObsKind::kDiastolicBp);
  EXPECT_EQ(mapped->values[1].component, 2);
  EXPECT_EQ(mapped->values[1].value, *Fixed::Parse("90"));
}

TEST_F(ScanLines, JoinsByPatientReferenceAndCountsLinesWithoutOne) {
  ScanWorker w(ctx_);
  Scan(w, R"({"resourceType":"Patient","id":"p1","gender":"female"})", "Patient");
  Scan(w, R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1/_history/3"}})", "Condition");
  Scan(w, R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Group/g1"}})", "Condition");
  Scan(w, R"({"resourceType":"Condition","id":"c3"})", "Condition");
  Scan(w, R"({"resourceType":"AllergyIntolerance","id":"a1","patient":{"reference":"Patient/p1"}})",
       "AllergyIntolerance");
  Scan(w, R"({"resourceType":"MedicationRequest","id":"m1","status":"active","subject":{"reference":"Patient/p1"},"medicationReference":{"reference":"Medication/halo"}})",
       "MedicationRequest");
  Scan(w, R"({"resourceType":"Medication","id":"halo","code":{"text":"haloperidol"}})", "Medication");
  EXPECT_EQ(w.no_subject, 2u);
  EXPECT_EQ(w.used, 5u);  // Patient, c1, a1, m1, the Medication
  const PatientScan& p = PatientOf(w, "p1");
  EXPECT_TRUE(p.has_patient_line);
  EXPECT_EQ(p.lines.size(), 4u);
  ASSERT_EQ(p.medication_refs.size(), 1u);
  EXPECT_EQ(p.medication_refs[0], "halo");
  EXPECT_EQ(w.medications.count("halo"), 1u);
}

TEST_F(ScanLines, MalformedLinesAreCountedAndAttributedWhenTheirPatientCanBeRead) {
  ScanWorker w(ctx_);
  Scan(w, "not json", "Observation");
  Scan(w, "[1,2]", "Observation");
  Scan(w, R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p7"}})", "Observation");
  Scan(w, R"({"resourceType":"Patient"})", "Patient");
  // Cut short after its subject, without a line end: still attributed to p9.
  Scan(w, R"({"resourceType":"Observation","id":"o9","subject":{"reference":"Patient/p9"},"code":{"cod)",
       "Observation", /*terminated=*/false);
  Scan(w, "   ", "Observation");  // blank: not a line
  EXPECT_EQ(w.lines, 5u);
  EXPECT_EQ(w.malformed_count, 5u);
  ASSERT_EQ(w.malformed.size(), 5u);
  EXPECT_NE(w.malformed[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(w.malformed[1].message.find("not a JSON object"), std::string::npos);
  EXPECT_NE(w.malformed[2].message.find("a Condition in a file of Observation"), std::string::npos);
  EXPECT_NE(w.malformed[3].message.find("Patient.id"), std::string::npos);
  EXPECT_NE(w.malformed[4].message.find("cut short"), std::string::npos);
  EXPECT_EQ(w.malformed[4].index, 4u);
  EXPECT_EQ(PatientOf(w, "p7").data_errors, 1u);
  EXPECT_EQ(PatientOf(w, "p9").data_errors, 1u);
}

TEST_F(ScanLines, SinceMarksPatientsWithRecentData) {
  ctx_.since = *ParseDateTime("2026-11-19T00:00:00Z");
  ScanWorker w(ctx_);
  Scan(w, Obs("2093-3", "2026-11-19T00:00:00Z", "recent"), "Observation");  // not kept, but recent: at since
  Scan(w, Obs("8310-5", "2026-11-18T23:59:59Z", "old"), "Observation");
  Scan(w, R"({"resourceType":"Patient","id":"updated","meta":{"lastUpdated":"2026-11-20T01:00:00Z"}})", "Patient");
  // Each time member the screen asks, recent or not; a Period by its end, else its start; the first member of a
  // name counts (a repeated name is not read again).
  const std::string cond = R"({"resourceType":"Condition","subject":{"reference":"Patient/)";
  Scan(w, cond + R"(c-recorded"},"recordedDate":"2026-11-19T08:00:00Z"})", "Condition");
  Scan(w, cond + R"(c-onset"},"onsetPeriod":{"start":"2026-11-19T08:00:00Z"}})", "Condition");
  Scan(w, cond + R"(c-ended"},"onsetPeriod":{"start":"2020-01-01","end":"2026-11-20"}})", "Condition");
  Scan(w, cond + R"(c-abated"},"abatementDateTime":"2026-11-19T00:00:00Z","onsetDateTime":"2001-01-01"})",
       "Condition");
  Scan(w, cond + R"(c-old"},"onsetDateTime":"2001-01-01","recordedDate":"2026-11-18T23:59:59Z",)"
                 R"("meta":{"lastUpdated":"2026-01-01T00:00:00Z"}})",
       "Condition");
  Scan(w, cond + R"(c-repeated"},"recordedDate":"2001-01-01","recordedDate":"2026-11-20T00:00:00Z"})", "Condition");
  Scan(w, R"({"resourceType":"MedicationRequest","subject":{"reference":"Patient/m-authored"},)"
          R"("authoredOn":"2026-11-19T10:00:00Z"})",
       "MedicationRequest");
  EXPECT_TRUE(PatientOf(w, "recent").recent);
  EXPECT_FALSE(PatientOf(w, "old").recent);
  EXPECT_TRUE(PatientOf(w, "updated").recent);
  EXPECT_TRUE(PatientOf(w, "c-recorded").recent);
  EXPECT_TRUE(PatientOf(w, "c-onset").recent);
  EXPECT_TRUE(PatientOf(w, "c-ended").recent);
  EXPECT_TRUE(PatientOf(w, "c-abated").recent);
  EXPECT_FALSE(PatientOf(w, "c-old").recent);
  EXPECT_FALSE(PatientOf(w, "c-repeated").recent);
  EXPECT_TRUE(PatientOf(w, "m-authored").recent);
}

TEST_F(ScanLines, OtherShardsAreIgnored) {
  ctx_.shard_count = 2;
  ctx_.shard_index = PatientHash("p1") % 2;
  ScanWorker w(ctx_);
  const std::string other = PatientHash("p2") % 2 == ctx_.shard_index ? "p3" : "p2";
  ASSERT_NE(PatientHash(other) % 2, ctx_.shard_index);
  Scan(w, Obs("8310-5", "2026-11-20T10:00:00Z", "p1"), "Observation");
  Scan(w, Obs("8310-5", "2026-11-20T10:00:00Z", other), "Observation");
  EXPECT_EQ(w.other_shard, 1u);
  EXPECT_EQ(PatientCount(w), 1u);
  EXPECT_EQ(PatientCount(w, "p1"), 1u);
}


// The join (doc/screen.md "Join"): a shard's records, concatenated from two workers that each read chunks in
// increasing order, come out grouped by patient in order of first appearance, each patient's records in file
// then line order, with its data errors and --since mark summed over them.
TEST(ScreenJoin, GroupShardGathersEachPatientInFileOrder) {
  using Kind = PatientRecord::Kind;
  const std::string a = "pa", b = "pb";
  auto rec = [](std::string_view id, std::uint32_t chunk, std::uint32_t index, Kind kind, bool recent = false) {
    PatientRecord r;
    r.patient_id = id;
    r.chunk = chunk;
    r.index = index;
    r.kind = kind;
    r.recent = recent;
    return r;
  };
  std::vector<PatientRecord> shard = {
      // worker 1: chunks 0 and 2
      rec(a, 0, 5, Kind::kLine), rec(b, 0, 6, Kind::kMapped), rec(a, 0, 9, Kind::kDataError),
      rec(a, 2, 1, Kind::kLine), rec(a, 2, 1, Kind::kMedicationRef),
      // worker 2: chunks 1 and 3
      rec(b, 1, 0, Kind::kSeen, true), rec(a, 1, 3, Kind::kMapped), rec(a, 3, 0, Kind::kDataError),
      rec(b, 3, 2, Kind::kLine)};
  const std::vector<PatientGroup> groups = GroupShard(shard);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].id, a);
  EXPECT_EQ(groups[1].id, b);
  EXPECT_EQ(groups[0].data_errors, 2u);
  EXPECT_FALSE(groups[0].recent);
  EXPECT_EQ(groups[1].data_errors, 0u);
  EXPECT_TRUE(groups[1].recent);
  auto where = [&](const PatientGroup& g) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, Kind>> out;
    for (std::size_t i = g.begin; i < g.end; ++i) {
      EXPECT_EQ(shard[i].patient_id, g.id);
      out.emplace_back(shard[i].chunk, shard[i].index, shard[i].kind);
    }
    return out;
  };
  using W = std::vector<std::tuple<std::uint32_t, std::uint32_t, Kind>>;
  EXPECT_EQ(where(groups[0]), (W{{0, 5, Kind::kLine}, {0, 9, Kind::kDataError}, {1, 3, Kind::kMapped},
                                 {2, 1, Kind::kLine}, {2, 1, Kind::kMedicationRef}, {3, 0, Kind::kDataError}}));
  EXPECT_EQ(where(groups[1]), (W{{0, 6, Kind::kMapped}, {1, 0, Kind::kSeen}, {3, 2, Kind::kLine}}));
  // Read back: the kept lines, mapped values and references of patient a, in that order.
  PatientScan scan;
  ReadPatientRecords(shard.data() + groups[0].begin, shard.data() + groups[0].end, scan);
  ASSERT_EQ(scan.lines.size(), 2u);
  EXPECT_EQ(scan.lines[0].chunk, 0u);
  EXPECT_EQ(scan.lines[1].chunk, 2u);
  EXPECT_EQ(scan.mapped.size(), 1u);
  EXPECT_EQ(scan.medication_refs.size(), 1u);
  EXPECT_EQ(scan.data_errors, 2u);
  // The scan is reused from patient to patient: nothing of a is left in b's.
  ReadPatientRecords(shard.data() + groups[1].begin, shard.data() + groups[1].end, scan);
  EXPECT_EQ(scan.lines.size(), 1u);
  EXPECT_EQ(scan.mapped.size(), 1u);
  EXPECT_TRUE(scan.medication_refs.empty());
  EXPECT_EQ(scan.data_errors, 0u);
  EXPECT_TRUE(scan.recent);
}

}  // namespace
}  // namespace nmscds
