// Native case format v1 reader (interfaces.md §2): pass 1 (schema), pass 2 (semantics), conversion.
#include "io/case_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <tuple>
#include <utility>

#include "common/json_dom.h"
#include "common/sha256.h"
#include "common/text.h"
#include "io/case_reader_internal.h"
#include "io/reader_common.h"
#include "kb/knowledge_base.h"

namespace nmscds {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using Names = std::span<const std::string_view>;

// ==== Value tables (case.schema.json) ===================================================================

constexpr std::string_view kRootMembers[] = {
    "format",      "format_version", "patient",    "assessed_at", "episode_onset", "clinician_suspected_nms",
    "observations", "findings",      "medications", "conditions", "procedures",    "context",
    "extensions"};
constexpr std::string_view kPatientMembers[] = {"id", "age_years", "birth_date", "sex", "weight", "height"};
constexpr std::string_view kQuantityMembers[] = {"value", "unit", "measured_at"};
constexpr std::string_view kObservationMembers[] = {"id",   "kind",  "value",           "comparator", "unit",
                                                    "time", "route", "reference_range", "baseline"};
constexpr std::string_view kRangeMembers[] = {"low", "high"};
constexpr std::string_view kFindingsMembers[] = {"assessed_at", "rigidity", "mental_status", "bowel_sounds",
#define NMSCDS_NAME(e, name) name,
                                                 NMSCDS_FINDINGS(NMSCDS_NAME)
#undef NMSCDS_NAME
};
constexpr std::string_view kMedicationMembers[] = {
    "id",          "name",     "rxnorm",      "route",          "status",     "start",
    "stop",        "last_administered",       "long_acting",    "long_acting_interval_days",
    "used_as_antiemetic",      "dose",        "indication",     "administrations"};
constexpr std::string_view kAdministrationMembers[] = {"at", "dose_mg", "dose_mg_per_kg"};
constexpr std::string_view kConditionMembers[] = {"system", "code", "text", "status", "onset"};
constexpr std::string_view kProcedureMembers[] = {"kind", "time"};
constexpr std::string_view kContextMembers[] = {
    "iv_access", "malignancy",    "burden_of_illness",      "penicillin_allergy", "location",
    "expected_neutropenia_days",  "antibiotics_started_at", "fever_onset_at",     "last_chemotherapy_at",
    "anesthesia",
#define NMSCDS_NAME(e, name) name,
    NMSCDS_CONTEXT_FLAGS(NMSCDS_NAME)
#undef NMSCDS_NAME
};
constexpr std::string_view kAnesthesiaMembers[] = {"volatile_agent", "succinylcholine", "at"};

// Observation kinds of the case format: ObsKind order, without weight and height (patient members).
constexpr std::size_t kCaseObsKindCount = static_cast<std::size_t>(ObsKind::kWeight);
constexpr std::array<std::string_view, kCaseObsKindCount> kObsKindNames = [] {
  std::array<std::string_view, kCaseObsKindCount> names{};
  for (std::size_t i = 0; i < kCaseObsKindCount; ++i) names[i] = ObsKindName(static_cast<ObsKind>(i));
  return names;
}();

constexpr std::string_view kUnitsTemperature[] = {"Cel", "[degF]"};
constexpr std::string_view kUnitsHeartRate[] = {"/min", "{beats}/min"};
constexpr std::string_view kUnitsBp[] = {"mm[Hg]"};
constexpr std::string_view kUnitsRespiratoryRate[] = {"/min", "{breaths}/min"};
constexpr std::string_view kUnitsEnzyme[] = {"U/L", "[IU]/L", "ukat/L"};
constexpr std::string_view kUnitsBilirubin[] = {"mg/dL", "umol/L"};
constexpr std::string_view kUnitsCount[] = {"10*9/L", "10*3/uL", "/uL", "{cells}/uL", "/mm3", "{cells}/mm3"};
constexpr std::string_view kUnitsCreatinine[] = {"mg/dL", "umol/L"};
constexpr std::string_view kUnitsPotassium[] = {"mmol/L", "meq/L"};
constexpr std::string_view kUnitsMyoglobin[] = {"ng/mL", "ug/L"};
constexpr std::string_view kUnitsInr[] = {"{INR}", "{ratio}", "1"};
constexpr std::string_view kUnitsGlucose[] = {"mg/dL", "mmol/L"};
constexpr std::string_view kUnitsGcs[] = {"{score}", "1"};
constexpr std::string_view kUnitsWeight[] = {"kg", "g", "[lb_av]"};
constexpr std::string_view kUnitsHeight[] = {"cm", "m", "[in_i]"};

Names UnitsOf(ObsKind k) {
  switch (k) {
    case ObsKind::kTemperature: return kUnitsTemperature;
    case ObsKind::kHeartRate: return kUnitsHeartRate;
    case ObsKind::kSystolicBp:
    case ObsKind::kDiastolicBp: return kUnitsBp;
    case ObsKind::kRespiratoryRate: return kUnitsRespiratoryRate;
    case ObsKind::kAlt:
    case ObsKind::kAst:
    case ObsKind::kAlkalinePhosphatase:
    case ObsKind::kCk: return kUnitsEnzyme;
    case ObsKind::kBilirubinTotal: return kUnitsBilirubin;
    case ObsKind::kWbc:
    case ObsKind::kAnc:
    case ObsKind::kMonocytes:
    case ObsKind::kPlatelets: return kUnitsCount;
    case ObsKind::kCreatinine: return kUnitsCreatinine;
    case ObsKind::kPotassium: return kUnitsPotassium;
    case ObsKind::kMyoglobin: return kUnitsMyoglobin;
    case ObsKind::kInr: return kUnitsInr;
    case ObsKind::kGlucose: return kUnitsGlucose;
    case ObsKind::kGcs: return kUnitsGcs;
    case ObsKind::kWeight: return kUnitsWeight;
    case ObsKind::kHeight: return kUnitsHeight;
  }
  return {};
}

// Enum literals. Where a model enum has a "not given"/unknown value first, the literal at index i maps to
// enumerator i + 1 (kOffsetOne); otherwise to enumerator i.
constexpr std::string_view kComparators[] = {"<", "<=", ">=", ">"};  // Comparator + 1
constexpr std::string_view kTempRoutes[] = {"oral", "rectal",  "axillary",   "tympanic", "temporal",
                                            "core", "bladder", "esophageal", "unknown"};  // TempRoute + 1
constexpr std::string_view kSexValues[] = {"female", "male", "other", "unknown"};
constexpr std::string_view kRigidityValues[] = {"none", "mild", "moderate", "severe", "present_ungraded"};  // + 1
constexpr std::string_view kMentalStatusValues[] = {"normal",    "confused", "delirious",
                                                    "catatonic", "stupor",   "coma"};  // + 1
constexpr std::string_view kBowelSoundsValues[] = {"normal", "hyperactive", "decreased", "absent"};  // + 1
constexpr std::string_view kMedRoutes[] = {"oral",    "enteral_tube", "iv",         "im",         "sc",
                                           "transdermal", "rectal",   "inhaled",    "sublingual", "intranasal",
                                           "intrathecal", "topical",  "other",      "unknown"};  // MedRoute + 1
constexpr std::string_view kMedStatuses[] = {"active",  "on_hold",   "stopped",          "completed",
                                             "planned", "not_taken", "entered_in_error", "unknown"};  // MedStatus
constexpr std::string_view kConditionSystems[] = {"http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm"};
constexpr std::string_view kConditionStatuses[] = {"active", "past", "refuted"};  // ConditionStatus
constexpr std::string_view kProcedureKinds[] = {"ect"};
constexpr std::string_view kIvAccessValues[] = {"central", "large_bore_peripheral", "peripheral", "poor",
                                                "none"};                                    // IvAccess + 1
constexpr std::string_view kMalignancyValues[] = {"solid", "hematologic", "none"};          // Malignancy + 1
constexpr std::string_view kBurdenValues[] = {"none_mild", "moderate", "severe"};           // Burden + 1
constexpr std::string_view kPenicillinValues[] = {"none", "non_severe", "severe"};          // + 1
constexpr std::string_view kLocationValues[] = {"icu", "other"};                            // Location + 1

constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

std::size_t IndexOf(Names names, std::string_view s) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return i;
  }
  return kNotFound;
}

