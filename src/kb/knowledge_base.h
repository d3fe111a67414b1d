#pragma once
// The knowledge base (clinical.md §13-14, interfaces.md §11) as loaded in memory.
//
// Everything clinical that is a number, a list, a code or a text lives in the versioned files under kb/
// and reaches the engine through this structure: drug catalogue and classes, LOINC/UCUM table with unit
// conversions, condition/finding codes, parameters (thresholds, windows, doses), references and text
// templates. The engine holds no clinical literal of its own.
//
// A KnowledgeBase is immutable after loading and safe to share between threads.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "nmscds/fixed.h"
#include "kb/parameters.h"
#include "kb/text_ids.h"
#include "model/kinds.h"
#include "nmscds/status.h"

namespace nmscds {

// What a drug class means to the rules. A class lists its roles by name in drug_classes.json
// ("d2_antagonist", ...); an ingredient's roles are the union over its classes.
enum DrugRole : std::uint32_t {
  kRoleD2Antagonist = 1u << 0,        // counted in DF-11 (all D2 classes of §13.2.1 except lithium)
  kRoleAntiemeticD2 = 1u << 1,        // antiemetic/prokinetic D2 class: ANTIEMETIC_COUNTED_AS_NEUROLEPTIC
  kRoleNmsContributor = 1u << 2,      // lithium: not counted, reviewed in STOP_DOPAMINE_ANTAGONISTS
  kRoleDopaminergic = 1u << 3,        // §13.2.2, withdrawal rules (DF-12)
  kRoleSerotonergic = 1u << 4,        // §13.2.3 (DF-14)
  kRoleAntimuscarinic = 1u << 5,      // §13.2.4 (DF-15)
  kRoleMhVolatile = 1u << 6,          // §13.2.5 volatile anaesthetics (DF-16)
  kRoleMhSuccinylcholine = 1u << 7,   // §13.2.5 succinylcholine (DF-16)
  kRoleCcbNonDihydropyridine = 1u << 8,  // §13.2.6 (DF-18, DEC-3)
  kRoleCcbDihydropyridine = 1u << 9,     // §13.2.6 (DF-18, warning)
  kRoleBenzodiazepine = 1u << 10,     // §13.2.7
  kRoleEmpiricBetaLactam = 1u << 11,  // DF-28 monotherapy agents (cefepime, pip-tazo, meropenem, imipenem)
  kRoleFluoroquinolone = 1u << 12,    // fluoroquinolone prophylaxis (FHIR context, interfaces §4.7)
  kRoleMouldActiveAzole = 1u << 13,   // §9.6 anti-mould prophylaxis: "switch class"
  kRoleCytotoxicChemotherapy = 1u << 14,  // last cytotoxic chemotherapy (DF-31 input)
  kRolePenicillin = 1u << 15,         // penicillin-class ingredient (FHIR allergy mapping)
  kRoleNmsTherapy = 1u << 16,         // bromocriptine, amantadine, dantrolene (§13.2.7)
  kRoleAntibiotic = 1u << 17,         // any antibacterial named in §13.2.8
  kRoleAntifungal = 1u << 18,
  kRoleGrowthFactor = 1u << 19,
  kRoleNonD2Antiemetic = 1u << 20,    // 5-HT3 / NK1 / dexamethasone alternatives
};

// Parses a role name from drug_classes.json; 0 when unknown.
std::uint32_t DrugRoleFromName(std::string_view name);

struct DrugClass {
  std::string id;     // "class.typical_antipsychotic"
  std::string token;  // report token: "typical_antipsychotic" (interfaces.md §5.5)
  std::string label;  // clinician wording: "antipsychotic", "antiemetic"
  std::uint32_t roles = 0;
};

struct Drug {
  std::string id;    // "haloperidol"
  std::string name;  // display name in reports ("amphotericin B"); the id when drugs.json gives none
  std::vector<std::string> rxcuis;  // ingredient and any product codes mapped to it
  std::string rxcui_status;         // verified | partial | unverified
  std::vector<int> classes;         // indices into KnowledgeBase::classes; the first is the primary class
  std::uint32_t roles = 0;          // union of the classes' roles
  std::vector<std::string> synonyms;              // salts, brands; matched as whole words, any case
  std::vector<std::string> long_acting_synonyms;  // names that denote a depot product (also matched)
  std::optional<Fixed> lai_interval_days;         // per-ingredient depot interval (§3.2); else the default
  std::string note;
};

struct UnitConversion {
  std::string code;   // UCUM code accepted for the kind
  Fixed offset;       // added before scaling (-32 for [degF])
  std::int64_t num = 1;
  std::int64_t den = 1;  // canonical = (value + offset) * num / den
};

struct ObservationKindDef {
  ObsKind kind = ObsKind::kTemperature;
  std::string id;    // "kind.temperature"
  std::string name;  // "temperature" (the case `kind` value)
  std::vector<std::string> loinc;
  std::string canonical_unit;
  int decimals = 0;  // canonical precision (interfaces.md §2.3)
  Fixed plausible_low, plausible_high;
  bool integer_only = false;  // GCS
  std::vector<UnitConversion> units;
  // Temperature LOINC codes that imply a route ("8331-1" -> "oral"), and BP panel codes whose components
  // carry this kind (FHIR input, interfaces §4.5).
  std::vector<std::pair<std::string, std::string>> loinc_routes;
  std::vector<std::string> panel_loinc;

