#include "cli/cli_common.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/json_writer.h"
#include "nmscds/nmscds.h"

namespace nmscds::cli {
namespace {

constexpr std::size_t kMaxListedIssues = 1000;  // interfaces.md §7.1

std::string_view TextKind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kInvalidInput: return "invalid input";
    case ErrorKind::kUnreadable: return "cannot read";
    case ErrorKind::kInternal: return "internal error";
  }
  return "internal error";
}

std::string_view JsonKind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kInvalidInput: return "invalid_input";
    case ErrorKind::kUnreadable: return "unreadable";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

std::string Problems(std::size_t n) { return n == 1 ? "1 problem" : std::to_string(n) + " problems"; }

// The error's one-line summary (the JSON `message`).
std::string Summary(const Error& e, const ErrorContext& ctx, std::size_t more) {
  std::string s;
  if (e.issues.empty()) {
    s = e.message.empty() ? std::string(TextKind(e.kind)) : e.message;
  } else if (!ctx.file.empty()) {
    s = Problems(e.issues.size()) + " in " + ctx.file;
  } else if (!e.message.empty()) {
    s = e.message + " (" + Problems(e.issues.size()) + ")";
  } else {
    s = Problems(e.issues.size());
  }
  if (more > 0) s += "; the first " + std::to_string(kMaxListedIssues) + " are listed, " + std::to_string(more) + " more are not";
  return s;
}

// The `<location>` of an issue in an error line; empty when there is none.
std::string TextLocation(const Issue& issue, const ErrorContext& ctx) {
  if (issue.location.empty()) return ctx.file;
  if (issue.location_type == "file") {
    return ctx.base_dir.empty() ? issue.location : ctx.base_dir + "/" + issue.location;
  }
  if (issue.location_type == "argument") return issue.location;
  return ctx.file.empty() ? issue.location : ctx.file + ": " + issue.location;
}

void WriteStderr(std::string_view s) {
  std::fwrite(s.data(), 1, s.size(), stderr);
  std::fflush(stderr);
}

std::string ErrnoMessage(int err) {
  switch (err) {
    case ENOENT: return "no such file";
    case ENOTDIR: return "a component of the path is not a directory";
    case EACCES:
    case EPERM: return "permission denied";
    case EISDIR: return "is a directory, not a file";
    case ELOOP: return "too many levels of symbolic links";
    case ENAMETOOLONG: return "file name too long";
    default: return std::strerror(err);
  }
}

}  // namespace

