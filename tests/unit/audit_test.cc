// The audit database (interfaces.md §9) and feedback storage (§8.11), on real SQLite files in a temporary
// directory: schema, opening and migration (§9.1, §9.3), salt and patient hash (§9.2), rows and cards,
// retention (§9.4), feedback keys and idempotence (§8.11), and the degraded state when rows are dropped
// (§9.1, §8.12).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/audit_schema.h"
#include "audit/feedback_key.h"
#include "audit/patient_hash.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;

// ---- helpers ------------------------------------------------------------------------------------------

// A second, independent connection to the database, as an operator's sqlite3 shell would have.
class Inspector {
 public:
  explicit Inspector(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK) << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Inspector() { sqlite3_close_v2(db_); }
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // Every row of the query, columns as text ("NULL" for NULL).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db_);
    if (stmt == nullptr) return rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.push_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
      }
      rows.push_back(std::move(row));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }
  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? "<no row>" : rows[0][0];
  }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// 2026-11-20T14:00:00.250Z
constexpr std::int64_t kNowMs = 1795183200250;
constexpr std::int64_t kDayMs = 86400000;

std::string FixedSalt() {
  std::string salt;
  for (int i = 0; i < 32; ++i) salt += static_cast<char>(i);
  return salt;
}

void WriteSaltFile(const std::string& path, const std::string& bytes, mode_t mode = 0600) {
  testing::WriteFile(path, bytes);
  ::chmod(path.c_str(), mode);
}

// Every byte the database keeps on disk: the main file, its WAL and shared-memory index.
std::string DatabaseBytes(const std::string& path) {
  std::string bytes;
  for (const std::string& p : {path, path + "-wal", path + "-shm"}) {
    if (fs::exists(p)) bytes += testing::ReadFile(p);
  }
  return bytes;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = testing::MakeTempDir(std::string("audit-") + info->test_suite_name() + "-" + info->name());
    path_ = dir_ + "/audit.db";
  }

  AuditOptions Options() {
    AuditOptions o;
    o.path = path_;
    o.now_ms = [this] { return now_ms_.load(); };
    o.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    return o;
  }
  std::unique_ptr<AuditLog> OpenOrDie(const AuditOptions& o) {
    auto log = AuditLog::Open(o);
    EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().message);
    return log.ok() ? std::move(*log) : nullptr;
  }
  std::unique_ptr<AuditLog> OpenOrDie() { return OpenOrDie(Options()); }
  std::vector<std::string> LogLines() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  std::string dir_;
  std::string path_;
  std::atomic<std::int64_t> now_ms_{kNowMs};
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

AssessmentRow SampleRow(std::int64_t at_ms) {
  AssessmentRow row;
  row.at_ms = at_ms;
  row.channel = AuditChannel::kCds;
  row.service_id = "nms-dantrolene-order";
  row.hook = "order-sign";
  row.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  row.client_iss = "https://ehr.example.org/auth";
  row.patient_hash = std::string(64, 'a');
  row.input_sha256 = std::string(64, 'b');
  row.assessed_at = 1795183200;  // 2026-11-20T14:00:00Z
  row.outcome = AuditOutcome::kOk;
  row.http_status = 200;
  row.decision = "contraindicated";
  row.suspicion = "high";
  row.fn_status = "confirmed";
  row.woodbury_stage = "III";
  row.iec_points = 72;
  row.unavailable = {"medications", "conditions"};
  row.kb_version = "2026.11.1";
  row.kb_sha256 = std::string(64, 'c');
  row.engine_version = "1.0.0";
  row.latency_us = 1234;
  return row;
}

AuditCard SampleCard(std::string uuid, std::vector<std::string> suggestions = {}) {
  AuditCard card;
  card.card_uuid = std::move(uuid);
  card.service_id = "nms-dantrolene-order";
  card.topic = "dantrolene-decision";
  card.indicator = "critical";
  card.suggestion_uuids = std::move(suggestions);
  return card;
}

FeedbackElement Feedback(std::string json, std::string card_uuid) {
  FeedbackElement e;
  e.element_json = std::move(json);
  e.card_uuid = std::move(card_uuid);
  e.outcome = FeedbackOutcome::kOverridden;
  e.override_system = "https://nmscds.org/CodeSystem/override-reason";
  e.override_code = "nms-excluded";
  e.outcome_timestamp = "2026-11-20T15:00:00.5+01:00";
  e.user_comment_present = true;  // OverriddenElementJson has one
  return e;
}

const char* const kCardA = "6f1d2c3b-1111-5a6b-8c7d-000000000001";

// An overridden element (§8.11) with a free-text comment that must never reach the database.
std::string OverriddenElementJson(std::string_view card) {
  return std::string(R"({"card": ")") + std::string(card) +
         R"(", "outcome": "overridden", "outcomeTimestamp": "2026-11-20T15:00:00.5+01:00",
            "overrideReason": {"reason": {"system": "https://nmscds.org/CodeSystem/override-reason",
            "code": "nms-excluded"}, "userComment": "Spoke to Jane Roe at home, DOB 1964-03-02"}})";
}

