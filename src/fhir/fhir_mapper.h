#pragma once
// The FHIR R4 -> Case mapping (interfaces.md §4), shared by ReadFhirBundle and ReadFhirCds (fhir_reader.cc).
// Internal to src/fhir: one Mapper reads one input, resource by resource, into one Case.
//
// Reading happens in three steps:
//   1. Collect: every resource of every source is listed with its element path ("Bundle.entry[3].resource",
//      "prefetch.labs.entry[2].resource"); entries a Bundle type does not read, nested Bundles and identical
//      duplicates are counted; conflicting duplicates are problems (fhir_resources.cc).
//   2. Read: each resource is checked (status, subject) and mapped by its type (fhir_observations.cc,
//      fhir_clinical.cc, fhir_medications.cc). A resource's problems are kept apart until it is finished:
//      for a document they become errors; on the CDS channel the resource is skipped, counted `malformed`
//      and named in INPUT_DATA_UNAVAILABLE, and nothing it would have contributed is kept (§4.9).
//   3. Resolve: values that depend on several resources (latest weight, findings and context assertions,
//      administrations attached to their orders) are decided and the input warnings written.
#include <fmt/format.h>
#include <xxhash.h>

#include <functional>
#include <map>
#include <memory_resource>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fhir/fhir_json.h"
#include "io/reader_common.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"
#include "model/case.h"
#include "nmscds/status.h"

namespace nmscds::fhir {

// "<resource path>.component[k]": the source of a panel's component value (ReadPanel, ReadMapped), written
// without a format call, once per panel value.
std::string ComponentPath(std::string_view resource_path, std::size_t k);

// One resource of the input.
struct Res {
  object obj;
  std::string path;        // element path of the resource
  std::string_view type;   // resourceType
  std::string_view id;     // "" when absent
  std::string_view full_url;
  std::size_t source = 0;  // index of the FhirSource (CDS) it came from
  // Bulk channel: the line's bytes or, for an Observation mapped in the scan, its hash (duplicates, SameLine),
  // and that Observation's values: it has no `obj` to read (BulkObservationMapper).
  std::string_view line;
  std::uint64_t line_hash = 0;
  const BulkMappedObservation* mapped = nullptr;
};

// A resolved reference: a listed resource or a contained one.
struct Target {
  object obj;
  std::string path;
  const Res* res = nullptr;  // nullptr for a contained resource
};

// One assertion about a finding or context item; the latest wins, a tie goes to the higher rank (§4.6).
struct Assertion {
  Instant time = 0;
  int value = 0;  // Tri, or an enum value of the item
  int rank = 0;   // "more abnormal" order for ties
  std::string source;
  std::optional<Instant> date_value;    // context items that carry a dateTime
  std::optional<Fixed> quantity_value;  // expected_neutropenia_days
};

// A medication entry being built, with what later steps need to know about it.
struct MedDraft {
  Medication med;
  std::string_view resource_type;
  const Res* res = nullptr;
  bool matched_by_name = false;
  bool end_inferred = false;
};

// The drug of a medication resource (§4.8), resolved through a reference resolver.
struct DrugIdentity {
  std::vector<int> ingredients;
  std::string name;
  std::string rxnorm;
  std::string text;  // every text the drug was named by, for depot markers
  bool identified = false;
  bool matched_by_name = false;
};

class Mapper {
 public:
  Mapper(const KnowledgeBase& kb, FhirChannel channel, Case& c) : kb_(kb), channel_(channel), c_(c) {}

  // Fatal problems: every problem of a document; on the CDS channel only request-level ones.
  std::vector<Issue> issues;

  // Step 1. `root_path` is "Bundle" or "prefetch.<key>"; `source` indexes CdsData::sources (0 for a document).
  // `top_level_bundle`: a document (Bundle.type decides which entries are read, §4.1); otherwise a CDS
  // source, read as a searchset.
  void CollectBundle(object bundle, const std::string& root_path, std::size_t source, bool top_level_bundle);
  void CollectResource(object resource, std::string path, std::string_view full_url, std::size_t source,
                       std::string_view line = {});
  // Bulk channel: an Observation mapped in the screen's scan, in its place among the collected resources;
  // `source` is the caller's handle for it (as BulkResource::origin).
  void CollectMapped(const BulkMappedObservation& mapped, std::size_t source);
  void SetSourceKeys(std::vector<std::string> keys) { source_keys_ = std::move(keys); }

  // Step 2 and 3. `patient_id`: the CDS context patient (empty for a document, whose Patient is required).
  void ReadAll(Instant t0, std::string_view patient_id);

