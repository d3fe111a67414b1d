#pragma once
// Native case format v1 (interfaces.md §2, case.schema.json) -> Case.
//
// Validation runs in the two passes of §2.8 and reports every problem of a pass, each with its JSON
// pointer: pass 1 = exactly what case.schema.json accepts (types, required members, enums, units per
// kind, unknown members); pass 2 (only when pass 1 passed) = plausible ranges after unit conversion,
// stop >= start, episode_onset / findings.assessed_at not after T0, age consistency, range order,
// context consistency, calendar-valid timestamps. Invalid input never yields a Case.
//
// The reader converts values to canonical units (clinical §13.3), matches medications to the knowledge
// base (RxNorm code, then name/salt/brand as whole words) and conditions to concepts; it applies no
// clinical rule. Medications not in the knowledge base are kept (ingredients empty), counted in
// input.ignored (not_in_knowledge_base) and listed in the INPUT_MEDICATION_NOT_RECOGNISED warning.
#include <simdjson.h>

#include <optional>
#include <string_view>

#include "common/time_util.h"
#include "model/case.h"
#include "nmscds/status.h"

namespace nmscds {

class KnowledgeBase;

struct ReadOptions {
  std::optional<Instant> at_override;  // --at: replaces assessed_at (assessed_at_source "override")
};

// `root` is the parsed document (a JSON object with "format": "nmscds-case"); `bytes` are the input bytes
// exactly as received (for input.sha256).
Result<Case> ReadNativeCase(simdjson::dom::element root, std::string_view bytes, const KnowledgeBase& kb,
                            const ReadOptions& options);

}  // namespace nmscds