// ---- §9.3 schema, §9.1 opening -------------------------------------------------------------------------

// The statements of the ```sql block of interfaces.md §9.3, without their semicolons.
std::vector<std::string> SpecSchemaStatements() {
  const std::string spec = testing::ReadFile(testing::SharedDir() + "/spec/interfaces.md");
  const std::size_t section = spec.find("### 9.3 Schema (version 1)");
  EXPECT_NE(section, std::string::npos);
  const std::size_t begin = spec.find("```sql\n", section) + 7;
  const std::size_t end = spec.find("```", begin);
  const std::string block = spec.substr(begin, end - begin);
  std::vector<std::string> statements;
  std::size_t start = 0;
  for (std::size_t semi; (semi = block.find(";\n", start)) != std::string::npos; start = semi + 2) {
    statements.push_back(block.substr(start, semi - start));
  }
  return statements;
}

TEST_F(AuditTest, SchemaIsExactlyTheSpecificationText) {
  OpenOrDie()->Close();
  const auto expected = SpecSchemaStatements();
  ASSERT_EQ(expected.size(), 8u);  // 4 tables, 4 indexes
  Inspector db(path_);
  std::vector<std::string> actual;
  for (const auto& row : db.Rows("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")) {
    actual.push_back(row[0]);
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(AuditTest, OpeningSetsWalAndRecordsVersionOne) {
  OpenOrDie()->Close();
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // §9.4: confidential
  Inspector db(path_);
  EXPECT_EQ(db.One("PRAGMA journal_mode"), "wal");  // persistent in the file
  EXPECT_EQ(db.Rows("SELECT version, applied_at FROM schema_version"),
            (std::vector<std::vector<std::string>>{{"1", "2026-11-20T14:00:00.250Z"}}));
}

TEST_F(AuditTest, ReopeningChangesNothing) {
  {
    auto log = OpenOrDie();
    log->RecordAssessment(SampleRow(kNowMs));
  }
  const std::string schema_before = Inspector(path_).One("SELECT group_concat(sql, ';') FROM sqlite_master");
  now_ms_ += 1000;
  OpenOrDie()->Close();
  Inspector db(path_);
  EXPECT_EQ(db.One("SELECT group_concat(sql, ';') FROM sqlite_master"), schema_before);
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM schema_version"), "1");
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM assessments"), "1");
}

TEST_F(AuditTest, NewerSchemaIsRefusedAndLeftAlone) {
  OpenOrDie()->Close();
  {
    Inspector db(path_);
    db.Exec("INSERT INTO schema_version (version, applied_at) VALUES (2, '2027-01-01T00:00:00.000Z')");
  }
  auto log = AuditLog::Open(Options());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().kind, ErrorKind::kUnreadable);
  EXPECT_EQ(ExitCode(log.error().kind), 4);  // §7.4: cannot be opened or migrated
  EXPECT_NE(log.error().message.find("schema version 2 is newer"), std::string::npos) << log.error().message;
  EXPECT_EQ(Inspector(path_).One("SELECT group_concat(version) FROM schema_version"), "1,2");
}

TEST_F(AuditTest, FilesThatAreNotAuditDatabasesAreRefused) {
  testing::WriteFile(path_, std::string(4096, 'x'));
  auto garbage = AuditLog::Open(Options());
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::kUnreadable);

  const std::string other = dir_ + "/other.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE patients (name TEXT)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  AuditOptions o = Options();
  o.path = other;
  auto foreign = AuditLog::Open(o);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kUnreadable);
  EXPECT_NE(foreign.error().message.find("not an nmscds audit database"), std::string::npos);

  o.path = dir_ + "/no-such-dir/audit.db";
  o.salt_path = dir_ + "/salt";
  auto missing_dir = AuditLog::Open(o);
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_EQ(missing_dir.error().kind, ErrorKind::kUnreadable);
}

TEST_F(AuditTest, OptionsOutsideTheirRangeAreUsageErrors) {
  AuditOptions o = Options();
  o.retention_days = 0;
  auto log = AuditLog::Open(o);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().kind, ErrorKind::kUsage);
  EXPECT_FALSE(fs::exists(path_));  // refused before touching the disk
}

// ---- §9.1 migrations, with a test-only step list ---------------------------------------------------------

class AuditMigrationTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }
  std::string Columns(const std::string& table) {
    std::string names;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, ("SELECT name FROM pragma_table_info('" + table + "')").c_str(), -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      names += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      names += ' ';
    }
    sqlite3_finalize(stmt);
    return names;
  }
  // This binary's steps plus a test-only version 2, as the next schema change would add it.
  static std::vector<Migration> StepsToVersion2() {
    std::vector<Migration> steps(AuditMigrations().begin(), AuditMigrations().end());
    steps.push_back({2, "ALTER TABLE feedback ADD COLUMN note TEXT"});
    return steps;
  }
  void ExpectMigratedToVersion2(int version_before, std::string_view applied_at) {
    auto before = MigrateSchema(db_, StepsToVersion2(), applied_at);
    ASSERT_TRUE(before.ok()) << before.error().message;
    EXPECT_EQ(*before, version_before);
    EXPECT_EQ(*ReadSchemaVersion(db_), 2);
    EXPECT_NE(Columns("feedback").find("note"), std::string::npos);
  }
  sqlite3* db_ = nullptr;
};

