// `nmscds serve` end to end (issue #3; interfaces.md §8, §9): the real HTTP server on a loopback ephemeral
// port, started and stopped by each test, called with cpp-httplib, with tokens signed by test key pairs, a real
// SQLite audit database, and a loopback FHIR server for absent prefetch.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "auth/jwt.h"
#include "auth/trusted_issuers.h"
#include "common/time_util.h"
#include "jwt_test_signer.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "server/listen_backlog.h"
#include "server/server.h"
#include "test_util.h"

namespace nmscds::testing {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kIssuer = "https://ehr.test";
constexpr const char* kPublicUrl = "https://nmscds.test";
// T0 of the specification's examples: their data are dated the day before.
const std::int64_t kExampleT0 = *ParseDateTime("2026-11-20T14:00:00Z");

std::string Example(const std::string& name) { return ReadFile(SharedDir() + "/spec/examples/" + name); }

// A CDS Hooks 2.0 response must validate against the schema kept in the tests.
std::string ResponseSchema() { return SourceDir() + "/tests/data/cds-hooks-response.schema.json"; }

// Every member at every depth is neither null nor an empty string, array or object (§8.10), except "cards".
void ExpectNoEmptyMembers(const Json& j, const std::string& path) {
  if (j.is_object()) {
    EXPECT_FALSE(j.empty()) << path;
    for (auto it = j.begin(); it != j.end(); ++it) ExpectNoEmptyMembers(it.value(), path + "." + it.key());
  } else if (j.is_array()) {
    EXPECT_TRUE(!j.empty() || path == ".cards") << path;
    for (std::size_t i = 0; i < j.size(); ++i) ExpectNoEmptyMembers(j[i], path + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_FALSE(j.is_null()) << path;
    if (j.is_string()) {
      EXPECT_FALSE(j.get<std::string>().empty()) << path;
    }
  }
}

struct RunningServer {
  std::unique_ptr<Server> server;
  std::thread thread;
  int port = 0;
  ~RunningServer() {
    if (server) server->Stop();
    if (thread.joinable()) thread.join();
  }
};

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("serve");
    kb_ = *LoadKnowledgeBase("");
  }

  // Starts the server with tokens from kIssuer signed by es_ or rs_ trusted, audit in dir_, clock at T0.
  void Start(ServerOptions options = {}, std::vector<std::string> fhir_servers = {},
             std::optional<std::int64_t> max_pages = std::nullopt) {
    options.port = 0;
    options.bind = "127.0.0.1";
    if (options.public_url.empty() && !options.allow_unauthenticated) options.public_url = kPublicUrl;
    if (options.threads == 0) options.threads = 4;
    if (!options.clock) options.clock = [this] { return now_; };
    std::shared_ptr<JwtVerifier> verifier;
    if (!options.allow_unauthenticated) {
      Json entry = IssuerEntry(kIssuer, {&es_, &rs_});
      if (!fhir_servers.empty()) entry["fhir_servers"] = fhir_servers;
      auto issuers = ParseTrustedIssuers(TrustedIssuersDocument({entry}).dump(), "");
      ASSERT_TRUE(issuers.ok()) << issuers.error().message;
      verifier = std::make_shared<JwtVerifier>(std::move(*issuers));
    }
    AuditOptions audit_options;
    audit_options.path = dir_ + "/audit.db";
    audit_options.max_page_count = max_pages;
    auto audit = AuditLog::Open(audit_options);
    ASSERT_TRUE(audit.ok()) << audit.error().message;
    audit_ = std::shared_ptr<AuditLog>(std::move(*audit));
    auto server = Server::Create(options, kb_, verifier, audit_, [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_ += std::string(line) + "\n";
    });
    ASSERT_TRUE(server.ok()) << server.error().message;
    running_.server = std::move(*server);
    auto port = running_.server->Bind();
    ASSERT_TRUE(port.ok()) << port.error().message;
    running_.port = *port;
    running_.thread = std::thread([s = running_.server.get()] { s->Run(); });
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", running_.port);
    c.set_read_timeout(10, 0);
    return c;
  }

  std::string Token(const std::string& path, const TestKeyPair* key = nullptr) {
    return SignToken(key ? *key : es_, StandardClaims(kIssuer, std::string(kPublicUrl) + path, now_,
                                                      "jti-" + std::to_string(++jti_)));
  }

  httplib::Result Post(const std::string& path, const std::string& body, const std::string& token,
                       const std::string& type = "application/json") {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", Bearer(token));
    return Client().Post(path.c_str(), h, body, type.c_str());
  }
  httplib::Result PostAuthed(const std::string& path, const std::string& body) { return Post(path, body, Token(path)); }

  // The response validates against the CDS Hooks schema and has no empty members.
  Json CheckCdsResponse(const httplib::Result& r) {
    EXPECT_TRUE(r);
    if (!r) return Json();
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(ValidateAgainstSchema(r->body, ResponseSchema()), "") << r->body;
    Json j = Json::parse(r->body);
    ExpectNoEmptyMembers(j, "");
    return j;
  }

  // An error response is an OperationOutcome with at least one issue of `code`.
  void ExpectOutcome(const httplib::Result& r, int status, const std::string& code) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    Json j = Json::parse(r->body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r->body;
    EXPECT_EQ(j.value("resourceType", ""), "OperationOutcome") << r->body;
    ASSERT_TRUE(j.contains("issue") && !j["issue"].empty()) << r->body;
    EXPECT_EQ(j["issue"][0].value("code", ""), code) << r->body;
  }

  // Rows of the audit database after a flush.
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    audit_->Flush();
    sqlite3* db = nullptr;
    sqlite3_open_v2((dir_ + "/audit.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> rows;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
          const unsigned char* t = sqlite3_column_text(st, i);
          row.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
        }
        rows.push_back(std::move(row));
      }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
  }

  std::string dir_;
  std::shared_ptr<const KnowledgeBase> kb_;
  std::shared_ptr<AuditLog> audit_;
  TestKeyPair es_ = TestKeyPair::Ec("ehr-es-1");
  TestKeyPair rs_ = TestKeyPair::Rsa("ehr-rs-1", 2048);
  std::int64_t now_ = kExampleT0;
  int jti_ = 0;
  std::mutex log_mu_;
  std::string log_;
  RunningServer running_;
};

