#pragma once
// FHIR R4 OperationOutcome bodies for every HTTP error (interfaces.md §8.4).
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

struct OutcomeIssue {
  std::string code;         // FHIR issue-type: invalid, structure, required, value, not-supported, login, ...
  std::string text;         // details.text: what is wrong, for a person
  std::string expression;   // FHIRPath-like location or JSON pointer; empty = omitted
  std::string diagnostics;  // short machine-readable reason (401 reason codes, "timeout"); empty = omitted
};

// {"resourceType":"OperationOutcome","issue":[...]} compact, severity "error", at most 1000 issues.
std::string OperationOutcomeJson(const std::vector<OutcomeIssue>& issues);
std::string OperationOutcomeJson(std::string_view code, std::string_view text, std::string_view diagnostics = {});

// The issues of an input Error (invalid case or Bundle, bad CDS data): one per Issue, `expression` = its
// location. Issue code `invalid` for syntax, `required` for missing members, `value` otherwise.
std::vector<OutcomeIssue> OutcomeIssuesFromError(const Error& error);

}  // namespace nmscds
