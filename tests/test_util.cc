#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace nmscds::testing {

std::string SourceDir() { return NMSCDS_SOURCE_DIR; }
std::string SharedDir() { return NMSCDS_SHARED_DIR; }
std::string BinaryPath() { return NMSCDS_BINARY; }
std::string Python3() { return NMSCDS_PYTHON3; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << bytes;
}

std::string MakeTempDir(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") /
                              ("nmscds-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

namespace {
std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}
}  // namespace

RunResult Run(const std::vector<std::string>& argv, const std::string& stdin_bytes) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe(in_pipe) || ::pipe(out_pipe) || ::pipe(err_pipe)) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::thread writer([&] {
    std::size_t off = 0;
    while (off < stdin_bytes.size()) {
      ssize_t n = ::write(in_pipe[1], stdin_bytes.data() + off, stdin_bytes.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(in_pipe[1]);
  });
  RunResult r;
  std::thread err_reader([&] { r.err = ReadAll(err_pipe[0]); });
  r.out = ReadAll(out_pipe[0]);
  err_reader.join();
  writer.join();
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string ValidateAgainstSchema(const std::string& json, const std::string& schema_path) {
  static const char* kScript =
      "import json,sys\n"
      "from jsonschema import Draft202012Validator, validators\n"
      "schema=json.load(open(sys.argv[1]))\n"
      "doc=json.loads(sys.stdin.read())\n"
      "cls=validators.validator_for(schema, default=Draft202012Validator)\n"
      "errs=sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))\n"
      "for e in errs[:20]: print('/'+'/'.join(str(p) for p in e.absolute_path)+': '+e.message)\n"
      "sys.exit(1 if errs else 0)\n";
  RunResult r = Run({Python3(), "-c", kScript, schema_path}, json);
  if (r.exit_code == 0) return "";
  return r.out.empty() ? ("validator failed: " + r.err) : r.out;
}

}  // namespace nmscds::testing
