// nmscds serve (interfaces.md §7.4): options, startup checks with their exit codes, signals.
#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "auth/jwks_fetcher.h"
#include "auth/jwt.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "server/server.h"

namespace nmscds::cli {

CLI::App* AddServeCommand(CLI::App& app, ServeArgs& a) {
  CLI::App* cmd = app.add_subcommand("serve", "Run the CDS Hooks and JSON HTTP service");
  ServerOptions& o = a.options;
  cmd->add_option("--port", o.port, "TCP port (default 8080; 0 = any free port)")->type_name("N");
  cmd->add_option("--bind", o.bind, "Listen address (default 127.0.0.1)")->type_name("ADDR");
  cmd->add_option("--public-url", o.public_url,
                  "External base URL as clients see it; the JWT audience base (required unless --allow-unauthenticated)")
      ->type_name("URL");
  cmd->add_option("--audit", o.audit_path, "SQLite audit database (default ./nmscds-audit.db)")->type_name("PATH");
  cmd->add_option("--audit-salt-file", o.audit_salt_file, "Secret for patient-id hashing (default <audit>.salt)")
      ->type_name("PATH");
  cmd->add_option("--audit-retention-days", o.audit_retention_days, "Delete audit rows older than N days (default 365)")
      ->type_name("N");
  cmd->add_option("--trusted-issuers", o.trusted_issuers_file,
                  "JSON file of trusted JWT issuers (required unless --allow-unauthenticated)")
      ->type_name("FILE");
  cmd->add_flag("--allow-unauthenticated", o.allow_unauthenticated,
                "Development only: no token checks; refused unless --bind is a loopback address");
  cmd->add_option("--cors-origin", o.cors_origins, "Allowed browser origin (repeatable)")->type_name("ORIGIN");
  cmd->add_option("--max-body", o.max_body, "Largest request body in bytes (default 8388608)")->type_name("BYTES");
  cmd->add_option("--max-concurrent", o.max_concurrent, "Requests processed at once; more get 503 (default 64)")
      ->type_name("N");
  cmd->add_option("--deadline-ms", o.deadline_ms, "Time budget per request (default 500)")->type_name("N");
  cmd->add_option("--threads", o.threads, "Worker threads (default: hardware threads)")->type_name("N");
  cmd->add_option("--tls-cert", o.tls_cert, "Serve HTTPS with this certificate (PEM)")->type_name("FILE");
  cmd->add_option("--tls-key", o.tls_key, "The certificate's private key (PEM)")->type_name("FILE");
  cmd->add_flag("--allow-http-fhir", o.allow_http_fhir, "Allow fetching from http:// FHIR servers (development)");
  cmd->add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
  cmd->add_option("--log-format", o.log_format, "Access log format on stderr: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  return cmd;
}

namespace {

constexpr const char* kUnauthenticatedBox =
    "+--------------------------------------------------------------------+\n"
    "| WARNING: authentication is DISABLED (--allow-unauthenticated).      |\n"
    "| Any local process can call this service. Development only: never   |\n"
    "| use it with patient data.                                          |\n"
    "+--------------------------------------------------------------------+\n";

std::mutex g_stderr_mu;
void LogLine(std::string_view line) {
  std::lock_guard lock(g_stderr_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

bool IsLoopbackAddress(const std::string& a) { return a == "127.0.0.1" || a == "::1" || a == "localhost" || a.rfind("127.", 0) == 0; }

}  // namespace

int RunServe(const ServeArgs& a, const ErrorReporter& errors) {
  ServerOptions options = a.options;
  if (options.audit_salt_file.empty()) options.audit_salt_file = options.audit_path + ".salt";
  if (options.audit_retention_days <= 0) return errors.Usage("--audit-retention-days must be positive");
  if (options.allow_unauthenticated && !IsLoopbackAddress(options.bind)) {
    return errors.Usage("--allow-unauthenticated is refused unless --bind is a loopback address");
  }
  if (!options.allow_unauthenticated && (options.public_url.empty() || options.trusted_issuers_file.empty())) {
    return errors.Usage("--public-url and --trusted-issuers are required (or --allow-unauthenticated for local development)");
  }
  int exit_code = 0;
  std::shared_ptr<const KnowledgeBase> kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;

  std::shared_ptr<JwtVerifier> verifier;
  if (!options.allow_unauthenticated) {
    auto issuers = LoadTrustedIssuersFile(options.trusted_issuers_file);
    if (!issuers) return errors.Fail(issuers.error(), ErrorContext{options.trusted_issuers_file, {}});
    JwtVerifierOptions verifier_options;
    verifier_options.fetch_jwks = MakeHttpsJwksFetcher();
    verifier = std::make_shared<JwtVerifier>(std::move(*issuers), std::move(verifier_options));
  }

  AuditOptions audit_options;
  audit_options.path = options.audit_path;
  audit_options.salt_path = options.audit_salt_file;
  audit_options.retention_days = options.audit_retention_days;
  audit_options.log = LogLine;
  auto audit = AuditLog::Open(audit_options);
  if (!audit) return errors.Fail(audit.error(), ErrorContext{options.audit_path, {}});
  for (const std::string& warning : (*audit)->startup_warnings()) LogLine("warning: " + warning);

  // Signals go to one watcher thread: block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = Server::Create(options, kb, verifier, std::shared_ptr<AuditLog>(std::move(*audit)), LogLine);
  if (!server) return errors.Fail(server.error());
  auto port = (*server)->Bind();
  if (!port) return errors.Fail(port.error());

  if (options.allow_unauthenticated) LogLine(kUnauthenticatedBox);
  if (options.tls_cert.empty() && !IsLoopbackAddress(options.bind)) {
    LogLine("warning: serving plain HTTP on a non-loopback address: put a TLS-terminating proxy in front");
  }
  LogLine("nmscds serve: listening on " + options.bind + ":" + std::to_string(*port) +
          (options.tls_cert.empty() ? " (http)" : " (https)"));

  Server& srv = **server;
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::thread watcher([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        if (verifier) {
          auto reloaded = verifier->ReloadIssuersFile(options.trusted_issuers_file);
          LogLine(reloaded ? "trusted issuers reloaded: " + std::to_string(*reloaded) + " issuer(s)"
                           : "trusted issuers NOT reloaded (the previous set stays in force): " + reloaded.error().message);
        }
        continue;
      }
      LogLine("nmscds serve: stopping");
      srv.Stop();
      return;
    }
  });
  std::thread reminder;
  if (options.allow_unauthenticated) {
    reminder = std::thread([&] {
      std::unique_lock lock(mu);
      while (!stopped_cv.wait_for(lock, std::chrono::minutes(10), [&] { return stopped; })) LogLine(kUnauthenticatedBox);
    });
  }
  srv.Run();
  {
    std::lock_guard lock(mu);
    stopped = true;
  }
  stopped_cv.notify_all();
  if (reminder.joinable()) reminder.join();
  // The watcher returns after SIGINT/SIGTERM; if the server stopped for another reason, wake it.
  if (watcher.joinable()) {
    pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
  }
  server->reset();  // flushes the audit queue
  return 0;
}

}  // namespace nmscds::cli
