#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "audit/audit_schema.h"
#include "audit/feedback_key.h"
#include "audit/patient_hash.h"
#include "audit/sqlite_util.h"

namespace nmscds {

std::string_view ToString(AuditChannel channel) {
  switch (channel) {
    case AuditChannel::kCli: return "cli";
    case AuditChannel::kApi: return "api";
    case AuditChannel::kCds: return "cds";
  }
  return "cli";
}

std::string_view ToString(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kOk: return "ok";
    case AuditOutcome::kInvalidInput: return "invalid_input";
    case AuditOutcome::kUnauthorized: return "unauthorized";
    case AuditOutcome::kPreconditionFailed: return "precondition_failed";
    case AuditOutcome::kTimeout: return "timeout";
    case AuditOutcome::kError: return "error";
  }
  return "error";
}

std::string_view ToString(FeedbackOutcome outcome) {
  return outcome == FeedbackOutcome::kAccepted ? "accepted" : "overridden";
}

namespace {

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// §9.3 stores uuid lists as a JSON array; none -> NULL.
std::optional<std::string> JsonArrayOrNull(const std::vector<std::string>& items) {
  if (items.empty()) return std::nullopt;
  return nlohmann::json(items).dump();
}

std::optional<std::string> CommaListOrNull(const std::vector<std::string>& items) {
  if (items.empty()) return std::nullopt;
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr std::int64_t kDayMs = 86400000;
constexpr auto kRetentionInterval = std::chrono::hours(24);

// A feedback element ready for its row: key computed, timestamp normalised.
struct FeedbackRow {
  std::string key;
  std::string card_uuid;
  FeedbackOutcome outcome = FeedbackOutcome::kAccepted;
  std::optional<std::string> accepted_suggestions;
  std::optional<std::string> override_system;
  std::optional<std::string> override_code;
  bool user_comment_present = false;
  std::string outcome_timestamp;
};

struct FeedbackJob {
  std::string service_id;
  std::optional<std::string> client_iss;
  std::string received_at;
  std::vector<FeedbackRow> rows;
  std::promise<Result<FeedbackResult>> done;
};
struct FlushJob {
  std::promise<void> done;
};
struct RetentionJob {
  std::promise<Result<RetentionResult>> done;
};
using Job = std::variant<AssessmentRow, FeedbackJob, FlushJob, RetentionJob>;

// Rows and feedback requests count against the queue's capacity; flush and retention requests do not (they
// carry no data, and a flush must get through a full queue).
bool CarriesData(const Job& job) {
  return std::holds_alternative<AssessmentRow>(job) || std::holds_alternative<FeedbackJob>(job);
}

constexpr std::string_view kInsertAssessment =
    "INSERT INTO assessments (at, channel, service_id, hook, hook_instance, client_iss, patient_hash, "
    "input_sha256, assessed_at, outcome, http_status, decision, suspicion, fn_status, woodbury_stage, iec_points, "
    "unavailable, kb_version, kb_sha256, engine_version, latency_us) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
// Card uuids are name-based (§8.10): a repeated request yields the same uuids. The card stays with the
// assessment that first issued it; the repeat is still recorded as an assessment of its own. Only the key
// conflict is ignored: any other constraint failure is a failed write, never a silently skipped card.
constexpr std::string_view kInsertCard =
    "INSERT INTO cards (card_uuid, assessment_id, service_id, topic, indicator, suggestion_uuids) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (card_uuid) DO NOTHING";
constexpr std::string_view kCardKnown = "SELECT EXISTS (SELECT 1 FROM cards WHERE card_uuid = ?1)";
// §8.11: a repeated key is a duplicate. As for cards, only the key conflict is ignored.
constexpr std::string_view kInsertFeedback =
    "INSERT INTO feedback (feedback_key, received_at, service_id, card_uuid, card_known, outcome, "
    "accepted_suggestions, override_system, override_code, user_comment_present, outcome_timestamp, client_iss) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (feedback_key) DO NOTHING";
constexpr std::string_view kDeleteOldAssessments = "DELETE FROM assessments WHERE at < ?1";
constexpr std::string_view kDeleteOldFeedback = "DELETE FROM feedback WHERE received_at < ?1";

}  // namespace

AssessmentRow AssessmentRowFromReport(const Report& report) {
  AssessmentRow row;
  row.outcome = AuditOutcome::kOk;
  row.input_sha256 = report.input.sha256;
  row.assessed_at = report.assessed_at;
  row.decision = NonEmpty(report.dantrolene.decision);
  row.suspicion = NonEmpty(report.nms.suspicion);
  row.fn_status = NonEmpty(report.febrile_neutropenia.status);
  row.woodbury_stage = NonEmpty(report.nms.woodbury.stage);
  row.iec_points = report.nms.iec.points;
  row.unavailable = report.input.unavailable;
  row.kb_version = report.kb_version;
  row.kb_sha256 = report.kb_sha256;
  row.engine_version = report.engine_version;
  return row;
}

struct AuditLog::State {
  AuditOptions options;
  std::string salt;
  std::vector<std::string> warnings;

