// Missing data: clinical.md §12. Every missing item that affects the result, with what it blocks and what
// to obtain. An item is listed only where it can change something: NMS items when the NMS question is open
// (a trigger present or unknown, the clinician suspects NMS, or the pathway runs), gate items when the
// dantrolene gates are evaluated, febrile-neutropenia items when FN is present, presumed or in question.
#include <algorithm>

#include "common/sort.h"
#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {

void ListMissingData(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  const std::string& decision = st.d.decision;
  const bool nms_open = st.d.pathway || !IsFalse(m.trigger) || st.in.clinician_suspected_nms;
  // Gate items matter when the gates are evaluated, and whenever the NMS question is open: data that would
  // raise the suspicion would bring the gates into play (interfaces §2.9: the minimal case lists them).
  const bool gates_evaluated = decision == "contraindicated" || decision == "not_indicated" ||
                               decision == "insufficient_data" || decision == "consider";
  const bool gates = gates_evaluated || (nms_open && !st.d.mh);
  const bool stage_unknown = st.s.stage == "unknown";
  auto has_plan = [&](std::string_view id) {
    return std::any_of(st.r.plan.begin(), st.r.plan.end(), [&](const PlanItem& p) { return p.id == id; });
  };
  std::vector<MissingItem>& out = st.r.missing_data;
  auto add = [&](const char* item, bool blocking, std::vector<std::string> needed_for, TextId text,
                 std::initializer_list<TextArg> args) {
    std::sort(needed_for.begin(), needed_for.end());
    needed_for.erase(std::unique(needed_for.begin(), needed_for.end()), needed_for.end());
    out.push_back(MissingItem{item, blocking, std::move(needed_for), st.Text(text, args)});
  };

  if (!m.list_supplied) {
    add("medication_list", true,
        {"nms.trigger", "dantrolene.decision", "differential.malignant_hyperthermia", "differential.serotonin_syndrome",
         "differential.anticholinergic_toxicity", "differential.parkinsonism_hyperpyrexia", "plan.restart_dopaminergic"},
        TextId::kMissingMedicationList, {});
  }
  {
    std::vector<std::string> names;
    for (const AgentExposure& a : m.d2_undetermined) {
      for (const MedEntry* e : a.entries) names.push_back(e->med->name);
    }
    for (const MedEntry* e : m.dopaminergic_undetermined) names.push_back(e->med->name);
    for (const MedEntry* e : m.ccb_non_dhp_undetermined) names.push_back(e->med->name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (!names.empty()) {
      const bool blocking = m.pattern == "unknown" || m.dopaminergic_undetermined_blocks ||
                            (IsUnknown(m.ccb_non_dhp) && !m.ccb_non_dhp_undetermined.empty());
      std::vector<std::string> needed{"nms.trigger", "dantrolene.decision"};
      if (!m.dopaminergic_undetermined.empty()) needed.push_back("plan.restart_dopaminergic");
      add("medication_timing", blocking, needed, TextId::kMissingMedicationTiming, {{"entries", JoinAnd(names)}});
    }
  }
  {
    std::vector<std::string> unidentified;
    for (const MedEntry& e : st.meds) {
      if (!e.excluded && !e.med->identified) unidentified.push_back(e.med->source);
    }
    if (!unidentified.empty()) {
      add("medication_identity", true, {"nms.trigger"}, TextId::kMissingMedicationIdentity,
          {{"entries", JoinAnd(unidentified)}});
    }
  }
  if (gates) {
    if (!c.alt) add("alt", true, {"dantrolene.decision"}, TextId::kMissingAlt, {});
    if (!c.ast) add("ast", true, {"dantrolene.decision"}, TextId::kMissingAst, {});
    if (!c.bilirubin) add("total_bilirubin", false, {"plan.baseline_labs"}, TextId::kMissingBilirubin, {});
    if (IsUnknown(c.liver_disease)) add("liver_disease_history", true, {"dantrolene.decision"}, TextId::kMissingLiverHistory, {});
    if (st.in.context.iv_access == IvAccess::kUnknown) add("iv_access", true, {"dantrolene.decision"}, TextId::kMissingIvAccess, {});
    if (m.list_supplied && !m.prior_dantrolene_mg) {
      add("prior_dantrolene_amount", true, {"dantrolene.decision", "dantrolene.regimen"},
          TextId::kMissingPriorDantrolene, {});
    }
    if (m.list_supplied && !m.concurrent_count && m.concurrent_unknown_start.empty()) {
      add("ect_history", true, {"dantrolene.decision"}, TextId::kMissingEctHistory, {});
    }
  }
  if (nms_open && (c.rigidity == Rigidity::kUnknown || c.rigidity == Rigidity::kPresentUngraded) &&
      !IsTrue(c.rigidity_refractory)) {
    std::vector<std::string> needed{"nms.woodbury", "dantrolene.decision"};
    if (c.rigidity == Rigidity::kUnknown) {
      needed.push_back("nms.iec");
      needed.push_back("nms.suspicion");
    }
    add("rigidity_grade", true, needed, TextId::kMissingRigidityGrade, {});
  }
  if (!c.weight_kg && (st.d.pathway || st.d.mh || nms_open)) {
    const bool blocking = m.dantrolene_given_24h && gates_evaluated;
    std::vector<std::string> needed{"dantrolene.regimen", "renal.crcl", "plan.cooling_and_fluids"};
    if (blocking) needed.push_back("dantrolene.decision");
    add("weight", blocking, needed, TextId::kMissingWeight, {});
  }
  const bool fn_question = IsTrue(c.fn_status) || c.fn_presumed || IsTrue(c.neutropenia) ||
                           IsTrue(c.recent_chemotherapy);
  if (!c.tmax_24h && (nms_open || fn_question)) {
    add("temperature", stage_unknown && gates_evaluated, {"nms.suspicion", "nms.iec", "nms.woodbury", "febrile_neutropenia"},
        TextId::kMissingTemperature, {});
  }
  if (nms_open) {
    if (!c.hr_max_24h) {
      add("heart_rate", stage_unknown && gates_evaluated, {"nms.woodbury", "nms.iec", "nms.suspicion"}, TextId::kMissingHeartRate, {});
    }
    if (!c.sbp_max_24h || !c.dbp_max_24h) {
      add("blood_pressure", false, {"nms.iec", "nms.suspicion"}, TextId::kMissingBloodPressure, {});
    }
    if (!c.rr_max_24h) add("respiratory_rate", false, {"nms.iec"}, TextId::kMissingRespiratoryRate, {});
    if (!c.baseline_hr || !c.baseline_sbp || !c.baseline_dbp || !c.baseline_rr) {
      add("baseline_vitals", false, {"nms.iec"}, TextId::kMissingBaselineVitals, {});
    }
    if (c.mental_status == MentalStatus::kUnknown && !c.gcs_latest) {
      add("mental_status", false, {"nms.suspicion", "nms.iec", "nms.woodbury"}, TextId::kMissingMentalStatus, {});
    }
    if (IsUnknown(st.Find(Finding::kDiaphoresis))) {
      add("diaphoresis", false, {"nms.iec", "nms.suspicion"}, TextId::kMissingDiaphoresis, {});
    }
    if (IsUnknown(st.Find(Finding::kUrinaryIncontinence))) {
      add("urinary_incontinence", false, {"nms.iec", "nms.suspicion"}, TextId::kMissingIncontinence, {});
    }
    if (!c.ck_max) add("ck", false, {"nms.iec", "plan.cooling_and_fluids"}, TextId::kMissingCk, {});
    if (IsUnknown(st.Ctx(CtxFlag::kWorkupNegative)) && !IsTrue(c.fn_status) && !c.fn_presumed) {
      add("workup_negative", false, {"nms.iec"}, TextId::kMissingWorkup, {});
    }
  }
  // Febrile neutropenia.
  if (!c.anc_latest && (IsTrue(c.fn_fever) || IsTrue(c.recent_chemotherapy))) {
    add("anc", false, {"febrile_neutropenia"}, TextId::kMissingAnc, {});
  }
  if (c.anc_latest && c.anc_latest->value >= st.p.anc_neutropenia && c.anc_latest->value < st.p.anc_expected_fall &&
      IsUnknown(st.Ctx(CtxFlag::kAncExpectedToFall))) {
    add("anc_trend", false, {"febrile_neutropenia"}, TextId::kMissingAncTrend, {});
  }
  if (IsUnknown(c.recent_chemotherapy) && IsTrue(c.fn_fever) && !c.anc_latest) {
    add("recent_chemotherapy", false, {"febrile_neutropenia"}, TextId::kMissingRecentChemotherapy, {});
  }
  // Renal function: amantadine dose and the amphotericin caution.
  const bool renal_matters = has_plan("AMANTADINE") || has_plan("ANTIFUNGAL") || (st.d.pathway && !st.d.mh);
  if (renal_matters) {
    std::vector<std::string> needed{"renal.crcl"};
    if (has_plan("AMANTADINE")) needed.push_back("alternatives.amantadine");
    if (has_plan("ANTIFUNGAL")) needed.push_back("fn.antifungal");
    if (!c.creatinine_latest) add("creatinine", false, needed, TextId::kMissingCreatinine, {});
    if (!st.in.age_years) add("age", false, needed, TextId::kMissingAge, {});
    if (st.in.sex != Sex::kMale && st.in.sex != Sex::kFemale) add("sex", false, needed, TextId::kMissingSex, {});
  }
  if (st.d.pathway && !st.Latest(ObsKind::kPotassium, st.p.labs_recent_h.FloorInt() * kHour)) {
    add("potassium", false, {"plan.baseline_labs"}, TextId::kMissingPotassium, {});
  }
  if (IsTrue(m.serotonergic)) {
    bool any_unknown = !c.tmax_24h;
    for (Finding f : {Finding::kSpontaneousClonus, Finding::kInducibleClonus, Finding::kOcularClonus,
                      Finding::kHyperreflexia, Finding::kTremor, Finding::kAgitation, Finding::kDiaphoresis}) {
      any_unknown = any_unknown || IsUnknown(st.Find(f));
    }
    any_unknown = any_unknown || IsUnknown(c.hypertonia);
    if (any_unknown && IsUnknown(st.s.hunter_met)) {
      add("serotonin_findings", false, {"differential.serotonin_syndrome", "alternatives.bromocriptine"},
          TextId::kMissingSerotoninFindings, {});
    }
  }
  if (IsUnknown(st.Ctx(CtxFlag::kEnteralRouteAvailable)) &&
      (has_plan("BROMOCRIPTINE") || has_plan("AMANTADINE") || has_plan("RESTART_DOPAMINERGIC"))) {
    std::vector<std::string> needed;
    if (has_plan("BROMOCRIPTINE")) needed.push_back("alternatives.bromocriptine");
    if (has_plan("AMANTADINE")) needed.push_back("alternatives.amantadine");
    if (has_plan("RESTART_DOPAMINERGIC")) needed.push_back("plan.restart_dopaminergic");
    add("enteral_route", false, needed, TextId::kMissingEnteralRoute, {});
  }
  if (st.in.context.penicillin_allergy == PenicillinAllergy::kUnknown && has_plan("EMPIRIC_ANTIBIOTICS")) {
    add("penicillin_allergy", false, {"fn.antibiotic_choice"}, TextId::kMissingPenicillinAllergy, {});
  }
  for (const PlanItem& p : st.r.plan) {
    if (p.id == "VANCOMYCIN") {
      std::vector<std::string> items;
      for (const Fact& f : p.facts) {
        if (f.name == "vancomycin_item_unknown") {
          const std::string& v = f.value.text;
          TextId id = v == "V1" ? TextId::kVancV1 : v == "V2" ? TextId::kVancV2 : v == "V3" ? TextId::kVancV3
                    : v == "V4" ? TextId::kVancV4 : v == "V5" ? TextId::kVancV5 : v == "V6" ? TextId::kVancV6
                                                                                           : TextId::kVancV7;
          items.push_back(st.Text(id));
        }
      }
      if (!items.empty()) add("vancomycin_items", false, {"fn.vancomycin"}, TextId::kMissingVancomycinItems, {{"items", JoinAnd(items)}});
    }
    if (p.id == "GCSF") {
      int unknown = 0;
      for (const Fact& f : p.facts) unknown += f.name == "gcsf_factor_unknown";
      if (unknown > 0) add("gcsf_factors", false, {"fn.gcsf"}, TextId::kMissingGcsfFactors, {});
    }
  }
  if (IsTrue(c.fn_status)) {
    if (!m.antibiotic_hours) add("antibiotic_start", false, {"fn.antifungal"}, TextId::kMissingAntibioticStart, {});
    if (!st.in.context.expected_neutropenia_days) {
      add("expected_neutropenia_days", false, {"fn.gcsf", "fn.antifungal"}, TextId::kMissingExpectedNeutropeniaDays, {});
    }
  }
  if (st.s.mascc_computed && st.s.mascc_any_unknown) {
    std::vector<std::string> items;
    for (const MasccItem& i : st.s.mascc_items) {
      if (i.status == "unknown") items.push_back(i.id);
    }
    add("mascc_items", false, {"fn.mascc"}, TextId::kMissingMasccItems, {{"items", JoinAnd(items)}});
  }
  StableSortByKey(out, [](const MissingItem& item) { return std::pair(!item.blocking, std::string_view(item.item)); });
}

}  // namespace nmscds::engine
