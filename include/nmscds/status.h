#pragma once
// Errors are values. A *data problem* (this observation's unit is not accepted, at this JSON pointer) is
// kept apart from an *internal failure* (a bug or exhausted resource): callers show the first to the
// person who supplied the data and log the second.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nmscds {

// One problem in the input, with the place it was found (interfaces.md §7.1, Appendix A).
struct Issue {
  std::string code;           // Appendix A code: json_syntax, unit_not_accepted, out_of_range, ...
  std::string location;       // JSON pointer, FHIR path, "file:line", argument name; may be empty
  std::string location_type;  // json_pointer | fhir_path | ndjson_line | argument | file
  std::string message;        // what is wrong and how to fix it
};

enum class ErrorKind {
  kUsage,         // command-line misuse (exit 2)
  kInvalidInput,  // read but not acceptable: every problem is listed (exit 3)
  kUnreadable,    // cannot be read at all (exit 4)
  kInternal,      // a bug or resource exhaustion (exit 1)
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::vector<Issue> issues;

  static Error Invalid(std::vector<Issue> issues, std::string message = {}) {
    return Error{ErrorKind::kInvalidInput, std::move(message), std::move(issues)};
  }
  static Error Internal(std::string message) { return Error{ErrorKind::kInternal, std::move(message), {}}; }
  static Error Unreadable(std::string message) { return Error{ErrorKind::kUnreadable, std::move(message), {}}; }
  static Error Usage(std::string message) { return Error{ErrorKind::kUsage, std::move(message), {}}; }
};

// Exit status of the CLI for an error kind (interfaces.md §7.1).
inline int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return 2;
    case ErrorKind::kInvalidInput: return 3;
    case ErrorKind::kUnreadable: return 4;
    case ErrorKind::kInternal: return 1;
  }
  return 1;
}

// A value or an Error.
template <typename T>
class Result {
 public:
  // The value is moved (or copied) into place once.
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(const T& value) : v_(std::in_place_index<0>, value) {}        // NOLINT(google-explicit-constructor)
  // A value constructed in place (a large one is then never moved).
  explicit Result(std::in_place_t) : v_(std::in_place_index<0>) {}
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace nmscds
