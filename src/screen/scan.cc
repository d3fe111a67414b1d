// Pass 1 of the screen: classify, keep, join (scan.h).
#include "screen/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "fhir/fhir_json.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"

namespace nmscds {

namespace {

using fhir::object;

constexpr std::string_view kReadTypes[] = {"Patient",           "Observation",        "Condition",
                                           "Procedure",         "AllergyIntolerance", "Device",
                                           "MedicationRequest", "MedicationAdministration",
                                           "MedicationStatement", "Medication"};

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

bool IsMedicationType(std::string_view type) {
  return type == "MedicationRequest" || type == "MedicationAdministration" || type == "MedicationStatement";
}

// "<id>" of a relative reference "Patient/<id>" (a "/_history/v" suffix is ignored); "" otherwise (§7.3).
std::string_view PatientIdOf(std::string_view reference) {
  constexpr std::string_view kPrefix = "Patient/";
  if (reference.substr(0, kPrefix.size()) != kPrefix) return {};
  std::string_view id = reference.substr(kPrefix.size());
  return id.substr(0, id.find('/'));
}

// The patient reference of a line that is not valid JSON, when its text still shows one (a line cut short
// after its subject): `"subject":{"reference":"Patient/<id>"` or the same with "patient".
std::string_view TextualPatientId(std::string_view bytes) {
  for (std::string_view key : {std::string_view(R"("subject":{"reference":")"),
                               std::string_view(R"("patient":{"reference":")")}) {
    const std::size_t at = bytes.find(key);
    if (at == std::string_view::npos) continue;
    std::string_view rest = bytes.substr(at + key.size());
    const std::size_t end = rest.find('"');
    if (end == std::string_view::npos) continue;
    if (std::string_view id = PatientIdOf(rest.substr(0, end)); !id.empty()) return id;
  }
  return {};
}

// The interval end of a date/time value (a string, or a Period's end else start); nullopt when unreadable.
std::optional<Instant> LatestTimeOf(fhir::element e) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS) {
    object period;
    if (e.get(period) != simdjson::SUCCESS) return std::nullopt;
    text = fhir::StringMember(period, "end");
    if (text.empty()) text = fhir::StringMember(period, "start");
  }
  fhir::TimeProblem problem = fhir::TimeProblem::kNone;
  auto t = fhir::ParseFhirTime(text, &problem);
  if (!t) return std::nullopt;
  return t->end;
}
// The same for a member; nullopt when absent.
std::optional<Instant> LatestTimeOf(object o, std::string_view member) {
  auto e = fhir::Member(o, member);
  return e ? LatestTimeOf(*e) : std::nullopt;
}

}  // namespace

void SetLookBack(const KnowledgeBase& kb, ScanContext& ctx) {
  Instant longest = 0;
  auto consider = [&](std::string_view id, Fixed value) {
    if (id == "fhir_height_window_days") return;
    const Instant unit = (id.ends_with("_h") || id.ends_with("_hours")) ? kHour : id.ends_with("_days") ? kDay : 0;
    if (unit != 0) longest = std::max(longest, (value.FloorInt() + 1) * unit);
  };
#define NMSCDS_CONSIDER(field, id) consider(id, kb.params.field);
  NMSCDS_SCALAR_PARAMS(NMSCDS_CONSIDER)
#undef NMSCDS_CONSIDER
#define NMSCDS_CONSIDER(field, id) consider(id, kb.params.field.high);
  NMSCDS_RANGE_PARAMS(NMSCDS_CONSIDER)
#undef NMSCDS_CONSIDER
  ctx.look_back = longest;
  ctx.look_back_height = (kb.params.fhir_height_window_days.FloorInt() + 1) * kDay;
}

std::uint64_t PatientHash(std::string_view id) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool IsReadResourceType(std::string_view type) {
  return std::find(std::begin(kReadTypes), std::end(kReadTypes), type) != std::end(kReadTypes);
}

bool ScanWorker::InShard(std::string_view patient_id) const {
  return ctx_.shard_count <= 1 || PatientHash(patient_id) % ctx_.shard_count == ctx_.shard_index;
}

