// Febrile neutropenia: clinical.md §9 (and DF-30, MASCC §4.3). Produces EMPIRIC_ANTIBIOTICS (step 1) and the
// step-4 items CONTINUE_ANTIBIOTICS, VANCOMYCIN (VANC-1..3), GCSF (G-1..3) and ANTIFUNGAL (AF-1).
// These run whenever FN is present or presumed, whatever the NMS suspicion; the engine never delays or
// withholds empirical antibiotics because NMS is suspected (§1.2) and never computes their doses.
#include <algorithm>

#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

struct Item {
  const char* label;  // V1.. / G-a..
  Tri state;
  std::string text;
};

// The items that are present and those that are unknown (VANC-1/2, G-1/2), each recorded as a fact.
struct Sorted {
  std::vector<std::string> present, unknown;
};
Sorted SortItems(const std::vector<Item>& items, const char* present_fact, const char* unknown_fact,
                 std::vector<Fact>& facts) {
  Sorted out;
  for (const Item& it : items) {
    if (IsTrue(it.state)) {
      out.present.push_back(it.text);
      ValueFact(NewFact(facts), present_fact, Value::Str(it.label));
    } else if (IsUnknown(it.state)) {
      out.unknown.push_back(it.text);
      ValueFact(NewFact(facts), unknown_fact, Value::Str(it.label));
    }
  }
  return out;
}

void EmpiricAntibiotics(State& st) {
  const ClinicalFacts& c = st.c;
  const Context& ctx = st.in.context;
  const bool fn = IsTrue(c.fn_status) || c.fn_presumed;
  if (!fn || IsTrue(st.m.empiric_active)) return;
  const Instant minutes = st.p.antibiotic_first_dose_min.FloorInt();
  const std::string by = FormatWhen(st.t0 + minutes * kMinute, st.t0), within = FormatNumber(st.p.antibiotic_first_dose_min);
  TextId agents_id = TextId::kAbxAgentsUnknown;
  std::vector<std::string> options;
  switch (ctx.penicillin_allergy) {
    case PenicillinAllergy::kNone:
      agents_id = TextId::kAbxAgentsNone;
      options = {"cefepime", "piperacillin-tazobactam", "meropenem"};
      break;
    case PenicillinAllergy::kNonSevere:
      agents_id = TextId::kAbxAgentsNonSevere;
      options = {"cefepime", "meropenem"};
      break;
    case PenicillinAllergy::kSevere:
      agents_id = IsTrue(st.Ctx(CtxFlag::kFluoroquinoloneProphylaxis)) ? TextId::kAbxAgentsSevereAfterFq
                                                                       : TextId::kAbxAgentsSevere;
      options = {"aztreonam + vancomycin", "ciprofloxacin + clindamycin"};
      if (IsTrue(st.Ctx(CtxFlag::kFluoroquinoloneProphylaxis))) options.pop_back();
      break;
    case PenicillinAllergy::kUnknown:
      agents_id = TextId::kAbxAgentsUnknown;
      options = {"cefepime", "piperacillin-tazobactam", "meropenem"};
      break;
  }
  std::string agents = st.Text(agents_id);
  PlanItem item;
  item.step = 1;
  item.id = "EMPIRIC_ANTIBIOTICS";
  item.priority = "immediate";
  item.status = "recommended";
  item.rule = "P-ABX";
  if (IsTrue(c.fn_status)) {
    item.text = st.Text(TextId::kPlanEmpiricAntibiotics, {{"agents", agents}, {"minutes", within}, {"by", by}});
  } else if (c.anc_latest) {
    // Presumed with an ANC on file (0.5-0.99 with its trend unknown, DF-24): there is no result to wait for,
    // so the antibiotic is given now rather than after a STAT count (the cautious reading of §9.1).
    item.text = st.Text(TextId::kPlanEmpiricAntibioticsPresumedTrendUnknown,
                        {{"agents", agents}, {"minutes", within}, {"by", by}, {"anc", FormatNumber(c.anc_latest->value)}});
  } else {
    item.text = st.Text(TextId::kPlanEmpiricAntibioticsPresumed, {{"agents", agents}, {"minutes", within}, {"by", by}});
  }
  if (c.tmax_24h) ReadingFact(NewFact(item.facts), "temperature", *c.tmax_24h, st.kb);
  AddFact(item.facts, c.anc_latest ? ReadingFact("anc", *c.anc_latest, st.kb) : ValueFact("anc", Value::Unknown()));
  ValueFact(NewFact(item.facts), "penicillin_allergy",
                                 ctx.penicillin_allergy == PenicillinAllergy::kUnknown
                                     ? Value::Unknown()
                                     : Value::Str(std::string(PenicillinAllergyName(ctx.penicillin_allergy))),
                                 ctx.penicillin_allergy_source);
  for (const std::string& o : options) ValueFact(NewFact(item.facts), "empiric_option", Value::Str(o));
  item.refs = st.Refs(TextId::kPlanEmpiricAntibiotics);
  st.r.plan.push_back(std::move(item));
}

