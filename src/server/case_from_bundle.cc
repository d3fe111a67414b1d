#include "server/case_from_bundle.h"

#include <functional>

#include <nlohmann/json.hpp>

#include "common/json_dom.h"
#include "common/json_writer.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"

namespace nmscds {

namespace {

// Limits of the case schema for free text (interfaces.md §2.5, §2.7).
constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxConditionCode = 32;

// Case enums without a name function in the model: the spellings of case.schema.json.
std::string_view MedStatusName(MedStatus s) {
  constexpr std::string_view kNames[] = {"active",  "on_hold",   "stopped",    "completed",
                                         "planned", "not_taken", "entered_in_error", "unknown"};
  return kNames[static_cast<std::size_t>(s)];
}

std::string_view MedRouteName(MedRoute r) {
  constexpr std::string_view kNames[] = {"",        "oral",     "enteral_tube", "iv",         "im",
                                         "sc",      "transdermal", "rectal",    "inhaled",    "sublingual",
                                         "intranasal", "intrathecal", "topical", "other",     "unknown"};
  return kNames[static_cast<std::size_t>(r)];
}

std::string_view ComparatorText(Comparator c) {
  constexpr std::string_view kNames[] = {"", "<", "<=", ">=", ">"};
  return kNames[static_cast<std::size_t>(c)];
}

std::string_view ConditionStatusName(ConditionStatus s) {
  constexpr std::string_view kNames[] = {"active", "past", "refuted"};
  return kNames[static_cast<std::size_t>(s)];
}

// Free text cut to the schema's limit at a UTF-8 character boundary; `cut` tells the caller.
std::string_view Limited(std::string_view text, std::size_t limit, bool& cut) {
  cut = text.size() > limit;
  if (!cut) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

void MemberTime(JsonWriter& w, std::string_view key, const std::optional<Instant>& t) {
  if (t) w.Member(key, FormatDateTime(*t));
}

void MemberTri(JsonWriter& w, std::string_view key, Tri t) {
  if (t != Tri::kUnknown) w.MemberBool(key, t == Tri::kTrue);
}

void MemberName(JsonWriter& w, std::string_view key, std::string_view name) {
  if (!name.empty()) w.Member(key, name);
}

void WritePatient(JsonWriter& w, const Case& c) {
  w.Key("patient");
  w.BeginObject();
  w.Member("id", c.patient_id);
  if (c.age_years) w.MemberInt("age_years", *c.age_years);
  if (c.sex != Sex::kUnknown) w.Member("sex", SexName(c.sex));
  if (c.weight) {
    w.Key("weight");
    w.BeginObject();
    w.MemberNumber("value", c.weight->kg);
    w.Member("unit", "kg");
    MemberTime(w, "measured_at", c.weight->measured_at);
    w.EndObject();
  }
  if (c.height_cm) {
    w.Key("height");
    w.BeginObject();
    w.MemberNumber("value", *c.height_cm);
    w.Member("unit", "cm");
    w.EndObject();
  }
  w.EndObject();
}

void WriteObservations(JsonWriter& w, const Case& c, const KnowledgeBase& kb) {
  if (c.observations.empty()) return;
  w.Key("observations");
  w.BeginArray();
  for (const Observation& o : c.observations) {
    w.BeginObject();
    w.Member("kind", ObsKindName(o.kind));
    w.MemberNumber("value", o.value);
    if (o.comparator != Comparator::kNone) w.Member("comparator", ComparatorText(o.comparator));
    w.Member("unit", kb.kind(o.kind).canonical_unit);
    w.Member("time", FormatDateTime(o.time));
    MemberName(w, "route", TempRouteName(o.route));
    if (o.ref_low || o.ref_high) {
      w.Key("reference_range");
      w.BeginObject();
      if (o.ref_low) w.MemberNumber("low", *o.ref_low);
      if (o.ref_high) w.MemberNumber("high", *o.ref_high);
      w.EndObject();
    }
    if (o.baseline) w.MemberBool("baseline", true);
    w.EndObject();
  }
  w.EndArray();
}

void WriteFindings(JsonWriter& w, const Findings& f) {
  bool any = f.assessed_at || f.rigidity != Rigidity::kUnknown || f.mental_status != MentalStatus::kUnknown ||
             f.bowel_sounds != BowelSounds::kUnknown;
  for (Tri t : f.flags) any = any || t != Tri::kUnknown;
  if (!any) return;
  w.Key("findings");
  w.BeginObject();
  MemberTime(w, "assessed_at", f.assessed_at);
  MemberName(w, "rigidity", RigidityName(f.rigidity));
  MemberName(w, "mental_status", MentalStatusName(f.mental_status));
  MemberName(w, "bowel_sounds", BowelSoundsName(f.bowel_sounds));
  for (std::size_t i = 0; i < kFindingCount; ++i) MemberTri(w, FindingName(static_cast<Finding>(i)), f.flags[i]);
  w.EndObject();
}

void WriteMedications(JsonWriter& w, const Case& c, const KnowledgeBase& kb, std::vector<std::string>& not_written) {
  if (!c.medications_supplied) return;
  w.Key("medications");
  w.BeginArray();
  for (const Medication& m : c.medications) {
    if (!m.identified) {
      not_written.push_back(m.source + ": a medication that names no drug (no RxNorm code, no text) cannot be "
                            "written in the form; the Bundle itself counts it as a possible dopamine antagonist");
      continue;
    }
    w.BeginObject();
    // The reader matches the RxNorm code first, then the name (§2.5): the name the Bundle gave, else the
    // knowledge base's name of the ingredient the code identified.
    std::string name = m.name;
    if (name.empty()) name = m.ingredients.empty() ? "RxNorm " + m.rxnorm : kb.drug(m.ingredients.front()).name;
    bool cut = false;
    w.Member("name", Limited(name, kMaxText, cut));
    if (cut) not_written.push_back(m.source + ": the medication name was cut to 200 characters");
    if (AllDigits(m.rxnorm)) w.Member("rxnorm", m.rxnorm);
    MemberName(w, "route", MedRouteName(m.route));
    w.Member("status", MedStatusName(m.status));
    MemberTime(w, "start", m.start);
    MemberTime(w, "stop", m.stop);
    MemberTime(w, "last_administered", m.last_administered);
    if (m.long_acting) w.MemberBool("long_acting", true);
    if (m.long_acting_interval_days) w.MemberNumber("long_acting_interval_days", *m.long_acting_interval_days);
    // Written whenever the indication could derive another value (§2.5).
    if (m.used_as_antiemetic || !m.indication.empty()) w.MemberBool("used_as_antiemetic", m.used_as_antiemetic);
    if (!m.dose.empty()) {
      w.Member("dose", Limited(m.dose, kMaxText, cut));
      if (cut) not_written.push_back(m.source + ": the dose text was cut to 200 characters");
    }
    if (!m.indication.empty()) {
      w.Member("indication", Limited(m.indication, kMaxText, cut));
      if (cut) not_written.push_back(m.source + ": the indication was cut to 200 characters");
    }
    if (!m.administrations.empty()) {
      w.Key("administrations");
      w.BeginArray();
      for (const Administration& a : m.administrations) {
        w.BeginObject();
        w.Member("at", FormatDateTime(a.at));
        if (a.dose_mg) w.MemberNumber("dose_mg", *a.dose_mg);
        else if (a.dose_mg_per_kg) w.MemberNumber("dose_mg_per_kg", *a.dose_mg_per_kg);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
}

void WriteConditions(JsonWriter& w, const Case& c, std::vector<std::string>& not_written) {
  if (!c.conditions_supplied) return;
  w.Key("conditions");
  w.BeginArray();
  for (const Condition& condition : c.conditions) {
    const bool coded = !condition.system.empty() && !condition.code.empty() && condition.code.size() <= kMaxConditionCode;
    if (!coded && condition.text.empty()) {
      not_written.push_back(condition.source + ": a problem without a code of SNOMED CT or ICD-10-CM and without "
                            "text cannot be written in the form");
      continue;
    }
    w.BeginObject();
    if (coded) {
      w.Member("system", condition.system);
      w.Member("code", condition.code);
    }
    bool cut = false;
    if (!condition.text.empty()) w.Member("text", Limited(condition.text, kMaxText, cut));
    w.Member("status", ConditionStatusName(condition.status));
    MemberTime(w, "onset", condition.onset);
    w.EndObject();
  }
  w.EndArray();
}

void WriteProcedures(JsonWriter& w, const Case& c) {
  if (!c.procedures_supplied) return;
  w.Key("procedures");
  w.BeginArray();
  for (const Procedure& p : c.procedures) {
    w.BeginObject();
    w.Member("kind", "ect");
    w.Member("time", FormatDateTime(p.time));
    w.EndObject();
  }
  w.EndArray();
}

bool HasContext(const Context& x) {
  for (Tri t : x.flags) {
    if (t != Tri::kUnknown) return true;
  }
  const Anesthesia& a = x.anesthesia;
  return x.iv_access != IvAccess::kUnknown || x.malignancy != Malignancy::kUnknown ||
         x.burden_of_illness != Burden::kUnknown || x.penicillin_allergy != PenicillinAllergy::kUnknown ||
         x.location != Location::kUnknown || x.expected_neutropenia_days || x.antibiotics_started_at ||
         x.fever_onset_at || x.last_chemotherapy_at || a.volatile_agent != Tri::kUnknown ||
         a.succinylcholine != Tri::kUnknown || a.at;
}

void WriteContext(JsonWriter& w, const Context& x, std::vector<std::string>& not_written) {
  if (!HasContext(x)) return;
  w.Key("context");
  w.BeginObject();
  for (std::size_t i = 0; i < kCtxFlagCount; ++i) MemberTri(w, CtxFlagName(static_cast<CtxFlag>(i)), x.flags[i]);
  MemberName(w, "iv_access", IvAccessName(x.iv_access));
  MemberName(w, "malignancy", MalignancyName(x.malignancy));
  MemberName(w, "burden_of_illness", BurdenName(x.burden_of_illness));
  MemberName(w, "penicillin_allergy", PenicillinAllergyName(x.penicillin_allergy));
  MemberName(w, "location", LocationName(x.location));
  if (x.expected_neutropenia_days) w.MemberNumber("expected_neutropenia_days", *x.expected_neutropenia_days);
  MemberTime(w, "antibiotics_started_at", x.antibiotics_started_at);
  MemberTime(w, "fever_onset_at", x.fever_onset_at);
  MemberTime(w, "last_chemotherapy_at", x.last_chemotherapy_at);
  const Anesthesia& a = x.anesthesia;
  const bool exposed = a.volatile_agent == Tri::kTrue || a.succinylcholine == Tri::kTrue;
  if (exposed && !a.at) {
    not_written.push_back(a.source + ": an anaesthetic exposure without its time cannot be written in the form");
  } else if (a.volatile_agent != Tri::kUnknown || a.succinylcholine != Tri::kUnknown || a.at) {
    w.Key("anesthesia");
    w.BeginObject();
    MemberTri(w, "volatile_agent", a.volatile_agent);
    MemberTri(w, "succinylcholine", a.succinylcholine);
    MemberTime(w, "at", a.at);
    w.EndObject();
  }
  w.EndObject();
}

// A report as JSON without what legitimately differs between a Bundle and its native case: the input summary,
// the evidence sources (FHIR paths versus JSON pointers) and the INPUT_* warnings about reading FHIR.
nlohmann::ordered_json ClinicalContent(const Report& report) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReportToJson(report, false));
  j.erase("input");
  auto& warnings = j["warnings"];
  for (auto it = warnings.begin(); it != warnings.end();) {
    it = it->at("code").get<std::string>().starts_with("INPUT_") ? warnings.erase(it) : it + 1;
  }
  std::function<void(nlohmann::ordered_json&)> strip = [&strip](nlohmann::ordered_json& node) {
    if (node.is_object()) {
      node.erase("source");
      for (auto& [key, value] : node.items()) strip(value);
    } else if (node.is_array()) {
      for (auto& value : node) strip(value);
    }
  };
  strip(j);
  return j;
}

}  // namespace

std::string CaseToNativeJson(const Case& c, const KnowledgeBase& kb, std::vector<std::string>& not_written) {
  JsonWriter w(false);
  w.BeginObject();
  w.Member("format", "nmscds-case");
  w.MemberInt("format_version", 1);
  WritePatient(w, c);
  w.Member("assessed_at", FormatDateTime(c.assessed_at));
  MemberTime(w, "episode_onset", c.episode_onset);
  if (c.clinician_suspected_nms) w.MemberBool("clinician_suspected_nms", true);
  WriteObservations(w, c, kb);
  WriteFindings(w, c.findings);
  WriteMedications(w, c, kb, not_written);
  WriteConditions(w, c, not_written);
  WriteProcedures(w, c);
  WriteContext(w, c.context, not_written);
  w.EndObject();
  return w.Finish();
}

Result<CaseFromBundle> ReadCaseFromBundle(std::string_view document, const KnowledgeBase& kb,
                                          const AssessOptions& options) {
  JsonParser parser;
  auto root = parser.Parse(document);
  if (!root) return root.error();
  std::string_view resource_type;
  if (root->at_key("resourceType").get_string().get(resource_type) || resource_type != "Bundle") {
    return Error::Invalid({Issue{"unsupported_document", "", "json_pointer",
                                 "send a FHIR Bundle: the page reads a native case itself"}});
  }
  FhirBundleOptions fhir_options;
  fhir_options.at_override = options.at;
  fhir_options.now = options.now;
  auto bundle_case = ReadFhirBundle(*root, document, kb, fhir_options);
  if (!bundle_case) return bundle_case.error();

  CaseFromBundle result;
  result.case_json = CaseToNativeJson(*bundle_case, kb, result.differences);
  const Report bundle_report = RunEngine(*bundle_case, kb);
  auto form_report = Assess(result.case_json, kb, AssessOptions{});
  if (!form_report) {
    for (const Issue& issue : form_report.error().issues) {
      result.differences.push_back("the written case is refused: " + issue.location + ": " + issue.message);
    }
    return result;
  }
  const auto expected = ClinicalContent(bundle_report);
  const auto actual = ClinicalContent(*form_report);
  for (const auto& [member, value] : expected.items()) {
    if (!actual.contains(member) || actual[member] != value) {
      result.differences.push_back("the assessment of the form would differ from the Bundle's in `" + member + "`");
    }
  }
  return result;
}

std::string CaseFromBundleJson(const CaseFromBundle& result) {
  std::string out = "{\"case\":" + result.case_json + ",\"differences\":[";
  for (std::size_t i = 0; i < result.differences.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, result.differences[i]);
  }
  out += "]}";
  return out;
}

}  // namespace nmscds