std::string_view Arena::Keep(std::string_view bytes) {
  if (bytes.size() > left_) {
    const std::size_t size = std::max(block_size_, bytes.size());
    // Not zero-filled: each byte is written before it is read.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
  }
  std::memcpy(next_, bytes.data(), bytes.size());
  std::string_view kept(next_, bytes.size());
  next_ += bytes.size();
  left_ -= bytes.size();
  return kept;
}

PatientRecord& ScanWorker::Record(std::string_view id, std::uint32_t chunk, const ChunkLine& line,
                                  PatientRecord::Kind kind) {
  const std::uint64_t hash = PatientHash(id);
  const std::size_t shard = hash % kPatientShards;  // ShardOf(id)
  if (hash != last_hash_ || id != last_id_) {  // the hash first: ids of one length mostly differ
    last_hash_ = hash;
    last_id_ = id_arenas_[shard].Keep(id);
  }
  PatientRecord& r = records[shard].emplace_back();
  r.patient_id = last_id_;
  r.chunk = chunk;
  r.index = static_cast<std::uint32_t>(line.index_in_chunk);
  r.kind = kind;
  return r;
}

void ScanWorker::Malformed(std::uint32_t chunk, const ChunkLine& line, std::string message,
                           std::string_view patient_id) {
  ++malformed_count;
  if (!patient_id.empty() && InShard(patient_id)) Record(patient_id, chunk, line, PatientRecord::Kind::kDataError);
  malformed.push_back(MalformedLine{chunk, static_cast<std::uint32_t>(line.index_in_chunk), std::move(message)});
}

namespace {
// The end of an Observation's time as the keep filter reads it; nullopt without a usable one.
std::optional<Instant> ObservationTime(object obs) {
  std::optional<Instant> latest;
  for (std::string_view member : {"effectiveDateTime", "effectiveInstant", "effectivePeriod", "issued"}) {
    if ((latest = LatestTimeOf(obs, member))) break;
  }
  return latest;
}
}  // namespace

// Keep: an Observation the mapping could read, not older than the look-back (doc/screen.md).
bool ScanWorker::KeepObservation(object obs, std::optional<Instant> latest) {
  auto code = fhir::Member(obs, "code");
  if (!code || !fhir::IsObject(*code)) return true;  // the mapping reports it (missing_element)
  bool read = false, height = false;
  for (const fhir::Coding& c : fhir::Codings(*code)) {
    if (!IsReadObservationCoding(*ctx_.kb, c.system, c.code)) continue;
    read = true;
    if (c.system == fhir::kLoinc) {
      const ObservationKindDef* def = ctx_.kb->FindKindByLoinc(c.code);
      height |= def != nullptr && def->name == "height";
    }
  }
  if (!read) return false;
  // A baseline value (nmscds tag) is kept whatever its age: it is read as the patient's baseline.
  if (auto meta = fhir::ObjectMember(obs, "meta")) {
    if (auto tags = fhir::ArrayMember(*meta, "tag")) {
      for (fhir::element t : *tags) {
        object to;
        if (t.get(to) == simdjson::SUCCESS && fhir::StringMember(to, "system") == fhir::kNmscdsTag) return true;
      }
    }
  }
  if (!latest) return true;  // no usable time: the mapping decides (weight without time, missing_time)
  return *latest >= ctx_.t0 - (height ? ctx_.look_back_height : ctx_.look_back);
}

bool ScanWorker::Recent(object resource) const {
  // meta.lastUpdated and these, each the first member of its name (as a lookup finds it). One pass over the
  // members instead of a lookup per name: with --since every line is asked.
  static constexpr std::string_view kTimes[] = {
      "meta",          "effectiveDateTime", "effectiveInstant", "effectivePeriod",   "issued",
      "authoredOn",    "onsetDateTime",     "onsetPeriod",      "abatementDateTime", "recordedDate",
      "performedDateTime", "performedPeriod", "dateAsserted",   "lastOccurrence"};
  std::uint32_t seen = 0;
  for (auto field : resource) {
    const std::string_view key = field.key;
    for (std::size_t i = 0; i < std::size(kTimes); ++i) {
      if (key.size() != kTimes[i].size() || key != kTimes[i]) continue;
      if ((seen >> i) & 1u) break;
      seen |= 1u << i;
      std::optional<Instant> t;
      if (i == 0) {
        object meta;
        if (field.value.get(meta) == simdjson::SUCCESS) t = LatestTimeOf(meta, "lastUpdated");
      } else {
        t = LatestTimeOf(field.value);
      }
      if (t && *t >= *ctx_.since) return true;
      break;
    }
  }
  return false;
}