TEST_F(AuditMigrationTest, EmptyDatabaseGetsEveryStep) { ExpectMigratedToVersion2(0, "2026-11-20T14:00:00.000Z"); }

TEST_F(AuditMigrationTest, OlderDatabaseIsMigratedAndKeepsItsRows) {
  ASSERT_TRUE(MigrateSchema(db_, AuditMigrations(), "2026-11-20T14:00:00.000Z").ok());
  sqlite3_exec(db_,
               "INSERT INTO feedback (feedback_key, received_at, service_id, card_uuid, card_known, outcome, "
               "outcome_timestamp) VALUES ('k', 't', 's', 'c', 0, 'accepted', 't')",
               nullptr, nullptr, nullptr);
  ExpectMigratedToVersion2(1, "2026-12-01T00:00:00.000Z");
  Inspector check(path_);
  EXPECT_EQ(check.One("SELECT group_concat(version || '@' || applied_at) FROM schema_version"),
            "1@2026-11-20T14:00:00.000Z,2@2026-12-01T00:00:00.000Z");
  EXPECT_EQ(check.One("SELECT COUNT(*) FROM feedback"), "1");
}

TEST_F(AuditMigrationTest, FailingStepRollsBackTheWholeMigration) {
  ASSERT_TRUE(MigrateSchema(db_, AuditMigrations(), "2026-11-20T14:00:00.000Z").ok());
  std::vector<Migration> steps = StepsToVersion2();
  steps.push_back({3, "ALTER TABLE no_such_table ADD COLUMN x TEXT"});
  auto result = MigrateSchema(db_, steps, "2026-12-01T00:00:00.000Z");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kUnreadable);
  EXPECT_NE(result.error().message.find("migration to schema version 3 failed"), std::string::npos);
  EXPECT_EQ(*ReadSchemaVersion(db_), 1);                          // step 2 rolled back with step 3
  EXPECT_EQ(Columns("feedback").find("note"), std::string::npos);
}

TEST_F(AuditMigrationTest, CurrentDatabaseIsLeftAsItIs) {
  ASSERT_TRUE(MigrateSchema(db_, AuditMigrations(), "2026-11-20T14:00:00.000Z").ok());
  auto again = MigrateSchema(db_, AuditMigrations(), "2026-12-01T00:00:00.000Z");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM schema_version"), "1");
}

// ---- §9.2 salt and patient hash ----------------------------------------------------------------------

TEST_F(AuditTest, SaltIsCreatedWith0600AndReused) {
  std::string first_hash;
  {
    auto log = OpenOrDie();
    EXPECT_TRUE(log->startup_warnings().empty());
    first_hash = log->PatientHash("", "p-aml-017");
  }
  const std::string salt_path = path_ + ".salt";  // §7.4 default
  struct stat st {};
  ASSERT_EQ(::stat(salt_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  const std::string salt = testing::ReadFile(salt_path);
  EXPECT_NE(salt, std::string(32, '\0'));

  auto log = OpenOrDie();
  EXPECT_EQ(testing::ReadFile(salt_path), salt);               // not replaced
  EXPECT_EQ(log->PatientHash("", "p-aml-017"), first_hash);  // so hashes stay linkable
  EXPECT_EQ(first_hash, PatientHash(salt, "", "p-aml-017"));
}

TEST_F(AuditTest, TwoNewSaltsDiffer) {
  auto a = LoadOrCreateAuditSalt(dir_ + "/a.salt");
  auto b = LoadOrCreateAuditSalt(dir_ + "/b.salt");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->created);
  EXPECT_NE(a->bytes, b->bytes);
  auto again = LoadOrCreateAuditSalt(dir_ + "/a.salt");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->bytes, a->bytes);
}

TEST_F(AuditTest, SaltOfTheWrongSizeIsRefused) {
  for (std::size_t size : {std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
    WriteSaltFile(path_ + ".salt", std::string(size, 'k'));
    auto log = AuditLog::Open(Options());
    ASSERT_FALSE(log.ok()) << size;
    EXPECT_EQ(log.error().kind, ErrorKind::kUnreadable) << size;
    EXPECT_NE(log.error().message.find("not 32"), std::string::npos) << log.error().message;
    EXPECT_EQ(testing::ReadFile(path_ + ".salt"), std::string(size, 'k'));  // never overwritten
  }
  fs::remove(path_ + ".salt");
  fs::create_directory(path_ + ".salt");
  auto directory = AuditLog::Open(Options());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().kind, ErrorKind::kUnreadable);
}

TEST_F(AuditTest, SaltReadableByOthersGivesAWarning) {
  WriteSaltFile(path_ + ".salt", FixedSalt(), 0644);
  auto log = OpenOrDie();
  ASSERT_EQ(log->startup_warnings().size(), 1u);
  EXPECT_NE(log->startup_warnings()[0].find("readable by group or others"), std::string::npos);
}

