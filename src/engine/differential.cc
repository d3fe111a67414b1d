// Differential diagnosis: clinical.md §10. All eight conditions, each with one status, in the order of
// interfaces.md §5.11. Rows are evaluated top to bottom with Kleene logic (§0.2).
#include <algorithm>

#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

std::string Names(const KnowledgeBase& kb, const std::vector<const MedEntry*>& entries, std::uint32_t role) {
  std::vector<std::string> names;
  for (const MedEntry* e : entries) {
    for (int d : e->med->ingredients) {
      if (!(kb.drug(d).roles & role)) continue;
      std::string n = DrugName(kb, d);
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  std::sort(names.begin(), names.end());
  return JoinAnd(names);
}


}  // namespace

void AssessDifferential(State& st) {
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  const Context& ctx = st.in.context;
  // Texts are filled at once: their arguments are local to each condition's block.
  auto add = [&](const char* condition, const char* status, TextId text, std::initializer_list<TextArg> args,
                 std::vector<Fact> basis) {
    DifferentialItem item;
    item.condition = condition;
    item.status = status;
    item.text = st.Text(text, args);
    item.basis = std::move(basis);
    if (item.condition == "serotonin_syndrome") st.t.serotonin_status = item.status;
    st.r.differential.push_back(std::move(item));
  };
  const Tri fn_present = c.fn_status;
  const bool fn_or_presumed = IsTrue(fn_present) || c.fn_presumed;

  // sepsis: V1-V5 are infection; colonisation and mucositis are not.
  {
    Tri v1 = Or(c.hemodynamic_instability, c.sepsis);
    Tri infection[] = {c.sepsis, v1, ctx.get(CtxFlag::kPneumonia), ctx.get(CtxFlag::kGramPositiveBacteremia),
                       ctx.get(CtxFlag::kSuspectedCatheterInfection), ctx.get(CtxFlag::kSkinSoftTissueInfection)};
    Tri any = Tri::kFalse;
    for (Tri t : infection) any = Or(any, t);
    Tri workup = st.Ctx(CtxFlag::kWorkupNegative);
    std::vector<Fact> basis = FactList(ValueFact("fn_status", Value::Str(std::string(PresenceName(fn_present)))),
                            TriFact("sepsis_syndrome", c.sepsis, ctx.source(CtxFlag::kSepsis)),
                            TriFact("hyperthermia", c.hyperthermia),
                            TriFact("workup_negative", workup, ctx.source(CtxFlag::kWorkupNegative)));
    if (IsTrue(any)) {
      add("sepsis", "suspected", TextId::kDiffSepsisSuspected, {}, std::move(basis));
    } else if (fn_or_presumed || (IsTrue(c.hyperthermia) && !IsTrue(workup))) {
      add("sepsis", "must_exclude",
                      fn_or_presumed ? TextId::kDiffSepsisMustExcludeFn : TextId::kDiffSepsisMustExcludeFever, {}, std::move(basis));
    } else if (IsTrue(workup) && IsFalse(fn_present) && IsFalse(any)) {
      add("sepsis", "unlikely", TextId::kDiffSepsisUnlikely, {}, std::move(basis));
    } else {
      add("sepsis", "possible", TextId::kDiffSepsisPossible, {}, std::move(basis));
    }
  }
  // malignant hyperthermia
  {
    std::vector<Fact> basis = FactList(TriFact("mh_trigger_exposure", m.mh_exposure), TriFact("mh_features", c.mh_features));
    if (IsTrue(c.mh_suspected)) {
      add("malignant_hyperthermia", "suspected", TextId::kDiffMhSuspected, {}, std::move(basis));
    } else if (IsTrue(m.mh_exposure)) {
      add("malignant_hyperthermia", "possible", TextId::kDiffMhPossibleExposure, {}, std::move(basis));
    } else if (IsUnknown(m.mh_exposure) && (IsTrue(c.hyperthermia) || IsTrue(c.rigidity_present))) {
      add("malignant_hyperthermia", "must_exclude", TextId::kDiffMhMustExclude, {}, std::move(basis));
    } else if (IsFalse(m.mh_exposure)) {
      add("malignant_hyperthermia", "unlikely", TextId::kDiffMhUnlikely, {}, std::move(basis));
    } else {
      add("malignant_hyperthermia", "possible", TextId::kDiffMhPossibleUnknown, {}, std::move(basis));
    }
  }
  // serotonin syndrome (Hunter criteria)
  {
    const Scores& s = st.s;
    std::vector<Fact> basis = FactList(TriFact("serotonergic_exposure", m.serotonergic));
    for (int i = 0; i < 5; ++i) TriFact(NewFact(basis), "hunter_h" + std::to_string(i + 1), s.hunter[i]);
    TriFact(NewFact(basis), "hunter_met", s.hunter_met);
    Tri any_rule = Or(s.hunter[0], s.hunter[1], s.hunter[2], s.hunter[3], s.hunter[4]);
    std::string agents = Names(st.kb, m.serotonergic_entries, kRoleSerotonergic);
    if (IsTrue(s.hunter_met)) {
      add("serotonin_syndrome", "suspected", TextId::kDiffSerotoninSuspected, {{"agents", agents}}, std::move(basis));
    } else if ((IsTrue(m.serotonergic) && IsUnknown(s.hunter_met)) || (IsUnknown(m.serotonergic) && IsTrue(any_rule))) {
      add("serotonin_syndrome", "possible", TextId::kDiffSerotoninPossible, {{"agents", agents}}, std::move(basis));
    } else if (IsFalse(m.serotonergic) || IsFalse(any_rule)) {
      add("serotonin_syndrome", "unlikely",
                      IsFalse(m.serotonergic) ? TextId::kDiffSerotoninUnlikelyNoExposure
                                              : TextId::kDiffSerotoninUnlikelyNoRule,
                      {{"agents", agents}}, std::move(basis));
    } else {
      add("serotonin_syndrome", "possible", TextId::kDiffSerotoninPossibleUnknown, {}, std::move(basis));
    }
  }
  // anticholinergic toxicity
  {
    Tri dry = st.Find(Finding::kDrySkin), myd = st.Find(Finding::kMydriasis),
        retention = st.Find(Finding::kUrinaryRetention);
    Tri bowel = c.bowel_sounds == BowelSounds::kUnknown
                    ? Tri::kUnknown
                    : ToTri(c.bowel_sounds == BowelSounds::kDecreased || c.bowel_sounds == BowelSounds::kAbsent);
    Tri suspected = And(m.anticholinergic, dry, myd, Or(bowel, retention));
    bool any_feature_present_or_unknown = false;
    for (Tri t : {dry, myd, bowel, retention}) any_feature_present_or_unknown |= !IsFalse(t);
    Tri possible = Or(And(m.anticholinergic, ToTri(any_feature_present_or_unknown)), And(dry, myd));
    std::string agents = Names(st.kb, m.anticholinergic_entries, kRoleAntimuscarinic);
    std::vector<Fact> basis = FactList(TriFact("anticholinergic_exposure", m.anticholinergic),
                            ValueFact("bowel_sounds",
                                      c.bowel_sounds == BowelSounds::kUnknown
                                          ? Value::Unknown()
                                          : Value::Str(std::string(BowelSoundsName(c.bowel_sounds))),
                                      st.in.findings.bowel_sounds_source),
                            TriFact("dry_skin", dry, st.in.findings.source(Finding::kDrySkin)),
                            TriFact("mydriasis", myd, st.in.findings.source(Finding::kMydriasis)),
                            TriFact("urinary_retention", retention, st.in.findings.source(Finding::kUrinaryRetention)));
    if (IsTrue(suspected)) {
      add("anticholinergic_toxicity", "suspected", TextId::kDiffAnticholinergicSuspected, {{"agents", agents}}, std::move(basis));
    } else if (IsTrue(possible) || IsUnknown(suspected) || IsUnknown(possible)) {
      add("anticholinergic_toxicity", "possible", TextId::kDiffAnticholinergicPossible, {{"agents", agents}}, std::move(basis));
    } else {
      add("anticholinergic_toxicity", "unlikely", TextId::kDiffAnticholinergicUnlikely, {}, std::move(basis));
    }
  }
  // heat stroke
  {
    Tri hot = c.tmax_24h ? ToTri(c.tmax_24h->value > st.p.heat_stroke_temp_c) : Tri::kUnknown;
    Tri cond = And(hot, c.mental_status_altered, st.Ctx(CtxFlag::kHeatExposure));
    std::vector<Fact> basis;
    if (c.tmax_24h) ReadingFact(NewFact(basis), "tmax_24h", *c.tmax_24h, st.kb);
    else ValueFact(NewFact(basis), "tmax_24h", Value::Unknown());
    TriFact(NewFact(basis), "heat_exposure", st.Ctx(CtxFlag::kHeatExposure), ctx.source(CtxFlag::kHeatExposure));
    std::string tmax = c.tmax_24h ? FormatReading(*c.tmax_24h, st.kb) : "unknown";
    if (IsTrue(cond)) {
      add("heat_stroke", "suspected", TextId::kDiffHeatSuspected, {{"tmax", tmax}}, std::move(basis));
    } else if (IsUnknown(cond)) {
      add("heat_stroke", "possible", TextId::kDiffHeatPossible, {{"tmax", tmax}}, std::move(basis));
    } else {
      add("heat_stroke", "unlikely", TextId::kDiffHeatUnlikely, {{"tmax", tmax}}, std::move(basis));
    }
  }
  // parkinsonism-hyperpyrexia syndrome
  {
    std::vector<std::string> names;
    for (const AgentExposure& a : m.withdrawn) names.push_back(DrugName(st.kb, a.drug));
    std::string agents = JoinAnd(names);
    Tri pattern_none = m.pattern == "none" ? Tri::kTrue : (m.pattern == "unknown" ? Tri::kUnknown : Tri::kFalse);
    std::vector<Fact> basis = FactList(TriFact("dopaminergic_withdrawal_72h", m.withdrawal_72h),
                            TriFact("dopaminergic_stop_14d", m.stop_14d),
                            ValueFact("exposure_pattern", Value::Str(m.pattern)));
    if (IsTrue(And(m.withdrawal_72h, pattern_none))) {
      add("parkinsonism_hyperpyrexia", "suspected", TextId::kDiffPhsSuspected, {{"agents", agents}}, std::move(basis));
    } else if (!IsFalse(m.stop_14d)) {
      add("parkinsonism_hyperpyrexia", "possible",
                      IsTrue(m.stop_14d) ? TextId::kDiffPhsPossible : TextId::kDiffPhsPossibleUnknown,
                      {{"agents", agents}}, std::move(basis));
    } else {
      add("parkinsonism_hyperpyrexia", "unlikely", TextId::kDiffPhsUnlikely, {}, std::move(basis));
    }
  }
  // lethal catatonia
  {
    std::vector<Fact> basis = FactList(TriFact("catatonia_present", c.catatonia_present), TriFact("nms_trigger", m.trigger));
    if (IsTrue(c.catatonia_present)) {
      bool suspected = IsFalse(m.trigger) && (IsTrue(c.hyperthermia) || IsTrue(c.autonomic));
      add("lethal_catatonia", suspected ? "suspected" : "possible",
                      suspected ? TextId::kDiffCatatoniaSuspected : TextId::kDiffCatatoniaPossible, {}, std::move(basis));
    } else if (IsUnknown(c.catatonia_present)) {
      add("lethal_catatonia", "possible", TextId::kDiffCatatoniaPossibleUnknown, {}, std::move(basis));
    } else {
      add("lethal_catatonia", "unlikely", TextId::kDiffCatatoniaUnlikely, {}, std::move(basis));
    }
  }
  // CNS infection
  {
    Tri neck = st.Find(Finding::kNeckStiffness), headache = st.Find(Finding::kHeadache);
    Tri must = And(c.hyperthermia, c.mental_status_altered, Or(neck, headache));
    Tri unlikely = And(Or(Not(c.hyperthermia), Not(c.mental_status_altered), And(Not(neck), Not(headache))),
                       Or(Not(fn_present), Not(c.mental_status_altered)));
    std::vector<Fact> basis = FactList(TriFact("hyperthermia", c.hyperthermia), TriFact("mental_status_altered", c.mental_status_altered),
                            TriFact("neck_stiffness", neck, st.in.findings.source(Finding::kNeckStiffness)),
                            TriFact("headache", headache, st.in.findings.source(Finding::kHeadache)));
    auto platelets = st.Latest(ObsKind::kPlatelets, st.p.labs_recent_h.FloorInt() * kHour);
    if (platelets) ReadingFact(NewFact(basis), "platelets", *platelets, st.kb);
    std::string lp = platelets ? st.Text(TextId::kDiffCnsPlatelets, {{"platelets", FormatReading(*platelets, st.kb)}})
                               : st.Text(TextId::kDiffCnsPlateletsUnknown);
    if (IsTrue(must)) {
      add("cns_infection", "must_exclude", TextId::kDiffCnsMustExclude, {{"lumbar_puncture", lp}}, std::move(basis));
    } else if (IsTrue(unlikely)) {
      add("cns_infection", "unlikely", TextId::kDiffCnsUnlikely, {}, std::move(basis));
    } else {
      TextId id = (IsTrue(fn_present) && IsTrue(c.mental_status_altered)) ? TextId::kDiffCnsPossibleFn
                                                                         : TextId::kDiffCnsPossible;
      add("cns_infection", "possible", id, {{"lumbar_puncture", lp}}, std::move(basis));
    }
  }

}

}  // namespace nmscds::engine