// ---- Discovery and the hooks ------------------------------------------------------------------------------

TEST_F(ServeTest, DiscoveryListsEachServiceOncePerHook) {
  Start();
  auto r = Client().Get("/cds-services", {{"Authorization", Bearer(Token("/cds-services"))}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = Json::parse(r->body);
  std::vector<std::string> pairs;
  for (const Json& s : j["services"]) pairs.push_back(s["id"].get<std::string>() + " " + s["hook"].get<std::string>());
  EXPECT_EQ(pairs, (std::vector<std::string>{"nms-assessment patient-view", "nms-dantrolene-order order-select",
                                             "nms-dantrolene-order order-sign", "nms-trigger-order order-select",
                                             "nms-trigger-order order-sign"}));
  for (const Json& s : j["services"]) {
    EXPECT_TRUE(s["prefetch"].contains("medication_requests")) << s.dump();
    EXPECT_EQ(s["prefetch"]["patient"], "Patient/{{context.patientId}}");
  }
}

TEST_F(ServeTest, ContraindicatedDantroleneOrderGivesCriticalCardWithReplacement) {
  Start();
  auto r = PostAuthed("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"));
  Json j = CheckCdsResponse(r);
  ASSERT_EQ(j["cards"].size(), 1u) << r->body;
  const Json& card = j["cards"][0];
  EXPECT_EQ(card["indicator"], "critical");
  const std::string summary = card["summary"];
  EXPECT_EQ(summary.rfind("Dantrolene contraindicated: ", 0), 0u) << summary;
  EXPECT_NE(summary.find("ALT above upper limit"), std::string::npos) << summary;
  EXPECT_LT(summary.size(), 140u);
  EXPECT_EQ(card["selectionBehavior"], "at-most-one");
  ASSERT_FALSE(card["suggestions"].empty());
  const Json& first = card["suggestions"][0];
  EXPECT_EQ(first["label"].get<std::string>().rfind("Replace with bromocriptine", 0), 0u) << first.dump();
  EXPECT_EQ(first.value("isRecommended", false), true);
  bool deletes = false, creates = false;
  for (const Json& action : first["actions"]) {
    if (action["type"] == "delete") deletes = action["resourceId"] == Json::array({"MedicationRequest/dantro-draft-1"}) ||
                                              action["resourceId"] == "MedicationRequest/dantro-draft-1";
    if (action["type"] == "create") {
      creates = true;
      const Json& mr = action["resource"];
      EXPECT_EQ(mr["resourceType"], "MedicationRequest");
      EXPECT_EQ(mr["status"], "draft");
      EXPECT_EQ(mr["intent"], "order");
      EXPECT_FALSE(mr.contains("id"));
      // The created order validates against the FHIR R4 schema.
      EXPECT_EQ(ValidateAgainstSchema(mr.dump(), SharedDir() + "/data/fhir-schema/fhir.schema.json"), "") << mr.dump();
    }
  }
  EXPECT_TRUE(deletes) << first.dump();
  EXPECT_TRUE(creates) << first.dump();
  std::vector<std::string> overrides;
  for (const Json& o : card["overrideReasons"]) overrides.push_back(o["code"]);
  EXPECT_EQ(overrides, (std::vector<std::string>{"benefit-outweighs-risk", "data-outdated", "transaminases-muscle-origin",
                                                 "specialist-advised"}));
  // The card and suggestion uuids are those of the specification's example response (same hookInstance).
  Json expected = Json::parse(Example("cds-response-contraindicated.json"));
  EXPECT_EQ(card["uuid"], expected["cards"][0]["uuid"]);
}

// A patient with NMS whose data no longer forbid dantrolene: monotherapy, normal liver tests.
Json ConsiderRequest() {
  Json request = Json::parse(Example("cds-request-order-sign-dantrolene.json"));
  Json& labs = request["prefetch"]["labs"]["entry"];
  for (Json& e : labs) {
    const std::string code = e["resource"]["code"]["coding"][0]["code"];
    if (code == "1742-6" || code == "1920-8") e["resource"]["valueQuantity"]["value"] = 20;
  }
  Json& meds = request["prefetch"]["medication_requests"]["entry"];
  Json kept = Json::array();
  for (Json& e : meds) {
    const Json& res = e["resource"];
    const bool olanzapine = res.contains("medicationReference") || res.value("resourceType", "") == "Medication";
    if (!olanzapine) kept.push_back(e);
  }
  meds = kept;
  // Olanzapine's administration names its Medication by reference: drop it with the order.
  Json& given = request["prefetch"]["medication_administrations"]["entry"];
  Json kept_given = Json::array();
  for (Json& e : given) {
    if (e["resource"].contains("medicationCodeableConcept")) kept_given.push_back(e);
  }
  given = kept_given;
  request["prefetch"]["medication_statements"] = nullptr;
  return request;
}

TEST_F(ServeTest, ConsiderDantroleneOrderGivesRegimenCard) {
  Start();
  auto r = PostAuthed("/cds-services/nms-dantrolene-order", ConsiderRequest().dump());
  Json j = CheckCdsResponse(r);
  ASSERT_EQ(j["cards"].size(), 1u) << r->body;
  const Json& card = j["cards"][0];
  EXPECT_NE(card["indicator"], "critical") << r->body;
  EXPECT_EQ(card["summary"].get<std::string>().rfind("Dantrolene may be considered: ", 0), 0u) << r->body;
  EXPECT_NE(card["summary"].get<std::string>().find(" mg IV"), std::string::npos) << r->body;
  EXPECT_FALSE(card.contains("suggestions"));
}

TEST_F(ServeTest, HaloperidolOrderForSuspectedNmsGivesWarningOrCriticalCard) {
  Start();
  Json request = Json::parse(Example("cds-request-order-sign-dantrolene.json"));
  request["hook"] = "order-select";
  request["context"]["selections"] = Json::array({"MedicationRequest/halo-1"});
  request["context"]["draftOrders"]["entry"] = Json::array({Json{
      {"resource",
       {{"resourceType", "MedicationRequest"},
        {"id", "halo-1"},
        {"status", "draft"},
        {"intent", "order"},
        {"medicationCodeableConcept",
         {{"coding", Json::array({{{"system", "http://www.nlm.nih.gov/research/umls/rxnorm"}, {"code", "5093"}, {"display", "haloperidol"}}})}}},
        {"subject", {{"reference", "Patient/p-aml-017"}}}}}}});
  auto r = PostAuthed("/cds-services/nms-trigger-order", request.dump());
  Json j = CheckCdsResponse(r);
  ASSERT_EQ(j["cards"].size(), 1u) << r->body;
  const Json& card = j["cards"][0];
  EXPECT_TRUE(card["indicator"] == "critical" || card["indicator"] == "warning") << r->body;
  EXPECT_NE(card["summary"].get<std::string>().find("is a dopamine antagonist and NMS is suspected"), std::string::npos)
      << r->body;
  EXPECT_EQ(card["suggestions"][0]["actions"][0]["type"], "delete");
}

// The febrile-neutropenic polypharmacy patient as a patient-view prefetch, made from the FHIR example Bundle.
Json PatientViewFromBundle() {
  Json bundle = Json::parse(Example("bundle-fn-polypharmacy.json"));
  std::map<std::string, Json> keys;
  auto add = [&](const std::string& key, const Json& entry) {
    if (!keys.count(key)) keys[key] = Json{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", Json::array()}};
    keys[key]["entry"].push_back(entry);
  };
  std::string patient_id, patient_url;
  Json patient;
  for (const Json& e : bundle["entry"]) {
    if (e["resource"]["resourceType"] == "Patient") {
      patient_id = e["resource"]["id"];
      patient_url = e.value("fullUrl", "");
    }
  }
  for (Json e : bundle["entry"]) {
    // A FHIR server answers a search with relative references: Patient/<id>, not the Bundle's urn:uuid.
    for (const char* member : {"subject", "patient"}) {
      if (e["resource"].contains(member) && e["resource"][member].value("reference", "") == patient_url) {
        e["resource"][member]["reference"] = "Patient/" + patient_id;
      }
    }
    const Json& res = e["resource"];
    const std::string type = res["resourceType"];
    if (type == "Patient") {
      patient = res;
    } else if (type == "Observation") {
      add("vitals", e);  // the service reads every Observation the same way, whatever key holds it
    } else if (type == "MedicationRequest" || type == "Medication") {
      add("medication_requests", e);
    } else if (type == "MedicationAdministration") {
      add("medication_administrations", e);
    } else if (type == "MedicationStatement") {
      add("medication_statements", e);
    } else if (type == "Condition") {
      add("conditions", e);
    } else if (type == "AllergyIntolerance") {
      add("allergies", e);
    } else if (type == "Device") {
      add("devices", e);
    } else if (type == "Procedure") {
      add("procedures", e);
    }
  }
  Json prefetch{{"patient", patient}};
  for (const char* key : {"vitals", "labs", "medication_requests", "medication_administrations", "conditions"}) {
    prefetch[key] = keys.count(key) ? keys[key] : Json(nullptr);
  }
  for (auto& [key, value] : keys) prefetch[key] = value;
  return Json{{"hook", "patient-view"},
              {"hookInstance", "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"},
              {"context", {{"userId", "Practitioner/1"}, {"patientId", patient_id}}},
              {"prefetch", prefetch}};
}

TEST_F(ServeTest, PatientViewOfFebrileNeutropenicPolypharmacyPatient) {
  Start();
  Json request = PatientViewFromBundle();
  auto r = PostAuthed("/cds-services/nms-assessment", request.dump());
  Json j = CheckCdsResponse(r);
  std::vector<std::string> topics;
  for (const Json& card : j["cards"]) topics.push_back(card["source"]["topic"]["code"]);
  EXPECT_EQ(topics, (std::vector<std::string>{"nms", "febrile-neutropenia"})) << r->body;
  const Json& nms = j["cards"][0];
  EXPECT_EQ(nms["indicator"], "critical");
  ASSERT_TRUE(nms.contains("suggestions")) << r->body;
  EXPECT_EQ(nms["selectionBehavior"], "any");
  for (const Json& s : nms["suggestions"]) {
    EXPECT_EQ(s["label"].get<std::string>().rfind("Stop ", 0), 0u) << s.dump();
    const Json& action = s["actions"][0];
    EXPECT_EQ(action["type"], "update");
    EXPECT_EQ(action["resource"]["status"], "stopped");
    EXPECT_EQ(ValidateAgainstSchema(action["resource"].dump(), SharedDir() + "/data/fhir-schema/fhir.schema.json"), "");
  }
  EXPECT_EQ(j["cards"][1]["indicator"], "critical");
  // The same request gives the same body (uuids included).
  auto again = PostAuthed("/cds-services/nms-assessment", request.dump());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, r->body);
}

// ---- The real CDS Hooks requests ----------------------------------------------------------------------------

TEST_F(ServeTest, RealRequestsGet200Or412) {
  Start();
  for (const auto& entry : std::filesystem::directory_iterator(SharedDir() + "/data/cds-hooks-requests")) {
    const std::string name = entry.path().filename();
    Json j = Json::parse(ReadFile(entry.path()), nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    std::vector<std::string> services;
    std::string body = ReadFile(entry.path());
    if (j.contains("feedback")) {
      auto r = PostAuthed("/cds-services/nms-assessment/feedback", body);
      ASSERT_TRUE(r) << name;
      EXPECT_EQ(r->status, 200) << name << " " << r->body;
      continue;
    }
    if (j.contains("context") && !j.contains("hook")) {  // the HL7 context-only examples
      const bool select = name.find("order-select") != std::string::npos;
      j = Json{{"hook", select ? "order-select" : "order-sign"}, {"hookInstance", "hl7-" + name}, {"context", j["context"]}};
      body = j.dump();
    }
    if (!j.contains("hook")) continue;
    const std::string hook = j["hook"];
    if (hook == "patient-view") services = {"nms-assessment"};
    else services = {"nms-dantrolene-order", "nms-trigger-order"};
    for (const std::string& service : services) {
      auto r = PostAuthed("/cds-services/" + service, body);
      ASSERT_TRUE(r) << name;
      if (!j["context"].contains("patientId")) {  // the HL7 extension example has no patientId: 400 (§8.4)
        ExpectOutcome(r, 400, "required");
        continue;
      }
      // None of them carries our prefetch keys, and their fhirServer is not allow-listed for the issuer.
      if (r->status == 200) {
        CheckCdsResponse(r);
      } else {
        EXPECT_EQ(r->status, 412) << name << " " << service << " " << r->body;
        ExpectOutcome(r, 412, "incomplete");
      }
      if (hook == "patient-view") {
        EXPECT_EQ(r->status, 412) << name;
      }
    }
  }
}

// ---- Prefetch absent: the service fetches from the FHIR server ----------------------------------------------


struct LoopbackFhir {
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<std::string> authorizations;
  std::vector<std::string> paths;
  ~LoopbackFhir() {
    http.stop();
    if (thread.joinable()) thread.join();
  }
  void Run() {
    ListenBacklog backlog(http);  // the service fetches its 11 keys at once
    port = http.bind_to_any_port("127.0.0.1");
    backlog.Raise();
    thread = std::thread([this] { http.listen_after_bind(); });
  }
};

TEST_F(ServeTest, AbsentPrefetchIsFetchedWithTheBearerToken) {
  Json full = PatientViewFromBundle();
  LoopbackFhir fhir;
  fhir.http.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(fhir.mu);
      fhir.authorizations.push_back(req.get_header_value("Authorization"));
      fhir.paths.push_back(req.path);
    }
    const Json& p = full["prefetch"];
    std::string key;
    if (req.path.find("/Patient/") != std::string::npos) key = "patient";
    else if (req.path.find("/Observation") != std::string::npos) key = req.get_param_value("code").find("8310-5") != std::string::npos ? "vitals" : "labs";
    else if (req.path.find("/MedicationRequest") != std::string::npos) key = "medication_requests";
    else if (req.path.find("/MedicationAdministration") != std::string::npos) key = "medication_administrations";
    else if (req.path.find("/MedicationStatement") != std::string::npos) key = "medication_statements";
    else if (req.path.find("/Condition") != std::string::npos) key = "conditions";
    else if (req.path.find("/AllergyIntolerance") != std::string::npos) key = "allergies";
    else if (req.path.find("/Device") != std::string::npos) key = "devices";
    Json body = key.empty() || !p.contains(key) || p[key].is_null()
                    ? Json{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", Json::array()}}
                    : p[key];
    if (key == "labs") body = Json{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", Json::array()}};
    res.set_content(body.dump(), "application/fhir+json");
  });
  fhir.Run();
  const std::string base = "http://127.0.0.1:" + std::to_string(fhir.port) + "/fhir";
  ServerOptions options;
  options.allow_http_fhir = true;
  Start(options, {base});
  Json request = full;
  request.erase("prefetch");
  request["fhirServer"] = base;
  request["fhirAuthorization"] = {{"access_token", "fhir-token-123"}, {"token_type", "Bearer"}, {"expires_in", 300},
                                  {"scope", "patient/*.read"}, {"subject", "nmscds"}};
  auto r = PostAuthed("/cds-services/nms-assessment", request.dump());
  Json fetched = CheckCdsResponse(r);
  // The same cards as with the data in prefetch.
  auto direct = PostAuthed("/cds-services/nms-assessment", full.dump());
  ASSERT_TRUE(direct);
  Json with_prefetch = Json::parse(direct->body);
  ASSERT_EQ(fetched["cards"].size(), with_prefetch["cards"].size()) << r->body;
  for (std::size_t i = 0; i < fetched["cards"].size(); ++i) {
    EXPECT_EQ(fetched["cards"][i]["summary"], with_prefetch["cards"][i]["summary"]);
  }
  std::lock_guard lock(fhir.mu);
  ASSERT_EQ(fhir.authorizations.size(), 11u);  // every key of §8.6
  for (const std::string& a : fhir.authorizations) EXPECT_EQ(a, "Bearer fhir-token-123");
  // The token never reaches the access log.
  EXPECT_EQ(log_.find("fhir-token-123"), std::string::npos);
}

TEST_F(ServeTest, SlowFhirServerGivesABoundedClearAnswer) {
  LoopbackFhir fhir;
  fhir.http.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    res.set_content(R"({"resourceType":"Bundle","type":"searchset"})", "application/fhir+json");
  });
  fhir.Run();
  const std::string base = "http://127.0.0.1:" + std::to_string(fhir.port) + "/fhir";
  ServerOptions options;
  options.allow_http_fhir = true;
  options.deadline_ms = 300;
  Start(options, {base});
  Json request = PatientViewFromBundle();
  request.erase("prefetch");
  request["fhirServer"] = base;
  const auto started = std::chrono::steady_clock::now();
  auto r = PostAuthed("/cds-services/nms-assessment", request.dump());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(r);
  EXPECT_LT(seconds, 2.0);
  EXPECT_TRUE(r->status == 503 || r->status == 412) << r->body;
  ExpectOutcome(r, r->status, r->status == 503 ? "timeout" : "incomplete");
}