TEST_F(AuditTest, SaltFileOptionIsUsed) {
  AuditOptions o = Options();
  o.salt_path = dir_ + "/secret/elsewhere.salt";
  fs::create_directory(dir_ + "/secret");
  WriteSaltFile(o.salt_path, FixedSalt());
  auto log = OpenOrDie(o);
  EXPECT_FALSE(fs::exists(path_ + ".salt"));
  EXPECT_EQ(log->PatientHash("", "P-12345"), "9fc1f870a32eb4d94c1694426975467f642a2efcb674a866d90562487a41ceb8");
}

// Known answers computed outside nmscds (Python: hmac.new(bytes(range(32)), msg, hashlib.sha256)), and the same
// values through OpenSSL's one-shot HMAC(), a different API from the EVP_Q_mac that nmscds calls.
TEST_F(AuditTest, PatientHashKnownAnswers) {
  WriteSaltFile(path_ + ".salt", FixedSalt());
  auto log = OpenOrDie();
  struct Case {
    std::string issuer, patient, expected;
  } cases[] = {
      {"", "P-12345", "9fc1f870a32eb4d94c1694426975467f642a2efcb674a866d90562487a41ceb8"},
      {"https://ehr.example.org/auth", "P-12345", "133acc08c79e162cffff3d0c1c517f010bfd8472f914cc55b4a87600041e103f"},
  };
  const std::string salt = FixedSalt();
  for (const Case& c : cases) {
    EXPECT_EQ(log->PatientHash(c.issuer, c.patient), c.expected) << c.issuer;
    const std::string message = c.issuer + "\n" + c.patient;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), salt.data(), static_cast<int>(salt.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
    EXPECT_EQ(LowerHex(mac, len), c.expected);
  }
  // The issuer is part of the message: the same id at two issuers is two patients.
  EXPECT_NE(log->PatientHash("a", "bc"), log->PatientHash("ab", "c"));
}

// ---- §9.3 rows -------------------------------------------------------------------------------------------

TEST_F(AuditTest, AssessmentRowAndCardsAreWrittenColumnByColumn) {
  auto log = OpenOrDie();
  AssessmentRow row = SampleRow(kNowMs);
  row.cards = {SampleCard(kCardA, {"s-1", "s-2"}), SampleCard("6f1d2c3b-1111-5a6b-8c7d-000000000002")};
  ASSERT_TRUE(log->RecordAssessment(row));
  log->Flush();
  EXPECT_TRUE(log->healthy());
  EXPECT_EQ(log->dropped_total(), 0u);

  Inspector db(path_);
  const std::vector<std::string> expected = {
      "1", "2026-11-20T14:00:00.250Z", "cds", "nms-dantrolene-order", "order-sign",
      "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "https://ehr.example.org/auth", std::string(64, 'a'),
      std::string(64, 'b'), "2026-11-20T14:00:00.000Z", "ok", "200", "contraindicated", "high", "confirmed", "III",
      "72", "medications,conditions", "2026.11.1", std::string(64, 'c'), "1.0.0", "1234"};
  EXPECT_EQ(db.Rows("SELECT * FROM assessments"), (std::vector<std::vector<std::string>>{expected}));
  EXPECT_EQ(db.Rows("SELECT * FROM cards ORDER BY card_uuid"),
            (std::vector<std::vector<std::string>>{
                {kCardA, "1", "nms-dantrolene-order", "dantrolene-decision", "critical", R"(["s-1","s-2"])"},
                {"6f1d2c3b-1111-5a6b-8c7d-000000000002", "1", "nms-dantrolene-order", "dantrolene-decision",
                 "critical", "NULL"}}));
}

TEST_F(AuditTest, UnknownColumnsAreNull) {
  auto log = OpenOrDie();
  AssessmentRow row;  // a 401: nothing but what every row has
  row.at_ms = kNowMs;
  row.channel = AuditChannel::kApi;
  row.outcome = AuditOutcome::kUnauthorized;
  row.http_status = 401;
  row.input_sha256 = Sha256Hex("");
  row.kb_version = "2026.11.1";
  row.kb_sha256 = std::string(64, 'c');
  row.engine_version = "1.0.0";
  log->RecordAssessment(row);
  log->Flush();
  Inspector db(path_);
  EXPECT_EQ(db.One("SELECT service_id || hook || hook_instance || client_iss || patient_hash || assessed_at || "
                   "decision || suspicion || fn_status || woodbury_stage || iec_points || unavailable FROM assessments"),
            "NULL");
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM assessments WHERE service_id IS NULL AND hook IS NULL AND hook_instance "
                   "IS NULL AND client_iss IS NULL AND patient_hash IS NULL AND assessed_at IS NULL AND decision IS "
                   "NULL AND iec_points IS NULL AND unavailable IS NULL AND outcome = 'unauthorized' AND "
                   "http_status = 401"),
            "1");
}

