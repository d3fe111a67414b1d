#pragma once
// The audit database's schema and its versions (interfaces.md §9.1, §9.3).
//
// Each schema version is one Migration step. A database is brought to the newest version by running, in one
// transaction, every step above the version it records in `schema_version`; each step adds its row there.
// Adding version 2 is one more entry in AuditMigrations() (and kAuditSchemaVersion = 2).
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "nmscds/status.h"

namespace nmscds {

// The schema version this binary writes.
inline constexpr int kAuditSchemaVersion = 1;

struct Migration {
  int version;           // the schema version the database has after this step
  std::string_view sql;  // statements run inside the migration transaction
};

// The steps of this binary, in increasing version order; the last one is kAuditSchemaVersion.
std::span<const Migration> AuditMigrations();

// The version a database records: 0 when it holds no table at all (a new file). kUnreadable when it has
// tables but no `schema_version` (not an nmscds audit database) or an empty `schema_version`.
Result<int> ReadSchemaVersion(sqlite3* db);

// Brings `db` to the version of the last step, in one IMMEDIATE transaction (so two processes opening the
// same new file do not both create it): every step whose version is above the recorded one runs, in order,
// and records (version, applied_at). Returns the version the database had before. kUnreadable when the
// database records a newer version than the last step (nothing is changed), or when a step fails (everything
// is rolled back; the database keeps its old version).
Result<int> MigrateSchema(sqlite3* db, std::span<const Migration> steps, std::string_view applied_at);

// Audit times (§9.3): UTC "YYYY-MM-DDThh:mm:ss.sssZ" from milliseconds since the epoch.
std::string FormatAuditTime(std::int64_t unix_ms);
// RFC 3339 with offset (fractional seconds allowed) -> milliseconds since the epoch, UTC; fractions beyond
// the millisecond are truncated. nullopt for anything ParseDateTime rejects.
std::optional<std::int64_t> ParseTimeMillis(std::string_view rfc3339);

}  // namespace nmscds
