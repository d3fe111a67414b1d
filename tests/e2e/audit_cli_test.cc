// `nmscds assess --audit` end to end (interfaces.md §7.2, §9): the real binary writes one 'cli' row per run
// into a real SQLite file, with the patient id only as its keyed hash.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using testing::RunResult;

std::string CaseFile() { return testing::SharedDir() + "/spec/examples/case-fn-polypharmacy.json"; }

RunResult Nmscds(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "NMSCDS_KB", "-u", "NO_COLOR", testing::BinaryPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv);
}

std::string Describe(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out.substr(0, 1000) + "\n--- stderr ---\n" +
         r.err.substr(0, 2000);
}

// Every row of a query, columns as text ("NULL" for NULL), read through SQLite directly.
std::vector<std::vector<std::string>> Rows(const std::string& db_path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.push_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// §9.2 computed here with OpenSSL's one-shot HMAC(), independently of the binary.
std::string ExpectedHash(const std::string& salt, const std::string& patient_id) {
  const std::string message = "\n" + patient_id;  // the CLI's issuer is empty
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), salt.data(), static_cast<int>(salt.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &len);
  return LowerHex(mac, len);
}

TEST(CliAudit, EachRunAppendsOneCliRow) {
  const std::string dir = testing::MakeTempDir("cli-audit-rows");
  const std::string db = dir + "/audit.db";
  RunResult r = Nmscds({"assess", "--format", "json", "--audit", db, CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_TRUE(r.err.empty()) << r.err;

  const std::string salt_path = db + ".salt";
  struct stat st {};
  ASSERT_EQ(::stat(salt_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string salt = testing::ReadFile(salt_path);
  ASSERT_EQ(salt.size(), 32u);

  const std::string input = testing::ReadFile(CaseFile());
  auto rows = Rows(db,
                   "SELECT channel, service_id, hook, hook_instance, client_iss, http_status, outcome, patient_hash, "
                   "input_sha256, assessed_at, decision, suspicion, fn_status, woodbury_stage, iec_points, "
                   "unavailable, kb_version, kb_sha256, engine_version, latency_us >= 0, "
                   "at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z' "
                   "FROM assessments");
  ASSERT_EQ(rows.size(), 1u);
  const std::vector<std::string> expected = {"cli",
                                             "NULL",
                                             "NULL",
                                             "NULL",
                                             "NULL",
                                             "NULL",
                                             "ok",
                                             ExpectedHash(salt, "p-aml-017"),
                                             Sha256Hex(input),
                                             "2026-11-20T14:00:00.000Z",
                                             report["dantrolene"]["decision"].get<std::string>(),
                                             report["nms"]["suspicion"].get<std::string>(),
                                             report["febrile_neutropenia"]["status"].get<std::string>(),
                                             report["nms"]["woodbury"]["stage"].get<std::string>(),
                                             std::to_string(report["nms"]["iec"]["points"].get<int>()),
                                             "NULL",
                                             report["knowledge_base"]["version"].get<std::string>(),
                                             report["knowledge_base"]["sha256"].get<std::string>(),
                                             report["engine"]["version"].get<std::string>(),
                                             "1",
                                             "1"};
  EXPECT_EQ(rows[0], expected);
  EXPECT_EQ(report["assessed_at"], "2026-11-20T14:00:00Z");

  // A second run appends under the same salt: the same patient gets the same hash.
  ASSERT_EQ(Nmscds({"assess", "--format", "json", "--audit", db, CaseFile()}).exit_code, 0);
  EXPECT_EQ(Rows(db, "SELECT COUNT(*), COUNT(DISTINCT patient_hash) FROM assessments"),
            (std::vector<std::vector<std::string>>{{"2", "1"}}));
  EXPECT_EQ(testing::ReadFile(salt_path), salt);
  std::string bytes = testing::ReadFile(db);
  if (fs::exists(db + "-wal")) bytes += testing::ReadFile(db + "-wal");
  EXPECT_EQ(bytes.find("p-aml-017"), std::string::npos);  // §9: no raw patient id
}

TEST(CliAudit, WithoutAuditNothingIsWritten) {
  const std::string dir = testing::MakeTempDir("cli-audit-none");
  RunResult r = Nmscds({"assess", "--format", "json", CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(CliAudit, InvalidInputIsRecordedWithoutPatientOrDecision) {
  const std::string dir = testing::MakeTempDir("cli-audit-invalid");
  const std::string db = dir + "/audit.db";
  const std::string bad = dir + "/bad.json";
  const std::string bad_bytes =
      R"({"format": "nmscds-case", "format_version": 1, "patient": {"id": "p-bad-001"}, "assessed_at": "soon"})";
  testing::WriteFile(bad, bad_bytes);
  RunResult r = Nmscds({"assess", "--format", "json", "--audit", db, bad});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(Rows(db, "SELECT channel, outcome, patient_hash, assessed_at, decision, suspicion, iec_points, "
                     "http_status, input_sha256, kb_version IS NOT NULL FROM assessments"),
            (std::vector<std::vector<std::string>>{
                {"cli", "invalid_input", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", Sha256Hex(bad_bytes), "1"}}));
}

TEST(CliAudit, SaltFileOption) {
  const std::string dir = testing::MakeTempDir("cli-audit-salt");
  const std::string db = dir + "/audit.db";
  const std::string salt_path = dir + "/secret.salt";
  std::string salt;
  for (int i = 0; i < 32; ++i) salt += static_cast<char>(100 + i);
  testing::WriteFile(salt_path, salt);
  ::chmod(salt_path.c_str(), 0600);
  RunResult r = Nmscds({"assess", "--format", "json", "--audit", db, "--audit-salt-file", salt_path, CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_FALSE(fs::exists(db + ".salt"));
  EXPECT_EQ(Rows(db, "SELECT patient_hash FROM assessments"),
            (std::vector<std::vector<std::string>>{{ExpectedHash(salt, "p-aml-017")}}));
}

TEST(CliAudit, GroupReadableSaltIsWarnedAbout) {
  const std::string dir = testing::MakeTempDir("cli-audit-salt-mode");
  const std::string db = dir + "/audit.db";
  testing::WriteFile(db + ".salt", std::string(32, 's'));
  ::chmod((db + ".salt").c_str(), 0644);
  RunResult r = Nmscds({"assess", "--format", "text", "--color", "never", "--audit", db, CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.err.find("nmscds: warning: audit salt file"), std::string::npos) << r.err;
}

// A row the database refuses (here a trigger an operator added) must not pass as audited: the report is still
// printed (§9.1: clinical answers are not withheld), then an internal error, exit 1.
TEST(CliAudit, RowThatCannotBeWrittenIsAnInternalErrorAfterTheReport) {
  const std::string dir = testing::MakeTempDir("cli-audit-refused");
  const std::string db = dir + "/audit.db";
  ASSERT_EQ(Nmscds({"assess", "--format", "json", "--audit", db, CaseFile()}).exit_code, 0);
  {
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(conn, "CREATE TRIGGER refuse BEFORE INSERT ON assessments BEGIN SELECT RAISE(ABORT, "
                                 "'refused by the operator'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(conn);
  }
  RunResult r = Nmscds({"assess", "--format", "json", "--audit", db, CaseFile()});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_EQ(nlohmann::json::parse(r.out)["patient_id"], "p-aml-017");
  const auto error = nlohmann::json::parse(r.err);  // exactly one JSON object (§7.1)
  EXPECT_EQ(error["error"]["kind"], "internal");
  const std::string message = error["error"]["message"];
  EXPECT_NE(message.find("the audit row was not written"), std::string::npos) << message;
  EXPECT_NE(message.find("refused by the operator"), std::string::npos) << message;
  EXPECT_EQ(Rows(db, "SELECT COUNT(*) FROM assessments"), (std::vector<std::vector<std::string>>{{"1"}}));
}

TEST(CliAudit, AuditThatCannotBeOpenedStopsBeforeAssessing) {
  const std::string dir = testing::MakeTempDir("cli-audit-fail");
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  testing::WriteFile(dir + "/short.salt", std::string(16, 's'));
  testing::WriteFile(dir + "/notadb.db", std::string(4096, 'x'));
  const std::vector<Case> cases = {
      {{"--audit", dir + "/missing/audit.db"}, 4},                                           // no such directory
      {{"--audit", dir + "/a.db", "--audit-salt-file", dir + "/short.salt"}, 4},             // salt of 16 bytes
      {{"--audit", dir + "/notadb.db"}, 4},                                                  // not a database
      {{"--audit-salt-file", dir + "/x.salt"}, 2},                                           // needs --audit
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"assess", "--format", "json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.push_back(CaseFile());
    RunResult r = Nmscds(args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[1] << "\n" << Describe(r);
    EXPECT_TRUE(r.out.empty()) << c.args[1];  // no report without the audit that was asked for
    ASSERT_FALSE(r.err.empty());
    const auto error = nlohmann::json::parse(r.err);  // §7.1: exactly one JSON object
    EXPECT_EQ(error["error"]["exit_code"], c.exit_code);
  }
}

}  // namespace
}  // namespace nmscds