void ScanWorker::Line(std::uint32_t chunk, const ChunkLine& line, std::string_view file_type) {
  if (IsBlank(line.bytes)) return;
  ++lines;
  simdjson::dom::element root;
  if (auto error = parser_.parse(line.bytes.data(), line.bytes.size(), false).get(root)) {
    Malformed(chunk, line,
              line.terminated ? fmt::format("not valid JSON ({})", simdjson::error_message(error))
                              : fmt::format("the last line is cut short (no line end) and is not valid JSON ({})",
                                            simdjson::error_message(error)),
              TextualPatientId(line.bytes));
    return;
  }
  object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    Malformed(chunk, line, "not a JSON object (one resource per line)", {});
    return;
  }
  const std::string_view type = fhir::StringMember(obj, "resourceType");
  std::string_view patient_id;
  if (type == "Patient") {
    patient_id = fhir::StringMember(obj, "id");
  } else if (auto ref = fhir::ObjectMember(obj, fhir::PatientMember(type))) {
    patient_id = PatientIdOf(fhir::StringMember(*ref, "reference"));
  }
  if (type != file_type) {
    Malformed(chunk, line,
              file_type.empty() ? std::string("no line of this file names a readable resourceType")
              : type.empty()    ? fmt::format("a resource needs its resourceType (this file holds {})", file_type)
                                : fmt::format("a {} in a file of {} (one resource type per file)", type, file_type),
              patient_id);
    return;
  }
  if (type == "Medication") {  // no patient: kept by id, joined through medicationReference (pass 2)
    const std::string_view id = fhir::StringMember(obj, "id");
    if (id.empty()) {
      ++ignored;  // cannot be referenced
      return;
    }
    ++used;
    medications.try_emplace(std::string(id), KeptLine{chunk, static_cast<std::uint32_t>(line.index_in_chunk),
                                                      Keep(line.bytes)});
    return;
  }
  if (patient_id.empty()) {
    if (type == "Patient") {
      Malformed(chunk, line, "Patient.id: a Patient needs its id", {});
    } else {
      ++no_subject;  // §7.3: counted; such a resource belongs to no patient
      ++ignored;
    }
    return;
  }
  if (!InShard(patient_id)) {
    ++other_shard;
    ++ignored;
    return;
  }
  using Kind = PatientRecord::Kind;
  const bool recent = ctx_.since && Recent(obj);
  if (type == "Observation") {
    // Most kept Observations are measurements read on their own: their values are kept, not their line.
    // One within the look-back of every kind is mapped at once: when it maps, its codings are read, so the
    // keep filter would keep it, and need not be asked (-3.5 % of the instructions on dense data).
    const std::optional<Instant> latest = ObservationTime(obj);
    const bool within_every_look_back =
        latest && *latest >= ctx_.t0 - std::min(ctx_.look_back, ctx_.look_back_height);
    std::optional<BulkMappedObservation> mapped;
    if (within_every_look_back) mapped = observation_mapper_.Map(obj, patient_id, ctx_.t0);
    if (!mapped) {
      if (!KeepObservation(obj, latest)) {
        ++ignored;
        Record(patient_id, chunk, line, Kind::kSeen).recent = recent;  // the patient exists all the same
        return;
      }
      if (!within_every_look_back) mapped = observation_mapper_.Map(obj, patient_id, ctx_.t0);
    }
    if (mapped) {
      if (!mapped->id.empty()) mapped->id = Keep(mapped->id);
      mapped->line_hash = BulkLineHash(line.bytes);
      ++used;
      PatientRecord& r = Record(patient_id, chunk, line, Kind::kMapped);
      r.recent = recent;
      r.SetMapped(&mapped_.emplace_back(*mapped));
      return;
    }
  } else if (IsMedicationType(type)) {
    if (auto ref = fhir::ObjectMember(obj, "medicationReference")) {
      auto [ref_type, ref_id] = fhir::ReferenceTypeAndId(fhir::StringMember(*ref, "reference"));
      if (ref_type == "Medication" && !ref_id.empty()) {
        const std::string_view kept_id = Keep(ref_id);
        Record(patient_id, chunk, line, Kind::kMedicationRef).SetBytes(kept_id);
      }
    }
  }
  ++used;
  const std::string_view bytes = Keep(line.bytes);
  PatientRecord& r = Record(patient_id, chunk, line, Kind::kLine);
  r.recent = recent;
  r.patient_line = type == "Patient";
  r.SetBytes(bytes);
}