  // Bulk channel, the screen's scan: step 2 for one Observation of `patient_id` (a Mapper that has collected
  // nothing), alone; its values when it qualifies for BulkMappedObservation, else nullopt (it is then read
  // with its patient). It is collected without the duplicate index, which one resource cannot need.
  std::optional<BulkMappedObservation> MapAlone(object observation, Instant t0, std::string_view patient_id);

  // A problem with the shape of a Bundle or entry: an error for a document; on the CDS channel the entry is
  // skipped and counted (`malformed`).
  void StructureProblem(std::size_t source, std::string code, std::string path, std::string message);

  // CDS channel: the list of malformed-data sources, for INPUT_DATA_UNAVAILABLE.
  const std::set<std::string>& malformed_keys() const { return malformed_keys_; }
  // CDS and Bulk channels: each skipped resource's source index and its first problem, in reading order.
  const std::vector<std::pair<std::size_t, Issue>>& skipped() const { return skipped_; }

  // §4.8 "Identifying the drug" with any resolver of references (IdentifyMedication uses a Bundle scan).
  using ObjectResolver = std::function<std::optional<object>(object referrer, std::string_view reference)>;
  static DrugIdentity Identify(const KnowledgeBase& kb, object resource, const ObjectResolver& resolve);

  bool medication_resources_seen() const { return medication_resources_seen_; }
  bool condition_resources_seen() const { return condition_resources_seen_; }

 private:
  // --- problems of the resource being read (§4.9) ---
  void Problem(std::string code, std::string path, std::string message) {
    pending_.push_back(Issue{std::move(code), std::move(path), "fhir_path", std::move(message)});
  }
  bool ResourceOk() const { return pending_.empty(); }
  void FinishResource(const Res& r);
  void ReadMapped(const Res& r);  // the values of a BulkMappedObservation, as ReadMeasurement/ReadPanel add them
  void AddResource(Res&& r);      // indexes it by type and id (duplicates, §4.9) and by fullUrl
  void Ignore(std::string_view type, std::string_view reason) { AddIgnored(c_.input, type, reason); }

  // --- references and patient (fhir_resources.cc) ---
  std::optional<Target> Resolve(const Res& from, object from_obj, const std::string& from_path,
                                std::string_view reference) const;
  std::optional<Target> ResolveMember(const Res& r, std::string_view member) const;
  // §4.2: false when the resource names another patient (a problem is recorded); counts no_subject.
  bool CheckSubject(const Res& r);
  void ReadPatient(const Res& r);

  // --- times (fhir_resources.cc) ---
  // A date/time element: parsed (problems at its path), partial dates noted for INPUT_PARTIAL_DATE.
  // The element is at path `base` + `suffix`, joined only when a problem or a partial date needs the text.
  // `date_type`: the element is a FHIR date (birthDate), which a full day completes; only a year or a month
  // is partial.
  std::optional<FhirTime> Time(element e, std::string_view base, std::string_view suffix, bool date_type = false) {
    return TimeAt(e, [&] { return fmt::format("{}{}", base, suffix); }, date_type);
  }
  // The same with the path made by `path()`, called only when a problem or a partial date needs it.
  template <class PathFn>
  std::optional<FhirTime> TimeAt(element e, const PathFn& path, bool date_type = false);
  // The effective time of a resource (§4.3): effectiveDateTime / effectiveInstant / effectivePeriod (end,
  // else start), then `issued` when allowed. nullopt without a problem when there is none.
  std::optional<FhirTime> EffectiveTime(const Res& r, bool issued_fallback);
  Instant Place(const FhirTime& t) const { return PlaceAt(t, t0_); }

  // --- resources by type ---
  void ReadObservation(const Res& r);                       // fhir_observations.cc
  void ReadMeasurement(const Res& r, const ObservationKindDef& def, std::string_view loinc);
  void ReadPanel(const Res& r, std::string_view panel_loinc);
  std::optional<nmscds::Observation> Quantity(const Res& r, object holder, const std::string& holder_path,
                                              const ObservationKindDef& def, bool integer_allowed,
                                              std::optional<Instant> when);
  void ReadRange(const Res& r, const ObservationKindDef& def, nmscds::Observation& o);
  void ReadFindingObservation(const Res& r, std::string_view finding, std::string_view level);  // fhir_clinical.cc
  void ReadContextObservation(const Res& r, std::string_view item);
  void ReadCondition(const Res& r);
  void ReadProcedure(const Res& r);
  void ReadAllergy(const Res& r);
  void ReadDevice(const Res& r);
  void ReadMedicationRequest(const Res& r);  // fhir_medications.cc
  void ReadMedicationAdministration(const Res& r);
  void ReadMedicationStatement(const Res& r);
  DrugIdentity IdentifyIn(const Res& r);
  void CommonMedicationFields(const Res& r, MedDraft& d, const DrugIdentity& drug);