void Vancomycin(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  Tri v6 = Or(st.Ctx(CtxFlag::kMrsaColonized), st.Ctx(CtxFlag::kVreColonized), st.Ctx(CtxFlag::kPrspColonized));
  Tri ceftazidime = Or(ToTri(m.ceftazidime_active), st.Ctx(CtxFlag::kCeftazidimeEmpiric));
  if (!m.list_supplied && !IsTrue(ceftazidime)) ceftazidime = Tri::kUnknown;
  std::vector<Item> items = {
      {"V1", Or(c.hemodynamic_instability, c.sepsis), st.Text(TextId::kVancV1)},
      {"V2", st.Ctx(CtxFlag::kPneumonia), st.Text(TextId::kVancV2)},
      {"V3", st.Ctx(CtxFlag::kGramPositiveBacteremia), st.Text(TextId::kVancV3)},
      {"V4", st.Ctx(CtxFlag::kSuspectedCatheterInfection), st.Text(TextId::kVancV4)},
      {"V5", st.Ctx(CtxFlag::kSkinSoftTissueInfection), st.Text(TextId::kVancV5)},
      {"V6", v6, st.Text(TextId::kVancV6)},
      {"V7", And(st.Ctx(CtxFlag::kSevereMucositis), st.Ctx(CtxFlag::kFluoroquinoloneProphylaxis), ceftazidime),
       st.Text(TextId::kVancV7)}};
  PlanItem item;
  item.step = 4;
  item.id = "VANCOMYCIN";
  const auto [present, unknown] = SortItems(items, "vancomycin_indication", "vancomycin_item_unknown", item.facts);
  const std::string review_low = FormatNumber(st.p.vancomycin_review_h.low),
                    review_high = FormatNumber(st.p.vancomycin_review_h.high);
  if (!present.empty()) {
    item.rule = "VANC-1";
    item.status = "recommended";
    item.priority = IsTrue(c.hemodynamic_instability) ? "immediate" : "urgent";
    const bool vre_only = present.size() == 1 && IsTrue(st.Ctx(CtxFlag::kVreColonized)) &&
                          !IsTrue(st.Ctx(CtxFlag::kMrsaColonized)) && !IsTrue(st.Ctx(CtxFlag::kPrspColonized));
    TextId id = vre_only ? TextId::kPlanVancomycinVre
                         : (m.vancomycin_active ? TextId::kPlanVancomycinContinue : TextId::kPlanVancomycin);
    item.text = st.Text(id, {{"indications", JoinAnd(present)}, {"review_low_h", review_low}, {"review_high_h", review_high}});
    item.refs = st.Refs(id);
  } else if (!unknown.empty()) {
    item.rule = "VANC-2";
    item.status = "conditional";
    item.priority = "routine";
    item.text = st.Text(TextId::kPlanVancomycinConditional, {{"items", JoinAnd(unknown, "or")}});
    item.refs = st.Refs(TextId::kPlanVancomycinConditional);
  } else {
    item.rule = "VANC-3";
    item.status = "not_indicated";
    item.priority = "routine";
    item.text = st.Text(TextId::kPlanVancomycinNotIndicated);
    item.refs = st.Refs(TextId::kPlanVancomycinNotIndicated);
  }
  st.r.plan.push_back(std::move(item));
}