  const UnitConversion* FindUnit(std::string_view code) const;
  // Converts a value in `unit` to the canonical unit, rounded half away from zero to `decimals`.
  Fixed ToCanonical(Fixed value, const UnitConversion& unit) const;
};

// Concepts a coded condition, finding or context item can map to (clinical §13.4, interfaces §4.6-4.7).
enum class ConceptId : std::uint8_t {
  kLiverDisease,
  kCopd,
  kMalignancySolid,
  kMalignancyHematologic,
  kMalignancyUnspecified,
  kSepsis,
  kSepticShock,
  kCatatonia,
  kNms,
  kFungalInfection,
  kPneumonia,
  kSkinSoftTissueInfection,
  kCatheterInfection,
  kMrsaColonisation,
  kDialysis,
  kDehydration,
  kHeatIllness,
  kFebrileNeutropenia,
  kNeutropenia,
  kCount
};

struct ConceptDef {
  ConceptId concept_id = ConceptId::kCount;
  std::string id;  // "concept.liver_disease"
  std::vector<std::string> snomed;           // matched exactly
  std::vector<std::string> icd10cm_prefixes;  // matched by prefix on the dotted code
  std::vector<std::string> text;              // whole-word, any case, only when no code is given
};

// FHIR code lists (kb/fhir_codes.json; interfaces.md §4.5-4.8): the codes the FHIR reader recognises that are
// not LOINC observation codes (observation_kinds.json) or condition concepts (concepts.json). Each list has a
// fixed id ("fhir.<name>"); a code may carry a meaning from the list's own vocabulary (kb verify checks it).
#define NMSCDS_FHIR_CODE_LISTS(X)                                                                         \
  X(kFindingCodes, "finding_codes")                   /* meaning: finding name or mental_status.<level> */ \
  X(kFindingValues, "finding_values")                 /* meaning: true | false (Yes/Present, No/Absent) */ \
  X(kRigidityGrades, "rigidity_grades")               /* meaning: none | mild | moderate | severe */       \
  X(kTemperatureSites, "temperature_sites")           /* meaning: temperature route (bodySite/method) */   \
  X(kMedicationRoutes, "medication_routes")           /* meaning: case medication route */                 \
  X(kAntiemeticReasons, "antiemetic_reasons")         /* reasonCode meaning nausea or vomiting */          \
  X(kCentralLineDevices, "central_line_devices")      /* Device.type */                                    \
  X(kCentralLineInsertion, "central_line_insertion")  /* Procedure.code */                                 \
  X(kCentralLineRemoval, "central_line_removal")      /* Procedure.code */                                 \
  X(kHemodialysisProcedures, "hemodialysis_procedures")  /* Procedure.code */                              \
  X(kEctProcedures, "ect_procedures")                 /* Procedure.code */                                 \
  X(kPenicillinAllergy, "penicillin_allergy")         /* AllergyIntolerance.code */                        \
  X(kNoKnownAllergy, "no_known_allergy")              /* AllergyIntolerance.code */                        \
  X(kAnaphylaxis, "anaphylaxis")                      /* AllergyIntolerance.reaction.manifestation */      \
  X(kSevereSeverity, "severe_severity")               /* Condition.severity */                             \
  X(kSevereMucositisConditions, "severe_mucositis_conditions")  /* Condition.code, with a severe severity */

enum class FhirCodeList : std::uint8_t {
#define NMSCDS_ENUM(e, name) e,
  NMSCDS_FHIR_CODE_LISTS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
      kCount
};
inline constexpr std::size_t kFhirCodeListCount = static_cast<std::size_t>(FhirCodeList::kCount);
std::string_view FhirCodeListName(FhirCodeList list);  // "finding_codes"; the entry id is "fhir." + name

struct FhirCode {
  std::string system;   // code system URI
  std::string code;
  std::string meaning;  // from the list's vocabulary; empty where the list has none
  bool prefix = false;  // ICD codes: matched by prefix on the dotted code
};

struct FhirCodeListDef {
  std::string id;  // "fhir.finding_codes"
  std::vector<FhirCode> codes;
};

struct Reference {
  std::string id;  // "reulbach-2007"
  std::string citation;
};

struct TextEntry {
  std::string id;  // "plan.ICU_TRANSFER"
  std::string text;
  std::vector<std::string> refs;  // reference ids cited by the item that uses this text
  std::vector<TemplatePart> parts;  // `text` cut at its placeholders (Finalize)
};

// One knowledge-base file as read (path and bytes), for hashing and `kb verify`.
struct KbFile {
  std::string path;
  std::string bytes;
  std::string declared_sha256;  // from kb.json
};

class KnowledgeBase {
 public:
  std::string version;  // "2026.11.0"
  std::string sha256;   // interfaces.md §11
  std::vector<KbFile> files;

