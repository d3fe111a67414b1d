#pragma once
// The valid cases the property tests run over: the conformance scenarios and the case examples.
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds::testing {

inline std::vector<std::string> CorpusPaths() {
  std::vector<std::string> paths;
  for (int i = 1; i <= 12; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "S%02d.json", i);
    paths.push_back(SharedDir() + "/spec/scenarios/" + name);
  }
  paths.push_back(SharedDir() + "/spec/examples/case-minimal.json");
  paths.push_back(SharedDir() + "/spec/examples/case-fn-polypharmacy.json");
  return paths;
}

// The embedded knowledge base, loaded once per test binary.
inline const KnowledgeBase& EmbeddedKb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

// The compact report of a valid case as JSON; throws with the first problem's location for an invalid one.
inline nlohmann::json AssessJson(const nlohmann::json& c) {
  auto r = Assess(c.dump(), EmbeddedKb(), {});
  if (!r.ok()) throw std::runtime_error(r.error().issues.front().location + ": " + r.error().issues.front().message);
  return nlohmann::json::parse(ReportToJson(*r, false));
}

inline std::string BaseName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace nmscds::testing
