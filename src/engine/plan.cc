// The step 1-4 plan and the monitoring items: clinical.md §8 (rows P-STOP ... P-MON-SITE). Step-3
// alternatives come from therapy.cc and the febrile-neutropenia items from febrile_neutropenia.cc; this
// file adds the other items and puts everything in the order of §8.1 / interfaces §5.16.
#include <algorithm>
#include <tuple>

#include "common/sort.h"
#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

// The order of the clinical plan table (§8.2).
int TableOrder(std::string_view id) {
  static constexpr std::string_view kOrder[] = {
      "STOP_DOPAMINE_ANTAGONISTS", "RESTART_DOPAMINERGIC", "EMPIRIC_ANTIBIOTICS", "STOP_MH_TRIGGERS",
      "COOLING_AND_FLUIDS",        "ICU_TRANSFER",         "DOCUMENT_CARDINAL_FEATURES", "EXPOSURE_PATTERN",
      "BASELINE_LABS",             "DANTROLENE",           "BROMOCRIPTINE",        "AMANTADINE",
      "LORAZEPAM",                 "ECT",                  "CONTINUE_ANTIBIOTICS", "VANCOMYCIN",
      "GCSF",                      "ANTIFUNGAL",           "VITALS_CONTINUOUS",    "CK_RENAL_POTASSIUM_DAILY",
      "LFT_DAILY",                 "INJECTION_SITE"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == id) return static_cast<int>(i);
  }
  return 100;
}

// "a; b; c": items that contain commas themselves.
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = "; ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

int PriorityRank(std::string_view p) { return p == "immediate" ? 0 : (p == "urgent" ? 1 : 2); }

PlanItem Item(int step, const char* id, const char* priority, const char* rule, std::string text,
              std::vector<std::string> refs) {
  return PlanItem{step, id, priority, "recommended", rule, std::move(text), {}, std::move(refs)};
}

std::string LastDose(const State& st, const MedEntry& e) {
  if (!e.administrations.empty()) return FormatWhen(e.administrations.back(), st.t0);
  if (e.end && *e.end <= st.t0) return FormatWhen(*e.end, st.t0);
  return "";
}

// P-STOP
void StopDopamineAntagonists(State& st) {
  const MedicationFacts& m = st.m;
  if (m.pattern != "monotherapy" && m.pattern != "polypharmacy" && m.pattern != "unknown") return;
  std::vector<std::string> agents, depots;
  std::vector<Fact> facts;
  bool antiemetic = false;
  for (const AgentExposure& a : m.d2_counted) {
    const std::string name = DrugName(st.kb, a.drug);
    const MedEntry* latest = nullptr;
    for (const MedEntry* e : a.entries) {
      MedFact(NewFact(facts), "d2_antagonist", *e, st.kb);
      if (!latest || (e->LastExposure(st.t0) > latest->LastExposure(st.t0))) latest = e;
      if (e->med->long_acting) depots.push_back(name);
      if (e->med->used_as_antiemetic) antiemetic = true;
    }
    if (st.kb.drug(a.drug).roles & kRoleAntiemeticD2) antiemetic = true;
    std::string label = st.kb.PrimaryClass(a.drug).label;
    std::string last = latest ? LastDose(st, *latest) : "";
    agents.push_back(last.empty() ? st.Text(TextId::kPlanStopAgentActive, {{"name", name}, {"class", label}})
                                  : st.Text(TextId::kPlanStopAgent, {{"name", name}, {"class", label}, {"last_dose", last}}));
  }
  std::string text;
  if (!agents.empty()) text = st.Text(TextId::kPlanStopAgents, {{"agents", JoinAnd(agents)}});
  std::sort(depots.begin(), depots.end());
  depots.erase(std::unique(depots.begin(), depots.end()), depots.end());
  if (!depots.empty()) {
    text += (text.empty() ? "" : " ") + st.Text(TextId::kPlanStopDepot, {{"agents", JoinAnd(depots)}});
  }
  if (m.pattern == "unknown") {
    text += (text.empty() ? "" : " ") + st.Text(TextId::kPlanStopUnknownPattern);
  }
  if (antiemetic) {
    const bool serotonin = IsTrue(m.serotonergic) || (!st.t.serotonin_status.empty() && st.t.serotonin_status != "unlikely");
    AppendSentence(text, st.Text(serotonin ? TextId::kPlanStopAntiemeticSerotonergic : TextId::kPlanStopAntiemetic));
  }
  if (!m.lithium_active.empty()) {
    AppendSentence(text, st.Text(TextId::kPlanStopLithium));
    for (const MedEntry* e : m.lithium_active) MedFact(NewFact(facts), "nms_contributor", *e, st.kb);
  }
  const Fixed weeks = st.p.rechallenge_wait_days.DividedBy(Fixed::FromInt(7), 1);
  AppendSentence(text, st.Text(TextId::kPlanStopTail, {{"weeks", FormatNumber(weeks)}}));
  PlanItem item = Item(1, "STOP_DOPAMINE_ANTAGONISTS", "immediate", "P-STOP", std::move(text),
                       st.Refs(TextId::kPlanStopAgents));
  item.facts = std::move(facts);
  st.r.plan.push_back(std::move(item));
}

