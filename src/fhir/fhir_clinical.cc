// Examination findings (interfaces.md §4.6) and context items (§4.7): nmscds-coded and SNOMED finding
// Observations, Conditions, Procedures, AllergyIntolerances and Devices, and the precedence that turns their
// assertions into the case's findings and context.
#include <fmt/format.h>

#include <algorithm>

#include "common/text.h"
#include "fhir/fhir_mapper.h"

namespace nmscds::fhir {

namespace {

constexpr int kFalse = 0;
constexpr int kTrue = 1;

// The enum value of an nmscds value code for an enumerated item, or -1. `name_of(i)` gives the code of
// enumerator i (enumerator 0 is "unknown").
template <typename E, typename NameOf>
int EnumValueOf(std::string_view code, NameOf name_of, int count) {
  for (int i = 1; i < count; ++i) {
    if (name_of(static_cast<E>(i)) == code) return i;
  }
  return -1;
}

int EnumItemValue(std::string_view item, std::string_view code) {
  if (item == "iv_access") return EnumValueOf<IvAccess>(code, IvAccessName, 6);
  if (item == "malignancy") return EnumValueOf<Malignancy>(code, MalignancyName, 4);
  if (item == "burden_of_illness") return EnumValueOf<Burden>(code, BurdenName, 4);
  if (item == "penicillin_allergy") return EnumValueOf<PenicillinAllergy>(code, PenicillinAllergyName, 4);
  if (item == "location") return EnumValueOf<Location>(code, LocationName, 3);
  if (item == "rigidity") return EnumValueOf<Rigidity>(code, RigidityName, 6);
  if (item == "mental_status") return EnumValueOf<MentalStatus>(code, MentalStatusName, 7);
  if (item == "bowel_sounds") return EnumValueOf<BowelSounds>(code, BowelSoundsName, 5);
  return -1;
}

bool IsEnumItem(std::string_view item) {
  return item == "iv_access" || item == "malignancy" || item == "burden_of_illness" || item == "penicillin_allergy" ||
         item == "location";
}
bool IsDateItem(std::string_view item) {
  return item == "antibiotics_started_at" || item == "fever_onset_at" || item == "last_chemotherapy_at" ||
         item == "episode_onset";
}

// "More abnormal" order of rigidity for ties (§4.6): a graded assertion says more than an ungraded one.
int RigidityRank(Rigidity r) {
  switch (r) {
    case Rigidity::kNone: return 0;
    case Rigidity::kPresentUngraded: return 1;
    case Rigidity::kMild: return 2;
    case Rigidity::kModerate: return 3;
    case Rigidity::kSevere: return 4;
    case Rigidity::kUnknown: break;
  }
  return -1;
}

std::optional<CtxFlag> CtxFlagByName(std::string_view name) {
  for (std::size_t i = 0; i < kCtxFlagCount; ++i) {
    if (CtxFlagName(static_cast<CtxFlag>(i)) == name) return static_cast<CtxFlag>(i);
  }
  return std::nullopt;
}

std::optional<Finding> FindingByName(std::string_view name) {
  for (std::size_t i = 0; i < kFindingCount; ++i) {
    if (FindingName(static_cast<Finding>(i)) == name) return static_cast<Finding>(i);
  }
  return std::nullopt;
}

// The winner among assertions: the latest; at the same time the highest rank. `conflict` is set when
// assertions at that time disagree.
const Assertion* Latest(const std::vector<Assertion>& list, bool* conflict) {
  const Assertion* best = nullptr;
  for (const Assertion& a : list) {
    if (best == nullptr || a.time > best->time || (a.time == best->time && a.rank > best->rank)) best = &a;
  }
  *conflict = false;
  if (best != nullptr) {
    for (const Assertion& a : list) {
      if (a.time == best->time && (a.value != best->value || a.date_value != best->date_value ||
                                   a.quantity_value != best->quantity_value)) {
        *conflict = true;
      }
    }
  }
  return best;
}

}  // namespace

// ---- findings (§4.6) ---------------------------------------------------------------------------------------

void Mapper::ReadFindingObservation(const Res& r, std::string_view finding, std::string_view level) {
  auto time = EffectiveTime(r, true);
  if (!ResourceOk()) return;
  if (!time) {
    Problem("missing_time", r.path + ".effective[x]", fmt::format("the finding {} has no effective time", finding));
    return;
  }
  std::optional<element> value;
  std::string value_member;
  for (auto field : r.obj) {
    if (field.key.rfind("value", 0) == 0) {
      value = field.value;
      value_member = std::string(field.key);
    }
  }
  // The generic reading of §4.6: true, false, an nmscds value code, or unknown (-1).
  int yes_no = -1;
  std::string_view value_code;
  if (!value) {
    if (!Member(r.obj, "dataAbsentReason")) yes_no = kTrue;  // asserted without a value: present
  } else if (value_member == "valueBoolean") {
    bool b = false;
    if (value->get(b) != simdjson::SUCCESS) {
      Problem("wrong_type", r.path + ".valueBoolean", "valueBoolean must be true or false");
      return;
    }
    yes_no = b ? kTrue : kFalse;
  } else if (value_member == "valueCodeableConcept") {
    for (const Coding& c : Codings(*value)) {
      if (c.system == kNmscdsValue) value_code = c.code;
      if (finding == "rigidity") {
        if (const FhirCode* g = kb_.FindFhirCode(FhirCodeList::kRigidityGrades, c.system, c.code)) value_code = g->meaning;
      }
      if (const FhirCode* v = kb_.FindFhirCode(FhirCodeList::kFindingValues, c.system, c.code)) {
        yes_no = v->meaning == "true" ? kTrue : kFalse;
      }
    }
  }
  Assertion a;
  a.time = Place(*time);
  a.source = r.path;
  if (finding == "rigidity") {
    Rigidity g = Rigidity::kUnknown;
    if (int v = EnumItemValue("rigidity", value_code); v > 0) g = static_cast<Rigidity>(v);
    else if (yes_no == kTrue) g = Rigidity::kPresentUngraded;
    else if (yes_no == kFalse) g = Rigidity::kNone;
    a.value = static_cast<int>(g);
    a.rank = RigidityRank(g);
  } else if (finding == "mental_status" || finding == "bowel_sounds") {
    // A mental-state SNOMED code asserted present gives its level; asserted absent it gives no level.
    const int v = !level.empty() ? (yes_no == kTrue ? EnumItemValue(finding, level) : -1)
                                 : EnumItemValue(finding, value_code);
    a.value = a.rank = v < 0 ? 0 : v;
  } else {
    a.value = a.rank = yes_no < 0 ? 0 : yes_no;
    if (yes_no < 0) a.value = -1;
  }
  const bool unknown = finding == "rigidity" || finding == "mental_status" || finding == "bowel_sounds"
                           ? a.value == 0
                           : a.value < 0;
  if (unknown) {
    Ignore(r.type, "value_absent");  // §4.6: dataAbsentReason or any other value: unknown
    return;
  }
  if (!InWindow(r, a.time, kb_.params.findings_window_h.FloorInt() * kHour)) return;
  findings_[std::string(finding)].push_back(std::move(a));
}

void Mapper::ResolveFindings() {
  Findings& f = c_.findings;
  std::optional<Instant> latest;
  std::vector<std::string> conflicts;
  InputWarning warning;
  for (const auto& [name, list] : findings_) {
    bool conflict = false;
    const Assertion* a = Latest(list, &conflict);
    if (a == nullptr) continue;
    if (!latest || a->time > *latest) latest = a->time;
    if (conflict) {
      conflicts.push_back(fmt::format("{} at {}", name, FormatDateTime(a->time)));
      for (const Assertion& x : list) {
        if (x.time == a->time) warning.sources.push_back(x.source);
      }
    }
    if (name == "rigidity") {
      f.rigidity = static_cast<Rigidity>(a->value);
      f.rigidity_source = a->source;
    } else if (name == "mental_status") {
      f.mental_status = static_cast<MentalStatus>(a->value);
      f.mental_status_source = a->source;
    } else if (name == "bowel_sounds") {
      f.bowel_sounds = static_cast<BowelSounds>(a->value);
      f.bowel_sounds_source = a->source;
    } else if (auto finding = FindingByName(name)) {
      f.flags[static_cast<std::size_t>(*finding)] = a->value == kTrue ? Tri::kTrue : Tri::kFalse;
      f.sources[static_cast<std::size_t>(*finding)] = a->source;
    }
  }
  // Every assertion used lies within the findings window before T0: the examination is fresh (§4.6).
  f.assessed_at = latest;
  if (!conflicts.empty()) {
    warning.code = "INPUT_CONFLICTING_VALUES";
    warning.text = fmt::format("Different findings were recorded at the same time ({}); the worse one is used.",
                               JoinAnd(conflicts));
    for (const std::string& s : warning.sources) warning.facts.emplace_back("finding", s);
    c_.input_warnings.push_back(std::move(warning));
  }
}

// ---- nmscds context Observations (§4.7) ------------------------------------------------------------------------

void Mapper::ReadContextObservation(const Res& r, std::string_view item) {
  auto time = EffectiveTime(r, true);
  if (!ResourceOk()) return;
  if (!time) {
    Problem("missing_time", r.path + ".effective[x]", fmt::format("the context item {} has no effective time", item));
    return;
  }
  Assertion a;
  a.time = Place(*time);
  a.source = r.path;
  const std::string value_path = r.path + ".value[x]";
  if (IsEnumItem(item)) {
    auto v = Member(r.obj, "valueCodeableConcept");
    if (!v) {
      if (Member(r.obj, "dataAbsentReason")) return Ignore(r.type, "value_absent");
      return Problem("unsupported_value", value_path, fmt::format("{} needs a valueCodeableConcept", item));
    }
    int value = -1;
    for (const Coding& c : Codings(*v)) {
      if (c.system == kNmscdsValue) value = EnumItemValue(item, c.code);
    }
    if (value < 0) {
      return Problem("enum_value", r.path + ".valueCodeableConcept",
                     fmt::format("{} needs a {} code of its values", item, kNmscdsValue));
    }
    a.value = a.rank = value;
  } else if (IsDateItem(item)) {
    auto v = Member(r.obj, "valueDateTime");
    if (!v) {
      if (Member(r.obj, "dataAbsentReason")) return Ignore(r.type, "value_absent");
      return Problem("unsupported_value", value_path, fmt::format("{} needs a valueDateTime", item));
    }
    auto t = Time(*v, r.path, ".valueDateTime");
    if (!t) return;
    a.date_value = Place(*t);
  } else if (item == "expected_neutropenia_days") {
    auto q = ObjectMember(r.obj, "valueQuantity");
    if (!q) {
      if (Member(r.obj, "dataAbsentReason")) return Ignore(r.type, "value_absent");
      return Problem("unsupported_value", value_path, "expected_neutropenia_days needs a valueQuantity in days (d)");
    }
    auto number = Member(*q, "value");
    std::string_view code = StringMember(*q, "code");
    if (code.empty()) code = StringMember(*q, "unit");
    if (code != "d") {
      return Problem("unit_not_accepted", r.path + ".valueQuantity.code", "expected_neutropenia_days must be in d");
    }
    std::optional<Fixed> days = number && IsJsonNumber(*number) ? FixedOf(*number) : std::nullopt;
    if (!days || *days < Fixed() || *days > Fixed::FromInt(365)) {
      return Problem("out_of_range", r.path + ".valueQuantity.value", "expected_neutropenia_days must be 0-365");
    }
    a.quantity_value = days;
  } else {
    auto v = Member(r.obj, "valueBoolean");
    bool b = false;
    if (!v) {
      if (Member(r.obj, "dataAbsentReason")) return Ignore(r.type, "value_absent");
      return Problem("unsupported_value", value_path, fmt::format("{} needs a valueBoolean", item));
    }
    if (v->get(b) != simdjson::SUCCESS) return Problem("wrong_type", r.path + ".valueBoolean", "must be true or false");
    a.value = a.rank = b ? kTrue : kFalse;
  }
  // Validity windows (§4.7).
  static constexpr std::string_view kShort[] = {"iv_access", "central_line", "hemodynamically_unstable",
                                                "enteral_route_available", "location"};
  static constexpr std::string_view kUnlimited[] = {"history_of_nms", "copd", "liver_disease", "malignancy",
                                                    "dialysis", "previous_fungal_infection", "penicillin_allergy"};
  std::optional<Instant> window = kb_.params.fhir_context_days.FloorInt() * kDay;
  if (std::find(std::begin(kShort), std::end(kShort), item) != std::end(kShort)) {
    window = kb_.params.fhir_context_short_h.FloorInt() * kHour;
  } else if (std::find(std::begin(kUnlimited), std::end(kUnlimited), item) != std::end(kUnlimited)) {
    window.reset();
  }
  if (!InWindow(r, a.time, window)) return;
  context_[std::string(item)].push_back(std::move(a));
}

// ---- Conditions, Procedures, AllergyIntolerances, Devices ----------------------------------------------------------

namespace {
// A coded-source assertion: true, false, or an enum value, with the resource path.
Assertion Coded(int value, std::string source, Instant time = 0) {
  Assertion a;
  a.value = a.rank = value;
  a.source = std::move(source);
  a.time = time;
  return a;
}
}  // namespace

void Mapper::ReadCondition(const Res& r) {
  const std::string_view verification = CodeIn(r.obj, "verificationStatus");
  if (verification == "entered-in-error") return Ignore(r.type, "entered_in_error");
  const std::string_view clinical = CodeIn(r.obj, "clinicalStatus");
  Condition cond;
  cond.source = r.path;
  cond.status = ConditionStatus::kActive;
  if (verification == "refuted") {
    cond.status = ConditionStatus::kRefuted;
  } else if (clinical == "inactive" || clinical == "remission" || clinical == "resolved") {
    cond.status = ConditionStatus::kPast;
  }
  if (auto abatement = Member(r.obj, "abatementDateTime")) {
    if (auto t = Time(*abatement, r.path, ".abatementDateTime"); t && t->start <= t0_ && cond.status != ConditionStatus::kRefuted) {
      cond.status = ConditionStatus::kPast;
    }
  }
  std::optional<Instant> onset, recorded;
  if (auto e = Member(r.obj, "onsetDateTime")) {
    if (auto t = Time(*e, r.path, ".onsetDateTime")) onset = Place(*t);
  } else if (auto p = ObjectMember(r.obj, "onsetPeriod")) {
    if (auto e2 = Member(*p, "start")) {
      if (auto t = Time(*e2, r.path, ".onsetPeriod.start")) onset = Place(*t);
    }
  }
  if (auto e = Member(r.obj, "recordedDate")) {
    if (auto t = Time(*e, r.path, ".recordedDate")) recorded = Place(*t);
  }
  if (!ResourceOk()) return;
  cond.onset = onset;
  CodingList codings;
  if (auto code = Member(r.obj, "code")) {
    codings = Codings(*code);
    cond.text = std::string(ConceptText(*code));
  }
  bool any_code = false;
  std::vector<std::pair<std::string, std::string>> findings;  // (finding, level)
  bool mucositis_code = false;
  for (const Coding& c : codings) {
    if (c.code.empty()) continue;
    any_code = true;
    if ((c.system == kSnomed || c.system == kIcd10Cm) && cond.code.empty()) {
      cond.system = std::string(c.system);
      cond.code = std::string(c.code);
    }
    if (cond.text.empty()) cond.text = std::string(c.display);
    cond.concepts |= kb_.MatchConcepts(c.system, c.code, "");
    if (const FhirCode* f = kb_.FindFhirCode(FhirCodeList::kFindingCodes, c.system, c.code)) {
      std::string_view meaning = f->meaning;
      auto dot = meaning.find('.');
      findings.emplace_back(std::string(meaning.substr(0, dot)),
                            dot == std::string_view::npos ? std::string() : std::string(meaning.substr(dot + 1)));
    }
    mucositis_code |= kb_.FindFhirCode(FhirCodeList::kSevereMucositisConditions, c.system, c.code) != nullptr;
  }
  if (!any_code) cond.concepts = kb_.MatchConcepts("", "", cond.text);
  const bool refuted = cond.status == ConditionStatus::kRefuted;
  const bool current = cond.status == ConditionStatus::kActive;

  // (b) of §4.6: a finding coded as a Condition with onset or recording within the findings window.
  const std::optional<Instant> asserted_at = onset ? onset : recorded;
  if (asserted_at && (current || refuted)) {
    const Instant window = kb_.params.findings_window_h.FloorInt() * kHour;
    if (*asserted_at <= t0_ && *asserted_at >= t0_ - window) {
      for (const auto& [name, level] : findings) {
        Assertion a;
        a.time = *asserted_at;
        a.source = r.path;
        if (name == "mental_status") {
          if (refuted) continue;
          a.value = a.rank = EnumItemValue("mental_status", level);
        } else {
          a.value = a.rank = refuted ? kFalse : kTrue;
        }
        findings_[name].push_back(std::move(a));
      }
    }
  }

  // §4.7 table: context items a current Condition makes true and a refuted one false.
  auto coded = [&](std::string_view item, bool applies) {
    if (!applies || (!current && !refuted)) return;
    coded_context_[std::string(item)].push_back(Coded(refuted ? kFalse : kTrue, r.path));
  };
  auto has = [&](ConceptId id) { return (cond.concepts & ConceptBit(id)) != 0; };
  coded("hemodynamically_unstable", has(ConceptId::kSepticShock));
  coded("pneumonia", has(ConceptId::kPneumonia));
  coded("skin_soft_tissue_infection", has(ConceptId::kSkinSoftTissueInfection));
  coded("suspected_catheter_infection", has(ConceptId::kCatheterInfection));
  coded("mrsa_colonized", has(ConceptId::kMrsaColonisation));
  coded("dehydration_requiring_iv_fluids", has(ConceptId::kDehydration));
  coded("dialysis", has(ConceptId::kDialysis));
  const Instant heat_window = kb_.params.heat_exposure_days.FloorInt() * kDay;
  coded("heat_exposure", has(ConceptId::kHeatIllness) && onset && *onset <= t0_ && *onset >= t0_ - heat_window);
  if (mucositis_code && current) {
    // Only a severe severity makes the item true; without one it stays unknown.
    bool severe = false;
    if (auto severity = Member(r.obj, "severity")) {
      for (const Coding& c : Codings(*severity)) {
        severe |= kb_.FindFhirCode(FhirCodeList::kSevereSeverity, c.system, c.code) != nullptr;
      }
    }
    if (severe) coded_context_["severe_mucositis"].push_back(Coded(kTrue, r.path));
  }
  if (has(ConceptId::kNms) && !refuted) {
    const Instant recent = kb_.params.nms_condition_recent_days.FloorInt() * kDay;
    if (cond.status == ConditionStatus::kPast || (onset && *onset < t0_ - recent)) {
      coded_context_["history_of_nms"].push_back(Coded(kTrue, r.path));
    } else if (asserted_at && *asserted_at <= t0_ && *asserted_at >= t0_ - recent) {
      coded_context_["clinician_suspected_nms"].push_back(Coded(kTrue, r.path));
      if (onset) {
        Assertion a = Coded(kTrue, r.path, *onset);
        a.date_value = onset;
        coded_context_["episode_onset"].push_back(std::move(a));
      }
    }
  }
  c_.conditions.push_back(std::move(cond));
}

void Mapper::ReadProcedure(const Res& r) {
  bool insertion = false, removal = false, dialysis = false, ect = false;
  if (auto code = Member(r.obj, "code")) {
    for (const Coding& c : Codings(*code)) {
      insertion |= kb_.FindFhirCode(FhirCodeList::kCentralLineInsertion, c.system, c.code) != nullptr;
      removal |= kb_.FindFhirCode(FhirCodeList::kCentralLineRemoval, c.system, c.code) != nullptr;
      dialysis |= kb_.FindFhirCode(FhirCodeList::kHemodialysisProcedures, c.system, c.code) != nullptr;
      ect |= kb_.FindFhirCode(FhirCodeList::kEctProcedures, c.system, c.code) != nullptr;
    }
  }
  if (!insertion && !removal && !dialysis && !ect) return Ignore(r.type, "unrecognised_code");
  if (StringMember(r.obj, "status") != "completed") return Ignore(r.type, "status_excluded");
  std::optional<FhirTime> time;
  if (auto e = Member(r.obj, "performedDateTime")) {
    time = Time(*e, r.path, ".performedDateTime");
  } else if (auto p = ObjectMember(r.obj, "performedPeriod")) {
    for (std::string_view key : {"end", "start"}) {
      if (auto e2 = Member(*p, key); e2 && !time) time = Time(*e2, r.path, key == "end" ? ".performedPeriod.end" : ".performedPeriod.start");
    }
  }
  if (!ResourceOk()) return;
  if (!time) {
    return Problem("missing_element", r.path + ".performed[x]", "the Procedure has no performed time");
  }
  const Instant at = Place(*time);
  if (at > t0_) return Ignore(r.type, "after_assessed_at");
  if (insertion) line_events_.push_back({at, true, r.path});
  if (removal) line_events_.push_back({at, false, r.path});
  if (dialysis && at >= t0_ - kb_.params.hemodialysis_procedure_days.FloorInt() * kDay) {
    coded_context_["dialysis"].push_back(Coded(kTrue, r.path, at));
  }
  if (ect && at >= t0_ - kb_.params.ect_active_days.FloorInt() * kDay) {
    coded_context_["ect_in_progress"].push_back(Coded(kTrue, r.path, at));
  }
}

void Mapper::ReadAllergy(const Res& r) {
  const std::string_view verification = CodeIn(r.obj, "verificationStatus");
  if (verification == "entered-in-error") return Ignore(r.type, "entered_in_error");
  const std::string_view clinical = CodeIn(r.obj, "clinicalStatus");
  const bool refuted = verification == "refuted";
  bool penicillin = false, no_known = false, nms = false, anaphylaxis = false, severe_reaction = false;
  if (auto code = Member(r.obj, "code")) {
    for (const Coding& c : Codings(*code)) {
      penicillin |= kb_.FindFhirCode(FhirCodeList::kPenicillinAllergy, c.system, c.code) != nullptr;
      no_known |= kb_.FindFhirCode(FhirCodeList::kNoKnownAllergy, c.system, c.code) != nullptr;
      if (c.system == kRxNorm) {
        for (int d : kb_.DrugsByRxcui(c.code)) penicillin |= (kb_.drug(d).roles & kRolePenicillin) != 0;
      }
    }
  }
  if (auto reactions = ArrayMember(r.obj, "reaction")) {
    for (element e : *reactions) {
      object reaction;
      if (e.get(reaction) != simdjson::SUCCESS) continue;
      severe_reaction |= StringMember(reaction, "severity") == "severe";
      if (auto manifestations = ArrayMember(reaction, "manifestation")) {
        for (element m : *manifestations) {
          for (const Coding& c : Codings(m)) {
            anaphylaxis |= kb_.FindFhirCode(FhirCodeList::kAnaphylaxis, c.system, c.code) != nullptr;
            nms |= (kb_.MatchConcepts(c.system, c.code, "") & ConceptBit(ConceptId::kNms)) != 0;
          }
        }
      }
    }
  }
  if (!penicillin && !no_known && !nms) return Ignore(r.type, "unrecognised_code");
  if (!refuted && !clinical.empty() && clinical != "active") return Ignore(r.type, "status_excluded");
  if (nms && !refuted) coded_context_["history_of_nms"].push_back(Coded(kTrue, r.path));
  PenicillinAllergy p = PenicillinAllergy::kUnknown;
  if (penicillin && refuted) {
    p = PenicillinAllergy::kNone;
  } else if (penicillin) {
    // §4.7: severe when the record says so; non-severe only when it says low criticality and no severe
    // reaction; unrecorded severity is read as severe (the cautious reading).
    const std::string_view criticality = StringMember(r.obj, "criticality");
    if (criticality == "high" || severe_reaction || anaphylaxis) p = PenicillinAllergy::kSevere;
    else if (criticality == "low") p = PenicillinAllergy::kNonSevere;
    else p = PenicillinAllergy::kSevere;
  } else if (no_known && !refuted) {
    p = PenicillinAllergy::kNone;
  }
  if (p != PenicillinAllergy::kUnknown) {
    coded_context_["penicillin_allergy"].push_back(Coded(static_cast<int>(p), r.path));
  }
}

void Mapper::ReadDevice(const Res& r) {
  bool line = false;
  if (auto type = Member(r.obj, "type")) {
    for (const Coding& c : Codings(*type)) {
      line |= kb_.FindFhirCode(FhirCodeList::kCentralLineDevices, c.system, c.code) != nullptr;
    }
  }
  if (!line) return Ignore(r.type, "unrecognised_code");
  const std::string_view status = StringMember(r.obj, "status");
  if (status == "active") {
    coded_context_["central_line"].push_back(Coded(kTrue, r.path));
  } else if (status == "inactive") {
    coded_context_["central_line"].push_back(Coded(kFalse, r.path));
  } else {
    Ignore(r.type, "status_excluded");
  }
}

// ---- context resolution (§4.7) -------------------------------------------------------------------------------

void Mapper::ResolveContext() {
  Context& ctx = c_.context;
  // Central line from Procedures: the latest insertion within the window with no removal after it.
  {
    std::sort(line_events_.begin(), line_events_.end(),
              [](const LineEvent& a, const LineEvent& b) { return a.at < b.at; });
    const LineEvent* last = line_events_.empty() ? nullptr : &line_events_.back();
    const Instant window = kb_.params.central_line_procedure_days.FloorInt() * kDay;
    if (last != nullptr && last->insertion && last->at >= t0_ - window) {
      coded_context_["central_line"].push_back(Coded(kTrue, last->source, last->at));
    }
  }
  // Fluoroquinolone prophylaxis: exposure within the window before T0.
  {
    const Instant since = t0_ - kb_.params.fluoroquinolone_prophylaxis_days.FloorInt() * kDay;
    for (const Medication& m : c_.medications) {
      bool fq = std::any_of(m.ingredients.begin(), m.ingredients.end(),
                            [&](int i) { return (kb_.drug(i).roles & kRoleFluoroquinolone) != 0; });
      if (!fq || m.status == MedStatus::kPlanned || m.status == MedStatus::kNotTaken) continue;
      bool exposed = (m.start && *m.start <= t0_ && (!m.stop || *m.stop >= since)) ||
                     (m.last_administered && *m.last_administered <= t0_ && *m.last_administered >= since);
      if (exposed) coded_context_["fluoroquinolone_prophylaxis"].push_back(Coded(kTrue, m.source));
    }
  }
  std::vector<std::string> conflicts;
  InputWarning warning;
  auto apply = [&](const std::string& item, const Assertion& a) {
    if (auto flag = CtxFlagByName(item)) {
      ctx.flags[static_cast<std::size_t>(*flag)] = a.value == kTrue ? Tri::kTrue : Tri::kFalse;
      ctx.sources[static_cast<std::size_t>(*flag)] = a.source;
    } else if (item == "iv_access") {
      ctx.iv_access = static_cast<IvAccess>(a.value);
      ctx.iv_access_source = a.source;
    } else if (item == "malignancy") {
      ctx.malignancy = static_cast<Malignancy>(a.value);
      ctx.malignancy_source = a.source;
    } else if (item == "burden_of_illness") {
      ctx.burden_of_illness = static_cast<Burden>(a.value);
      ctx.burden_source = a.source;
    } else if (item == "penicillin_allergy") {
      ctx.penicillin_allergy = static_cast<PenicillinAllergy>(a.value);
      ctx.penicillin_allergy_source = a.source;
    } else if (item == "location") {
      ctx.location = static_cast<Location>(a.value);
      ctx.location_source = a.source;
    } else if (item == "expected_neutropenia_days") {
      ctx.expected_neutropenia_days = a.quantity_value;
      ctx.expected_neutropenia_days_source = a.source;
    } else if (item == "antibiotics_started_at") {
      ctx.antibiotics_started_at = a.date_value;
    } else if (item == "fever_onset_at") {
      ctx.fever_onset_at = a.date_value;
    } else if (item == "last_chemotherapy_at") {
      ctx.last_chemotherapy_at = a.date_value;
      ctx.last_chemotherapy_source = a.source;
    } else if (item == "episode_onset") {
      c_.episode_onset = a.date_value;
    } else if (item == "clinician_suspected_nms") {
      c_.clinician_suspected_nms = a.value == kTrue;
      c_.clinician_suspected_source = a.source;
    } else if (item == "anesthesia.volatile_agent" || item == "anesthesia.succinylcholine") {
      Tri& given = item == "anesthesia.volatile_agent" ? ctx.anesthesia.volatile_agent : ctx.anesthesia.succinylcholine;
      given = a.value == kTrue ? Tri::kTrue : Tri::kFalse;
      ctx.anesthesia.source = a.source;
      // The exposure time is the Observation's effective time (§4.7).
      if (a.value == kTrue && (!ctx.anesthesia.at || a.time > *ctx.anesthesia.at)) ctx.anesthesia.at = a.time;
    }
  };
  // (1) nmscds context Observations.
  for (const auto& [item, list] : context_) {
    bool conflict = false;
    const Assertion* a = Latest(list, &conflict);
    if (a == nullptr) continue;
    if (conflict) {
      conflicts.push_back(fmt::format("{} at {}", item, FormatDateTime(a->time)));
      for (const Assertion& x : list) {
        if (x.time == a->time) warning.sources.push_back(x.source);
      }
    }
    apply(item, *a);
  }
  // (2) coded sources, for items no nmscds Observation gave: a positive assertion wins (the highest rank).
  for (const auto& [item, list] : coded_context_) {
    if (context_.count(item) != 0) continue;
    const Assertion* best = nullptr;
    for (const Assertion& a : list) {
      if (best == nullptr || a.rank > best->rank) best = &a;
    }
    if (best != nullptr) apply(item, *best);
  }
  // An active central line gives iv_access "central" when nothing else gives iv_access.
  if (ctx.iv_access == IvAccess::kUnknown && IsTrue(ctx.get(CtxFlag::kCentralLine))) {
    ctx.iv_access = IvAccess::kCentral;
    ctx.iv_access_source = ctx.source(CtxFlag::kCentralLine);
  }
  if (!conflicts.empty()) {
    warning.code = "INPUT_CONFLICTING_VALUES";
    warning.text = fmt::format("Different context values were recorded at the same time ({}); the worse one is used.",
                               JoinAnd(conflicts));
    for (const std::string& s : warning.sources) warning.facts.emplace_back("context", s);
    c_.input_warnings.push_back(std::move(warning));
  }
  if (IsTrue(ctx.get(CtxFlag::kHospitalizedAtFeverOnset)) && IsTrue(ctx.get(CtxFlag::kOutpatientAtFeverOnset))) {
    if (channel_ != FhirChannel::kDocument) {  // contradictory data the caller cannot fix now: neither is known
      ctx.flags[static_cast<std::size_t>(CtxFlag::kHospitalizedAtFeverOnset)] = Tri::kUnknown;
      ctx.flags[static_cast<std::size_t>(CtxFlag::kOutpatientAtFeverOnset)] = Tri::kUnknown;
      return;
    }
    issues.push_back(Issue{"inconsistent_context", ctx.source(CtxFlag::kOutpatientAtFeverOnset), "fhir_path",
                           "hospitalized_at_fever_onset and outpatient_at_fever_onset are both true; at most one "
                           "can be true"});
  }
}

}  // namespace nmscds::fhir
