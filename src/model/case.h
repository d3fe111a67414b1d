#pragma once
// The case model: one patient at one moment (T0), as every input channel delivers it to the engine.
//
// Readers (native case, FHIR Bundle, CDS prefetch, Bulk NDJSON) produce a Case; the engine reads only
// this. Values are already converted to canonical units and rounded to canonical precision
// (clinical §0.3, §13.3). Nothing here applies a clinical rule: windows, freshness and "unknown" logic are
// the engine's (clinical §0.2); a member that was not supplied is represented as such (nullopt, kUnknown,
// `*_supplied = false`), never as a normal value.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nmscds/fixed.h"
#include "common/time_util.h"
#include "common/tri.h"
#include "model/kinds.h"

namespace nmscds {

enum class Comparator : std::uint8_t { kNone, kLt, kLe, kGe, kGt };

enum class TempRoute : std::uint8_t {
  kNotGiven,
  kOral,
  kRectal,
  kAxillary,
  kTympanic,
  kTemporal,
  kCore,
  kBladder,
  kEsophageal,
  kUnknown
};
std::string_view TempRouteName(TempRoute r);  // "" for kNotGiven

struct Observation {
  ObsKind kind = ObsKind::kTemperature;
  Fixed value;  // canonical unit, canonical precision
  Comparator comparator = Comparator::kNone;
  Instant time = 0;
  TempRoute route = TempRoute::kNotGiven;
  std::optional<Fixed> ref_low;   // canonical
  std::optional<Fixed> ref_high;  // canonical; the ULN when present
  bool baseline = false;
  std::string source;  // "/observations/3" or a FHIR path
};

enum class MedStatus : std::uint8_t {
  kActive,
  kOnHold,
  kStopped,
  kCompleted,
  kPlanned,
  kNotTaken,
  kEnteredInError,
  kUnknown
};

enum class MedRoute : std::uint8_t {
  kNotGiven,
  kOral,
  kEnteralTube,
  kIv,
  kIm,
  kSc,
  kTransdermal,
  kRectal,
  kInhaled,
  kSublingual,
  kIntranasal,
  kIntrathecal,
  kTopical,
  kOther,
  kUnknown
};

struct Administration {
  Instant at = 0;
  std::optional<Fixed> dose_mg;
  std::optional<Fixed> dose_mg_per_kg;
  std::string source;  // "/medications/3/administrations/0"
};

struct Medication {
  std::string name;    // as written
  std::string rxnorm;  // as written; may be empty
  // Knowledge-base ingredient indices (KnowledgeBase::drugs). Empty = not in the knowledge base.
  // A combination product names several ingredients.
  std::vector<int> ingredients;
  // False only for a FHIR medication that could not be identified at all (interfaces §4.8): the engine
  // treats it as an undetermined entry that might be a dopamine antagonist.
  bool identified = true;
  MedRoute route = MedRoute::kNotGiven;
  MedStatus status = MedStatus::kActive;
  std::optional<Instant> start;
  std::optional<Instant> stop;
  std::optional<Instant> last_administered;  // explicit, or the latest administration
  bool long_acting = false;
  std::optional<Fixed> long_acting_interval_days;
  bool used_as_antiemetic = false;
  std::string dose;        // free text, shown, never parsed
  std::string indication;  // free text
  std::vector<Administration> administrations;
  std::string source;  // "/medications/2"
  std::string kind;    // FHIR resource type the entry was read from (input.ignored kind); empty for a native case
};

enum class Rigidity : std::uint8_t { kUnknown, kNone, kMild, kModerate, kSevere, kPresentUngraded };
enum class MentalStatus : std::uint8_t { kUnknown, kNormal, kConfused, kDelirious, kCatatonic, kStupor, kComa };
enum class BowelSounds : std::uint8_t { kUnknown, kNormal, kHyperactive, kDecreased, kAbsent };

std::string_view RigidityName(Rigidity r);        // "none", "mild", ..., "present_ungraded"; "" unknown
std::string_view MentalStatusName(MentalStatus m);  // "normal", ...; "" unknown
std::string_view BowelSoundsName(BowelSounds b);

// Boolean findings (interfaces.md §2.4), in schema order.
#define NMSCDS_FINDINGS(X)                                \
  X(kRigidityRefractory, "rigidity_refractory")           \
  X(kCatatonia, "catatonia")                              \
  X(kCatatoniaPersistent, "catatonia_persistent")         \
  X(kDiaphoresis, "diaphoresis")                          \
  X(kAutonomicInstability, "autonomic_instability")       \
  X(kUrinaryIncontinence, "urinary_incontinence")         \
  X(kUrinaryRetention, "urinary_retention")               \
  X(kTremor, "tremor")                                    \
  X(kSpontaneousClonus, "spontaneous_clonus")             \
  X(kInducibleClonus, "inducible_clonus")                 \
  X(kOcularClonus, "ocular_clonus")                       \
  X(kHyperreflexia, "hyperreflexia")                      \
  X(kHyporeflexia, "hyporeflexia")                        \
  X(kHypertonia, "hypertonia")                            \
  X(kAgitation, "agitation")                              \
  X(kMutism, "mutism")                                    \
  X(kMydriasis, "mydriasis")                              \
  X(kDrySkin, "dry_skin")                                 \
  X(kSialorrhea, "sialorrhea")                            \
  X(kDysphagia, "dysphagia")                              \
  X(kNeckStiffness, "neck_stiffness")                     \
  X(kHeadache, "headache")                                \
  X(kActivePsychosis, "active_psychosis")                 \
  X(kHypercarbia, "hypercarbia")                          \
  X(kMasseterRigidity, "masseter_rigidity")

enum class Finding : std::uint8_t {
#define NMSCDS_ENUM(e, name) e,
  NMSCDS_FINDINGS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
      kCount
};
inline constexpr std::size_t kFindingCount = static_cast<std::size_t>(Finding::kCount);
std::string_view FindingName(Finding f);

struct Findings {
  std::optional<Instant> assessed_at;  // default T0 (applied by the engine)
  Rigidity rigidity = Rigidity::kUnknown;
  MentalStatus mental_status = MentalStatus::kUnknown;
  BowelSounds bowel_sounds = BowelSounds::kUnknown;
  std::array<Tri, kFindingCount> flags;
  // Evidence source of each finding ("/findings/diaphoresis"); empty when not supplied.
  std::string rigidity_source, mental_status_source, bowel_sounds_source;
  std::array<std::string, kFindingCount> sources;