std::vector<std::pair<std::string, std::string>> EnteralPrecondition(const State& st) {
  Tri enteral = st.Ctx(CtxFlag::kEnteralRouteAvailable);
  if (IsFalse(enteral)) return {{"place_nasogastric_tube", st.Text(TextId::kPreconditionNasogastricTube)}};
  if (IsUnknown(enteral)) return {{"confirm_enteral_route", st.Text(TextId::kPreconditionConfirmEnteral)}};
  return {};
}

// P-RESTART
void RestartDopaminergic(State& st) {
  const MedicationFacts& m = st.m;
  std::vector<std::string> agents;
  std::vector<Fact> facts;
  bool within_72h = false, is_nms_therapy = false;
  for (const AgentExposure& a : m.withdrawn) {
    const MedEntry* e = a.entries.front();
    for (const MedEntry* x : a.entries) {
      MedFact(NewFact(facts), "dopaminergic_withdrawal", *x, st.kb);
      if (*x->med->stop > *e->med->stop) e = x;
    }
    std::string dose = e->med->dose.empty() ? "" : " " + e->med->dose;
    agents.push_back(st.Text(TextId::kPlanRestartAgent, {{"name", e->med->name.empty() ? DrugName(st.kb, a.drug) : e->med->name},
                                                         {"dose", dose},
                                                         {"stopped", FormatWhen(*e->med->stop, st.t0)}}));
    if (*e->med->stop >= st.t0 - st.p.window_withdrawal_iec_h.FloorInt() * kHour) within_72h = true;
    if (a.drug == st.drug.bromocriptine || a.drug == st.drug.amantadine) is_nms_therapy = true;
  }
  // A combination entry (levodopa/carbidopa) names one agent once.
  std::sort(agents.begin(), agents.end());
  agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
  std::string text = st.Text(TextId::kPlanRestart, {{"agents", JoinAnd(agents)}});
  if (is_nms_therapy) AppendSentence(text, st.Text(TextId::kPlanRestartIsTherapy));
  for (const auto& [code, pc_text] : EnteralPrecondition(st)) {
    AppendSentence(text, pc_text);
    ValueFact(NewFact(facts), "precondition", Value::Str(code));
  }
  PlanItem item = Item(1, "RESTART_DOPAMINERGIC", within_72h ? "immediate" : "urgent", "P-RESTART", std::move(text),
                       st.Refs(TextId::kPlanRestart));
  // The same ingredient may appear in several stopped entries: keep one fact per entry.
  item.facts = std::move(facts);
  st.r.plan.push_back(std::move(item));
}

