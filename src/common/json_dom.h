#pragma once
// Parsing of input documents with simdjson's DOM, plus the checks simdjson does not make itself
// (interfaces.md §1.2): duplicate member names, a nesting limit of 100, and precise syntax-error
// positions. One parser instance is reused across documents (no allocation per record).
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

constexpr std::size_t kMaxJsonDepth = 100;

class JsonParser {
 public:
  JsonParser();
  // Parses `bytes` (a leading UTF-8 byte-order mark is skipped). On failure returns the issues
  // (json_syntax, too_deep, out_of_range, duplicate_member), each with its location. The element stays
  // valid until the next Parse call.
  Result<simdjson::dom::element> Parse(std::string_view bytes);

 private:
  simdjson::dom::parser parser_;
};

// Appends "/" and a JSON-pointer token (RFC 6901 escaping of '~' and '/').
void AppendPointerToken(std::string& pointer, std::string_view token);
// A pointer one level below `base`.
std::string PointerAppend(std::string_view base, std::string_view token);
std::string PointerAppend(std::string_view base, std::size_t index);

// Collects duplicate member names anywhere under `root` as duplicate_member issues.
void FindDuplicateMembers(simdjson::dom::element root, std::string_view pointer, std::vector<Issue>& issues);

// JSON type name for messages ("object", "array", "string", "number", "boolean", "null").
std::string_view JsonTypeName(simdjson::dom::element e);

}  // namespace nmscds
