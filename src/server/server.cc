#include "server/server.h"

#include <httplib.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <span>
#include <variant>
#include <thread>
#include <utility>
#include <vector>

#include "auth/jwt.h"
#include "cds/cards.h"
#include "cds/discovery.h"
#include "common/json_writer.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "kb/drug_catalogue.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "server/cds_call.h"
#include "server/compute_slots.h"
#include "server/connection_pool.h"
#include "audit/audit_log.h"
#include "server/feedback.h"
#include "server/listen_backlog.h"
#include "server/operation_outcome.h"
#include "server/audit_entry.h"
#include "server/case_from_bundle.h"
#include "server/web_page.h"

namespace nmscds {

namespace {

// Pool threads beyond --max-concurrent: they answer the excess requests with 503 instead of queueing them.
constexpr int kOverflowThreads = 8;

using Clock = std::chrono::steady_clock;

// The routes of §8.1 (templates are the metric labels).
enum class Route {
  kDiscovery,
  kService,
  kFeedback,
  kApiAssess,
  kApiCase,
  kKbDrugs,
  kPage,
  kPageAsset,
  kHealth,
  kMetrics,
  kUnknown
};

struct RouteInfo {
  Route route;
  const char* label;
  const char* allow;  // methods for the Allow header
  bool jwt;
};

constexpr RouteInfo kRoutes[] = {
    {Route::kDiscovery, "/cds-services", "GET, OPTIONS", true},
    {Route::kService, "/cds-services/{id}", "POST, OPTIONS", true},
    {Route::kFeedback, "/cds-services/{id}/feedback", "POST, OPTIONS", true},
    {Route::kApiAssess, "/api/assess", "POST, OPTIONS", true},
    // A FHIR Bundle as a native case, for the page's form (doc/web.md): patient data, so the same JWT rule.
    {Route::kApiCase, "/api/case", "POST, OPTIONS", true},
    // Knowledge-base content for the page's autocomplete, no patient data; public like the page itself, so that
    // the page never spends the caller's single-use token on it (doc/web.md, interpretation 63).
    {Route::kKbDrugs, "/api/kb/drugs", "GET, OPTIONS", false},
    {Route::kPage, "/", "GET, OPTIONS", false},
    {Route::kPageAsset, "/{asset}", "GET, OPTIONS", false},  // the page's script, stylesheet, icon (web/)
    {Route::kHealth, "/healthz", "GET, OPTIONS", false},
    {Route::kMetrics, "/metrics", "GET, OPTIONS", false},
    {Route::kUnknown, "other", "", false},
};

const RouteInfo& InfoOf(Route r) { return kRoutes[static_cast<int>(r)]; }

// Exact path matching (§8.1: no trailing-slash variants, no case folding). `service_id` gets the {id}.
Route MatchRoute(std::string_view path, std::string& service_id) {
  if (path == "/cds-services") return Route::kDiscovery;
  if (path == "/api/assess") return Route::kApiAssess;
  if (path == "/api/case") return Route::kApiCase;
  if (path == "/api/kb/drugs") return Route::kKbDrugs;
  if (path == "/") return Route::kPage;
  if (FindWebAsset(path) != nullptr) return Route::kPageAsset;
  if (path == "/healthz") return Route::kHealth;
  if (path == "/metrics") return Route::kMetrics;
  constexpr std::string_view kPrefix = "/cds-services/";
  if (path.substr(0, kPrefix.size()) == kPrefix) {
    std::string_view rest = path.substr(kPrefix.size());
    constexpr std::string_view kFeedback = "/feedback";
    Route route = Route::kService;
    if (rest.size() > kFeedback.size() && rest.substr(rest.size() - kFeedback.size()) == kFeedback) {
      rest.remove_suffix(kFeedback.size());
      route = Route::kFeedback;
    }
    if (!rest.empty() && rest.find('/') == std::string_view::npos) {
      service_id = std::string(rest);
      return route;
    }
  }
  return Route::kUnknown;
}

bool MethodAllowed(Route route, std::string_view method) {
  if (method == "OPTIONS") return true;
  switch (route) {
    case Route::kDiscovery:
    case Route::kKbDrugs:
    case Route::kPage:
    case Route::kPageAsset:
    case Route::kHealth:
    case Route::kMetrics:
      return method == "GET" || method == "HEAD";
    case Route::kService:
    case Route::kFeedback:
    case Route::kApiAssess:
    case Route::kApiCase:
      return method == "POST";
    case Route::kUnknown:
      return false;
  }
  return false;
}

// application/json (or application/fhir+json where allowed), parameters such as charset allowed (§8.2).
bool JsonContentType(std::string_view value, bool fhir_allowed) {
  std::string_view media = value.substr(0, value.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower;
  for (char c : media) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "application/json" || (fhir_allowed && lower == "application/fhir+json");
}

bool IsLoopback(std::string_view address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" || address.substr(0, 4) == "127.";
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string NowMillisText() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::string base = FormatDateTime(ms / 1000);  // ...Z
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03lldZ", static_cast<long long>(ms % 1000));
  base.pop_back();
  return base + frac;
}

// What the HTTP layer keeps about the request on the worker thread that serves it. cpp-httplib runs the
// pre-routing handler, the handler and the logger of one request on the same thread.
struct RequestState {
  Clock::time_point started;
  Route route = Route::kUnknown;
  std::string service_id;
  std::string request_id;
  bool counted_in_flight = false;
  std::optional<VerifiedToken> client;  // the verified JWT (absent when unauthenticated)
};
thread_local RequestState t_request;

std::string NewRequestId() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&s), sizeof s) != 1) s = 0x9e3779b97f4a7c15ULL;
    return s;
  }();
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t v = seed ^ (counter.fetch_add(1) * 0x9e3779b97f4a7c15ULL);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// §8.12 counters of one assessment.
void CountReport(Metrics& m, const Report& report, std::string_view channel, std::string_view service) {
  m.Inc("nmscds_assessments_total", {{"channel", channel}, {"service", service}});
  m.Inc("nmscds_dantrolene_decisions_total", {{"decision", report.dantrolene.decision}});
  m.Inc("nmscds_nms_suspicion_total", {{"suspicion", report.nms.suspicion}});
  m.Inc("nmscds_fn_status_total", {{"status", report.febrile_neutropenia.status}});
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<const KnowledgeBase> kb;
  std::shared_ptr<JwtVerifier> verifier;
  std::shared_ptr<AuditLog> audit;
  LogSink log;
  std::unique_ptr<httplib::Server> http;
  std::atomic<int> in_flight{0};
  std::unique_ptr<ComputeSlots> compute;  // --threads assessments at once
  std::string discovery_json;
  std::string drug_catalogue_json;  // GET /api/kb/drugs, built once
  std::string engine_version, kb_version, kb_sha256;

  // §9.2 hash of a patient id for the audit row; empty without an audit database.
  std::int64_t Now() const { return options.clock ? options.clock() : NowSeconds(); }
  std::string PatientHash(std::string_view iss, std::string_view patient_id) const;
  // Queues the row (never blocks; a full queue or a failing database drops it and /healthz turns degraded).
  void RecordAudit(AuditEntry entry);
  // Stores valid feedback idempotently (§8.11); per element whether it was a duplicate. nullopt when it could
  // not be stored within the time budget (no audit database, or the database is failing).
  std::optional<std::vector<bool>> StoreFeedback(std::string_view service_id,
                                                 const std::vector<FeedbackElement>& elements,
                                                 std::string_view iss, Clock::time_point deadline);
  bool AuditHealthy() const;
  std::uint64_t AuditDropped() const;
};