// P-COOL
void CoolingAndFluids(State& st) {
  const ClinicalFacts& c = st.c;
  const Params& p = st.p;
  const bool rhabdo_target = !IsFalse(c.ck_gt_5x);  // B24: unknown CK -> 1 mL/kg/h
  const Fixed per_kg = rhabdo_target ? p.uo_target_rhabdo : p.uo_target_default;
  std::string because = st.Text(IsTrue(c.ck_gt_5x)      ? TextId::kPlanCoolBecauseCk
                                : IsUnknown(c.ck_gt_5x) ? TextId::kPlanCoolBecauseCkUnknown
                                                        : TextId::kPlanCoolBecauseDefault);
  std::string fluids;
  std::vector<Fact> facts;
  if (c.weight_kg) {
    Fixed ml_h = per_kg.Times(*c.weight_kg, 6).Ceil(0);
    fluids = st.Text(TextId::kPlanCoolFluidsWeight,
                     {{"ml_h", FormatNumber(ml_h)}, {"ml_kg_h", FormatNumber(per_kg)}, {"because", because}});
    ValueFact(NewFact(facts), "urine_output_target_ml_h", Value::Num(ml_h));
    facts.back().unit = "mL/h";
  } else {
    fluids = st.Text(TextId::kPlanCoolFluidsNoWeight, {{"ml_kg_h", FormatNumber(per_kg)}, {"because", because}});
  }
  ValueFact(NewFact(facts), "urine_output_target_ml_kg_h", Value::Num(per_kg));
  facts.back().unit = "mL/kg/h";
  if (c.ck_max_ratio) LabFact(NewFact(facts), "ck", *c.ck_max_ratio, st.kb);
  else ValueFact(NewFact(facts), "ck", Value::Unknown());
  if (c.weight_kg) {
    Fact w = ValueFact("weight", Value::Num(*c.weight_kg), st.in.weight->source);
    w.unit = "kg";
    w.at = c.weight_at;
    AddFact(facts, std::move(w));
  }
  std::string text = st.Text(TextId::kPlanCool) + " " + fluids;
  if (c.ck_max && c.ck_max->value > p.ck_aki_u_l) {
    AppendSentence(text, st.Text(TextId::kPlanCoolAki, {{"ck", FormatReading(*c.ck_max, st.kb)}}));
  }
  if (c.tmax_24h && c.tmax_24h->value >= p.extreme_hyperthermia_c) {
    AppendSentence(text, st.Text(TextId::kPlanCoolExtreme, {{"temperature", FormatReading(*c.tmax_24h, st.kb)}}));
    ReadingFact(NewFact(facts), "tmax_24h", *c.tmax_24h, st.kb);
  }
  AppendSentence(text, st.Text(TextId::kPlanCoolNoRestraint));
  PlanItem item = Item(1, "COOLING_AND_FLUIDS", "immediate", "P-COOL", std::move(text), st.Refs(TextId::kPlanCool));
  item.facts = std::move(facts);
  st.r.plan.push_back(std::move(item));
}

