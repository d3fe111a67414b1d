#include "kb/knowledge_base.h"

#include <algorithm>

#include "common/text.h"

namespace nmscds {
namespace {

struct RoleName {
  std::string_view name;
  std::uint32_t bit;
};

constexpr RoleName kRoleNames[] = {
    {"d2_antagonist", kRoleD2Antagonist},
    {"antiemetic_d2", kRoleAntiemeticD2},
    {"nms_contributor", kRoleNmsContributor},
    {"dopaminergic", kRoleDopaminergic},
    {"serotonergic", kRoleSerotonergic},
    {"antimuscarinic", kRoleAntimuscarinic},
    {"mh_volatile", kRoleMhVolatile},
    {"mh_succinylcholine", kRoleMhSuccinylcholine},
    {"ccb_non_dihydropyridine", kRoleCcbNonDihydropyridine},
    {"ccb_dihydropyridine", kRoleCcbDihydropyridine},
    {"benzodiazepine", kRoleBenzodiazepine},
    {"empiric_beta_lactam", kRoleEmpiricBetaLactam},
    {"fluoroquinolone", kRoleFluoroquinolone},
    {"mould_active_azole", kRoleMouldActiveAzole},
    {"cytotoxic_chemotherapy", kRoleCytotoxicChemotherapy},
    {"penicillin", kRolePenicillin},
    {"nms_therapy", kRoleNmsTherapy},
    {"antibiotic", kRoleAntibiotic},
    {"antifungal", kRoleAntifungal},
    {"growth_factor", kRoleGrowthFactor},
    {"non_d2_antiemetic", kRoleNonD2Antiemetic},
};

constexpr std::string_view kSnomedSystem = "http://snomed.info/sct";
constexpr std::string_view kIcd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// ICD-10-CM prefix match on the dotted code, ASCII case-insensitive.
bool IcdPrefixMatches(std::string_view code, std::string_view prefix) {
  if (prefix.empty() || prefix.size() > code.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Upper(code[i]) != Upper(prefix[i])) return false;
  }
  return true;
}

}  // namespace

std::uint32_t DrugRoleFromName(std::string_view name) {
  for (const auto& r : kRoleNames) {
    if (r.name == name) return r.bit;
  }
  return 0;
}

