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
// its bytes (its id is held in the worker's arena).
struct MappedLine {
  std::uint32_t chunk = 0;
  std::uint32_t index = 0;
  BulkMappedObservation observation;
};

// The hash of a line's bytes, by which the Bulk channel tells identical duplicates (§4.9).
inline std::uint64_t LineHash(std::string_view bytes) { return std::hash<std::string_view>{}(bytes); }

struct PatientScan {
  std::vector<KeptLine> lines;
  std::vector<MappedLine> mapped;
  std::vector<std::string_view> medication_refs;  // ids of the Medication/<id> references of its medications
  std::uint32_t data_errors = 0;
  bool has_patient_line = false;
  bool recent = false;  // --since: a read resource at or after the --since time
};

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

class ScanWorker {
 public:
  explicit ScanWorker(const ScanContext& ctx) : ctx_(ctx), observation_mapper_(*ctx.kb) {}

  // Scans one line of chunk `chunk` of a file whose resources are `file_type`.
  void Line(std::uint32_t chunk, const ChunkLine& line, std::string_view file_type);

  // Results, merged by the screen after the scan.
  // By patient, in kPatientShards maps by PatientHash, so that the screen merges the workers' results shard
  // by shard on all threads.
  static constexpr std::size_t kPatientShards = 64;
  static std::size_t ShardOf(std::string_view patient_id) { return PatientHash(patient_id) % kPatientShards; }
  using PatientMap = std::unordered_map<std::string, PatientScan>;
  std::array<PatientMap, kPatientShards> patients;
  std::unordered_map<std::string, KeptLine> medications;  // Medication resources by id
  std::vector<MalformedLine> malformed;
  std::uint64_t lines = 0, used = 0, ignored = 0, no_subject = 0, other_shard = 0, malformed_count = 0;

 private:
  void Malformed(std::uint32_t chunk, const ChunkLine& line, std::string message, std::string_view patient_id);
  std::string_view Keep(std::string_view bytes);
  bool InShard(std::string_view patient_id) const;
  bool KeepObservation(simdjson::dom::object obs);
  bool Recent(simdjson::dom::object resource) const;
  PatientScan& Patient(std::string_view id);

  const ScanContext& ctx_;
  simdjson::dom::parser parser_;
  BulkObservationMapper observation_mapper_;
  std::deque<std::unique_ptr<char[]>> arena_;  // blocks of kArenaBlock bytes (or one line's size)
  std::size_t arena_left_ = 0;
  char* arena_next_ = nullptr;
  // The patient of the previous line: an export's lines of one type are usually grouped by patient.
  std::string last_id_;
  PatientScan* last_patient_ = nullptr;
};

}  // namespace nmscds
