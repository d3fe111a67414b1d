#pragma once
// Small read-only accessors for FHIR R4 JSON (simdjson DOM) and FHIR date/time values (interfaces §4.3).
// They never fail loudly: a member that is absent or of another JSON type reads as absent, and the callers
// decide whether that is an error (a member nmscds needs on a recognised resource) or nothing (§4.9).
#include <simdjson.h>

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time_util.h"

namespace nmscds::fhir {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kIcd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kNmscdsFinding = "urn:nmscds:cs:finding";
inline constexpr std::string_view kNmscdsContext = "urn:nmscds:cs:context";
inline constexpr std::string_view kNmscdsValue = "urn:nmscds:cs:value";
inline constexpr std::string_view kNmscdsTag = "urn:nmscds:cs:tag";

std::optional<element> Member(object o, std::string_view key);
std::optional<object> ObjectMember(object o, std::string_view key);
std::optional<array> ArrayMember(object o, std::string_view key);
// The string value of a member; "" when absent or not a string.
std::string_view StringMember(object o, std::string_view key);

// The same lookups by a literal name (the usual case), as above: the first member of that name. The name's
// length is known when compiling, so each key is compared inline instead of by a library call (DOM key
// lookups were a tenth of the screen's time). Measured: one inline string_view version for both is not
// inlined by GCC and costs 2.6 % more instructions on a screen, hence the two entry points.
template <std::size_t N>
std::optional<element> Member(object o, const char (&key)[N]) {
  for (auto field : o) {
    if (field.key.size() == N - 1 && std::memcmp(field.key.data(), key, N - 1) == 0) return field.value;
  }
  return std::nullopt;
}
template <std::size_t N>
std::optional<object> ObjectMember(object o, const char (&key)[N]) {
  object out;
  if (auto e = Member(o, key); e && e->get(out) == simdjson::SUCCESS) return out;
  return std::nullopt;
}
template <std::size_t N>
std::optional<array> ArrayMember(object o, const char (&key)[N]) {
  array out;
  if (auto e = Member(o, key); e && e->get(out) == simdjson::SUCCESS) return out;
  return std::nullopt;
}
template <std::size_t N>
std::string_view StringMember(object o, const char (&key)[N]) {
  std::string_view out;
  if (auto e = Member(o, key); e && e->get(out) == simdjson::SUCCESS) return out;
  return {};
}
bool IsObject(element e);
bool IsString(element e);

struct Coding {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};
// Codings, held inline up to kInline (nearly every CodeableConcept), in a vector beyond: reading a concept
// allocates nothing.
class CodingList {
 public:
  static constexpr std::size_t kInline = 4;
  const Coding* begin() const { return more_.empty() ? inline_ : more_.data(); }
  const Coding* end() const { return begin() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void push_back(const Coding& c) {
    if (more_.empty() && size_ < kInline) {
      inline_[size_++] = c;
      return;
    }
    if (more_.empty()) more_.assign(inline_, inline_ + size_);
    more_.push_back(c);
    ++size_;
  }

 private:
  Coding inline_[kInline];
  std::vector<Coding> more_;
  std::size_t size_ = 0;
};
// The codings of a CodeableConcept (its `coding` array); codings that are not objects are skipped.
CodingList Codings(element codeable_concept);
// CodeableConcept.text, "" when absent.
std::string_view ConceptText(element codeable_concept);
// The code of the first coding of `concept` in `system` ("" when none): clinicalStatus, type, ...
std::string_view CodeIn(object resource, std::string_view member, std::string_view system_suffix = {});

// The member that names a resource's patient (interfaces §4.2): `patient` for AllergyIntolerance and
// Device, `subject` for the other clinical resources.
std::string_view PatientMember(std::string_view resource_type);

// "Type/id" of a relative reference ("Patient/p1/_history/2" -> {Patient, p1}; the last two segments of an
// absolute URL); empty when the reference has no such form.
std::pair<std::string_view, std::string_view> ReferenceTypeAndId(std::string_view reference);

// A FHIR date, dateTime or instant as the UTC interval it denotes (interfaces §4.3): a full date-time is
// one instant (start == end); "2026", "2026-11" and "2026-11-20" are the whole year, month or day.
struct FhirTime {
  Instant start = 0;
  Instant end = 0;  // last second of the interval
  bool partial = false;
};
enum class TimeProblem { kNone, kNoZone, kInvalid };
std::optional<FhirTime> ParseFhirTime(std::string_view text, TimeProblem* problem);

// A partial time placed on the time line of an assessment at T0 (interfaces §4.3): an interval that
// contains T0 is placed at T0; one that starts after T0 at its start (it is "after T0"); one that ended
// before T0 at its last second (the latest moment it can denote).
Instant PlaceAt(const FhirTime& t, Instant t0);

}  // namespace nmscds::fhir
