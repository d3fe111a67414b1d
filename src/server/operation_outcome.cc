#include "server/operation_outcome.h"

#include <algorithm>

#include "common/json_writer.h"

namespace nmscds {

namespace {
constexpr std::size_t kMaxIssues = 1000;  // §8.4

std::string_view FhirIssueCode(std::string_view nmscds_code) {
  if (nmscds_code == "json_syntax" || nmscds_code == "unknown_document") return "structure";
  if (nmscds_code == "missing_required" || nmscds_code == "missing_element" || nmscds_code == "missing_time" ||
      nmscds_code == "no_patient") {
    return "required";
  }
  if (nmscds_code == "unsupported_document" || nmscds_code == "bundle_type_unsupported" ||
      nmscds_code == "unsupported_element" || nmscds_code == "unsupported_version") {
    return "not-supported";
  }
  if (nmscds_code == "too_large") return "too-long";
  return "value";
}
}  // namespace

std::string OperationOutcomeJson(const std::vector<OutcomeIssue>& issues) {
  JsonWriter w(false);
  w.BeginObject();
  w.Member("resourceType", "OperationOutcome");
  w.Key("issue");
  w.BeginArray();
  const std::size_t n = std::min(issues.size(), kMaxIssues);
  for (std::size_t i = 0; i < n; ++i) {
    const OutcomeIssue& issue = issues[i];
    w.BeginObject();
    w.Member("severity", "error");
    w.Member("code", issue.code);
    if (!issue.text.empty()) {
      w.Key("details");
      w.BeginObject();
      w.Member("text", issue.text);
      w.EndObject();
    }
    if (!issue.diagnostics.empty()) w.Member("diagnostics", issue.diagnostics);
    if (!issue.expression.empty()) {
      w.Key("expression");
      w.BeginArray();
      w.String(issue.expression);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Finish();
}

std::string OperationOutcomeJson(std::string_view code, std::string_view text, std::string_view diagnostics) {
  return OperationOutcomeJson({OutcomeIssue{std::string(code), std::string(text), {}, std::string(diagnostics)}});
}

std::vector<OutcomeIssue> OutcomeIssuesFromError(const Error& error) {
  std::vector<OutcomeIssue> out;
  out.reserve(error.issues.size() + 1);
  for (const Issue& issue : error.issues) {
    out.push_back(OutcomeIssue{std::string(FhirIssueCode(issue.code)), issue.message, issue.location, issue.code});
  }
  if (out.empty()) out.push_back(OutcomeIssue{"invalid", error.message, {}, {}});
  return out;
}

}  // namespace nmscds