void Gcsf(State& st) {
  const ClinicalFacts& c = st.c;
  const Context& ctx = st.in.context;
  Tri expected = ctx.expected_neutropenia_days
                     ? ToTri(*ctx.expected_neutropenia_days >= st.p.gcsf_expected_days)
                     : Tri::kUnknown;
  Tri older = st.in.age_years ? ToTri(*st.in.age_years > st.p.gcsf_age.FloorInt()) : Tri::kUnknown;
  Tri hosp = st.Ctx(CtxFlag::kHospitalizedAtFeverOnset), out = st.Ctx(CtxFlag::kOutpatientAtFeverOnset);
  Tri inpatient = IsTrue(hosp) ? Tri::kTrue : (IsTrue(out) ? Tri::kFalse : (IsFalse(out) && IsUnknown(hosp) ? Tri::kTrue
                                                                            : (IsFalse(hosp) && IsUnknown(out) ? Tri::kFalse
                                                                                                               : Tri::kUnknown)));
  const std::string anc = c.anc_latest ? FormatNumber(c.anc_latest->value) : "unknown";
  const std::string days = ctx.expected_neutropenia_days ? FormatNumber(*ctx.expected_neutropenia_days) : "unknown";
  const std::string age = st.in.age_years ? std::to_string(*st.in.age_years) : "unknown";
  std::vector<Item> items = {
      {"G-a", c.profound_neutropenia, st.Text(TextId::kGcsfA, {{"anc", anc}})},
      {"G-b", expected, st.Text(TextId::kGcsfB, {{"days", days}})},
      {"G-c", Or(c.sepsis, c.hemodynamic_instability), st.Text(TextId::kGcsfC)},
      {"G-d", older, st.Text(TextId::kGcsfD, {{"age", age}})},
      {"G-e", st.Ctx(CtxFlag::kPneumonia), st.Text(TextId::kGcsfE)},
      {"G-f", c.invasive_fungal, st.Text(TextId::kGcsfF)},
      {"G-g", inpatient, st.Text(TextId::kGcsfG)},
      {"G-h", st.Ctx(CtxFlag::kUncontrolledPrimaryDisease), st.Text(TextId::kGcsfH)}};
  PlanItem item;
  item.step = 4;
  item.id = "GCSF";
  item.priority = "routine";
  const auto [present, unknown] = SortItems(items, "gcsf_factor", "gcsf_factor_unknown", item.facts);
  TextId id;
  if (!present.empty()) {
    item.rule = "G-1";
    item.status = "consider";
    id = TextId::kPlanGcsfConsider;
  } else if (!unknown.empty()) {
    item.rule = "G-2";
    item.status = "conditional";
    id = TextId::kPlanGcsfConditional;
  } else {
    item.rule = "G-3";
    item.status = "not_indicated";
    id = TextId::kPlanGcsfNotIndicated;
  }
  item.text = st.Text(id, {{"factors", JoinAnd(present)}, {"unknown", JoinAnd(unknown, "or")}});
  item.refs = st.Refs(id);
  st.r.plan.push_back(std::move(item));
}