  Findings() { flags.fill(Tri::kUnknown); }
  Tri get(Finding f) const { return flags[static_cast<std::size_t>(f)]; }
  const std::string& source(Finding f) const { return sources[static_cast<std::size_t>(f)]; }
};

enum class IvAccess : std::uint8_t { kUnknown, kCentral, kLargeBorePeripheral, kPeripheral, kPoor, kNone };
enum class Malignancy : std::uint8_t { kUnknown, kSolid, kHematologic, kNone };
enum class Burden : std::uint8_t { kUnknown, kNoneMild, kModerate, kSevere };
enum class PenicillinAllergy : std::uint8_t { kUnknown, kNone, kNonSevere, kSevere };
enum class Location : std::uint8_t { kUnknown, kIcu, kOther };
enum class Sex : std::uint8_t { kUnknown, kFemale, kMale, kOther };

std::string_view IvAccessName(IvAccess a);
std::string_view MalignancyName(Malignancy m);
std::string_view BurdenName(Burden b);
std::string_view PenicillinAllergyName(PenicillinAllergy p);
std::string_view LocationName(Location l);
std::string_view SexName(Sex s);

// Boolean context items (interfaces.md §2.6), named as in the case format.
#define NMSCDS_CONTEXT_FLAGS(X)                                          \
  X(kCentralLine, "central_line")                                        \
  X(kSuspectedCatheterInfection, "suspected_catheter_infection")         \
  X(kMrsaColonized, "mrsa_colonized")                                    \
  X(kVreColonized, "vre_colonized")                                      \
  X(kPrspColonized, "prsp_colonized")                                    \
  X(kHemodynamicallyUnstable, "hemodynamically_unstable")                \
  X(kPneumonia, "pneumonia")                                             \
  X(kSkinSoftTissueInfection, "skin_soft_tissue_infection")              \
  X(kGramPositiveBacteremia, "gram_positive_bacteremia")                 \
  X(kSevereMucositis, "severe_mucositis")                                \
  X(kFluoroquinoloneProphylaxis, "fluoroquinolone_prophylaxis")          \
  X(kCeftazidimeEmpiric, "ceftazidime_empiric")                          \
  X(kAncExpectedToFall, "anc_expected_to_fall")                          \
  X(kRecentChemotherapy, "recent_chemotherapy")                          \
  X(kUncontrolledPrimaryDisease, "uncontrolled_primary_disease")         \
  X(kInvasiveFungalInfection, "invasive_fungal_infection")               \
  X(kPreviousFungalInfection, "previous_fungal_infection")               \
  X(kSepsis, "sepsis")                                                   \
  X(kHospitalizedAtFeverOnset, "hospitalized_at_fever_onset")            \
  X(kOutpatientAtFeverOnset, "outpatient_at_fever_onset")                \
  X(kCopd, "copd")                                                       \
  X(kDehydrationRequiringIvFluids, "dehydration_requiring_iv_fluids")    \
  X(kLiverDisease, "liver_disease")                                      \
  X(kEnteralRouteAvailable, "enteral_route_available")                   \
  X(kDialysis, "dialysis")                                               \
  X(kHeatExposure, "heat_exposure")                                      \
  X(kWorkupNegative, "workup_negative_for_other_causes")                 \
  X(kEctInProgress, "ect_in_progress")                                   \
  X(kHistoryOfNms, "history_of_nms")

enum class CtxFlag : std::uint8_t {
#define NMSCDS_ENUM(e, name) e,
  NMSCDS_CONTEXT_FLAGS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
      kCount
};
inline constexpr std::size_t kCtxFlagCount = static_cast<std::size_t>(CtxFlag::kCount);
std::string_view CtxFlagName(CtxFlag f);

struct Anesthesia {
  Tri volatile_agent = Tri::kUnknown;
  Tri succinylcholine = Tri::kUnknown;
  std::optional<Instant> at;
  std::string source;  // "/context/anesthesia"
};

struct Context {
  std::array<Tri, kCtxFlagCount> flags;
  std::array<std::string, kCtxFlagCount> sources;  // "/context/<name>"; empty when not supplied
  IvAccess iv_access = IvAccess::kUnknown;
  Malignancy malignancy = Malignancy::kUnknown;
  Burden burden_of_illness = Burden::kUnknown;
  PenicillinAllergy penicillin_allergy = PenicillinAllergy::kUnknown;
  Location location = Location::kUnknown;
  std::string iv_access_source, malignancy_source, burden_source, penicillin_allergy_source, location_source;
  std::optional<Fixed> expected_neutropenia_days;
  std::string expected_neutropenia_days_source;
  std::optional<Instant> antibiotics_started_at;
  std::optional<Instant> fever_onset_at;
  std::optional<Instant> last_chemotherapy_at;
  std::string last_chemotherapy_source;
  Anesthesia anesthesia;