TEST_F(AuditTest, RealReportRowHoldsNoPatientId) {
  auto kb = LoadKnowledgeBase("");
  ASSERT_TRUE(kb.ok());
  const std::string input = testing::ReadFile(testing::SharedDir() + "/spec/examples/case-fn-polypharmacy.json");
  auto report = Assess(input, **kb, {});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->patient_id, "p-aml-017");

  {
    auto log = OpenOrDie();
    AssessmentRow row = AssessmentRowFromReport(*report);
    row.at_ms = kNowMs;
    row.channel = AuditChannel::kApi;
    row.http_status = 200;
    row.patient_hash = log->PatientHash("", report->patient_id);
    log->RecordAssessment(row);
    log->Flush();
    // Checked while the rows may still sit in the WAL, and again after Close merged it into the file.
    EXPECT_EQ(DatabaseBytes(path_).find("p-aml-017"), std::string::npos);
  }
  EXPECT_EQ(DatabaseBytes(path_).find("p-aml-017"), std::string::npos);

  Inspector db(path_);
  const std::string salt = testing::ReadFile(path_ + ".salt");
  EXPECT_EQ(db.Rows("SELECT patient_hash, input_sha256, decision, suspicion, fn_status, woodbury_stage, "
                    "iec_points, assessed_at, kb_version, kb_sha256, engine_version FROM assessments"),
            (std::vector<std::vector<std::string>>{
                {PatientHash(salt, "", "p-aml-017"), Sha256Hex(input), report->dantrolene.decision,
                 report->nms.suspicion, report->febrile_neutropenia.status, report->nms.woodbury.stage,
                 std::to_string(report->nms.iec.points), FormatAuditTime(report->assessed_at * 1000),
                 report->kb_version, report->kb_sha256, std::string(EngineVersion())}}));
}

TEST_F(AuditTest, RepeatedCardUuidStaysWithItsFirstAssessment) {
  auto log = OpenOrDie();
  for (int i = 0; i < 2; ++i) {
    AssessmentRow row = SampleRow(kNowMs + i);
    row.cards = {SampleCard(kCardA)};
    log->RecordAssessment(row);
  }
  log->Flush();
  EXPECT_EQ(log->dropped_total(), 0u);
  Inspector db(path_);
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM assessments"), "2");
  EXPECT_EQ(db.Rows("SELECT card_uuid, assessment_id FROM cards"),
            (std::vector<std::vector<std::string>>{{kCardA, "1"}}));
}

TEST_F(AuditTest, RowBreakingAConstraintIsDroppedNotHalfWritten) {
  auto log = OpenOrDie();
  AssessmentRow row = SampleRow(kNowMs);
  row.cards = {SampleCard(kCardA)};
  row.cards[0].indicator = "urgent";  // not in the CHECK list
  EXPECT_TRUE(log->RecordAssessment(row));
  log->Flush();
  EXPECT_EQ(log->dropped_total(), 1u);
  EXPECT_FALSE(log->healthy());
  Inspector db(path_);
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM assessments"), "0");  // the assessment went with its card
  EXPECT_EQ(db.One("SELECT COUNT(*) FROM cards"), "0");
}

TEST_F(AuditTest, TimesAreUtcMilliseconds) {
  EXPECT_EQ(FormatAuditTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatAuditTime(kNowMs), "2026-11-20T14:00:00.250Z");
  EXPECT_EQ(FormatAuditTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(ParseTimeMillis("2026-11-20T15:00:00.5+01:00"), kNowMs + 250);
  EXPECT_EQ(ParseTimeMillis("2026-11-20T14:00:00.250999Z"), kNowMs);
  EXPECT_EQ(ParseTimeMillis("2026-11-20T14:00:00Z"), kNowMs - 250);
  EXPECT_EQ(ParseTimeMillis("2026-11-20T14:00:00"), std::nullopt);  // no offset
  EXPECT_EQ(ParseTimeMillis("yesterday"), std::nullopt);
}

// ---- §9.4 retention ------------------------------------------------------------------------------------

TEST_F(AuditTest, RetentionDeletesOldRowsWithTheirCardsAndTruncatesTheWal) {
  AuditOptions o = Options();
  o.retention_days = 30;
  auto log = OpenOrDie(o);
  AssessmentRow old_row = SampleRow(kNowMs - 31 * kDayMs);
  old_row.cards = {SampleCard("old-card")};
  AssessmentRow edge_row = SampleRow(kNowMs - 30 * kDayMs);  // exactly at the limit: kept
  edge_row.cards = {SampleCard("edge-card")};
  AssessmentRow new_row = SampleRow(kNowMs);
  new_row.cards = {SampleCard("new-card")};
  for (const auto& r : {old_row, edge_row, new_row}) log->RecordAssessment(r);
  now_ms_ = kNowMs - 31 * kDayMs;  // feedback received 31 days ago
  ASSERT_TRUE(log->SubmitFeedback("nms-dantrolene-order", {Feedback(OverriddenElementJson("old-card"), "old-card")},
                                  std::nullopt)
                  .ok());
  now_ms_ = kNowMs;
  ASSERT_TRUE(log->SubmitFeedback("nms-dantrolene-order", {Feedback(OverriddenElementJson("new-card"), "new-card")},
                                  std::nullopt)
                  .ok());

  auto deleted = log->RunRetention();
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->assessments_deleted, 1);
  EXPECT_EQ(deleted->feedback_deleted, 1);
  EXPECT_EQ(fs::file_size(path_ + "-wal"), 0u);  // PRAGMA wal_checkpoint(TRUNCATE)
  Inspector db(path_);
  EXPECT_EQ(db.One("SELECT group_concat(card_uuid) FROM (SELECT card_uuid FROM cards ORDER BY card_uuid)"),
            "edge-card,new-card");  // ON DELETE CASCADE
  EXPECT_EQ(db.One("SELECT group_concat(card_uuid) FROM feedback"), "new-card");
}

