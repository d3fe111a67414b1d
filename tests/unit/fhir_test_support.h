#pragma once
// Building small FHIR inputs for the FHIR reader tests (interfaces.md §4) and reading them.
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_dom.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"

namespace nmscds::fhirtest {

using nlohmann::json;

inline const KnowledgeBase& Kb() {
  static auto kb = LoadKnowledgeBase("");
  return **kb;
}

inline constexpr const char* kT0 = "2026-11-20T14:00:00Z";
inline const Instant kT0Instant = *ParseDateTime(kT0);

inline json Coding(const std::string& system, const std::string& code) {
  return json{{"system", system}, {"code", code}};
}
inline json Concept(const std::string& system, const std::string& code) {
  return json{{"coding", json::array({Coding(system, code)})}};
}
inline json Ref(const std::string& reference) { return json{{"reference", reference}}; }

inline json Patient(const std::string& id = "p1") {
  return json{{"resourceType", "Patient"}, {"id", id}, {"gender", "male"}, {"birthDate", "1964-03-02"}};
}

// A LOINC Observation with a UCUM valueQuantity.
inline json Obs(const std::string& loinc, double value, const std::string& ucum, const std::string& time,
                const std::string& subject = "Patient/p1") {
  return json{{"resourceType", "Observation"},
              {"status", "final"},
              {"code", Concept("http://loinc.org", loinc)},
              {"subject", Ref(subject)},
              {"effectiveDateTime", time},
              {"valueQuantity", {{"value", value}, {"system", "http://unitsofmeasure.org"}, {"code", ucum}}}};
}

// An nmscds finding or context Observation.
inline json Nmscds(const std::string& system_suffix, const std::string& code, const std::string& time) {
  return json{{"resourceType", "Observation"},
              {"status", "final"},
              {"code", Concept("urn:nmscds:cs:" + system_suffix, code)},
              {"subject", Ref("Patient/p1")},
              {"effectiveDateTime", time}};
}

inline json Med(const std::string& type, const std::string& rxnorm, const std::string& text) {
  json r{{"resourceType", type}, {"subject", Ref("Patient/p1")}};
  json cc{{"text", text}};
  if (!rxnorm.empty()) {
    cc["coding"] = json::array({Coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm)});
  }
  r["medicationCodeableConcept"] = cc;
  return r;
}

// A Bundle of the resources, each in an entry with fullUrl urn:uuid:e<i> (a Patient p1 first unless
// `with_patient` is false).
inline json Bundle(std::vector<json> resources, const std::string& type = "collection", bool with_patient = true) {
  json entries = json::array();
  if (with_patient) resources.insert(resources.begin(), Patient());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    json e{{"fullUrl", "urn:uuid:e" + std::to_string(i)}, {"resource", resources[i]}};
    if (type == "transaction" || type == "batch") {
      e["request"] = {{"method", "POST"}, {"url", resources[i].value("resourceType", "")}};
    }
    entries.push_back(e);
  }
  return json{{"resourceType", "Bundle"}, {"type", type}, {"timestamp", kT0}, {"entry", entries}};
}

inline Result<Case> ReadBundle(const json& bundle, FhirBundleOptions options = {}) {
  const std::string bytes = bundle.dump();
  JsonParser parser;
  auto root = parser.Parse(bytes);
  if (!root) return root.error();
  return ReadFhirBundle(*root, bytes, Kb(), options);
}

// CDS data built from (key, document) pairs; the parsed documents live as long as this object.
class Cds {
 public:
  explicit Cds(std::string patient_id = "p1") {
    data.patient_id = std::move(patient_id);
    data.t0 = kT0Instant;
    data.sha256 = std::string(64, '0');
  }
  Cds& Add(const std::string& key, const json& document) {
    texts_.push_back(document.dump());
    parsers_.emplace_back();
    auto root = parsers_.back().Parse(texts_.back());
    if (root) data.sources.push_back(FhirSource{key, "prefetch." + key, *root});
    return *this;
  }
  Result<Case> Read() const { return ReadFhirCds(data, Kb()); }
  CdsData data;

 private:
  std::deque<std::string> texts_;
  std::deque<JsonParser> parsers_;
};

inline json Searchset(const std::vector<json>& resources) {
  json entries = json::array();
  for (const json& r : resources) entries.push_back(json{{"resource", r}, {"search", {{"mode", "match"}}}});
  return json{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", entries}};
}

inline int Ignored(const Case& c, const std::string& kind, const std::string& reason) {
  for (const IgnoredCount& i : c.input.ignored) {
    if (i.kind == kind && i.reason == reason) return i.count;
  }
  return 0;
}

inline const InputWarning* FindWarning(const Case& c, const std::string& code) {
  for (const InputWarning& w : c.input_warnings) {
    if (w.code == code) return &w;
  }
  return nullptr;
}

inline bool HasIssue(const Error& e, const std::string& code, const std::string& location) {
  for (const Issue& i : e.issues) {
    if (i.code == code && i.location == location) return true;
  }
  return false;
}

inline std::string IssuesText(const Error& e) {
  std::string out = e.message;
  for (const Issue& i : e.issues) out += "\n  " + i.code + " at " + i.location + ": " + i.message;
  return out;
}

}  // namespace nmscds::fhirtest
