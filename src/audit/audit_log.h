#pragma once
// The audit trail (interfaces.md §9): every assessment (CLI --audit, POST /api/assess, CDS Hooks services)
// and every feedback element (§8.11) goes into one SQLite database that holds no raw patient data.
//
//   AuditOptions options;
//   options.path = "nmscds-audit.db";
//   options.log = [](std::string_view line) { ... };     // failures, for the server's log
//   auto audit = AuditLog::Open(options);                 // kUnreadable (exit 4) when it cannot be used
//   for (const auto& w : (*audit)->startup_warnings()) ...
//   AssessmentRow row = AssessmentRowFromReport(report);  // + channel, http status, cards, ...
//   row.patient_hash = (*audit)->PatientHash(iss, report.patient_id);
//   (*audit)->RecordAssessment(std::move(row));           // never waits for the disk
//
// Threading: one writer thread owns the connection and takes jobs from a bounded queue. RecordAssessment
// never blocks; when the queue is full or a write fails the row is dropped and counted, and healthy() is
// false until a write succeeds again (§9.1, §8.12 /healthz "degraded", metric nmscds_audit_dropped_total).
// Feedback goes through the same queue, so it is written after the assessments that created its cards, and
// the caller waits for the answer it needs for the HTTP response. All public methods are thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/report.h"
#include "nmscds/status.h"

namespace nmscds {

enum class AuditChannel { kCli, kApi, kCds };
enum class AuditOutcome { kOk, kInvalidInput, kUnauthorized, kPreconditionFailed, kTimeout, kError };
enum class FeedbackOutcome { kAccepted, kOverridden };
// The texts of the §9.3 CHECK constraints: "cli", "invalid_input", "overridden", ...
std::string_view ToString(AuditChannel channel);
std::string_view ToString(AuditOutcome outcome);
std::string_view ToString(FeedbackOutcome outcome);

// One row of table `cards` (§9.3): a card returned by a CDS service.
struct AuditCard {
  std::string card_uuid;
  std::string service_id;
  std::string topic;                          // the card's topic code
  std::string indicator;                      // info | warning | critical
  std::vector<std::string> suggestion_uuids;  // stored as a JSON array; empty -> NULL
};

// One row of table `assessments` (§9.3) and its cards. Optional members are NULL when absent; fill only
// what is known (a 401 knows no patient, an invalid input no decision).
struct AssessmentRow {
  std::int64_t at_ms = 0;  // completion time, milliseconds since the epoch, UTC
  AuditChannel channel = AuditChannel::kCli;
  std::optional<std::string> service_id;
  std::optional<std::string> hook;
  std::optional<std::string> hook_instance;
  std::optional<std::string> client_iss;    // JWT iss; nullopt for the CLI and unauthenticated mode
  std::optional<std::string> patient_hash;  // AuditLog::PatientHash; never a raw patient id
  std::string input_sha256;                 // of the request body / input file
  std::optional<std::int64_t> assessed_at;  // T0, seconds since the epoch
  AuditOutcome outcome = AuditOutcome::kError;
  std::optional<std::int64_t> http_status;  // nullopt for the CLI
  std::optional<std::string> decision;      // dantrolene decision; only when outcome is kOk
  std::optional<std::string> suspicion;
  std::optional<std::string> fn_status;
  std::optional<std::string> woodbury_stage;
  std::optional<std::int64_t> iec_points;
  std::vector<std::string> unavailable;  // prefetch keys; stored comma-separated; empty -> NULL
  std::string kb_version;
  std::string kb_sha256;
  std::string engine_version;
  std::int64_t latency_us = 0;  // from body read to response ready
  std::vector<AuditCard> cards;
};

// The columns a report decides: T0, decision, suspicion, FN status, Woodbury stage, IEC points,
// unavailable prefetch keys, input SHA-256, knowledge-base and engine versions; outcome kOk. The caller
// adds the rest (time, channel, patient hash, HTTP status, latency, cards).
AssessmentRow AssessmentRowFromReport(const Report& report);

// One element of a feedback request (§8.11), already validated by the caller.
struct FeedbackElement {
  std::string element_json;  // the element exactly as received (FeedbackElementTexts); its key is made here
  std::string card_uuid;
  FeedbackOutcome outcome = FeedbackOutcome::kAccepted;
  std::vector<std::string> accepted_suggestions;  // stored as a JSON array; empty -> NULL
  std::optional<std::string> override_system;     // overrideReason.reason.system
  std::optional<std::string> override_code;       // overrideReason.reason.code
  bool user_comment_present = false;              // the comment itself is never given to the audit
  std::string outcome_timestamp;                  // RFC 3339 as received; stored as UTC milliseconds
};

struct FeedbackResult {
  int stored = 0;      // elements written now
  int duplicates = 0;  // elements whose key was already stored (also a repeat within one request)
  std::vector<bool> duplicate;  // per element, in request order (metric nmscds_feedback_total{duplicate})
};

struct RetentionResult {
  std::int64_t assessments_deleted = 0;  // their cards went with them (ON DELETE CASCADE)
  std::int64_t feedback_deleted = 0;
};

struct AuditOptions {
  std::string path;                  // the SQLite file; created when missing
  std::string salt_path;             // "" = path + ".salt" (§9.2)
  int retention_days = 365;          // §9.4; at least 1
  std::size_t queue_capacity = 10000;  // rows and feedback requests waiting for the writer (§9.1)
  // Failure and recovery messages for the operator's log. Called from any thread; never given patient data.
  std::function<void(std::string_view)> log;
  // The clock, milliseconds since the epoch (tests set it); default the system clock.
  std::function<std::int64_t()> now_ms;
  // PRAGMA max_page_count for the connection: a database that cannot grow past this many pages, so that
  // writes fail with SQLITE_FULL as on a full disk. For tests of the degraded state; operators leave it unset.
  std::optional<std::int64_t> max_page_count;
};

class AuditLog {
 public:
  // Opens or creates the database (§9.1: WAL, synchronous=NORMAL, foreign_keys, busy_timeout 5000 ms; schema
  // created or migrated in one transaction), loads or creates the salt (§9.2), deletes rows older than the
  // retention (§9.4) and starts the writer thread. kUnreadable (exit 4) when the file or the salt cannot be
  // used or the database's schema is newer than this binary; kUsage for retention_days < 1 or a zero queue.
  static Result<std::unique_ptr<AuditLog>> Open(const AuditOptions& options);

