// Scores: clinical.md §4.1 IEC criteria, §4.2 Woodbury stage, §4.3 MASCC, §4.4 Hunter.
// (Cockcroft-Gault, §4.5, is DF-27 in facts.cc.)
#include <algorithm>

#include "engine/state.h"

namespace nmscds::engine {
namespace {

int Weight(const Params& p, int criterion) {
  const Fixed weights[] = {p.iec_weight_c1, p.iec_weight_c2, p.iec_weight_c3, p.iec_weight_c4,
                           p.iec_weight_c5, p.iec_weight_c6, p.iec_weight_c7, p.iec_weight_c8};
  return static_cast<int>(weights[criterion].FloorInt());
}

void AddOptional(std::vector<Fact>& facts, const char* name, const std::optional<Reading>& r, const KnowledgeBase& kb) {
  if (r) ReadingFact(NewFact(facts), name, *r, kb);
}

// §4.1: the eight IEC criteria.
void ComputeIec(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  Scores& s = st.s;
  // C1: exposure (72 h) or dopamine-agonist withdrawal (72 h).
  {
    const bool exposure = m.pattern == "monotherapy" || m.pattern == "polypharmacy" ||
                          (m.pattern == "unknown" && !m.d2_counted.empty());
    if (exposure || IsTrue(m.withdrawal_72h)) {
      s.iec[0] = Tri::kTrue;
    } else if (m.pattern == "none" && IsFalse(m.withdrawal_72h)) {
      s.iec[0] = Tri::kFalse;
    } else {
      s.iec[0] = Tri::kUnknown;
    }
  }
  // C2: hyperthermia on two occasions (DF-03).
  s.iec[1] = c.iec_hyperthermia;
  // C3: rigidity.
  s.iec[2] = c.rigidity_present;
  // C4: mental status (DF-07).
  s.iec[3] = c.mental_status_altered;
  // C5: CK >= 4 x ULN within 72 h (DF-09).
  s.iec[4] = c.ck_ge_4x;
  // C6: sympathetic lability, >= 2 of four items.
  {
    Tri items[] = {c.bp_elevation, c.bp_fluctuation, st.Find(Finding::kDiaphoresis),
                   st.Find(Finding::kUrinaryIncontinence)};
    int present = 0, unknown = 0;
    for (Tri t : items) {
      present += IsTrue(t);
      unknown += IsUnknown(t);
    }
    const int need = static_cast<int>(st.p.iec_c6_min_items.FloorInt());
    s.iec[5] = present >= need ? Tri::kTrue : (present + unknown < need ? Tri::kFalse : Tri::kUnknown);
  }
  // C7: hypermetabolism: HR >= 1.25 x baseline AND RR >= 1.5 x baseline.
  {
    auto rise = [](const std::optional<Reading>& v, const std::optional<Reading>& base, Fixed pct) {
      if (!v || !base) return Tri::kUnknown;
      return ToTri(ProductAtLeast(v->value, 100, base->value, 100 + pct.FloorInt()));
    };
    s.iec[6] = And(rise(c.hr_max_24h, c.baseline_hr, st.p.hypermetabolism_hr_pct),
                   rise(c.rr_max_24h, c.baseline_rr, st.p.hypermetabolism_rr_pct));
  }
  // C8: negative work-up; never met in febrile neutropenia (infection presumed).
  {
    Tri workup = st.Ctx(CtxFlag::kWorkupNegative);
    const bool fn = IsTrue(c.fn_status) || c.fn_presumed;
    if (fn || IsFalse(workup)) {
      s.iec[7] = Tri::kFalse;
    } else {
      s.iec[7] = And(workup, Not(c.fn_status));  // met only when FN is known absent
    }
  }
  s.iec_points = 0;
  s.iec_max_possible = 0;
  for (int i = 0; i < 8; ++i) {
    if (IsTrue(s.iec[i])) s.iec_points += Weight(st.p, i);
    if (!IsFalse(s.iec[i])) s.iec_max_possible += Weight(st.p, i);
  }
}

// §4.1: the facts shown with each IEC criterion in the report (no criterion's state reads them).
void CollectIecEvidence(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  Scores& s = st.s;
  const KnowledgeBase& kb = st.kb;
  // C1: the counted D2 antagonists and the recent dopaminergic withdrawals, else the exposure pattern.
  for (const AgentExposure& a : m.d2_counted) {
    for (const MedEntry* e : a.entries) s.iec_evidence[0].push_back(MedFact("d2_antagonist", *e, kb));
  }
  for (const AgentExposure& a : m.withdrawn) {
    if (a.last_exposure && *a.last_exposure >= st.t0 - st.p.window_withdrawal_iec_h.FloorInt() * kHour) {
      for (const MedEntry* e : a.entries) s.iec_evidence[0].push_back(MedFact("dopaminergic_withdrawal", *e, kb));
    }
  }
  if (s.iec_evidence[0].empty()) s.iec_evidence[0].push_back(ValueFact("exposure_pattern", Value::Str(m.pattern)));
  // C2: the hyperthermic occasions, else Tmax over 72 h.
  for (const Reading& r : c.iec_occasions) s.iec_evidence[1].push_back(ReadingFact("temperature", r, kb));
  if (s.iec_evidence[1].empty()) AddOptional(s.iec_evidence[1], "tmax_72h", c.tmax_72h, kb);
  // C3
  if (c.rigidity != Rigidity::kUnknown) {
    s.iec_evidence[2].push_back(
        ValueFact("rigidity", Value::Str(std::string(RigidityName(c.rigidity))), st.in.findings.rigidity_source));
  }
  // C4
  if (c.mental_status != MentalStatus::kUnknown) {
    s.iec_evidence[3].push_back(ValueFact("mental_status", Value::Str(std::string(MentalStatusName(c.mental_status))),
                                          st.in.findings.mental_status_source));
  }
  AddOptional(s.iec_evidence[3], "gcs", c.gcs_latest, kb);
  // C5
  if (c.ck_max_ratio) {
    s.iec_evidence[4].push_back(LabFact("ck", *c.ck_max_ratio, kb));
    s.iec_evidence[4].push_back(ValueFact("ck_ratio_max_72h", Value::Num(c.ck_ratio_max)));
  }
  // C6
  {
    auto& ev = s.iec_evidence[5];
    AddOptional(ev, "sbp_max_24h", c.sbp_max_24h, kb);
    AddOptional(ev, "baseline_sbp", c.baseline_sbp, kb);
    AddOptional(ev, "sbp_min_24h", c.sbp_min_24h, kb);
    AddOptional(ev, "dbp_max_24h", c.dbp_max_24h, kb);
    AddOptional(ev, "baseline_dbp", c.baseline_dbp, kb);
    AddOptional(ev, "dbp_min_24h", c.dbp_min_24h, kb);
    TriFact(NewFact(ev), "diaphoresis", st.Find(Finding::kDiaphoresis), st.in.findings.source(Finding::kDiaphoresis));
    TriFact(NewFact(ev), "urinary_incontinence", st.Find(Finding::kUrinaryIncontinence),
            st.in.findings.source(Finding::kUrinaryIncontinence));
  }
  // C7
  {
    auto& ev = s.iec_evidence[6];
    AddOptional(ev, "hr_max_24h", c.hr_max_24h, kb);
    AddOptional(ev, "baseline_hr", c.baseline_hr, kb);
    AddOptional(ev, "rr_max_24h", c.rr_max_24h, kb);
    AddOptional(ev, "baseline_rr", c.baseline_rr, kb);
  }
  // C8
  s.iec_evidence[7].push_back(ValueFact("fn_status", Value::Str(std::string(PresenceName(c.fn_status)))));
  s.iec_evidence[7].push_back(TriFact("workup_negative", st.Ctx(CtxFlag::kWorkupNegative),
                                      st.in.context.source(CtxFlag::kWorkupNegative)));
}

const char* const kStageNames[] = {"", "I", "II", "III", "IV", "V"};

// §4.2: Woodbury stage; boundaries go to the higher stage.
void ComputeWoodbury(State& st) {
  const ClinicalFacts& c = st.c;
  Scores& s = st.s;
  const KnowledgeBase& kb = st.kb;
  // Step 1: stages I/II (B16: exactly 38.0 °C does not qualify).
  const bool afebrile = c.tmax_72h && c.tmax_72h->value < st.p.woodbury_temp_c.low;
  const bool not_coma = c.mental_status != MentalStatus::kUnknown && c.mental_status != MentalStatus::kComa;
  if (afebrile && IsFalse(c.autonomic) && not_coma) {
    s.stage_lower_bound = false;
    if (IsTrue(c.catatonia_present)) {
      s.stage = "II";
      s.stage_rank = 2;
      s.stage_drivers.push_back({"catatonia", Value::Bool(true), "", "II"});
    } else if (IsTrue(c.rigidity_present) || IsTrue(st.Find(Finding::kTremor))) {
      s.stage = "I";
      s.stage_rank = 1;
      if (IsTrue(c.rigidity_present)) {
        s.stage_drivers.push_back({"rigidity", Value::Str(std::string(RigidityName(c.rigidity))), "", "I"});
      }
      if (IsTrue(st.Find(Finding::kTremor))) s.stage_drivers.push_back({"tremor", Value::Bool(true), "", "I"});
    } else {
      s.stage = "not_staged";
    }
    return;
  }
  // Step 2: the highest stage among the contributing dimensions.
  struct Dim {
    const char* name;
    int rank;  // 0 = no contribution
    bool unknown;
    Value value;
    std::string unit;
  };
  std::vector<Dim> dims;
  auto by_threshold = [&](const std::optional<Reading>& r, const ParamRange& t, const char* name) {
    if (!r) {
      dims.push_back({name, 0, true, Value::Unknown(), ""});
      return;
    }
    int rank = r->value >= t.high ? 5 : (r->value >= t.low ? 4 : 3);
    if (!st.report_evidence) {  // the value is shown only as a driver
      dims.push_back({name, rank, false, Value::Unknown(), ""});
      return;
    }
    Fact f = ReadingFact(name, *r, kb);
    dims.push_back({name, rank, false, f.value, f.unit});
  };
  by_threshold(c.tmax_24h, st.p.woodbury_temp_c, "temperature");
  by_threshold(c.hr_max_24h, st.p.woodbury_hr, "heart_rate");
  switch (c.rigidity) {
    case Rigidity::kSevere: dims.push_back({"rigidity", 5, false, Value::Str("severe"), ""}); break;
    case Rigidity::kModerate: dims.push_back({"rigidity", 4, false, Value::Str("moderate"), ""}); break;
    case Rigidity::kMild: dims.push_back({"rigidity", 3, false, Value::Str("mild"), ""}); break;
    case Rigidity::kNone: break;
    case Rigidity::kUnknown:
    case Rigidity::kPresentUngraded: dims.push_back({"rigidity", 0, true, Value::Unknown(), ""}); break;
  }
  if (c.mental_status == MentalStatus::kComa) {
    dims.push_back({"mental_status", 5, false, Value::Str("coma"), ""});
  } else if (c.mental_status == MentalStatus::kUnknown) {
    dims.push_back({"mental_status", 0, true, Value::Unknown(), ""});
  }
  int stage = 0;
  bool any_unknown = false;
  for (const Dim& d : dims) {
    stage = std::max(stage, d.rank);
    any_unknown = any_unknown || d.unknown;
  }
  if (stage == 0) {
    s.stage = "unknown";
    s.stage_rank = 0;
    s.stage_lower_bound = false;
    return;
  }
  s.stage = kStageNames[stage];
  s.stage_rank = stage;
  s.stage_lower_bound = stage < 5 && any_unknown;
  if (!st.report_evidence) return;
  for (const Dim& d : dims) {
    if (d.rank == stage) s.stage_drivers.push_back({d.name, d.value, d.unit, kStageNames[stage]});
  }
}

// §4.4: Hunter serotonin toxicity criteria (Kleene).
void ComputeHunter(State& st) {
  Scores& s = st.s;
  const ClinicalFacts& c = st.c;
  Tri agitation_or_sweat = Or(st.Find(Finding::kAgitation), st.Find(Finding::kDiaphoresis));
  Tri temp = c.tmax_24h ? ToTri(c.tmax_24h->value > st.p.hunter_temp_c) : Tri::kUnknown;
  Tri ocular = st.Find(Finding::kOcularClonus), inducible = st.Find(Finding::kInducibleClonus);
  s.hunter[0] = st.Find(Finding::kSpontaneousClonus);                             // H1
  s.hunter[1] = And(inducible, agitation_or_sweat);                                // H2
  s.hunter[2] = And(ocular, agitation_or_sweat);                                   // H3
  s.hunter[3] = And(st.Find(Finding::kTremor), st.Find(Finding::kHyperreflexia));  // H4
  s.hunter[4] = And(c.hypertonia, temp, Or(ocular, inducible));                    // H5
  Tri any = Or(s.hunter[0], s.hunter[1], s.hunter[2], s.hunter[3], s.hunter[4]);
  s.hunter_met = And(st.m.serotonergic, any);
}

}  // namespace

// §4.3: MASCC, computed only when FN is present or presumed (called from febrile_neutropenia.cc).
void ComputeMascc(State& st) {
  const ClinicalFacts& c = st.c;
  Scores& s = st.s;
  const Params& p = st.p;
  s.mascc_computed = true;
  auto item = [&](const char* id, Tri met, Fixed weight, int max_weight) {
    int pts = IsTrue(met) ? static_cast<int>(weight.FloorInt()) : 0;
    s.mascc_items.push_back({id, pts, std::string(CriterionName(met))});
    s.mascc_points += pts;
    s.mascc_max += IsUnknown(met) ? max_weight : pts;
    if (IsUnknown(met)) s.mascc_any_unknown = true;
  };
  // Burden of illness: none/mild 5, moderate 3, severe 0.
  {
    const Burden b = st.in.context.burden_of_illness;
    const int max_w = static_cast<int>(p.mascc_weight_burden_none_mild.FloorInt());
    switch (b) {
      case Burden::kNoneMild: item("burden_of_illness", Tri::kTrue, p.mascc_weight_burden_none_mild, max_w); break;
      case Burden::kModerate: item("burden_of_illness", Tri::kTrue, p.mascc_weight_burden_moderate, max_w); break;
      case Burden::kSevere: item("burden_of_illness", Tri::kFalse, p.mascc_weight_burden_severe, max_w); break;
      case Burden::kUnknown: item("burden_of_illness", Tri::kUnknown, Fixed(), max_w); break;
    }
  }
  auto w = [](Fixed f) { return static_cast<int>(f.FloorInt()); };
  item("no_hypotension", Not(c.hypotension_24h), p.mascc_weight_no_hypotension, w(p.mascc_weight_no_hypotension));
  item("no_copd", Not(c.copd), p.mascc_weight_no_copd, w(p.mascc_weight_no_copd));
  {
    Tri met = Tri::kUnknown;
    if (c.malignancy == Malignancy::kSolid) met = Tri::kTrue;
    else if (c.malignancy == Malignancy::kHematologic) met = Not(c.previous_fungal);
    else if (c.malignancy == Malignancy::kNone) met = Tri::kFalse;
    item("solid_tumor_or_no_prior_fungal", met, p.mascc_weight_solid_or_no_fungal, w(p.mascc_weight_solid_or_no_fungal));
  }
  item("no_iv_dehydration", Not(st.Ctx(CtxFlag::kDehydrationRequiringIvFluids)), p.mascc_weight_no_dehydration,
       w(p.mascc_weight_no_dehydration));
  {
    // Setting at fever onset (interfaces §2.10).
    Tri hosp = st.Ctx(CtxFlag::kHospitalizedAtFeverOnset), out = st.Ctx(CtxFlag::kOutpatientAtFeverOnset);
    Tri outpatient = Tri::kUnknown;
    if (IsTrue(out)) outpatient = Tri::kTrue;
    else if (IsTrue(hosp)) outpatient = Tri::kFalse;
    else if (IsFalse(hosp) && IsUnknown(out)) outpatient = Tri::kTrue;
    else if (IsFalse(out) && IsUnknown(hosp)) outpatient = Tri::kFalse;
    item("outpatient_onset", outpatient, p.mascc_weight_outpatient, w(p.mascc_weight_outpatient));
  }
  item("age_under_60", st.in.age_years ? ToTri(*st.in.age_years < p.mascc_age_years.FloorInt()) : Tri::kUnknown,
       p.mascc_weight_age, w(p.mascc_weight_age));
  const int low = static_cast<int>(p.mascc_low_risk.FloorInt());
  s.mascc_risk = s.mascc_points >= low ? "low" : (s.mascc_max < low ? "high" : "unknown");
}

void ComputeScores(State& st) {
  ComputeIec(st);
  if (st.report_evidence) CollectIecEvidence(st);
  ComputeWoodbury(st);
  ComputeHunter(st);
}

}  // namespace nmscds::engine