TEST_F(AuditTest, RetentionRunsAtOpen) {
  {
    auto log = OpenOrDie();
    log->RecordAssessment(SampleRow(kNowMs - 366 * kDayMs));
    log->RecordAssessment(SampleRow(kNowMs));
  }
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), "2");
  OpenOrDie();  // default retention 365 days
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), "1");
}

// ---- §8.11 feedback ------------------------------------------------------------------------------------

TEST(CanonicalJson, Table) {
  struct Case {
    const char* input;
    const char* canonical;
  } cases[] = {
      {R"({"b": 1.50, "a": [1e2, -0.0, 10]})", R"({"a":[1e2,-0.0,10],"b":1.50})"},  // numbers as received
      {R"( { "z" : { "y" : true , "x" : null } , "a" : "A\u0041\n" } )", R"({"a":"A\u0041\n","z":{"x":null,"y":true}})"},
      {R"({"é": 1, "z": 2, "Z": 3})", R"({"Z":3,"z":2,"é":1})"},  // UTF-8 byte order
      {R"({"\u0062": 1, "a": 2})", R"({"a":2,"\u0062":1})"},       // sorted by the decoded name, written as sent
      {R"([ {"b":1,"a":2} , [] , {} ])", R"([{"a":2,"b":1},[],{}])"},
      {" 12.000 ", "12.000"},
      {"\"x\"", "\"x\""},
  };
  for (const Case& c : cases) {
    auto canonical = CanonicalJson(c.input);
    ASSERT_TRUE(canonical.ok()) << c.input;
    EXPECT_EQ(*canonical, c.canonical) << c.input;
  }
}

TEST(CanonicalJson, BadJsonIsInvalidInputWithItsLocation) {
  struct Case {
    const char* input;
    const char* code;
  } cases[] = {{R"({"a": 1,})", "json_syntax"}, {R"({"a": 1, "a": 2})", "duplicate_member"}, {"", "json_syntax"}};
  for (const Case& c : cases) {
    auto canonical = CanonicalJson(c.input);
    ASSERT_FALSE(canonical.ok()) << c.input;
    EXPECT_EQ(canonical.error().kind, ErrorKind::kInvalidInput);
    ASSERT_FALSE(canonical.error().issues.empty());
    EXPECT_EQ(canonical.error().issues[0].code, c.code) << c.input;
  }
}

TEST(FeedbackKey, KnownAnswerAndIndependentOfLayout) {
  // Python: hashlib.sha256(b'nms-assessment\n{"a":1.50,"b":[true,null,"x\\u0041"]}').hexdigest()
  const std::string expected = "256f3ef7ad601793f1e77b5c793f93e71b9885a309305e643d3726456df2ced6";
  EXPECT_EQ(*FeedbackKey("nms-assessment", R"({"a":1.50,"b":[true,null,"x\u0041"]})"), expected);
  EXPECT_EQ(*FeedbackKey("nms-assessment", "{\n  \"b\" : [ true, null, \"x\\u0041\" ],\n  \"a\" : 1.50\n}\n"), expected);
  EXPECT_NE(*FeedbackKey("nms-assessment", R"({"a":1.5,"b":[true,null,"x\u0041"]})"), expected);  // 1.5 != 1.50
  EXPECT_NE(*FeedbackKey("nms-assessment", R"({"a":1.50,"b":[null,true,"x\u0041"]})"), expected);  // array order
  EXPECT_NE(*FeedbackKey("nms-trigger-order", R"({"a":1.50,"b":[true,null,"x\u0041"]})"), expected);
}

TEST(FeedbackElementTexts, ElementsAsReceived) {
  auto texts = FeedbackElementTexts(R"({"feedback": [ {"card": "c1", "x": 1.50} ,
      {"card":"c2"} ]})");
  ASSERT_TRUE(texts.ok()) << texts.error().message;
  EXPECT_EQ(*texts, (std::vector<std::string>{R"({"card": "c1", "x": 1.50})", R"({"card":"c2"})"}));
  for (const char* body : {R"({"feedback": {}})", R"({"other": []})", "[]", "{"}) {
    auto bad = FeedbackElementTexts(body);
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput) << body;
  }
}

