#pragma once
// `nmscds serve`: the HTTP API of interfaces.md §8 on cpp-httplib.
//
// Routes (§8.1): GET /cds-services, POST /cds-services/{id}, POST /cds-services/{id}/feedback, POST /api/assess,
// GET /, GET /healthz, GET /metrics, OPTIONS on each; beyond §8.1 the page's own files (GET /app.js, /app.css ...,
// web/), its drug autocomplete (GET /api/kb/drugs, public: knowledge-base content) and POST /api/case (a FHIR
// Bundle as a native case for the page's form, JWT); doc/web.md. Every request passes, in this order: the concurrency limit
// (503), exact path match (404) and method (405 with Allow), CORS preflight, content type (415), the JWT (401,
// §8.3), the body limit (413, from Content-Length before reading), then its handler with a time budget of
// --deadline-ms. Every error is an OperationOutcome (§8.4). The access log has no bodies, tokens, query strings
// or patient ids. Clinical answers never wait for the audit database (§9.1).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/metrics.h"
#include "server/server_options.h"
#include "nmscds/status.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nmscds {

class KnowledgeBase;
class JwtVerifier;
class AuditLog;

class Server {
 public:
  using LogSink = std::function<void(std::string_view line)>;

  // `verifier` may be null only with options.allow_unauthenticated; `audit` may be null (no audit database,
  // used by benchmarks and some tests). Checks the options (§7.4): exit-2 problems are kUsage errors.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, std::shared_ptr<const KnowledgeBase> kb,
                                                std::shared_ptr<JwtVerifier> verifier,
                                                std::shared_ptr<AuditLog> audit, LogSink log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds to options.bind:options.port (port 0 = an ephemeral port); returns the bound port.
  // kInternal when the port is in use (exit 1), kUnreadable when the TLS files cannot be loaded (exit 4).
  Result<int> Bind();
  // Serves until Stop(); returns when the listener has stopped and running requests have finished.
  void Run();
  // Stops accepting connections; thread-safe, callable from a signal-watching thread.
  void Stop();

  Metrics& metrics() { return metrics_; }
  // The audit database's state as /healthz reports it.
  bool AuditHealthy() const;

 private:
  Server(ServerOptions options, std::shared_ptr<const KnowledgeBase> kb, std::shared_ptr<JwtVerifier> verifier,
         std::shared_ptr<AuditLog> audit, LogSink log);
  void Install();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  Metrics metrics_;
};

}  // namespace nmscds
