#pragma once
// FHIR R4 input (interfaces.md §4) -> Case. One mapping for every channel: `nmscds assess` and
// POST /api/assess (a Bundle document), the CDS services (prefetch and fetched data, §8.6) and, later,
// `nmscds screen` (Bulk NDJSON, §10). After this, every channel runs the same engine.
//
// Channels differ only in how strictly they treat data the caller cannot fix on the spot (§4.5, §4.9):
//   kDocument (assess, /api/assess): malformed resources and units not accepted for a recognised code are
//     errors (Error::Invalid, every problem with its FHIR element path, e.g.
//     "Bundle.entry[3].resource.valueQuantity.code"); no Case is produced.
//   kCds: a malformed resource is skipped, counted (`malformed`) and named in warning
//     INPUT_DATA_UNAVAILABLE; an unaccepted unit is skipped, counted (`unit_unsupported`) with warning
//     UNIT_UNSUPPORTED. Only request-level problems (prefetch data of another patient) are errors.
//   kBulk: as kCds; each skipped resource is returned to the screen, which reports it as a malformed line
//     (`file:line: message`) and counts it in the patient's data_errors (§7.3).
// Unrecognised resources and codes are counted in input.ignored, never errors.
//
// Implementation: fhir_mapper.h (the reading steps), fhir_resources.cc (collecting, references, patient,
// times), fhir_observations.cc (§4.4-4.5), fhir_clinical.cc (§4.6-4.7), fhir_medications.cc (§4.8).
// Code lists are in kb/fhir_codes.json; interpretations in doc/interpretations.md ("FHIR input").
#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "model/case.h"
#include "nmscds/status.h"

namespace nmscds {

class KnowledgeBase;

enum class FhirChannel { kDocument, kCds, kBulk };

struct FhirBundleOptions {
  std::optional<Instant> at_override;  // --at / ?at=: T0 (assessed_at_source "override")
  std::optional<Instant> now;          // the clock, used only without --at and Bundle.timestamp (§4.1)
};

// A Bundle document (§4.1): collection, searchset, transaction or batch. `bytes` are the input bytes as
// received (input.sha256). Paths in issues and evidence sources start with "Bundle".
Result<Case> ReadFhirBundle(simdjson::dom::element bundle, std::string_view bytes, const KnowledgeBase& kb,
                            const FhirBundleOptions& options);

// One piece of CDS data: a prefetch value or a page fetched from the FHIR server (§8.6).
struct FhirSource {
  std::string key;   // prefetch key: "patient", "vitals", "labs", "medication_requests", ...
  std::string path;  // element path root of this source: "prefetch.labs", "prefetch.labs.page[2]"
  simdjson::dom::element root;  // a Bundle (read as a searchset), or a single resource (Patient)
};

// Everything the CDS layer knows about one request once prefetch has been resolved (§8.6).
struct CdsData {
  std::string patient_id;  // context.patientId; patient.id when no Patient resource is supplied
  Instant t0 = 0;          // request time, truncated to seconds (assessed_at_source "request")
  std::string sha256;      // SHA-256 of the request body (input.sha256)
  std::vector<FhirSource> sources;      // every Bundle / resource that was supplied or fetched
  std::vector<std::string> unavailable;  // keys unavailable (OperationOutcome, failed optional fetch) or
                                         // partially read: input.unavailable + INPUT_DATA_UNAVAILABLE
  // §4.8: medication_requests and medication_administrations were both present (a Bundle or null):
  // the medication list is supplied even when it is empty.
  bool medication_list_complete = false;
  // §4.7: the conditions key was present (a Bundle or null): a problem list is supplied.
  bool problem_list_supplied = false;
};

// CDS channel (input.format "cds-hooks"). References resolve across all sources (a Medication included in
// the medication_requests Bundle, a Patient/<id> reference to context.patientId). A resource of another
// patient is Error::Invalid (HTTP 400) with its path.
Result<Case> ReadFhirCds(const CdsData& data, const KnowledgeBase& kb);

// One patient of a Bulk Data screen (§7.3): the resources the screen joined to `patient_id` through their
// `Patient/<id>` references, plus the Medication resources they reference. `origin` is the caller's handle
// for a resource (the screen's index of its file and line); element paths start with the resource type.
struct BulkResource {
  simdjson::dom::object resource;
  std::size_t origin = 0;
  std::string_view line;  // the NDJSON line's bytes: on this channel, identical duplicates are equal lines
};
// The hash of a line's bytes (XXH3, 64 bits), which stands for a line whose bytes are not kept (below).
std::uint64_t BulkLineHash(std::string_view line);

// One value of an Observation mapped on its own (BulkObservationMapper): what the mapping would add for it.
struct BulkMappedValue {
  ObsKind kind = ObsKind::kTemperature;  // weight and height included
  Comparator comparator = Comparator::kNone;
  TempRoute route = TempRoute::kNotGiven;
  bool baseline = false;
  std::int16_t component = -1;  // -1: the resource's own value; k: its component[k] (a panel)
  // The reference range's limits, each optional, as a flag and a value (read and set through ref_low(),
  // ref_high() and SetReferenceRange): 40 bytes a value instead of 56 with two std::optional, for the
  // values of every Observation the scan keeps.
  bool has_ref_low = false, has_ref_high = false;
  Fixed value;
  Instant time = 0;
  Fixed ref_low_value, ref_high_value;

