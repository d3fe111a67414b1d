#pragma once
// The assessment engine: Case -> Report, clinical.md §3-§12 (see engine.cc for the order of evaluation).
#include <string>
#include <vector>

#include "model/case.h"
#include "nmscds/report.h"

namespace nmscds {

class KnowledgeBase;

// Pure function of its inputs: no clock, no I/O, no randomness, no global state.
Report RunEngine(const Case& input, const KnowledgeBase& kb);

// What a population-screen line says of one assessment (interfaces.md §10), as in the report.
struct ScreenAssessment {
  std::string suspicion;  // nms.suspicion
  int iec_points = 0;
  int iec_max_possible = 0;
  std::string woodbury_stage;
  std::string trigger_type;
  std::string trigger_pattern;
  std::vector<std::string> trigger_agents;  // nms.trigger.agents[].name, in the report's order
  std::string dantrolene_decision;
  std::string fn_status;
  bool fn_presumed = false;
  bool operator==(const ScreenAssessment&) const = default;
};

// The same fields read from a report.
ScreenAssessment ScreenAssessmentOf(const Report& report);

// RunEngine's steps up to and including the dantrolene decision (clinical.md §3-§6), which set every field of
// a screen line, then those fields: the same code and rules, without the steps that only add to the report
// (differential, therapies, FN plan, steps, warnings, missing data, texts and evidence of the summary
// sections). Equal to ScreenAssessmentOf(RunEngine(input, kb)) for every input (engine_screen_test.cc checks
// it over every scenario, example and a generated cohort).
ScreenAssessment RunEngineForScreen(const Case& input, const KnowledgeBase& kb);

}  // namespace nmscds
