#pragma once
// POST /cds-services/{id}/feedback (interfaces.md §8.11): validation of every element, then idempotent
// storage in the audit database.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "server/operation_outcome.h"

namespace nmscds {

// Parses and checks a feedback body: `{"feedback": [ ... ]}`, each element with `card`, `outcome`
// (accepted|overridden), `outcomeTimestamp` (RFC 3339), a non-empty `acceptedSuggestions` of `{id}` when
// accepted, an optional `overrideReason` {reason?: Coding, userComment?: string}. Any violation rejects the
// whole body: every problem is returned, each with its location (`feedback[1].outcome`).
struct ParsedFeedback {
  std::vector<FeedbackElement> elements;  // as the audit database stores them (userComment itself is never kept)
  std::vector<OutcomeIssue> problems;
};
ParsedFeedback ParseFeedback(std::string_view body);

}  // namespace nmscds
