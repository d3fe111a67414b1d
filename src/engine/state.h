#pragma once
// Internal state of one assessment. Each engine file fills one part of it, in the order of clinical.md:
//
//   exposure.cc            §3.2 medication intervals; DF-11..DF-18, DF-22, DF-28 (medication facts)
//   facts.cc               DF-01..DF-10, DF-19..DF-27, DF-29..DF-32 (observation and finding facts)
//   scores.cc              §4 IEC, Woodbury, MASCC, Hunter, Cockcroft-Gault
//   decision.cc            §5 NMS suspicion, §6 dantrolene decision and regimen
//   therapy.cc             §7 alternatives (ALT-x, PREF-x), lorazepam, ECT
//   febrile_neutropenia.cc §9 empirical antibiotics, VANC-x, G-x, AF-1
//   plan.cc                §8 the step 1-4 plan and monitoring items
//   differential.cc        §10 differential diagnosis
//   advisories.cc          §11 warnings, §15 notes
//   missing_data.cc        §12 missing data
//   engine.cc              orchestration and the report's summary sections
//
// Facts are tri-state (Tri) or optional values; "unknown" is never read as normal (§0.2).
#include <array>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "common/text.h"
#include "common/tri.h"
#include "kb/knowledge_base.h"
#include "model/case.h"
#include "nmscds/report.h"

namespace nmscds::engine {

// One observation as the rules see it: `value` is the effective value (a comparator is resolved in the
// cautious direction, interfaces §2.3), `obs` the original.
struct Reading {
  Fixed value;
  Instant at = 0;
  const Observation* obs = nullptr;
};

// A laboratory value with the upper limit of normal it is compared with (clinical §3.3).
struct LabValue {
  Reading reading;
  Fixed uln;
  bool uln_from_range = false;
};

// A medication entry with its exposure interval (clinical §3.2).
struct MedEntry {
  const Medication* med = nullptr;
  Instant assessed_at = 0;    // T0 (for LastExposure in facts)
  bool excluded = false;      // not_taken, entered_in_error, planned, or started after T0
  bool undetermined = false;  // no times and status other than active
  std::optional<Instant> start;  // nullopt = unknown start (-infinity)
  std::optional<Instant> end;    // nullopt = open (+infinity)
  std::optional<Instant> natural_end;  // end before the depot extension
  bool depot_extended = false;
  std::vector<Instant> administrations;  // at or before T0, ascending
  std::uint32_t roles = 0;              // union of the ingredients' roles

