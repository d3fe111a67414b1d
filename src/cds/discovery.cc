// CDS Hooks discovery: interfaces.md §8.5, with the prefetch templates of §8.6.
#include "cds/discovery.h"

#include <array>
#include <nlohmann/json.hpp>

#include "kb/knowledge_base.h"

namespace nmscds {

namespace {

using Json = nlohmann::ordered_json;

std::string CodeList(const std::vector<std::string_view>& codes) {
  std::string out;
  for (std::string_view code : codes) {
    if (!out.empty()) out += ',';
    out += "http://loinc.org|";
    out += code;
  }
  return out;
}

struct ServiceDef {
  std::string_view hook;
  std::string_view id;
  TextId title;
  TextId description;
};

// §8.5: one entry per (hook, id), in this order.
constexpr std::array<ServiceDef, 5> kServices = {{
    {"patient-view", "nms-assessment", TextId::kServiceAssessmentTitle, TextId::kServiceAssessmentDescription},
    {"order-select", "nms-dantrolene-order", TextId::kServiceDantroleneTitle, TextId::kServiceDantroleneDescription},
    {"order-sign", "nms-dantrolene-order", TextId::kServiceDantroleneTitle, TextId::kServiceDantroleneDescription},
    {"order-select", "nms-trigger-order", TextId::kServiceTriggerTitle, TextId::kServiceTriggerDescription},
    {"order-sign", "nms-trigger-order", TextId::kServiceTriggerTitle, TextId::kServiceTriggerDescription},
}};

}  // namespace

const std::vector<std::string_view>& PrefetchVitalLoincCodes() {
  static const std::vector<std::string_view> kCodes = {"8310-5", "8331-1",  "8332-9",  "8328-7", "8333-7", "8329-5",
                                                       "8867-4", "85354-9", "55284-4", "8480-6", "8462-4", "9279-1",
                                                       "9269-2", "29463-7", "3141-9",  "8302-2"};
  return kCodes;
}

const std::vector<std::string_view>& PrefetchLabLoincCodes() {
  static const std::vector<std::string_view> kCodes = {
      "1742-6", "1743-4", "1920-8", "30239-8", "1975-2", "14631-6", "6768-6",  "2157-6", "6690-2",
      "26464-8", "751-8", "753-4",  "26499-4", "742-7",  "743-5",   "26484-6", "2160-0", "38483-4",
      "14682-9", "2823-3", "6298-4", "2639-3", "6301-6", "34714-6", "2345-7",  "2339-0", "777-3"};
  return kCodes;
}

const std::vector<PrefetchTemplate>& PrefetchTemplates() {
  static const std::vector<PrefetchTemplate> kTemplates = {
      {"patient", "Patient/{{context.patientId}}", true},
      {"vitals",
       "Observation?patient={{context.patientId}}&code=" + CodeList(PrefetchVitalLoincCodes()) + "&_sort=-date&_count=500",
       true},
      {"labs",
       "Observation?patient={{context.patientId}}&code=" + CodeList(PrefetchLabLoincCodes()) + "&_sort=-date&_count=300",
       true},
      {"findings", "Observation?patient={{context.patientId}}&category=exam&_sort=-date&_count=200", false},
      {"medication_requests",
       "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,stopped,completed&_sort=-authoredon&_count=200",
       true},
      {"medication_administrations",
       "MedicationAdministration?patient={{context.patientId}}&_sort=-effective-time&_count=500", true},
      {"medication_statements", "MedicationStatement?patient={{context.patientId}}&_count=200", false},
      {"conditions", "Condition?patient={{context.patientId}}&_count=500", true},
      {"allergies", "AllergyIntolerance?patient={{context.patientId}}", false},
      {"procedures", "Procedure?patient={{context.patientId}}&_sort=-date&_count=100", false},
      {"devices", "Device?patient={{context.patientId}}", false},
  };
  return kTemplates;
}

std::string DiscoveryJson(const KnowledgeBase& kb) {
  Json prefetch = Json::object();
  for (const PrefetchTemplate& t : PrefetchTemplates()) prefetch[std::string(t.key)] = t.query;
  Json services = Json::array();
  for (const ServiceDef& s : kServices) {
    Json entry = Json::object();
    entry["hook"] = s.hook;
    entry["id"] = s.id;
    entry["title"] = kb.text(s.title).text;
    entry["description"] = kb.text(s.description).text;
    entry["prefetch"] = prefetch;
    // §8.5: every service needs the same data (its prefetch is the same), so each entry states it.
    entry["usageRequirements"] = kb.text(TextId::kServiceUsageRequirements).text;
    services.push_back(std::move(entry));
  }
  Json doc = Json::object();
  doc["services"] = std::move(services);
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace nmscds
