// The assessment engine: the order of evaluation, shared fact helpers, and the report's summary sections
// (nms, febrile_neutropenia, hepatic, renal, input, references).
#include "engine/engine.h"

#include <algorithm>
#include <set>

#include "common/sort.h"
#include "common/text.h"
#include "engine/state.h"
#include "nmscds_version.h"

namespace nmscds {
namespace engine {
namespace {

// Display form of a canonical UCUM unit in texts.
std::string_view DisplayUnit(std::string_view ucum) {
  if (ucum == "Cel") return " °C";
  if (ucum == "/min") return "/min";
  if (ucum == "mm[Hg]") return " mmHg";
  if (ucum == "10*9/L") return " x10^9/L";
  if (ucum == "{score}" || ucum == "{INR}") return "";
  static thread_local std::string buf;
  buf = " ";
  buf += ucum;
  return buf;
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string StageLabel(const State& st, const std::string& stage) {
  TextId id = stage == "I"     ? TextId::kLabelStageI
              : stage == "II"  ? TextId::kLabelStageII
              : stage == "III" ? TextId::kLabelStageIII
              : stage == "IV"  ? TextId::kLabelStageIV
              : stage == "V"   ? TextId::kLabelStageV
              : stage == "not_staged" ? TextId::kLabelStageNotStaged
                                      : TextId::kLabelStageUnknown;
  return st.Text(id);
}

// nms.trigger.agents (§3.2): counted and undetermined D2 antagonists, then withdrawn dopaminergic agents,
// sorted by name.
std::vector<TriggerAgent> TriggerAgents(const State& st) {
  const MedicationFacts& m = st.m;
  std::vector<TriggerAgent> agents;
  auto agent = [&](const AgentExposure& a, std::string klass) {
    const Drug& d = st.kb.drug(a.drug);
    return TriggerAgent{DrugName(st.kb, a.drug), d.rxcuis.empty() ? "" : d.rxcuis.front(), std::move(klass), a.exposure,
                        a.last_exposure};
  };
  for (const AgentExposure& a : m.d2_counted) agents.push_back(agent(a, st.kb.PrimaryClass(a.drug).token));
  for (const AgentExposure& a : m.d2_undetermined) agents.push_back(agent(a, st.kb.PrimaryClass(a.drug).token));
  for (const AgentExposure& a : m.withdrawn) agents.push_back(agent(a, "dopaminergic"));
  StableSortByKey(agents, [](const TriggerAgent& a) { return std::pair(AsciiLower(a.name), std::string_view(a.rxnorm)); });
  return agents;
}

void FillNms(State& st) {
  NmsSection& n = st.r.nms;
  const ClinicalFacts& c = st.c;
  const MedicationFacts& m = st.m;
  n.suspicion = st.d.suspicion;
  n.suspicion_rule = st.d.suspicion_rule;
  static const char* const kIds[] = {"exposure",           "hyperthermia",         "rigidity",        "mental_status",
                                     "ck_elevation",       "sympathetic_lability", "hypermetabolism", "negative_workup"};
  const Fixed weights[] = {st.p.iec_weight_c1, st.p.iec_weight_c2, st.p.iec_weight_c3, st.p.iec_weight_c4,
                           st.p.iec_weight_c5, st.p.iec_weight_c6, st.p.iec_weight_c7, st.p.iec_weight_c8};
  n.iec.points = st.s.iec_points;
  n.iec.max_possible = st.s.iec_max_possible;
  n.iec.cutoff = static_cast<int>(st.p.iec_cutoff.FloorInt());
  n.iec.meets_cutoff = n.iec.points >= n.iec.cutoff;
  n.iec.could_meet_cutoff = n.iec.max_possible >= n.iec.cutoff;
  for (int i = 0; i < 8; ++i) {
    n.iec.criteria.push_back(Criterion{i + 1, kIds[i], static_cast<int>(weights[i].FloorInt()),
                                       std::string(CriterionName(st.s.iec[i])), std::move(st.s.iec_evidence[i])});
  }
  // Cardinal features (DF-02, DF-06, DF-07, DF-08, DF-10).
  CardinalFeatures& cf = n.cardinal_features;
  cf.present_count = c.cardinal_present;
  cf.unknown_count = c.cardinal_unknown;
  cf.hyperthermia.status = PresenceName(c.hyperthermia);
  if (c.tmax_72h) ReadingFact(NewFact(cf.hyperthermia.evidence), "tmax_72h", *c.tmax_72h, st.kb);
  cf.rigidity.status = PresenceName(c.rigidity_present);
  if (c.rigidity != Rigidity::kUnknown) {
    AddFact(cf.rigidity.evidence, 
        ValueFact("rigidity", Value::Str(std::string(RigidityName(c.rigidity))), st.in.findings.rigidity_source));
  }
  cf.altered_mental_status.status = PresenceName(c.mental_status_altered);
  if (c.mental_status != MentalStatus::kUnknown) {
    ValueFact(NewFact(cf.altered_mental_status.evidence), 
        "mental_status", Value::Str(std::string(MentalStatusName(c.mental_status))), st.in.findings.mental_status_source);
  }
  if (c.gcs_latest) ReadingFact(NewFact(cf.altered_mental_status.evidence), "gcs", *c.gcs_latest, st.kb);
  cf.autonomic_dysfunction.status = PresenceName(c.autonomic);
  {
    auto& ev = cf.autonomic_dysfunction.evidence;
    for (Finding f : {Finding::kDiaphoresis, Finding::kUrinaryIncontinence, Finding::kAutonomicInstability}) {
      if (IsKnown(st.Find(f))) TriFact(NewFact(ev), FindingName(f), st.Find(f), st.in.findings.source(f));
    }
    if (c.hr_max_24h) ReadingFact(NewFact(ev), "hr_max_24h", *c.hr_max_24h, st.kb);
    if (c.sbp_max_24h) ReadingFact(NewFact(ev), "sbp_max_24h", *c.sbp_max_24h, st.kb);
    if (c.sbp_min_24h) ReadingFact(NewFact(ev), "sbp_min_24h", *c.sbp_min_24h, st.kb);
    if (c.dbp_max_24h) ReadingFact(NewFact(ev), "dbp_max_24h", *c.dbp_max_24h, st.kb);
    if (c.dbp_min_24h) ReadingFact(NewFact(ev), "dbp_min_24h", *c.dbp_min_24h, st.kb);
    if (c.baseline_sbp) ReadingFact(NewFact(ev), "baseline_sbp", *c.baseline_sbp, st.kb);
    if (c.baseline_dbp) ReadingFact(NewFact(ev), "baseline_dbp", *c.baseline_dbp, st.kb);
  }
  // Woodbury
  n.woodbury.stage = st.s.stage;
  n.woodbury.label = StageLabel(st, st.s.stage);
  n.woodbury.is_lower_bound = st.s.stage_lower_bound;
  n.woodbury.drivers = std::move(st.s.stage_drivers);
  // Trigger
  n.trigger.type = m.trigger_type;
  n.trigger.pattern = m.pattern;
  n.trigger.agents = TriggerAgents(st);
}

void FillFebrileNeutropenia(State& st) {
  FebrileNeutropenia& fn = st.r.febrile_neutropenia;
  const ClinicalFacts& c = st.c;
  fn.status = PresenceName(c.fn_status);
  fn.presumed = c.fn_presumed;
  fn.high_risk = IsTrue(c.fn_high_risk);
  fn.fever.status = PresenceName(c.fn_fever);
  fn.fever.basis = c.fn_fever_basis;
  if (c.tmax_24h) {
    fn.fever.max_c = c.tmax_24h->obs->value;
    fn.fever.at = c.tmax_24h->at;
  }
  fn.anc.status = IsTrue(c.neutropenia) ? "neutropenic" : (IsFalse(c.neutropenia) ? "not_neutropenic" : "unknown");
  if (c.anc_latest) {
    fn.anc.value_10e9_l = c.anc_latest->obs->value;
    fn.anc.at = c.anc_latest->at;
  }
  Tri expected = st.Ctx(CtxFlag::kAncExpectedToFall);
  if (IsKnown(expected)) fn.anc.expected_to_fall = IsTrue(expected);
  fn.profound = IsTrue(c.profound_neutropenia) ? "yes" : (IsFalse(c.profound_neutropenia) ? "no" : "unknown");
  fn.mascc.risk = st.s.mascc_risk;
  if (st.s.mascc_computed) {
    fn.mascc.score = st.s.mascc_points;
    fn.mascc.max_possible = st.s.mascc_max;
    fn.mascc.items = std::move(st.s.mascc_items);
  }
}

void FillHepaticRenal(State& st) {
  const ClinicalFacts& c = st.c;
  st.r.hepatic.status = c.hepatic_status;
  if (c.alt) LabFact(NewFact(st.r.hepatic.basis), "alt", *c.alt, st.kb);
  if (c.ast) LabFact(NewFact(st.r.hepatic.basis), "ast", *c.ast, st.kb);
  if (c.bilirubin) LabFact(NewFact(st.r.hepatic.basis), "bilirubin_total", *c.bilirubin, st.kb);
  TriFact(NewFact(st.r.hepatic.basis), "liver_disease", c.liver_disease, c.liver_disease_source);

  Renal& renal = st.r.renal;
  renal.status = c.crcl ? "computed" : "unknown";
  renal.crcl_ml_min = c.crcl;
  Tri dialysis = st.Ctx(CtxFlag::kDialysis);
  if (IsKnown(dialysis)) renal.dialysis = IsTrue(dialysis);
  AddFact(renal.basis, st.in.age_years ? ValueFact("age_years", Value::Int(*st.in.age_years), st.in.age_source)
                                        : ValueFact("age_years", Value::Unknown()));
  if (c.weight_kg) {
    Fact w = ValueFact("weight", Value::Num(*c.weight_kg), st.in.weight->source);
    w.unit = "kg";
    w.at = c.weight_at;
    AddFact(renal.basis, std::move(w));
  } else {
    ValueFact(NewFact(renal.basis), "weight", Value::Unknown());
  }
  Sex sex = st.in.sex == Sex::kOther ? Sex::kUnknown : st.in.sex;
  ValueFact(NewFact(renal.basis), "sex", Value::Str(std::string(SexName(sex))), st.in.sex_source);
  if (c.crcl && c.crcl_sex_assumed_female) {
    ValueFact(NewFact(renal.basis), "sex_factor", Value::Str("female factor applied (sex unknown)"));
  }
  AddFact(renal.basis, c.creatinine_latest ? ReadingFact("creatinine", *c.creatinine_latest, st.kb)
                                            : ValueFact("creatinine", Value::Unknown()));
}

// input.counts and input.ignored (interfaces §5.4): every item read either fed a fact or is counted under a
// reason. The reader reports what it already knows (not_in_knowledge_base, status_excluded, entered_in_error,
// and for FHIR unsupported resources); the engine adds what only the rules know (after T0, outside window,
// unrecognised condition codes). Display-only observation kinds are kept (interfaces §2.10) and count as used.
void FillInput(State& st) {
  const InputInfo& in = st.in.input;
  InputSummary& out = st.r.input;
  static const char* const kFormats[] = {"nmscds-case", "fhir-bundle", "cds-hooks", "fhir-bulk"};
  static const char* const kSources[] = {"input", "override", "bundle_timestamp", "clock", "request"};
  out.format = kFormats[static_cast<int>(in.format)];
  out.sha256 = in.sha256;
  out.bundle_type = in.bundle_type;
  out.assessed_at_source = kSources[static_cast<int>(in.assessed_at_source)];
  out.read = in.read;
  std::vector<IgnoredItems> ignored;
  auto count = [&](const char* kind, const char* reason) {
    for (IgnoredItems& i : ignored) {
      if (i.kind == kind && i.reason == reason) {
        ++i.count;
        return;
      }
    }
    ignored.push_back({kind, reason, 1});
  };
  for (const IgnoredCount& i : in.ignored) ignored.push_back({i.kind, i.reason, i.count});

  const ClinicalFacts& c = st.c;
  // input.ignored kinds are the native array names, or FHIR resource types for FHIR input (§5.4).
  const bool fhir = in.format != InputFormat::kNativeCase;
  auto window = [&](ObsKind k) -> std::optional<Instant> {
    switch (k) {
      case ObsKind::kTemperature:
      case ObsKind::kCk: return st.p.nms_window_h.FloorInt() * kHour;
      case ObsKind::kHeartRate:
      case ObsKind::kSystolicBp:
      case ObsKind::kDiastolicBp:
      case ObsKind::kRespiratoryRate:
      case ObsKind::kGcs:
      case ObsKind::kCreatinine:
      case ObsKind::kPotassium:
      case ObsKind::kPlatelets: return 24 * kHour;
      case ObsKind::kAlt:
      case ObsKind::kAst:
      case ObsKind::kBilirubinTotal: return st.p.hepatic_window_days.FloorInt() * kDay;
      case ObsKind::kAnc: return st.p.anc_window_h.FloorInt() * kHour;
      default: return std::nullopt;  // display-only kinds: kept, no window
    }
  };
  for (const Observation& o : st.in.observations) {
    if (o.time > st.t0) {
      count(fhir ? "Observation" : "observations", "after_assessed_at");
    } else if (o.baseline) {
      bool chosen = false;
      for (const auto* b : {&c.baseline_hr, &c.baseline_sbp, &c.baseline_dbp, &c.baseline_rr}) {
        chosen = chosen || (*b && (*b)->obs == &o);
      }
      if (!chosen) count(fhir ? "Observation" : "observations", "outside_window");
    } else if (auto w = window(o.kind); w && o.time < st.t0 - *w) {
      count(fhir ? "Observation" : "observations", "outside_window");
    }
  }
  for (const MedEntry& e : st.meds) {
    const MedStatus status = e.med->status;
    const bool reader_counted = e.med->ingredients.empty() || status == MedStatus::kNotTaken ||
                                status == MedStatus::kEnteredInError;
    const char* med_kind = fhir && !e.med->kind.empty() ? e.med->kind.c_str() : "medications";
    const char* admin_kind = fhir ? "MedicationAdministration" : "administrations";
    if (!reader_counted && e.excluded) count(med_kind, status == MedStatus::kPlanned ? "status_excluded" : "after_assessed_at");
    for (const Administration& a : e.med->administrations) {
      if (e.med->ingredients.empty()) count(admin_kind, "not_in_knowledge_base");
      else if (a.at > st.t0) count(admin_kind, "after_assessed_at");
    }
  }
  for (const Condition& cond : st.in.conditions) {
    if (cond.concepts == 0) count(fhir ? "Condition" : "conditions", "unrecognised_code");
  }
  for (const Procedure& p : st.in.procedures) {
    if (p.time > st.t0) count(fhir ? "Procedure" : "procedures", "after_assessed_at");
    else if (p.time < st.t0 - st.p.ect_active_days.FloorInt() * kDay) count(fhir ? "Procedure" : "procedures", "outside_window");
  }
  std::sort(ignored.begin(), ignored.end(), [](const IgnoredItems& a, const IgnoredItems& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.reason < b.reason;
  });
  int ignored_total = 0;
  for (const IgnoredItems& i : ignored) ignored_total += i.count;
  out.ignored_count = std::min(ignored_total, in.read);
  out.used = in.read - out.ignored_count;
  out.ignored = std::move(ignored);
  out.unavailable = in.unavailable;
  SortUnique(out.unavailable);
}

void CollectReferences(State& st) {
  Report& r = st.r;
  // Each item's refs sorted and unique; the report's list is every cited reference once, by id.
  std::vector<char> cited(st.kb.references.size());
  std::vector<std::string_view> unknown;  // not in the knowledge base (kb verify prevents this)
  auto take = [&](std::vector<std::string>& refs) {
    if (!std::is_sorted(refs.begin(), refs.end())) std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    for (const std::string& id : refs) {
      const int index = st.kb.ReferenceIndex(id);
      if (index >= 0) cited[static_cast<std::size_t>(index)] = 1;
      else unknown.push_back(id);
    }
  };
  for (Reason& x : r.dantrolene.reasons) take(x.refs);
  for (Reason& x : r.dantrolene.secondary_findings) take(x.refs);
  for (Alternative& x : r.alternatives) take(x.refs);
  for (PlanItem& x : r.plan) take(x.refs);
  for (PlanItem& x : r.monitoring) take(x.refs);
  for (Warning& x : r.warnings) take(x.refs);
  for (Note& x : r.notes) take(x.refs);
  for (int index : st.kb.ReferencesById()) {
    const Reference& ref = st.kb.references[static_cast<std::size_t>(index)];
    if (cited[static_cast<std::size_t>(index)]) r.references.push_back(Citation{ref.id, ref.citation});
  }
  if (!unknown.empty()) {
    std::sort(unknown.begin(), unknown.end());
    unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
    for (std::string_view id : unknown) r.references.push_back(Citation{std::string(id), std::string(id)});
    StableSortByKey(r.references, [](const Citation& c) { return std::string_view(c.id); });
  }
}

}  // namespace

State::State(const Case& input, const KnowledgeBase& knowledge)
    : in(input), kb(knowledge), p(knowledge.params), t0(input.assessed_at), drug(knowledge.rule_drugs()) {}

std::span<const Reading> State::Within(ObsKind kind, Instant window) const {
  // Readings are sorted by time, so the window is a suffix.
  const std::vector<Reading>& rs = readings[static_cast<std::size_t>(kind)];
  auto first = std::lower_bound(rs.begin(), rs.end(), t0 - window,
                                [](const Reading& x, Instant bound) { return x.at < bound; });
  return {first, rs.end()};
}

std::optional<Reading> State::Latest(ObsKind kind, Instant window) const {
  std::optional<Reading> best;
  const bool higher_worse = HigherIsWorse(kind);
  for (const Reading& x : readings[static_cast<std::size_t>(kind)]) {
    if (x.at < t0 - window) continue;
    if (!best || x.at > best->at) {
      best = x;
    } else if (x.at == best->at && (higher_worse ? x.value > best->value : x.value < best->value)) {
      best = x;  // §0.1: a tie takes the worse value
    }
  }
  return best;
}

std::string State::Text(TextId id, std::initializer_list<TextArg> args) const {
  const TextEntry& entry = kb.text(id);
  return FillTemplate(entry.text, entry.parts, args);
}

Reason State::MakeReason(std::string code, std::string rule, TextId id, std::initializer_list<TextArg> args,
                         std::vector<Fact> facts) const {
  return Reason{std::move(code), std::move(rule), Text(id, args), std::move(facts), Refs(id)};
}

std::string FormatNumber(Fixed v, int decimals) { return v.ToString(decimals); }

std::string FormatWhen(Instant t, Instant t0) {
  return DayNumber(t) == DayNumber(t0) ? FormatClock(t) : FormatDateTimeShort(t);
}

std::string DrugName(const KnowledgeBase& kb, int drug) { return kb.drug(drug).name; }

std::string FormatReading(const Reading& r, const KnowledgeBase& kb) {
  const ObservationKindDef& def = kb.kind(r.obs->kind);
  std::string prefix;
  switch (r.obs->comparator) {
    case Comparator::kLt: prefix = "<"; break;
    case Comparator::kLe: prefix = "<="; break;
    case Comparator::kGt: prefix = ">"; break;
    case Comparator::kGe: prefix = ">="; break;
    case Comparator::kNone: break;
  }
  return prefix + FormatNumber(r.obs->value, def.decimals) + std::string(DisplayUnit(def.canonical_unit));
}

void ReadingFact(Fact& out, std::string_view name, const Reading& r, const KnowledgeBase& kb) {
  const Observation& o = *r.obs;
  const ObservationKindDef& def = kb.kind(o.kind);
  out.name = name;
  // A value with a comparator ("<0.1") is written as text so that the relation stays visible.
  if (o.comparator == Comparator::kNone) {
    out.value = Value::Num(o.value);
  } else {
    std::string text = FormatReading(r, kb);
    text.resize(std::min(text.size(), text.find(' ')));
    out.value = Value::Str(std::move(text));
  }
  if (std::string_view(def.canonical_unit) != "{score}") out.unit = def.canonical_unit;
  out.at = o.time;
  out.source = o.source;
}

void LabFact(Fact& out, std::string_view name, const LabValue& v, const KnowledgeBase& kb) {
  ReadingFact(out, name, v.reading, kb);
  out.uln = v.uln;
  out.uln_source = v.uln_from_range ? "reference_range" : "default";
}

void ValueFact(Fact& out, std::string_view name, Value&& v, std::string_view source) {
  out.name = name;
  out.value = std::move(v);
  out.source = source;
}

void TriFact(Fact& out, std::string_view name, Tri t, std::string_view source) {
  out.name = name;
  if (IsUnknown(t)) {
    out.value.text = "unknown";  // Value::Unknown(): the source of an unknown is not shown
    return;
  }
  out.value.type = Value::Type::kBool;
  out.value.boolean = IsTrue(t);
  out.source = source;
}

void MedFact(Fact& out, std::string_view name, const MedEntry& e, const KnowledgeBase& kb) {
  std::vector<std::string> names;
  for (int d : e.med->ingredients) names.push_back(DrugName(kb, d));
  ValueFact(out, name, Value::Str(names.empty() ? e.med->name : JoinAnd(names)), e.med->source);
  out.at = e.LastExposure(e.assessed_at);
}

}  // namespace engine

namespace {

// The steps every screen field comes from (RunEngineForScreen stops after them).
void DeriveAndDecide(engine::State& st) {
  engine::PrepareClinicalInputs(st);   // readings, findings freshness, weight (DF-21)
  engine::DeriveMedicationFacts(st);   // §3.2, DF-11..DF-18, DF-22, DF-28
  engine::DeriveClinicalFacts(st);     // DF-01..DF-10, DF-16 features, DF-19..DF-27, DF-29..DF-32
  engine::ComputeScores(st);           // §4
  engine::Decide(st);                  // §5, §6
}

}  // namespace

Report RunEngine(const Case& input, const KnowledgeBase& kb) {
  engine::State st(input, kb);
  // Room for the largest plan the spec can produce (22 plan ids, 4 monitoring ids), so that items are not
  // moved again as the lists grow (the screen's RunEngineForScreen builds none of them).
  st.r.plan.reserve(24);
  st.r.monitoring.reserve(4);
  st.r.warnings.reserve(16);
  st.r.notes.reserve(16);
  st.r.differential.reserve(12);
  st.r.alternatives.reserve(4);
  DeriveAndDecide(st);
  engine::AssessDifferential(st);      // §10
  engine::SelectTherapies(st);         // §7
  engine::PlanFebrileNeutropenia(st);  // §9 (and DF-30, MASCC)
  engine::BuildPlan(st);               // §8
  engine::AddWarningsAndNotes(st);     // §11, §15
  engine::ListMissingData(st);         // §12

  Report& r = st.r;
  r.engine_version = NMSCDS_VERSION;
  r.kb_version = kb.version;
  r.kb_sha256 = kb.sha256;
  r.protocol = "standard";
  r.patient_id = input.patient_id;
  r.assessed_at = input.assessed_at;
  engine::FillInput(st);
  engine::FillNms(st);
  engine::FillFebrileNeutropenia(st);
  engine::FillHepaticRenal(st);
  engine::CollectReferences(st);
  return std::move(st.r);
}

ScreenAssessment ScreenAssessmentOf(const Report& report) {
  ScreenAssessment a;
  a.suspicion = report.nms.suspicion;
  a.iec_points = report.nms.iec.points;
  a.iec_max_possible = report.nms.iec.max_possible;
  a.woodbury_stage = report.nms.woodbury.stage;
  a.trigger_type = report.nms.trigger.type;
  a.trigger_pattern = report.nms.trigger.pattern;
  for (const TriggerAgent& agent : report.nms.trigger.agents) a.trigger_agents.push_back(agent.name);
  a.dantrolene_decision = report.dantrolene.decision;
  a.fn_status = report.febrile_neutropenia.status;
  a.fn_presumed = report.febrile_neutropenia.presumed;
  return a;
}

// The report's values of these fields are copied from the same State members by FillNms and
// FillFebrileNeutropenia, which RunEngine runs after steps that do not change them.
ScreenAssessment RunEngineForScreen(const Case& input, const KnowledgeBase& kb) {
  engine::State st(input, kb);
  st.report_evidence = false;
  DeriveAndDecide(st);
  ScreenAssessment a;
  a.suspicion = st.d.suspicion;
  a.iec_points = st.s.iec_points;
  a.iec_max_possible = st.s.iec_max_possible;
  a.woodbury_stage = st.s.stage;
  a.trigger_type = st.m.trigger_type;
  a.trigger_pattern = st.m.pattern;
  for (TriggerAgent& agent : engine::TriggerAgents(st)) a.trigger_agents.push_back(std::move(agent.name));
  a.dantrolene_decision = st.d.decision;
  a.fn_status = std::string(PresenceName(st.c.fn_status));
  a.fn_presumed = st.c.fn_presumed;
  return a;
}

}  // namespace nmscds
