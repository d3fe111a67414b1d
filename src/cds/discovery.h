#pragma once
// CDS Hooks discovery (interfaces.md §8.5) and the prefetch templates of §8.6.
#include <string>
#include <string_view>
#include <vector>

namespace nmscds {

class KnowledgeBase;

// One prefetch template (§8.6). `query` holds the single token {{context.patientId}}; the service
// substitutes it when it fetches a key itself.
struct PrefetchTemplate {
  std::string_view key;
  std::string query;
  bool required = false;  // a required key that is absent and cannot be fetched gives 412 (§8.6)
};

// The eleven templates of §8.6 in the order of its table; identical for the three services.
const std::vector<PrefetchTemplate>& PrefetchTemplates();

// The LOINC codes of the `vitals` and `labs` templates, in the order of §8.6.
const std::vector<std::string_view>& PrefetchVitalLoincCodes();
const std::vector<std::string_view>& PrefetchLabLoincCodes();

// GET /cds-services body (§8.5): {"services":[...]}, compact UTF-8. An id that serves two hooks appears
// once per hook: nms-assessment (patient-view), nms-dantrolene-order (order-select, order-sign),
// nms-trigger-order (order-select, order-sign). Titles, descriptions and usageRequirements come from the
// knowledge-base texts (service.*). Same knowledge base -> same bytes.
std::string DiscoveryJson(const KnowledgeBase& kb);

}  // namespace nmscds
