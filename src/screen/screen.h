#pragma once
// `nmscds screen` (interfaces.md §7.3, output §10): a FHIR Bulk Data export screened patient by patient.
// Design: doc/screen.md. Two passes:
//   1. scan (scan.h): every line of every file, in chunks on all threads; only the lines the FHIR mapping
//      reads are kept, joined to their patient by the `Patient/<id>` reference;
//   2. assess: patients in id order; each one's kept lines go through the same FHIR mapping as `assess`
//      (fhir_reader.h, channel kBulk) and the same engine; a §10 line is written for each flagged patient.
// The output is a pure function of the files (in the order given), the options and the knowledge base:
// the same for every thread count and chunk size.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "nmscds/status.h"

namespace nmscds {

class KnowledgeBase;
struct Report;

// The files of the PATH arguments (§7.3): each PATH is an .ndjson file or a directory whose regular files
// ending in .ndjson are read (not recursively; sorted by name). Error kUnreadable (exit 4) when a PATH or a
// listed file cannot be read.
//
// A directory's manifest.json (Bulk Data export manifest), when present, is checked so that an export copied
// in part is never screened as if it were whole (a missing MedicationRequest file would make every patient's
// medication list look complete and empty): every file its `output` lists (by the last segment of `url`,
// relative or absolute) must be in the directory (else kUnreadable, exit 4); a manifest that is not valid
// JSON is kInvalidInput (exit 3); each file's `count` is compared with its non-empty lines after the scan;
// a non-empty `error` array is named on stderr.
struct ScreenInput {
  struct File {
    std::string path;  // as it is named in messages: the PATH, or PATH/name for a directory's file
    std::uint64_t size = 0;
    std::optional<std::uint64_t> manifest_count;  // the manifest's `count` for this file, when it gives one
  };
  std::vector<File> files;
  std::vector<std::string> ignored;  // other files in the directories (named once on stderr); manifest.json
                                     // is expected in an export and not named
  std::vector<std::string> notes;    // manifest remarks for stderr (its `error` files)
};
Result<ScreenInput> ListScreenInput(const std::vector<std::string>& paths);

struct ScreenOptions {
  Instant t0 = 0;                // --at, or the clock truncated to seconds
  std::optional<Instant> since;  // --since
  bool all = false;              // --all: a line for every screened patient
  bool strict = false;           // --strict: the first malformed line stops the screen (no summary line)
  unsigned threads = 1;
  // --shard K/N: only the patients whose id hash (FNV-1a 64 of the id bytes) mod N is K (doc/screen.md).
  std::uint32_t shard_index = 0, shard_count = 1;
  std::uint64_t chunk_bytes = std::uint64_t{8} << 20;  // scan unit; any value gives the same output
};

// Live counters for a progress display, read from another thread while the screen runs.
struct ScreenProgress {
  std::atomic<std::uint64_t> bytes_total{0}, bytes_read{0};
  std::atomic<std::uint64_t> files_total{0}, files_done{0};
  std::atomic<std::uint64_t> resources{0};  // non-empty lines read
  std::atomic<std::uint64_t> patients_total{0}, patients_done{0};  // known once the scan is over
};

// The counts of the summary line (§10) and of the stderr summary.
struct ScreenSummary {
  std::uint64_t files = 0, files_skipped = 0;
  std::uint64_t lines = 0, malformed_lines = 0;
  std::uint64_t resources_used = 0, resources_ignored = 0;
  std::uint64_t no_subject = 0;           // lines without a Patient/<id> reference (in resources_ignored)
  std::uint64_t other_shard = 0;          // lines of patients outside --shard (in resources_ignored)
  std::uint64_t patients_total = 0, patients_screened = 0, patients_unchanged = 0, patients_flagged = 0;
  std::uint64_t patients_failed = 0;      // internal failures (exit 1); never expected
  std::uint64_t suspicion_high = 0, suspicion_possible = 0, suspicion_unlikely = 0;
  std::vector<std::pair<std::string, std::uint64_t>> by_decision;  // every §5.8 code, in §5.8 order
  std::uint64_t fn_present = 0, fn_absent = 0, fn_unknown = 0, fn_presumed = 0;
  std::uint64_t malformed_not_listed = 0;  // beyond the listing cap (kMaxListedMalformed)
  std::uint64_t manifest_mismatches = 0;   // files whose line count differs from the manifest's (exit 3)
  bool stopped = false;                    // --strict stopped at a malformed line
};

// At most this many malformed lines are listed one by one; the rest are counted (memory stays bounded on
// a file of garbage).
inline constexpr std::uint64_t kMaxListedMalformed = 100000;

// Where the screen's output goes. `write` receives the §10 NDJSON in order (patient lines, then the
// summary line); `diagnostic` receives stderr lines without their newline (malformed lines as
// "nmscds: invalid input: <file>:<line>: <message>"), in file and line order for the scan and in patient
// order for the assessment. Both are called from the thread that called RunScreen.
struct ScreenSinks {
  std::function<bool(std::string_view)> write;  // false: the output cannot be written (stops the screen)
  std::function<void(std::string_view)> diagnostic;
  ScreenProgress* progress = nullptr;
  // Optional: every screened patient's full report, called from the worker threads (concurrently, in no
  // particular order). For callers that want more than the §10 line, and for the twin test.
  std::function<void(const Report&)> report;
};

// Runs the screen. Data problems never fail it (they are counted in the summary); an Error is returned only
// for unreadable files (kUnreadable, before any output) or an output write failure (kInternal).
Result<ScreenSummary> RunScreen(const ScreenInput& input, const ScreenOptions& options, const KnowledgeBase& kb,
                                const ScreenSinks& sinks);

// The §10 summary line (with its newline).
std::string ScreenSummaryLine(const ScreenSummary& s, const ScreenOptions& options, const KnowledgeBase& kb);

}  // namespace nmscds
