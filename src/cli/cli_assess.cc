// nmscds assess (interfaces.md §7.2).
#include <chrono>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "audit/audit_log.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "nmscds/nmscds.h"

namespace nmscds::cli {
namespace {

// `assess --audit` (§7.2, §9): one row, channel 'cli', no HTTP status, no client issuer, and the patient id
// hashed with an empty issuer (§9.2).
class CliAudit {
 public:
  static Result<std::unique_ptr<CliAudit>> Open(const std::string& path, const std::string& salt_path,
                                                const ErrorReporter& errors) {
    auto audit = std::unique_ptr<CliAudit>(new CliAudit());
    AuditOptions options;
    options.path = path;
    options.salt_path = salt_path;
    CliAudit* self = audit.get();
    options.log = [self](std::string_view line) {
      std::lock_guard lock(self->mu_);
      if (self->first_failure_.empty()) self->first_failure_ = std::string(line);
    };
    auto log = AuditLog::Open(options);
    if (!log) return log.error();
    audit->log_ = std::move(*log);
    // With --format json stderr is reserved for the one error object (§7.1).
    if (!errors.json()) {
      for (const std::string& warning : audit->log_->startup_warnings()) {
        std::fprintf(stderr, "nmscds: warning: %s\n", warning.c_str());
      }
    }
    audit->errors_ = &errors;
    return audit;
  }

  void RecordReport(const Report& report, std::chrono::steady_clock::time_point started) {
    AssessmentRow row = AssessmentRowFromReport(report);
    if (!report.patient_id.empty()) row.patient_hash = log_->PatientHash("", report.patient_id);
    Complete(row, started);
  }

  void RecordFailure(std::string_view bytes, const KnowledgeBase& kb, ErrorKind kind,
                     std::chrono::steady_clock::time_point started) {
    AssessmentRow row;
    row.outcome = kind == ErrorKind::kInvalidInput ? AuditOutcome::kInvalidInput : AuditOutcome::kError;
    row.input_sha256 = Sha256Hex(bytes);
    row.kb_version = std::string(KnowledgeBaseVersion(kb));
    row.kb_sha256 = std::string(KnowledgeBaseSha256(kb));
    row.engine_version = std::string(EngineVersion());
    Complete(row, started);
  }

  // Writes the row (Close flushes). An audit row that could not be written turns a successful run into an
  // internal error (exit 1) after the report was printed, so that a script never takes an unaudited run for
  // an audited one; a failed run keeps its own exit status and the audit failure is added to stderr.
  int Finish(int exit_code) {
    log_->Close();
    if (log_->dropped_total() == 0) return exit_code;
    std::string why;
    {
      std::lock_guard lock(mu_);
      why = first_failure_;
    }
    const int failed = errors_->Internal("the audit row was not written (" + why + ")");
    return exit_code != 0 ? exit_code : failed;
  }

 private:
  CliAudit() = default;

  void Complete(AssessmentRow& row, std::chrono::steady_clock::time_point started) {
    row.channel = AuditChannel::kCli;
    row.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    row.latency_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    log_->RecordAssessment(std::move(row));
  }

  const ErrorReporter* errors_ = nullptr;
  std::mutex mu_;  // the writer thread reports failures through the log callback
  std::string first_failure_;
  std::unique_ptr<AuditLog> log_;  // last: its writer thread, which calls the callback, stops first
};

}  // namespace


CLI::App* AddAssessCommand(CLI::App& app, AssessArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "assess", "Assess one case (native nmscds case or FHIR Bundle) and write the report");
  cmd->add_option("FILE", a.file, "The case to assess, or - to read standard input")->required()->type_name("");
  cmd->add_option("--format", a.format, "Report format (default: text when stdout is a terminal, else json)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  cmd->add_flag("--compact", a.compact, "Write the JSON report on one line, without a final newline");
  a.at_option = cmd->add_option("--at", a.at, "Assessment time T0, RFC 3339 with offset (overrides the case)")
                    ->type_name("DATETIME");
  a.audit_option =
      cmd->add_option("--audit", a.audit, "Append one audit row to the SQLite database PATH (created if missing)")
          ->type_name("PATH");
  cmd->add_option("--audit-salt-file", a.audit_salt_file,
                  "Secret for patient-id hashing in the audit (default: the audit PATH + .salt; created if missing)")
      ->type_name("PATH")
      ->needs(a.audit_option);
  cmd->add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
  cmd->add_option("--protocol", a.protocol, "Protocol: standard (the only one in this version)")
      ->type_name("PROTOCOL");
  cmd->add_option("--color", a.color, "Colour in the text report (default auto: on a terminal unless NO_COLOR is set)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  return cmd;
}

int RunAssess(const AssessArgs& a, const ErrorReporter& errors) {
  if (a.protocol == "graded") {
    return errors.Usage("--protocol graded is not available in this version (use --protocol standard)");
  }
  if (a.protocol != "standard") {
    return errors.Usage("--protocol: '" + a.protocol + "' is not a protocol (use standard)");
  }
  AssessOptions options;
  if (a.at_option != nullptr && a.at_option->count() > 0) {
    auto t0 = ParseDateTime(a.at);
    if (!t0) {
      return errors.Usage("--at: '" + a.at +
                          "' is not an RFC 3339 date-time with a UTC offset (for example 2026-11-20T14:00:00Z)");
    }
    options.at = *t0;
  }
  // interfaces.md §4.1: a FHIR Bundle without --at and without Bundle.timestamp is assessed at the clock
  // (truncated to whole seconds; the report says so). A native case never reads it.
  options.now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count();
  const bool json = a.format.empty() ? !StdoutIsTerminal() : a.format == "json";

  // Opened before anything is read: an audit that was asked for and cannot be kept stops the command (exit 4)
  // instead of producing an unaudited report.
  std::unique_ptr<CliAudit> audit;
  if (a.audit_option != nullptr && a.audit_option->count() > 0) {
    auto opened = CliAudit::Open(a.audit, a.audit_salt_file, errors);
    if (!opened) return errors.Fail(opened.error());
    audit = std::move(*opened);
  }

  ErrorContext input;
  input.file = InputDisplayName(a.file);
  auto bytes = ReadInput(a.file);
  if (!bytes) return errors.Fail(bytes.error(), input);

  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;

  const auto started = std::chrono::steady_clock::now();
  auto report = Assess(*bytes, *kb, options);
  if (!report) {
    // §7.2: invalid input is audited too, with what is known (no patient, no decision).
    if (audit) audit->RecordFailure(*bytes, *kb, report.error().kind, started);
    const int failed = errors.Fail(report.error(), input);
    return audit ? audit->Finish(failed) : failed;
  }

  std::string out;
  if (json) {
    out = ReportToJson(*report, /*pretty=*/!a.compact);
  } else {
    TextOptions text;
    text.width = TextWidth();
    text.color = UseColor(a.color);
    out = ReportToText(*report, text);
  }
  if (audit) audit->RecordReport(*report, started);
  // The report is written before the audit is flushed: a failing audit never withholds the clinical answer.
  const int emitted = Emit(out, errors);
  return audit ? audit->Finish(emitted) : emitted;
}

}  // namespace nmscds::cli