void Antifungal(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  if (!m.antibiotic_hours || !IsTrue(c.fn_fever)) return;
  if (*m.antibiotic_hours < st.p.antifungal_fever_hours) return;
  // Cautions (§9.6) and the preference they imply.
  const std::string& decision = st.d.decision;
  const bool vori_caution = decision == "consider" || decision == "malignant_hyperthermia_protocol" ||
                            c.hepatic_status != "normal";
  const bool ampho_caution = IsTrue(c.ck_gt_5x) || !c.crcl || *c.crcl < st.p.amphotericin_crcl_ml_min;
  std::string cautions;
  if (vori_caution) AppendSentence(cautions, st.Text(TextId::kAntifungalVoriconazoleCaution));
  AppendSentence(cautions, st.Text(TextId::kAntifungalCyp3a4));
  if (ampho_caution) AppendSentence(cautions, st.Text(TextId::kAntifungalAmphotericinCaution));
  std::string preferred;
  std::string preference;
  if (vori_caution != ampho_caution) {
    preferred = vori_caution ? "liposomal amphotericin B" : "voriconazole";
    preference = " " + st.Text(TextId::kAntifungalPrefer, {{"agent", preferred}});
  }
  // IDSA conditions, shown but not suppressing (union rule).
  Tri prolonged = st.in.context.expected_neutropenia_days
                      ? ToTri(*st.in.context.expected_neutropenia_days > st.p.prolonged_neutropenia_days)
                      : Tri::kUnknown;
  Tri idsa = And(c.fn_high_risk, prolonged);
  const std::string idsa_state(CriterionName(idsa));
  std::string switch_class = m.mould_azole_active ? " " + st.Text(TextId::kAntifungalSwitchClass) : "";
  PlanItem item;
  item.step = 4;
  item.id = "ANTIFUNGAL";
  item.priority = "urgent";
  item.status = "consider";
  item.rule = "AF-1";
  item.text = st.Text(TextId::kPlanAntifungal, {{"hours", FormatNumber(m.antibiotic_hours->Floor(0))},
                                                {"idsa", st.Text(IsTrue(idsa)    ? TextId::kAntifungalIdsaMet
                                                                 : IsFalse(idsa) ? TextId::kAntifungalIdsaNotMet
                                                                                 : TextId::kAntifungalIdsaUnknown)}}) +
              preference + cautions + switch_class;
  ValueFact(NewFact(item.facts), "antibiotic_hours", Value::Num(*m.antibiotic_hours), "");
  item.facts.back().unit = "h";
  ValueFact(NewFact(item.facts), "antifungal_idsa_conditions", Value::Str(idsa_state));
  if (!preferred.empty()) ValueFact(NewFact(item.facts), "antifungal_preferred", Value::Str(preferred));
  item.refs = st.Refs(TextId::kPlanAntifungal);
  st.r.plan.push_back(std::move(item));
}

}  // namespace

void PlanFebrileNeutropenia(State& st) {
  ClinicalFacts& c = st.c;
  const bool fn = IsTrue(c.fn_status) || c.fn_presumed;
  if (fn) ComputeMascc(st);
  // DF-30
  {
    const Scores& s = st.s;
    bool prolonged_profound = st.in.context.expected_neutropenia_days &&
                              *st.in.context.expected_neutropenia_days > st.p.prolonged_neutropenia_days &&
                              c.anc_latest && c.anc_latest->value <= st.p.anc_profound_gcsf;
    bool high = st.d.pathway || (s.mascc_computed && (s.mascc_risk == "high" || s.mascc_risk == "unknown")) ||
                prolonged_profound || IsTrue(c.hypotension_24h) || IsTrue(st.Ctx(CtxFlag::kPneumonia));
    c.fn_high_risk = ToTri(high);
  }
  EmpiricAntibiotics(st);
  if (!IsTrue(c.fn_status)) return;  // step 4 only once FN is confirmed (§9.1)
  PlanItem cont;
  cont.step = 4;
  cont.id = "CONTINUE_ANTIBIOTICS";
  cont.priority = "routine";
  cont.status = "recommended";
  cont.rule = "P-ABX-CONT";
  cont.text = st.Text(TextId::kPlanContinueAntibiotics, {{"anc", FormatNumber(st.p.anc_neutropenia)},
                                                         {"review_low_days", FormatNumber(st.p.antibiotic_review_days.low)},
                                                         {"review_high_days", FormatNumber(st.p.antibiotic_review_days.high)}});
  cont.refs = st.Refs(TextId::kPlanContinueAntibiotics);
  if (st.m.antibiotic_hours) {
    ValueFact(NewFact(cont.facts), "antibiotic_hours", Value::Num(*st.m.antibiotic_hours));
    cont.facts.back().unit = "h";
  }
  st.r.plan.push_back(std::move(cont));
  Vancomycin(st);
  Gcsf(st);
  Antifungal(st);
}

}  // namespace nmscds::engine
