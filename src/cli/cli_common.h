#pragma once
// Pieces shared by the commands of the nmscds program (interfaces.md §7.1): error output, reading a file
// or stdin, the knowledge-base directory, and the format / colour / width decisions.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {
class KnowledgeBase;
}

namespace nmscds::cli {

// The largest document `assess` reads (interfaces.md §7.2).
inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;

enum class Format { kText, kJson };

// Where the problems of an error were found, for the `<location>` part of an error line.
struct ErrorContext {
  // The input as the user named it ("case.json", "stdin"); locations of json_pointer / fhir_path /
  // ndjson_line issues follow it, and issues without a location are reported against it.
  std::string file;
  // Directory that "file" locations are relative to (the knowledge-base directory); empty: none.
  std::string base_dir;
};

// Error output (interfaces.md §7.1). Errors are written as text lines unless `json_errors` is set, in which
// case stderr receives exactly one compact JSON object. Both return the exit status of the error's kind.
class ErrorReporter {
 public:
  explicit ErrorReporter(bool json_errors) : json_(json_errors) {}
  bool json() const { return json_; }
  void set_json(bool json) { json_ = json; }

  int Fail(const Error& error, const ErrorContext& context = {}) const;
  int Usage(std::string_view message) const { return Fail(Error::Usage(std::string(message))); }
  int Internal(std::string_view message) const { return Fail(Error::Internal(std::string(message))); }

 private:
  bool json_;
};

// True when argv asks for `--format json` (either spelling). Used before and during parsing so that even a
// usage error is written as JSON when the user asked for JSON.
bool ArgvRequestsJson(int argc, const char* const* argv);

// Reads FILE, or stdin for "-", whole. kUnreadable (exit 4) when the file is missing, not a regular file,
// not permitted or fails to read; kInvalidInput `too_large` (exit 3) above kMaxInputBytes.
Result<std::string> ReadInput(const std::string& path);
// The name of the input in error locations: the path as given, "stdin" for "-".
std::string InputDisplayName(const std::string& path);

// --kb DIR, else $NMSCDS_KB when set and not empty, else "" (the embedded knowledge base).
std::string ResolveKbDir(const std::string& kb_option);

// Loads the knowledge base chosen by --kb / NMSCDS_KB; prints the error and stores the exit status in
// `exit_code` on failure (3 when it fails verification, 4 when it cannot be read).
std::shared_ptr<const KnowledgeBase> LoadKbOrReport(const std::string& kb_option, const ErrorReporter& errors,
                                                    int& exit_code);

// Terminal decisions (§6.2).
bool StdoutIsTerminal();
// The width of text output: the terminal width clamped to 60-120 when stdout is a terminal, else 80.
int TextWidth();
// `when` is auto | always | never.
bool UseColor(std::string_view when);

// Writes all of `bytes` to stdout; false on a write error.
bool WriteStdout(std::string_view bytes);
// Writes the command's output: 0, or an internal error (exit 1) when stdout cannot be written.
int Emit(std::string_view bytes, const ErrorReporter& errors);

// Greedy word wrap at spaces: the first line starts with `prefix`, continuation lines with `indent`
// spaces. Lines never end in spaces; a word longer than the width is not broken.
std::string Wrap(std::string_view prefix, std::string_view text, std::size_t indent, int width);

// Levenshtein distance (bytes), for "did you mean" suggestions.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace nmscds::cli