// P-DOC: the four cardinal features with state and evidence; unknown ones as requests.
void DocumentCardinalFeatures(State& st) {
  const ClinicalFacts& c = st.c;
  std::vector<std::string> present, absent, requests;
  // Hyperthermia
  {
    std::string name = st.Text(TextId::kFeatureHyperthermia);
    if (IsTrue(c.hyperthermia)) present.push_back(name + " (" + FormatReading(*c.tmax_72h, st.kb) + ")");
    else if (IsFalse(c.hyperthermia)) absent.push_back(name);
    else requests.push_back(st.Text(TextId::kRequestTemperature));
  }
  // Rigidity (the grade is requested also when rigidity was recorded without one)
  {
    std::string name = st.Text(TextId::kFeatureRigidity);
    if (IsTrue(c.rigidity_present)) {
      present.push_back(c.rigidity == Rigidity::kPresentUngraded ? name + " (grade not recorded)"
                                                                 : std::string(RigidityName(c.rigidity)) + " " + name);
    } else if (IsFalse(c.rigidity_present)) {
      absent.push_back(name);
    }
    if (c.rigidity == Rigidity::kUnknown || c.rigidity == Rigidity::kPresentUngraded) {
      requests.push_back(st.Text(TextId::kRequestRigidity));
    }
  }
  // Mental status
  {
    std::string name = st.Text(TextId::kFeatureMentalStatus);
    std::vector<std::string> detail;
    if (c.mental_status != MentalStatus::kUnknown) detail.emplace_back(MentalStatusName(c.mental_status));
    if (c.gcs_latest) detail.push_back("GCS " + FormatNumber(c.gcs_latest->value));
    if (IsTrue(c.mental_status_altered)) present.push_back(name + " (" + JoinList(detail, ", ") + ")");
    else if (IsFalse(c.mental_status_altered)) absent.push_back(name);
    else requests.push_back(st.Text(TextId::kRequestMentalStatus));
  }
  // Autonomic dysfunction
  {
    std::string name = st.Text(TextId::kFeatureAutonomic);
    std::vector<std::string> detail;
    if (IsTrue(c.tachycardia)) detail.push_back("heart rate " + FormatReading(*c.hr_max_24h, st.kb));
    if (IsTrue(st.Find(Finding::kDiaphoresis))) detail.emplace_back("diaphoresis");
    if (IsTrue(st.Find(Finding::kUrinaryIncontinence))) detail.emplace_back("incontinence");
    if (IsTrue(c.bp_elevation)) detail.emplace_back("blood pressure above baseline");
    if (IsTrue(c.bp_fluctuation)) detail.emplace_back("labile blood pressure");
    if (IsTrue(st.Find(Finding::kAutonomicInstability))) detail.emplace_back("clinician-assessed instability");
    if (IsTrue(c.autonomic)) present.push_back(name + " (" + JoinAnd(detail) + ")");
    else if (IsFalse(c.autonomic)) absent.push_back(name);
    else requests.push_back(st.Text(TextId::kRequestAutonomic));
  }
  std::string text = st.Text(TextId::kPlanDocument, {{"count", std::to_string(c.cardinal_present)}});
  if (!present.empty()) AppendSentence(text, st.Text(TextId::kPlanDocumentPresent, {{"items", JoinAnd(present)}}));
  if (!absent.empty()) AppendSentence(text, st.Text(TextId::kPlanDocumentAbsent, {{"items", JoinAnd(absent)}}));
  if (!requests.empty()) AppendSentence(text, st.Text(TextId::kPlanDocumentRequest, {{"items", JoinAnd(requests, "and")}}));
  AppendSentence(text, st.Text(TextId::kPlanDocumentTail));
  PlanItem item = Item(2, "DOCUMENT_CARDINAL_FEATURES", "urgent", "P-DOC", std::move(text), st.Refs(TextId::kPlanDocument));
  item.facts = FactList(TriFact("hyperthermia", c.hyperthermia), TriFact("rigidity_present", c.rigidity_present),
                        TriFact("mental_status_altered", c.mental_status_altered),
                        TriFact("autonomic_dysfunction", c.autonomic));
  st.r.plan.push_back(std::move(item));
}

// P-EXP
void ExposurePattern(State& st) {
  const MedicationFacts& m = st.m;
  std::vector<std::string> agents;
  std::vector<Fact> facts;
  for (const AgentExposure& a : m.d2_counted) {
    std::optional<Instant> since;
    bool depot = false;
    for (const MedEntry* e : a.entries) {
      MedFact(NewFact(facts), "d2_antagonist", *e, st.kb);
      if (e->start && (!since || *e->start < *since)) since = e->start;
      depot = depot || e->med->long_acting;
    }
    std::string label = st.kb.PrimaryClass(a.drug).label;
    agents.push_back(st.Text(since ? TextId::kPlanExposureAgentSince : TextId::kPlanExposureAgent,
                             {{"name", DrugName(st.kb, a.drug)},
                              {"class", label},
                              {"since", since ? FormatDate(*since) : ""},
                              {"depot", depot ? st.Text(TextId::kPlanExposureDepot) : ""}}));
  }
  std::string text = st.Text(TextId::kPlanExposure, {{"pattern", m.pattern}, {"agents", agents.empty() ? "" : " (" + JoinList(agents) + ")"}});
  std::vector<std::string> undetermined;
  for (const AgentExposure& a : m.d2_undetermined) {
    for (const MedEntry* e : a.entries) {
      undetermined.push_back(e->med->name);
      MedFact(NewFact(facts), "d2_antagonist_undetermined", *e, st.kb);
    }
  }
  if (!undetermined.empty()) AppendSentence(text, st.Text(TextId::kPlanExposureUndetermined, {{"entries", JoinAnd(undetermined)}}));
  if (!m.list_supplied) AppendSentence(text, st.Text(TextId::kPlanExposureNoList));
  if (m.antiemetic_counted) AppendSentence(text, st.Text(TextId::kPlanExposureAntiemetic));
  for (const AgentExposure& a : m.withdrawn) {
    AppendSentence(text, st.Text(TextId::kPlanExposureWithdrawal,
                          {{"name", DrugName(st.kb, a.drug)}, {"stopped", FormatWhen(*a.last_exposure, st.t0)}}));
  }
  AppendSentence(text, st.Text(TextId::kPlanExposureTail));
  PlanItem item = Item(2, "EXPOSURE_PATTERN", "urgent", "P-EXP", std::move(text), st.Refs(TextId::kPlanExposure));
  facts.insert(facts.begin(), ValueFact("exposure_pattern", Value::Str(m.pattern)));
  item.facts = std::move(facts);
  st.r.plan.push_back(std::move(item));
}