  Params params;
  std::vector<DrugClass> classes;
  std::vector<Drug> drugs;
  std::array<ObservationKindDef, kObsKindCount> kinds;
  std::vector<std::pair<std::string, std::string>> unit_aliases;  // "°C" -> "Cel" (FHIR units)
  std::vector<ConceptDef> concepts;
  std::array<FhirCodeListDef, kFhirCodeListCount> fhir_codes;
  std::vector<Reference> references;
  std::array<TextEntry, kTextIdCount> texts;
  // Every entry id of every file -> file path (for `kb list/show` and uniqueness).
  std::map<std::string, std::string, std::less<>> entry_files;

  // --- Lookups used by readers and the engine ---------------------------------------------------------
  int FindDrug(std::string_view id) const;  // index or -1
  // The drugs the engine's rules name one by one, as FindDrug finds them (set by Finalize, so that an
  // assessment does not look up their ids again).
  struct RuleDrugs {
    int dantrolene = -1, bromocriptine = -1, amantadine = -1, ceftazidime = -1, vancomycin = -1,
        aztreonam = -1, ciprofloxacin = -1, clindamycin = -1;
  };
  const RuleDrugs& rule_drugs() const { return rule_drugs_; }
  const Drug& drug(int index) const { return drugs[static_cast<std::size_t>(index)]; }
  const DrugClass& PrimaryClass(int drug_index) const;
  // Ingredients for an RxNorm code; empty when the code is unknown.
  const std::vector<int>& DrugsByRxcui(std::string_view rxcui) const;
  // Ingredients whose id, synonym or long-acting synonym occurs in `name` as whole words (any case).
  std::vector<int> DrugsByName(std::string_view name) const;
  // True when `name` names a depot product of one of its ingredients, or contains a depot marker
  // (decanoate, palmitate, pamoate, enanthate, "depot", "long-acting injectable").
  bool NamesLongActing(std::string_view name) const;