bool Contains(Names names, std::string_view s) { return IndexOf(names, s) != kNotFound; }

// "a, b or c".
std::string JoinOr(Names names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// ==== JSON pointers, built only when a problem or a source needs one =====================================

class Loc {
 public:
  Loc() = default;
  static Loc Member(const Loc& parent, std::string_view key) {
    Loc l;
    l.parent_ = &parent;
    l.key_ = key;
    return l;
  }
  static Loc Item(const Loc& parent, std::size_t index) {
    Loc l;
    l.parent_ = &parent;
    l.index_ = index;
    l.is_index_ = true;
    return l;
  }
  std::string str() const {
    std::string out;
    AppendTo(out);
    return out;
  }
  // The member name of this location ("" for an array element or the root).
  std::string_view key() const { return key_; }

 private:
  void AppendTo(std::string& out) const {
    if (parent_ == nullptr) return;
    parent_->AppendTo(out);
    if (is_index_) {
      out.push_back('/');
      out += std::to_string(index_);
    } else {
      AppendPointerToken(out, key_);
    }
  }
  const Loc* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

// ==== JSON value helpers =================================================================================

// JSON Schema "integer" as python-jsonschema reads it: an integer, or a float with no fractional part.
bool IsInteger(element e) {
  switch (e.type()) {
    case element_type::INT64:
    case element_type::UINT64: return true;
    case element_type::DOUBLE: {
      double d = e.get_double().value_unsafe();
      return std::isfinite(d) && std::floor(d) == d;
    }
    default: return false;
  }
}

std::string_view StringOf(element e) { return e.get_string().value_unsafe(); }

// By value: a range-for over `e.get_object().value_unsafe()` would iterate a reference into a destroyed
// temporary.
simdjson::dom::object ObjectOf(element e) { return e.get_object().value_unsafe(); }
simdjson::dom::array ArrayOf(element e) { return e.get_array().value_unsafe(); }

bool IsString(element e) { return e.type() == element_type::STRING; }

// Number of Unicode code points (JSON Schema string lengths), the input being valid UTF-8.
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

// ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$
bool MatchesDateTimePattern(std::string_view s) {
  if (s.size() < 20 || !Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' || !Digits(s, 8, 2) ||
      s[10] != 'T' || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) || s[16] != ':' ||
      !Digits(s, 17, 2)) {
    return false;
  }
  std::size_t pos = 19;
  if (s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos == start || pos - start > 9) return false;
  }
  if (pos < s.size() && s[pos] == 'Z') return pos + 1 == s.size();
  return pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && Digits(s, pos + 1, 2) && s[pos + 3] == ':' &&
         Digits(s, pos + 4, 2);
}

// ^[0-9]{4}-[0-9]{2}-[0-9]{2}$
bool MatchesDatePattern(std::string_view s) {
  return s.size() == 10 && Digits(s, 0, 4) && s[4] == '-' && Digits(s, 5, 2) && s[7] == '-' && Digits(s, 8, 2);
}