  bool ExposedWithin(Instant t0, Instant window) const;
  bool Active(Instant t0, Instant window_active) const { return ExposedWithin(t0, window_active); }
  bool HasIngredient(int drug) const;
  // The last moment of exposure at or before T0 (end, or T0 while running).
  std::optional<Instant> LastExposure(Instant t0) const;
};

// A D2 antagonist (or dopaminergic) agent as reported in nms.trigger.agents.
struct AgentExposure {
  int drug = -1;
  std::string exposure;  // active | ended | long_acting_window | withdrawn | undetermined
  std::optional<Instant> last_exposure;
  std::vector<const MedEntry*> entries;
};

struct MedicationFacts {
  bool list_supplied = false;
  // DF-11
  std::string pattern;  // none | monotherapy | polypharmacy | unknown
  std::vector<AgentExposure> d2_counted;       // D, sorted by name
  std::vector<AgentExposure> d2_undetermined;  // U
  int unidentified_count = 0;                  // FHIR medications that could not be identified (U)
  bool antiemetic_counted = false;
  std::vector<const MedEntry*> antiemetic_entries;
  std::vector<const MedEntry*> lithium_active;
  // DF-12
  Tri withdrawal_72h = Tri::kUnknown;
  Tri stop_14d = Tri::kUnknown;
  std::vector<AgentExposure> withdrawn;  // dopaminergic stop events within 14 days
  std::vector<const MedEntry*> dopaminergic_undetermined;
  bool dopaminergic_undetermined_blocks = false;  // DF-12 unknown because of an undetermined entry
  // DF-13
  Tri trigger = Tri::kUnknown;
  std::string trigger_type;  // d2_antagonist | withdrawal | both | none | unknown
  // DF-14, DF-15
  Tri serotonergic = Tri::kUnknown;
  std::vector<const MedEntry*> serotonergic_entries;
  Tri anticholinergic = Tri::kUnknown;
  std::vector<const MedEntry*> anticholinergic_entries;
  // DF-16
  Tri mh_exposure = Tri::kUnknown;
  std::optional<Instant> mh_first_exposure;
  std::vector<std::string> mh_agents;  // "succinylcholine", "sevoflurane", "volatile anaesthetic"
  std::vector<Fact> mh_agent_facts;
  // DF-17
  std::optional<int> concurrent_count;  // nullopt = unknown
  std::vector<std::string> concurrent_members;  // bromocriptine, amantadine, ECT
  bool ect_status_known = false;
  bool ect_active = false;
  std::vector<const MedEntry*> concurrent_unknown_start;
  std::set<int> df17_counted_drugs;  // bromocriptine/amantadine counted by DF-17
  // DF-18
  Tri ccb_non_dhp = Tri::kUnknown;
  Tri ccb_dhp = Tri::kUnknown;
  std::vector<const MedEntry*> ccb_non_dhp_entries, ccb_dhp_entries;
  std::vector<const MedEntry*> ccb_non_dhp_undetermined;  // makes DF-18 unknown (gate: exposure_pattern_unknown)
  // DF-22
  std::optional<Fixed> prior_dantrolene_mg;  // nullopt = unknown
  bool dantrolene_given_24h = false;           // any administration within 24 h
  std::optional<Instant> oldest_dantrolene_dose;
  std::vector<const MedEntry*> dantrolene_amount_missing;  // entries blocking DF-22
  std::vector<Fact> dantrolene_facts;
  // DF-28
  Tri empiric_active = Tri::kUnknown;
  std::optional<Instant> antibiotic_start;  // start of the qualifying chain
  std::optional<Fixed> antibiotic_hours;    // nullopt = unknown
  std::vector<const MedEntry*> empiric_entries;
  bool vancomycin_active = false;
  bool ceftazidime_active = false;
  bool mould_azole_active = false;
  std::vector<const MedEntry*> mould_azole_entries;
  // Last cytotoxic chemotherapy found in the medication list (input of DF-31).
  std::optional<Instant> last_chemo_from_meds;
  // Active dopaminergic therapies (ALT-2): drug index -> entry.
  std::vector<const MedEntry*> bromocriptine_active, amantadine_active;
};

// The labs BASELINE_LABS asks for when they have no result within 24 h (§8.2): kind, fact id, display name.
struct BaselineLab {
  ObsKind kind;
  const char* id;
  TextId name;
};
inline constexpr BaselineLab kBaselineLabs[] = {
    {ObsKind::kAlt, "alt", TextId::kLabAlt},
    {ObsKind::kAst, "ast", TextId::kLabAst},
    {ObsKind::kBilirubinTotal, "total_bilirubin", TextId::kLabBilirubin},
    {ObsKind::kCk, "ck", TextId::kLabCk},
    {ObsKind::kAnc, "anc", TextId::kLabAnc},
    {ObsKind::kCreatinine, "creatinine", TextId::kLabCreatinine},
    {ObsKind::kPotassium, "potassium", TextId::kLabPotassium}};

struct ClinicalFacts {
  // Findings after the 24 h freshness rule (§3.1).
  bool findings_fresh = false;
  Rigidity rigidity = Rigidity::kUnknown;
  MentalStatus mental_status = MentalStatus::kUnknown;
  BowelSounds bowel_sounds = BowelSounds::kUnknown;
  std::array<Tri, kFindingCount> finding{};
  Tri rigidity_refractory = Tri::kFalse;  // not supplied = false (B2)

