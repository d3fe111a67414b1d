// Observations (interfaces.md §4.4-4.5): code classification, measurements with UCUM units, blood-pressure
// panels, reference ranges, baseline tags, and the choice of weight and height.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/text.h"
#include "fhir/fhir_mapper.h"

namespace nmscds::fhir {

namespace {

constexpr std::string_view kUsedStatuses[] = {"final", "amended", "corrected", "preliminary", "unknown"};
constexpr std::string_view kExcludedStatuses[] = {"registered", "cancelled"};

// Enumerated findings besides the boolean ones of model/case.h (§2.4).
constexpr std::string_view kEnumFindings[] = {"rigidity", "mental_status", "bowel_sounds"};

// Context items of §4.7: the case `context` members plus the nmscds-only ones.
constexpr std::string_view kContextItems[] = {
    "iv_access",          "malignancy",     "burden_of_illness",         "penicillin_allergy",
    "location",           "expected_neutropenia_days", "antibiotics_started_at", "fever_onset_at",
    "last_chemotherapy_at", "anesthesia.volatile_agent", "anesthesia.succinylcholine", "episode_onset",
    "clinician_suspected_nms"};

bool IsFindingName(std::string_view name) {
  if (std::find(std::begin(kEnumFindings), std::end(kEnumFindings), name) != std::end(kEnumFindings)) return true;
  for (std::size_t i = 0; i < kFindingCount; ++i) {
    if (FindingName(static_cast<Finding>(i)) == name) return true;
  }
  return false;
}

bool IsContextItem(std::string_view name) {
  if (std::find(std::begin(kContextItems), std::end(kContextItems), name) != std::end(kContextItems)) return true;
  for (std::size_t i = 0; i < kCtxFlagCount; ++i) {
    if (CtxFlagName(static_cast<CtxFlag>(i)) == name) return true;
  }
  return false;
}

TempRoute TempRouteFromName(std::string_view name) {
  for (int i = 1; i <= static_cast<int>(TempRoute::kUnknown); ++i) {
    if (TempRouteName(static_cast<TempRoute>(i)) == name) return static_cast<TempRoute>(i);
  }
  return TempRoute::kUnknown;
}

// What an Observation's code means to nmscds. Views into the resource or the knowledge base, which outlive
// the reading of the resource.
struct CodeTarget {
  enum class What { kNone, kKind, kPanel, kFinding, kContext };
  What what = What::kNone;
  const ObservationKindDef* def = nullptr;
  std::string_view loinc;  // the LOINC code of a measurement (the one that implies a route, if any) or panel
  std::string_view name;   // finding or context item
  std::string_view level;  // mental_status level implied by a SNOMED finding code