// P-LABS
void BaselineLabs(State& st) {
  const ClinicalFacts& c = st.c;
  if (c.stale_labs.empty()) return;
  std::vector<std::string> tests;
  PlanItem item = Item(2, "BASELINE_LABS", "urgent", "P-LABS", "", st.Refs(TextId::kPlanBaselineLabs));
  bool anc_stale = false;
  for (const BaselineLab* lab : c.stale_labs) {
    anc_stale = anc_stale || lab->kind == ObsKind::kAnc;
    const auto& rs = st.readings[static_cast<std::size_t>(lab->kind)];
    std::string name = st.Text(lab->name);
    if (rs.empty()) {
      tests.push_back(st.Text(TextId::kPlanBaselineLabsNone, {{"test", name}}));
    } else {
      Instant age = st.t0 - rs.back().at;
      std::string ago = age >= 2 * kDay ? std::to_string(age / kDay) + " days" : std::to_string(age / kHour) + " h";
      tests.push_back(st.Text(TextId::kPlanBaselineLabsStale, {{"test", name}, {"age", ago}}));
    }
    ValueFact(NewFact(item.facts), "stale_lab", Value::Str(lab->id));
  }
  item.text = st.Text(TextId::kPlanBaselineLabs, {{"tests", JoinAnd(tests)}});
  if (anc_stale && IsTrue(c.fn_fever)) {
    item.priority = "immediate";
  }
  st.r.plan.push_back(std::move(item));
}

// P-DAN-C / P-DAN-MH
void DantrolenePlan(State& st) {
  const Dantrolene& dan = st.r.dantrolene;
  const bool mh = st.d.mh;
  std::string text = st.Text(mh ? TextId::kPlanDantroleneMh : TextId::kPlanDantroleneConsider,
                             {{"regimen", dan.regimen->text}});
  for (const Precondition& pc : dan.preconditions) AppendSentence(text, pc.text);
  AppendSentence(text, dan.regimen->reconstitution + " " + dan.regimen->access);
  PlanItem item = Item(3, "DANTROLENE", mh ? "immediate" : "urgent", mh ? "P-DAN-MH" : "P-DAN-C", std::move(text),
                       st.Refs(mh ? TextId::kPlanDantroleneMh : TextId::kPlanDantroleneConsider));
  item.status = mh ? "recommended" : "consider";
  if (st.c.weight_kg) {
    Fact w = ValueFact("weight", Value::Num(*st.c.weight_kg), st.in.weight->source);
    w.unit = "kg";
    w.at = st.c.weight_at;
    AddFact(item.facts, std::move(w));
  } else {
    ValueFact(NewFact(item.facts), "weight", Value::Unknown());
  }
  if (st.m.prior_dantrolene_mg) {
    Fact f = ValueFact("prior_dantrolene_24h_mg", Value::Num(*st.m.prior_dantrolene_mg));
    f.unit = "mg";
    AddFact(item.facts, std::move(f));
  }
  for (const Precondition& pc : dan.preconditions) ValueFact(NewFact(item.facts), "precondition", Value::Str(pc.code));
  if (st.m.oldest_dantrolene_dose) {
    ValueFact(NewFact(item.facts), "dantrolene_prior_dose_leaves_window_at",
                                   Value::Str(FormatDateTime(*st.m.oldest_dantrolene_dose + 24 * kHour)));
  }
  st.r.plan.push_back(std::move(item));
}

