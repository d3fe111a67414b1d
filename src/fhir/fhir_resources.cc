// Collecting resources, references, the patient, times and per-resource problems (interfaces.md §4.1-4.4,
// §4.9), and the reading loop.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "fhir/fhir_mapper.h"

namespace nmscds::fhir {

namespace {

constexpr std::string_view kReadBundleTypes[] = {"collection", "searchset", "transaction", "batch"};
constexpr std::string_view kRefusedBundleTypes[] = {"document", "message", "history", "transaction-response",
                                                    "batch-response"};

}  // namespace

// ---- step 1: collecting -----------------------------------------------------------------------------------

void Mapper::StructureProblem(std::size_t source, std::string code, std::string path, std::string message) {
  if (channel_ == FhirChannel::kDocument) {
    issues.push_back(Issue{std::move(code), std::move(path), "fhir_path", std::move(message)});
    return;
  }
  Ignore("Bundle", "malformed");
  if (source < source_keys_.size()) malformed_keys_.insert(source_keys_[source]);
  skipped_.emplace_back(source, Issue{std::move(code), std::move(path), "fhir_path", std::move(message)});
}

void Mapper::CollectBundle(object bundle, const std::string& root_path, std::size_t source, bool top_level_bundle) {
  std::string_view type = StringMember(bundle, "type");
  if (top_level_bundle) {
    if (type.empty()) {
      StructureProblem(source, "missing_element", root_path + ".type", "a Bundle needs its type");
      return;
    }
    if (std::find(std::begin(kRefusedBundleTypes), std::end(kRefusedBundleTypes), type) !=
            std::end(kRefusedBundleTypes) ||
        std::find(std::begin(kReadBundleTypes), std::end(kReadBundleTypes), type) == std::end(kReadBundleTypes)) {
      StructureProblem(source, "bundle_type_unsupported", root_path + ".type",
                       fmt::format("a Bundle of type {} is not accepted; send a collection, searchset, transaction "
                                   "or batch Bundle",
                                   Quoted(type)));
      return;
    }
    c_.input.bundle_type = std::string(type);
  } else {
    type = "searchset";  // CDS prefetch and fetched pages are search results (§8.6)
  }
  auto entry_el = Member(bundle, "entry");
  if (!entry_el) return;
  array entries;
  if (entry_el->get(entries) != simdjson::SUCCESS) {
    StructureProblem(source, "wrong_type", root_path + ".entry", "Bundle.entry must be an array");
    return;
  }
  std::size_t i = 0;
  for (element e : entries) {
    const std::string path = fmt::format("{}.entry[{}]", root_path, i++);
    object entry;
    if (e.get(entry) != simdjson::SUCCESS) {
      StructureProblem(source, "wrong_type", path, "a Bundle entry must be an object");
      continue;
    }
    auto resource = ObjectMember(entry, "resource");
    std::string_view resource_type = resource ? StringMember(*resource, "resourceType") : std::string_view();
    std::string_view counted_as = resource_type.empty() ? std::string_view("Bundle.entry") : resource_type;
    if (type == "searchset") {
      // §4.1: match and include entries (or no search) are read; outcome entries are counted.
      auto search = ObjectMember(entry, "search");
      if (search && StringMember(*search, "mode") == "outcome") {
        ++c_.input.read;
        Ignore(counted_as, "unsupported_resource_type");
        continue;
      }
    } else if (type == "transaction" || type == "batch") {
      // §4.1: only entries that create or replace a resource are data.
      auto request = ObjectMember(entry, "request");
      std::string_view method = request ? StringMember(*request, "method") : std::string_view();
      if (method != "POST" && method != "PUT") {
        ++c_.input.read;
        Ignore(counted_as, "status_excluded");
        continue;
      }
    }
    if (!resource) {
      StructureProblem(source, "missing_element", path + ".resource", "the entry has no resource object");
      continue;
    }
    CollectResource(*resource, path + ".resource", StringMember(entry, "fullUrl"), source);
  }
}

void Mapper::CollectResource(object resource, std::string path, std::string_view full_url, std::size_t source,
                             std::string_view line) {
  std::string_view type = StringMember(resource, "resourceType");
  if (type.empty()) {
    StructureProblem(source, "missing_element", path + ".resourceType", "a resource needs its resourceType");
    return;
  }
  ++c_.input.read;
  if (type == "Bundle") {  // §4.1: nested Bundles are not read
    Ignore(type, "unsupported_resource_type");
    return;
  }
  Res r{resource, std::move(path), type, StringMember(resource, "id"), full_url, source, line, 0, nullptr};
  AddResource(std::move(r));
}

void Mapper::CollectMapped(const BulkMappedObservation& mapped, std::size_t source) {
  ++c_.input.read;
  AddResource(Res{{}, "Observation", "Observation", mapped.id, {}, source, {}, mapped.line_hash, &mapped});
}

namespace {
// Bulk channel: whether two resources are the same line. Lines are compared by their bytes; an Observation
// mapped in the scan has only its line's hash, which its twin's line is then hashed to compare with (rare:
// the hash is computed only for a duplicate id).
bool SameLine(const Res& a, const Res& b) {
  if (a.mapped == nullptr && b.mapped == nullptr) return a.line == b.line;
  auto hash = [](const Res& r) { return r.mapped != nullptr ? r.line_hash : BulkLineHash(r.line); };
  return hash(a) == hash(b);
}
}  // namespace

void Mapper::AddResource(Res&& r) {
  if (!r.id.empty()) {
    auto [it, inserted] = by_type_id_.try_emplace(std::make_pair(r.type, r.id), resources_.size());
    if (!inserted) {
      // §4.9: identical duplicates are read once; a different resource under the same id is a problem. On
      // the Bulk channel, where resources are NDJSON lines, identical means the same line.
      const Res& first = resources_[it->second];
      if (channel_ == FhirChannel::kBulk ? SameLine(first, r) : simdjson::minify(first.obj) == simdjson::minify(r.obj)) {
        Ignore(r.type, "duplicate");
      } else {
        StructureProblem(r.source, "duplicate_resource", r.path + ".id",
                         fmt::format("{}/{} is also at {} with different content", r.type, r.id, first.path));
      }
      return;
    }
  }
  if (!r.full_url.empty()) by_full_url_.emplace(r.full_url, resources_.size());
  resources_.push_back(std::move(r));
}

// ---- references and the patient (§4.2, §4.4) --------------------------------------------------------------

std::optional<Target> Mapper::Resolve(const Res& from, object from_obj, const std::string& from_path,
                                      std::string_view reference) const {
  (void)from;
  if (reference.empty()) return std::nullopt;
  if (reference.front() == '#') {  // 1. contained
    auto contained = ArrayMember(from_obj, "contained");
    if (!contained) return std::nullopt;
    std::size_t k = 0;
    for (element e : *contained) {
      object o;
      if (e.get(o) == simdjson::SUCCESS && StringMember(o, "id") == reference.substr(1)) {
        return Target{o, fmt::format("{}.contained[{}]", from_path, k), nullptr};
      }
      ++k;
    }
    return std::nullopt;
  }
  const bool absolute = reference.rfind("urn:uuid:", 0) == 0 || reference.rfind("urn:oid:", 0) == 0 ||
                        reference.find("://") != std::string_view::npos;
  if (absolute) {  // 2. and 3.: the entry whose fullUrl is equal
    auto it = by_full_url_.find(reference);
    if (it == by_full_url_.end()) return std::nullopt;
    const Res& r = resources_[it->second];
    return Target{r.obj, r.path, &r};
  }
  auto [type, id] = ReferenceTypeAndId(reference);  // 4. relative Type/id
  if (type.empty()) return std::nullopt;
  if (auto it = by_type_id_.find({type, id}); it != by_type_id_.end()) {
    const Res& r = resources_[it->second];
    if (r.mapped != nullptr) return std::nullopt;  // values only, nothing to read (and never a valid target)
    return Target{r.obj, r.path, &r};
  }
  // A fullUrl ending in /<type>/<id> (compared in place: most resources have no fullUrl at all).
  const std::size_t suffix_size = type.size() + id.size() + 2;
  for (const Res& r : resources_) {
    std::string_view url = r.full_url;
    if (url.size() < suffix_size) continue;
    url.remove_prefix(url.size() - suffix_size);
    if (url[0] == '/' && url.substr(1, type.size()) == type && url[type.size() + 1] == '/' &&
        url.substr(type.size() + 2) == id) {
      return Target{r.obj, r.path, &r};
    }
  }
  return std::nullopt;
}

std::optional<Target> Mapper::ResolveMember(const Res& r, std::string_view member) const {
  auto ref = ObjectMember(r.obj, member);
  if (!ref) return std::nullopt;
  return Resolve(r, r.obj, r.path, StringMember(*ref, "reference"));
}

bool Mapper::CheckSubject(const Res& r) {
  const std::string_view member = PatientMember(r.type);
  auto ref_obj = ObjectMember(r.obj, member);
  std::string_view reference = ref_obj ? StringMember(*ref_obj, "reference") : std::string_view();
  if (reference.empty()) {  // §4.2: assumed to be the patient's, and counted
    Ignore(r.type, "no_subject");
    return true;
  }
  auto [type, id] = ReferenceTypeAndId(reference);
  if (type == "Patient" && id == patient_id_) return true;
  if (auto target = Resolve(r, r.obj, r.path, reference); target && patient_ != nullptr && target->res == patient_) {
    return true;
  }
  const std::string path = fmt::format("{}.{}.reference", r.path, member);
  // Data of another patient is never a skippable data problem: the request itself is wrong (§4.9).
  issues.push_back(Issue{"patient_mismatch", path, "fhir_path",
                         fmt::format("{} refers to {}, not to the patient {} being assessed", r.type,
                                     Quoted(reference), patient_id_)});
  return false;
}

void Mapper::ReadPatient(const Res& r) {
  std::string_view gender = StringMember(r.obj, "gender");
  if (!gender.empty()) {
    static constexpr std::pair<std::string_view, Sex> kGenders[] = {
        {"female", Sex::kFemale}, {"male", Sex::kMale}, {"other", Sex::kOther}, {"unknown", Sex::kUnknown}};
    auto it = std::find_if(std::begin(kGenders), std::end(kGenders), [&](const auto& g) { return g.first == gender; });
    if (it == std::end(kGenders)) {
      Problem("enum_value", r.path + ".gender", fmt::format("gender {} is not a FHIR administrative gender", Quoted(gender)));
    } else {
      c_.sex = it->second;
      c_.sex_source = r.path + ".gender";
    }
  }
  if (auto birth = Member(r.obj, "birthDate")) {
    const std::string path = r.path + ".birthDate";
    if (auto t = Time(*birth, r.path, ".birthDate", /*date_type=*/true)) {
      // §4.3: a partial birth date gives the oldest possible age (the earliest day it denotes).
      if (t->start > t0_) {
        Problem("time_order", path, fmt::format("birthDate is after the assessment time {}", FormatDateTime(t0_)));
      } else if (int age = AgeInYears(t->start - t->start % kDay, t0_); age > 130) {
        Problem("out_of_range", path, fmt::format("birthDate gives an age of {} years; at most 130 is plausible", age));
      } else {
        c_.age_years = age;
        c_.age_source = path;
      }
    }
  }
}

// ---- times (§4.3) -------------------------------------------------------------------------------------------

std::optional<FhirTime> Mapper::EffectiveTime(const Res& r, bool issued_fallback) {
  if (Member(r.obj, "effectiveTiming")) {
    Problem("unsupported_element", r.path + ".effectiveTiming", "effectiveTiming cannot be read; send effectiveDateTime");
    return std::nullopt;
  }
  for (std::string_view suffix : {".effectiveDateTime", ".effectiveInstant"}) {
    if (auto e = Member(r.obj, suffix.substr(1))) return Time(*e, r.path, suffix);
  }
  if (auto period = ObjectMember(r.obj, "effectivePeriod")) {
    for (std::string_view suffix : {".effectivePeriod.end", ".effectivePeriod.start"}) {
      if (auto e = Member(*period, suffix.substr(suffix.rfind('.') + 1))) return Time(*e, r.path, suffix);
    }
  }
  if (issued_fallback) {
    if (auto e = Member(r.obj, "issued")) return Time(*e, r.path, ".issued");
    // A result without a time of its own was collected when its DiagnosticReport says (interfaces
    // §4.3 is silent; doc/interpretations.md "FHIR: lab results timed by their report").
    if (auto it = report_times_.find(&r); it != report_times_.end()) return it->second;
  }
  return std::nullopt;
}

void Mapper::CollectReportTimes() {
  for (const Res& r : resources_) {
    if (r.type != "DiagnosticReport") continue;
    std::optional<element> when = Member(r.obj, "effectiveDateTime");
    if (!when) {
      if (auto period = ObjectMember(r.obj, "effectivePeriod")) when = Member(*period, "start");
    }
    if (!when) when = Member(r.obj, "issued");
    std::string_view text;
    if (!when || when->get(text) != simdjson::SUCCESS) continue;
    TimeProblem problem;
    auto t = ParseFhirTime(text, &problem);
    if (!t) continue;  // the report itself is not read: its bad time is no problem of the results
    auto results = ArrayMember(r.obj, "result");
    if (!results) continue;
    for (element e : *results) {
      object ref;
      if (e.get(ref) != simdjson::SUCCESS) continue;
      auto target = Resolve(r, r.obj, r.path, StringMember(ref, "reference"));
      if (target && target->res != nullptr) report_times_.emplace(target->res, *t);
    }
  }
}

bool Mapper::InWindow(const Res& r, Instant time, std::optional<Instant> window) {
  if (time > t0_) {
    Ignore(r.type, "after_assessed_at");
    return false;
  }
  if (window && time < t0_ - *window) {
    Ignore(r.type, "outside_window");
    return false;
  }
  return true;
}

void Mapper::FinishResource(const Res& r) {
  if (pending_.empty()) return;
  if (channel_ == FhirChannel::kDocument) {
    issues.insert(issues.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
  } else {
    Ignore(r.type, "malformed");
    if (r.source < source_keys_.size()) malformed_keys_.insert(source_keys_[r.source]);
    skipped_.emplace_back(r.source, std::move(pending_.front()));
  }
  pending_.clear();
}

// ---- step 2 and 3 -------------------------------------------------------------------------------------------

void Mapper::ReadAll(Instant t0, std::string_view patient_id) {
  t0_ = t0;
  patient_id_ = std::string(patient_id);
  // The patient (§4.1, §4.4; CDS §8.6).
  for (const Res& r : resources_) {
    if (r.type != "Patient") continue;
    if (r.id.empty()) {
      issues.push_back(Issue{"missing_element", r.path + ".id", "fhir_path", "the Patient needs its id"});
      continue;
    }
    if (!patient_id.empty() && r.id != patient_id) {
      issues.push_back(Issue{"patient_mismatch", r.path + ".id", "fhir_path",
                             fmt::format("Patient {} is not the patient of the request ({})", r.id, patient_id)});
      continue;
    }
    if (patient_ != nullptr && patient_->id != r.id) {
      issues.push_back(Issue{"multiple_patients", r.path + ".id", "fhir_path",
                             fmt::format("a second patient ({}) besides {}; send one patient's data", r.id,
                                         patient_->id)});
      continue;
    }
    if (patient_ == nullptr) patient_ = &r;
  }
  if (patient_ == nullptr && patient_id.empty()) {
    if (issues.empty()) {
      issues.push_back(Issue{"no_patient", "Bundle", "fhir_path", "the Bundle contains no Patient resource"});
    }
    return;
  }
  if (!issues.empty()) return;
  if (patient_ != nullptr) {
    patient_id_ = std::string(patient_->id);
    ReadPatient(*patient_);
    FinishResource(*patient_);
  }
  c_.patient_id = patient_id_;
  CollectReportTimes();

  for (const Res& r : resources_) {
    if (r.type == "Patient" || r.type == "Medication") continue;  // Medication: only as a reference target
    static constexpr std::string_view kRead[] = {"Observation",        "Condition",
                                                 "Procedure",          "AllergyIntolerance",
                                                 "Device",             "MedicationRequest",
                                                 "MedicationAdministration", "MedicationStatement"};
    if (std::find(std::begin(kRead), std::end(kRead), r.type) == std::end(kRead)) {
      Ignore(r.type, "unsupported_resource_type");
      continue;
    }
    if (r.mapped != nullptr) {  // read in the screen's scan (MapAlone), with the same checks as below
      ReadMapped(r);
      continue;
    }
    if (r.type == "Condition") condition_resources_seen_ = true;
    if (r.type.rfind("Medication", 0) == 0) medication_resources_seen_ = true;
    if (StringMember(r.obj, "status") == "entered-in-error") {  // §4.3
      Ignore(r.type, "entered_in_error");
      continue;
    }
    if (!CheckSubject(r)) continue;
    if (r.type == "Observation") ReadObservation(r);
    else if (r.type == "Condition") ReadCondition(r);
    else if (r.type == "Procedure") ReadProcedure(r);
    else if (r.type == "AllergyIntolerance") ReadAllergy(r);
    else if (r.type == "Device") ReadDevice(r);
    else if (r.type == "MedicationRequest") ReadMedicationRequest(r);
    else if (r.type == "MedicationAdministration") ReadMedicationAdministration(r);
    else ReadMedicationStatement(r);
    FinishResource(r);
  }
  if (!issues.empty() && channel_ == FhirChannel::kDocument) return;
  ResolveWeightAndHeight();
  ResolveFindings();
  ResolveMedications();
  ResolveContext();
  AddConflictingValuesWarning(kb_, c_);
  WriteWarnings();
}

// ---- the Bulk channel's Observations mapped in the screen's scan ---------------------------------------------

std::optional<BulkMappedObservation> Mapper::MapAlone(object observation, Instant t0, std::string_view patient_id) {
  t0_ = t0;
  patient_id_ = std::string(patient_id);
  if (!resources_.empty() || StringMember(observation, "resourceType") != "Observation") return std::nullopt;
  ++c_.input.read;  // as CollectResource
  const Res& r = resources_.emplace_back(
      Res{observation, "Observation", "Observation", StringMember(observation, "id"), {}, 0, {}, 0, nullptr});
  // ReadAll's steps for one resource; anything but clean values leaves it to be read with its patient.
  if (StringMember(r.obj, "status") == "entered-in-error" || !CheckSubject(r)) return std::nullopt;
  ReadObservation(r);
  const bool clean = pending_.empty() && c_.input.ignored.empty() && partial_dates_.empty() &&
                     ranges_ignored_.empty() && units_unsupported_.empty() && findings_.empty() &&
                     context_.empty() && coded_context_.empty() && issues.empty();
  if (!clean) return std::nullopt;
  BulkMappedObservation m;
  m.id = r.id;
  auto add = [&](ObsKind kind, const nmscds::Observation* o, const Measured* w) {
    if (m.count == std::size(m.values)) return false;
    BulkMappedValue& v = m.values[m.count++];
    const std::string& source = o != nullptr ? o->source : w->source;
    if (source == r.path) {
      v.component = -1;
    } else {  // "<path>.component[k]" (ReadPanel), read back as k; ReadMapped writes it again
      const std::string prefix = r.path + ".component[";
      if (!source.starts_with(prefix) || !source.ends_with(']')) return false;
      const char* end = source.data() + source.size() - 1;
      auto [next, error] = std::from_chars(source.data() + prefix.size(), end, v.component);
      if (error != std::errc() || next != end || v.component < 0) return false;
    }
    v.kind = kind;
    if (o != nullptr) {
      v.value = o->value;
      v.comparator = o->comparator;
      v.time = o->time;
      v.route = o->route;
      v.SetReferenceRange(o->ref_low, o->ref_high);
      v.baseline = o->baseline;
    } else {
      if (!w->dated) return false;  // an undated weight is resolved with the others (ResolveWeightAndHeight)
      v.value = w->value;
      v.time = w->time;
    }
    return true;
  };
  for (const nmscds::Observation& o : c_.observations) {
    if (!add(o.kind, &o, nullptr)) return std::nullopt;
  }
  for (const Measured& w : weights_) {
    if (!add(ObsKind::kWeight, nullptr, &w)) return std::nullopt;
  }
  for (const Measured& h : heights_) {
    if (!add(ObsKind::kHeight, nullptr, &h)) return std::nullopt;
  }
  if (m.count == 0) return std::nullopt;
  return m;
}

void Mapper::ReadMapped(const Res& r) {
  const BulkMappedObservation& m = *r.mapped;
  for (std::uint8_t i = 0; i < m.count; ++i) {
    const BulkMappedValue& v = m.values[i];
    std::string source = v.component < 0 ? r.path : ComponentPath(r.path, static_cast<std::size_t>(v.component));
    if (v.kind == ObsKind::kWeight) {
      weights_.push_back(Measured{v.time, true, v.value, std::move(source)});
    } else if (v.kind == ObsKind::kHeight) {
      heights_.push_back(Measured{v.time, true, v.value, std::move(source)});
    } else {
      nmscds::Observation o;
      o.kind = v.kind;
      o.value = v.value;
      o.comparator = v.comparator;
      o.time = v.time;
      o.route = v.route;
      o.ref_low = v.ref_low();
      o.ref_high = v.ref_high();
      o.baseline = v.baseline;
      o.source = std::move(source);
      c_.observations.push_back(std::move(o));
    }
  }
}

}  // namespace nmscds::fhir