// §7.4 --max-concurrent: a request beyond the limit is refused at once with 503 and Retry-After, not queued.
TEST_F(ServeTest, RequestsBeyondMaxConcurrentGet503) {
  LoopbackFhir fhir;
  std::promise<void> first_is_fetching;
  std::once_flag once;
  fhir.http.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    std::call_once(once, [&] { first_is_fetching.set_value(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    res.set_content(R"({"resourceType":"Bundle","type":"searchset"})", "application/fhir+json");
  });
  fhir.Run();
  const std::string base = "http://127.0.0.1:" + std::to_string(fhir.port) + "/fhir";
  ServerOptions options;
  options.allow_http_fhir = true;
  options.max_concurrent = 1;
  options.deadline_ms = 3000;
  Start(options, {base});
  Json request = PatientViewFromBundle();
  request.erase("prefetch");
  request["fhirServer"] = base;
  const std::string path = "/cds-services/nms-assessment";
  std::promise<std::string> first_answer;
  std::thread first([&, body = request.dump(), token = Token(path)] {
    auto r = Post(path, body, token);
    first_answer.set_value(r ? std::to_string(r->status) + " " + r->body : "no answer");
  });
  auto answered = first_answer.get_future();
  // Bounded: if the first request ends without reaching the FHIR server, say how it ended instead of hanging.
  const bool fetching = first_is_fetching.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  auto second = Client().Get("/healthz");
  first.join();
  ASSERT_TRUE(fetching) << "the first request never fetched: " << answered.get();
  ExpectOutcome(second, 503, "throttled");
  EXPECT_EQ(second->get_header_value("Retry-After"), "1");
  EXPECT_EQ(answered.get().substr(0, 3), "200");
}

// Idle keep-alive connections hold a thread each (cpp-httplib) but never a compute slot: with --threads 1 and
// four idle EHR connections open, another caller is still answered (compute_slots.h).
TEST_F(ServeTest, IdleKeepAliveConnectionsDoNotStarveOtherCallers) {
  ServerOptions options;
  options.threads = 1;
  Start(options);
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", running_.port));
    idle.back()->set_keep_alive(true);
    auto r = idle.back()->Get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  httplib::Client caller("127.0.0.1", running_.port);
  caller.set_read_timeout(2, 0);  // the keep-alive timeout is 5 s: a starved caller would time out
  const std::string path = "/cds-services/nms-assessment";
  httplib::Headers h{{"Authorization", Bearer(Token(path))}};
  auto r = caller.Post(path.c_str(), h, PatientViewFromBundle().dump(), "application/json");
  CheckCdsResponse(r);
}

// A burst of connections beyond cpp-httplib's built-in accept queue of 5 is accepted without a SYN
// retransmission (listen_backlog.h); a second server cannot share the port.
TEST_F(ServeTest, ConnectionBurstIsAcceptedAndThePortIsNotShared) {
  Start();
  constexpr int kBurst = 32;
  std::vector<int> statuses(kBurst, 0);
  std::vector<std::thread> callers;
  for (int i = 0; i < kBurst; ++i) {
    callers.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", running_.port);
      c.set_connection_timeout(0, 800000);  // under the 1 s SYN retransmission
      auto r = c.Get("/healthz");
      statuses[i] = r ? r->status : -static_cast<int>(r.error());
    });
  }
  for (std::thread& t : callers) t.join();
  for (int i = 0; i < kBurst; ++i) EXPECT_EQ(statuses[i], 200) << "caller " << i;

  ServerOptions second_options;
  second_options.port = running_.port;
  second_options.bind = "127.0.0.1";
  second_options.allow_unauthenticated = true;
  auto second = Server::Create(second_options, kb_, nullptr, nullptr, [](std::string_view) {});
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto bound = (*second)->Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.error().message.find("in use"), std::string::npos) << bound.error().message;
}

