// nmscds screen (interfaces.md §7.3): options, output file, progress line and the stderr summary.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <optional>
#include <mutex>
#include <string>
#include <thread>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "common/time_util.h"
#include "kb/knowledge_base.h"
#include "screen/screen.h"

namespace nmscds::cli {
namespace {

void WriteStderrLine(std::string_view line) {
  std::string out(line);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
}

// 1234567 -> "1,234,567".
std::string Grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Clock(double seconds) {
  const auto s = static_cast<long long>(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{:02}:{:02}", s / 60, s % 60);
}

// The progress line (§7.3): rewritten in place at most 10 times a second, erased at the end. While the files
// are read it shows bytes; then the patients being assessed.
class ProgressLine {
 public:
  explicit ProgressLine(const ScreenProgress& p) : p_(p), started_(std::chrono::steady_clock::now()) {
    thread_ = std::thread([this] { Run(); });
  }
  ~ProgressLine() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    // The final state once, then erased: a run shorter than the interval still wrote its patients count
    // (which tests read from stderr; without it, whether a draw fell in the assessment was a matter of timing).
    Draw();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    Draw();  // at once: even a short run shows its line once
    while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; })) Draw();
  }
  void Draw() {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const std::uint64_t bytes = p_.bytes_read, total = p_.bytes_total;
    const std::uint64_t patients = p_.patients_total, done = p_.patients_done;
    const bool assessing = patients > 0 && bytes >= total;
    const double fraction = assessing ? static_cast<double>(done) / static_cast<double>(patients)
                                      : total > 0 ? static_cast<double>(bytes) / static_cast<double>(total) : 0;
    constexpr int kWidth = 20;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < kWidth) bar += '>' + std::string(static_cast<std::size_t>(kWidth - filled - 1), ' ');
    std::string line = fmt::format("\rscreen [{}] {:3}%  {}/{} files  {} resources", bar,
                                   static_cast<int>(fraction * 100), p_.files_done.load(), p_.files_total.load(),
                                   Grouped(p_.resources));
    if (assessing) {
      line += fmt::format("  {}/{} patients", Grouped(done), Grouped(patients));
    } else if (elapsed > 0) {
      line += fmt::format("  {:.1f} MB/s", static_cast<double>(bytes) / 1e6 / elapsed);
    }
    line += "  " + Clock(elapsed);
    if (fraction > 0.01 && fraction < 1) line += "  ETA " + Clock(elapsed * (1 - fraction) / fraction);
    line += "\033[K";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

  const ScreenProgress& p_;
  const std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