const UnitConversion* ObservationKindDef::FindUnit(std::string_view code) const {
  for (const auto& u : units) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

Fixed ObservationKindDef::ToCanonical(Fixed value, const UnitConversion& unit) const {
  return (value + unit.offset).MulDiv(unit.num, unit.den, decimals);
}

int KnowledgeBase::FindDrug(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

const DrugClass& KnowledgeBase::PrimaryClass(int drug_index) const {
  return classes[static_cast<std::size_t>(drug(drug_index).classes.front())];
}

const std::vector<int>& KnowledgeBase::DrugsByRxcui(std::string_view rxcui) const {
  static const std::vector<int> kNone;
  auto it = by_rxcui_.find(rxcui);
  return it == by_rxcui_.end() ? kNone : it->second;
}

std::vector<int> KnowledgeBase::DrugsByName(std::string_view name) const {
  std::vector<int> out;
  drug_names_.ForEachMatch(name, [&](int drug) { out.push_back(drug); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool KnowledgeBase::NamesLongActing(std::string_view name) const { return long_acting_names_.AnyMatch(name); }

const ObservationKindDef* KnowledgeBase::FindKindByName(std::string_view name) const {
  for (const auto& k : kinds) {
    if (!k.name.empty() && k.name == name) return &k;
  }
  return nullptr;
}

const ObservationKindDef* KnowledgeBase::FindKindByLoinc(std::string_view code) const {
  if (code.empty()) return nullptr;
  auto it = kind_by_loinc_.find(code);
  return it == kind_by_loinc_.end() ? nullptr : &kinds[it->second];
}

bool KnowledgeBase::IsPanelLoinc(std::string_view code) const { return panel_loincs_.contains(code); }

std::uint32_t KnowledgeBase::MatchConcepts(std::string_view system, std::string_view code,
                                           std::string_view text) const {
  std::uint32_t bits = 0;
  if (!code.empty()) {
    if (system == kSnomedSystem) {
      auto it = snomed_concepts_.find(code);
      if (it != snomed_concepts_.end()) bits = it->second;
    } else if (system == kIcd10CmSystem) {
      // The prefixes of the code's category (its first three characters), then any shorter prefix.
      if (code.size() >= kIcdCategoryLength) {
        std::string category(code.substr(0, kIcdCategoryLength));
        for (char& ch : category) ch = Upper(ch);
        if (auto it = icd_prefixes_by_category_.find(category); it != icd_prefixes_by_category_.end()) {
          for (const auto& [prefix, bit] : it->second) bits |= IcdPrefixMatches(code, prefix) ? bit : 0;
        }
      }
      for (const auto& [prefix, bit] : short_icd_prefixes_) bits |= IcdPrefixMatches(code, prefix) ? bit : 0;
    }
    return bits;
  }
  concept_texts_.ForEachMatch(text, [&](int concept_id) { bits |= ConceptBit(static_cast<ConceptId>(concept_id)); });
  return bits;
}

std::string_view FhirCodeListName(FhirCodeList list) {
  static constexpr std::string_view kNames[] = {
#define NMSCDS_NAME(e, name) name,
      NMSCDS_FHIR_CODE_LISTS(NMSCDS_NAME)
#undef NMSCDS_NAME
  };
  return kNames[static_cast<std::size_t>(list)];
}

const FhirCode* KnowledgeBase::FindFhirCode(FhirCodeList list, std::string_view system, std::string_view code) const {
  if (code.empty()) return nullptr;
  for (const FhirCode& c : fhir_codes[static_cast<std::size_t>(list)].codes) {
    if (c.system != system) continue;
    if (c.prefix ? IcdPrefixMatches(code, c.code) : c.code == code) return &c;
  }
  return nullptr;
}

const Reference* KnowledgeBase::FindReference(std::string_view id) const {
  const int index = ReferenceIndex(id);
  return index < 0 ? nullptr : &references[static_cast<std::size_t>(index)];
}

int KnowledgeBase::ReferenceIndex(std::string_view id) const {
  auto it = reference_index_.find(id);
  return it == reference_index_.end() ? -1 : it->second;
}

void KnowledgeBase::Finalize() {
  by_id_.clear();
  by_rxcui_.clear();
  by_id_.reserve(drugs.size());
  for (std::size_t i = 0; i < drugs.size(); ++i) {
    const int index = static_cast<int>(i);
    by_id_.emplace(drugs[i].id, index);
    for (const auto& code : drugs[i].rxcuis) {
      auto& list = by_rxcui_[code];
      if (list.empty() || list.back() != index) list.push_back(index);
    }
  }
  rule_drugs_ = RuleDrugs{FindDrug("dantrolene"),    FindDrug("bromocriptine"), FindDrug("amantadine"),
                          FindDrug("ceftazidime"),   FindDrug("vancomycin"),    FindDrug("aztreonam"),
                          FindDrug("ciprofloxacin"), FindDrug("clindamycin")};
  kind_by_loinc_.clear();
  panel_loincs_.clear();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    for (const auto& l : kinds[k].loinc) kind_by_loinc_.emplace(l, k);  // first kind wins; kb verify reports duplicates
    for (const auto& l : kinds[k].panel_loinc) panel_loincs_.emplace(l, k);
  }
  drug_names_ = WordPhraseIndex();
  long_acting_names_ = WordPhraseIndex();
  for (std::size_t i = 0; i < drugs.size(); ++i) {
    const int index = static_cast<int>(i);
    drug_names_.Add(drugs[i].id, index);
    for (const auto& s : drugs[i].synonyms) drug_names_.Add(s, index);
    for (const auto& s : drugs[i].long_acting_synonyms) {
      drug_names_.Add(s, index);
      long_acting_names_.Add(s, index);
    }
  }
  for (const auto& marker : params.depot_markers) long_acting_names_.Add(marker, -1);
  concept_texts_ = WordPhraseIndex();
  snomed_concepts_.clear();
  icd_prefixes_by_category_.clear();
  short_icd_prefixes_.clear();
  for (const auto& c : concepts) {
    for (const auto& w : c.text) concept_texts_.Add(w, static_cast<int>(c.concept_id));
    const std::uint32_t bit = ConceptBit(c.concept_id);
    for (const auto& code : c.snomed) snomed_concepts_[code] |= bit;
    for (const auto& prefix : c.icd10cm_prefixes) {
      if (prefix.empty()) continue;  // matches nothing (IcdPrefixMatches)
      if (prefix.size() < kIcdCategoryLength) {
        short_icd_prefixes_.emplace_back(prefix, bit);
        continue;
      }
      std::string category = prefix.substr(0, kIcdCategoryLength);
      for (char& ch : category) ch = Upper(ch);
      icd_prefixes_by_category_[category].emplace_back(prefix, bit);
    }
  }
  for (TextEntry& t : texts) t.parts = SplitTemplate(t.text);
  reference_index_.clear();
  references_by_id_.clear();
  for (std::size_t i = 0; i < references.size(); ++i) {
    reference_index_.emplace(references[i].id, static_cast<int>(i));  // first wins; kb verify reports duplicates
    references_by_id_.push_back(static_cast<int>(i));
  }
  std::sort(references_by_id_.begin(), references_by_id_.end(),
            [&](int a, int b) { return references[static_cast<std::size_t>(a)].id < references[static_cast<std::size_t>(b)].id; });
}

}  // namespace nmscds
