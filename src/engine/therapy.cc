// Alternatives and stage-based therapy: clinical.md §7. ALT-0..ALT-5 decide which dopaminergic agents are
// emitted and with which status, PREF-1..PREF-4 which one is preferred; §7.3-§7.6 give the regimens.
// Produces report.alternatives and the step-3 plan items BROMOCRIPTINE, AMANTADINE, LORAZEPAM, ECT.
#include <algorithm>

#include "common/text.h"
#include "engine/regimens.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

struct AgentPlan {
  int drug = -1;
  std::string status;   // recommended | alternative | conditional | not_indicated
  std::string role;     // preferred | other | continue
};

// What is missing for the renal dose ("serum creatinine and weight", "age", ...).
std::string MissingForCrcl(const State& st) {
  std::vector<std::string> missing;
  if (!st.c.creatinine_latest) missing.emplace_back("serum creatinine");
  if (!st.c.weight_kg) missing.emplace_back("weight");
  if (!st.in.age_years) missing.emplace_back("age");
  if (missing.empty()) missing.emplace_back("serum creatinine");
  return JoinAnd(missing);
}

AmantadineDoseInput AmantadineInput(const State& st, bool pref2) {
  AmantadineDoseInput in;
  in.crcl_ml_min = st.c.crcl;
  in.dialysis = IsTrue(st.Ctx(CtxFlag::kDialysis));
  in.age_years = st.in.age_years;
  in.pref2 = pref2;
  in.missing = MissingForCrcl(st);
  return in;
}

std::vector<Caution> BromocriptineCautions(const State& st) {
  std::vector<Caution> out;
  out.push_back({"HYPOTENSION", st.Text(IsTrue(st.c.hypotension_24h) ? TextId::kCautionHypotensionPresent
                                                                     : TextId::kCautionHypotension)});
  out.push_back({"ASPIRATION", st.Text(TextId::kCautionAspiration)});
  out.push_back({"PSYCHOSIS", st.Text(TextId::kCautionPsychosisBromocriptine)});
  out.push_back({"SEROTONIN_SYNDROME", st.Text(TextId::kCautionSerotoninSyndrome)});
  out.push_back({"CARDIOVASCULAR", st.Text(TextId::kCautionCardiovascular)});
  return out;
}

std::vector<Caution> AmantadineCautions(const State& st) {
  return {{"PSYCHOSIS", st.Text(TextId::kCautionPsychosisAmantadine)},
          {"NO_ABRUPT_STOP", st.Text(TextId::kCautionNoAbruptStop)},
          {"RECHECK_CRCL", st.Text(TextId::kCautionRecheckCrcl)}};
}

// §7.2: enteral-only drugs need a usable enteral route.
std::vector<Precondition> EnteralPreconditions(const State& st) {
  Tri enteral = st.Ctx(CtxFlag::kEnteralRouteAvailable);
  if (IsFalse(enteral)) return {{"place_nasogastric_tube", st.Text(TextId::kPreconditionNasogastricTube)}};
  if (IsUnknown(enteral)) return {{"confirm_enteral_route", st.Text(TextId::kPreconditionConfirmEnteral)}};
  return {};
}

}  // namespace