TEST_F(ServeTest, FhirServerNotAllowListedIsNotFetched) {
  LoopbackFhir fhir;
  int calls = 0;
  fhir.http.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.set_content(R"({"resourceType":"Bundle","type":"searchset"})", "application/fhir+json");
  });
  fhir.Run();
  ServerOptions options;
  options.allow_http_fhir = true;
  const std::string origin = "http://127.0.0.1:" + std::to_string(fhir.port);
  // Another server, and a prefix of the right server that does not end at a path boundary ("/fh" is not
  // "/fhir/..."): neither allows a fetch from <origin>/fhir.
  Start(options, {"https://other.example/fhir", origin + "/fh"});
  Json request = PatientViewFromBundle();
  request.erase("prefetch");
  request["fhirServer"] = origin + "/fhir";
  auto r = PostAuthed("/cds-services/nms-assessment", request.dump());
  ExpectOutcome(r, 412, "incomplete");
  EXPECT_EQ(calls, 0);
}

TEST_F(ServeTest, OperationOutcomeAndNullPrefetch) {
  Start();
  Json request = PatientViewFromBundle();
  request["prefetch"]["labs"] = {{"resourceType", "OperationOutcome"},
                                 {"issue", Json::array({{{"severity", "error"}, {"code", "timeout"}}})}};
  auto r = PostAuthed("/cds-services/nms-assessment", request.dump());
  CheckCdsResponse(r);
  auto rows = Query("SELECT unavailable FROM assessments ORDER BY id DESC LIMIT 1");
  ASSERT_EQ(rows.size(), 1u);
  // labs answered with an OperationOutcome; the optional findings and procedures are absent without a fhirServer.
  EXPECT_EQ(rows[0][0], "labs,findings,procedures");
}