// ^[A-Za-z0-9\-.]{1,64}$
bool MatchesIdPattern(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// ^[0-9]{1,10}$
bool MatchesRxnormPattern(std::string_view s) { return !s.empty() && s.size() <= 10 && Digits(s, 0, s.size()); }

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      char ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? static_cast<char>(a[i - 1] - 'A' + 'a') : a[i - 1];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (ca == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The known member closest to a misspelt one, or "".
std::string_view Suggest(std::string_view key, Names known) {
  std::string_view best;
  std::size_t best_distance = key.size() >= 8 ? 3 : 2;
  for (std::string_view k : known) {
    std::size_t d = EditDistance(key, k);
    if (d < best_distance || (d <= best_distance && best.empty())) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

// ==== Pass 1: the schema ================================================================================

enum class JsonKind : std::uint8_t { kBoolean, kString, kNumber, kInteger, kObject, kArray };

struct Bounds {
  std::optional<double> minimum = std::nullopt;
  std::optional<double> exclusive_minimum = std::nullopt;
  std::optional<double> maximum = std::nullopt;
};

class SchemaCheck {
 public:
  explicit SchemaCheck(std::vector<Issue>& issues) : issues_(issues) {}

  void Root(element root) {
    Loc loc;
    if (root.type() != element_type::OBJECT) {
      Add("wrong_type", loc, fmt::format("a case must be a JSON object, not {}", DescribeJson(root)));
      return;
    }
    ForEachMember(root, loc, "the case", kRootMembers, [&](std::string_view key, element v, const Loc& at) {
      if (key == "format") {
        if (!IsString(v)) {
          Add("wrong_type", at, fmt::format("format must be the string \"nmscds-case\", not {}", DescribeJson(v)));
        } else if (StringOf(v) != "nmscds-case") {
          Add("enum_value", at, fmt::format("format must be \"nmscds-case\", not {}", Quoted(StringOf(v))));
        }
      } else if (key == "format_version") {
        if (!IsJsonNumber(v)) {
          Add("wrong_type", at, fmt::format("format_version must be the number 1, not {}", DescribeJson(v)));
        } else if (JsonNumberOf(v) != 1.0) {
          Add("unsupported_version", at,
              fmt::format("format_version {} is not supported; this version of nmscds reads format_version 1",
                          JsonNumberText(v)));
        }
      } else if (key == "patient") {
        Patient(v, at);
      } else if (key == "assessed_at" || key == "episode_onset") {
        DateTime(v, at);
      } else if (key == "clinician_suspected_nms") {
        Expect(v, at, JsonKind::kBoolean);
      } else if (key == "observations") {
        Array(v, at, 100000, [&](element item, const Loc& il) { Observation(item, il); });
      } else if (key == "findings") {
        Findings(v, at);
      } else if (key == "medications") {
        Array(v, at, 10000, [&](element item, const Loc& il) { Medication(item, il); });
      } else if (key == "conditions") {
        Array(v, at, 10000, [&](element item, const Loc& il) { Condition(item, il); });
      } else if (key == "procedures") {
        Array(v, at, 10000, [&](element item, const Loc& il) { Procedure(item, il); });
      } else if (key == "context") {
        Context(v, at);
      } else if (key == "extensions") {
        Expect(v, at, JsonKind::kObject);  // anything inside
      }
    });
    Require(root, loc, "the case", {"format", "format_version", "patient", "assessed_at"});
  }

 private:
  void Add(std::string_view code, const Loc& loc, std::string message) {
    issues_.push_back(Issue{std::string(code), loc.str(), "json_pointer", std::move(message)});
  }

  static std::string_view What(const Loc& loc) { return loc.key().empty() ? "this element" : loc.key(); }

  bool Expect(element v, const Loc& loc, JsonKind kind) {
    bool ok = false;
    std::string_view expected;
    switch (kind) {
      case JsonKind::kBoolean:
        ok = v.type() == element_type::BOOL;
        expected = "a boolean (true or false)";
        break;
      case JsonKind::kString:
        ok = IsString(v);
        expected = "a string";
        break;
      case JsonKind::kNumber:
        ok = IsJsonNumber(v);
        expected = "a number";
        break;
      case JsonKind::kInteger:
        ok = IsInteger(v);
        expected = "a whole number";
        break;
      case JsonKind::kObject:
        ok = v.type() == element_type::OBJECT;
        expected = "an object";
        break;
      case JsonKind::kArray:
        ok = v.type() == element_type::ARRAY;
        expected = "an array";
        break;
    }
    if (!ok) Add("wrong_type", loc, fmt::format("{} must be {}, not {}", What(loc), expected, DescribeJson(v)));
    return ok;
  }

  template <typename OnMember>
  void ForEachMember(element v, const Loc& loc, std::string_view object_name, Names known, OnMember&& on_member) {
    for (auto field : ObjectOf(v)) {
      Loc at = Loc::Member(loc, field.key);
      if (!Contains(known, field.key)) {
        std::string_view suggestion = Suggest(field.key, known);
        std::string hint = suggestion.empty()
                               ? std::string("remove it (caller data belongs under /extensions)")
                               : fmt::format("did you mean '{}'?", suggestion);
        Add("unknown_member", at, fmt::format("unknown member {} in {}; {}", Quoted(field.key), object_name, hint));
        continue;
      }
      on_member(field.key, field.value, at);
    }
  }

  void Require(element v, const Loc& loc, std::string_view object_name, std::initializer_list<std::string_view> names) {
    auto obj = ObjectOf(v);
    for (std::string_view name : names) {
      element ignored;
      if (obj.at_key(name).get(ignored) != simdjson::SUCCESS) {
        Add("missing_required", Loc::Member(loc, name),
            fmt::format("required member '{}' is missing from {}", name, object_name));
      }
    }
  }

  static bool Has(element obj, std::string_view key) {
    element ignored;
    return ObjectOf(obj).at_key(key).get(ignored) == simdjson::SUCCESS;
  }

  template <typename OnItem>
  void Array(element v, const Loc& loc, std::size_t max_items, OnItem&& on_item) {
    if (!Expect(v, loc, JsonKind::kArray)) return;
    auto arr = ArrayOf(v);
    std::size_t n = arr.size();
    if (n > max_items) {
      Add("too_large", loc, fmt::format("{} has {} elements; at most {} are accepted", What(loc), n, max_items));
    }
    std::size_t i = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, i++);
      on_item(item, il);
    }
  }

  void DateTime(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kString)) return;
    std::string_view s = StringOf(v);
    if (MatchesDateTimePattern(s)) return;
    if (LooksLikeDateTimeWithoutZone(s)) {
      Add("time_format", loc,
          fmt::format("{} has no UTC offset; add 'Z' or '+hh:mm' (e.g. {}Z)", Quoted(s), s));
    } else {
      Add("time_format", loc,
          fmt::format("{} is not an RFC 3339 date-time with offset (write YYYY-MM-DDThh:mm:ssZ)", Quoted(s)));
    }
  }

  void Date(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kString)) return;
    std::string_view s = StringOf(v);
    if (!MatchesDatePattern(s)) {
      Add("time_format", loc, fmt::format("{} is not a date (write YYYY-MM-DD)", Quoted(s)));
    }
  }

  void Id(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kString)) return;
    if (!MatchesIdPattern(StringOf(v))) {
      Add("unsupported_value", loc,
          fmt::format("{} is not a valid id (use 1-64 letters, digits, '-' or '.')", Quoted(StringOf(v))));
    }
  }

  void Enum(element v, const Loc& loc, Names values) {
    if (!IsString(v)) {
      Add("wrong_type", loc, fmt::format("{} must be one of the strings {}, not {}", What(loc), JoinOr(values), DescribeJson(v)));
    } else if (!Contains(values, StringOf(v))) {
      Add("enum_value", loc,
          fmt::format("{} is not a valid value for {} (use {})", Quoted(StringOf(v)), What(loc), JoinOr(values)));
    }
  }

  void String(element v, const Loc& loc, std::size_t min_length, std::size_t max_length) {
    if (!Expect(v, loc, JsonKind::kString)) return;
    std::size_t n = CodePoints(StringOf(v));
    if (n < min_length) {
      Add("out_of_range", loc, fmt::format("{} must not be empty", What(loc)));
    } else if (n > max_length) {
      Add("out_of_range", loc,
          fmt::format("{} is {} characters long; at most {} are accepted", What(loc), n, max_length));
    }
  }

  void Number(element v, const Loc& loc, Bounds b, bool integer = false) {
    if (!Expect(v, loc, integer ? JsonKind::kInteger : JsonKind::kNumber)) return;
    double d = JsonNumberOf(v);
    std::string_view what = What(loc);
    if (b.minimum && d < *b.minimum) {
      Add("out_of_range", loc, fmt::format("{} must be at least {}, not {}", what, *b.minimum, JsonNumberText(v)));
    } else if (b.exclusive_minimum && d <= *b.exclusive_minimum) {
      Add("out_of_range", loc,
          fmt::format("{} must be greater than {}, not {}", what, *b.exclusive_minimum, JsonNumberText(v)));
    } else if (b.maximum && d > *b.maximum) {
      Add("out_of_range", loc, fmt::format("{} must be at most {}, not {}", what, *b.maximum, JsonNumberText(v)));
    }
  }

  void Quantity(element v, const Loc& loc, std::string_view name, Names units) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, name, kQuantityMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "value") {
        Number(m, at, Bounds{.exclusive_minimum = 0.0});
      } else if (key == "unit") {
        if (!IsString(m)) {
          Add("wrong_type", at, fmt::format("unit must be one of the strings {}, not {}", JoinOr(units), DescribeJson(m)));
        } else if (!Contains(units, StringOf(m))) {
          Add("unit_not_accepted", at,
              fmt::format("{} is not accepted for {} (use {})", Quoted(StringOf(m)), name, JoinOr(units)));
        }
      } else {
        DateTime(m, at);
      }
    });
    Require(v, loc, name, {"value", "unit"});
  }

  void Patient(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "patient", kPatientMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "id") {
        Id(m, at);
      } else if (key == "age_years") {
        Number(m, at, Bounds{.minimum = 0.0, .maximum = 130.0}, /*integer=*/true);
      } else if (key == "birth_date") {
        Date(m, at);
      } else if (key == "sex") {
        Enum(m, at, kSexValues);
      } else if (key == "weight") {
        Quantity(m, at, "weight", kUnitsWeight);
      } else {
        Quantity(m, at, "height", kUnitsHeight);
      }
    });
    Require(v, loc, "patient", {"id"});
  }

  void Observation(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    // The conditional rules of the schema depend on `kind` (if/then with `required: [kind]`).
    element kind_element;
    bool has_kind = ObjectOf(v).at_key("kind").get(kind_element) == simdjson::SUCCESS;
    std::size_t kind = kNotFound;  // index into kObsKindNames when `kind` is a known string
    if (has_kind && IsString(kind_element)) kind = IndexOf(kObsKindNames, StringOf(kind_element));
    bool is_gcs = kind == static_cast<std::size_t>(ObsKind::kGcs);
    bool is_temperature = kind == static_cast<std::size_t>(ObsKind::kTemperature);

    ForEachMember(v, loc, "an observation", kObservationMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "id") {
        Id(m, at);
      } else if (key == "kind") {
        Enum(m, at, kObsKindNames);
      } else if (key == "value") {
        if (is_gcs) {
          if (!IsJsonNumber(m)) {
            Expect(m, at, JsonKind::kNumber);
          } else if (!IsInteger(m)) {
            Add("wrong_type", at, fmt::format("a GCS value must be a whole number from 3 to 15, not {}", JsonNumberText(m)));
          } else {
            Number(m, at, Bounds{.minimum = 3.0, .maximum = 15.0}, /*integer=*/true);
          }
        } else {
          Expect(m, at, JsonKind::kNumber);
        }
      } else if (key == "comparator") {
        Enum(m, at, kComparators);
      } else if (key == "unit") {
        if (!Expect(m, at, JsonKind::kString) || kind == kNotFound) return;
        Names units = UnitsOf(static_cast<ObsKind>(kind));
        if (!Contains(units, StringOf(m))) {
          Add("unit_not_accepted", at,
              fmt::format("{} is not accepted for {} (use {})", Quoted(StringOf(m)), kObsKindNames[kind],
                          JoinOr(units)));
        }
      } else if (key == "time") {
        DateTime(m, at);
      } else if (key == "route") {
        if (has_kind && !is_temperature) {
          Add("unknown_member", at, "route is only allowed on temperature observations; remove it");
        } else {
          Enum(m, at, kTempRoutes);
        }
      } else if (key == "reference_range") {
        if (!Expect(m, at, JsonKind::kObject)) return;
        ForEachMember(m, at, "reference_range", kRangeMembers,
                      [&](std::string_view, element limit, const Loc& lat) { Expect(limit, lat, JsonKind::kNumber); });
        if (ObjectOf(m).size() == 0) {
          Add("missing_required", at, "reference_range must give low, high or both (or be left out)");
        }
      } else {
        Expect(m, at, JsonKind::kBoolean);
      }
    });
    Require(v, loc, "the observation", {"kind", "value", "unit", "time"});
  }

  void Findings(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "findings", kFindingsMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "assessed_at") {
        DateTime(m, at);
      } else if (key == "rigidity") {
        Enum(m, at, kRigidityValues);
      } else if (key == "mental_status") {
        Enum(m, at, kMentalStatusValues);
      } else if (key == "bowel_sounds") {
        Enum(m, at, kBowelSoundsValues);
      } else {
        Expect(m, at, JsonKind::kBoolean);
      }
    });
  }

  void Medication(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "a medication", kMedicationMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "id") {
        Id(m, at);
      } else if (key == "name") {
        String(m, at, 1, 200);
      } else if (key == "rxnorm") {
        if (Expect(m, at, JsonKind::kString) && !MatchesRxnormPattern(StringOf(m))) {
          Add("unsupported_value", at,
              fmt::format("{} is not an RxNorm code (1-10 digits)", Quoted(StringOf(m))));
        }
      } else if (key == "route") {
        Enum(m, at, kMedRoutes);
      } else if (key == "status") {
        Enum(m, at, kMedStatuses);
      } else if (key == "start" || key == "stop" || key == "last_administered") {
        DateTime(m, at);
      } else if (key == "long_acting" || key == "used_as_antiemetic") {
        Expect(m, at, JsonKind::kBoolean);
      } else if (key == "long_acting_interval_days") {
        Number(m, at, Bounds{.exclusive_minimum = 0.0, .maximum = 366.0});
      } else if (key == "dose" || key == "indication") {
        String(m, at, 0, 200);
      } else {
        Array(m, at, 10000, [&](element item, const Loc& il) { Administration(item, il); });
      }
    });
    Require(v, loc, "the medication", {"name"});
  }

  void Administration(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "an administration", kAdministrationMembers,
                  [&](std::string_view key, element m, const Loc& at) {
                    if (key == "at") {
                      DateTime(m, at);
                    } else {
                      Number(m, at, Bounds{.minimum = 0.0});
                    }
                  });
    Require(v, loc, "the administration", {"at"});
    if (Has(v, "dose_mg") && Has(v, "dose_mg_per_kg")) {
      Add("unsupported_element", loc, "give the dose either as dose_mg or as dose_mg_per_kg, not both");
    }
  }

  void Condition(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "a condition", kConditionMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "system") {
        Enum(m, at, kConditionSystems);
      } else if (key == "code") {
        String(m, at, 1, 32);
      } else if (key == "text") {
        String(m, at, 1, 200);
      } else if (key == "status") {
        Enum(m, at, kConditionStatuses);
      } else {
        DateTime(m, at);
      }
    });
    Require(v, loc, "the condition", {"status"});
    // dependentRequired code <-> system, anyOf [code, text]. (minProperties 2 follows from these.)
    bool has_code = Has(v, "code"), has_system = Has(v, "system"), has_text = Has(v, "text");
    if (has_code && !has_system) {
      Add("missing_required", Loc::Member(loc, "system"),
          "a condition with a code needs its system (http://snomed.info/sct or http://hl7.org/fhir/sid/icd-10-cm)");
    } else if (has_system && !has_code) {
      Add("missing_required", Loc::Member(loc, "code"), "a condition with a system needs its code");
    } else if (!has_code && !has_text) {
      Add("missing_required", loc, "a condition needs a code (with its system) or a text");
    }
  }

  void Procedure(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "a procedure", kProcedureMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "kind") {
        Enum(m, at, kProcedureKinds);
      } else {
        DateTime(m, at);
      }
    });
    Require(v, loc, "the procedure", {"kind", "time"});
  }

  void Context(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    ForEachMember(v, loc, "context", kContextMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "iv_access") {
        Enum(m, at, kIvAccessValues);
      } else if (key == "malignancy") {
        Enum(m, at, kMalignancyValues);
      } else if (key == "burden_of_illness") {
        Enum(m, at, kBurdenValues);
      } else if (key == "penicillin_allergy") {
        Enum(m, at, kPenicillinValues);
      } else if (key == "location") {
        Enum(m, at, kLocationValues);
      } else if (key == "expected_neutropenia_days") {
        Number(m, at, Bounds{.minimum = 0.0, .maximum = 365.0});
      } else if (key == "antibiotics_started_at" || key == "fever_onset_at" || key == "last_chemotherapy_at") {
        DateTime(m, at);
      } else if (key == "anesthesia") {
        Anesthesia(m, at);
      } else {
        Expect(m, at, JsonKind::kBoolean);
      }
    });
  }

  void Anesthesia(element v, const Loc& loc) {
    if (!Expect(v, loc, JsonKind::kObject)) return;
    bool flag_true = false;
    ForEachMember(v, loc, "anesthesia", kAnesthesiaMembers, [&](std::string_view key, element m, const Loc& at) {
      if (key == "at") {
        DateTime(m, at);
      } else if (Expect(m, at, JsonKind::kBoolean) && m.get_bool().value_unsafe()) {
        flag_true = true;
      }
    });
    if (flag_true && !Has(v, "at")) {
      Add("missing_required", Loc::Member(loc, "at"),
          "anesthesia.at (the time of the anaesthetic) is required when volatile_agent or succinylcholine is true");
    }
  }

  std::vector<Issue>& issues_;
};

