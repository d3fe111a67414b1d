#pragma once
// The drug catalogue of the knowledge base as JSON for the bedside page's medication autocomplete
// (GET /api/kb/drugs, doc/web.md). Knowledge-base content only, never patient data.
#include <string>

namespace nmscds {

class KnowledgeBase;

// {"kb_version","drugs":[{"id","name","classes":[{"token","label"}],
//  "dopamine_antagonist","names":[...],"long_acting_names":[...],"long_acting_interval_days"?}]}, compact,
// drugs in knowledge-base order. `names` are the id, display name and synonyms the case reader matches
// (whole words, any case); `long_acting_names` the names that denote a depot product.
std::string DrugCatalogueJson(const KnowledgeBase& kb);

}  // namespace nmscds