  const ObservationKindDef& kind(ObsKind k) const { return kinds[static_cast<std::size_t>(k)]; }
  const ObservationKindDef* FindKindByName(std::string_view name) const;
  const ObservationKindDef* FindKindByLoinc(std::string_view code) const;
  // True when `code` is the LOINC code of a panel of some kind (blood-pressure panel 85354-9, ...).
  bool IsPanelLoinc(std::string_view code) const;

  // Concepts matched by a condition's code (SNOMED exact, ICD-10-CM prefix) or, without a code, its text.
  std::uint32_t MatchConcepts(std::string_view system, std::string_view code, std::string_view text) const;

  // The entry of a FHIR code list that a coding matches (exactly, or by prefix where the entry says so);
  // nullptr when none does.
  const FhirCode* FindFhirCode(FhirCodeList list, std::string_view system, std::string_view code) const;

  const TextEntry& text(TextId id) const { return texts[static_cast<std::size_t>(id)]; }
  const Reference* FindReference(std::string_view id) const;
  // Position of a reference in `references`, or -1.
  int ReferenceIndex(std::string_view id) const;
  // Positions in `references`, in the order of their ids.
  const std::vector<int>& ReferencesById() const { return references_by_id_; }

  // Index structures built by Finalize().
  void Finalize();

 private:
  // Hash lookups by std::string_view without building a std::string (C++20 transparent lookup).
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, TransparentHash, std::equal_to<>>;

  StringMap<std::vector<int>> by_rxcui_;
  RuleDrugs rule_drugs_;
  StringMap<int> by_id_;
  StringMap<int> reference_index_;
  std::vector<int> references_by_id_;
  StringMap<std::size_t> kind_by_loinc_;  // LOINC -> index in `kinds`
  StringMap<std::size_t> panel_loincs_;   // panel LOINC -> index in `kinds`
  WordPhraseIndex drug_names_;         // id, synonyms and long-acting synonyms -> drug index
  WordPhraseIndex long_acting_names_;  // long-acting synonyms and depot markers
  WordPhraseIndex concept_texts_;      // condition texts -> ConceptId
  // MatchConcepts' codes: SNOMED codes -> concept bits; ICD-10-CM prefixes (with their concept's bit) by
  // their first kIcdCategoryLength characters in upper case, and the rare shorter prefixes apart. A
  // condition's code is compared with the prefixes of its own category only, not with all of them.
  static constexpr std::size_t kIcdCategoryLength = 3;
  StringMap<std::uint32_t> snomed_concepts_;
  StringMap<std::vector<std::pair<std::string, std::uint32_t>>> icd_prefixes_by_category_;
  std::vector<std::pair<std::string, std::uint32_t>> short_icd_prefixes_;
};

constexpr std::uint32_t ConceptBit(ConceptId c) { return 1u << static_cast<unsigned>(c); }

// Loading (kb_loader.cc). Both return kInvalidInput with every problem listed when the knowledge base
// fails verification (a knowledge base that fails verification is never used), kUnreadable when a file
// cannot be read.
Result<std::shared_ptr<const KnowledgeBase>> LoadEmbeddedKnowledgeBase();
Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseDir(const std::string& dir);

// Full cross-reference verification (kb_verify.cc): every referenced id exists, every drug has a known
// class, no code is duplicated, every text id the engine uses exists with only known placeholders,
// every file hash matches kb.json. Returns the problems found (empty = ok).
std::vector<Issue> VerifyKnowledgeBase(const KnowledgeBase& kb);

}  // namespace nmscds