void SelectTherapies(State& st) {
  TherapyState& t = st.t;
  const DecisionState& d = st.d;
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  const std::string& decision = d.decision;
  t.restart_emitted = d.pathway && IsTrue(m.stop_14d);
  const bool gate_failed = decision == "contraindicated" || decision == "not_indicated" || decision == "insufficient_data";
  const int stage = st.s.stage_rank;

  // §7.2 preference (first matching row wins).
  const bool serotonin = t.serotonin_status == "suspected" || t.serotonin_status == "possible";
  const bool renal = (c.crcl && *c.crcl < st.p.pref2_crcl_ml_min) || IsTrue(st.Ctx(CtxFlag::kDialysis)) ||
                     (!c.crcl && c.creatinine_latest && c.creatinine_latest->value > st.p.pref2_creatinine_mg_dl);
  if (serotonin) {
    t.pref_rule = "PREF-1";
    t.preferred = st.drug.amantadine;
  } else if (renal) {
    t.pref_rule = "PREF-2";
    t.preferred = st.drug.bromocriptine;
  } else if (IsTrue(st.Find(Finding::kActivePsychosis))) {
    t.pref_rule = "PREF-3";
    t.preferred = st.drug.amantadine;
  } else {
    t.pref_rule = "PREF-4";
    t.preferred = st.drug.bromocriptine;
  }
  const int other = t.preferred == st.drug.bromocriptine ? st.drug.amantadine : st.drug.bromocriptine;

  // §7.1 which agents are emitted (first matching row wins).
  std::vector<AgentPlan> agents;
  if (d.mh || !d.pathway || IsFalse(m.trigger)) {
    t.alt_rule = "ALT-0";
  } else if (t.restart_emitted && ((stage == 5 && decision != "consider") || (stage == 4 && gate_failed))) {
    t.alt_rule = "ALT-1";
    // When the preferred agent is itself the stopped drug, RESTART_DOPAMINERGIC already restarts it and
    // "only if it cannot be restarted" can only mean the other agent (doc/interpretations.md).
    auto stopped_drug = [&](int drug) {
      return std::any_of(m.withdrawn.begin(), m.withdrawn.end(), [&](const AgentExposure& a) { return a.drug == drug; });
    };
    if (!stopped_drug(t.preferred)) {
      agents.push_back({t.preferred, "conditional", "preferred"});
    } else if (!stopped_drug(other)) {
      agents.push_back({other, "conditional", "other"});
    }
  } else if (!m.bromocriptine_active.empty() || !m.amantadine_active.empty()) {
    t.alt_rule = "ALT-2";
    if (!m.bromocriptine_active.empty()) agents.push_back({st.drug.bromocriptine, "recommended", "continue"});
    if (!m.amantadine_active.empty()) agents.push_back({st.drug.amantadine, "recommended", "continue"});
  } else if (stage == 5 && decision == "consider") {
    t.alt_rule = "ALT-3";
    agents.push_back({t.preferred, "alternative", "preferred"});
  } else if (stage == 5) {
    t.alt_rule = "ALT-3b";
    agents.push_back({t.preferred, "recommended", "preferred"});
    agents.push_back({other, "alternative", "other"});
  } else if (stage == 4 && gate_failed) {
    t.alt_rule = "ALT-4";  // B18: insufficient_data is treated like a contraindication
    agents.push_back({t.preferred, "recommended", "preferred"});
    agents.push_back({other, "alternative", "other"});
  } else {
    t.alt_rule = "ALT-5";
  }
  // Preference adjustments of the statuses (§7.2, §7.4).
  const bool band_known = AmantadineRenalBandKnown(st.kb, AmantadineInput(st, false));
  for (AgentPlan& a : agents) {
    if (a.role == "continue") continue;
    if (t.pref_rule == "PREF-1" && a.drug == st.drug.bromocriptine) a.status = "not_indicated";
    if (a.drug == st.drug.amantadine && !band_known && t.pref_rule != "PREF-2" && a.status != "not_indicated") {
      a.status = "conditional";
    }
  }

  const std::string stage_fact = st.s.stage;
  const std::string preferred_name = DrugName(st.kb, t.preferred);
  std::string stopped;
  {
    std::vector<std::string> names;
    for (const AgentExposure& a : m.withdrawn) names.push_back(DrugName(st.kb, a.drug));
    stopped = JoinAnd(names);
  }
  int rank = 0;
  for (const AgentPlan& a : agents) {
    const bool bromo = a.drug == st.drug.bromocriptine;
    Alternative alt;
    alt.drug = bromo ? "bromocriptine" : "amantadine";
    alt.status = a.status;
    alt.rank = ++rank;
    alt.regimen = bromo ? BromocriptineDose(st.kb) : AmantadineDose(st.kb, AmantadineInput(st, t.pref_rule == "PREF-2"));
    alt.preconditions = EnteralPreconditions(st);
    alt.cautions = bromo ? BromocriptineCautions(st) : AmantadineCautions(st);

    // The matching plan item.
    PlanItem item;
    item.step = 3;
    item.id = bromo ? "BROMOCRIPTINE" : "AMANTADINE";
    item.priority = "urgent";
    item.status = a.status;
    item.rule = bromo ? "P-BROMO" : "P-AMAN";
    const std::string drug = alt.drug, regimen = alt.regimen->text;
    std::string preference;
    TextId pref_text = t.pref_rule == "PREF-1"   ? TextId::kPreference1
                       : t.pref_rule == "PREF-2" ? TextId::kPreference2
                       : t.pref_rule == "PREF-3" ? TextId::kPreference3
                                                 : TextId::kPreference4;
    std::string crcl = c.crcl ? FormatNumber(*c.crcl) + " mL/min" : "unknown";
    preference = st.Text(pref_text, {{"drug", preferred_name}, {"status", t.serotonin_status}, {"crcl", crcl}});
    TextId id;
    if (a.role == "continue") {
      id = TextId::kPlanDopaminergicContinue;
    } else if (a.status == "not_indicated") {
      id = TextId::kPlanDopaminergicNotIndicated;
    } else if (t.alt_rule == "ALT-1") {
      id = TextId::kPlanDopaminergicOnlyIfNoRestart;
    } else if (t.alt_rule == "ALT-3") {
      id = TextId::kPlanDopaminergicInsteadOfDantrolene;
    } else if (a.role == "other") {
      id = TextId::kPlanDopaminergicOther;
    } else {
      id = TextId::kPlanDopaminergicPreferred;
    }
    std::string dose_text;
    if (a.role == "continue") {
      const auto& entries = bromo ? m.bromocriptine_active : m.amantadine_active;
      dose_text = entries.empty() || entries.front()->med->dose.empty() ? "at the current dose" : entries.front()->med->dose;
    }
    item.text = st.Text(id, {{"drug", drug},
                             {"regimen", regimen},
                             {"preference", preference},
                             {"preferred", preferred_name},
                             {"stopped", stopped},
                             {"status", t.serotonin_status},
                             {"dose", dose_text}});
    for (const Precondition& pc : alt.preconditions) AppendSentence(item.text, pc.text);
    ValueFact(NewFact(item.facts), "alternatives_rule", Value::Str(t.alt_rule));
    if (a.role != "continue") ValueFact(NewFact(item.facts), "preference_rule", Value::Str(t.pref_rule));
    ValueFact(NewFact(item.facts), "woodbury_stage", Value::Str(stage_fact));
    if (!bromo) {
      AddFact(item.facts, c.crcl ? ValueFact("crcl_ml_min", Value::Num(*c.crcl)) : ValueFact("crcl_ml_min", Value::Unknown()));
    }
    for (const Precondition& pc : alt.preconditions) ValueFact(NewFact(item.facts), "precondition", Value::Str(pc.code));
    item.refs = st.Refs(bromo ? TextId::kRegimenBromocriptine : TextId::kRegimenAmantadineRange);
    for (const std::string& r : st.Refs(id)) item.refs.push_back(r);
    alt.refs = item.refs;
    st.r.alternatives.push_back(std::move(alt));
    st.r.plan.push_back(std::move(item));
  }

  if (!d.pathway || d.mh) return;
  // §7.5 Lorazepam.
  if (stage >= 3 || IsTrue(st.Find(Finding::kAgitation)) || IsTrue(c.catatonia_present)) {
    Alternative alt;
    alt.drug = "lorazepam";
    alt.status = "recommended";
    alt.rank = ++rank;
    AlternativeRegimen rg = LorazepamDose(st.kb);
    alt.regimen = rg;
    alt.cautions = {{"RESPIRATORY_DEPRESSION", st.Text(TextId::kCautionRespiratoryDepression)},
                    {"NO_RESTRAINT", st.Text(TextId::kCautionNoRestraint)}};
    alt.refs = st.Refs(TextId::kRegimenLorazepam);
    PlanItem item{3, "LORAZEPAM", "urgent", "recommended", "P-LZP", rg.text, {}, alt.refs};
    ValueFact(NewFact(item.facts), "woodbury_stage", Value::Str(stage_fact));
    TriFact(NewFact(item.facts), "agitation", st.Find(Finding::kAgitation), st.in.findings.source(Finding::kAgitation));
    TriFact(NewFact(item.facts), "catatonia_present", c.catatonia_present);
    st.r.alternatives.push_back(std::move(alt));
    st.r.plan.push_back(std::move(item));
  }
  // §7.6 ECT.
  Tri persistent = st.Find(Finding::kCatatoniaPersistent);
  if ((stage == 5 && IsTrue(c.rigidity_refractory)) || IsTrue(persistent)) {
    const bool with_dantrolene = decision == "consider";
    Alternative alt;
    alt.drug = "ect";
    alt.status = with_dantrolene ? "conditional" : "consider";
    alt.rank = ++rank;
    alt.cautions = {{"NO_SUCCINYLCHOLINE", st.Text(TextId::kCautionNoSuccinylcholine)}};
    TextId id = with_dantrolene ? TextId::kPlanEctConditional : TextId::kPlanEct;
    alt.refs = st.Refs(id);
    PlanItem item{3, "ECT", "urgent", alt.status, "P-ECT", st.Text(id), {}, alt.refs};
    ValueFact(NewFact(item.facts), "woodbury_stage", Value::Str(stage_fact));
    TriFact(NewFact(item.facts), "rigidity_refractory", c.rigidity_refractory, st.in.findings.source(Finding::kRigidityRefractory));
    TriFact(NewFact(item.facts), "catatonia_persistent", persistent, st.in.findings.source(Finding::kCatatoniaPersistent));
    st.r.alternatives.push_back(std::move(alt));
    st.r.plan.push_back(std::move(item));
  }
}

}  // namespace nmscds::engine
