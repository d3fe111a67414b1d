#pragma once
// Pass 1 of the screen (doc/screen.md "Scan", "Keep", "Look-back cut"): one worker per thread reads whole
// chunks of NDJSON lines, parses every line (simdjson DOM, one parser reused: no allocation per line once
// warm), and keeps only what the FHIR mapping reads, joined to its patient. Internal to src/screen.
#include <simdjson.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/time_util.h"
#include "fhir/fhir_reader.h"
#include "screen/line_chunks.h"

namespace nmscds {

class KnowledgeBase;

// A kept line: where it is (its chunk and its 0-based index in that chunk, which orders lines as file then
// line order) and its bytes, held in the worker's arena.
struct KeptLine {
  std::uint32_t chunk = 0;
  std::uint32_t index = 0;
  std::string_view bytes;
};

// File then line order of kept and malformed lines (chunks are numbered in file order).
template <class LineA, class LineB>
bool InFileOrder(const LineA& a, const LineB& b) {
  return a.chunk != b.chunk ? a.chunk < b.chunk : a.index < b.index;
}

// An Observation mapped in the scan (BulkObservationMapper): where its line is, and its values instead of
// its bytes (held by the worker; its id in the worker's arena).
struct MappedLine {
  std::uint32_t chunk = 0;
  std::uint32_t index = 0;
  const BulkMappedObservation* observation = nullptr;
};

// What the scan learnt from one line about its patient (doc/screen.md "Join"). A worker appends records in
// reading order, one vector per patient shard; after the scan each shard's records are grouped by patient
// (GroupShard). The join thus costs no random access per line: a hash map of patients looked up per line
// spent 14 % of the one-thread time on 210,000 patients waiting for memory.
struct PatientRecord {
  enum class Kind : std::uint8_t {
    kSeen,           // a line of the patient that is not kept (an Observation no rule reads, or too old)
    kLine,           // a kept line (`bytes`)
    kMapped,         // an Observation mapped in the scan (`mapped`)
    kMedicationRef,  // the id of the Medication a medication line references (`bytes`)
    kDataError,      // a malformed line attributed to the patient
  };
  std::string_view patient_id;  // held in the worker's arena of its shard's ids
  std::uint32_t chunk = 0;
  std::uint32_t index = 0;
  // kLine and kMedicationRef: their bytes; kMapped: the observation (read and set through the functions
  // below). One pointer and a 32-bit size serve both: a record of every line read is 40 bytes instead of
  // 56, and the records fill fewer fresh pages.
  const void* payload = nullptr;
  std::uint32_t payload_size = 0;
  Kind kind = Kind::kSeen;
  bool recent = false;        // --since: a read resource at or after the --since time
  bool patient_line = false;  // kLine: the Patient resource

