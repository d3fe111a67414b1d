// Entry points of the FHIR reader (fhir_reader.h): a Bundle document, CDS prefetch data, one medication.
#include "fhir/fhir_reader.h"

#include <xxhash.h>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "common/sha256.h"
#include "common/text.h"
#include "fhir/fhir_mapper.h"

namespace nmscds {

namespace {

std::string ProblemCount(std::size_t n) { return n == 1 ? "1 problem" : fmt::format("{} problems", n); }

Error InvalidInput(std::vector<Issue> issues) {
  std::string message = ProblemCount(issues.size());
  return Error::Invalid(std::move(issues), std::move(message));
}

// A templated input warning naming `items` (one fact per item, with its source when known).
InputWarning ListWarning(const KnowledgeBase& kb, std::string code, TextId text, std::string_view placeholder,
                         const std::vector<std::string>& items, const std::vector<std::string>& sources) {
  InputWarning w;
  w.code = std::move(code);
  const TextEntry& t = kb.text(text);
  w.text = FillTemplate(t.text, t.parts, {{placeholder, JoinAnd(items)}});
  for (std::size_t i = 0; i < items.size(); ++i) {
    w.facts.emplace_back("item", items[i]);
    w.sources.push_back(i < sources.size() ? sources[i] : std::string());
  }
  return w;
}

void SortIgnored(Case& c) {
  std::sort(c.input.ignored.begin(), c.input.ignored.end(), [](const IgnoredCount& a, const IgnoredCount& b) {
    return std::tie(a.kind, a.reason) < std::tie(b.kind, b.reason);
  });
}

}  // namespace

namespace fhir {

void Mapper::WriteWarnings() {
  if (!partial_dates_.empty()) {
    std::vector<std::string> items, sources;
    for (const auto& [path, text] : partial_dates_) {
      items.push_back(fmt::format("{} ({})", text, path));
      sources.push_back(path);
    }
    c_.input_warnings.push_back(
        ListWarning(kb_, "INPUT_PARTIAL_DATE", TextId::kWarnInputPartialDate, "items", items, sources));
  }
  if (!ranges_ignored_.empty()) {
    c_.input_warnings.push_back(
        ListWarning(kb_, "INPUT_RANGE_IGNORED", TextId::kWarnInputRangeIgnored, "items", ranges_ignored_, {}));
  }
  if (!units_unsupported_.empty()) {
    c_.input_warnings.push_back(ListWarning(kb_, "UNIT_UNSUPPORTED", TextId::kWarnUnitUnsupported, "items",
                                            units_unsupported_, unsupported_sources_));
  }
}

}  // namespace fhir

Result<Case> ReadFhirBundle(simdjson::dom::element bundle, std::string_view bytes, const KnowledgeBase& kb,
                            const FhirBundleOptions& options) {
  simdjson::dom::object obj;
  if (bundle.get(obj) != simdjson::SUCCESS || fhir::StringMember(obj, "resourceType") != "Bundle") {
    return InvalidInput({Issue{"unsupported_document", "resourceType", "fhir_path",
                               "only a FHIR Bundle can be assessed (interfaces.md section 4.1)"}});
  }
  Case c;
  c.input.format = InputFormat::kFhirBundle;
  fhir::Mapper mapper(kb, FhirChannel::kDocument, c);
  mapper.CollectBundle(obj, "Bundle", 0, true);
  if (!mapper.issues.empty()) return InvalidInput(std::move(mapper.issues));

  // T0 (§4.1): --at, else Bundle.timestamp, else the clock (with a warning).
  std::optional<Instant> t0;
  if (options.at_override) {
    t0 = options.at_override;
    c.input.assessed_at_source = AssessedAtSource::kOverride;
  } else if (auto ts = fhir::Member(obj, "timestamp")) {
    std::string_view text;
    if (ts->get(text) == simdjson::SUCCESS) t0 = ParseDateTime(text);
    if (!t0) {
      return InvalidInput({Issue{"time_format", "Bundle.timestamp", "fhir_path",
                                 "Bundle.timestamp must be an instant with a time-zone offset"}});
    }
    c.input.assessed_at_source = AssessedAtSource::kBundleTimestamp;
  } else if (options.now) {
    t0 = options.now;
    c.input.assessed_at_source = AssessedAtSource::kClock;
    const TextEntry& t = kb.text(TextId::kWarnInputAssessedAtFromClock);
    const std::string when = FormatDateTime(*t0);
    c.input_warnings.push_back(InputWarning{"INPUT_ASSESSED_AT_FROM_CLOCK", FillTemplate(t.text, t.parts, {{"t0", when}}),
                                            {{"assessed_at", when}},
                                            {""}});
  } else {
    return InvalidInput({Issue{"missing_element", "Bundle.timestamp", "fhir_path",
                               "the Bundle has no timestamp and no assessment time was given (use --at)"}});
  }
  c.assessed_at = *t0;
  mapper.ReadAll(*t0, "");
  if (!mapper.issues.empty()) return InvalidInput(std::move(mapper.issues));
  c.medications_supplied = mapper.medication_resources_seen();
  c.conditions_supplied = mapper.condition_resources_seen();
  c.input.sha256 = Sha256Hex(bytes);
  SortIgnored(c);
  return c;
}

Result<Case> ReadFhirCds(const CdsData& data, const KnowledgeBase& kb) {
  Case c;
  c.input.format = InputFormat::kCdsHooks;
  c.input.assessed_at_source = AssessedAtSource::kRequest;
  c.input.sha256 = data.sha256;
  c.input.unavailable = data.unavailable;
  c.assessed_at = data.t0;
  fhir::Mapper mapper(kb, FhirChannel::kCds, c);
  std::vector<std::string> keys;
  for (const FhirSource& s : data.sources) keys.push_back(s.key);
  mapper.SetSourceKeys(std::move(keys));
  for (std::size_t i = 0; i < data.sources.size(); ++i) {
    const FhirSource& source = data.sources[i];
    simdjson::dom::object obj;
    if (source.root.get(obj) != simdjson::SUCCESS) continue;  // null: no data (§8.6)
    std::string_view type = fhir::StringMember(obj, "resourceType");
    if (type == "Bundle") {
      mapper.CollectBundle(obj, source.path, i, false);
    } else if (type != "OperationOutcome") {  // an OperationOutcome is an unavailable key (the CDS layer's)
      mapper.CollectResource(obj, source.path, "", i);
    }
  }
  mapper.ReadAll(data.t0, data.patient_id);
  if (!mapper.issues.empty()) return InvalidInput(std::move(mapper.issues));
  c.medications_supplied = mapper.medication_resources_seen() || data.medication_list_complete;
  c.conditions_supplied = mapper.condition_resources_seen() || data.problem_list_supplied;
  // INPUT_DATA_UNAVAILABLE names every key that was unavailable, partly read or had skipped resources.
  std::vector<std::string> missing = data.unavailable;
  for (const std::string& k : mapper.malformed_keys()) missing.push_back(k + " (unreadable resources skipped)");
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  if (!missing.empty()) {
    c.input_warnings.push_back(
        ListWarning(kb, "INPUT_DATA_UNAVAILABLE", TextId::kWarnInputDataUnavailable, "items", missing, {}));
  }
  SortIgnored(c);
  return c;
}

std::uint64_t BulkLineHash(std::string_view line) { return XXH3_64bits(line.data(), line.size()); }

Result<Case> ReadFhirBulkPatient(const BulkPatient& patient, const KnowledgeBase& kb,
                                 std::vector<BulkSkipped>& skipped) {
  Result<Case> out{std::in_place};  // the case is built in place and returned as it is: a Case is large to move
  Case& c = *out;
  c.input.format = InputFormat::kFhirBulk;
  c.input.assessed_at_source = AssessedAtSource::kOverride;
  c.assessed_at = patient.t0;
  fhir::Mapper mapper(kb, FhirChannel::kBulk, c);
  auto mapped = patient.mapped.begin();
  auto collect_mapped_before = [&](std::size_t i) {
    for (; mapped != patient.mapped.end() && mapped->before <= i; ++mapped) {
      mapper.CollectMapped(*mapped->observation, mapped->origin);
    }
  };
  for (std::size_t i = 0; i < patient.resources.size(); ++i) {
    collect_mapped_before(i);
    const BulkResource& r = patient.resources[i];
    std::string_view type = fhir::StringMember(r.resource, "resourceType");
    mapper.CollectResource(r.resource, std::string(type.empty() ? "Resource" : type), "", r.origin, r.line);
  }
  collect_mapped_before(patient.resources.size());
  mapper.ReadAll(patient.t0, patient.patient_id);
  for (const auto& [origin, issue] : mapper.skipped()) skipped.push_back(BulkSkipped{origin, issue});
  if (!mapper.issues.empty()) {
    out = InvalidInput(std::move(mapper.issues));
    return out;
  }
  c.medications_supplied = mapper.medication_resources_seen() || patient.medication_files;
  c.conditions_supplied = mapper.condition_resources_seen();  // §4.7: at least one Condition of this patient
  SortIgnored(c);
  return out;
}

std::optional<BulkMappedObservation> BulkObservationMapper::Map(simdjson::dom::object resource,
                                                                std::string_view patient_id, Instant t0) {
  // MapAlone reads back the observations and ignored counts the mapping adds to the Case, and nothing else.
  scratch_.observations.clear();
  scratch_.input.ignored.clear();
  scratch_.input.format = InputFormat::kFhirBulk;
  scratch_.assessed_at = t0;
  fhir::Mapper mapper(kb_, FhirChannel::kBulk, scratch_);
  return mapper.MapAlone(resource, t0, patient_id);
}

IdentifiedDrug IdentifyMedication(simdjson::dom::object resource, simdjson::dom::element bundle,
                                  const KnowledgeBase& kb) {
  auto resolve = [&](simdjson::dom::object referrer, std::string_view reference) -> std::optional<simdjson::dom::object> {
    if (reference.empty()) return std::nullopt;
    if (reference.front() == '#') {
      for (simdjson::dom::object holder : {referrer, resource}) {
        if (auto contained = fhir::ArrayMember(holder, "contained")) {
          for (simdjson::dom::element e : *contained) {
            simdjson::dom::object o;
            if (e.get(o) == simdjson::SUCCESS && fhir::StringMember(o, "id") == reference.substr(1)) return o;
          }
        }
      }
      return std::nullopt;
    }
    simdjson::dom::object b;
    if (bundle.get(b) != simdjson::SUCCESS) return std::nullopt;
    auto entries = fhir::ArrayMember(b, "entry");
    if (!entries) return std::nullopt;
    auto [type, id] = fhir::ReferenceTypeAndId(reference);
    for (simdjson::dom::element e : *entries) {
      simdjson::dom::object entry;
      if (e.get(entry) != simdjson::SUCCESS) continue;
      auto target = fhir::ObjectMember(entry, "resource");
      if (!target) continue;
      if (fhir::StringMember(entry, "fullUrl") == reference ||
          (!type.empty() && fhir::StringMember(*target, "resourceType") == type && fhir::StringMember(*target, "id") == id)) {
        return target;
      }
    }
    return std::nullopt;
  };
  fhir::DrugIdentity d = fhir::Mapper::Identify(kb, resource, resolve);
  return IdentifiedDrug{std::move(d.ingredients), std::move(d.name), std::move(d.rxnorm), d.identified,
                        d.matched_by_name};
}

}  // namespace nmscds
