#include "fhir/fhir_json.h"

#include <algorithm>
#include <utility>

namespace nmscds::fhir {

std::optional<element> Member(object o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

std::optional<object> ObjectMember(object o, std::string_view key) {
  object out;
  if (o.at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::optional<array> ArrayMember(object o, std::string_view key) {
  array out;
  if (o.at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::string_view StringMember(object o, std::string_view key) {
  std::string_view s;
  if (o.at_key(key).get(s) != simdjson::SUCCESS) return {};
  return s;
}

bool IsObject(element e) { return e.type() == element_type::OBJECT; }
bool IsString(element e) { return e.type() == element_type::STRING; }

CodingList Codings(element codeable_concept) {
  CodingList out;
  object cc;
  std::optional<array> codings;
  if (codeable_concept.get(cc) != simdjson::SUCCESS || !(codings = ArrayMember(cc, "coding"))) return out;
  for (element c : *codings) {
    object co;
    if (c.get(co) != simdjson::SUCCESS) continue;
    // One pass over the coding's members instead of one StringMember lookup each; as with at_key, the first
    // member of a name counts, and a value that is not a string reads as "".
    Coding coding;
    bool seen_system = false, seen_code = false, seen_display = false;
    for (auto field : co) {
      std::string_view* slot = nullptr;
      const std::string_view key = field.key;  // the three names differ in length: one compare each
      if (key.size() == 6 && std::memcmp(key.data(), "system", 6) == 0) {
        if (!std::exchange(seen_system, true)) slot = &coding.system;
      } else if (key.size() == 4 && std::memcmp(key.data(), "code", 4) == 0) {
        if (!std::exchange(seen_code, true)) slot = &coding.code;
      } else if (key.size() == 7 && std::memcmp(key.data(), "display", 7) == 0) {
        if (!std::exchange(seen_display, true)) slot = &coding.display;
      }
      if (slot != nullptr && field.value.get(*slot) != simdjson::SUCCESS) *slot = {};
    }
    out.push_back(coding);
  }
  return out;
}

std::string_view ConceptText(element codeable_concept) {
  object cc;
  if (codeable_concept.get(cc) != simdjson::SUCCESS) return {};
  return StringMember(cc, "text");
}

std::string_view CodeIn(object resource, std::string_view member, std::string_view system_suffix) {
  auto cc = Member(resource, member);
  if (!cc) return {};
  for (const Coding& c : Codings(*cc)) {
    if (system_suffix.empty() || (c.system.size() >= system_suffix.size() &&
                                  c.system.substr(c.system.size() - system_suffix.size()) == system_suffix)) {
      return c.code;
    }
  }
  return {};
}

std::pair<std::string_view, std::string_view> ReferenceTypeAndId(std::string_view ref) {
  // The usual "Type/id" (one slash) first: no search for "/_history/" (a tenth of a screen's subject checks).
  if (const auto slash = ref.find('/'); slash != std::string_view::npos && slash != 0 && slash + 1 < ref.size() &&
                                        ref.find('/', slash + 1) == std::string_view::npos) {
    return {ref.substr(0, slash), ref.substr(slash + 1)};
  }
  if (auto h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  auto slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == ref.size()) return {};
  std::string_view id = ref.substr(slash + 1);
  std::string_view before = ref.substr(0, slash);
  auto prev = before.rfind('/');
  std::string_view type = prev == std::string_view::npos ? before : before.substr(prev + 1);
  return {type, id};
}

namespace {
bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}
}  // namespace

std::optional<FhirTime> ParseFhirTime(std::string_view text, TimeProblem* problem) {
  *problem = TimeProblem::kNone;
  if (text.size() > 10) {
    if (auto t = ParseDateTime(text)) return FhirTime{*t, *t, false};
    *problem = LooksLikeDateTimeWithoutZone(text) ? TimeProblem::kNoZone : TimeProblem::kInvalid;
    return std::nullopt;
  }
  // YYYY, YYYY-MM, YYYY-MM-DD
  std::string_view y = text.substr(0, 4);
  if (text.size() < 4 || !Digits(y) || (text.size() != 4 && text.size() != 7 && text.size() != 10)) {
    *problem = TimeProblem::kInvalid;
    return std::nullopt;
  }
  int year = ToInt(y);
  int month_first = 1, month_last = 12, day_first = 1, day_last = 0;
  if (text.size() >= 7) {
    if (text[4] != '-' || !Digits(text.substr(5, 2))) {
      *problem = TimeProblem::kInvalid;
      return std::nullopt;
    }
    month_first = month_last = ToInt(text.substr(5, 2));
    if (month_first < 1 || month_first > 12) {
      *problem = TimeProblem::kInvalid;
      return std::nullopt;
    }
  }
  if (text.size() == 10) {
    if (text[7] != '-' || !Digits(text.substr(8, 2))) {
      *problem = TimeProblem::kInvalid;
      return std::nullopt;
    }
    day_first = day_last = ToInt(text.substr(8, 2));
  } else {
    day_last = DaysInMonth(year, month_last);
  }
  auto first = DaysFromCivil(year, month_first, day_first);
  auto last = DaysFromCivil(year, month_last, day_last);
  if (!first || !last) {
    *problem = TimeProblem::kInvalid;
    return std::nullopt;
  }
  return FhirTime{*first * kDay, *last * kDay + kDay - 1, true};
}

Instant PlaceAt(const FhirTime& t, Instant t0) {
  if (t.start > t0) return t.start;
  return std::min(t.end, t0);
}

std::string_view PatientMember(std::string_view resource_type) {
  return (resource_type == "AllergyIntolerance" || resource_type == "Device") ? "patient" : "subject";
}

}  // namespace nmscds::fhir