  Context() { flags.fill(Tri::kUnknown); }
  Tri get(CtxFlag f) const { return flags[static_cast<std::size_t>(f)]; }
  const std::string& source(CtxFlag f) const { return sources[static_cast<std::size_t>(f)]; }
};

enum class ConditionStatus : std::uint8_t { kActive, kPast, kRefuted };

struct Condition {
  std::string system;  // "http://snomed.info/sct" | "http://hl7.org/fhir/sid/icd-10-cm" | ""
  std::string code;
  std::string text;
  ConditionStatus status = ConditionStatus::kActive;
  std::optional<Instant> onset;
  std::uint32_t concepts = 0;  // ConceptBit(...) set by the reader through KnowledgeBase::MatchConcepts
  std::string source;
};

struct Procedure {  // v1: ECT treatments only
  Instant time = 0;
  std::string source;
};

struct Weight {
  Fixed kg;  // rounded to 0.1 kg
  std::optional<Instant> measured_at;  // none = current (DF-21)
  std::string source;
};

// kFhirBulk: one patient of a Bulk Data screen (§7.3); the screen writes §10 lines, never this report member.
enum class InputFormat : std::uint8_t { kNativeCase, kFhirBundle, kCdsHooks, kFhirBulk };
enum class AssessedAtSource : std::uint8_t { kInput, kOverride, kBundleTimestamp, kClock, kRequest };

// An ignored-input counter (interfaces.md §5.4 `input.ignored`).
struct IgnoredCount {
  std::string kind;    // FHIR resource type or native array name
  std::string reason;  // unsupported_resource_type | not_in_knowledge_base | ...
  int count = 0;
};

// A warning produced while reading the input (INPUT_* codes, UNIT_UNSUPPORTED from CDS/screen).
struct InputWarning {
  std::string code;
  std::string text;
  std::vector<std::pair<std::string, std::string>> facts;  // (name, value) with value as text
  std::vector<std::string> sources;                        // one per fact, may be empty
};

struct InputInfo {
  InputFormat format = InputFormat::kNativeCase;
  std::string sha256;
  std::string bundle_type;  // FHIR only
  AssessedAtSource assessed_at_source = AssessedAtSource::kInput;
  int read = 0;
  int used = 0;  // filled by the engine
  std::vector<IgnoredCount> ignored;
  std::vector<std::string> unavailable;  // CDS prefetch keys
};

struct Case {
  std::string patient_id;
  std::optional<int> age_years;
  std::string age_source;  // "/patient/age_years" or "/patient/birth_date"
  Sex sex = Sex::kUnknown;
  std::string sex_source;
  std::optional<Weight> weight;
  std::optional<Fixed> height_cm;

  Instant assessed_at = 0;  // T0
  std::optional<Instant> episode_onset;
  bool clinician_suspected_nms = false;
  std::string clinician_suspected_source;

  std::vector<Observation> observations;  // an absent list is an empty list: "none of that kind"
  bool medications_supplied = false;      // absent list = medication history unknown
  std::vector<Medication> medications;
  bool conditions_supplied = false;
  std::vector<Condition> conditions;
  bool procedures_supplied = false;
  std::vector<Procedure> procedures;
  Findings findings;
  Context context;

  InputInfo input;
  std::vector<InputWarning> input_warnings;
};

}  // namespace nmscds