// ==== Pass 2 and conversion ===============================================================================

template <typename E>
E EnumAt(Names names, std::string_view s, std::size_t offset) {
  return static_cast<E>(IndexOf(names, s) + offset);
}

Comparator ComparatorOf(std::string_view s) { return EnumAt<Comparator>(kComparators, s, 1); }

class CaseBuilder {
 public:
  CaseBuilder(const KnowledgeBase& kb, std::vector<Issue>& issues) : kb_(kb), issues_(issues) {}

  void Build(element root, const ReadOptions& options, Case& c) {
    auto obj = ObjectOf(root);
    Loc rl;
    // T0 first: several checks are relative to it.
    element assessed;
    std::optional<Instant> assessed_at;
    if (obj.at_key("assessed_at").get(assessed) == simdjson::SUCCESS) {
      assessed_at = Time(assessed, Loc::Member(rl, "assessed_at"));
    }
    if (options.at_override) {
      t0_ = *options.at_override;
      c.input.assessed_at_source = AssessedAtSource::kOverride;
    } else {
      t0_ = assessed_at;
      c.input.assessed_at_source = AssessedAtSource::kInput;
    }
    if (t0_) c.assessed_at = *t0_;

    for (auto field : obj) {
      std::string_view key = field.key;
      element v = field.value;
      Loc at = Loc::Member(rl, key);
      if (key == "patient") {
        Patient(v, at, c);
      } else if (key == "episode_onset") {
        c.episode_onset = Time(v, at);
        NotAfterT0(c.episode_onset, at, "episode_onset");
      } else if (key == "clinician_suspected_nms") {
        c.clinician_suspected_nms = v.get_bool().value_unsafe();
        c.clinician_suspected_source = at.str();
      } else if (key == "observations") {
        Observations(v, at, c);
      } else if (key == "findings") {
        Findings(v, at, c.findings);
      } else if (key == "medications") {
        c.medications_supplied = true;
        Medications(v, at, c);
      } else if (key == "conditions") {
        c.conditions_supplied = true;
        Conditions(v, at, c);
      } else if (key == "procedures") {
        c.procedures_supplied = true;
        Procedures(v, at, c);
      } else if (key == "context") {
        Context(v, at, c.context);
      }
    }
    c.input.format = InputFormat::kNativeCase;
    c.input.read = read_;
    std::sort(c.input.ignored.begin(), c.input.ignored.end(), [](const IgnoredCount& a, const IgnoredCount& b) {
      return std::tie(a.kind, a.reason) < std::tie(b.kind, b.reason);
    });
  }

