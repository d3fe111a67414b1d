#include "audit/sqlite_util.h"

namespace nmscds::sqlite {

std::string LastError(sqlite3* db) {
  return std::string(sqlite3_errmsg(db)) + " (SQLite code " + std::to_string(sqlite3_extended_errcode(db)) + ")";
}

MaybeError Exec(sqlite3* db, std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  char* message = nullptr;
  if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string what = message != nullptr ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return Error::Internal(what + " (SQLite code " + std::to_string(sqlite3_extended_errcode(db)) + ")");
  }
  return std::nullopt;
}

namespace {

// Prepares and steps `sql` once; the statement is left on its first row.
Result<Statement> FirstRow(sqlite3* db, std::string_view sql) {
  auto stmt = Statement::Prepare(db, sql);
  if (!stmt) return stmt.error();
  if (stmt->Step() != SQLITE_ROW) return Error::Internal(LastError(db));
  return stmt;
}

}  // namespace

Result<std::string> QueryText(sqlite3* db, std::string_view sql) {
  auto stmt = FirstRow(db, sql);
  if (!stmt) return stmt.error();
  return stmt->ColumnText(0);
}

Result<std::int64_t> QueryInt(sqlite3* db, std::string_view sql) {
  auto stmt = FirstRow(db, sql);
  if (!stmt) return stmt.error();
  return stmt->ColumnInt(0);
}

void RollbackIfOpen(sqlite3* db) {
  if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr) !=
      SQLITE_OK) {
    return Error::Internal(LastError(db));
  }
  Statement s;
  s.stmt_.reset(raw);
  return s;
}

void Statement::BindText(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void Statement::BindInt(int index, std::int64_t value) { sqlite3_bind_int64(stmt_.get(), index, value); }
void Statement::BindNull(int index) { sqlite3_bind_null(stmt_.get(), index); }
void Statement::BindTextOrNull(int index, const std::optional<std::string>& text) {
  if (text) {
    BindText(index, *text);
  } else {
    BindNull(index);
  }
}
void Statement::BindIntOrNull(int index, const std::optional<std::int64_t>& value) {
  if (value) {
    BindInt(index, *value);
  } else {
    BindNull(index);
  }
}

int Statement::Step() { return sqlite3_step(stmt_.get()); }
void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}
std::int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

}  // namespace nmscds::sqlite
