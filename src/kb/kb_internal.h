#pragma once
// Helpers shared by the knowledge-base loader and verifier (src/kb only; not part of the KB interface).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kb/knowledge_base.h"
#include "nmscds/status.h"

namespace nmscds::kbi {

// Concept names in ConceptId order: the concepts.json id is "concept." + name.
inline constexpr std::string_view kConceptNames[] = {
    "liver_disease",       "copd",
    "malignancy_solid",    "malignancy_hematologic",
    "malignancy_unspecified", "sepsis",
    "septic_shock",        "catatonia",
    "nms",                 "fungal_infection",
    "pneumonia",           "skin_soft_tissue_infection",
    "catheter_infection",  "mrsa_colonisation",
    "dialysis",            "dehydration",
    "heat_illness",        "febrile_neutropenia",
    "neutropenia",
};
static_assert(sizeof(kConceptNames) / sizeof(kConceptNames[0]) == static_cast<std::size_t>(ConceptId::kCount),
              "one name per ConceptId");

inline constexpr std::string_view kConceptPrefix = "concept.";
inline constexpr std::string_view kKindPrefix = "kind.";
inline constexpr std::string_view kClassPrefix = "class.";

// Every knowledge-base problem is an Issue located in a file ("drugs.json") or an entry
// ("drugs.json#haloperidol").
inline Issue KbIssue(std::string code, std::string location, std::string message) {
  return Issue{std::move(code), std::move(location), "file", std::move(message)};
}

// interfaces.md §11: SHA-256 over "nmscds-kb <version>\n" then "<file sha256>  <path>\n" per file, sorted by
// path in byte order. `files` holds (path, file sha256) pairs.
std::string KbSha256(std::string_view version, std::vector<std::pair<std::string, std::string>> files);

// Manifest checks shared by the loader and `kb verify`.
bool ValidKbVersion(std::string_view version);  // YYYY.MM.N
bool ValidKbPath(std::string_view path);        // relative, '/'-separated, no "..", no empty segment

}  // namespace nmscds::kbi