 private:
  void Add(std::string_view code, const Loc& loc, std::string message) {
    issues_.push_back(Issue{std::string(code), loc.str(), "json_pointer", std::move(message)});
  }

  // A schema-valid date-time; a calendar-invalid one (2026-02-30, 25:00, +24:00) is a time_format issue.
  std::optional<Instant> Time(element v, const Loc& loc) {
    if (!IsString(v)) return std::nullopt;
    std::string_view s = StringOf(v);
    std::optional<Instant> t = ParseDateTime(s);
    if (!t) Add("time_format", loc, fmt::format("{} is not a valid calendar date and time", Quoted(s)));
    return t;
  }

  void NotAfterT0(std::optional<Instant> t, const Loc& loc, std::string_view what) {
    if (t && t0_ && *t > *t0_) {
      Add("time_order", loc,
          fmt::format("{} ({}) is after the assessment time {}; it must be at or before it", what,
                      FormatDateTime(*t), FormatDateTime(*t0_)));
    }
  }

  // Converts a raw value in `unit` to canonical; reports out_of_range at `loc` when it cannot be held or
  // falls outside the kind's plausible range.
  std::optional<Fixed> Canonical(element value, const ObservationKindDef& def, const UnitConversion& unit,
                                 const Loc& loc, std::string_view what) {
    CanonicalResult r = ToCanonicalChecked(value, def, unit, what);
    if (!r.value) Add("out_of_range", loc, std::move(r.problem));
    return r.value;
  }