// ---- Security (§8.3) -------------------------------------------------------------------------------------------

TEST_F(ServeTest, JwtNegativeSuiteEach401) {
  Start();
  const std::string path = "/cds-services/nms-assessment";
  const std::string body = PatientViewFromBundle().dump();
  const std::string aud = std::string(kPublicUrl) + path;
  const TestKeyPair stranger = TestKeyPair::Ec("stranger");
  auto claims = [&](const std::string& jti) { return StandardClaims(kIssuer, aud, now_, jti); };
  Json none_header{{"alg", "none"}, {"typ", "JWT"}, {"kid", es_.kid()}};
  Json hs_header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", es_.kid()}};
  Json expired = claims("n-expired");
  expired["iat"] = now_ - 1000;
  expired["exp"] = now_ - 100;
  Json future = claims("n-nbf");
  future["nbf"] = now_ + 600;
  Json wrong_aud = claims("n-aud");
  wrong_aud["aud"] = std::string(kPublicUrl) + "/cds-services/nms-trigger-order";
  Json untrusted = claims("n-iss");
  untrusted["iss"] = "https://evil.test";
  Json unknown_kid_header{{"alg", "ES384"}, {"typ", "JWT"}, {"kid", "nope"}};
  const std::string replay = SignToken(es_, claims("n-replay"));
  ASSERT_EQ(Post(path, body, replay)->status, 200);

  struct Case {
    const char* name;
    std::string authorization;  // full header value; empty = no header
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"alg none", Bearer(CompactJws(none_header, claims("n-none"), "")), "alg_not_allowed"},
      {"HS256 with the public key", Bearer(CompactJws(hs_header, claims("n-hs"), SignHs256(es_.PublicKeyPem(), SigningInput(hs_header, claims("n-hs"))))), "alg_not_allowed"},
      {"expired", Bearer(SignToken(es_, expired)), "expired"},
      {"nbf in the future", Bearer(SignToken(es_, future)), "not_yet_valid"},
      {"wrong aud", Bearer(SignToken(es_, wrong_aud)), "aud_mismatch"},
      {"unknown kid", Bearer(SignToken(stranger, claims("n-kid"), unknown_kid_header)), "unknown_kid"},
      {"untrusted iss", Bearer(SignToken(es_, untrusted)), "unknown_issuer"},
      {"replayed jti", Bearer(replay), "replayed"},
      {"malformed", "Bearer not.a-token", "malformed_token"},
      {"missing header", "", "missing_token"},
  };
  for (const Case& c : cases) {
    httplib::Headers h;
    if (!c.authorization.empty()) h.emplace("Authorization", c.authorization);
    auto r = Client().Post(path.c_str(), h, body, "application/json");
    ASSERT_TRUE(r) << c.name;
    EXPECT_EQ(r->status, 401) << c.name << " " << r->body;
    Json j = Json::parse(r->body);
    EXPECT_EQ(j["issue"][0]["diagnostics"], c.reason) << c.name;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"),
              c.authorization.empty() ? "Bearer" : "Bearer error=\"invalid_token\"") << c.name;
  }
  // Valid ES384 and RS384 tokens: 200.
  EXPECT_EQ(Post(path, body, Token(path, &es_))->status, 200);
  EXPECT_EQ(Post(path, body, Token(path, &rs_))->status, 200);
  // Tokens never reach the log.
  EXPECT_EQ(log_.find(replay), std::string::npos);
  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("nmscds_auth_failures_total{reason=\"replayed\"} 1"), std::string::npos) << metrics->body;
}