  // --- step 3 ---
  void ResolveWeightAndHeight();
  void ResolveFindings();
  void ResolveContext();
  void ResolveMedications();
  void WriteWarnings();

  // A candidate assertion within its window, or counted outside_window / after_assessed_at.
  bool InWindow(const Res& r, Instant time, std::optional<Instant> window);

  const KnowledgeBase& kb_;
  FhirChannel channel_;
  Case& c_;
  Instant t0_ = 0;
  std::string patient_id_;
  const Res* patient_ = nullptr;

  std::vector<Res> resources_;
  // The indexes' nodes come from one buffer per Mapper, released with it: no allocation per resource for a
  // patient's few resources (the screen reads one Mapper per patient), and plain growth for a large Bundle.
  std::byte index_buffer_[4096];
  std::pmr::monotonic_buffer_resource index_memory_{index_buffer_, sizeof index_buffer_};
  std::pmr::unordered_map<std::string_view, std::size_t> by_full_url_{&index_memory_};
  // The id's hash (XXH3: quicker than std::hash on short keys), told apart by the type's length: types
  // rarely share an id.
  struct TypeIdHash {
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const noexcept {
      return XXH3_64bits(k.second.data(), k.second.size()) ^ (k.first.size() * 0x9E3779B97F4A7C15ull);
    }
  };
  std::pmr::unordered_map<std::pair<std::string_view, std::string_view>, std::size_t, TypeIdHash> by_type_id_{
      &index_memory_};
  std::vector<std::string> source_keys_;

  std::vector<Issue> pending_;
  // Effective time of the DiagnosticReport that lists an Observation among its results, by Observation (its
  // element path is not unique on the Bulk channel): the time of a lab result that carries none itself.
  std::map<const Res*, FhirTime> report_times_;
  void CollectReportTimes();
  const UnitConversion* value_unit_ = nullptr;  // unit of the last quantity read (its range may omit one)
  std::set<std::string> malformed_keys_;
  std::vector<std::pair<std::size_t, Issue>> skipped_;

  // Step 2 results, resolved in step 3.
  struct Measured {
    Instant time = 0;
    bool dated = true;
    Fixed value;
    std::string source;
  };
  std::vector<Measured> weights_, heights_;
  std::map<std::string, std::vector<Assertion>, std::less<>> findings_;  // finding name -> assertions
  std::map<std::string, std::vector<Assertion>, std::less<>> context_;   // nmscds context item -> assertions
  std::map<std::string, std::vector<Assertion>, std::less<>> coded_context_;  // coded sources (§4.7 table)
  struct LineEvent {
    Instant at = 0;
    bool insertion = false;  // false: removal
    std::string source;
  };
  std::vector<LineEvent> line_events_;  // central line insertion/removal Procedures (§4.7)
  std::vector<MedDraft> meds_;
  // Administrations whose `request` resolved to a MedicationRequest: (that request, the event), attached
  // once every order is read.
  std::vector<std::pair<const Res*, MedDraft>> admin_by_request_;
  std::vector<std::pair<std::string, std::string>> partial_dates_;        // (path, text)
  std::vector<std::string> ranges_ignored_;
  std::vector<std::string> units_unsupported_;
  std::vector<std::string> unsupported_sources_;
  bool medication_resources_seen_ = false;
  bool condition_resources_seen_ = false;
};

template <class PathFn>
std::optional<FhirTime> Mapper::TimeAt(element e, const PathFn& path, bool date_type) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS) {
    Problem("wrong_type", path(), fmt::format("a date or date-time must be a string, not {}", DescribeJson(e)));
    return std::nullopt;
  }
  TimeProblem problem;
  auto t = ParseFhirTime(text, &problem);
  if (!t) {
    Problem("time_format", path(),
            problem == TimeProblem::kNoZone
                ? fmt::format("{} has a time but no time-zone offset; FHIR requires one (Z or +hh:mm)", Quoted(text))
                : fmt::format("{} is not a valid FHIR date or date-time", Quoted(text)));
    return std::nullopt;
  }
  if (!t->partial) return t;
  if (date_type && text.size() == 10) return t;  // YYYY-MM-DD
  partial_dates_.emplace_back(path(), std::string(text));
  return t;
}

}  // namespace nmscds::fhir