  // ---- patient ----

  void Patient(element v, const Loc& loc, Case& c) {
    element age, birth;
    bool has_age = false, has_birth = false;
    for (auto field : ObjectOf(v)) {
      std::string_view key = field.key;
      element m = field.value;
      Loc at = Loc::Member(loc, key);
      if (key == "id") {
        c.patient_id = std::string(StringOf(m));
      } else if (key == "age_years") {
        age = m;
        has_age = true;
      } else if (key == "birth_date") {
        birth = m;
        has_birth = true;
      } else if (key == "sex") {
        constexpr Sex kSexes[] = {Sex::kFemale, Sex::kMale, Sex::kOther, Sex::kUnknown};  // kSexValues order
        c.sex = kSexes[IndexOf(kSexValues, StringOf(m))];
        c.sex_source = at.str();
      } else if (key == "weight") {
        Weight(m, at, c);
      } else if (key == "height") {
        Height(m, at, c);
      }
    }
    std::optional<int> age_years;
    if (has_age) {
      age_years = static_cast<int>(JsonNumberOf(age));
      c.age_years = age_years;
      c.age_source = Loc::Member(loc, "age_years").str();
    }
    if (has_birth) {
      Loc at = Loc::Member(loc, "birth_date");
      std::string_view s = StringOf(birth);
      std::optional<Instant> born = ParseDate(s);
      if (!born) {
        Add("time_format", at, fmt::format("{} is not a valid calendar date", Quoted(s)));
      } else if (t0_) {
        if (*born > *t0_) {
          Add("time_order", at,
              fmt::format("birth_date {} is after the assessment time {}", s, FormatDateTime(*t0_)));
        } else {
          int computed = AgeInYears(*born, *t0_);
          if (age_years && *age_years != computed) {
            Add("inconsistent_age", Loc::Member(loc, "age_years"),
                fmt::format("age_years {} disagrees with birth_date {}, which gives {} at {}; correct one of them",
                            *age_years, s, computed, FormatDateTime(*t0_)));
          } else if (!age_years) {
            if (computed > 130) {
              Add("out_of_range", at,
                  fmt::format("birth_date {} gives an age of {} years; at most 130 is plausible", s, computed));
            } else {
              c.age_years = computed;
              c.age_source = at.str();
            }
          }
        }
      }
    }
  }

  void Weight(element v, const Loc& loc, Case& c) {
    element value, unit, measured;
    bool has_measured = false;
    for (auto field : ObjectOf(v)) {
      if (field.key == "value") value = field.value;
      if (field.key == "unit") unit = field.value;
      if (field.key == "measured_at") {
        measured = field.value;
        has_measured = true;
      }
    }
    nmscds::Weight w;
    w.source = loc.str();
    if (has_measured) w.measured_at = Time(measured, Loc::Member(loc, "measured_at"));
    std::optional<Fixed> kg = Convert(ObsKind::kWeight, value, unit, loc, "weight");
    if (!kg) return;
    w.kg = *kg;
    if (!has_measured) AddWeightUndatedWarning(w, c);
    c.weight = std::move(w);
  }

  void Height(element v, const Loc& loc, Case& c) {
    element value, unit, measured;
    bool has_measured = false;
    for (auto field : ObjectOf(v)) {
      if (field.key == "value") value = field.value;
      if (field.key == "unit") unit = field.value;
      if (field.key == "measured_at") {
        measured = field.value;
        has_measured = true;
      }
    }
    if (has_measured) (void)Time(measured, Loc::Member(loc, "measured_at"));
    c.height_cm = Convert(ObsKind::kHeight, value, unit, loc, "height");
  }

  // Patient weight/height: value + unit with the kind's conversion and plausible range.
  std::optional<Fixed> Convert(ObsKind kind, element value, element unit, const Loc& loc, std::string_view what) {
    const ObservationKindDef& def = kb_.kind(kind);
    std::string_view code = StringOf(unit);
    const UnitConversion* conv = def.FindUnit(code);
    if (conv == nullptr) {
      Add("unit_not_accepted", Loc::Member(loc, "unit"),
          fmt::format("{} is not accepted for {} by the knowledge base", Quoted(code), what));
      return std::nullopt;
    }
    return Canonical(value, def, *conv, Loc::Member(loc, "value"), what);
  }

  // ---- observations ----

