// Medications (interfaces.md §4.8): identifying the drug, MedicationRequest / MedicationAdministration /
// MedicationStatement, administrations attached to their orders, long-acting and antiemetic use.
#include <fmt/format.h>

#include <algorithm>

#include "common/text.h"
#include "fhir/fhir_mapper.h"

namespace nmscds::fhir {

namespace {

void AddUnique(std::vector<int>& to, const std::vector<int>& from) {
  for (int d : from) {
    if (std::find(to.begin(), to.end(), d) == to.end()) to.push_back(d);
  }
}

// A case route from a FHIR route CodeableConcept (§4.8): listed SNOMED codes, anything else `other`.
MedRoute RouteOf(const KnowledgeBase& kb, element route) {
  static constexpr std::pair<std::string_view, MedRoute> kRoutes[] = {
      {"oral", MedRoute::kOral},         {"enteral_tube", MedRoute::kEnteralTube}, {"iv", MedRoute::kIv},
      {"im", MedRoute::kIm},             {"sc", MedRoute::kSc},                    {"transdermal", MedRoute::kTransdermal},
      {"rectal", MedRoute::kRectal},     {"inhaled", MedRoute::kInhaled},          {"sublingual", MedRoute::kSublingual},
      {"intranasal", MedRoute::kIntranasal}, {"intrathecal", MedRoute::kIntrathecal}, {"topical", MedRoute::kTopical},
      {"other", MedRoute::kOther}};
  for (const Coding& c : Codings(route)) {
    if (const FhirCode* f = kb.FindFhirCode(FhirCodeList::kMedicationRoutes, c.system, c.code)) {
      for (const auto& [name, r] : kRoutes) {
        if (name == f->meaning) return r;
      }
    }
  }
  return MedRoute::kOther;
}

// Indication text and antiemetic use from reasonCode (§4.8).
void ReadReasons(const KnowledgeBase& kb, object resource, Medication& med) {
  auto reasons = ArrayMember(resource, "reasonCode");
  if (!reasons) return;
  for (element reason : *reasons) {
    std::string_view text = ConceptText(reason);
    for (const Coding& c : Codings(reason)) {
      if (kb.FindFhirCode(FhirCodeList::kAntiemeticReasons, c.system, c.code) != nullptr) med.used_as_antiemetic = true;
      if (IndicationMeansAntiemetic(kb, c.display)) med.used_as_antiemetic = true;
      if (text.empty()) text = c.display;
    }
    if (IndicationMeansAntiemetic(kb, text)) med.used_as_antiemetic = true;
    if (med.indication.empty()) med.indication = std::string(text);
  }
}

// long_acting_interval_days from timing.repeat period/periodUnit, when it is at least 7 days (§4.8).
std::optional<Fixed> DepotInterval(object dosage) {
  auto timing = ObjectMember(dosage, "timing");
  auto repeat = timing ? ObjectMember(*timing, "repeat") : std::nullopt;
  if (!repeat) return std::nullopt;
  auto period = Member(*repeat, "period");
  if (!period || !IsJsonNumber(*period)) return std::nullopt;
  std::optional<Fixed> value = FixedOf(*period);
  std::string_view unit = StringMember(*repeat, "periodUnit");
  const std::int64_t days_per_unit = unit == "d" ? 1 : unit == "wk" ? 7 : unit == "mo" ? 30 : 0;
  if (!value || days_per_unit == 0) return std::nullopt;
  Fixed days = value->MulDiv(days_per_unit, 1, 6);
  if (days < Fixed::FromInt(7) || days > Fixed::FromInt(366)) return std::nullopt;
  return days;
}

}  // namespace

DrugIdentity Mapper::Identify(const KnowledgeBase& kb, object resource, const ObjectResolver& resolve) {
  DrugIdentity id;
  std::vector<Coding> codings;
  std::vector<std::string_view> names;  // CodeableConcept.text first, then displays
  auto collect = [&](element concept_el) {
    if (std::string_view t = ConceptText(concept_el); !t.empty()) names.push_back(t);
    for (const Coding& c : Codings(concept_el)) {
      codings.push_back(c);
    }
  };
  if (auto cc = Member(resource, "medicationCodeableConcept")) {
    collect(*cc);
  } else if (auto ref = ObjectMember(resource, "medicationReference")) {
    auto medication = resolve(resource, StringMember(*ref, "reference"));
    if (medication && StringMember(*medication, "resourceType") == "Medication") {
      if (auto code = Member(*medication, "code")) collect(*code);
      if (auto ingredients = ArrayMember(*medication, "ingredient")) {
        for (element e : *ingredients) {
          object ingredient;
          if (e.get(ingredient) != simdjson::SUCCESS) continue;
          if (auto item = Member(ingredient, "itemCodeableConcept")) {
            collect(*item);
          } else if (auto item_ref = ObjectMember(ingredient, "itemReference")) {
            // One level: an ingredient that is itself a Medication contributes its code.
            std::string_view reference = StringMember(*item_ref, "reference");
            auto inner = resolve(*medication, reference);
            if (!inner) inner = resolve(resource, reference);
            if (inner && StringMember(*inner, "resourceType") == "Medication") {
              if (auto code = Member(*inner, "code")) collect(*code);
            }
          }
        }
      }
    }
  }
  for (const Coding& c : codings) {
    if (!c.display.empty()) names.push_back(c.display);
    if (c.system != kRxNorm || c.code.empty()) continue;
    const std::vector<int>& found = kb.DrugsByRxcui(c.code);
    if (!found.empty() && id.rxnorm.empty()) id.rxnorm = std::string(c.code);
    AddUnique(id.ingredients, found);
  }
  if (id.ingredients.empty()) {
    for (std::string_view n : names) AddUnique(id.ingredients, kb.DrugsByName(n));
    id.matched_by_name = !id.ingredients.empty();
  }
  for (std::string_view n : names) {
    if (!id.text.empty()) id.text += "; ";
    id.text += n;
  }
  id.identified = !id.rxnorm.empty() || !names.empty();
  if (!names.empty()) {
    id.name = std::string(names.front());
  } else if (!id.ingredients.empty()) {
    id.name = kb.drug(id.ingredients.front()).name;
  }
  return id;
}

DrugIdentity Mapper::IdentifyIn(const Res& r) {
  return Identify(kb_, r.obj, [this, &r](object referrer, std::string_view reference) -> std::optional<object> {
    auto target = Resolve(r, referrer, r.path, reference);
    if (!target) return std::nullopt;
    return target->obj;
  });
}

void Mapper::CommonMedicationFields(const Res& r, MedDraft& d, const DrugIdentity& drug) {
  d.res = &r;
  d.resource_type = r.type;
  d.matched_by_name = drug.matched_by_name;
  Medication& m = d.med;
  m.source = r.path;
  m.kind = std::string(r.type);
  m.name = drug.name;
  m.rxnorm = drug.rxnorm;
  m.ingredients = drug.ingredients;
  m.identified = drug.identified;
  // §4.8: depot salts or "depot" / "long-acting injectable" in the drug's text.
  m.long_acting = kb_.NamesLongActing(drug.text);
  ReadReasons(kb_, r.obj, m);
}

void Mapper::ReadMedicationRequest(const Res& r) {
  std::string_view status = StringMember(r.obj, "status");
  static constexpr std::pair<std::string_view, MedStatus> kStatuses[] = {
      {"active", MedStatus::kActive},       {"on-hold", MedStatus::kOnHold}, {"stopped", MedStatus::kStopped},
      {"completed", MedStatus::kCompleted}, {"draft", MedStatus::kPlanned},  {"unknown", MedStatus::kUnknown}};
  if (status.empty()) return Problem("missing_element", r.path + ".status", "a MedicationRequest needs its status");
  if (status == "cancelled") return Ignore(r.type, "status_excluded");  // cancelled before any action
  auto it = std::find_if(std::begin(kStatuses), std::end(kStatuses), [&](const auto& s) { return s.first == status; });
  if (it == std::end(kStatuses)) {
    return Problem("enum_value", r.path + ".status", fmt::format("{} is not a MedicationRequest status", Quoted(status)));
  }
  bool do_not_perform = false;
  if (auto dnp = Member(r.obj, "doNotPerform"); dnp && dnp->get(do_not_perform) != simdjson::SUCCESS) {
    return Problem("wrong_type", r.path + ".doNotPerform", "doNotPerform must be true or false");
  }
  std::string_view intent = StringMember(r.obj, "intent");
  if (do_not_perform || intent == "option") return Ignore(r.type, "status_excluded");

  MedDraft d;
  Medication& m = d.med;
  m.status = intent == "proposal" ? MedStatus::kPlanned : it->second;
  std::optional<Instant> earliest_start, latest_end;
  auto dosages = ArrayMember(r.obj, "dosageInstruction");
  if (dosages) {
    std::size_t k = 0;
    for (element e : *dosages) {
      const std::size_t dosage_index = k;
      object dosage;
      if (e.get(dosage) != simdjson::SUCCESS) continue;
      if (k++ == 0) {
        m.dose = std::string(StringMember(dosage, "text"));
        if (auto route = Member(dosage, "route")) m.route = RouteOf(kb_, *route);
        m.long_acting_interval_days = DepotInterval(dosage);
      }
      auto timing = ObjectMember(dosage, "timing");
      auto repeat = timing ? ObjectMember(*timing, "repeat") : std::nullopt;
      auto bounds = repeat ? ObjectMember(*repeat, "boundsPeriod") : std::nullopt;
      if (!bounds) continue;
      const auto path = [&](std::string_view end) {
        return [&r, dosage_index, end] {
          return fmt::format("{}.dosageInstruction[{}].timing.repeat.boundsPeriod.{}", r.path, dosage_index, end);
        };
      };
      // Partial dates take the widest reading: the earliest start, the latest end (§4.3).
      if (auto s = Member(*bounds, "start")) {
        if (auto t = TimeAt(*s, path("start")); t && (!earliest_start || t->start < *earliest_start)) {
          earliest_start = t->start;
        }
      }
      if (auto s = Member(*bounds, "end")) {
        if (auto t = TimeAt(*s, path("end")); t && (!latest_end || t->end > *latest_end)) {
          latest_end = t->end;
        }
      }
    }
  }
  if (!earliest_start) {
    if (auto authored = Member(r.obj, "authoredOn")) {
      if (auto t = Time(*authored, r.path, ".authoredOn")) earliest_start = t->start;
    }
  }
  m.start = earliest_start;
  if (m.status == MedStatus::kStopped || m.status == MedStatus::kCompleted) {
    if (latest_end) {
      m.stop = latest_end;
    } else if (auto meta = ObjectMember(r.obj, "meta"); meta && Member(*meta, "lastUpdated")) {
      if (auto t = Time(*Member(*meta, "lastUpdated"), r.path, ".meta.lastUpdated")) {
        m.stop = t->end;
        d.end_inferred = true;
      }
    }
  } else if (latest_end && *latest_end <= t0_) {
    m.stop = latest_end;  // the order ran out
  }
  if (m.start && m.stop && *m.stop < *m.start) {
    return Problem("time_order", r.path + ".dosageInstruction", "the order ends before it starts");
  }
  if (!ResourceOk()) return;
  CommonMedicationFields(r, d, IdentifyIn(r));
  meds_.push_back(std::move(d));
}

void Mapper::ReadMedicationAdministration(const Res& r) {
  std::string_view status = StringMember(r.obj, "status");
  static constexpr std::string_view kCounted[] = {"completed", "in-progress", "stopped", "on-hold", "unknown"};
  if (status.empty()) return Problem("missing_element", r.path + ".status", "a MedicationAdministration needs its status");
  if (status == "not-done") return Ignore(r.type, "status_excluded");
  if (std::find(std::begin(kCounted), std::end(kCounted), status) == std::end(kCounted)) {
    return Problem("enum_value", r.path + ".status",
                   fmt::format("{} is not a MedicationAdministration status", Quoted(status)));
  }
  auto time = EffectiveTime(r, false);
  if (!ResourceOk()) return;
  if (!time) return Problem("missing_element", r.path + ".effective[x]", "the administration has no time");
  Administration a;
  a.at = Place(*time);
  a.source = r.path;
  auto dosage = ObjectMember(r.obj, "dosage");
  auto dose = dosage ? ObjectMember(*dosage, "dose") : std::nullopt;
  if (dose) {
    auto value = Member(*dose, "value");
    std::string_view unit = StringMember(*dose, "code");
    if (unit.empty()) unit = StringMember(*dose, "unit");
    std::optional<Fixed> raw = value && IsJsonNumber(*value) ? FixedOf(*value) : std::nullopt;
    if (raw && *raw >= Fixed()) {
      if (unit == "mg") a.dose_mg = *raw;
      else if (unit == "g") a.dose_mg = raw->MulDiv(1000, 1, 6);
      else if (unit == "ug") a.dose_mg = raw->MulDiv(1, 1000, 6);
    }
  }
  MedDraft own;
  own.med.status = MedStatus::kCompleted;
  own.med.start = a.at;
  own.med.stop = a.at;
  own.med.last_administered = a.at;
  if (dosage) {
    if (auto route = Member(*dosage, "route")) own.med.route = RouteOf(kb_, *route);
  }
  CommonMedicationFields(r, own, IdentifyIn(r));
  own.med.administrations.push_back(std::move(a));
  auto request = ResolveMember(r, "request");
  if (request && request->res != nullptr && request->res->type == "MedicationRequest") {
    admin_by_request_.emplace_back(request->res, std::move(own));
  } else {
    meds_.push_back(std::move(own));
  }
}

void Mapper::ReadMedicationStatement(const Res& r) {
  std::string_view status = StringMember(r.obj, "status");
  static constexpr std::pair<std::string_view, MedStatus> kStatuses[] = {
      {"active", MedStatus::kActive},   {"intended", MedStatus::kPlanned}, {"completed", MedStatus::kCompleted},
      {"stopped", MedStatus::kStopped}, {"on-hold", MedStatus::kOnHold},   {"unknown", MedStatus::kUnknown}};
  if (status.empty()) return Problem("missing_element", r.path + ".status", "a MedicationStatement needs its status");
  if (status == "not-taken") return Ignore(r.type, "status_excluded");
  auto it = std::find_if(std::begin(kStatuses), std::end(kStatuses), [&](const auto& s) { return s.first == status; });
  if (it == std::end(kStatuses)) {
    return Problem("enum_value", r.path + ".status", fmt::format("{} is not a MedicationStatement status", Quoted(status)));
  }
  MedDraft d;
  Medication& m = d.med;
  m.status = it->second;
  if (auto period = ObjectMember(r.obj, "effectivePeriod")) {
    if (auto s = Member(*period, "start")) {
      if (auto t = Time(*s, r.path, ".effectivePeriod.start")) m.start = t->start;
    }
    if (auto s = Member(*period, "end")) {
      if (auto t = Time(*s, r.path, ".effectivePeriod.end")) m.stop = t->end;
    }
  } else if (auto e = Member(r.obj, "effectiveDateTime")) {
    if (auto t = Time(*e, r.path, ".effectiveDateTime")) m.start = t->start;  // an open end
  }
  if (m.start && m.stop && *m.stop < *m.start) {
    return Problem("time_order", r.path + ".effectivePeriod", "the period ends before it starts");
  }
  if (auto dosages = ArrayMember(r.obj, "dosage")) {
    for (element e : *dosages) {
      object dosage;
      if (e.get(dosage) != simdjson::SUCCESS) continue;
      m.dose = std::string(StringMember(dosage, "text"));
      if (auto route = Member(dosage, "route")) m.route = RouteOf(kb_, *route);
      break;
    }
  }
  if (!ResourceOk()) return;
  CommonMedicationFields(r, d, IdentifyIn(r));
  meds_.push_back(std::move(d));
}

void Mapper::ResolveMedications() {
  // Administrations whose order is in the input are attached to it (§4.8); the others stand alone.
  for (auto& [request, own] : admin_by_request_) {
    // By identity: on the Bulk channel every order's element path is "MedicationRequest".
    auto order = std::find_if(meds_.begin(), meds_.end(), [&](const MedDraft& d) {
      return d.resource_type == "MedicationRequest" && d.res == request;
    });
    if (order == meds_.end()) {
      meds_.push_back(std::move(own));
      continue;
    }
    Medication& m = order->med;
    for (Administration& a : own.med.administrations) {
      if (!m.last_administered || a.at > *m.last_administered) m.last_administered = a.at;
      m.administrations.push_back(std::move(a));
    }
  }
  std::vector<std::pair<std::string, std::string>> not_recognised;
  std::vector<std::string> by_name, end_inferred;
  InputWarning by_name_warning, end_warning;
  for (MedDraft& d : meds_) {
    Medication& m = d.med;
    std::sort(m.administrations.begin(), m.administrations.end(),
              [](const Administration& a, const Administration& b) { return a.at < b.at; });
    if (m.identified && m.ingredients.empty()) {
      Ignore(d.resource_type, "not_in_knowledge_base");
      not_recognised.emplace_back(m.name, m.source);
    }
    if (d.matched_by_name) {
      by_name.push_back(m.name);
      by_name_warning.facts.emplace_back("medication", m.name);
      by_name_warning.sources.push_back(m.source);
    }
    if (d.end_inferred) {
      end_inferred.push_back(fmt::format("{} (stop {})", m.name, FormatDateTime(*m.stop)));
      end_warning.facts.emplace_back("medication", m.name);
      end_warning.sources.push_back(m.source);
    }
    c_.medications.push_back(std::move(m));
  }
  AddMedicationsNotRecognisedWarning(std::move(not_recognised), c_);
  if (!by_name.empty()) {
    std::sort(by_name.begin(), by_name.end());
    by_name_warning.code = "INPUT_MEDICATION_MATCHED_BY_NAME";
    by_name_warning.text = FillTemplate(kb_.text(TextId::kWarnInputMatchedByName).text,
                                        kb_.text(TextId::kWarnInputMatchedByName).parts, {{"names", JoinAnd(by_name)}});
    c_.input_warnings.push_back(std::move(by_name_warning));
  }
  if (!end_inferred.empty()) {
    end_warning.code = "INPUT_MEDICATION_END_INFERRED";
    end_warning.text = FillTemplate(kb_.text(TextId::kWarnInputEndInferred).text,
                                    kb_.text(TextId::kWarnInputEndInferred).parts, {{"items", JoinAnd(end_inferred)}});
    c_.input_warnings.push_back(std::move(end_warning));
  }
}

}  // namespace nmscds::fhir
