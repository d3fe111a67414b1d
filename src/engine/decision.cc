// NMS suspicion (clinical.md §5) and the dantrolene decision (§6): precedence DEC-1..DEC-6, every
// reason, secondary findings, and the regimens of §6.4 (NMS, off-label) and §6.5 (malignant hyperthermia).
#include <algorithm>

#include "common/text.h"
#include "engine/regimens.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

std::string CountWord(std::size_t n) {
  static const char* const kWords[] = {"No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"};
  return n < std::size(kWords) ? kWords[n] : std::to_string(n);
}

std::vector<std::string> AgentNames(const KnowledgeBase& kb, const std::vector<AgentExposure>& agents) {
  std::vector<std::string> names;
  for (const AgentExposure& a : agents) names.push_back(DrugName(kb, a.drug));
  return names;
}

std::vector<std::string> EntryNames(const std::vector<const MedEntry*>& entries) {
  std::vector<std::string> names;
  for (const MedEntry* e : entries) {
    if (std::find(names.begin(), names.end(), e->med->name) == names.end()) names.push_back(e->med->name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<Fact> EntryFacts(const State& st, const char* name, const std::vector<const MedEntry*>& entries) {
  std::vector<Fact> facts;
  for (const MedEntry* e : entries) MedFact(NewFact(facts), name, *e, st.kb);
  return facts;
}

// §5: NMS suspicion, S-1 to S-5 (first matching row wins).
void AssessSuspicion(State& st) {
  const ClinicalFacts& c = st.c;
  DecisionState& d = st.d;
  const Tri trigger = st.m.trigger;
  const bool clinical = (IsTrue(c.hyperthermia) || IsTrue(c.rigidity_present)) &&
                        c.cardinal_present >= st.p.suspicion_min_cardinal.FloorInt();
  if (IsTrue(trigger) && st.s.iec_points >= st.p.iec_cutoff.FloorInt()) {  // S-1
    d.suspicion = "high";
    d.suspicion_rule = "trigger_and_iec_cutoff";
  } else if (IsTrue(trigger) && clinical) {  // S-2
    d.suspicion = "possible";
    d.suspicion_rule = "trigger_and_cardinal_features";
  } else if (st.in.clinician_suspected_nms) {  // S-3
    d.suspicion = "possible";
    d.suspicion_rule = "clinician_suspected";
  } else if (IsUnknown(trigger) && clinical) {  // S-4 (B15)
    d.suspicion = "possible";
    d.suspicion_rule = "trigger_and_cardinal_features";
  } else {  // S-5
    d.suspicion = "unlikely";
    d.suspicion_rule = "none";
  }
  d.pathway = d.suspicion != "unlikely";
}

Reason LabReason(const State& st, const char* code, const char* fact_name, const LabValue& v, TextId from_range,
                 TextId from_default) {
  Fact f = LabFact(fact_name, v, st.kb);
  std::string value = FormatNumber(v.reading.value), uln = FormatNumber(v.uln);
  return st.MakeReason(code, "DEC-3", v.uln_from_range ? from_range : from_default, {{"value", value}, {"uln", uln}},
                       {std::move(f)});
}

// DEC-3: contraindications known true.
void ContraindicationReasons(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  auto& out = st.d.dec3;
  if (IsTrue(c.liver_disease)) {
    std::string detail = c.liver_disease_detail.empty() ? "recorded" : c.liver_disease_detail;
    out.push_back(st.MakeReason("liver_disease_known", "DEC-3", TextId::kReasonLiverDiseaseKnown, {{"detail", detail}},
                                FactList(TriFact("liver_disease", c.liver_disease, c.liver_disease_source))));
  }
  if (IsTrue(c.alt_above)) {
    out.push_back(LabReason(st, "alt_above_uln", "alt", *c.alt, TextId::kReasonAltAboveUlnRange, TextId::kReasonAltAboveUlnDefault));
  }
  if (IsTrue(c.ast_above)) {
    out.push_back(LabReason(st, "ast_above_uln", "ast", *c.ast, TextId::kReasonAstAboveUlnRange, TextId::kReasonAstAboveUlnDefault));
  }
  if (IsTrue(c.bilirubin_above)) {
    out.push_back(LabReason(st, "bilirubin_above_uln", "bilirubin_total", *c.bilirubin, TextId::kReasonBilirubinAboveUlnRange,
                            TextId::kReasonBilirubinAboveUlnDefault));
  }
  const std::string& access_source = st.in.context.iv_access_source;
  if (st.in.context.iv_access == IvAccess::kPoor) {
    out.push_back(st.MakeReason("iv_access_poor", "DEC-3", TextId::kReasonIvAccessPoor, {},
                                FactList(ValueFact("iv_access", Value::Str("poor"), access_source))));
  }
  if (st.in.context.iv_access == IvAccess::kNone) {
    out.push_back(st.MakeReason("iv_access_none", "DEC-3", TextId::kReasonIvAccessNone, {},
                                FactList(ValueFact("iv_access", Value::Str("none"), access_source))));
  }
  if (m.pattern == "polypharmacy" && m.trigger_type != "withdrawal") {
    std::vector<Fact> facts;
    for (const AgentExposure& a : m.d2_counted) {
      for (const MedEntry* e : a.entries) MedFact(NewFact(facts), "d2_antagonist", *e, st.kb);
    }
    std::string count = CountWord(m.d2_counted.size()), agents = JoinAnd(AgentNames(st.kb, m.d2_counted));
    out.push_back(st.MakeReason("d2_polypharmacy", "DEC-3", TextId::kReasonD2Polypharmacy,
                                {{"count", count}, {"agents", agents}}, std::move(facts)));
  }
  if (m.concurrent_count && *m.concurrent_count >= 2) {
    std::string count = CountWord(static_cast<std::size_t>(*m.concurrent_count)),
                therapies = JoinAnd(m.concurrent_members);
    out.push_back(st.MakeReason("multiple_concurrent_nms_therapies", "DEC-3", TextId::kReasonMultipleConcurrentTherapies,
                                {{"count", count}, {"therapies", therapies}},
                                FactList(ValueFact("concurrent_nms_therapies", Value::Int(*m.concurrent_count)))));
  }
  if (IsTrue(m.ccb_non_dhp)) {
    std::string agents = JoinAnd(EntryNames(m.ccb_non_dhp_entries));
    out.push_back(st.MakeReason("ccb_non_dihydropyridine_active", "DEC-3", TextId::kReasonCcbNonDihydropyridine,
                                {{"agents", agents}}, EntryFacts(st, "ccb_non_dihydropyridine", m.ccb_non_dhp_entries)));
  }
  if (c.weight_kg && m.prior_dantrolene_mg) {
    Fixed cap = st.p.dantrolene_max_mg_per_kg_24h.Times(*c.weight_kg, 1);
    // Reached also when less than 1 mg remains: no dose can be shown in whole mg (§0.3), so the allowance is
    // spent in practice (doc/interpretations.md).
    if (*m.prior_dantrolene_mg >= cap || (cap - *m.prior_dantrolene_mg) < Fixed::FromInt(1)) {
      std::string given = FormatNumber(m.prior_dantrolene_mg->RoundHalfAway(1)), cap_mg = FormatNumber(cap.Floor(0)),
                  per_kg = FormatNumber(st.p.dantrolene_max_mg_per_kg_24h);
      out.push_back(st.MakeReason("cumulative_24h_cap_reached", "DEC-3", TextId::kReasonCapReached,
                                  {{"given_mg", given}, {"cap_mg", cap_mg}, {"max_mg_per_kg", per_kg}},
                                  m.dantrolene_facts));
    }
  }
}

// DEC-4: no indication under the standard protocol.
void NotIndicatedReasons(State& st) {
  const ClinicalFacts& c = st.c;
  auto& out = st.d.dec4;
  const bool graded_not_severe =
      c.rigidity == Rigidity::kNone || c.rigidity == Rigidity::kMild || c.rigidity == Rigidity::kModerate;
  if (graded_not_severe && !IsTrue(c.rigidity_refractory)) {
    std::string grade = c.rigidity == Rigidity::kNone ? "absent" : std::string(RigidityName(c.rigidity));
    out.push_back(st.MakeReason(
        "rigidity_not_severe_not_refractory", "DEC-4", TextId::kReasonRigidityNotSevere, {{"grade", grade}},
        FactList(ValueFact("rigidity", Value::Str(std::string(RigidityName(c.rigidity))), st.in.findings.rigidity_source),
         TriFact("rigidity_refractory", c.rigidity_refractory, st.in.findings.source(Finding::kRigidityRefractory)))));
  }
  if (IsFalse(st.m.trigger)) {
    out.push_back(st.MakeReason("no_nms_trigger", "DEC-4", TextId::kReasonNoTrigger, {},
                                FactList(ValueFact("nms_trigger", Value::Str("absent")))));
  }
  const std::string& stage = st.s.stage;
  if (stage == "I" || stage == "II" || stage == "not_staged") {
    std::vector<Fact> facts = FactList(ValueFact("woodbury_stage", Value::Str(stage)));
    if (stage == "not_staged") {
      out.push_back(st.MakeReason("stage_below_iii", "DEC-4", TextId::kReasonNotStaged, {}, std::move(facts)));
    } else {
      std::string label = st.Text(stage == "I" ? TextId::kLabelStageI : TextId::kLabelStageII);
      out.push_back(st.MakeReason("stage_below_iii", "DEC-4", TextId::kReasonStageBelowIii,
                                  {{"stage", stage}, {"label", label}}, std::move(facts)));
    }
  }
}

// DEC-5: a gate cannot be evaluated.
void InsufficientDataReasons(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  auto& out = st.d.dec5;
  if (c.hepatic_status == "unknown") {
    std::vector<std::string> missing;
    if (!c.alt) missing.emplace_back("ALT");
    if (!c.ast) missing.emplace_back("AST");
    std::string labs = missing.empty() ? "" : JoinAnd(missing);
    std::vector<Fact> facts;
    if (c.alt) LabFact(NewFact(facts), "alt", *c.alt, st.kb);
    if (c.ast) LabFact(NewFact(facts), "ast", *c.ast, st.kb);
    TriFact(NewFact(facts), "liver_disease", c.liver_disease, c.liver_disease_source);
    TextId id = missing.empty() ? TextId::kReasonHepaticUnknownHistory
                                : (IsUnknown(c.liver_disease) ? TextId::kReasonHepaticUnknownBoth
                                                              : TextId::kReasonHepaticUnknownLabs);
    out.push_back(st.MakeReason("hepatic_status_unknown", "DEC-5", id, {{"labs", labs}}, std::move(facts)));
  }
  if (st.in.context.iv_access == IvAccess::kUnknown) {
    out.push_back(st.MakeReason("iv_access_unknown", "DEC-5", TextId::kReasonIvAccessUnknown, {},
                                FactList(ValueFact("iv_access", Value::Unknown()))));
  }
  if (m.pattern == "unknown") {
    if (!m.list_supplied) {
      out.push_back(st.MakeReason("exposure_pattern_unknown", "DEC-5", TextId::kReasonExposureUnknownNoList, {},
                                  FactList(ValueFact("medications", Value::Str("not supplied")))));
    } else {
      std::vector<const MedEntry*> entries;
      for (const AgentExposure& a : m.d2_undetermined) entries.insert(entries.end(), a.entries.begin(), a.entries.end());
      for (const MedEntry& e : st.meds) {
        if (!e.excluded && !e.med->identified) entries.push_back(&e);
      }
      std::string names = JoinAnd(EntryNames(entries));
      out.push_back(st.MakeReason("exposure_pattern_unknown", "DEC-5", TextId::kReasonExposureUnknownTiming,
                                  {{"entries", names}}, EntryFacts(st, "medication", entries)));
    }
  } else if (m.pattern == "none" && IsUnknown(m.trigger) && m.dopaminergic_undetermined_blocks) {
    std::string names = JoinAnd(EntryNames(m.dopaminergic_undetermined));
    out.push_back(st.MakeReason("exposure_pattern_unknown", "DEC-5", TextId::kReasonExposureUnknownDopaminergic,
                                {{"entries", names}}, EntryFacts(st, "dopaminergic", m.dopaminergic_undetermined)));
  }
  // §6.3: an unknown non-DHP CCB gate is "covered by the exposure gate"; with a supplied list that happens
  // only through an undetermined verapamil/diltiazem entry, reported here under the same code.
  if (m.list_supplied && IsUnknown(m.ccb_non_dhp) && !m.ccb_non_dhp_undetermined.empty()) {
    std::string names = JoinAnd(EntryNames(m.ccb_non_dhp_undetermined));
    out.push_back(st.MakeReason("exposure_pattern_unknown", "DEC-5", TextId::kReasonExposureUnknownCcb,
                                {{"entries", names}}, EntryFacts(st, "ccb_non_dihydropyridine", m.ccb_non_dhp_undetermined)));
  }
  if ((c.rigidity == Rigidity::kUnknown || c.rigidity == Rigidity::kPresentUngraded) && !IsTrue(c.rigidity_refractory)) {
    TextId id = c.rigidity == Rigidity::kUnknown ? TextId::kReasonRigidityNotRecorded : TextId::kReasonRigidityUngraded;
    out.push_back(st.MakeReason("rigidity_grade_unknown", "DEC-5", id, {},
                                FactList(ValueFact("rigidity", c.rigidity == Rigidity::kUnknown
                                                           ? Value::Unknown()
                                                           : Value::Str("present_ungraded"),
                                           st.in.findings.rigidity_source))));
  }
  if (st.s.stage == "unknown") {
    out.push_back(st.MakeReason("stage_unknown", "DEC-5", TextId::kReasonStageUnknown, {},
                                FactList(ValueFact("woodbury_stage", Value::Str("unknown")))));
  }
  if (!m.prior_dantrolene_mg) {
    if (!m.list_supplied) {
      out.push_back(st.MakeReason("prior_dantrolene_amount_unknown", "DEC-5", TextId::kReasonPriorDantroleneNoList, {},
                                  FactList(ValueFact("medications", Value::Str("not supplied")))));
    } else {
      std::string names = JoinAnd(EntryNames(m.dantrolene_amount_missing));
      out.push_back(st.MakeReason("prior_dantrolene_amount_unknown", "DEC-5", TextId::kReasonPriorDantroleneAmount,
                                  {{"entries", names}}, EntryFacts(st, "dantrolene", m.dantrolene_amount_missing)));
    }
  }
  if (m.dantrolene_given_24h && !c.weight_kg) {
    out.push_back(st.MakeReason("weight_unknown_with_prior_dantrolene", "DEC-5", TextId::kReasonWeightUnknownPrior, {},
                                FactList(ValueFact("weight", Value::Unknown()))));
  }
  if (!m.concurrent_count) {
    if (!m.list_supplied) {
      out.push_back(st.MakeReason("concurrent_therapies_unknown", "DEC-5", TextId::kReasonConcurrentNoList, {},
                                  FactList(ValueFact("medications", Value::Str("not supplied")))));
    } else if (!m.concurrent_unknown_start.empty()) {
      std::string names = JoinAnd(EntryNames(m.concurrent_unknown_start));
      out.push_back(st.MakeReason("concurrent_therapies_unknown", "DEC-5", TextId::kReasonConcurrentStartUnknown,
                                  {{"entries", names}}, EntryFacts(st, "nms_therapy", m.concurrent_unknown_start)));
    } else {
      std::string therapies = JoinAnd(m.concurrent_members);
      out.push_back(st.MakeReason("concurrent_therapies_unknown", "DEC-5", TextId::kReasonConcurrentEctUnknown,
                                  {{"therapies", therapies}}, FactList(ValueFact("ect_history", Value::Unknown()))));
    }
  }
}

// §6.4 / §6.5: the regimen, in mg only when the weight is known (regimens.cc).
DantroleneRegimen BuildRegimen(const State& st, bool mh) {
  DantroleneDoseInput in;
  in.malignant_hyperthermia = mh;
  in.weight_kg = st.c.weight_kg;
  in.given_24h_mg = st.m.prior_dantrolene_mg;
  in.oldest_given_dose = st.m.oldest_dantrolene_dose;
  in.t0 = st.t0;
  return DantroleneDose(st.kb, in);
}

}  // namespace

void Decide(State& st) {
  AssessSuspicion(st);
  DecisionState& d = st.d;
  Dantrolene& out = st.r.dantrolene;
  // DEC-1: malignant hyperthermia; the NMS gates are not evaluated.
  if (IsTrue(st.c.mh_suspected)) {
    d.decision = "malignant_hyperthermia_protocol";
    d.mh = true;
    d.pathway = true;
    std::string agents = JoinAnd(st.m.mh_agents), features = JoinAnd(st.c.mh_feature_names);
    out.reasons.push_back(st.MakeReason("mh_trigger_within_24h", "DEC-1", TextId::kReasonMhTrigger,
                                        {{"agents", agents}}, st.m.mh_agent_facts));
    out.reasons.push_back(st.MakeReason("mh_clinical_features", "DEC-1", TextId::kReasonMhFeatures,
                                        {{"features", features}}, st.c.mh_feature_facts));
    out.decision = d.decision;
    out.regimen = BuildRegimen(st, true);
    return;
  }
  // DEC-2
  if (d.suspicion == "unlikely") {
    d.decision = "not_applicable";
    out.decision = d.decision;
    out.reasons.push_back(st.MakeReason("nms_suspicion_unlikely", "DEC-2", TextId::kReasonSuspicionUnlikely, {},
                                        FactList(ValueFact("nms_suspicion", Value::Str("unlikely")))));
    return;
  }
  ContraindicationReasons(st);
  NotIndicatedReasons(st);
  InsufficientDataReasons(st);
  if (!d.dec3.empty()) {
    d.decision = "contraindicated";
    out.reasons = std::move(d.dec3);
    out.secondary_findings = std::move(d.dec4);
    std::move(d.dec5.begin(), d.dec5.end(), std::back_inserter(out.secondary_findings));
  } else if (!d.dec4.empty()) {
    d.decision = "not_indicated";
    out.reasons = std::move(d.dec4);
    out.secondary_findings = std::move(d.dec5);
  } else if (!d.dec5.empty()) {
    d.decision = "insufficient_data";
    out.reasons = std::move(d.dec5);
  } else {
    // DEC-6: dantrolene may be considered (off-label).
    d.decision = "consider";
    const ClinicalFacts& c = st.c;
    if (c.rigidity == Rigidity::kSevere) {
      out.reasons.push_back(st.MakeReason("indication_severe_rigidity", "DEC-6", TextId::kReasonSevereRigidity, {},
                                          FactList(ValueFact("rigidity", Value::Str("severe"), st.in.findings.rigidity_source))));
    }
    if (IsTrue(c.rigidity_refractory)) {
      out.reasons.push_back(st.MakeReason(
          "indication_refractory_rigidity", "DEC-6", TextId::kReasonRefractoryRigidity, {},
          FactList(TriFact("rigidity_refractory", Tri::kTrue, st.in.findings.source(Finding::kRigidityRefractory)))));
    }
    std::vector<Fact> gate_facts = FactList(ValueFact("hepatic_status", Value::Str(c.hepatic_status)),
                                 ValueFact("iv_access", Value::Str(std::string(IvAccessName(st.in.context.iv_access))),
                                           st.in.context.iv_access_source),
                                 ValueFact("exposure_pattern", Value::Str(st.m.pattern)),
                                 ValueFact("concurrent_nms_therapies", Value::Int(st.m.concurrent_count.value_or(0))),
                                 TriFact("ccb_non_dhp_active", st.m.ccb_non_dhp));
    out.reasons.push_back(st.MakeReason("gates_passed", "DEC-6", TextId::kReasonGatesPassed, {}, std::move(gate_facts)));
    if (st.in.context.iv_access == IvAccess::kPeripheral) {
      out.preconditions.push_back({"secure_central_or_large_bore_access_first", st.Text(TextId::kPreconditionSecureAccess)});
    }
    out.regimen = BuildRegimen(st, false);
  }
  out.decision = d.decision;
}

}  // namespace nmscds::engine