  void Observations(element v, const Loc& loc, Case& c) {
    auto arr = ArrayOf(v);
    c.observations.reserve(arr.size());
    std::size_t i = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, i++);
      ++read_;
      Observation(item, il, c);
    }
    AddConflictingValuesWarning(kb_, c);
  }

  void Observation(element v, const Loc& loc, Case& c) {
    element kind_el, value, unit, time, range;
    bool has_range = false;
    nmscds::Observation o;
    for (auto field : ObjectOf(v)) {
      std::string_view key = field.key;
      element m = field.value;
      if (key == "kind") {
        kind_el = m;
      } else if (key == "value") {
        value = m;
      } else if (key == "unit") {
        unit = m;
      } else if (key == "time") {
        time = m;
      } else if (key == "comparator") {
        o.comparator = ComparatorOf(StringOf(m));
      } else if (key == "route") {
        o.route = EnumAt<TempRoute>(kTempRoutes, StringOf(m), 1);
      } else if (key == "reference_range") {
        range = m;
        has_range = true;
      } else if (key == "baseline") {
        o.baseline = m.get_bool().value_unsafe();
      }
    }
    o.kind = static_cast<ObsKind>(IndexOf(kObsKindNames, StringOf(kind_el)));
    o.source = loc.str();
    bool ok = true;
    const ObservationKindDef& def = kb_.kind(o.kind);
    const UnitConversion* conv = def.FindUnit(StringOf(unit));
    if (conv == nullptr) {
      Add("unit_not_accepted", Loc::Member(loc, "unit"),
          fmt::format("{} is not accepted for {} by the knowledge base", Quoted(StringOf(unit)), def.name));
      ok = false;
    } else if (auto canonical = Canonical(value, def, *conv, Loc::Member(loc, "value"), ObsKindName(o.kind))) {
      o.value = *canonical;
    } else {
      ok = false;
    }
    if (auto t = Time(time, Loc::Member(loc, "time"))) {
      o.time = *t;
    } else {
      ok = false;
    }
    if (has_range && conv != nullptr) ok &= Range(range, def, *conv, Loc::Member(loc, "reference_range"), o);
    if (ok) c.observations.push_back(std::move(o));
  }

  bool Range(element v, const ObservationKindDef& def, const UnitConversion& conv, const Loc& loc,
             nmscds::Observation& o) {
    std::optional<Fixed> raw_low, raw_high;
    bool ok = true;
    for (auto field : ObjectOf(v)) {
      Loc at = Loc::Member(loc, field.key);
      std::optional<Fixed> raw = FixedOf(field.value);
      if (!raw || std::fabs(JsonNumberOf(field.value)) > kMaxRawValue) {
        Add("out_of_range", at, fmt::format("reference range limit {} is too large", JsonNumberText(field.value)));
        ok = false;
        continue;
      }
      Fixed canonical = def.ToCanonical(*raw, conv);
      if (field.key == "low") {
        raw_low = raw;
        o.ref_low = canonical;
      } else {
        raw_high = raw;
        o.ref_high = canonical;
      }
    }
    if (raw_low && raw_high && *raw_low > *raw_high) {
      Add("invalid_range", loc,
          fmt::format("reference range low {} is above high {}; correct the range", raw_low->ToString(),
                      raw_high->ToString()));
      ok = false;
    }
    return ok;
  }

  // ---- findings ----

  void Findings(element v, const Loc& loc, nmscds::Findings& f) {
    for (auto field : ObjectOf(v)) {
      std::string_view key = field.key;
      element m = field.value;
      Loc at = Loc::Member(loc, key);
      if (key == "assessed_at") {
        f.assessed_at = Time(m, at);
        NotAfterT0(f.assessed_at, at, "findings.assessed_at");
      } else if (key == "rigidity") {
        f.rigidity = EnumAt<Rigidity>(kRigidityValues, StringOf(m), 1);
        f.rigidity_source = at.str();
      } else if (key == "mental_status") {
        f.mental_status = EnumAt<MentalStatus>(kMentalStatusValues, StringOf(m), 1);
        f.mental_status_source = at.str();
      } else if (key == "bowel_sounds") {
        f.bowel_sounds = EnumAt<BowelSounds>(kBowelSoundsValues, StringOf(m), 1);
        f.bowel_sounds_source = at.str();
      } else {
        for (std::size_t i = 0; i < kFindingCount; ++i) {
          if (FindingName(static_cast<Finding>(i)) == key) {
            f.flags[i] = ToTri(m.get_bool().value_unsafe());
            f.sources[i] = at.str();
            break;
          }
        }
      }
    }
  }

  // ---- medications ----

  void Medications(element v, const Loc& loc, Case& c) {
    auto arr = ArrayOf(v);
    c.medications.reserve(arr.size());
    std::vector<std::pair<std::string, std::string>> unrecognised;
    std::size_t i = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, i++);
      ++read_;
      nmscds::Medication med;
      if (!Medication(item, il, med)) continue;
      if (med.status == MedStatus::kNotTaken) {
        AddIgnored(c.input, "medications", "status_excluded");
      } else if (med.status == MedStatus::kEnteredInError) {
        AddIgnored(c.input, "medications", "entered_in_error");
      } else if (med.ingredients.empty()) {
        AddIgnored(c.input, "medications", "not_in_knowledge_base");
        unrecognised.emplace_back(med.name, med.source);
      }
      c.medications.push_back(std::move(med));
    }
    AddMedicationsNotRecognisedWarning(std::move(unrecognised), c);
  }

  bool Medication(element v, const Loc& loc, nmscds::Medication& med) {
    med.source = loc.str();
    bool ok = true;
    bool has_antiemetic = false;
    element start_el, stop_el;
    bool has_start = false, has_stop = false;
    for (auto field : ObjectOf(v)) {
      std::string_view key = field.key;
      element m = field.value;
      if (key == "name") {
        med.name = std::string(StringOf(m));
      } else if (key == "rxnorm") {
        med.rxnorm = std::string(StringOf(m));
      } else if (key == "route") {
        med.route = EnumAt<MedRoute>(kMedRoutes, StringOf(m), 1);
      } else if (key == "status") {
        med.status = EnumAt<MedStatus>(kMedStatuses, StringOf(m), 0);
      } else if (key == "start") {
        start_el = m;
        has_start = true;
      } else if (key == "stop") {
        stop_el = m;
        has_stop = true;
      } else if (key == "last_administered") {
        med.last_administered = Time(m, Loc::Member(loc, key));
        ok &= med.last_administered.has_value();
      } else if (key == "long_acting") {
        med.long_acting = m.get_bool().value_unsafe();
      } else if (key == "long_acting_interval_days") {
        med.long_acting_interval_days = FixedOf(m);  // schema bound: (0, 366]
      } else if (key == "used_as_antiemetic") {
        med.used_as_antiemetic = m.get_bool().value_unsafe();
        has_antiemetic = true;
      } else if (key == "dose") {
        med.dose = std::string(StringOf(m));
      } else if (key == "indication") {
        med.indication = std::string(StringOf(m));
      } else if (key == "administrations") {
        ok &= Administrations(m, Loc::Member(loc, key), med);
      }
    }
    if (has_start) {
      med.start = Time(start_el, Loc::Member(loc, "start"));
      ok &= med.start.has_value();
    }
    if (has_stop) {
      Loc at = Loc::Member(loc, "stop");
      med.stop = Time(stop_el, at);
      ok &= med.stop.has_value();
      if (med.start && med.stop && *med.stop < *med.start) {
        Add("time_order", at,
            fmt::format("stop {} is before start {}; correct one of them", FormatDateTime(*med.stop),
                        FormatDateTime(*med.start)));
        ok = false;
      }
    }
    if (!med.rxnorm.empty()) med.ingredients = kb_.DrugsByRxcui(med.rxnorm);
    if (med.ingredients.empty()) med.ingredients = kb_.DrugsByName(med.name);
    med.long_acting = med.long_acting || kb_.NamesLongActing(med.name);
    if (!has_antiemetic) med.used_as_antiemetic = IndicationMeansAntiemetic(kb_, med.indication);
    if (!med.last_administered) {
      for (const Administration& a : med.administrations) {
        if (!med.last_administered || a.at > *med.last_administered) med.last_administered = a.at;
      }
    }
    return ok;
  }

  bool Administrations(element v, const Loc& loc, nmscds::Medication& med) {
    auto arr = ArrayOf(v);
    med.administrations.reserve(arr.size());
    bool ok = true;
    std::size_t j = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, j++);
      ++read_;
      Administration a;
      a.source = il.str();
      bool item_ok = true;
      for (auto field : ObjectOf(item)) {
        Loc at = Loc::Member(il, field.key);
        if (field.key == "at") {
          auto t = Time(field.value, at);
          item_ok &= t.has_value();
          if (t) a.at = *t;
        } else {
          std::optional<Fixed> dose = FixedOf(field.value);
          if (!dose) {
            Add("out_of_range", at, fmt::format("{} {} is too large", field.key, JsonNumberText(field.value)));
            item_ok = false;
          } else if (field.key == "dose_mg") {
            a.dose_mg = dose;
          } else {
            a.dose_mg_per_kg = dose;
          }
        }
      }
      if (item_ok) med.administrations.push_back(std::move(a));
      ok &= item_ok;
    }
    return ok;
  }

  // ---- conditions, procedures ----

  void Conditions(element v, const Loc& loc, Case& c) {
    auto arr = ArrayOf(v);
    c.conditions.reserve(arr.size());
    std::size_t i = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, i++);
      ++read_;
      nmscds::Condition cond;
      cond.source = il.str();
      for (auto field : ObjectOf(item)) {
        std::string_view key = field.key;
        element m = field.value;
        if (key == "system") {
          cond.system = std::string(StringOf(m));
        } else if (key == "code") {
          cond.code = std::string(StringOf(m));
        } else if (key == "text") {
          cond.text = std::string(StringOf(m));
        } else if (key == "status") {
          cond.status = EnumAt<ConditionStatus>(kConditionStatuses, StringOf(m), 0);
        } else if (key == "onset") {
          cond.onset = Time(m, Loc::Member(il, key));
        }
      }
      cond.concepts = kb_.MatchConcepts(cond.system, cond.code, cond.text);
      c.conditions.push_back(std::move(cond));
    }
  }

  void Procedures(element v, const Loc& loc, Case& c) {
    auto arr = ArrayOf(v);
    c.procedures.reserve(arr.size());
    std::size_t i = 0;
    for (element item : arr) {
      Loc il = Loc::Item(loc, i++);
      ++read_;
      element time;
      if (ObjectOf(item).at_key("time").get(time) != simdjson::SUCCESS) continue;
      if (auto t = Time(time, Loc::Member(il, "time"))) c.procedures.push_back(Procedure{*t, il.str()});
    }
  }

  // ---- context ----

  void Context(element v, const Loc& loc, nmscds::Context& ctx) {
    for (auto field : ObjectOf(v)) {
      std::string_view key = field.key;
      element m = field.value;
      Loc at = Loc::Member(loc, key);
      if (key == "iv_access") {
        ctx.iv_access = EnumAt<IvAccess>(kIvAccessValues, StringOf(m), 1);
        ctx.iv_access_source = at.str();
      } else if (key == "malignancy") {
        ctx.malignancy = EnumAt<Malignancy>(kMalignancyValues, StringOf(m), 1);
        ctx.malignancy_source = at.str();
      } else if (key == "burden_of_illness") {
        ctx.burden_of_illness = EnumAt<Burden>(kBurdenValues, StringOf(m), 1);
        ctx.burden_source = at.str();
      } else if (key == "penicillin_allergy") {
        ctx.penicillin_allergy = EnumAt<PenicillinAllergy>(kPenicillinValues, StringOf(m), 1);
        ctx.penicillin_allergy_source = at.str();
      } else if (key == "location") {
        ctx.location = EnumAt<Location>(kLocationValues, StringOf(m), 1);
        ctx.location_source = at.str();
      } else if (key == "expected_neutropenia_days") {
        ctx.expected_neutropenia_days = FixedOf(m);  // schema bound: [0, 365]
        ctx.expected_neutropenia_days_source = at.str();
      } else if (key == "antibiotics_started_at") {
        ctx.antibiotics_started_at = Time(m, at);
      } else if (key == "fever_onset_at") {
        ctx.fever_onset_at = Time(m, at);
      } else if (key == "last_chemotherapy_at") {
        ctx.last_chemotherapy_at = Time(m, at);
        ctx.last_chemotherapy_source = at.str();
      } else if (key == "anesthesia") {
        ctx.anesthesia.source = at.str();
        for (auto a : ObjectOf(m)) {
          if (a.key == "volatile_agent") {
            ctx.anesthesia.volatile_agent = ToTri(a.value.get_bool().value_unsafe());
          } else if (a.key == "succinylcholine") {
            ctx.anesthesia.succinylcholine = ToTri(a.value.get_bool().value_unsafe());
          } else if (a.key == "at") {
            ctx.anesthesia.at = Time(a.value, Loc::Member(at, a.key));
          }
        }
      } else {
        for (std::size_t i = 0; i < kCtxFlagCount; ++i) {
          if (CtxFlagName(static_cast<CtxFlag>(i)) == key) {
            ctx.flags[i] = ToTri(m.get_bool().value_unsafe());
            ctx.sources[i] = at.str();
            break;
          }
        }
      }
    }
    if (IsTrue(ctx.get(CtxFlag::kHospitalizedAtFeverOnset)) && IsTrue(ctx.get(CtxFlag::kOutpatientAtFeverOnset))) {
      Add("inconsistent_context", Loc::Member(loc, "outpatient_at_fever_onset"),
          "hospitalized_at_fever_onset and outpatient_at_fever_onset are both true; at most one can be true");
    }
  }

  const KnowledgeBase& kb_;
  std::vector<Issue>& issues_;
  std::optional<Instant> t0_;
  int read_ = 0;
};

std::string ProblemCount(std::size_t n) { return n == 1 ? "1 problem" : fmt::format("{} problems", n); }

}  // namespace

namespace internal {

std::vector<Issue> CheckCaseSchema(simdjson::dom::element root) {
  std::vector<Issue> issues;
  SchemaCheck(issues).Root(root);
  return issues;
}

}  // namespace internal

Result<Case> ReadNativeCase(simdjson::dom::element root, std::string_view bytes, const KnowledgeBase& kb,
                            const ReadOptions& options) {
  std::vector<Issue> issues = internal::CheckCaseSchema(root);
  if (!issues.empty()) {
    std::string message = ProblemCount(issues.size());
    return Error::Invalid(std::move(issues), std::move(message));
  }
  Case c;
  CaseBuilder(kb, issues).Build(root, options, c);
  if (!issues.empty()) {
    std::string message = ProblemCount(issues.size());
    return Error::Invalid(std::move(issues), std::move(message));
  }
  c.input.sha256 = Sha256Hex(bytes);
  return c;
}

}  // namespace nmscds
