#pragma once
// The assessment engine: Case -> Report, clinical.md §3-§12 (see engine.cc for the order of evaluation).
#include "model/case.h"
#include "nmscds/report.h"

namespace nmscds {

class KnowledgeBase;

// Pure function of its inputs: no clock, no I/O, no randomness, no global state.
Report RunEngine(const Case& input, const KnowledgeBase& kb);

}  // namespace nmscds