Server::Server(ServerOptions options, std::shared_ptr<const KnowledgeBase> kb, std::shared_ptr<JwtVerifier> verifier,
               std::shared_ptr<AuditLog> audit, LogSink log)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->kb = std::move(kb);
  impl_->verifier = std::move(verifier);
  impl_->audit = std::move(audit);
  impl_->log = std::move(log);
  impl_->compute = std::make_unique<ComputeSlots>(impl_->options.threads);
  impl_->discovery_json = DiscoveryJson(*impl_->kb);
  impl_->drug_catalogue_json = DrugCatalogueJson(*impl_->kb);
  impl_->engine_version = std::string(EngineVersion());
  impl_->kb_version = impl_->kb->version;
  impl_->kb_sha256 = impl_->kb->sha256;
}

Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, std::shared_ptr<const KnowledgeBase> kb,
                                               std::shared_ptr<JwtVerifier> verifier, std::shared_ptr<AuditLog> audit,
                                               LogSink log) {
  if (options.allow_unauthenticated && !IsLoopback(options.bind)) {
    return Error::Usage("--allow-unauthenticated is refused unless --bind is a loopback address (got " +
                        options.bind + ")");
  }
  if (!options.allow_unauthenticated) {
    if (options.public_url.empty()) return Error::Usage("--public-url is required (the JWT audience base)");
    if (verifier == nullptr) return Error::Usage("--trusted-issuers is required");
  }
  while (!options.public_url.empty() && options.public_url.back() == '/') options.public_url.pop_back();
  for (const std::string& origin : options.cors_origins) {
    if (origin == "*" && !options.allow_unauthenticated) {
      return Error::Usage("--cors-origin '*' is only allowed with --allow-unauthenticated");
    }
  }
  if (options.threads <= 0) options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.max_concurrent <= 0 || options.deadline_ms <= 0 || options.max_body == 0) {
    return Error::Usage("--max-concurrent, --deadline-ms and --max-body must be positive");
  }
  if (options.max_concurrent > kMaxConcurrentLimit || options.threads > kMaxConcurrentLimit) {
    return Error::Usage("--max-concurrent and --threads must be at most " + std::to_string(kMaxConcurrentLimit));
  }
  if (options.log_format != "text" && options.log_format != "json") {
    return Error::Usage("--log-format must be text or json");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Error::Usage("--tls-cert and --tls-key go together");
  }
  std::unique_ptr<Server> server(
      new Server(std::move(options), std::move(kb), std::move(verifier), std::move(audit), std::move(log)));
  server->metrics_.Set("nmscds_build_info",
                       {{"version", server->impl_->engine_version}, {"kb_version", server->impl_->kb_version}}, 1);
  server->metrics_.Set("nmscds_http_requests_in_flight", {}, 0);
  return server;
}