  // DF-02..DF-05
  Tri hyperthermia = Tri::kUnknown;        // DF-02
  Tri iec_hyperthermia = Tri::kUnknown;    // DF-03
  std::vector<Reading> iec_occasions;      // readings > 38.0 within 72 h
  std::optional<Reading> tmax_24h, tmax_72h;
  std::optional<Reading> hr_max_24h, rr_max_24h, sbp_max_24h, sbp_min_24h, dbp_max_24h, dbp_min_24h;
  std::optional<Reading> gcs_latest;  // within 24 h
  // Baseline vitals (§3.1)
  std::optional<Reading> baseline_hr, baseline_sbp, baseline_dbp, baseline_rr;
  // DF-06..DF-08
  Tri rigidity_present = Tri::kUnknown;
  Tri mental_status_altered = Tri::kUnknown;
  Tri autonomic = Tri::kUnknown;
  Tri tachycardia = Tri::kUnknown;         // (c)
  Tri bp_elevation = Tri::kUnknown;        // (d)
  Tri bp_fluctuation = Tri::kUnknown;      // (e)
  std::vector<Fact> autonomic_evidence;
  // DF-09
  std::optional<LabValue> ck_max_ratio;  // the CK with the highest ratio within 72 h
  std::optional<Reading> ck_max;
  Tri ck_ge_4x = Tri::kUnknown;
  Tri ck_gt_5x = Tri::kUnknown;
  Fixed ck_ratio_max;
  // DF-10
  int cardinal_present = 0;
  int cardinal_unknown = 0;
  // DF-19
  Tri liver_disease = Tri::kUnknown;
  std::string liver_disease_source;
  std::string liver_disease_detail;
  std::optional<LabValue> alt, ast, bilirubin;
  Tri alt_above = Tri::kUnknown, ast_above = Tri::kUnknown, bilirubin_above = Tri::kUnknown;
  std::string hepatic_status;  // dysfunction | normal | unknown
  // DF-20, DF-21
  std::string iv_access_class;  // adequate | conditional | inadequate | unknown
  std::optional<Fixed> weight_kg;
  std::optional<Instant> weight_at;
  // DF-23..DF-26
  Tri fn_fever = Tri::kUnknown;
  std::string fn_fever_basis;
  std::optional<Reading> anc_latest;  // within 48 h
  Tri neutropenia = Tri::kUnknown;
  Tri profound_neutropenia = Tri::kUnknown;
  Tri fn_status = Tri::kUnknown;
  bool fn_presumed = false;
  Tri hypotension_24h = Tri::kUnknown;
  Tri hemodynamic_instability = Tri::kUnknown;
  // DF-27
  std::optional<Fixed> crcl;
  std::optional<Reading> creatinine_latest;  // within 24 h
  bool crcl_sex_assumed_female = false;
  // DF-29..DF-32
  Tri catatonia_present = Tri::kUnknown;
  Tri recent_chemotherapy = Tri::kUnknown;
  Malignancy malignancy = Malignancy::kUnknown;  // from context, else conditions
  bool malignancy_known_present = false;          // some malignancy, type possibly unspecified
  Tri copd = Tri::kUnknown;
  Tri sepsis = Tri::kUnknown;
  Tri previous_fungal = Tri::kUnknown;
  Tri invasive_fungal = Tri::kUnknown;
  Tri hypertonia = Tri::kUnknown;
  Tri fn_high_risk = Tri::kFalse;
  std::optional<Reading> potassium_latest;  // within 24 h
  // Labs for BASELINE_LABS (§8.2) without a result within 24 h, in the order of kBaselineLabs
  std::vector<const BaselineLab*> stale_labs;
  bool default_uln_used = false;
  std::vector<Fact> default_uln_facts;
  bool non_oral_temperature_used = false;
  // DF-16 features and the MH suspicion (exposure is in MedicationFacts).
  Tri mh_features = Tri::kUnknown;
  Tri mh_suspected = Tri::kUnknown;
  std::vector<std::string> mh_feature_names;
  std::vector<Fact> mh_feature_facts;
};

struct Scores {
  // IEC (§4.1): state of C1..C8 and their evidence
  std::array<Tri, 8> iec{};
  std::array<std::vector<Fact>, 8> iec_evidence;
  int iec_points = 0;
  int iec_max_possible = 0;
  // Woodbury (§4.2)
  std::string stage;  // I..V | unknown | not_staged
  int stage_rank = 0;  // 1..5 for I..V; 0 otherwise
  bool stage_lower_bound = false;
  std::vector<WoodburyDriver> stage_drivers;
  // MASCC (§4.3)
  bool mascc_computed = false;
  int mascc_points = 0;
  int mascc_max = 0;
  std::string mascc_risk = "not_applicable";
  std::vector<MasccItem> mascc_items;
  bool mascc_any_unknown = false;
  // Hunter (§4.4)
  std::array<Tri, 5> hunter{};
  Tri hunter_met = Tri::kUnknown;
};

struct DecisionState {
  std::string suspicion;       // high | possible | unlikely
  std::string suspicion_rule;  // S-1..S-5 token
  bool pathway = false;        // NMS pathway runs (§5)
  std::string decision;
  bool mh = false;
  // Reasons by row (DEC-3, DEC-4, DEC-5) as evaluated, whatever row decided.
  std::vector<Reason> dec3, dec4, dec5;
};

struct TherapyState {
  std::string alt_rule;   // ALT-0..ALT-5
  std::string pref_rule;  // PREF-1..PREF-4
  int preferred = -1;     // drug index of the preferred agent (bromocriptine or amantadine)
  std::string serotonin_status;  // the differential status used by PREF-1 and warnings
  bool restart_emitted = false;
};

struct State {
  State(const Case& c, const KnowledgeBase& k);

  const Case& in;
  const KnowledgeBase& kb;
  const Params& p;
  Instant t0;
  // False for the screen (RunEngineForScreen): the facts only a report shows are not built where they
  // cost (the IEC evidence, the Woodbury drivers of step 2). No rule reads them.
  bool report_evidence = true;

  // Drug indices the rules name individually (found when the knowledge base loads).
  const KnowledgeBase::RuleDrugs& drug;

  // Episode readings per kind (not baseline, at or before T0), ascending by time then value.
  std::array<std::vector<Reading>, kObsKindCount> readings;
  std::array<std::vector<Reading>, kObsKindCount> baselines;
  std::vector<MedEntry> meds;
  std::vector<Fact> after_t0;  // inputs ignored because they are timed after T0

