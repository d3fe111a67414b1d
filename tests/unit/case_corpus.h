#pragma once
// The valid cases the property tests run over: the conformance scenarios and the case examples.
#include <string>
#include <vector>

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

inline std::string BaseName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace nmscds::testing
