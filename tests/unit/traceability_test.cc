// Traceability (clinical.md §0.4): every rule id of the clinical specification can be found in the engine's
// source and in the tests, so a reader can go from the spec to the code and back.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "test_util.h"

namespace nmscds {
namespace {

std::string ReadTree(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (ext == ".cc" || ext == ".h") all += testing::ReadFile(entry.path().string()) + "\n";
  }
  return all;
}

std::vector<std::string> RuleIds() {
  std::vector<std::string> ids;
  for (int i = 1; i <= 32; ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "DF-%02d", i);
    ids.emplace_back(buf);
  }
  for (int i = 1; i <= 6; ++i) ids.push_back("DEC-" + std::to_string(i));
  for (const char* id : {"ALT-0", "ALT-1", "ALT-2", "ALT-3", "ALT-3b", "ALT-4", "ALT-5", "PREF-1", "PREF-2", "PREF-3",
                         "PREF-4", "VANC-1", "VANC-2", "VANC-3", "G-1", "G-2", "G-3", "AF-1", "S-1", "S-2", "S-3",
                         "S-4", "S-5", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "H1", "H2", "H3", "H4", "H5",
                         "P-STOP", "P-RESTART", "P-ABX", "P-MH", "P-COOL", "P-ICU", "P-DOC", "P-EXP", "P-LABS",
                         "P-DAN-C", "P-DAN-MH", "P-BROMO", "P-AMAN", "P-LZP", "P-ECT", "P-ABX-CONT", "P-MON-V",
                         "P-MON-CK", "P-MON-LFT", "P-MON-SITE"}) {
    ids.emplace_back(id);
  }
  return ids;
}

bool Mentions(const std::string& text, const std::string& id) {
  const std::regex re("(^|[^A-Za-z0-9-])" + std::regex_replace(id, std::regex("-"), "\\-") + "($|[^A-Za-z0-9-])");
  return std::regex_search(text, re);
}

TEST(Traceability, EveryRuleIdIsNamedInTheEngine) {
  const std::string engine = ReadTree(testing::SourceDir() + "/src/engine");
  for (const std::string& id : RuleIds()) EXPECT_TRUE(Mentions(engine, id)) << id << " is not named in src/engine";
}

TEST(Traceability, EveryRuleIdIsNamedInTheTests) {
  const std::string tests = ReadTree(testing::SourceDir() + "/tests");
  for (const std::string& id : RuleIds()) EXPECT_TRUE(Mentions(tests, id)) << id << " is not named in tests/";
}

}  // namespace
}  // namespace nmscds
