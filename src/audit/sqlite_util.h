#pragma once
// A thin owner layer over the SQLite C API for the audit database (interfaces.md §9): connections and
// prepared statements that close themselves, and SQLite failures turned into Error values that carry
// SQLite's own message. Nothing here knows the audit schema.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nmscds/status.h"

namespace nmscds::sqlite {

// nullopt = success. SQLite calls that return nothing useful report through this.
using MaybeError = std::optional<Error>;

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

// SQLite's message for the connection's last failure with its extended result code
// ("database or disk is full (SQLite code 13)").
std::string LastError(sqlite3* db);

// Runs one or more statements that return no rows we need. kInternal with SQLite's message on failure.
MaybeError Exec(sqlite3* db, std::string_view sql);

// Runs a statement whose first row's first column is the answer (PRAGMA journal_mode=WAL, SELECT COUNT(*)).
Result<std::string> QueryText(sqlite3* db, std::string_view sql);
Result<std::int64_t> QueryInt(sqlite3* db, std::string_view sql);

// Rolls back the open transaction, if any. Used on every failure path after BEGIN, because SQLite may
// already have rolled back by itself after SQLITE_FULL or SQLITE_IOERR (then there is nothing to do).
void RollbackIfOpen(sqlite3* db);

// One prepared statement, reused: Bind*, Step, then Reset before the next use.
class Statement {
 public:
  Statement() = default;
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT): callers may free it at once.
  void BindText(int index, std::string_view text);
  void BindInt(int index, std::int64_t value);
  void BindNull(int index);
  // nullopt binds NULL.
  void BindTextOrNull(int index, const std::optional<std::string>& text);
  void BindIntOrNull(int index, const std::optional<std::int64_t>& value);

  // SQLITE_ROW, SQLITE_DONE, or an error code (read LastError on the connection).
  int Step();
  // Clears bindings and makes the statement ready to run again.
  void Reset();
  std::int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;  // "" for NULL

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace nmscds::sqlite