  std::string_view bytes() const { return {static_cast<const char*>(payload), payload_size}; }
  const BulkMappedObservation* mapped() const { return static_cast<const BulkMappedObservation*>(payload); }
  void SetBytes(std::string_view b) {  // of a parsed line: under 4 GiB, simdjson's largest document
    payload = b.data();
    payload_size = static_cast<std::uint32_t>(b.size());
  }
  void SetMapped(const BulkMappedObservation* observation) { payload = observation; }
};
static_assert(sizeof(PatientRecord) <= 40);

// A patient's records read back (ReadPatientRecords), in file then line order.
struct PatientScan {
  std::vector<KeptLine> lines;
  std::vector<MappedLine> mapped;
  std::vector<std::string_view> medication_refs;  // ids of the Medication/<id> references of its medications
  std::uint32_t data_errors = 0;
  bool has_patient_line = false;
  bool recent = false;
};
// `begin`..`end`: one patient's records, in file then line order (as GroupShard leaves them). `out` is
// cleared first, so that its vectors are reused from patient to patient.
void ReadPatientRecords(const PatientRecord* begin, const PatientRecord* end, PatientScan& out);

// One patient of a grouped shard: its records are [begin, end) of the shard's vector.
struct PatientGroup {
  std::string_view id;
  std::size_t begin = 0, end = 0;
  std::uint32_t data_errors = 0;
  bool recent = false;
};
// Groups one shard's records by patient, in place: each patient's records become contiguous and in file then
// line order. `records` is the concatenation of every worker's vector of the shard (each in reading order).
// Returns the patients in order of first appearance.
std::vector<PatientGroup> GroupShard(std::vector<PatientRecord>& records);

struct MalformedLine {
  std::uint32_t chunk = 0;
  std::uint32_t index = 0;
  std::string message;
};

// What every worker shares (read only).
struct ScanContext {
  const KnowledgeBase* kb = nullptr;
  Instant t0 = 0;
  std::optional<Instant> since;
  std::uint32_t shard_index = 0, shard_count = 1;
  // Observations that ended before t0 minus these cannot change the result (doc/screen.md "Look-back cut").
  Instant look_back = 0;         // every observation kind but height
  Instant look_back_height = 0;  // height
};

// The look-back windows derived from the knowledge base: the longest window parameter (every parameter
// named *_h, *_hours or *_days, one day added), and the height window for heights.
void SetLookBack(const KnowledgeBase& kb, ScanContext& ctx);

// FNV-1a 64 of the patient id: the shard a patient belongs to is this mod N (stable across machines).
std::uint64_t PatientHash(std::string_view id);

// Types the FHIR mapping reads (interfaces §4); files of other types are skipped after their first line.
bool IsReadResourceType(std::string_view type);

// Bytes copied into blocks that live as long as the arena; views into them stay valid.
class Arena {
 public:
  explicit Arena(std::size_t block_size = std::size_t{1} << 14) : block_size_(block_size) {}
  std::string_view Keep(std::string_view bytes);

 private:
  std::size_t block_size_;
  std::deque<std::unique_ptr<char[]>> blocks_;  // of block_size_ bytes (or the size of a larger copy)
  std::size_t left_ = 0;
  char* next_ = nullptr;
};

class ScanWorker {
 public:
  explicit ScanWorker(const ScanContext& ctx) : ctx_(ctx), observation_mapper_(*ctx.kb) {}

  // Scans one line of chunk `chunk` of a file whose resources are `file_type`.
  void Line(std::uint32_t chunk, const ChunkLine& line, std::string_view file_type);

  // Results, merged by the screen after the scan.
  // Patient records in kPatientShards vectors by PatientHash, so that the screen groups them shard by shard on
  // all threads (each shard's patients then fit in a core's cache).
  static constexpr std::size_t kPatientShards = 64;
  static std::size_t ShardOf(std::string_view patient_id) { return PatientHash(patient_id) % kPatientShards; }
  std::array<std::vector<PatientRecord>, kPatientShards> records;
  std::unordered_map<std::string, KeptLine> medications;  // Medication resources by id
  std::vector<MalformedLine> malformed;
  std::uint64_t lines = 0, used = 0, ignored = 0, no_subject = 0, other_shard = 0, malformed_count = 0;

 private:
  void Malformed(std::uint32_t chunk, const ChunkLine& line, std::string message, std::string_view patient_id);
  std::string_view Keep(std::string_view bytes) { return arena_.Keep(bytes); }
  bool InShard(std::string_view patient_id) const;
  // `latest`: ObservationTime(obs).
  bool KeepObservation(simdjson::dom::object obs, std::optional<Instant> latest);
  bool Recent(simdjson::dom::object resource) const;
  // A record of the line being read for patient `id`, appended to its shard.
  PatientRecord& Record(std::string_view id, std::uint32_t chunk, const ChunkLine& line, PatientRecord::Kind kind);

  const ScanContext& ctx_;
  simdjson::dom::parser parser_;
  BulkObservationMapper observation_mapper_;
  Arena arena_{std::size_t{1} << 20};  // kept lines and ids
  // Patient ids, one arena per shard: grouping a shard then reads its ids from a few compact blocks instead
  // of one cache miss each across the line arena.
  std::array<Arena, kPatientShards> id_arenas_;  // blocks of 16 KiB
  std::deque<BulkMappedObservation> mapped_;  // the observations of kMapped records
  // The patient id of the previous record, in its arena: an export's lines are often grouped by patient.
  std::string_view last_id_;
  std::uint64_t last_hash_ = 0;
};

}  // namespace nmscds