  // Owned by the writer thread once it runs (by Open before that).
  sqlite::Connection db;
  sqlite::Statement insert_assessment, insert_card, card_known, insert_feedback, delete_old_assessments,
      delete_old_feedback;

  std::mutex mu;  // guards queue, data_jobs, closing
  std::condition_variable wake;
  std::deque<Job> queue;
  std::size_t data_jobs = 0;
  bool closing = false;

  std::mutex close_mu;  // serialises Close
  bool closed = false;
  std::thread writer;

  std::atomic<bool> healthy{true};
  std::atomic<std::uint64_t> dropped{0};

  std::int64_t Now() const { return options.now_ms ? options.now_ms() : SystemNowMs(); }
  void Log(std::string_view line) const {
    if (options.log) options.log(line);
  }

  // §9.1: count the loss and report degraded. The log gets one line when writing starts to fail and one when
  // it recovers, not one per row: a full disk under load would otherwise flood it.
  void NoteFailure(std::uint64_t rows_lost, std::string_view reason) {
    dropped.fetch_add(rows_lost);
    if (healthy.exchange(false)) {
      Log("audit: " + std::string(reason) + "; audit rows are dropped until a write succeeds");
    }
  }
  void NoteWritten() {
    if (!healthy.exchange(true)) {
      Log("audit: writes succeed again; " + std::to_string(dropped.load()) + " audit rows dropped since start");
    }
  }

  sqlite::MaybeError Fail(sqlite::Statement* in_use = nullptr) {
    Error error = Error::Internal(sqlite::LastError(db.get()));
    if (in_use != nullptr) in_use->Reset();
    sqlite::RollbackIfOpen(db.get());
    return error;
  }

  sqlite::MaybeError WriteAssessment(const AssessmentRow& row) {
    if (auto err = sqlite::Exec(db.get(), "BEGIN IMMEDIATE")) return err;
    sqlite::Statement& a = insert_assessment;
    a.Reset();
    a.BindText(1, FormatAuditTime(row.at_ms));
    a.BindText(2, ToString(row.channel));
    a.BindTextOrNull(3, row.service_id);
    a.BindTextOrNull(4, row.hook);
    a.BindTextOrNull(5, row.hook_instance);
    a.BindTextOrNull(6, row.client_iss);
    a.BindTextOrNull(7, row.patient_hash);
    a.BindText(8, row.input_sha256);
    if (row.assessed_at) {
      a.BindText(9, FormatAuditTime(*row.assessed_at * 1000));
    } else {
      a.BindNull(9);
    }
    a.BindText(10, ToString(row.outcome));
    a.BindIntOrNull(11, row.http_status);
    a.BindTextOrNull(12, row.decision);
    a.BindTextOrNull(13, row.suspicion);
    a.BindTextOrNull(14, row.fn_status);
    a.BindTextOrNull(15, row.woodbury_stage);
    a.BindIntOrNull(16, row.iec_points);
    a.BindTextOrNull(17, CommaListOrNull(row.unavailable));
    a.BindText(18, row.kb_version);
    a.BindText(19, row.kb_sha256);
    a.BindText(20, row.engine_version);
    a.BindInt(21, row.latency_us);
    if (a.Step() != SQLITE_DONE) return Fail(&a);
    a.Reset();
    const std::int64_t assessment_id = sqlite3_last_insert_rowid(db.get());
    for (const AuditCard& card : row.cards) {
      sqlite::Statement& c = insert_card;
      c.Reset();
      c.BindText(1, card.card_uuid);
      c.BindInt(2, assessment_id);
      c.BindText(3, card.service_id);
      c.BindText(4, card.topic);
      c.BindText(5, card.indicator);
      c.BindTextOrNull(6, JsonArrayOrNull(card.suggestion_uuids));
      if (c.Step() != SQLITE_DONE) return Fail(&c);
      c.Reset();
    }
    if (auto err = sqlite::Exec(db.get(), "COMMIT")) {
      sqlite::RollbackIfOpen(db.get());
      return err;
    }
    return std::nullopt;
  }

