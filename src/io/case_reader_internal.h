#pragma once
// Internals of the native case reader, exposed for tests (the schema oracle compares pass 1 alone with
// python3-jsonschema and case.schema.json).
#include <simdjson.h>

#include <vector>

#include "nmscds/status.h"

namespace nmscds::internal {

// Pass 1 of interfaces.md §2.8: exactly what case.schema.json accepts (types, required members, const and
// enum values, the unit list of each kind, `route` only on temperature, GCS an integer 3-15, string lengths
// and patterns, numeric bounds, unknown members outside `extensions`). Returns every problem found, in
// document order, each with its JSON pointer; empty = the document is schema-valid.
//
// Codes: missing_required, wrong_type, enum_value, unknown_member, unit_not_accepted, unsupported_version,
// time_format (date-time / date pattern), out_of_range (numeric bounds, string lengths), too_large (maxItems),
// unsupported_value (id / rxnorm pattern), unsupported_element (dose_mg together with dose_mg_per_kg).
std::vector<Issue> CheckCaseSchema(simdjson::dom::element root);

}  // namespace nmscds::internal