  std::optional<Fixed> ref_low() const { return has_ref_low ? std::optional<Fixed>(ref_low_value) : std::nullopt; }
  std::optional<Fixed> ref_high() const { return has_ref_high ? std::optional<Fixed>(ref_high_value) : std::nullopt; }
  void SetReferenceRange(std::optional<Fixed> low, std::optional<Fixed> high) {
    has_ref_low = low.has_value();
    has_ref_high = high.has_value();
    ref_low_value = low.value_or(Fixed());
    ref_high_value = high.value_or(Fixed());
  }
};
static_assert(sizeof(BulkMappedValue) <= 40);

// An Observation of the screen's scan (pass 1) already mapped, so that its line need not be kept or parsed
// again: a measurement or blood-pressure panel with a time of its own whose reading raised no problem,
// warning or ignored part (anything else is read with its patient, pass 2). The patient's mapping then takes
// these values where it would have read the line (doc/screen.md "Mapping in the scan").
struct BulkMappedObservation {
  std::string_view id;  // "" when absent; held by the caller
  std::uint64_t line_hash = 0;  // BulkLineHash of its line
  std::uint8_t count = 0;
  BulkMappedValue values[2];  // a panel gives at most systolic and diastolic
};
// Maps Observations one at a time for the scan; one per thread (it holds a scratch Case, reused).
class BulkObservationMapper {
 public:
  explicit BulkObservationMapper(const KnowledgeBase& kb) : kb_(kb) {}
  // One Observation that names `patient_id`, at T0 `t0`, when it qualifies (above); nullopt otherwise.
  std::optional<BulkMappedObservation> Map(simdjson::dom::object resource, std::string_view patient_id, Instant t0);

 private:
  const KnowledgeBase& kb_;
  Case scratch_;  // of its members, the mapping of one Observation reads only those Map clears
};
// A mapped Observation in a patient's resources: read just before resources[before] (at the end when
// `before` is resources.size()), which keeps file and line order.
struct BulkMapped {
  const BulkMappedObservation* observation = nullptr;
  std::size_t before = 0;
  std::size_t origin = 0;  // the caller's handle, as BulkResource::origin
};
struct BulkPatient {
  std::string_view patient_id;
  Instant t0 = 0;  // --at or the clock (assessed_at_source "override")
  // §4.8: the export had a MedicationRequest or MedicationAdministration file, so the medication list is
  // supplied (possibly empty) for every patient.
  bool medication_files = false;
  std::vector<BulkResource> resources;  // in file, then line order
  std::vector<BulkMapped> mapped;       // in file, then line order
};
// A resource the mapping skipped (malformed, §4.9), with its first problem.
struct BulkSkipped {
  std::size_t origin = 0;
  Issue issue;
};
// Bulk channel: data problems never fail; each malformed resource is skipped and appended to `skipped`.
// An Error is returned only when the patient cannot be assessed at all (not expected from the screen's
// joining; reported by the screen as an internal failure).
Result<Case> ReadFhirBulkPatient(const BulkPatient& patient, const KnowledgeBase& kb,
                                 std::vector<BulkSkipped>& skipped);

// Whether an Observation coding is one the mapping reads (§4.5-4.6): a measurement kind, a panel, an
// nmscds finding or context code, or a finding code of kb/fhir_codes.json. The screen keeps an
// Observation only when one of its codings is read (doc/screen.md "Keep").
bool IsReadObservationCoding(const KnowledgeBase& kb, std::string_view system, std::string_view code);

// The drug of one MedicationRequest / MedicationAdministration / MedicationStatement (§4.8 "Identifying the
// drug"): RxNorm codes first, then names; medicationReference resolved in the resource's `contained` array,
// then among the entries of `bundle` (may be a null element). Used by the CDS order services for draft
// orders (§8.8, §8.9), which are never exposure.
struct IdentifiedDrug {
  std::vector<int> ingredients;  // knowledge-base drug indices; empty = not in the knowledge base
  std::string name;              // the text the drug was named by (display, text, or the first ingredient)
  std::string rxnorm;            // the RxNorm code that mapped, if any
  bool identified = false;       // false: no mappable code and no text at all
  bool matched_by_name = false;
};
IdentifiedDrug IdentifyMedication(simdjson::dom::object resource, simdjson::dom::element bundle,
                                  const KnowledgeBase& kb);

}  // namespace nmscds