TEST_F(ServeTest, UnauthenticatedModeIsLoudAndLoopbackOnly) {
  ServerOptions bad;
  bad.allow_unauthenticated = true;
  bad.bind = "0.0.0.0";
  auto refused = Server::Create(bad, kb_, nullptr, nullptr, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);

  ServerOptions options;
  options.allow_unauthenticated = true;
  Start(options);
  auto r = Post("/api/assess", Example("case-minimal.json"), "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("X-Nmscds-Auth"), "disabled");
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(Json::parse(health->body)["auth"], "disabled");
}

// ---- Transport errors (§8.2, §8.4) ---------------------------------------------------------------------------

TEST_F(ServeTest, TransportErrorsAreOperationOutcomes) {
  ServerOptions options;
  options.max_body = 1 << 20;
  Start(options);
  const std::string path = "/cds-services/nms-assessment";
  ExpectOutcome(PostAuthed(path, "{not json"), 400, "structure");
  ExpectOutcome(Post(path, "{}", Token(path), "text/plain"), 415, "not-supported");
  ExpectOutcome(PostAuthed(path, std::string((1 << 20) + 1, ' ')), 413, "too-long");
  ExpectOutcome(PostAuthed("/cds-services/nope", "{}"), 404, "not-found");
  ExpectOutcome(PostAuthed("/cds-services/", "{}"), 404, "not-found");
  auto get = Client().Get(path.c_str(), {{"Authorization", Bearer(Token(path))}});
  ExpectOutcome(get, 405, "not-supported");
  EXPECT_EQ(get->get_header_value("Allow"), "POST, OPTIONS");
  // A request missing the CDS members lists every problem.
  auto r = PostAuthed(path, R"({"hook":"patient-view"})");
  ExpectOutcome(r, 400, "required");
  Json j = Json::parse(r->body);
  EXPECT_GE(j["issue"].size(), 2u) << r->body;
  // The wrong hook for the service.
  ExpectOutcome(PostAuthed(path, R"({"hook":"order-sign","hookInstance":"x","context":{"patientId":"p","draftOrders":{"resourceType":"Bundle","type":"collection"}}})"),
                400, "not-supported");
  // fhirAuthorization without fhirServer.
  ExpectOutcome(PostAuthed(path, R"({"hook":"patient-view","hookInstance":"x","context":{"patientId":"p"},"fhirAuthorization":{"access_token":"t"}})"),
                400, "invalid");
  // Prefetch of another patient.
  Json other = PatientViewFromBundle();
  other["context"]["patientId"] = "someone-else";
  ExpectOutcome(PostAuthed(path, other.dump()), 400, "value");
  // /api/assess: an invalid case lists its problems with their JSON pointers.
  auto invalid = PostAuthed("/api/assess", R"({"format":"nmscds-case","version":"1"})");
  ExpectOutcome(invalid, 400, "value");
}

TEST_F(ServeTest, CorsPreflight) {
  ServerOptions options;
  options.cors_origins = {"https://bedside.example"};
  Start(options);
  auto ok = Client().Options("/api/assess", {{"Origin", "https://bedside.example"}, {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 204);
  EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Origin"), "https://bedside.example");
  EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Headers"), "Authorization, Content-Type");
  EXPECT_EQ(ok->get_header_value("Access-Control-Max-Age"), "600");
  auto bad = Client().Options("/api/assess", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  EXPECT_FALSE(bad->has_header("Access-Control-Allow-Origin"));
}

// ---- /api/assess, /healthz, /metrics, / ------------------------------------------------------------------------

TEST_F(ServeTest, ApiAssessGivesTheCliReport) {
  Start();
  const std::string body = Example("case-fn-polypharmacy.json");
  auto r = PostAuthed("/api/assess", body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto report = Assess(body, *kb_, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(r->body, ReportToJson(*report, false));
  httplib::Headers h{{"Authorization", Bearer(Token("/api/assess"))}, {"Accept", "text/plain"}};
  auto text = Client().Post("/api/assess", h, body, "application/json");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->body, ReportToText(*report, TextOptions{}));
  // A FHIR Bundle is accepted with its own media type.
  auto bundle = Post("/api/assess?at=2026-11-20T14:00:00Z", Example("bundle-fn-polypharmacy.json"),
                     Token("/api/assess"), "application/fhir+json");
  ASSERT_TRUE(bundle);
  EXPECT_EQ(bundle->status, 200) << bundle->body;
}

TEST_F(ServeTest, HealthMetricsAndPage) {
  Start();
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  Json h = Json::parse(health->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["auth"], "enabled");
  EXPECT_EQ(h["audit"], "ok");
  PostAuthed("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"));
  // Request metrics are counted once the response has been sent: wait for them.
  auto metrics = Client().Get("/metrics");
  for (int i = 0; i < 50 && metrics &&
                  metrics->body.find("route=\"/cds-services/{id}\",status=\"200\"") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    metrics = Client().Get("/metrics");
  }
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  for (const char* line :
       {"nmscds_dantrolene_decisions_total{decision=\"contraindicated\"} 1",
        "nmscds_cards_total{indicator=\"critical\",service=\"nms-dantrolene-order\",topic=\"dantrolene-order\"} 1",
        "nmscds_http_requests_total{method=\"POST\",route=\"/cds-services/{id}\",status=\"200\"} 1",
        "nmscds_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"+Inf\"} 1",
        "nmscds_prefetch_total{key=\"medication_statements\",state=\"operation_outcome\"} 1"}) {
    EXPECT_NE(metrics->body.find(line), std::string::npos) << line << "\n" << metrics->body;
  }
  EXPECT_EQ(metrics->body.find("p-aml-017"), std::string::npos);  // never a patient id
  auto page = Client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Security-Policy"), "default-src 'self'; style-src 'self' 'unsafe-inline'");
  EXPECT_NE(page->body.find("<script src=\"app.js\"></script>"), std::string::npos);
  EXPECT_EQ(page->body.find("<script>"), std::string::npos);  // the CSP allows no inline script
}

// The page's own files (web/, built into the binary) and its drug autocomplete are served without a token, with
// the CSP of §8.12; /api/assess still needs one. Metrics count them under bounded route labels.
TEST_F(ServeTest, PageFilesAndDrugCatalogueAreServedWithoutAToken) {
  Start();
  for (const auto& [path, type] : std::vector<std::pair<std::string, std::string>>{
           {"/", "text/html; charset=utf-8"},
           {"/app.js", "text/javascript; charset=utf-8"},
           {"/app.css", "text/css; charset=utf-8"}}) {
    auto r = Client().Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), type) << path;
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"), "default-src 'self'; style-src 'self' 'unsafe-inline'");
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  }
  auto script = Client().Get("/app.js");
  ASSERT_TRUE(script);
  EXPECT_NE(script->body.find("api/assess"), std::string::npos);
  for (const char* path : {"/app.js/", "/App.js", "/web/app.js", "/nothing.js"}) {
    auto r = Client().Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;  // exact paths only (§8.1)
  }
  auto post = Post("/app.js", "{}", "");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);

  auto drugs = Client().Get("/api/kb/drugs");
  ASSERT_TRUE(drugs);
  ASSERT_EQ(drugs->status, 200) << drugs->body;
  EXPECT_EQ(drugs->get_header_value("Content-Type"), "application/json");
  Json catalogue = Json::parse(drugs->body);
  EXPECT_EQ(catalogue["kb_version"], KnowledgeBaseVersion(*kb_));
  EXPECT_EQ(catalogue["drugs"].size(), kb_->drugs.size());
  bool found_haloperidol = false;
  for (const Json& drug : catalogue["drugs"]) {
    if (drug["id"] != "haloperidol") continue;
    found_haloperidol = true;
    EXPECT_EQ(drug["classes"][0]["token"], "typical_antipsychotic");
    EXPECT_EQ(drug["dopamine_antagonist"], true);
    EXPECT_NE(std::find(drug["names"].begin(), drug["names"].end(), "Haldol"), drug["names"].end());
    EXPECT_NE(std::find(drug["long_acting_names"].begin(), drug["long_acting_names"].end(), "haloperidol decanoate"),
              drug["long_acting_names"].end());
  }
  EXPECT_TRUE(found_haloperidol);
  auto unauthorised = Post("/api/assess", Example("case-minimal.json"), "");
  ASSERT_TRUE(unauthorised);
  EXPECT_EQ(unauthorised->status, 401);

  auto metrics = Client().Get("/metrics");
  for (int i = 0; i < 50 && metrics && metrics->body.find("route=\"/api/kb/drugs\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    metrics = Client().Get("/metrics");
  }
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("nmscds_http_requests_total{method=\"GET\",route=\"/api/kb/drugs\",status=\"200\"} 1"),
            std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("route=\"/{asset}\""), std::string::npos);
}

// POST /api/case: a FHIR Bundle as a native case for the page's form, with the JWT rule of /api/assess (the token's
// audience is its own URL). It returns no assessment, so it writes no audit row.
TEST_F(ServeTest, CaseRouteWritesABundleAsANativeCaseForTheForm) {
  Start();
  const std::string bundle = Example("bundle-fn-polypharmacy.json");
  auto refused = Post("/api/case", bundle, "", "application/fhir+json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto wrong_audience = Post("/api/case", bundle, Token("/api/assess"), "application/fhir+json");
  ASSERT_TRUE(wrong_audience);
  EXPECT_EQ(wrong_audience->status, 401);
  auto r = Post("/api/case", bundle, Token("/api/case"), "application/fhir+json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  Json answer = Json::parse(r->body);
  EXPECT_EQ(answer["case"]["format"], "nmscds-case");
  EXPECT_EQ(answer["case"]["patient"]["id"], "p-aml-017");
  EXPECT_EQ(answer["differences"], Json::array());
  auto native = Post("/api/case", Example("case-minimal.json"), Token("/api/case"));
  ASSERT_TRUE(native);
  EXPECT_EQ(native->status, 400);
  EXPECT_NE(native->body.find("unsupported_document"), std::string::npos) << native->body;
  EXPECT_EQ(Query("SELECT count(*) FROM assessments"), (std::vector<std::vector<std::string>>{{"0"}}));
}

// A refused POST (here 401) leaves its body unread: the answer closes the connection, so that a keep-alive client
// (the bedside page in a browser) does not have the body's bytes read as its next request.
TEST_F(ServeTest, RefusedBodyClosesTheConnectionSoTheNextRequestIsRead) {
  Start();
  httplib::Client client("127.0.0.1", running_.port);
  client.set_keep_alive(true);
  client.set_read_timeout(10, 0);
  const std::string body = Example("case-fn-polypharmacy.json");  // larger than cpp-httplib's 4 KiB read buffer
  auto refused = client.Post("/api/assess", body, "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("Connection"), "close");
  httplib::Headers headers{{"Authorization", Bearer(Token("/api/assess"))}};
  auto accepted = client.Post("/api/assess", headers, body, "application/json");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200) << accepted->body;
  auto health = client.Get("/healthz");  // no body: the connection stays open
  ASSERT_TRUE(health);
  EXPECT_EQ(health->get_header_value("Connection"), "");
}

// ---- Audit (§9) --------------------------------------------------------------------------------------------------

TEST_F(ServeTest, AuditRowsHoldNoPatientIdOrToken) {
  Start();
  const std::string token = Token("/cds-services/nms-dantrolene-order");
  auto r = Post("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"), token);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  Post("/cds-services/nms-assessment", "{}", "");  // 401, recorded too
  auto rows = Query("SELECT channel, service_id, outcome, http_status, decision, client_iss, patient_hash FROM assessments ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"cds", "nms-dantrolene-order", "ok", "200", "contraindicated", kIssuer,
                                               audit_->PatientHash(kIssuer, "p-aml-017")}));
  EXPECT_EQ(rows[1][2], "unauthorized");
  EXPECT_EQ(rows[1][3], "401");
  auto cards = Query("SELECT topic, indicator FROM cards");
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0], (std::vector<std::string>{"dantrolene-order", "critical"}));
  running_.server->Stop();
  if (running_.thread.joinable()) running_.thread.join();
  audit_->Close();
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(dir_ + "/audit.db" + suffix, std::ios::binary);
    bytes += std::string(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find("p-aml-017"), std::string::npos);
  EXPECT_EQ(bytes.find(token.substr(token.size() - 40)), std::string::npos);
}