TEST_F(AuditTest, FeedbackIsStoredOnceAndRepeatsAreDuplicates) {
  auto log = OpenOrDie();
  AssessmentRow row = SampleRow(kNowMs);
  row.cards = {SampleCard(kCardA)};
  log->RecordAssessment(row);

  const std::string element = OverriddenElementJson(kCardA);
  auto first = log->SubmitFeedback("nms-dantrolene-order", {Feedback(element, kCardA)}, "https://ehr.example.org/auth");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->stored, 1);
  EXPECT_EQ(first->duplicates, 0);

  // The same element again, members reordered and re-indented, twice in one request.
  const std::string reordered = R"({"overrideReason":{"userComment":"Spoke to Jane Roe at home, DOB 1964-03-02",
      "reason":{"code":"nms-excluded","system":"https://nmscds.org/CodeSystem/override-reason"}},
      "outcomeTimestamp":"2026-11-20T15:00:00.5+01:00","outcome":"overridden","card":")" +
                                std::string(kCardA) + R"("})";
  auto second = log->SubmitFeedback("nms-dantrolene-order", {Feedback(reordered, kCardA), Feedback(element, kCardA)},
                                    "https://ehr.example.org/auth");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stored, 0);
  EXPECT_EQ(second->duplicates, 2);

  // A new element within one request, then repeated inside it.
  const std::string other = OverriddenElementJson("6f1d2c3b-1111-5a6b-8c7d-0000000000ff");
  auto third = log->SubmitFeedback("nms-dantrolene-order",
                                   {Feedback(other, "6f1d2c3b-1111-5a6b-8c7d-0000000000ff"),
                                    Feedback(other, "6f1d2c3b-1111-5a6b-8c7d-0000000000ff")},
                                   std::nullopt);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->stored, 1);
  EXPECT_EQ(third->duplicates, 1);

  Inspector db(path_);
  EXPECT_EQ(db.Rows("SELECT feedback_key, received_at, service_id, card_uuid, card_known, outcome, "
                    "accepted_suggestions, override_system, override_code, user_comment_present, outcome_timestamp, "
                    "client_iss FROM feedback ORDER BY id"),
            (std::vector<std::vector<std::string>>{
                {*FeedbackKey("nms-dantrolene-order", element), "2026-11-20T14:00:00.250Z", "nms-dantrolene-order",
                 kCardA, "1", "overridden", "NULL", "https://nmscds.org/CodeSystem/override-reason", "nms-excluded",
                 "1", "2026-11-20T14:00:00.500Z", "https://ehr.example.org/auth"},
                {*FeedbackKey("nms-dantrolene-order", other), "2026-11-20T14:00:00.250Z", "nms-dantrolene-order",
                 "6f1d2c3b-1111-5a6b-8c7d-0000000000ff", "0", "overridden", "NULL",
                 "https://nmscds.org/CodeSystem/override-reason", "nms-excluded", "1", "2026-11-20T14:00:00.500Z",
                 "NULL"}}));
  log->Close();
  // userComment is never stored (§8.11), nor anything else of the element's text.
  const std::string bytes = DatabaseBytes(path_);
  EXPECT_EQ(bytes.find("Jane Roe"), std::string::npos);
  EXPECT_EQ(bytes.find("1964-03-02"), std::string::npos);
}

TEST_F(AuditTest, AcceptedFeedbackStoresItsSuggestions) {
  auto log = OpenOrDie();
  FeedbackElement e;
  e.element_json = R"({"card":"c","outcome":"accepted","outcomeTimestamp":"2026-11-20T14:00:00Z",
                       "acceptedSuggestions":[{"id":"s-1"},{"id":"s-2"}]})";
  e.card_uuid = "c";
  e.outcome = FeedbackOutcome::kAccepted;
  e.accepted_suggestions = {"s-1", "s-2"};
  e.outcome_timestamp = "2026-11-20T14:00:00Z";
  ASSERT_TRUE(log->SubmitFeedback("nms-assessment", {e}, std::nullopt).ok());
  EXPECT_EQ(Inspector(path_).Rows("SELECT outcome, accepted_suggestions, override_system, override_code, "
                                  "user_comment_present FROM feedback"),
            (std::vector<std::vector<std::string>>{{"accepted", R"(["s-1","s-2"])", "NULL", "NULL", "0"}}));
}

TEST_F(AuditTest, InvalidFeedbackElementStoresNothingOfTheRequest) {
  auto log = OpenOrDie();
  FeedbackElement good = Feedback(OverriddenElementJson(kCardA), kCardA);
  FeedbackElement bad_json = Feedback(R"({"card": "x",})", "x");
  FeedbackElement bad_time = Feedback(OverriddenElementJson(kCardA), kCardA);
  bad_time.outcome_timestamp = "2026-11-20 15:00";
  auto result = log->SubmitFeedback("nms-assessment", {good, bad_json, bad_time}, std::nullopt);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput);
  ASSERT_EQ(result.error().issues.size(), 2u);
  EXPECT_EQ(result.error().issues[0].code, "json_syntax");
  EXPECT_EQ(result.error().issues[0].location.rfind("/feedback/1", 0), 0u) << result.error().issues[0].location;
  EXPECT_EQ(result.error().issues[1].location, "/feedback/2/outcomeTimestamp");
  log->Flush();
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM feedback"), "0");
  EXPECT_TRUE(log->healthy());  // the client's mistake, not an audit failure
}