void Monitoring(State& st) {
  const ClinicalFacts& c = st.c;
  const std::string& decision = st.d.decision;
  const bool dantrolene = decision == "consider" || st.d.mh;
  auto& mon = st.r.monitoring;
  if (st.d.pathway) {
    mon.push_back(Item(0, "VITALS_CONTINUOUS", "immediate", "P-MON-V", st.Text(TextId::kMonitorVitals),
                       st.Refs(TextId::kMonitorVitals)));
    std::string text = st.Text(IsTrue(c.ck_gt_5x) ? TextId::kMonitorCkRenalHighCk : TextId::kMonitorCkRenal);
    PlanItem ck = Item(0, "CK_RENAL_POTASSIUM_DAILY", "routine", "P-MON-CK", "", st.Refs(TextId::kMonitorCkRenal));
    if (c.ck_max_ratio) LabFact(NewFact(ck.facts), "ck", *c.ck_max_ratio, st.kb);
    if (c.potassium_latest && c.potassium_latest->value > st.p.potassium_alert) {
      ck.priority = "immediate";
      AppendSentence(text, st.Text(TextId::kMonitorHyperkalaemia, {{"potassium", FormatReading(*c.potassium_latest, st.kb)}}));
      ReadingFact(NewFact(ck.facts), "potassium", *c.potassium_latest, st.kb);
    }
    ck.text = std::move(text);
    mon.push_back(std::move(ck));
  }
  if (dantrolene || (st.d.pathway && c.hepatic_status == "dysfunction")) {
    TextId id = dantrolene ? TextId::kMonitorLftDantrolene : TextId::kMonitorLft;
    PlanItem lft = Item(0, "LFT_DAILY", "routine", "P-MON-LFT",
                        st.Text(id, {{"hours", FormatNumber(st.p.lft_followup_h)}}), st.Refs(id));
    if (c.alt) LabFact(NewFact(lft.facts), "alt", *c.alt, st.kb);
    if (c.ast) LabFact(NewFact(lft.facts), "ast", *c.ast, st.kb);
    if (c.bilirubin) LabFact(NewFact(lft.facts), "bilirubin_total", *c.bilirubin, st.kb);
    mon.push_back(std::move(lft));
  }
  if (dantrolene) {
    mon.push_back(Item(0, "INJECTION_SITE", "routine", "P-MON-SITE", st.Text(TextId::kMonitorInjectionSite),
                       st.Refs(TextId::kMonitorInjectionSite)));
  }
}

}  // namespace

void BuildPlan(State& st) {
  const DecisionState& d = st.d;
  if (d.pathway) StopDopamineAntagonists(st);
  if (st.t.restart_emitted) RestartDopaminergic(st);
  if (d.mh) {
    PlanItem item = Item(1, "STOP_MH_TRIGGERS", "immediate", "P-MH", st.Text(TextId::kPlanStopMhTriggers),
                         st.Refs(TextId::kPlanStopMhTriggers));
    item.facts = st.m.mh_agent_facts;
    st.r.plan.push_back(std::move(item));
  }
  if (d.pathway) {
    CoolingAndFluids(st);
    TextId icu = st.in.context.location == Location::kIcu ? TextId::kPlanIcuContinue : TextId::kPlanIcuTransfer;
    PlanItem item = Item(1, "ICU_TRANSFER", "immediate", "P-ICU", st.Text(icu), st.Refs(icu));
    ValueFact(NewFact(item.facts), "location",
                                   st.in.context.location == Location::kUnknown
                                       ? Value::Unknown()
                                       : Value::Str(std::string(LocationName(st.in.context.location))),
                                   st.in.context.location_source);
    st.r.plan.push_back(std::move(item));
    DocumentCardinalFeatures(st);
    ExposurePattern(st);
    BaselineLabs(st);
  }
  if (st.r.dantrolene.regimen) DantrolenePlan(st);
  Monitoring(st);

  auto plan_order = [](const PlanItem& i) { return std::tuple(i.step, PriorityRank(i.priority), TableOrder(i.id)); };
  StableSortByKey(st.r.plan, plan_order);
  StableSortByKey(st.r.monitoring, plan_order);
}

}  // namespace nmscds::engine
