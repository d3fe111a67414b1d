#pragma once
// Helpers shared by the unit and end-to-end tests.
#include <string>
#include <vector>

namespace nmscds::testing {

// Paths configured by CMake.
std::string SourceDir();   // the repository
std::string SharedDir();   // ../shared (specification and real data)
std::string BinaryPath();  // the nmscds program
std::string Python3();     // /usr/bin/python3 (with python3-jsonschema)

std::string ReadFile(const std::string& path);
// The lines of `text` split at '\n', without the empty ones (NDJSON records).
std::vector<std::string> NonEmptyLines(const std::string& text);
void WriteFile(const std::string& path, const std::string& bytes);
// A fresh empty directory under the test temp dir.
std::string MakeTempDir(const std::string& name);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a program with arguments (no shell), optionally feeding `stdin_bytes`.
RunResult Run(const std::vector<std::string>& argv, const std::string& stdin_bytes = "");

// Validates a JSON document against a JSON Schema file with python3-jsonschema (draft 2020-12).
// Returns "" when valid, else the validator's messages.
std::string ValidateAgainstSchema(const std::string& json, const std::string& schema_path);

}  // namespace nmscds::testing