// ---- §9.1 dropped rows and the degraded state -------------------------------------------------------------

// Waits (bounded) until the writer has taken every queued job.
bool WaitUntilTaken(const AuditLog& log) {
  for (int i = 0; i < 500; ++i) {
    if (log.queued() == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

TEST_F(AuditTest, FullQueueDropsAndCounts) {
  AuditOptions o = Options();
  o.queue_capacity = 2;
  auto log = OpenOrDie(o);
  Inspector other(path_);
  other.Exec("BEGIN IMMEDIATE");  // another writer holds the database: ours waits (busy_timeout 5 s)
  ASSERT_TRUE(log->RecordAssessment(SampleRow(kNowMs)));
  ASSERT_TRUE(WaitUntilTaken(*log));  // the writer is now blocked on the lock with row 1
  EXPECT_TRUE(log->RecordAssessment(SampleRow(kNowMs + 1)));
  EXPECT_TRUE(log->RecordAssessment(SampleRow(kNowMs + 2)));
  EXPECT_FALSE(log->RecordAssessment(SampleRow(kNowMs + 3)));  // the queue holds 2: never waits, drops
  EXPECT_EQ(log->dropped_total(), 1u);
  EXPECT_FALSE(log->healthy());
  auto feedback = log->SubmitFeedback("nms-assessment", {Feedback(OverriddenElementJson(kCardA), kCardA)},
                                      std::nullopt, std::chrono::milliseconds(100));
  EXPECT_FALSE(feedback.ok());  // the caller answers 503 instead of claiming it was stored
  EXPECT_EQ(log->dropped_total(), 2u);
  other.Exec("COMMIT");
  log->Flush();
  EXPECT_TRUE(log->healthy());  // rows 1-3 were written after the lock was released
  EXPECT_EQ(log->dropped_total(), 2u);
  EXPECT_EQ(other.One("SELECT COUNT(*) FROM assessments"), "3");
  const auto lines = LogLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("queue is full"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("succeed again"), std::string::npos) << lines[1];
}

// A row with a long hook instance, so that a few of them fill a page.
AssessmentRow BulkyRow(int i) {
  AssessmentRow row = SampleRow(kNowMs + i);
  row.hook_instance = std::string(200, static_cast<char>('a' + i % 26));
  return row;
}

TEST_F(AuditTest, DiskFullMakesItDegradedUntilAWriteSucceeds) {
  OpenOrDie()->Close();
  const std::int64_t pages = std::stoll(Inspector(path_).One("PRAGMA page_count"));
  AuditOptions o = Options();
  o.max_page_count = pages;  // the file cannot grow: SQLITE_FULL as on a full disk
  auto log = OpenOrDie(o);
  int written = 0;
  while (log->dropped_total() == 0 && written < 1000) {
    log->RecordAssessment(BulkyRow(written));
    log->Flush();
    if (log->dropped_total() == 0) ++written;
  }
  ASSERT_EQ(log->dropped_total(), 1u) << "the page limit was never reached";
  EXPECT_GT(written, 0);
  EXPECT_FALSE(log->healthy());
  ASSERT_FALSE(LogLines().empty());
  EXPECT_NE(LogLines()[0].find("database or disk is full (SQLite code 13)"), std::string::npos) << LogLines()[0];

  log->RecordAssessment(BulkyRow(written));  // still full
  log->Flush();
  EXPECT_EQ(log->dropped_total(), 2u);
  EXPECT_FALSE(log->healthy());
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), std::to_string(written));

  Inspector(path_).Exec("DELETE FROM assessments");  // an operator frees space
  log->RecordAssessment(BulkyRow(0));
  log->Flush();
  EXPECT_TRUE(log->healthy());
  EXPECT_EQ(log->dropped_total(), 2u);
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), "1");
  EXPECT_NE(LogLines().back().find("succeed again; 2 audit rows dropped"), std::string::npos) << LogLines().back();
}

TEST_F(AuditTest, CloseWritesEverythingQueuedAndLaterRowsAreDropped) {
  auto log = OpenOrDie();
  for (int i = 0; i < 200; ++i) log->RecordAssessment(SampleRow(kNowMs + i));
  log->Close();
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), "200");
  EXPECT_EQ(log->dropped_total(), 0u);
  EXPECT_FALSE(log->RecordAssessment(SampleRow(kNowMs)));
  EXPECT_EQ(log->dropped_total(), 1u);
  EXPECT_FALSE(log->SubmitFeedback("nms-assessment", {}, std::nullopt).ok());
  log->Close();  // idempotent
}

TEST_F(AuditTest, ConcurrentProducersLoseNothing) {
  auto log = OpenOrDie();
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&log, t] {
      for (int i = 0; i < 250; ++i) log->RecordAssessment(SampleRow(kNowMs + t * 1000 + i));
    });
  }
  for (auto& p : producers) p.join();
  log->Flush();
  EXPECT_EQ(log->dropped_total(), 0u);
  EXPECT_EQ(Inspector(path_).One("SELECT COUNT(*) FROM assessments"), "1000");
}

}  // namespace
}  // namespace nmscds