  Result<FeedbackResult> WriteFeedback(const FeedbackJob& job) {
    if (auto err = sqlite::Exec(db.get(), "BEGIN IMMEDIATE")) return *err;
    FeedbackResult result;
    for (const FeedbackRow& row : job.rows) {
      sqlite::Statement& k = card_known;
      k.Reset();
      k.BindText(1, row.card_uuid);
      if (k.Step() != SQLITE_ROW) return *Fail(&k);
      const bool known = k.ColumnInt(0) != 0;
      k.Reset();

      sqlite::Statement& f = insert_feedback;
      f.Reset();
      f.BindText(1, row.key);
      f.BindText(2, job.received_at);
      f.BindText(3, job.service_id);
      f.BindText(4, row.card_uuid);
      f.BindInt(5, std::int64_t{known ? 1 : 0});
      f.BindText(6, ToString(row.outcome));
      f.BindTextOrNull(7, row.accepted_suggestions);
      f.BindTextOrNull(8, row.override_system);
      f.BindTextOrNull(9, row.override_code);
      f.BindInt(10, std::int64_t{row.user_comment_present ? 1 : 0});
      f.BindText(11, row.outcome_timestamp);
      f.BindTextOrNull(12, job.client_iss);
      if (f.Step() != SQLITE_DONE) return *Fail(&f);
      f.Reset();
      const bool duplicate = sqlite3_changes(db.get()) == 0;
      ++(duplicate ? result.duplicates : result.stored);
      result.duplicate.push_back(duplicate);
    }
    if (auto err = sqlite::Exec(db.get(), "COMMIT")) {
      sqlite::RollbackIfOpen(db.get());
      return *err;
    }
    return result;
  }

