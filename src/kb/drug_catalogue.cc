#include "kb/drug_catalogue.h"

#include <algorithm>

#include "common/json_writer.h"
#include "kb/knowledge_base.h"

namespace nmscds {

namespace {

// Names in the order a clinician would look for them, each once (the display name usually equals the id).
std::vector<std::string_view> MatchedNames(const Drug& drug) {
  std::vector<std::string_view> names;
  auto add = [&names](std::string_view name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  add(drug.name);
  add(drug.id);
  for (const std::string& synonym : drug.synonyms) add(synonym);
  return names;
}

}  // namespace

std::string DrugCatalogueJson(const KnowledgeBase& kb) {
  JsonWriter w(false);
  w.BeginObject();
  w.Member("kb_version", kb.version);
  w.Key("drugs");
  w.BeginArray();
  for (const Drug& drug : kb.drugs) {
    w.BeginObject();
    w.Member("id", drug.id);
    w.Member("name", drug.name);
    w.Key("classes");
    w.BeginArray();
    for (int index : drug.classes) {
      const DrugClass& drug_class = kb.classes[static_cast<std::size_t>(index)];
      w.BeginObject();
      w.Member("token", drug_class.token);
      w.Member("label", drug_class.label);
      w.EndObject();
    }
    w.EndArray();
    // The page says so beside the entry: these are the drugs the NMS rules count as triggers.
    w.MemberBool("dopamine_antagonist", (drug.roles & kRoleD2Antagonist) != 0);
    w.Key("names");
    w.BeginArray();
    for (std::string_view name : MatchedNames(drug)) w.String(name);
    w.EndArray();
    w.Key("long_acting_names");
    w.BeginArray();
    for (const std::string& name : drug.long_acting_synonyms) w.String(name);
    w.EndArray();
    if (drug.lai_interval_days) w.MemberNumber("long_acting_interval_days", *drug.lai_interval_days);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Finish();
}

}  // namespace nmscds
