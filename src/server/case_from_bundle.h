#pragma once
// POST /api/case (doc/web.md): a FHIR Bundle read by the one FHIR reader (interfaces.md §4) and written as a native
// case (§2), so that the bedside page can fill its form from a Bundle without mapping FHIR itself.
//
// The form must never change the answer: the written case is read back and assessed, and its report is compared
// with the report of the Bundle itself (every member but `input`, the evidence sources and the INPUT_* warnings).
// Whatever differs, and whatever a native case cannot hold (a medication that names no drug), is listed in
// `differences`; the page then keeps the Bundle and assesses it as it is.
#include <string>
#include <string_view>
#include <vector>

#include "model/case.h"
#include "nmscds/nmscds.h"
#include "nmscds/status.h"

namespace nmscds {

class KnowledgeBase;

struct CaseFromBundle {
  std::string case_json;  // the native case, compact; values in canonical units
  std::vector<std::string> differences;  // empty: the case gives the same assessment as the Bundle
};

// The native case of `c` (any input format). What a native case cannot hold is appended to `not_written`.
std::string CaseToNativeJson(const Case& c, const KnowledgeBase& kb, std::vector<std::string>& not_written);

// `document` must be a FHIR Bundle (a native case is refused: the page reads it itself). Invalid input is
// kInvalidInput with the FHIR element paths, as for POST /api/assess.
Result<CaseFromBundle> ReadCaseFromBundle(std::string_view document, const KnowledgeBase& kb,
                                          const AssessOptions& options);

// {"case": <native case>, "differences": [...]}, compact.
std::string CaseFromBundleJson(const CaseFromBundle& result);

}  // namespace nmscds