  // §9.4.
  Result<RetentionResult> Retain() {
    const std::string cutoff = FormatAuditTime(Now() - std::int64_t{options.retention_days} * kDayMs);
    if (auto err = sqlite::Exec(db.get(), "BEGIN IMMEDIATE")) return *err;
    RetentionResult result;
    delete_old_assessments.Reset();
    delete_old_assessments.BindText(1, cutoff);
    if (delete_old_assessments.Step() != SQLITE_DONE) return *Fail(&delete_old_assessments);
    delete_old_assessments.Reset();
    result.assessments_deleted = sqlite3_changes64(db.get());
    delete_old_feedback.Reset();
    delete_old_feedback.BindText(1, cutoff);
    if (delete_old_feedback.Step() != SQLITE_DONE) return *Fail(&delete_old_feedback);
    delete_old_feedback.Reset();
    result.feedback_deleted = sqlite3_changes64(db.get());
    if (auto err = sqlite::Exec(db.get(), "COMMIT")) {
      sqlite::RollbackIfOpen(db.get());
      return *err;
    }
    // Gives the deleted rows' space back and empties the WAL. A reader may keep part of the WAL alive; that
    // is not a failure (the next checkpoint finishes the job).
    auto checkpoint = sqlite::QueryInt(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
    if (!checkpoint) return checkpoint.error();
    return result;
  }

  Result<RetentionResult> RetainAndNote() {
    auto result = Retain();
    if (!result) NoteFailure(0, "retention failed: " + result.error().message);
    return result;
  }

  void Process(Job& job) {
    if (auto* row = std::get_if<AssessmentRow>(&job)) {
      if (auto err = WriteAssessment(*row)) {
        NoteFailure(1, "write failed: " + err->message);
      } else {
        NoteWritten();
      }
    } else if (auto* feedback = std::get_if<FeedbackJob>(&job)) {
      if (feedback->rows.empty()) {
        feedback->done.set_value(FeedbackResult{});
        return;
      }
      auto result = WriteFeedback(*feedback);
      if (result) {
        NoteWritten();
      } else {
        NoteFailure(feedback->rows.size(), "feedback write failed: " + result.error().message);
      }
      feedback->done.set_value(std::move(result));
    } else if (auto* flush = std::get_if<FlushJob>(&job)) {
      flush->done.set_value();
    } else if (auto* retention = std::get_if<RetentionJob>(&job)) {
      retention->done.set_value(RetainAndNote());
    }
  }

  void RunWriter() {
    auto next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
    for (;;) {
      std::unique_lock lock(mu);
      wake.wait_until(lock, next_retention, [this] { return closing || !queue.empty(); });
      std::optional<Job> job;
      if (!queue.empty()) {
        job.emplace(std::move(queue.front()));
        queue.pop_front();
        if (CarriesData(*job)) --data_jobs;
      } else if (closing) {
        return;  // the queue is drained
      }
      lock.unlock();
      // Checked after every job too, so that a queue that never empties does not postpone retention.
      if (std::chrono::steady_clock::now() >= next_retention) {
        RetainAndNote();
        next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
      }
      if (job) Process(*job);
    }
  }

  // Queues a job; false when the log is closed or (for data) the queue is full.
  bool Enqueue(Job job) {
    {
      std::lock_guard lock(mu);
      if (closing) return false;
      const bool data = CarriesData(job);
      if (data && data_jobs >= options.queue_capacity) return false;
      if (data) ++data_jobs;
      queue.push_back(std::move(job));
    }
    wake.notify_one();
    return true;
  }
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}

AuditLog::~AuditLog() { Close(); }

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const AuditOptions& options) {
  if (options.path.empty()) return Error::Usage("--audit: the audit database path is empty");
  if (options.retention_days < 1) return Error::Usage("--audit-retention-days must be at least 1");
  if (options.queue_capacity == 0) return Error::Usage("the audit queue capacity must be at least 1");

  auto state = std::make_unique<State>();
  state->options = options;
  if (state->options.salt_path.empty()) state->options.salt_path = options.path + ".salt";

  auto salt = LoadOrCreateAuditSalt(state->options.salt_path);
  if (!salt) return salt.error();
  state->salt = std::move(salt->bytes);
  state->warnings = std::move(salt->warnings);

  const std::string where = "audit database " + options.path + ": ";
  // §9.4 asks operators to treat the database as confidential: a new file (and so its -wal and -shm, which
  // SQLite creates with the database's mode) is readable by its owner only. An existing file keeps its mode.
  const int created = ::open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (created < 0) return Error::Unreadable(where + std::strerror(errno));
  ::close(created);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(options.path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  state->db.reset(raw);  // closed on every path, also when opening failed
  if (rc != SQLITE_OK) {
    return Error::Unreadable(where + (raw != nullptr ? sqlite::LastError(raw) : std::string(sqlite3_errstr(rc))));
  }
  sqlite3* db = state->db.get();
  sqlite3_extended_result_codes(db, 1);
  // §9.1. busy_timeout first, so that switching to WAL waits for another process that holds the file.
  if (auto err = sqlite::Exec(db, "PRAGMA busy_timeout=5000")) return Error::Unreadable(where + err->message);
  // The first statement that reads the file: a file that is not a database fails here.
  auto mode = sqlite::QueryText(db, "PRAGMA journal_mode=WAL");
  if (!mode) return Error::Unreadable(where + mode.error().message);
  if (*mode != "wal") return Error::Unreadable(where + "cannot use write-ahead logging (journal mode " + *mode + ")");
  if (auto err = sqlite::Exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")) {
    return Error::Unreadable(where + err->message);
  }
  auto migrated = MigrateSchema(db, AuditMigrations(), FormatAuditTime(state->Now()));
  if (!migrated) return Error::Unreadable(where + migrated.error().message);
  if (options.max_page_count) {
    auto limit = sqlite::QueryInt(db, "PRAGMA max_page_count=" + std::to_string(*options.max_page_count));
    if (!limit) return Error::Unreadable(where + limit.error().message);
  }

  struct Prepared {
    sqlite::Statement* target;
    std::string_view sql;
  };
  for (const Prepared& p : {Prepared{&state->insert_assessment, kInsertAssessment},
                            Prepared{&state->insert_card, kInsertCard}, Prepared{&state->card_known, kCardKnown},
                            Prepared{&state->insert_feedback, kInsertFeedback},
                            Prepared{&state->delete_old_assessments, kDeleteOldAssessments},
                            Prepared{&state->delete_old_feedback, kDeleteOldFeedback}}) {
    auto stmt = sqlite::Statement::Prepare(db, p.sql);
    if (!stmt) return Error::Unreadable(where + stmt.error().message);
    *p.target = std::move(*stmt);
  }

  // §9.4 "and at start". A failure here is reported like a failed write: the database is usable.
  state->RetainAndNote();

  State* s = state.get();
  s->writer = std::thread([s] { s->RunWriter(); });
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(state)));
}