  MedicationFacts m;
  ClinicalFacts c;
  Scores s;
  DecisionState d;
  TherapyState t;
  Report r;

  // Readings of a kind within [t0 - window, t0].
  std::span<const Reading> Within(ObsKind kind, Instant window) const;
  // Latest reading within the window; ties take the worse value (§0.1).
  std::optional<Reading> Latest(ObsKind kind, Instant window) const;
  Tri Find(Finding f) const { return c.finding[static_cast<std::size_t>(f)]; }
  Tri Ctx(CtxFlag f) const { return in.context.get(f); }

  // Text of a knowledge-base template, filled.
  std::string Text(TextId id, std::initializer_list<TextArg> args = {}) const;
  const std::vector<std::string>& Refs(TextId id) const { return kb.text(id).refs; }
  // Reason/plan/warning helpers.
  Reason MakeReason(std::string code, std::string rule, TextId id, std::initializer_list<TextArg> args,
                    std::vector<Fact> facts) const;
};

// The direction in which a value is worse for the patient: §0.1 ties, comparator resolution (facts.cc).
bool HigherIsWorse(ObsKind k);

// A vector of facts built by moving (a braced list would copy every fact).
template <typename... Fs>
std::vector<Fact> FactList(Fs&&... facts) {
  std::vector<Fact> v;
  v.reserve(sizeof...(Fs));
  (v.push_back(std::forward<Fs>(facts)), ...);
  return v;
}

// A new empty fact at the end of a list, to be filled in place. The first one reserves room for a few: most
// lists hold one to six facts, and growing 1 -> 2 -> 4 would allocate and move every fact three times.
inline Fact& NewFact(std::vector<Fact>& facts) {
  if (facts.capacity() == 0) facts.reserve(4);
  return facts.emplace_back();
}
inline void AddFact(std::vector<Fact>& facts, Fact&& f) { NewFact(facts) = std::move(f); }

// --- Fact helpers (engine.cc) -----------------------------------------------------------------------
// Each fills `out`, a new (default) Fact, usually NewFact(list): the report's facts are built where they
// stay. The forms without `out` return the fact. `source` is copied.
void ReadingFact(Fact& out, std::string_view name, const Reading& r, const KnowledgeBase& kb);
void LabFact(Fact& out, std::string_view name, const LabValue& v, const KnowledgeBase& kb);
void ValueFact(Fact& out, std::string_view name, Value&& v, std::string_view source = {});
void TriFact(Fact& out, std::string_view name, Tri t, std::string_view source = {});
void MedFact(Fact& out, std::string_view name, const MedEntry& e, const KnowledgeBase& kb);
template <typename... Args>
Fact ReadingFact(std::string_view name, Args&&... args) { Fact f; ReadingFact(f, name, std::forward<Args>(args)...); return f; }
template <typename... Args>
Fact LabFact(std::string_view name, Args&&... args) { Fact f; LabFact(f, name, std::forward<Args>(args)...); return f; }
template <typename... Args>
Fact ValueFact(std::string_view name, Args&&... args) { Fact f; ValueFact(f, name, std::forward<Args>(args)...); return f; }
template <typename... Args>
Fact TriFact(std::string_view name, Args&&... args) { Fact f; TriFact(f, name, std::forward<Args>(args)...); return f; }
template <typename... Args>
Fact MedFact(std::string_view name, Args&&... args) { Fact f; MedFact(f, name, std::forward<Args>(args)...); return f; }
std::string DrugName(const KnowledgeBase& kb, int drug);
// "39.44 °C", "124/min", "2850 U/L": a reading with its unit, for texts.
std::string FormatReading(const Reading& r, const KnowledgeBase& kb);
std::string FormatNumber(Fixed v, int decimals = 6);
// "06:00" on T0's date, else "2026-11-19 21:00" (interfaces §6.2).
std::string FormatWhen(Instant t, Instant t0);

// --- The evaluation steps, in order ------------------------------------------------------------------
void PrepareClinicalInputs(State& st);   // facts.cc: readings, findings freshness, weight (DF-21)
void DeriveMedicationFacts(State& st);   // exposure.cc
void DeriveClinicalFacts(State& st);     // facts.cc
void ComputeScores(State& st);           // scores.cc
void ComputeMascc(State& st);            // scores.cc, called by febrile_neutropenia.cc
void Decide(State& st);                  // decision.cc
void SelectTherapies(State& st);         // therapy.cc (needs the differential's serotonin status)
void AssessDifferential(State& st);      // differential.cc
void PlanFebrileNeutropenia(State& st);  // febrile_neutropenia.cc
void BuildPlan(State& st);               // plan.cc
void AddWarningsAndNotes(State& st);     // advisories.cc
void ListMissingData(State& st);         // missing_data.cc

}  // namespace nmscds::engine
