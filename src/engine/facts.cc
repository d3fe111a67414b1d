// Observation and finding facts: clinical.md §3.1, §3.3 and DF-01 to DF-10, DF-16 (features),
// DF-19 to DF-27, DF-29 to DF-32.
#include <algorithm>

#include "common/text.h"
#include "engine/regimens.h"
#include "engine/state.h"

namespace nmscds::engine {

bool HigherIsWorse(ObsKind k) {
  switch (k) {
    case ObsKind::kAnc:
    case ObsKind::kWbc:
    case ObsKind::kPlatelets:
    case ObsKind::kSystolicBp:
    case ObsKind::kGcs:
    case ObsKind::kWeight:
      return false;
    default:
      return true;
  }
}

namespace {

// A comparator decides a comparison when it can; otherwise the bound is read in the cautious direction
// (interfaces §2.3): "<0.5" for ANC is below 0.5 and as low as plausible; ">40" for a temperature is as high
// as plausible.
Fixed EffectiveValue(const Observation& o, const ObservationKindDef& def) {
  const Fixed epsilon = Fixed::FromMicros(1);
  const bool higher_worse = HigherIsWorse(o.kind);
  switch (o.comparator) {
    case Comparator::kNone: return o.value;
    case Comparator::kLt: return higher_worse ? o.value - epsilon : def.plausible_low;
    case Comparator::kLe: return higher_worse ? o.value : def.plausible_low;
    case Comparator::kGt: return higher_worse ? def.plausible_high : o.value + epsilon;
    case Comparator::kGe: return higher_worse ? def.plausible_high : o.value;
  }
  return o.value;
}

Instant Hours(Fixed h) { return h.FloorInt() * kHour; }
Instant Days(Fixed d) { return d.FloorInt() * kDay; }

std::optional<Reading> MaxOf(std::span<const Reading> rs) {
  std::optional<Reading> best;
  for (const Reading& r : rs) {
    if (!best || r.value > best->value || (r.value == best->value && r.at > best->at)) best = r;
  }
  return best;
}

std::optional<Reading> MinOf(std::span<const Reading> rs) {
  std::optional<Reading> best;
  for (const Reading& r : rs) {
    if (!best || r.value < best->value || (r.value == best->value && r.at > best->at)) best = r;
  }
  return best;
}

// The baseline reading of a kind (§3.1): the latest at or before episode_onset, else the latest.
std::optional<Reading> Baseline(const State& st, ObsKind k) {
  const auto& rs = st.baselines[static_cast<std::size_t>(k)];
  std::optional<Reading> before, latest;
  for (const Reading& r : rs) {
    if (!latest || r.at >= latest->at) latest = r;
    if (st.in.episode_onset && r.at <= *st.in.episode_onset && (!before || r.at >= before->at)) before = r;
  }
  return before ? before : latest;
}

// A laboratory value with its ULN: the observation's own reference range, else the KB default (§3.3).
LabValue WithUln(State& st, const Reading& r, Fixed default_uln, std::string_view analyte) {
  LabValue v{r, default_uln, false};
  if (r.obs->ref_high) {
    v.uln = *r.obs->ref_high;
    v.uln_from_range = true;
  } else {
    st.c.default_uln_used = true;
    Fact f = LabFact(analyte, v, st.kb);
    bool seen = false;
    for (const Fact& g : st.c.default_uln_facts) {
      if (g.name == f.name) seen = true;
    }
    if (!seen) AddFact(st.c.default_uln_facts, std::move(f));
  }
  return v;
}

Fixed DefaultUln(const State& st, ObsKind k) {
  // clinical §13.5, stored with the kind definitions' units: ALT/AST 40 U/L, bilirubin 1.2 mg/dL, CK 200 U/L.
  switch (k) {
    case ObsKind::kAlt: return st.p.default_uln_alt;
    case ObsKind::kAst: return st.p.default_uln_ast;
    case ObsKind::kBilirubinTotal: return st.p.default_uln_bilirubin;
    default: return st.p.default_uln_ck;
  }
}

// DF-08 (d), IEC C6(a): BP >= 25 % above baseline, evaluated multiplicatively (§0.3).
Tri AboveBaseline(const std::optional<Reading>& max, const std::optional<Reading>& base, Fixed pct) {
  if (!max || !base) return Tri::kUnknown;
  std::int64_t factor = 100 + pct.FloorInt();
  return ToTri(ProductAtLeast(max->value, 100, base->value, factor));
}

// DF-08 (e), IEC C6(b): swing within 24 h; unknown with fewer than two readings.
Tri Fluctuation(std::span<const Reading> rs, Fixed threshold) {
  if (rs.size() < 2) return Tri::kUnknown;
  auto mx = MaxOf(rs), mn = MinOf(rs);
  return ToTri(mx->value - mn->value >= threshold);
}

void DeriveTemperatureFacts(State& st) {
  ClinicalFacts& c = st.c;
  const Fixed hyper = st.p.hyperthermia_threshold_c;
  auto t72 = st.Within(ObsKind::kTemperature, Hours(st.p.nms_window_h));
  auto t24 = st.Within(ObsKind::kTemperature, Hours(st.p.vitals_window_h));
  c.tmax_72h = MaxOf(t72);  // DF-04
  c.tmax_24h = MaxOf(t24);
  for (const Reading& r : t72) {
    if (r.obs->route != TempRoute::kOral) c.non_oral_temperature_used = true;
  }
  // DF-02: cardinal hyperthermia.
  if (t72.empty()) {
    c.hyperthermia = Tri::kUnknown;
  } else {
    c.hyperthermia = ToTri(c.tmax_72h->value > hyper);
  }
  // DF-03: > 38.0 °C on >= 2 occasions (distinct effective times).
  std::vector<Instant> times, hot_times;
  for (const Reading& r : t72) {
    if (std::find(times.begin(), times.end(), r.at) == times.end()) times.push_back(r.at);
    if (r.value > hyper) {
      if (std::find(hot_times.begin(), hot_times.end(), r.at) == hot_times.end()) {
        hot_times.push_back(r.at);
        c.iec_occasions.push_back(r);
      }
    }
  }
  const auto min_occasions = static_cast<std::size_t>(st.p.iec_c2_min_occasions.FloorInt());
  if (hot_times.size() >= min_occasions) {
    c.iec_hyperthermia = Tri::kTrue;
  } else if (times.size() >= min_occasions) {
    c.iec_hyperthermia = Tri::kFalse;
  } else {
    c.iec_hyperthermia = Tri::kUnknown;
  }
  // DF-23: fever in the febrile-neutropenia sense.
  if (t24.empty()) {
    c.fn_fever = Tri::kUnknown;
    c.fn_fever_basis = "no_readings";
    return;
  }
  const Fixed single = st.p.fn_single_c, sustained = st.p.fn_sustained_c;
  const Instant apart = st.p.fn_sustained_min.FloorInt() * kMinute;
  bool any_single = false;
  for (const Reading& r : t24) {
    if (r.value >= single) any_single = true;
  }
  if (any_single) {
    c.fn_fever = Tri::kTrue;
    c.fn_fever_basis = "single_reading_ge_38_3";
    return;
  }
  for (std::size_t i = 0; i < t24.size(); ++i) {
    if (t24[i].value < sustained) continue;
    for (std::size_t j = i + 1; j < t24.size(); ++j) {
      if (t24[j].value < sustained) break;  // a reading < 38.0 between them ends the run
      if (t24[j].at - t24[i].at >= apart) {
        c.fn_fever = Tri::kTrue;
        c.fn_fever_basis = "sustained_ge_38_0_60min";
        return;
      }
    }
  }
  const Reading latest = *st.Latest(ObsKind::kTemperature, Hours(st.p.vitals_window_h));
  c.fn_fever = latest.value < sustained ? Tri::kFalse : Tri::kUnknown;  // B10
  c.fn_fever_basis = "no_qualifying_reading";
}

void DeriveVitalSigns(State& st) {
  ClinicalFacts& c = st.c;
  const Instant w24 = Hours(st.p.vitals_window_h);
  auto hr = st.Within(ObsKind::kHeartRate, w24);
  auto rr = st.Within(ObsKind::kRespiratoryRate, w24);
  auto sbp = st.Within(ObsKind::kSystolicBp, w24);
  auto dbp = st.Within(ObsKind::kDiastolicBp, w24);
  c.hr_max_24h = MaxOf(hr);
  c.rr_max_24h = MaxOf(rr);
  c.sbp_max_24h = MaxOf(sbp);
  c.sbp_min_24h = MinOf(sbp);
  c.dbp_max_24h = MaxOf(dbp);
  c.dbp_min_24h = MinOf(dbp);
  c.gcs_latest = st.Latest(ObsKind::kGcs, w24);
  c.baseline_hr = Baseline(st, ObsKind::kHeartRate);
  c.baseline_sbp = Baseline(st, ObsKind::kSystolicBp);
  c.baseline_dbp = Baseline(st, ObsKind::kDiastolicBp);
  c.baseline_rr = Baseline(st, ObsKind::kRespiratoryRate);

  // DF-08 components (c)-(e).
  c.tachycardia = c.hr_max_24h ? ToTri(c.hr_max_24h->value > st.p.autonomic_hr) : Tri::kUnknown;
  c.bp_elevation = Or(AboveBaseline(c.sbp_max_24h, c.baseline_sbp, st.p.bp_rise_pct),
                      AboveBaseline(c.dbp_max_24h, c.baseline_dbp, st.p.bp_rise_pct));
  c.bp_fluctuation = Or(Fluctuation(sbp, st.p.bp_fluct_sbp), Fluctuation(dbp, st.p.bp_fluct_dbp));
  // DF-26
  c.hypotension_24h = c.sbp_min_24h ? ToTri(c.sbp_min_24h->value < st.p.hypotension_sbp_mmhg) : Tri::kUnknown;
  Tri unstable_input = st.Ctx(CtxFlag::kHemodynamicallyUnstable);
  if (IsTrue(unstable_input) || IsTrue(c.hypotension_24h)) {
    c.hemodynamic_instability = Tri::kTrue;
  } else if (IsFalse(c.hypotension_24h)) {
    c.hemodynamic_instability = Tri::kFalse;
  } else {
    c.hemodynamic_instability = Tri::kUnknown;
  }
}

void DeriveCardinalFeatures(State& st) {
  ClinicalFacts& c = st.c;
  // DF-06
  c.rigidity_present = c.rigidity == Rigidity::kUnknown ? Tri::kUnknown : ToTri(c.rigidity != Rigidity::kNone);
  // DF-07
  const bool gcs_known = c.gcs_latest.has_value();
  const bool gcs_low = gcs_known && c.gcs_latest->value < st.p.gcs_normal;
  if ((c.mental_status != MentalStatus::kUnknown && c.mental_status != MentalStatus::kNormal) || gcs_low) {
    c.mental_status_altered = Tri::kTrue;
  } else if (c.mental_status == MentalStatus::kNormal || (gcs_known && !gcs_low)) {
    c.mental_status_altered = Tri::kFalse;
  } else {
    c.mental_status_altered = Tri::kUnknown;
  }
  // DF-08: any component present; absent only when (a)-(e) are known absent.
  Tri a = st.Find(Finding::kDiaphoresis), b = st.Find(Finding::kUrinaryIncontinence);
  Tri f = st.Find(Finding::kAutonomicInstability);
  Tri measured = Or(a, b, c.tachycardia, c.bp_elevation, c.bp_fluctuation);
  c.autonomic = IsTrue(f) ? Tri::kTrue : measured;
  // DF-10
  for (Tri t : {c.hyperthermia, c.rigidity_present, c.mental_status_altered, c.autonomic}) {
    if (IsTrue(t)) ++c.cardinal_present;
    if (IsUnknown(t)) ++c.cardinal_unknown;
  }
  // DF-29
  Tri by_status = c.mental_status == MentalStatus::kUnknown
                      ? Tri::kUnknown
                      : ToTri(c.mental_status == MentalStatus::kCatatonic || c.mental_status == MentalStatus::kStupor);
  c.catatonia_present = Or(by_status, st.Find(Finding::kCatatonia));
  // DF-32
  Tri hypertonia = st.Find(Finding::kHypertonia);
  c.hypertonia = IsKnown(hypertonia) ? hypertonia : c.rigidity_present;
}

// DF-09: CK relative to its ULN within 72 h.
void DeriveCk(State& st) {
  ClinicalFacts& c = st.c;
  auto ck = st.Within(ObsKind::kCk, Hours(st.p.nms_window_h));
  if (ck.empty()) return;
  c.ck_max = MaxOf(ck);
  bool ge4 = false, gt5 = false;
  for (const Reading& r : ck) {
    LabValue v = WithUln(st, r, DefaultUln(st, ObsKind::kCk), "ck");
    if (v.uln > Fixed()) {
      Fixed ratio = v.reading.value.DividedBy(v.uln, 2);
      if (!c.ck_max_ratio || ratio > c.ck_ratio_max) {
        c.ck_ratio_max = ratio;
        c.ck_max_ratio = v;
      }
      ge4 = ge4 || ProductAtLeast(r.value, 1, v.uln, st.p.ck_iec_multiple.FloorInt());
      gt5 = gt5 || !ProductAtLeast(v.uln, st.p.ck_rhabdo_multiple.FloorInt(), r.value, 1);
    }
  }
  c.ck_ge_4x = ToTri(ge4);
  c.ck_gt_5x = ToTri(gt5);
}

// Liver disease, COPD, malignancy, sepsis and fungal history: context first, else the problem list (§2.7).
void DeriveHistory(State& st) {
  ClinicalFacts& c = st.c;
  const Context& ctx = st.in.context;
  auto from_conditions = [&](ConceptId concept_id, bool current_only, bool false_when_absent, std::string* source) {
    if (!st.in.conditions_supplied) return Tri::kUnknown;
    for (const Condition& cond : st.in.conditions) {
      if (!(cond.concepts & ConceptBit(concept_id))) continue;
      if (cond.status == ConditionStatus::kRefuted) continue;
      if (current_only && cond.status != ConditionStatus::kActive) continue;
      if (source) *source = cond.source;
      return Tri::kTrue;
    }
    return false_when_absent ? Tri::kFalse : Tri::kUnknown;
  };
  // Liver disease (DF-19 input): "past conditions do not count".
  c.liver_disease = ctx.get(CtxFlag::kLiverDisease);
  c.liver_disease_source = ctx.source(CtxFlag::kLiverDisease);
  if (IsUnknown(c.liver_disease)) {
    c.liver_disease = from_conditions(ConceptId::kLiverDisease, true, true, &c.liver_disease_source);
    if (IsTrue(c.liver_disease)) {
      for (const Condition& cond : st.in.conditions) {
        if (cond.source == c.liver_disease_source) c.liver_disease_detail = cond.text.empty() ? cond.code : cond.text;
      }
    }
  }
  c.copd = ctx.get(CtxFlag::kCopd);
  if (IsUnknown(c.copd)) c.copd = from_conditions(ConceptId::kCopd, true, true, nullptr);
  c.sepsis = ctx.get(CtxFlag::kSepsis);
  if (IsUnknown(c.sepsis)) c.sepsis = from_conditions(ConceptId::kSepsis, true, false, nullptr);
  c.invasive_fungal = ctx.get(CtxFlag::kInvasiveFungalInfection);
  if (IsUnknown(c.invasive_fungal)) c.invasive_fungal = from_conditions(ConceptId::kFungalInfection, true, false, nullptr);
  c.previous_fungal = ctx.get(CtxFlag::kPreviousFungalInfection);
  if (IsUnknown(c.previous_fungal) && st.in.conditions_supplied) {
    for (const Condition& cond : st.in.conditions) {
      if ((cond.concepts & ConceptBit(ConceptId::kFungalInfection)) && cond.status == ConditionStatus::kPast) {
        c.previous_fungal = Tri::kTrue;
      }
    }
  }
  // Malignancy type: context, else conditions (haematological wins); an unspecified malignancy is known
  // to exist but its type stays unknown.
  c.malignancy = ctx.malignancy;
  bool any_malignancy_condition = false;
  if (st.in.conditions_supplied) {
    bool heme = false, solid = false;
    for (const Condition& cond : st.in.conditions) {
      if (cond.status == ConditionStatus::kRefuted) continue;
      if (cond.concepts & ConceptBit(ConceptId::kMalignancyHematologic)) heme = true;
      if (cond.concepts & ConceptBit(ConceptId::kMalignancySolid)) solid = true;
      if (cond.concepts & (ConceptBit(ConceptId::kMalignancyHematologic) | ConceptBit(ConceptId::kMalignancySolid) |
                           ConceptBit(ConceptId::kMalignancyUnspecified))) {
        any_malignancy_condition = true;
      }
    }
    if (c.malignancy == Malignancy::kUnknown) {
      if (heme) c.malignancy = Malignancy::kHematologic;
      else if (solid) c.malignancy = Malignancy::kSolid;
    }
  }
  c.malignancy_known_present = c.malignancy == Malignancy::kSolid || c.malignancy == Malignancy::kHematologic ||
                               (c.malignancy == Malignancy::kUnknown && any_malignancy_condition);

  // DF-31: recent cytotoxic chemotherapy.
  const Instant recent = Days(st.p.recent_chemo_days);
  std::optional<Instant> last = ctx.last_chemotherapy_at;
  if (last && *last > st.t0) {
    st.after_t0.push_back(ValueFact("last_chemotherapy_at", Value::Str(FormatDateTime(*last)), ctx.last_chemotherapy_source));
    last.reset();
  }
  if (st.m.last_chemo_from_meds && (!last || *st.m.last_chemo_from_meds > *last)) last = st.m.last_chemo_from_meds;
  Tri flag = ctx.get(CtxFlag::kRecentChemotherapy);
  if ((last && *last >= st.t0 - recent) || IsTrue(flag)) {
    c.recent_chemotherapy = Tri::kTrue;
  } else if (last || IsFalse(flag)) {
    c.recent_chemotherapy = Tri::kFalse;
  } else if (ctx.malignancy == Malignancy::kNone ||
             (ctx.malignancy == Malignancy::kUnknown && st.in.conditions_supplied && !any_malignancy_condition)) {
    c.recent_chemotherapy = Tri::kFalse;
  } else {
    c.recent_chemotherapy = Tri::kUnknown;
  }
}

// DF-19: hepatic status.
void DeriveHepatic(State& st) {
  ClinicalFacts& c = st.c;
  const Instant w = Days(st.p.hepatic_window_days);
  auto lab = [&](ObsKind k, std::string_view name, std::optional<LabValue>& out, Tri& above) {
    auto r = st.Latest(k, w);
    if (!r) return;
    out = WithUln(st, *r, DefaultUln(st, k), name);
    above = ToTri(out->reading.value > out->uln);
  };
  lab(ObsKind::kAlt, "alt", c.alt, c.alt_above);
  lab(ObsKind::kAst, "ast", c.ast, c.ast_above);
  lab(ObsKind::kBilirubinTotal, "bilirubin_total", c.bilirubin, c.bilirubin_above);
  if (IsTrue(c.liver_disease) || IsTrue(c.alt_above) || IsTrue(c.ast_above) || IsTrue(c.bilirubin_above)) {
    c.hepatic_status = "dysfunction";
  } else if (IsFalse(c.alt_above) && IsFalse(c.ast_above) && !IsTrue(c.bilirubin_above) && IsFalse(c.liver_disease)) {
    c.hepatic_status = "normal";  // B8: liver-disease status must be known
  } else {
    c.hepatic_status = "unknown";
  }
}

// DF-24, DF-25, DF-30 (FN risk needs the pathway and MASCC: completed in scores.cc).
void DeriveNeutropenia(State& st) {
  ClinicalFacts& c = st.c;
  c.anc_latest = st.Latest(ObsKind::kAnc, Hours(st.p.anc_window_h));
  Tri expected = st.Ctx(CtxFlag::kAncExpectedToFall);
  if (!c.anc_latest) {
    c.neutropenia = c.profound_neutropenia = Tri::kUnknown;
  } else {
    Fixed anc = c.anc_latest->value;
    if (anc < st.p.anc_neutropenia || (anc < st.p.anc_expected_fall && IsTrue(expected))) {
      c.neutropenia = Tri::kTrue;
    } else if (anc >= st.p.anc_expected_fall || IsFalse(expected)) {
      c.neutropenia = Tri::kFalse;
    } else {
      c.neutropenia = Tri::kUnknown;  // B11
    }
    c.profound_neutropenia = ToTri(anc <= st.p.anc_profound_gcsf);
  }
  c.fn_status = And(c.fn_fever, c.neutropenia);
  c.fn_presumed = IsUnknown(c.fn_status) && IsTrue(c.fn_fever) &&
                  (IsTrue(c.recent_chemotherapy) || (IsUnknown(c.recent_chemotherapy) && c.malignancy_known_present));
}

// DF-27: Cockcroft-Gault, truncated to 0.1 mL/min.
void DeriveCrcl(State& st) {
  ClinicalFacts& c = st.c;
  c.creatinine_latest = st.Latest(ObsKind::kCreatinine, Hours(st.p.creatinine_window_h));
  if (!st.in.age_years || !c.weight_kg || !c.creatinine_latest || c.creatinine_latest->value <= Fixed()) return;
  c.crcl_sex_assumed_female = st.in.sex != Sex::kMale && st.in.sex != Sex::kFemale;  // B14
  c.crcl = CockcroftGault(st.kb, *st.in.age_years, *c.weight_kg, c.creatinine_latest->value, st.in.sex);
}

// DF-16 features and the MH suspicion.
void DeriveMhFeatures(State& st) {
  ClinicalFacts& c = st.c;
  if (!IsTrue(st.m.mh_exposure)) {
    c.mh_features = Tri::kUnknown;
    c.mh_suspected = And(st.m.mh_exposure, Tri::kUnknown);
    return;
  }
  Tri temp = Tri::kUnknown;
  const Instant first = *st.m.mh_first_exposure;
  for (const Reading& r : st.readings[static_cast<std::size_t>(ObsKind::kTemperature)]) {
    if (r.at < first) continue;
    if (r.value > st.p.hyperthermia_threshold_c) {
      if (!IsTrue(temp)) ReadingFact(NewFact(c.mh_feature_facts), "temperature", r, st.kb);
      temp = Tri::kTrue;
    } else if (IsUnknown(temp)) {
      temp = Tri::kFalse;
    }
  }
  if (IsTrue(temp)) c.mh_feature_names.push_back("temperature above 38.0 °C after the exposure");
  Tri masseter = st.Find(Finding::kMasseterRigidity), hypercarbia = st.Find(Finding::kHypercarbia);
  if (IsTrue(c.rigidity_present)) {
    c.mh_feature_names.push_back("rigidity");
    ValueFact(NewFact(c.mh_feature_facts), "rigidity", Value::Str(std::string(RigidityName(c.rigidity))),
                                           st.in.findings.rigidity_source);
  }
  if (IsTrue(masseter)) {
    c.mh_feature_names.push_back("masseter spasm");
    TriFact(NewFact(c.mh_feature_facts), "masseter_rigidity", masseter, st.in.findings.source(Finding::kMasseterRigidity));
  }
  if (IsTrue(hypercarbia)) {
    c.mh_feature_names.push_back("hypercarbia");
    TriFact(NewFact(c.mh_feature_facts), "hypercarbia", hypercarbia, st.in.findings.source(Finding::kHypercarbia));
  }
  c.mh_features = Or(temp, c.rigidity_present, masseter, hypercarbia);
  c.mh_suspected = And(st.m.mh_exposure, c.mh_features);
}

// Labs that BASELINE_LABS asks for (§8.2): no result within 24 h.
void FindStaleLabs(State& st) {
  const Instant w = Hours(st.p.labs_recent_h);
  for (const BaselineLab& lab : kBaselineLabs) {
    if (!st.Latest(lab.kind, w)) st.c.stale_labs.push_back(&lab);
  }
  st.c.potassium_latest = st.Latest(ObsKind::kPotassium, w);
}

}  // namespace

void PrepareClinicalInputs(State& st) {
  // Observations: episode readings and baselines at or before T0, in time order (§0.1, §3.1).
  std::array<std::size_t, kObsKindCount> counts{};
  for (const Observation& o : st.in.observations) ++counts[static_cast<std::size_t>(o.kind)];
  for (std::size_t k = 0; k < kObsKindCount; ++k) st.readings[k].reserve(counts[k]);
  for (const Observation& o : st.in.observations) {
    if (o.time > st.t0) {
      st.after_t0.push_back(ValueFact(ObsKindName(o.kind), Value::Num(o.value), o.source));
      st.after_t0.back().at = o.time;
      continue;
    }
    Reading r{EffectiveValue(o, st.kb.kind(o.kind)), o.time, &o};
    (o.baseline ? st.baselines : st.readings)[static_cast<std::size_t>(o.kind)].push_back(r);
  }
  for (auto& rs : st.readings) {
    std::sort(rs.begin(), rs.end(), [](const Reading& a, const Reading& b) {
      if (a.at != b.at) return a.at < b.at;
      if (a.value != b.value) return a.value < b.value;
      return a.obs->source < b.obs->source;
    });
  }
  // Findings count when assessed within 24 h before T0; older ones are unknown (§3.1).
  ClinicalFacts& c = st.c;
  const Findings& f = st.in.findings;
  Instant assessed = f.assessed_at.value_or(st.t0);
  c.findings_fresh = assessed >= st.t0 - Hours(st.p.findings_window_h) && assessed <= st.t0;
  c.finding.fill(Tri::kUnknown);
  if (c.findings_fresh) {
    c.finding = f.flags;
    c.rigidity = f.rigidity;
    c.mental_status = f.mental_status;
    c.bowel_sounds = f.bowel_sounds;
  }
  c.rigidity_refractory = ToTri(IsTrue(c.finding[static_cast<std::size_t>(Finding::kRigidityRefractory)]));
  c.finding[static_cast<std::size_t>(Finding::kRigidityRefractory)] = c.rigidity_refractory;
  // A catatonia condition with onset within the findings window counts as the finding (§2.7).
  Tri& catatonia = c.finding[static_cast<std::size_t>(Finding::kCatatonia)];
  if (IsUnknown(catatonia) && st.in.conditions_supplied) {
    for (const Condition& cond : st.in.conditions) {
      if ((cond.concepts & ConceptBit(ConceptId::kCatatonia)) && cond.status == ConditionStatus::kActive &&
          cond.onset && *cond.onset <= st.t0 && *cond.onset >= st.t0 - Hours(st.p.findings_window_h)) {
        catatonia = Tri::kTrue;
      }
    }
  }
  c.rigidity_present = c.rigidity == Rigidity::kUnknown ? Tri::kUnknown : ToTri(c.rigidity != Rigidity::kNone);
  // DF-21: latest weight within 30 days; an undated weight is current.
  if (st.in.weight) {
    const Weight& w = *st.in.weight;
    if (w.measured_at && *w.measured_at > st.t0) {
      st.after_t0.push_back(ValueFact("weight", Value::Num(w.kg), w.source));
      st.after_t0.back().at = w.measured_at;
    } else if (!w.measured_at || *w.measured_at >= st.t0 - Days(st.p.weight_window_days)) {
      c.weight_kg = w.kg;
      c.weight_at = w.measured_at;
    }
  }
  // DF-20
  switch (st.in.context.iv_access) {
    case IvAccess::kCentral:
    case IvAccess::kLargeBorePeripheral: c.iv_access_class = "adequate"; break;
    case IvAccess::kPeripheral: c.iv_access_class = "conditional"; break;
    case IvAccess::kPoor:
    case IvAccess::kNone: c.iv_access_class = "inadequate"; break;
    case IvAccess::kUnknown: c.iv_access_class = "unknown"; break;
  }
}

void DeriveClinicalFacts(State& st) {
  DeriveTemperatureFacts(st);
  DeriveVitalSigns(st);
  DeriveCardinalFeatures(st);
  DeriveCk(st);
  DeriveHistory(st);
  DeriveHepatic(st);
  DeriveNeutropenia(st);
  DeriveCrcl(st);
  DeriveMhFeatures(st);
  FindStaleLabs(st);
}

}  // namespace nmscds::engine
