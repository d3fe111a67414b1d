#include "audit/audit_schema.h"

#include <array>
#include <cstdio>
#include <optional>

#include "audit/sqlite_util.h"
#include "common/time_util.h"

namespace nmscds {
namespace {

// interfaces.md §9.3, verbatim (the test compares sqlite_master with the specification's text).
constexpr std::string_view kSchemaV1 = R"sql(CREATE TABLE schema_version (
  version     INTEGER NOT NULL,
  applied_at  TEXT    NOT NULL               -- UTC, YYYY-MM-DDThh:mm:ss.sssZ
);
CREATE TABLE assessments (
  id              INTEGER PRIMARY KEY,
  at              TEXT    NOT NULL,          -- completion time, UTC, millisecond precision
  channel         TEXT    NOT NULL CHECK (channel IN ('cli','api','cds')),
  service_id      TEXT,                      -- CDS service id, NULL otherwise
  hook            TEXT,                      -- CDS hook name
  hook_instance   TEXT,                      -- CDS hookInstance as sent by the client
  client_iss      TEXT,                      -- JWT iss, NULL when unauthenticated or CLI
  patient_hash    TEXT,                      -- section 9.2; NULL when the request failed before the patient was known
  input_sha256    TEXT    NOT NULL,          -- SHA-256 of the request body / input file
  assessed_at     TEXT,                      -- T0
  outcome         TEXT    NOT NULL CHECK (outcome IN ('ok','invalid_input','unauthorized','precondition_failed','timeout','error')),
  http_status     INTEGER,                   -- NULL for the CLI
  decision        TEXT,                      -- dantrolene decision, NULL unless outcome = 'ok'
  suspicion       TEXT,
  fn_status       TEXT,
  woodbury_stage  TEXT,
  iec_points      INTEGER,
  unavailable     TEXT,                      -- comma-separated prefetch keys that were unavailable
  kb_version      TEXT    NOT NULL,
  kb_sha256       TEXT    NOT NULL,
  engine_version  TEXT    NOT NULL,
  latency_us      INTEGER NOT NULL           -- from body read to response ready
);
CREATE INDEX assessments_at ON assessments(at);
CREATE INDEX assessments_patient ON assessments(patient_hash, at);
CREATE INDEX assessments_hook_instance ON assessments(hook_instance);
CREATE TABLE cards (
  card_uuid        TEXT PRIMARY KEY,
  assessment_id    INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
  service_id       TEXT NOT NULL,
  topic            TEXT NOT NULL,
  indicator        TEXT NOT NULL CHECK (indicator IN ('info','warning','critical')),
  suggestion_uuids TEXT                      -- JSON array of suggestion uuids, NULL if none
);
CREATE TABLE feedback (
  id                   INTEGER PRIMARY KEY,
  feedback_key         TEXT NOT NULL UNIQUE, -- section 8.11
  received_at          TEXT NOT NULL,
  service_id           TEXT NOT NULL,
  card_uuid            TEXT NOT NULL,
  card_known           INTEGER NOT NULL CHECK (card_known IN (0,1)),
  outcome              TEXT NOT NULL CHECK (outcome IN ('accepted','overridden')),
  accepted_suggestions TEXT,                 -- JSON array of suggestion uuids
  override_system      TEXT,
  override_code        TEXT,
  user_comment_present INTEGER NOT NULL DEFAULT 0 CHECK (user_comment_present IN (0,1)),
  outcome_timestamp    TEXT NOT NULL,
  client_iss           TEXT
);
CREATE INDEX feedback_card ON feedback(card_uuid);
)sql";

constexpr std::array<Migration, 1> kMigrations = {{
    {1, kSchemaV1},
}};

static_assert(kMigrations.back().version == kAuditSchemaVersion);

Error Unreadable(std::string message) { return Error::Unreadable("audit database: " + std::move(message)); }

}  // namespace

std::span<const Migration> AuditMigrations() { return kMigrations; }

Result<int> ReadSchemaVersion(sqlite3* db) {
  auto tables = sqlite::QueryInt(db, "SELECT COUNT(*) FROM sqlite_master");
  if (!tables) return Unreadable(tables.error().message);
  if (*tables == 0) return 0;
  auto has_version_table =
      sqlite::QueryInt(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_version_table) return Unreadable(has_version_table.error().message);
  if (*has_version_table == 0) {
    return Unreadable("the file holds tables but no schema_version: it is not an nmscds audit database");
  }
  auto rows = sqlite::QueryInt(db, "SELECT COUNT(*) FROM schema_version");
  if (!rows) return Unreadable(rows.error().message);
  if (*rows == 0) return Unreadable("schema_version is empty: the database's version is unknown");
  auto version = sqlite::QueryInt(db, "SELECT MAX(version) FROM schema_version");
  if (!version) return Unreadable(version.error().message);
  return static_cast<int>(*version);
}

Result<int> MigrateSchema(sqlite3* db, std::span<const Migration> steps, std::string_view applied_at) {
  if (auto err = sqlite::Exec(db, "BEGIN IMMEDIATE")) return Unreadable(err->message);
  auto fail = [db](std::string message) -> Result<int> {
    sqlite::RollbackIfOpen(db);
    return Unreadable(std::move(message));
  };
  auto before = ReadSchemaVersion(db);
  if (!before) {
    sqlite::RollbackIfOpen(db);
    return before.error();
  }
  const int newest = steps.empty() ? 0 : steps.back().version;
  if (*before > newest) {
    return fail("schema version " + std::to_string(*before) + " is newer than this nmscds supports (" +
                std::to_string(newest) + "); use a newer nmscds or another database");
  }
  for (const Migration& step : steps) {
    if (step.version <= *before) continue;
    if (auto err = sqlite::Exec(db, step.sql)) {
      return fail("migration to schema version " + std::to_string(step.version) + " failed: " + err->message);
    }
    auto insert = sqlite::Statement::Prepare(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
    if (!insert) return fail("migration to schema version " + std::to_string(step.version) + " failed: " +
                             insert.error().message);
    insert->BindInt(1, std::int64_t{step.version});
    insert->BindText(2, applied_at);
    if (insert->Step() != SQLITE_DONE) {
      return fail("migration to schema version " + std::to_string(step.version) + " failed: " +
                  sqlite::LastError(db));
    }
  }
  if (auto err = sqlite::Exec(db, "COMMIT")) return fail("migration could not be committed: " + err->message);
  return *before;
}

std::string FormatAuditTime(std::int64_t unix_ms) {
  // Floor division, so that times before 1970 still get a milliseconds part in 0..999.
  std::int64_t seconds = unix_ms / 1000;
  std::int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::string text = FormatDateTime(seconds);  // "YYYY-MM-DDThh:mm:ssZ"
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
  text.pop_back();
  text += fraction;
  return text;
}

std::optional<std::int64_t> ParseTimeMillis(std::string_view rfc3339) {
  auto seconds = ParseDateTime(rfc3339);
  if (!seconds) return std::nullopt;
  std::int64_t millis = 0;
  // "YYYY-MM-DDThh:mm:ss" is 19 characters; ParseDateTime accepted the text, so a '.' there starts the fraction.
  if (rfc3339.size() > 19 && rfc3339[19] == '.') {
    int digits = 0;
    for (std::size_t i = 20; i < rfc3339.size() && digits < 3; ++i, ++digits) {
      const char c = rfc3339[i];
      if (c < '0' || c > '9') break;
      millis = millis * 10 + (c - '0');
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  return *seconds * 1000 + millis;
}

}  // namespace nmscds