namespace {
// File then line order of one patient's records; the kinds of one line in a fixed order.
bool InRecordOrder(const PatientRecord& a, const PatientRecord& b) {
  if (a.chunk != b.chunk) return a.chunk < b.chunk;
  if (a.index != b.index) return a.index < b.index;
  return a.kind < b.kind;
}
}  // namespace

std::vector<PatientGroup> GroupShard(std::vector<PatientRecord>& records) {
  // A counting sort by patient: one shard's patients are few enough for this map to stay in cache.
  std::unordered_map<std::string_view, std::uint32_t> slot_of;
  std::vector<PatientGroup> groups;
  std::vector<std::uint32_t> slots(records.size());
  std::string_view last_id;
  std::uint32_t slot = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const PatientRecord& r = records[i];
    if (i == 0 || r.patient_id != last_id) {
      auto [it, inserted] = slot_of.try_emplace(r.patient_id, static_cast<std::uint32_t>(groups.size()));
      if (inserted) groups.push_back(PatientGroup{r.patient_id});
      last_id = r.patient_id;
      slot = it->second;
    }
    slots[i] = slot;
    PatientGroup& g = groups[slot];
    ++g.end;  // a count until the offsets below
    g.recent |= r.recent;
    g.data_errors += r.kind == PatientRecord::Kind::kDataError;
  }
  std::size_t offset = 0;
  for (PatientGroup& g : groups) {
    const std::size_t count = g.end;
    g.begin = g.end = offset;
    offset += count;
  }
  std::vector<PatientRecord> grouped(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) grouped[groups[slots[i]].end++] = records[i];
  // Each worker's records are in reading order; a patient read by several workers has one run from each.
  for (const PatientGroup& g : groups) {
    auto begin = grouped.begin() + static_cast<std::ptrdiff_t>(g.begin);
    auto end = grouped.begin() + static_cast<std::ptrdiff_t>(g.end);
    if (!std::is_sorted(begin, end, InRecordOrder)) std::sort(begin, end, InRecordOrder);
  }
  records.swap(grouped);
  return groups;
}

void ReadPatientRecords(const PatientRecord* begin, const PatientRecord* end, PatientScan& out) {
  out.lines.clear();
  out.mapped.clear();
  out.medication_refs.clear();
  out.data_errors = 0;
  out.has_patient_line = false;
  out.recent = false;
  for (const PatientRecord* r = begin; r != end; ++r) {
    out.recent |= r->recent;
    switch (r->kind) {
      case PatientRecord::Kind::kSeen: break;
      case PatientRecord::Kind::kLine:
        out.lines.push_back(KeptLine{r->chunk, r->index, r->bytes()});
        out.has_patient_line |= r->patient_line;
        break;
      case PatientRecord::Kind::kMapped: out.mapped.push_back(MappedLine{r->chunk, r->index, r->mapped()}); break;
      case PatientRecord::Kind::kMedicationRef: out.medication_refs.push_back(r->bytes()); break;
      case PatientRecord::Kind::kDataError: ++out.data_errors; break;
    }
  }
}

}  // namespace nmscds
