// Helpers shared by the input readers (see reader_common.h).
#include "io/reader_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

#include "common/text.h"
#include "common/time_util.h"
#include "kb/knowledge_base.h"

namespace nmscds {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool IsJsonNumber(element e) {
  element_type t = e.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

double JsonNumberOf(element e) {
  switch (e.type()) {
    case element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
    default: return e.get_double().value_unsafe();
  }
}

std::string JsonNumberText(element e) {
  switch (e.type()) {
    case element_type::INT64: return std::to_string(e.get_int64().value_unsafe());
    case element_type::UINT64: return std::to_string(e.get_uint64().value_unsafe());
    default: return fmt::format("{}", e.get_double().value_unsafe());
  }
}

std::optional<Fixed> FixedOf(element e) {
  switch (e.type()) {
    case element_type::INT64: {
      std::int64_t v = e.get_int64().value_unsafe();
      if (v > 9'000'000'000'000 || v < -9'000'000'000'000) return std::nullopt;
      return Fixed::FromInt(v);
    }
    case element_type::UINT64: return std::nullopt;  // > INT64_MAX
    default: {
      double d = e.get_double().value_unsafe();
      if (std::fabs(d) < 1e-7) return Fixed();  // rounds to 0 at micro precision
      return Fixed::FromDouble(d);
    }
  }
}

namespace {
// Number of Unicode code points, the input being valid UTF-8.
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}
}  // namespace

std::string Quoted(std::string_view s) {
  if (CodePoints(s) <= 40) return fmt::format("'{}'", s);
  std::size_t cut = 37;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("'{}...'", s.substr(0, cut));
}

std::string DescribeJson(element e) {
  switch (e.type()) {
    case element_type::NULL_VALUE: return "null";
    case element_type::BOOL: return e.get_bool().value_unsafe() ? "true" : "false";
    case element_type::STRING: return "the string " + Quoted(e.get_string().value_unsafe());
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    default: return "the number " + JsonNumberText(e);
  }
}

CanonicalResult ToCanonicalChecked(element value, const ObservationKindDef& def, const UnitConversion& unit,
                                   std::string_view what) {
  CanonicalResult out;
  std::optional<Fixed> raw = FixedOf(value);
  if (!raw || std::fabs(JsonNumberOf(value)) > kMaxRawValue) {
    out.problem = fmt::format("{} {} {} is far outside the plausible range {}-{} {}; check the value and the unit", what,
                              JsonNumberText(value), unit.code, def.plausible_low.ToString(),
                              def.plausible_high.ToString(), def.canonical_unit);
    return out;
  }
  Fixed canonical = def.ToCanonical(*raw, unit);
  if (canonical < def.plausible_low || canonical > def.plausible_high) {
    std::string shown = fmt::format("{} {}", raw->ToString(), unit.code);
    if (unit.code != def.canonical_unit && canonical != *raw) {
      shown += fmt::format(" ({} {})", canonical.ToString(def.decimals), def.canonical_unit);
    }
    out.problem = fmt::format("{} {} is outside the plausible range {}-{} {}; check the value and the unit", what,
                              shown, def.plausible_low.ToString(), def.plausible_high.ToString(), def.canonical_unit);
    return out;
  }
  out.value = canonical;
  return out;
}

void AddIgnored(InputInfo& input, std::string_view kind, std::string_view reason) {
  for (IgnoredCount& ic : input.ignored) {
    if (ic.kind == kind && ic.reason == reason) {
      ++ic.count;
      return;
    }
  }
  input.ignored.push_back(IgnoredCount{std::string(kind), std::string(reason), 1});
}

namespace {
struct ObsKey {
  ObsKind kind;
  Instant time;
  std::size_t index;
};
}  // namespace

void AddConflictingValuesWarning(const KnowledgeBase& kb, Case& c) {
  const auto& obs = c.observations;
  std::vector<ObsKey> keys;
  keys.reserve(obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) keys.push_back(ObsKey{obs[i].kind, obs[i].time, i});
  std::sort(keys.begin(), keys.end(), [](const ObsKey& a, const ObsKey& b) {
    return std::tie(a.kind, a.time, a.index) < std::tie(b.kind, b.time, b.index);
  });
  InputWarning w;
  std::vector<std::string> pairs;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    bool differ = false;
    while (j < keys.size() && keys[j].kind == keys[i].kind && keys[j].time == keys[i].time) {
      const auto& a = obs[keys[i].index];
      const auto& b = obs[keys[j].index];
      differ |= a.value != b.value || a.comparator != b.comparator;
      ++j;
    }
    if (differ) {
      pairs.push_back(fmt::format("{} at {}", ObsKindName(keys[i].kind), FormatDateTime(keys[i].time)));
      for (std::size_t k = i; k < j; ++k) {
        const auto& o = obs[keys[k].index];
        w.facts.emplace_back(std::string(ObsKindName(o.kind)), o.value.ToString() + " " + kb.kind(o.kind).canonical_unit);
        w.sources.push_back(o.source);
      }
    }
    i = j;
  }
  if (pairs.empty()) return;
  w.code = "INPUT_CONFLICTING_VALUES";
  w.text = fmt::format("Different values were recorded at the same time ({}); the worse one is used.", JoinAnd(pairs));
  c.input_warnings.push_back(std::move(w));
}

void AddMedicationsNotRecognisedWarning(std::vector<std::pair<std::string, std::string>> names_and_sources, Case& c) {
  if (names_and_sources.empty()) return;
  std::stable_sort(names_and_sources.begin(), names_and_sources.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  InputWarning w;
  w.code = "INPUT_MEDICATION_NOT_RECOGNISED";
  std::string joined;
  for (auto& [name, source] : names_and_sources) {
    if (!joined.empty()) joined += ", ";
    joined += name;
    w.facts.emplace_back("medication", name);
    w.sources.push_back(std::move(source));
  }
  w.text = fmt::format("Not in the knowledge base and not used by any rule: {}.", joined);
  c.input_warnings.push_back(std::move(w));
}

void AddWeightUndatedWarning(const Weight& w, Case& c) {
  c.input_warnings.push_back(InputWarning{"INPUT_WEIGHT_UNDATED",
                                          "The weight has no measurement time and was taken as current.",
                                          {{"weight", w.kg.ToString(1) + " kg"}},
                                          {w.source}});
}

bool IndicationMeansAntiemetic(const KnowledgeBase& kb, std::string_view indication) {
  if (indication.empty()) return false;
  return std::any_of(kb.params.antiemetic_indication_words.begin(), kb.params.antiemetic_indication_words.end(),
                     [&](const std::string& word) { return ContainsWord(indication, word); });
}

}  // namespace nmscds