bool Server::AuditHealthy() const { return impl_->AuditHealthy(); }

std::string Server::Impl::PatientHash(std::string_view iss, std::string_view patient_id) const {
  return audit ? audit->PatientHash(iss, patient_id) : std::string();
}

bool Server::Impl::AuditHealthy() const { return audit == nullptr || audit->healthy(); }

std::uint64_t Server::Impl::AuditDropped() const { return audit ? audit->dropped_total() : 0; }

void Server::Impl::RecordAudit(AuditEntry entry) {
  if (!audit) return;
  AssessmentRow row = entry.report ? AssessmentRowFromReport(*entry.report) : AssessmentRow{};
  row.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
  row.channel = entry.channel == "cds" ? AuditChannel::kCds : AuditChannel::kApi;
  if (!entry.service_id.empty()) row.service_id = entry.service_id;
  if (!entry.hook.empty()) row.hook = entry.hook;
  if (!entry.hook_instance.empty()) row.hook_instance = entry.hook_instance;
  if (!entry.client_iss.empty()) row.client_iss = entry.client_iss;
  if (!entry.patient_hash.empty()) row.patient_hash = entry.patient_hash;
  row.input_sha256 = entry.input_sha256;
  static constexpr std::pair<std::string_view, AuditOutcome> kOutcomes[] = {
      {"ok", AuditOutcome::kOk},
      {"invalid_input", AuditOutcome::kInvalidInput},
      {"unauthorized", AuditOutcome::kUnauthorized},
      {"precondition_failed", AuditOutcome::kPreconditionFailed},
      {"timeout", AuditOutcome::kTimeout}};
  row.outcome = AuditOutcome::kError;
  for (const auto& [name, value] : kOutcomes) {
    if (entry.outcome == name) row.outcome = value;
  }
  if (row.outcome != AuditOutcome::kOk) {  // §9.3: the decision columns only for a completed assessment
    row.decision.reset();
    row.suspicion.reset();
    row.fn_status.reset();
    row.woodbury_stage.reset();
    row.iec_points.reset();
  }
  row.http_status = entry.http_status;
  row.unavailable = std::move(entry.unavailable);
  row.kb_version = kb_version;
  row.kb_sha256 = kb_sha256;
  row.engine_version = engine_version;
  row.latency_us = entry.latency_us;
  for (CardSummary& card : entry.cards) {
    row.cards.push_back(AuditCard{std::move(card.uuid), entry.service_id, std::move(card.topic),
                                  std::move(card.indicator), std::move(card.suggestion_uuids)});
  }
  audit->RecordAssessment(std::move(row));
}

