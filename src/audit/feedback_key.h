#pragma once
// The storage key of a CDS Hooks feedback element (interfaces.md §8.11): SHA-256 of
// "<service id>\n" + the element re-serialised canonically, so that a client that sends the same element
// again (a retry, another whitespace layout, members in another order) is told it is a duplicate.
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

// The canonical text of one JSON value: object members sorted by name (the UTF-8 bytes of the decoded name),
// no whitespace, and every number, string and member name exactly as received (1.50 stays 1.50, escapes are
// kept as written). kInvalidInput with located issues for malformed JSON, duplicate member names or nesting
// deeper than 100 levels (the checks of every nmscds JSON reader, interfaces.md §1.2).
Result<std::string> CanonicalJson(std::string_view json);

// §8.11: lower-case hex SHA-256 of "<service id>\n" + CanonicalJson(element_json).
Result<std::string> FeedbackKey(std::string_view service_id, std::string_view element_json);

// The text of each element of the `feedback` array of a feedback request body, as received, in order (for
// FeedbackElement::element_json: a DOM parse would lose the number text the key depends on).
// kInvalidInput when the body is not JSON or `feedback` is missing or not an array.
Result<std::vector<std::string>> FeedbackElementTexts(std::string_view body);

}  // namespace nmscds