TEST_F(ServeTest, SameFeedbackTwiceGivesOneRow) {
  Start();
  auto card = PostAuthed("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"));
  Json cards = Json::parse(card->body);
  const std::string uuid = cards["cards"][0]["uuid"];
  const std::string suggestion = cards["cards"][0]["suggestions"][0]["uuid"];
  const Json feedback{{"feedback", Json::array({{{"card", uuid},
                                                 {"outcome", "accepted"},
                                                 {"acceptedSuggestions", Json::array({{{"id", suggestion}}})},
                                                 {"outcomeTimestamp", "2026-11-20T14:05:00Z"}}})}};
  const std::string path = "/cds-services/nms-dantrolene-order/feedback";
  auto first = PostAuthed(path, feedback.dump());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, R"({"stored":1,"duplicates":0})");
  auto second = PostAuthed(path, feedback.dump(2));  // same element, other whitespace
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, R"({"stored":0,"duplicates":1})");
  auto rows = Query("SELECT card_uuid, card_known, outcome FROM feedback");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{uuid, "1", "accepted"}));
  // Invalid feedback: 400 listing every problem; unknown service: 404.
  auto bad = PostAuthed(path, R"({"feedback":[{"outcome":"maybe"}]})");
  ExpectOutcome(bad, 400, "required");
  EXPECT_GE(Json::parse(bad->body)["issue"].size(), 3u);
  ExpectOutcome(PostAuthed("/cds-services/nope/feedback", feedback.dump()), 404, "not-found");
}

TEST_F(ServeTest, UnwritableAuditKeepsAnsweringAndSaysDegraded) {
  Start({}, {}, /*max_pages=*/1);  // the database cannot grow: inserts fail with SQLITE_FULL once its pages are full
  auto health = Client().Get("/healthz");
  for (int i = 0; i < 40 && health && health->status != 503; ++i) {
    auto r = PostAuthed("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    audit_->Flush();
    health = Client().Get("/healthz");
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  Json h = Json::parse(health->body);
  EXPECT_EQ(h["status"], "degraded");
  EXPECT_EQ(h["audit"], "failing");
  auto again = PostAuthed("/cds-services/nms-dantrolene-order", Example("cds-request-order-sign-dantrolene.json"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  auto metrics = Client().Get("/metrics");
  EXPECT_EQ(metrics->body.find("nmscds_audit_dropped_total 0"), std::string::npos) << metrics->body;
}

}  // namespace
}  // namespace nmscds::testing