const std::vector<std::string>& AuditLog::startup_warnings() const { return state_->warnings; }

std::string AuditLog::PatientHash(std::string_view issuer, std::string_view patient_id) const {
  return nmscds::PatientHash(state_->salt, issuer, patient_id);
}

bool AuditLog::RecordAssessment(AssessmentRow row) {
  if (state_->Enqueue(std::move(row))) return true;
  state_->NoteFailure(1, "the audit queue is full or closed");
  return false;
}

Result<FeedbackResult> AuditLog::SubmitFeedback(std::string_view service_id,
                                                const std::vector<FeedbackElement>& elements,
                                                const std::optional<std::string>& client_iss,
                                                std::chrono::milliseconds timeout) {
  FeedbackJob job;
  job.service_id = std::string(service_id);
  job.client_iss = client_iss;
  job.received_at = FormatAuditTime(state_->Now());
  std::vector<Issue> issues;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const FeedbackElement& element = elements[i];
    const std::string pointer = "/feedback/" + std::to_string(i);
    FeedbackRow row;
    auto key = FeedbackKey(service_id, element.element_json);
    if (!key) {
      for (Issue issue : key.error().issues) {
        issue.location = pointer + issue.location;
        issues.push_back(std::move(issue));
      }
      if (key.error().issues.empty()) return key.error();  // an internal failure, not the client's data
      continue;
    }
    auto timestamp = ParseTimeMillis(element.outcome_timestamp);
    if (!timestamp) {
      issues.push_back(Issue{"time_format", pointer + "/outcomeTimestamp", "json_pointer",
                             "outcomeTimestamp must be an RFC 3339 date-time with a UTC offset"});
      continue;
    }
    row.key = std::move(*key);
    row.card_uuid = element.card_uuid;
    row.outcome = element.outcome;
    row.accepted_suggestions = JsonArrayOrNull(element.accepted_suggestions);
    row.override_system = element.override_system;
    row.override_code = element.override_code;
    row.user_comment_present = element.user_comment_present;
    row.outcome_timestamp = FormatAuditTime(*timestamp);
    job.rows.push_back(std::move(row));
  }
  if (!issues.empty()) return Error::Invalid(std::move(issues), "the feedback was not stored");

  const std::size_t element_count = job.rows.size();
  std::future<Result<FeedbackResult>> answer = job.done.get_future();
  if (!state_->Enqueue(std::move(job))) {
    state_->NoteFailure(element_count, "the audit queue is full or closed");
    return Error::Internal("audit: the feedback could not be queued (the audit queue is full or closed)");
  }
  if (answer.wait_for(timeout) != std::future_status::ready) {
    return Error::Internal("audit: the feedback was not written within " + std::to_string(timeout.count()) +
                           " ms (it may still be stored; a retry is counted as duplicates)");
  }
  return answer.get();
}

Result<RetentionResult> AuditLog::RunRetention() {
  RetentionJob job;
  auto answer = job.done.get_future();
  if (!state_->Enqueue(std::move(job))) return Error::Internal("audit: the audit log is closed");
  return answer.get();
}

void AuditLog::Flush() {
  FlushJob job;
  auto done = job.done.get_future();
  if (state_->Enqueue(std::move(job))) done.wait();
}

void AuditLog::Close() {
  std::lock_guard close_lock(state_->close_mu);
  if (state_->closed) return;
  {
    std::lock_guard lock(state_->mu);
    state_->closing = true;
  }
  state_->wake.notify_one();
  if (state_->writer.joinable()) state_->writer.join();
  // Statements before the connection: sqlite3_close_v2 would otherwise keep the file open as a zombie.
  state_->insert_assessment = {};
  state_->insert_card = {};
  state_->card_known = {};
  state_->insert_feedback = {};
  state_->delete_old_assessments = {};
  state_->delete_old_feedback = {};
  state_->db.reset();
  state_->closed = true;
}

bool AuditLog::healthy() const { return state_->healthy.load(); }
std::uint64_t AuditLog::dropped_total() const { return state_->dropped.load(); }
std::size_t AuditLog::queued() const {
  std::lock_guard lock(state_->mu);
  return state_->data_jobs;
}

}  // namespace nmscds