CLI::App* AddScreenCommand(CLI::App& app, ScreenArgs& a) {
  CLI::App* cmd = app.add_subcommand("screen", "Screen a population exported with FHIR Bulk Data (NDJSON)");
  cmd->add_option("PATH", a.paths, "NDJSON files, or directories whose .ndjson files are read")
      ->required()
      ->type_name("");
  cmd->add_option("--threads", a.threads, "Worker threads (default: the hardware threads; the output is the same)")
      ->check(CLI::Range(1, 1024))
      ->type_name("N");
  a.since_option = cmd->add_option("--since", a.since, "Screen only patients with data at or after DATETIME")
                       ->type_name("DATETIME");
  a.at_option = cmd->add_option("--at", a.at, "Assessment time T0 for every patient (default: now)")
                    ->type_name("DATETIME");
  cmd->add_flag("--all", a.all, "Write a line for every screened patient, not only flagged ones");
  cmd->add_option("--output", a.output, "Write the NDJSON output to FILE instead of stdout")->type_name("FILE");
  cmd->add_option("--progress", a.progress, "Progress line on stderr (default auto: when stderr is a terminal)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  cmd->add_flag("--strict", a.strict, "Fail (exit 3, no summary line) on the first malformed line");
  cmd->add_option("--shard", a.shard, "Screen only shard K of N (patients by id hash; see doc/screen.md)")
      ->type_name("K/N");
  cmd->add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
  cmd->add_option("--protocol", a.protocol, "Protocol: standard (the only one in this version)")
      ->type_name("PROTOCOL");
  return cmd;
}

int RunScreen(const ScreenArgs& a, const ErrorReporter& errors) {
  if (a.protocol == "graded") {
    return errors.Usage("--protocol graded is not available in this version (use --protocol standard)");
  }
  if (a.protocol != "standard") return errors.Usage("--protocol: '" + a.protocol + "' is not a protocol (use standard)");
  ScreenOptions options;
  auto datetime = [](const CLI::Option* option, const std::string& text, std::optional<Instant>& out) {
    if (option == nullptr || option->count() == 0) return true;
    out = ParseDateTime(text);
    return out.has_value();
  };
  std::optional<Instant> at;
  if (!datetime(a.at_option, a.at, at)) {
    return errors.Usage("--at: '" + a.at + "' is not an RFC 3339 date-time with a UTC offset (for example 2026-11-20T14:00:00Z)");
  }
  if (!datetime(a.since_option, a.since, options.since)) {
    return errors.Usage("--since: '" + a.since + "' is not an RFC 3339 date-time with a UTC offset");
  }
  options.t0 = at ? *at
                  : std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  options.all = a.all;
  options.strict = a.strict;
  options.threads = a.threads > 0 ? static_cast<unsigned>(a.threads) : std::max(1u, std::thread::hardware_concurrency());
  if (!a.shard.empty()) {
    unsigned k = 0, n = 0;
    char tail = 0;
    if (std::sscanf(a.shard.c_str(), "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k >= n) {
      return errors.Usage("--shard: '" + a.shard + "' is not K/N with 0 <= K < N (for example 0/4)");
    }
    options.shard_index = k;
    options.shard_count = n;
  }

  // Every PATH is listed and checked before any output (exit 4).
  auto input = ListScreenInput(a.paths);
  if (!input) return errors.Fail(input.error());
  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;
  for (const std::string& name : input->ignored) WriteStderrLine("nmscds: note: not an .ndjson file, ignored: " + name);
  for (const std::string& note : input->notes) WriteStderrLine("nmscds: warning: " + note);

  std::FILE* out = stdout;
  if (!a.output.empty()) {
    out = std::fopen(a.output.c_str(), "wb");
    if (out == nullptr) return errors.Fail(Error::Unreadable(a.output + ": cannot be written: " + std::strerror(errno)));
  }
  ScreenProgress progress;
  ScreenSinks sinks;
  sinks.write = [out](std::string_view bytes) { return std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size(); };
  sinks.diagnostic = WriteStderrLine;
  sinks.progress = &progress;
  const bool show_progress = a.progress == "always" || (a.progress == "auto" && ::isatty(STDERR_FILENO) == 1);

  const auto started = std::chrono::steady_clock::now();
  Result<ScreenSummary> result = [&] {
    std::optional<ProgressLine> line;
    if (show_progress) line.emplace(progress);
    return nmscds::RunScreen(*input, options, *kb, sinks);
  }();
  const bool flushed = std::fflush(out) == 0 && (out == stdout || std::fclose(out) == 0);
  if (!result) return errors.Fail(result.error());
  if (!flushed) return errors.Internal("cannot write the screen output");
  const ScreenSummary& s = *result;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (s.malformed_not_listed > 0) {
    WriteStderrLine(fmt::format("nmscds: invalid input: {} more malformed lines not listed", s.malformed_not_listed));
  }
  if (s.stopped) {
    WriteStderrLine("nmscds: invalid input: the screen stopped at a malformed line (--strict); no summary was written");
    return 3;
  }
  std::string extra;
  if (s.patients_unchanged > 0) extra += fmt::format("; {} unchanged since {}", s.patients_unchanged, a.since);
  if (s.no_subject > 0) extra += fmt::format("; {} lines without a Patient reference", s.no_subject);
  if (s.files_skipped > 0) extra += fmt::format("; {} files of types not read", s.files_skipped);
  if (s.patients_failed > 0) extra += fmt::format("; {} patients could not be assessed", s.patients_failed);
  WriteStderrLine(fmt::format(
      "nmscds: screened {} patients in {:.1f} s at {}: {} flagged ({} high, {} possible NMS; {} febrile neutropenia, "
      "{} presumed); {} malformed lines{}",
      s.patients_screened, seconds, FormatDateTime(options.t0), s.patients_flagged, s.suspicion_high,
      s.suspicion_possible, s.fn_present, s.fn_presumed, s.malformed_lines, extra));
  if (s.patients_failed > 0) return 1;
  return s.malformed_lines > 0 || s.manifest_mismatches > 0 ? 3 : 0;
}

}  // namespace nmscds::cli