std::optional<std::vector<bool>> Server::Impl::StoreFeedback(std::string_view service_id,
                                                             const std::vector<FeedbackElement>& elements,
                                                             std::string_view iss, Clock::time_point deadline) {
  if (!audit) return std::nullopt;
  const auto budget = std::max(std::chrono::milliseconds(1),
                               std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  auto result = audit->SubmitFeedback(service_id, elements,
                                      iss.empty() ? std::nullopt : std::optional<std::string>(iss), budget);
  if (!result) return std::nullopt;
  return result->duplicate;
}

Result<int> Server::Bind() {
  const ServerOptions& o = impl_->options;
  if (!o.tls_cert.empty()) {
    impl_->http = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
  } else {
    impl_->http = std::make_unique<httplib::Server>();
  }
  if (!impl_->http->is_valid()) return Error::Unreadable("cannot load the TLS certificate or key");
  Install();
  ListenBacklog backlog(*impl_->http);
  int port = o.port;
  if (port == 0) {
    port = impl_->http->bind_to_any_port(o.bind);
    if (port < 0) return Error::Internal("cannot bind to " + o.bind);
  } else if (!impl_->http->bind_to_port(o.bind, port)) {
    return Error::Internal("cannot listen on " + o.bind + ":" + std::to_string(port) + " (in use?)");
  }
  if (!backlog.Raise()) return Error::Internal("cannot size the accept queue of " + o.bind);
  return port;
}

void Server::Run() { impl_->http->listen_after_bind(); }

void Server::Stop() {
  if (impl_->http) impl_->http->stop();
}

void Server::Install() {
  Impl& s = *impl_;
  httplib::Server& http = *s.http;
  // One pool thread per open connection (cpp-httplib), started on demand: --max-concurrent requests, plus room
  // to answer the requests beyond it with 503 rather than queue them; --threads bounds the assessments
  // (compute_slots.h).
  const auto pool = static_cast<std::size_t>(s.options.max_concurrent + kOverflowThreads);
  http.new_task_queue = [pool] { return new ConnectionPool(pool); };
  http.set_payload_max_length(s.options.max_body);
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(1000);
  http.set_read_timeout(5, 0);

  // Headers every response carries (§8.2), and the CORS headers of an allowed origin.
  auto finish = [&s](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Request-Id", t_request.request_id);
    if (s.options.allow_unauthenticated) res.set_header("X-Nmscds-Auth", "disabled");
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && std::find(s.options.cors_origins.begin(), s.options.cors_origins.end(), origin) !=
                               s.options.cors_origins.end()) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
    }
  };
  // Refusals before routing (503, 404, 405, 415, 401) never read the request body: its bytes are still on the
  // connection, where cpp-httplib would read them as the next request of a keep-alive client (a browser that
  // sends its next POST on the same connection got 400). Such a connection is closed after the answer.
  auto error = [finish](const httplib::Request& req, httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_content(std::move(body), "application/json");
    const std::string length = req.get_header_value("Content-Length");
    const bool unread_body = (!length.empty() && length != "0") || req.has_header("Transfer-Encoding");
    if (unread_body) res.set_header("Connection", "close");
    finish(req, res);
  };

  http.set_pre_routing_handler([this, &s, finish, error](const httplib::Request& req, httplib::Response& res) {
    t_request = RequestState{};
    t_request.started = Clock::now();
    t_request.request_id = NewRequestId();
    t_request.route = MatchRoute(req.path, t_request.service_id);
    t_request.counted_in_flight = true;
    const int in_flight = ++s.in_flight;
    metrics_.Set("nmscds_http_requests_in_flight", {}, in_flight);
    if (in_flight > s.options.max_concurrent) {
      res.set_header("Retry-After", "1");
      error(req, res, 503, OperationOutcomeJson("throttled", "too many requests in progress; retry shortly"));
      return httplib::Server::HandlerResponse::Handled;
    }
    const Route route = t_request.route;
    if (route == Route::kUnknown ||
        ((route == Route::kService || route == Route::kFeedback) && !IsCdsServiceId(t_request.service_id))) {
      error(req, res, 404, OperationOutcomeJson("not-found", "no such resource: " + req.path));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!MethodAllowed(route, req.method)) {
      res.set_header("Allow", InfoOf(route).allow);
      error(req, res, 405, OperationOutcomeJson("not-supported", req.method + " is not allowed here"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "OPTIONS") {
      const std::string origin = req.get_header_value("Origin");
      const bool preflight = req.has_header("Access-Control-Request-Method");
      const bool allowed = !origin.empty() && std::find(s.options.cors_origins.begin(), s.options.cors_origins.end(),
                                                         origin) != s.options.cors_origins.end();
      if (preflight && !allowed) {  // §8.2: 403 without CORS headers
        res.status = 403;
        res.set_content(OperationOutcomeJson("forbidden", "this origin is not allowed"), "application/json");
        res.set_header("Cache-Control", "no-store");
        res.set_header("X-Content-Type-Options", "nosniff");
        return httplib::Server::HandlerResponse::Handled;
      }
      res.status = 204;
      res.set_header("Allow", InfoOf(route).allow);
      if (preflight) {
        res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.set_header("Access-Control-Max-Age", "600");
      }
      finish(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool fhir_body_allowed = route == Route::kApiAssess || route == Route::kApiCase;
    if (req.method == "POST" && !JsonContentType(req.get_header_value("Content-Type"), fhir_body_allowed)) {
      error(req, res, 415,
            OperationOutcomeJson("not-supported", std::string("the body must be application/json") +
                                                      (fhir_body_allowed ? " or application/fhir+json" : "")));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (InfoOf(route).jwt && !s.options.allow_unauthenticated) {
      // §8.3 step 5: the exact URL called; feedback may also name its service's URL.
      const std::string audience = s.options.public_url + req.path;
      const std::string service_url = s.options.public_url + "/cds-services/" + t_request.service_id;
      const std::array<std::string_view, 2> feedback_audiences{audience, service_url};
      JwtVerification verification =
          route == Route::kFeedback
              ? s.verifier->Verify(req.get_header_value("Authorization"), std::span(feedback_audiences), s.Now())
              : s.verifier->Verify(req.get_header_value("Authorization"), audience, s.Now());
      if (const AuthFailure* failure = std::get_if<AuthFailure>(&verification)) {
        metrics_.Inc("nmscds_auth_failures_total", {{"reason", failure->reason_code()}});
        if (!failure->www_authenticate().empty()) {
          res.set_header("WWW-Authenticate", std::string(failure->www_authenticate()));
        }
        if (failure->http_status() == 503) res.set_header("Retry-After", "1");
        error(req, res, failure->http_status(),
              OperationOutcomeJson(failure->operation_outcome_code(), "the request is not authorised",
                                   failure->reason_code()));
        if (route == Route::kService || route == Route::kApiAssess) {
          AuditEntry entry;
          entry.channel = route == Route::kService ? "cds" : "api";
          entry.service_id = route == Route::kService ? t_request.service_id : "";
          entry.input_sha256 = Sha256Hex("");  // the body of a refused request is never read
          entry.outcome = "unauthorized";
          entry.http_status = failure->http_status();
          entry.latency_us = 0;
          s.RecordAudit(std::move(entry));
        }
        return httplib::Server::HandlerResponse::Handled;
      }
      t_request.client = std::get<VerifiedToken>(std::move(verification));
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Errors cpp-httplib produces itself (413 over the body limit, 400 on an unparsable request line, ...).
  http.set_error_handler(httplib::Server::HandlerWithResponse([finish](const httplib::Request& req,
                                                                      httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string code = res.status == 413 ? "too-long" : res.status >= 500 ? "exception" : "invalid";
    std::string text = res.status == 413 ? "the body is larger than the limit" : "the request cannot be read";
    res.set_content(OperationOutcomeJson(code, text), "application/json");
    finish(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([finish](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(OperationOutcomeJson("exception", "internal error"), "application/json");
    finish(req, res);
  });

  http.set_logger([this, &s](const httplib::Request& req, const httplib::Response& res) {
    const double seconds = std::chrono::duration<double>(Clock::now() - t_request.started).count();
    const char* route = InfoOf(t_request.route).label;
    metrics_.Inc("nmscds_http_requests_total",
                 {{"route", route}, {"method", req.method}, {"status", std::to_string(res.status)}});
    metrics_.Observe("nmscds_http_request_duration_seconds", {{"route", route}}, seconds);
    if (t_request.counted_in_flight) {
      t_request.counted_in_flight = false;
      metrics_.Set("nmscds_http_requests_in_flight", {}, --s.in_flight);
    }
    if (!s.log) return;
    std::string line;
    if (s.options.log_format == "json") {
      JsonWriter w(false);
      w.BeginObject();
      w.Member("time", NowMillisText());
      w.Member("method", req.method);
      w.Member("route", route);
      w.MemberInt("status", res.status);
      w.MemberNumber("latency_ms", *Fixed::FromDouble(seconds * 1000));
      w.Member("request_id", t_request.request_id);
      w.EndObject();
      line = w.Finish();
    } else {
      char latency[32];
      std::snprintf(latency, sizeof latency, "%.3fms", seconds * 1000);
      line = NowMillisText() + " " + req.method + " " + route + " " + std::to_string(res.status) + " " + latency +
             " id=" + t_request.request_id;
    }
    s.log(line);
  });

  http.Get(".*", [this, &s, finish](const httplib::Request& req, httplib::Response& res) {
    switch (t_request.route) {
      case Route::kDiscovery:
        res.set_content(s.discovery_json, "application/json");
        break;
      case Route::kKbDrugs:
        res.set_content(s.drug_catalogue_json, "application/json");
        break;
      case Route::kPage:
      case Route::kPageAsset: {
        const WebAsset* asset = FindWebAsset(req.path);
        res.set_content(std::string(asset->bytes), std::string(asset->content_type));
        res.set_header("Content-Security-Policy", std::string(kWebPageCsp));
        break;
      }
      case Route::kHealth: {
        const bool healthy = AuditHealthy();
        JsonWriter w(false);
        w.BeginObject();
        w.Member("status", healthy ? "ok" : "degraded");
        w.Member("engine_version", s.engine_version);
        w.Member("kb_version", s.kb_version);
        w.Member("auth", s.options.allow_unauthenticated ? "disabled" : "enabled");
        w.Member("audit", healthy ? "ok" : "failing");
        w.EndObject();
        res.status = healthy ? 200 : 503;
        res.set_content(w.Finish(), "application/json");
        break;
      }
      case Route::kMetrics:
        metrics_.Set("nmscds_audit_dropped_total", {}, static_cast<double>(s.AuditDropped()));
        res.set_content(metrics_.Render(), "text/plain; version=0.0.4");
        break;
      default:
        res.status = 404;
        res.set_content(OperationOutcomeJson("not-found", "no such resource"), "application/json");
    }
    finish(req, res);
  });

  http.Post(".*", [this, &s, finish](const httplib::Request& req, httplib::Response& res) {
    const auto body_read = Clock::now();
    const auto deadline = body_read + std::chrono::milliseconds(s.options.deadline_ms);
    const std::string iss = t_request.client ? t_request.client->iss : std::string();
    AuditEntry entry;
    entry.client_iss = iss;
    entry.input_sha256 = Sha256Hex(req.body);
    if (t_request.route == Route::kService) {
      CdsCallEnv env;
      env.kb = s.kb.get();
      env.options = &s.options;
      env.metrics = &metrics_;
      if (t_request.client) env.fhir_server_prefixes = t_request.client->fhir_servers;
      env.unauthenticated = s.options.allow_unauthenticated;
      env.t0 = s.Now();
      env.deadline = deadline;
      env.body_sha256 = entry.input_sha256;
      env.compute = s.compute.get();
      CdsCallResult result = HandleCdsCall(t_request.service_id, req.body, env);
      res.status = result.status;
      if (result.status == 503) res.set_header("Retry-After", "1");
      res.set_content(std::move(result.body), "application/json");
      entry.channel = "cds";
      entry.service_id = t_request.service_id;
      entry.hook = result.hook;
      entry.hook_instance = result.hook_instance;
      if (!result.patient_id.empty()) entry.patient_hash = s.PatientHash(iss, result.patient_id);
      entry.outcome = result.outcome;
      entry.unavailable = result.unavailable;
      entry.cards = std::move(result.cards);
      if (result.report) {
        CountReport(metrics_, *result.report, "cds", t_request.service_id);
        entry.report = std::move(result.report);
      }
      for (const CardSummary& card : entry.cards) {
        metrics_.Inc("nmscds_cards_total",
                     {{"service", t_request.service_id}, {"indicator", card.indicator}, {"topic", card.topic}});
      }
    } else if (t_request.route == Route::kApiAssess || t_request.route == Route::kApiCase) {
      entry.channel = "api";
      auto refuse = [&res, &entry](const Error& problem) {
        if (problem.kind == ErrorKind::kInternal) {
          res.status = 500;
          res.set_content(OperationOutcomeJson("exception", "internal error"), "application/json");
          entry.outcome = "error";
        } else {
          res.status = 400;
          res.set_content(OperationOutcomeJson(OutcomeIssuesFromError(problem)), "application/json");
          entry.outcome = "invalid_input";
        }
      };
      AssessOptions options;
      options.now = s.Now();
      bool bad_at = false;
      if (req.has_param("at")) {
        auto at = ParseDateTime(req.get_param_value("at"));
        if (at) options.at = *at; else bad_at = true;
      }
      if (bad_at) {
        res.status = 400;
        res.set_content(OperationOutcomeJson({{"value", "at must be an RFC 3339 date-time with a UTC offset", "at", "time_format"}}),
                        "application/json");
        entry.outcome = "invalid_input";
      } else if (ComputeSlots::Slot slot(*s.compute, deadline); !slot.held()) {
        res.status = 503;
        res.set_header("Retry-After", "1");
        res.set_content(OperationOutcomeJson("timeout", "the time budget ran out", "timeout"), "application/json");
        entry.outcome = "timeout";
      } else if (t_request.route == Route::kApiCase) {
        auto converted = ReadCaseFromBundle(req.body, *s.kb, options);
        if (converted) {
          res.set_content(CaseFromBundleJson(*converted), "application/json");
          entry.outcome = "ok";
        } else {
          refuse(converted.error());
        }
      } else {
        auto report = Assess(req.body, *s.kb, options);
        if (report) {
          const bool text = req.get_header_value("Accept").find("text/plain") != std::string::npos;
          res.set_content(text ? ReportToText(*report, TextOptions{}) : ReportToJson(*report, false),
                          text ? "text/plain; charset=utf-8" : "application/json");
          CountReport(metrics_, *report, "api", "");
          entry.outcome = "ok";
          entry.patient_hash = s.PatientHash(iss, report->patient_id);
          entry.report = std::move(*report);
        } else {
          refuse(report.error());
        }
      }
    } else {  // feedback
      ParsedFeedback parsed = ParseFeedback(req.body);
      if (!parsed.problems.empty()) {
        res.status = 400;
        res.set_content(OperationOutcomeJson(parsed.problems), "application/json");
      } else if (auto duplicates = s.StoreFeedback(t_request.service_id, parsed.elements, iss, deadline)) {
        int stored = 0, repeated = 0;
        for (std::size_t i = 0; i < parsed.elements.size(); ++i) {
          const bool duplicate = (*duplicates)[i];
          (duplicate ? repeated : stored) += 1;
          metrics_.Inc("nmscds_feedback_total",
                       {{"outcome", ToString(parsed.elements[i].outcome)}, {"duplicate", duplicate ? "true" : "false"}});
        }
        JsonWriter w(false);
        w.BeginObject();
        w.MemberInt("stored", stored);
        w.MemberInt("duplicates", repeated);
        w.EndObject();
        res.set_content(w.Finish(), "application/json");
      } else {
        res.status = 503;
        res.set_header("Retry-After", "1");
        res.set_content(OperationOutcomeJson("transient", "the feedback could not be stored now; send it again"),
                        "application/json");
      }
      finish(req, res);
      return;  // feedback is stored in its own table, not as an assessment
    }
    if (Clock::now() > deadline && res.status == 200) {
      metrics_.Inc("nmscds_deadline_exceeded_total", {{"route", InfoOf(t_request.route).label}});
      res.status = 503;
      res.set_content(OperationOutcomeJson("timeout", "the time budget ran out", "timeout"), "application/json");
      entry.outcome = "timeout";
    }
    if (t_request.route == Route::kApiCase) {  // not an assessment: no audit row (doc/web.md, interpretation 65)
      finish(req, res);
      return;
    }
    entry.http_status = res.status;
    entry.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - body_read).count();
    s.RecordAudit(std::move(entry));
    finish(req, res);
  });
}

}  // namespace nmscds
