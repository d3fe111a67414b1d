// Determinism (interfaces.md §5.1): the same input gives byte-identical JSON; and the order of the input
// arrays, which carries no meaning (observations, medications, administrations, conditions, procedures),
// does not change the report. Reordering moves elements, so their JSON pointers and the input hash change;
// the comparison replaces every evidence `source` pointer by the content of the element it points to.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "case_corpus.h"
#include "nmscds/nmscds.h"

namespace nmscds {
namespace {

using nlohmann::json;
using testing::AssessJson;

// The element with the arrays inside it sorted (the administrations of a medication, for instance).
json Canonical(json e) {
  if (e.is_object()) {
    for (auto& [k, v] : e.items()) v = Canonical(v);
  } else if (e.is_array()) {
    for (auto& v : e) v = Canonical(v);
    std::sort(e.begin(), e.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
  }
  return e;
}

// Replaces each "source" pointer by the input element it designates, and drops the input hash.
void Normalise(json& report, const json& input) {
  report["input"].erase("sha256");
  std::function<void(json&)> walk = [&](json& node) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "source" && it.value().is_string()) {
          std::string p = it.value();
          try {
            it.value() = Canonical(input.at(json::json_pointer(p))).dump();
          } catch (const std::exception&) {
            // A pointer to a member that is not an element (e.g. /findings/rigidity) stays as it is.
          }
        } else {
          walk(it.value());
        }
      }
    } else if (node.is_array()) {
      for (auto& x : node) walk(x);
    }
  };
  walk(report);
}

json Permuted(json c, std::mt19937& rng) {
  for (const char* key : {"observations", "medications", "conditions", "procedures"}) {
    if (c.contains(key)) std::shuffle(c[key].begin(), c[key].end(), rng);
  }
  if (c.contains("medications")) {
    for (auto& m : c["medications"]) {
      if (m.contains("administrations")) std::shuffle(m["administrations"].begin(), m["administrations"].end(), rng);
    }
  }
  return c;
}

class Determinism : public ::testing::TestWithParam<std::string> {};

TEST_P(Determinism, SameInputSameBytes) {
  const std::string bytes = testing::ReadFile(GetParam());
  auto a = Assess(bytes, testing::EmbeddedKb(), {});
  auto b = Assess(bytes, testing::EmbeddedKb(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(ReportToJson(*a, true), ReportToJson(*b, true));
  EXPECT_EQ(ReportToText(*a, {}), ReportToText(*b, {}));
}

TEST_P(Determinism, ArrayOrderDoesNotMatter) {
  const json original = json::parse(testing::ReadFile(GetParam()));
  json expected = AssessJson(original);
  Normalise(expected, original);
  std::mt19937 rng(20261121);
  for (int round = 0; round < 8; ++round) {
    json variant = Permuted(original, rng);
    json got = AssessJson(variant);
    Normalise(got, variant);
    const json diff = json::diff(expected, got);
    ASSERT_TRUE(diff.empty()) << "permutation round " << round << ": " << diff.dump().substr(0, 2000);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Determinism, ::testing::ValuesIn(testing::CorpusPaths()),
                         [](const auto& param_info) {
                           std::string n = testing::BaseName(param_info.param);
                           std::replace(n.begin(), n.end(), '-', '_');
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

}  // namespace
}  // namespace nmscds