int ErrorReporter::Fail(const Error& e, const ErrorContext& ctx) const {
  const std::size_t shown = std::min(e.issues.size(), kMaxListedIssues);
  const std::size_t more = e.issues.size() - shown;
  if (json_) {
    JsonWriter w(/*pretty=*/false);
    w.BeginObject();
    w.Key("error");
    w.BeginObject();
    w.Member("kind", JsonKind(e.kind));
    w.MemberInt("exit_code", ExitCode(e.kind));
    w.Member("message", Summary(e, ctx, more));
    w.Key("issues");
    w.BeginArray();
    for (std::size_t i = 0; i < shown; ++i) {
      const Issue& issue = e.issues[i];
      w.BeginObject();
      if (!issue.location.empty()) {
        w.Member("location", issue.location);
        if (!issue.location_type.empty()) w.Member("location_type", issue.location_type);
      } else if (!ctx.file.empty()) {
        w.Member("location", ctx.file);
        w.Member("location_type", "file");
      }
      if (!issue.code.empty()) w.Member("code", issue.code);
      w.Member("message", issue.message);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.EndObject();
    std::string out = w.Finish();
    out.push_back('\n');
    WriteStderr(out);
    return ExitCode(e.kind);
  }

  const std::string head = "nmscds: " + std::string(TextKind(e.kind)) + ": ";
  std::string out;
  auto line = [&](const std::string& location, std::string_view message) {
    out += head;
    if (!location.empty()) out += location + ": ";
    // An error is one line: a message never spans lines.
    for (char c : message) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
    out.push_back('\n');
  };
  if (e.issues.empty()) {
    line(e.kind == ErrorKind::kUsage ? std::string() : ctx.file, Summary(e, ctx, 0));
  } else {
    if (ctx.file.empty() && !e.message.empty()) line(ctx.base_dir, Summary(e, ctx, 0));
    for (std::size_t i = 0; i < shown; ++i) line(TextLocation(e.issues[i], ctx), e.issues[i].message);
    if (more > 0) line(ctx.file, std::to_string(more) + " more problems are not listed");
  }
  WriteStderr(out);
  return ExitCode(e.kind);
}

bool ArgvRequestsJson(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--format=json") return true;
    if (a == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json") return true;
  }
  return false;
}

std::string InputDisplayName(const std::string& path) { return path == "-" ? "stdin" : path; }

Result<std::string> ReadInput(const std::string& path) {
  const bool is_stdin = path == "-";
  int fd = STDIN_FILENO;
  if (!is_stdin) {
    // Check the kind first so that a FIFO or device is refused without blocking on open().
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return Error::Unreadable(ErrnoMessage(errno));
    if (S_ISDIR(st.st_mode)) return Error::Unreadable("is a directory, not a file");
    if (!S_ISREG(st.st_mode)) return Error::Unreadable("not a regular file");
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Unreadable(ErrnoMessage(errno));
  }
  struct Closer {
    int fd;
    bool close;
    ~Closer() {
      if (close) ::close(fd);
    }
  } closer{fd, !is_stdin};

  std::string bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    bytes.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), kMaxInputBytes) + 1);
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::Unreadable(std::string("read error: ") + ErrnoMessage(errno));
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxInputBytes) {
      return Error::Invalid({Issue{"too_large", "", "", "the input is larger than 64 MiB"}});
    }
  }
  return bytes;
}

std::string ResolveKbDir(const std::string& kb_option) {
  if (!kb_option.empty()) return kb_option;
  const char* env = std::getenv("NMSCDS_KB");
  return env != nullptr ? std::string(env) : std::string();
}

std::shared_ptr<const KnowledgeBase> LoadKbOrReport(const std::string& kb_option, const ErrorReporter& errors,
                                                    int& exit_code) {
  const std::string dir = ResolveKbDir(kb_option);
  auto kb = LoadKnowledgeBase(dir);
  if (!kb) {
    ErrorContext ctx;
    ctx.base_dir = dir;
    exit_code = errors.Fail(kb.error(), ctx);
    return nullptr;
  }
  return *kb;
}

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

int TextWidth() {
  if (!StdoutIsTerminal()) return 80;
  int cols = 0;
  struct winsize ws {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    cols = ws.ws_col;
  } else if (const char* env = std::getenv("COLUMNS")) {
    cols = std::atoi(env);
  }
  if (cols <= 0) cols = 80;
  return std::clamp(cols, 60, 120);
}

bool UseColor(std::string_view when) {
  if (when == "always") return true;
  if (when == "never") return false;
  return StdoutIsTerminal() && std::getenv("NO_COLOR") == nullptr;
}

bool WriteStdout(std::string_view bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(STDOUT_FILENO, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

int Emit(std::string_view bytes, const ErrorReporter& errors) {
  return WriteStdout(bytes) ? 0 : errors.Internal("cannot write to standard output");
}

std::string Wrap(std::string_view prefix, std::string_view text, std::size_t indent, int width) {
  const std::size_t limit = static_cast<std::size_t>(std::max(width, 1));
  std::string out(prefix);
  std::size_t col = prefix.size();
  bool line_has_word = false;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    i = j;
    if (line_has_word && col + 1 + word.size() > limit) {
      out.push_back('\n');
      out.append(indent, ' ');
      col = indent;
      line_has_word = false;
    }
    if (line_has_word) {
      out.push_back(' ');
      ++col;
    }
    out.append(word);
    col += word.size();
    line_has_word = true;
  }
  out.push_back('\n');
  return out;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace nmscds::cli
