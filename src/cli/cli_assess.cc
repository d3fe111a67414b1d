// nmscds assess (interfaces.md §7.2).
#include <chrono>

#include <CLI/CLI.hpp>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "common/time_util.h"
#include "nmscds/nmscds.h"

namespace nmscds::cli {

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
      cmd->add_option("--audit", a.audit, "Append an audit row to the SQLite database PATH (not available in this version)")
          ->type_name("PATH");
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
  if (a.audit_option != nullptr && a.audit_option->count() > 0) {
    return errors.Usage("--audit is not available in this version");
  }
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

  ErrorContext input;
  input.file = InputDisplayName(a.file);
  auto bytes = ReadInput(a.file);
  if (!bytes) return errors.Fail(bytes.error(), input);

  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;

  auto report = Assess(*bytes, *kb, options);
  if (!report) return errors.Fail(report.error(), input);

  std::string out;
  if (json) {
    out = ReportToJson(*report, /*pretty=*/!a.compact);
  } else {
    TextOptions text;
    text.width = TextWidth();
    text.color = UseColor(a.color);
    out = ReportToText(*report, text);
  }
  return Emit(out, errors);
}

}  // namespace nmscds::cli