  // Flushes the queue (Close) first.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Warnings for the operator found while opening (a salt file readable by group or others).
  const std::vector<std::string>& startup_warnings() const;

  // §9.2: lower-case hex HMAC-SHA-256 of "<issuer>\n<patient id>" under the salt.
  std::string PatientHash(std::string_view issuer, std::string_view patient_id) const;

  // Queues the row and returns at once: true when queued, false when dropped (queue full, or closed).
  // A row that later fails to write is dropped too; dropped_total() counts both.
  bool RecordAssessment(AssessmentRow row);

  // Stores the feedback elements of one request (§8.11) and waits at most `timeout` for the answer.
  // Each element is stored under FeedbackKey(service_id, element_json) unless that key is already stored
  // (a duplicate); card_known says whether table `cards` knows its card uuid. kInvalidInput (with the
  // element's pointer "/feedback/<i>") when an element is not JSON or its outcomeTimestamp is not RFC 3339;
  // nothing is stored then. kInternal when the queue is full, the write fails (nothing of the request is
  // stored) or the timeout passes (the request may still be stored later; a retry then counts duplicates).
  Result<FeedbackResult> SubmitFeedback(std::string_view service_id, const std::vector<FeedbackElement>& elements,
                                        const std::optional<std::string>& client_iss,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // §9.4 now, through the writer (it also runs at open and every 24 hours): deletes assessments (with their
  // cards) and feedback older than the retention, then PRAGMA wal_checkpoint(TRUNCATE).
  Result<RetentionResult> RunRetention();

  // Waits until every job queued before the call has been written or dropped.
  void Flush();
  // Writes what is queued, stops the writer and closes the database. Later rows are dropped. Idempotent.
  void Close();

  // False while rows are being dropped: from a drop until the next successful write (§8.12 /healthz).
  bool healthy() const;
  // Rows and feedback elements dropped since open (nmscds_audit_dropped_total).
  std::uint64_t dropped_total() const;
  // Rows and feedback requests waiting for the writer.
  std::size_t queued() const;

 private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace nmscds
