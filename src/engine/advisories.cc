// Warnings (clinical.md §11.1, interfaces.md §5.12) and seed-versus-guideline notes (clinical.md §15).
#include <algorithm>

#include "common/sort.h"
#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

int SeverityRank(std::string_view s) { return s == "critical" ? 0 : (s == "warning" ? 1 : 2); }

std::string InputWarningSeverity(std::string_view code) {
  if (code == "INPUT_ASSESSED_AT_FROM_CLOCK" || code == "INPUT_DATA_UNAVAILABLE" || code == "UNIT_UNSUPPORTED") {
    return "warning";
  }
  return "info";
}

bool HasReason(const std::vector<Reason>& reasons, std::string_view code) {
  return std::any_of(reasons.begin(), reasons.end(), [&](const Reason& r) { return r.code == code; });
}

bool HasPlan(const Report& r, std::string_view id) {
  return std::any_of(r.plan.begin(), r.plan.end(), [&](const PlanItem& p) { return p.id == id; });
}

}  // namespace

void AddWarningsAndNotes(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  const std::string& decision = st.d.decision;
  const bool consider = decision == "consider";
  const bool mh = st.d.mh;
  const bool pathway_or_mh = st.d.pathway || mh;
  const bool fn = IsTrue(c.fn_status) || c.fn_presumed;
  std::vector<Warning>& out = st.r.warnings;
  auto add = [&](const char* code, const char* severity, TextId id, std::initializer_list<TextArg> args,
                 std::vector<Fact> facts) {
    out.push_back(Warning{code, severity, st.Text(id, args), std::move(facts), st.Refs(id)});
  };

  if (mh) add("MALIGNANT_HYPERTHERMIA_SUSPECTED", "critical", TextId::kWarnMh, {{"agents", JoinAnd(m.mh_agents)}}, m.mh_agent_facts);
  if (fn && !IsTrue(m.empiric_active)) {
    std::vector<Fact> facts;
    AddFact(facts, c.anc_latest ? ReadingFact("anc", *c.anc_latest, st.kb) : ValueFact("anc", Value::Unknown()));
    add("ANTIBIOTICS_NO_DELAY", "critical", TextId::kWarnAntibioticsNoDelay,
        {{"minutes", FormatNumber(st.p.antibiotic_first_dose_min)}}, std::move(facts));
  }
  if (IsTrue(m.ccb_non_dhp) && pathway_or_mh) {
    std::vector<Fact> facts;
    for (const MedEntry* e : m.ccb_non_dhp_entries) MedFact(NewFact(facts), "ccb_non_dihydropyridine", *e, st.kb);
    std::vector<std::string> names;
    for (const MedEntry* e : m.ccb_non_dhp_entries) names.push_back(e->med->name);
    add("CCB_NON_DIHYDROPYRIDINE", "critical", TextId::kWarnCcbNonDhp, {{"agents", JoinAnd(names)}}, std::move(facts));
  }
  if (consider || decision == "insufficient_data") add("DANTROLENE_NOT_FIRST_LINE", "warning", TextId::kWarnNotFirstLine, {}, {});
  if (st.in.context.iv_access == IvAccess::kPeripheral && (consider || mh)) {
    add("PERIPHERAL_ACCESS", "warning", mh ? TextId::kWarnPeripheralAccessMh : TextId::kWarnPeripheralAccess, {},
        FactList(ValueFact("iv_access", Value::Str("peripheral"), st.in.context.iv_access_source)));
  }
  // COMBINATION_PROLONGS_RECOVERY (§7.1): exactly one DF-17 therapy, or a recommended BROMOCRIPTINE,
  // AMANTADINE or ECT item; an ALT-2 continuation counts only when DF-17 counts its agent.
  if (consider) {
    bool recommended_therapy = false;
    for (const Alternative& a : st.r.alternatives) {
      if (a.status != "recommended" || a.drug == "lorazepam") continue;
      if (st.t.alt_rule == "ALT-2") {
        int drug = a.drug == "bromocriptine" ? st.drug.bromocriptine : st.drug.amantadine;
        if (!m.df17_counted_drugs.count(drug)) continue;
      }
      recommended_therapy = true;
    }
    if ((m.concurrent_count && *m.concurrent_count == 1) || recommended_therapy) {
      add("COMBINATION_PROLONGS_RECOVERY", "warning", TextId::kWarnCombination,
          {{"therapies", JoinAnd(m.concurrent_members)}}, {});
    }
  }
  if ((consider || mh) && !IsFalse(c.neutropenia)) {
    add("EXTRAVASATION_INFECTION_PORTAL", "warning", TextId::kWarnExtravasation, {},
        FactList(TriFact("neutropenia", c.neutropenia)));
  }
  if (consider || mh) add("VTE_RISK", "warning", TextId::kWarnVte, {}, {});
  if (IsTrue(m.ccb_dhp) && pathway_or_mh) {
    std::vector<Fact> facts;
    std::vector<std::string> names;
    for (const MedEntry* e : m.ccb_dhp_entries) {
      MedFact(NewFact(facts), "ccb_dihydropyridine", *e, st.kb);
      names.push_back(e->med->name);
    }
    add("CCB_DIHYDROPYRIDINE", "warning", TextId::kWarnCcbDhp, {{"agents", JoinAnd(names)}}, std::move(facts));
  }
  const bool serotonin_possible = st.t.serotonin_status == "suspected" || st.t.serotonin_status == "possible";
  if (pathway_or_mh && (IsTrue(m.serotonergic) || serotonin_possible)) {
    std::vector<std::string> names;
    std::vector<Fact> facts;
    for (const MedEntry* e : m.serotonergic_entries) {
      for (int d : e->med->ingredients) {
        if (!(st.kb.drug(d).roles & kRoleSerotonergic)) continue;
        std::string n = DrugName(st.kb, d);
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
      MedFact(NewFact(facts), "serotonergic", *e, st.kb);
    }
    std::sort(names.begin(), names.end());
    add("SEROTONERGIC_OVERLAP", "warning", names.empty() ? TextId::kWarnSerotonergicNoAgents : TextId::kWarnSerotonergic,
        {{"agents", JoinAnd(names)}, {"status", st.t.serotonin_status}}, std::move(facts));
  }
  if (decision == "contraindicated" && IsTrue(c.ck_gt_5x) &&
      (HasReason(st.r.dantrolene.reasons, "alt_above_uln") || HasReason(st.r.dantrolene.reasons, "ast_above_uln"))) {
    const bool other = HasReason(st.r.dantrolene.reasons, "bilirubin_above_uln") ||
                       HasReason(st.r.dantrolene.reasons, "liver_disease_known");
    std::vector<Fact> facts;
    if (c.ck_max_ratio) LabFact(NewFact(facts), "ck", *c.ck_max_ratio, st.kb);
    if (IsTrue(c.alt_above)) LabFact(NewFact(facts), "alt", *c.alt, st.kb);
    if (IsTrue(c.ast_above)) LabFact(NewFact(facts), "ast", *c.ast, st.kb);
    add("TRANSAMINASES_MAY_BE_MUSCLE", "warning", other ? TextId::kWarnTransaminasesOther : TextId::kWarnTransaminases,
        {{"ratio", FormatNumber(c.ck_ratio_max.Floor(0))}}, std::move(facts));
  }
  if (IsTrue(c.ck_gt_5x) && pathway_or_mh) {
    const bool aki = c.ck_max && c.ck_max->value > st.p.ck_aki_u_l;
    add("RHABDOMYOLYSIS_RISK", "warning", aki ? TextId::kWarnRhabdomyolysisHigh : TextId::kWarnRhabdomyolysis,
        {{"ck", FormatReading(*c.ck_max, st.kb)}, {"ml_kg_h", FormatNumber(st.p.uo_target_rhabdo)}},
        FactList(LabFact("ck", *c.ck_max_ratio, st.kb)));
  }
  if (consider) add("NO_MORTALITY_GUARANTEE", "info", TextId::kWarnNoMortalityGuarantee, {}, {});
  if (m.antiemetic_counted) {
    std::vector<std::string> names;
    std::vector<Fact> facts;
    for (const MedEntry* e : m.antiemetic_entries) {
      MedFact(NewFact(facts), "d2_antagonist", *e, st.kb);
      names.push_back(e->med->name);
    }
    std::sort(names.begin(), names.end());
    add("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC", "info", TextId::kWarnAntiemeticCounted, {{"agents", JoinAnd(names)}},
        std::move(facts));
  }
  if (c.default_uln_used) {
    std::vector<std::string> items;
    for (const Fact& f : c.default_uln_facts) {
      std::string name = f.name == "bilirubin_total" ? "total bilirubin" : std::string(f.name);
      if (f.name == "alt" || f.name == "ast" || f.name == "ck") name = f.name == "ck" ? "CK" : (f.name == "alt" ? "ALT" : "AST");
      items.push_back(name + " " + FormatNumber(*f.uln) + " " + f.unit);
    }
    add("DEFAULT_ULN_USED", "info", TextId::kWarnDefaultUln, {{"items", JoinAnd(items)}}, c.default_uln_facts);
  }
  if (!st.after_t0.empty()) {
    std::vector<std::string> items;
    for (const Fact& f : st.after_t0) {
      std::string item = f.name;
      if (f.value.type == Value::Type::kString) AppendSentence(item, f.value.text);
      if (f.value.type == Value::Type::kNumber) AppendSentence(item, FormatNumber(f.value.number));
      if (f.at) item += " at " + FormatDateTimeShort(*f.at);
      items.push_back(std::move(item));
    }
    std::sort(items.begin(), items.end());
    add("OBSERVATION_AFTER_T0", "info", TextId::kWarnAfterT0, {{"items", JoinAnd(items)}}, st.after_t0);
  }
  // Input-handling warnings from the reader; each code at most once.
  for (const InputWarning& w : st.in.input_warnings) {
    std::vector<Fact> facts;
    for (std::size_t i = 0; i < w.facts.size(); ++i) {
      ValueFact(NewFact(facts), w.facts[i].first, Value::Str(w.facts[i].second), i < w.sources.size() ? w.sources[i] : "");
    }
    auto existing = std::find_if(out.begin(), out.end(), [&](const Warning& x) { return x.code == w.code; });
    if (existing != out.end()) {
      AppendSentence(existing->text, w.text);
      existing->facts.insert(existing->facts.end(), facts.begin(), facts.end());
    } else {
      out.push_back(Warning{w.code, InputWarningSeverity(w.code), w.text, std::move(facts), {}});
    }
  }
  StableSortByKey(out, [](const Warning& w) { return std::pair(SeverityRank(w.severity), std::string_view(w.code)); });

  // §15 notes.
  std::vector<Note>& notes = st.r.notes;
  auto note = [&](const char* id, TextId text) { notes.push_back(Note{id, st.Text(text), st.Refs(text)}); };
  const auto& reasons = st.r.dantrolene.reasons;
  const auto& secondary = st.r.dantrolene.secondary_findings;
  if (decision == "contraindicated" &&
      (HasReason(reasons, "liver_disease_known") || HasReason(reasons, "alt_above_uln") ||
       HasReason(reasons, "ast_above_uln") || HasReason(reasons, "bilirubin_above_uln"))) {
    note("NOTE_HEPATIC_GATE", TextId::kNoteHepaticGate);
  }
  if (consider) {
    note("NOTE_IV_HEPATOTOXICITY_SOURCE", TextId::kNoteIvHepatotoxicity);
    note("NOTE_DANTROLENE_REGIMEN", TextId::kNoteDantroleneRegimen);
    note("NOTE_DANTROLENE_ONSET", TextId::kNoteDantroleneOnset);
  }
  if (HasReason(reasons, "d2_polypharmacy")) note("NOTE_POLYPHARMACY_GATE", TextId::kNotePolypharmacyGate);
  const bool combination_warning = std::any_of(out.begin(), out.end(), [](const Warning& w) {
    return w.code == "COMBINATION_PROLONGS_RECOVERY";
  });
  if (HasReason(reasons, "multiple_concurrent_nms_therapies") || combination_warning) {
    note("NOTE_COMBINATION_GATE", TextId::kNoteCombinationGate);
  }
  bool dec4_reported = std::any_of(reasons.begin(), reasons.end(), [](const Reason& r) { return r.rule == "DEC-4"; }) ||
                       std::any_of(secondary.begin(), secondary.end(), [](const Reason& r) { return r.rule == "DEC-4"; });
  if (dec4_reported) note("NOTE_RIGIDITY_INDICATION", TextId::kNoteRigidityIndication);
  if (HasPlan(st.r, "BROMOCRIPTINE") || HasPlan(st.r, "AMANTADINE")) note("NOTE_ALTERNATIVE_DOSES", TextId::kNoteAlternativeDoses);
  if (HasPlan(st.r, "VANCOMYCIN")) note("NOTE_VANCOMYCIN_LIST", TextId::kNoteVancomycinList);
  if (HasPlan(st.r, "GCSF")) note("NOTE_GCSF_LIST", TextId::kNoteGcsfList);
  if (HasPlan(st.r, "ANTIFUNGAL")) note("NOTE_ANTIFUNGAL_WINDOW", TextId::kNoteAntifungalWindow);
  if (st.d.pathway && st.s.iec_points < st.p.iec_cutoff.FloorInt()) note("NOTE_IEC_NOT_EXCLUSIONARY", TextId::kNoteIecNotExclusionary);
  if (c.non_oral_temperature_used) note("NOTE_TEMPERATURE_ROUTE", TextId::kNoteTemperatureRoute);
  if (st.in.age_years && *st.in.age_years < st.p.adult_age_years.FloorInt()) note("NOTE_OUT_OF_SCOPE_AGE", TextId::kNoteOutOfScopeAge);
  if (st.d.pathway && !mh && IsFalse(m.trigger)) note("NOTE_NO_TRIGGER_NO_AGONIST", TextId::kNoteNoTriggerNoAgonist);
  StableSortByKey(notes, [](const Note& n) { return std::string_view(n.id); });
}

}  // namespace nmscds::engine
