#pragma once
// Helpers shared by every input reader (native case, FHIR): number handling, unit conversion with the
// plausible-range check, ignored-item counters and the input-handling warnings that more than one channel
// raises (INPUT_CONFLICTING_VALUES, INPUT_MEDICATION_NOT_RECOGNISED). One implementation, so that a value
// read from FHIR is converted, rounded and reported exactly as the same value in a native case.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/case.h"
#include "nmscds/fixed.h"

namespace nmscds {

class KnowledgeBase;
struct ObservationKindDef;
struct UnitConversion;

// Largest whole value a Fixed holds comfortably; raw values beyond 1e10 are out of range for every kind and
// unit (the largest plausible value is 2,000,000 U/L), which also keeps unit conversion from overflowing.
inline constexpr double kMaxRawValue = 1e10;

bool IsJsonNumber(simdjson::dom::element e);
double JsonNumberOf(simdjson::dom::element e);       // a JSON number as double
std::string JsonNumberText(simdjson::dom::element e);  // a JSON number as written ("12", "0.08")
// A JSON number as a Fixed; nullopt when it cannot be held (|v| > 9e12 or an unsigned 64-bit value).
std::optional<Fixed> FixedOf(simdjson::dom::element e);

// A string shown in a message: quoted, shortened to about 40 characters.
std::string Quoted(std::string_view s);
// "null", "true", "the string 'x'", "an array", "the number 3" (for "... not <this>" messages).
std::string DescribeJson(simdjson::dom::element e);

// A raw value in `unit` converted to the kind's canonical unit and precision, or the problem (code
// out_of_range) that explains why not: too large to hold, or outside the kind's plausible range (almost
// always a unit mistake). `what` names the datum in the message ("temperature", "weight").
struct CanonicalResult {
  std::optional<Fixed> value;
  std::string problem;  // message when !value
};
CanonicalResult ToCanonicalChecked(simdjson::dom::element raw_value, const ObservationKindDef& def,
                                   const UnitConversion& unit, std::string_view what);

// Counts one ignored item in input.ignored (interfaces §5.4).
void AddIgnored(InputInfo& input, std::string_view kind, std::string_view reason);

// INPUT_CONFLICTING_VALUES: two observations of one kind at one time with different values. One warning
// names every kind/time pair (a report lists each warning code at most once, interfaces.md §5.12).
void AddConflictingValuesWarning(const KnowledgeBase& kb, Case& c);

// INPUT_MEDICATION_NOT_RECOGNISED for (name, source) pairs of medications not in the knowledge base, sorted
// by name so that the report does not depend on input order (§5.1). Nothing when the list is empty.
void AddMedicationsNotRecognisedWarning(std::vector<std::pair<std::string, std::string>> names_and_sources,
                                        Case& c);

// INPUT_WEIGHT_UNDATED for the weight used (clinical DF-21: an undated weight counts as current).
void AddWeightUndatedWarning(const Weight& w, Case& c);

// interfaces §2.5: an indication that contains one of the knowledge-base antiemetic words ("nausea",
// "vomiting", "emesis", "antiemetic"; whole words, any case).
bool IndicationMeansAntiemetic(const KnowledgeBase& kb, std::string_view indication);

}  // namespace nmscds