  bool SameMeaning(const CodeTarget& o) const {
    return what == o.what && (what == What::kKind ? def == o.def : name == o.name);
  }
  // "kind:temperature", "panel", "finding:tremor", "context:iv_access": the meaning, for messages.
  std::string Key() const {
    switch (what) {
      case What::kKind: return "kind:" + def->name;
      case What::kPanel: return "panel";
      case What::kFinding: return fmt::format("finding:{}", name);
      case What::kContext: return fmt::format("context:{}", name);
      case What::kNone: break;
    }
    return {};
  }
};

bool HasBaselineTag(object obs) {
  auto meta = ObjectMember(obs, "meta");
  if (!meta) return false;
  auto tags = ArrayMember(*meta, "tag");
  if (!tags) return false;
  for (element t : *tags) {
    object to;
    if (t.get(to) == simdjson::SUCCESS && StringMember(to, "system") == kNmscdsTag &&
        StringMember(to, "code") == "baseline") {
      return true;
    }
  }
  return false;
}

std::optional<Comparator> ComparatorFrom(std::string_view s) {
  if (s == "<") return Comparator::kLt;
  if (s == "<=") return Comparator::kLe;
  if (s == ">=") return Comparator::kGe;
  if (s == ">") return Comparator::kGt;
  return std::nullopt;
}

}  // namespace

void Mapper::ReadObservation(const Res& r) {
  auto code = Member(r.obj, "code");
  if (!code || !IsObject(*code)) {
    Problem("missing_element", r.path + ".code", "an Observation needs its code");
    return;
  }
  CodeTarget target;
  std::size_t k = 0;
  for (const Coding& coding : Codings(*code)) {
    const std::size_t coding_index = k++;
    const auto coding_path = [&] { return fmt::format("{}.code.coding[{}].code", r.path, coding_index); };
    CodeTarget t;
    if (coding.system == kLoinc) {
      if (const ObservationKindDef* def = kb_.FindKindByLoinc(coding.code)) {
        t.what = CodeTarget::What::kKind;
        t.def = def;
        t.loinc = coding.code;
      } else if (kb_.IsPanelLoinc(coding.code)) {
        t.what = CodeTarget::What::kPanel;
        t.loinc = coding.code;
      }
    } else if (coding.system == kNmscdsFinding) {
      if (!IsFindingName(coding.code)) {
        Problem("enum_value", coding_path(), fmt::format("{} is not an nmscds finding code", Quoted(coding.code)));
        continue;
      }
      t.what = CodeTarget::What::kFinding;
      t.name = coding.code;
    } else if (coding.system == kNmscdsContext) {
      if (!IsContextItem(coding.code)) {
        Problem("enum_value", coding_path(), fmt::format("{} is not an nmscds context code", Quoted(coding.code)));
        continue;
      }
      t.what = CodeTarget::What::kContext;
      t.name = coding.code;
    } else if (const FhirCode* f = kb_.FindFhirCode(FhirCodeList::kFindingCodes, coding.system, coding.code)) {
      std::string_view meaning = f->meaning;
      auto dot = meaning.find('.');
      t.what = CodeTarget::What::kFinding;
      t.name = meaning.substr(0, dot);
      if (dot != std::string_view::npos) t.level = meaning.substr(dot + 1);
    }
    if (t.what == CodeTarget::What::kNone) continue;
    if (target.what == CodeTarget::What::kNone) {
      target = t;
    } else if (!target.SameMeaning(t)) {
      Problem("ambiguous_code", r.path + ".code",
              fmt::format("the codings mean two different things ({} and {}); send one", target.Key(), t.Key()));
      return;
    } else {
      // The same kind under two codes (8310-5 and 8331-1): keep the one that implies a route.
      if (t.def != nullptr) {
        for (const auto& [loinc, route] : t.def->loinc_routes) {
          if (loinc == t.loinc) target.loinc = t.loinc;
        }
      }
      if (target.level.empty()) target.level = t.level;
    }
  }
  if (!ResourceOk()) return;
  if (target.what == CodeTarget::What::kNone) {
    Ignore(r.type, "unrecognised_code");
    return;
  }
  std::string_view status = StringMember(r.obj, "status");
  if (status.empty()) {
    Problem("missing_element", r.path + ".status", "an Observation needs its status");
    return;
  }
  if (std::find(std::begin(kExcludedStatuses), std::end(kExcludedStatuses), status) != std::end(kExcludedStatuses)) {
    Ignore(r.type, "status_excluded");
    return;
  }
  if (std::find(std::begin(kUsedStatuses), std::end(kUsedStatuses), status) == std::end(kUsedStatuses)) {
    Problem("enum_value", r.path + ".status", fmt::format("{} is not an Observation status", Quoted(status)));
    return;
  }
  if (target.def != nullptr) {
    ReadMeasurement(r, *target.def, target.loinc);
  } else if (target.what == CodeTarget::What::kPanel) {
    ReadPanel(r, target.loinc);
  } else if (target.what == CodeTarget::What::kFinding) {
    ReadFindingObservation(r, target.name, target.level);
  } else {
    ReadContextObservation(r, target.name);
  }
}

std::optional<nmscds::Observation> Mapper::Quantity(const Res& r, object holder, const std::string& holder_path,
                                                    const ObservationKindDef& def, bool integer_allowed,
                                                    std::optional<Instant> when) {
  std::optional<element> value;
  std::string_view value_member;
  for (auto field : holder) {
    if (field.key.size() >= 5 && std::memcmp(field.key.data(), "value", 5) == 0) {  // value[x]
      value = field.value;
      value_member = field.key;
    }
  }
  if (!value) {
    if (Member(holder, "dataAbsentReason")) {
      Ignore(r.type, "value_absent");
    } else {
      Problem("missing_element", holder_path + ".value[x]", fmt::format("the {} has no value", def.name));
    }
    return std::nullopt;
  }
  nmscds::Observation o;
  o.kind = def.kind;
  if (value_member == "valueInteger" && integer_allowed && value->type() == element_type::INT64) {
    const UnitConversion* canonical = def.FindUnit(def.canonical_unit);
    CanonicalResult cr = ToCanonicalChecked(*value, def, *canonical, def.name);
    if (!cr.value) {
      Problem("out_of_range", holder_path + ".valueInteger", std::move(cr.problem));
      return std::nullopt;
    }
    o.value = *cr.value;
    return o;
  }
  object q;
  if (value_member != "valueQuantity" || value->get(q) != simdjson::SUCCESS) {
    Problem("unsupported_value", holder_path + ".value[x]",
            fmt::format("the {} must be a valueQuantity{}, not {}", def.name, integer_allowed ? " or valueInteger" : "",
                        value_member));
    return std::nullopt;
  }
  const auto qpath = [&](std::string_view member) { return fmt::format("{}.valueQuantity{}", holder_path, member); };
  auto number = Member(q, "value");
  if (!number) {
    Problem("missing_element", qpath(".value"), "the quantity has no value");
    return std::nullopt;
  }
  if (!IsJsonNumber(*number)) {
    Problem("wrong_type", qpath(".value"), fmt::format("the value must be a number, not {}", DescribeJson(*number)));
    return std::nullopt;
  }
  // §4.5: the UCUM code when the system is UCUM; otherwise the unit text as a UCUM code, then as an alias.
  std::string_view system = StringMember(q, "system"), code = StringMember(q, "code"), unit = StringMember(q, "unit");
  std::string_view ucum;
  if (system == kUcum && !code.empty()) {
    ucum = code;
  } else if (def.FindUnit(unit) != nullptr) {
    ucum = unit;
  } else {
    for (const auto& [alias, target] : kb_.unit_aliases) {
      if (alias == unit) ucum = target;
    }
  }
  const UnitConversion* conv = def.FindUnit(ucum);
  if (conv == nullptr) {
    std::string_view shown = !code.empty() ? code : unit;
    if (channel_ == FhirChannel::kDocument) {
      Problem("unit_not_accepted", qpath(code.empty() ? ".unit" : ".code"),
              fmt::format("{} is not accepted for {} by the knowledge base", Quoted(shown), def.name));
    } else {
      // §4.5: one odd unit never suppresses a safety card; the observation is skipped and reported.
      Ignore(r.type, "unit_unsupported");
      units_unsupported_.push_back(fmt::format("{} {} {}{}", def.name, JsonNumberText(*number),
                                               shown.empty() ? "(no unit)" : shown,
                                               when ? " at " + FormatDateTimeShort(*when) : std::string()));
      unsupported_sources_.push_back(r.path);
    }
    return std::nullopt;
  }
  if (def.integer_only && std::floor(JsonNumberOf(*number)) != JsonNumberOf(*number)) {
    Problem("unsupported_value", qpath(".value"), fmt::format("the {} must be a whole number", def.name));
    return std::nullopt;
  }
  if (auto comparator = Member(q, "comparator")) {
    std::string_view s;
    auto cmp = comparator->get(s) == simdjson::SUCCESS ? ComparatorFrom(s) : std::nullopt;
    if (!cmp) {
      Problem("enum_value", qpath(".comparator"), "comparator must be <, <=, >= or >");
      return std::nullopt;
    }
    o.comparator = *cmp;
  }
  CanonicalResult cr = ToCanonicalChecked(*number, def, *conv, def.name);
  if (!cr.value) {
    Problem("out_of_range", qpath(".value"), std::move(cr.problem));
    return std::nullopt;
  }
  o.value = *cr.value;
  value_unit_ = conv;
  return o;
}

void Mapper::ReadRange(const Res& r, const ObservationKindDef& def, nmscds::Observation& o) {
  auto ranges = ArrayMember(r.obj, "referenceRange");
  if (!ranges) return;
  std::size_t i = 0;
  for (element e : *ranges) {
    const std::size_t range_index = i++;
    const auto path = [&] { return fmt::format("{}.referenceRange[{}]", r.path, range_index); };
    object range;
    if (e.get(range) != simdjson::SUCCESS) continue;
    // §4.5: the first range whose type is absent or "normal".
    if (auto type = Member(range, "type")) {
      auto codings = Codings(*type);
      if (std::none_of(codings.begin(), codings.end(), [](const Coding& c) { return c.code == "normal"; })) continue;
    }
    std::optional<Fixed> low, high;
    for (std::string_view bound : {"low", "high"}) {
      auto q = ObjectMember(range, bound);
      if (!q) continue;
      auto number = Member(*q, "value");
      if (!number) continue;
      if (!IsJsonNumber(*number)) {
        Problem("wrong_type", fmt::format("{}.{}.value", path(), bound), "a range limit must be a number");
        return;
      }
      std::string_view system = StringMember(*q, "system"), code = StringMember(*q, "code"),
                       unit = StringMember(*q, "unit");
      const UnitConversion* conv = value_unit_;  // a limit without any unit is in the value's unit
      if (!code.empty() || !unit.empty()) {
        std::string_view ucum = system == kUcum && !code.empty() ? code : unit;
        conv = def.FindUnit(ucum);
        if (conv == nullptr) {
          for (const auto& [alias, target] : kb_.unit_aliases) {
            if (alias == ucum) conv = def.FindUnit(target);
          }
        }
      }
      std::optional<Fixed> raw = FixedOf(*number);
      if (conv == nullptr || !raw || std::fabs(JsonNumberOf(*number)) > kMaxRawValue) {
        ranges_ignored_.push_back(fmt::format("{} at {}", def.name, path()));
        return;
      }
      (bound == "low" ? low : high) = def.ToCanonical(*raw, *conv);
    }
    if (low && high && *low > *high) {
      Problem("invalid_range", path(), fmt::format("reference range low {} is above high {}", low->ToString(),
                                                 high->ToString()));
      return;
    }
    o.ref_low = low;
    o.ref_high = high;
    return;
  }
}

std::string ComponentPath(std::string_view resource_path, std::size_t k) {
  char digits[20];
  const auto [end, error] = std::to_chars(std::begin(digits), std::end(digits), k);
  (void)error;  // 20 digits hold any size_t
  std::string path;
  path.reserve(resource_path.size() + 12 + static_cast<std::size_t>(end - digits));
  path.append(resource_path).append(".component[").append(digits, end).push_back(']');
  return path;
}

void Mapper::ReadMeasurement(const Res& r, const ObservationKindDef& def, std::string_view loinc) {
  auto time = EffectiveTime(r, true);
  if (!ResourceOk()) return;
  if (!time && def.kind != ObsKind::kWeight) {
    Problem("missing_time", r.path + ".effective[x]", fmt::format("the {} has no effective time", def.name));
    return;
  }
  const bool integer_allowed = def.kind == ObsKind::kHeartRate || def.kind == ObsKind::kGcs;
  value_unit_ = nullptr;
  auto o = Quantity(r, r.obj, r.path, def, integer_allowed,
                    time ? std::optional<Instant>(Place(*time)) : std::nullopt);
  if (!o) return;
  o->time = time ? Place(*time) : t0_;
  o->source = r.path;
  o->baseline = HasBaselineTag(r.obj);
  if (def.kind == ObsKind::kTemperature) {
    o->route = TempRoute::kUnknown;
    bool from_code = false;
    for (const auto& [code, route] : def.loinc_routes) {
      if (code == loinc) {
        o->route = TempRouteFromName(route);
        from_code = true;
      }
    }
    if (!from_code) {  // 8310-5: the site from bodySite or method
      for (std::string_view member : {"bodySite", "method"}) {
        auto concept_el = Member(r.obj, member);
        if (!concept_el) continue;
        for (const Coding& c : Codings(*concept_el)) {
          if (const FhirCode* site = kb_.FindFhirCode(FhirCodeList::kTemperatureSites, c.system, c.code)) {
            o->route = TempRouteFromName(site->meaning);
          }
        }
      }
    }
  }
  if (def.kind != ObsKind::kWeight && def.kind != ObsKind::kHeight) ReadRange(r, def, *o);
  if (!ResourceOk()) return;
  if (def.kind == ObsKind::kWeight) {
    weights_.push_back(Measured{o->time, time.has_value(), o->value, r.path});
  } else if (def.kind == ObsKind::kHeight) {
    heights_.push_back(Measured{o->time, true, o->value, r.path});
  } else {
    c_.observations.push_back(std::move(*o));
  }
}

void Mapper::ReadPanel(const Res& r, std::string_view panel_loinc) {
  auto time = EffectiveTime(r, true);
  if (!ResourceOk()) return;
  if (!time) {
    Problem("missing_time", r.path + ".effective[x]", "the blood-pressure panel has no effective time");
    return;
  }
  const bool baseline = HasBaselineTag(r.obj);
  std::vector<nmscds::Observation> read;
  bool any_component = false;
  if (auto components = ArrayMember(r.obj, "component")) {
    std::size_t k = 0;
    for (element e : *components) {
      const std::size_t component_index = k++;
      object comp;
      if (e.get(comp) != simdjson::SUCCESS) continue;
      auto code = Member(comp, "code");
      if (!code) continue;
      const ObservationKindDef* def = nullptr;
      for (const Coding& c : Codings(*code)) {
        const ObservationKindDef* d = c.system == kLoinc ? kb_.FindKindByLoinc(c.code) : nullptr;
        if (d != nullptr && std::find(d->panel_loinc.begin(), d->panel_loinc.end(), panel_loinc) != d->panel_loinc.end()) {
          def = d;
        }
      }
      if (def == nullptr) continue;  // other components of the panel (mean pressure, ...) are not read
      const std::string path = ComponentPath(r.path, component_index);
      any_component = true;
      value_unit_ = nullptr;
      auto o = Quantity(r, comp, path, *def, false, Place(*time));
      if (!o) continue;
      o->time = Place(*time);
      o->source = path;
      o->baseline = baseline;
      read.push_back(std::move(*o));
    }
  }
  if (!any_component) Ignore(r.type, "value_absent");
  if (!ResourceOk()) return;
  for (auto& o : read) c_.observations.push_back(std::move(o));
}

void Mapper::ResolveWeightAndHeight() {
  // §4.4: the latest weight at or before T0 within the freshness window; an undated one counts as current.
  const Instant weight_window = kb_.params.weight_window_days.FloorInt() * kDay;
  const Measured* best = nullptr;
  for (const Measured& w : weights_) {
    if (!w.dated) {
      if (best == nullptr || best->dated) best = &w;
      continue;
    }
    if (w.time > t0_) {
      Ignore("Observation", "after_assessed_at");
    } else if (w.time < t0_ - weight_window) {
      Ignore("Observation", "outside_window");
    } else if (best == nullptr || (best->dated && w.time >= best->time)) {
      best = &w;
    }
  }
  if (best != nullptr) {
    Weight w;
    w.kg = best->value;
    if (best->dated) w.measured_at = best->time;
    w.source = best->source;
    if (!best->dated) AddWeightUndatedWarning(w, c_);
    c_.weight = std::move(w);
  }
  const Instant height_window = kb_.params.fhir_height_window_days.FloorInt() * kDay;
  const Measured* latest_height = nullptr;
  for (const Measured& h : heights_) {
    if (h.time > t0_ || h.time < t0_ - height_window) continue;
    if (latest_height == nullptr || h.time >= latest_height->time) latest_height = &h;
  }
  if (latest_height != nullptr) c_.height_cm = latest_height->value;
}

}  // namespace nmscds::fhir

namespace nmscds {

// The coding tests of Mapper::ReadObservation, without its problems: every coding it would classify.
bool IsReadObservationCoding(const KnowledgeBase& kb, std::string_view system, std::string_view code) {
  using namespace fhir;
  if (system == kLoinc) return kb.FindKindByLoinc(code) != nullptr || kb.IsPanelLoinc(code);
  // nmscds codes are read even when unknown: the mapping reports them as malformed (enum_value).
  if (system == kNmscdsFinding || system == kNmscdsContext) return true;
  return kb.FindFhirCode(FhirCodeList::kFindingCodes, system, code) != nullptr;
}

}  // namespace nmscds
