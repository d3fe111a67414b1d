#pragma once
// The assessment report v1 (interfaces.md §5) as a value. Every channel (CLI, CDS Hooks service,
// population screen, bedside page) renders this one structure; report_json.cc writes it in the exact
// member order and number format of §5.1.
//
// Conventions: strings hold the report's codes verbatim ("contraindicated", "DEC-3"); an empty string or
// nullopt means "omitted from the JSON" (the report never contains null). Times are seconds since the
// Unix epoch, UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nmscds/fixed.h"

namespace nmscds {

// A fact value: number, string or boolean. An unknown fact carries the string "unknown".
struct Value {
  enum class Type : std::uint8_t { kNumber, kString, kBool };
  Type type = Type::kString;
  Fixed number;
  std::string text;
  bool boolean = false;

  static Value Num(Fixed v) { Value x; x.type = Type::kNumber; x.number = v; return x; }
  static Value Int(std::int64_t v) { return Num(Fixed::FromInt(v)); }
  static Value Str(std::string s) { Value x; x.type = Type::kString; x.text = std::move(s); return x; }
  static Value Bool(bool b) { Value x; x.type = Type::kBool; x.boolean = b; return x; }
  static Value Unknown() { return Str("unknown"); }
  bool operator==(const Value&) const = default;
};

// interfaces.md §5.3 Fact.
struct Fact {
  std::string name;
  Value value;
  std::string unit;                // UCUM; empty = omitted
  std::optional<std::int64_t> at;  // when the datum was observed
  std::string source;              // JSON pointer or FHIR path; empty = omitted
  std::optional<Fixed> uln;
  std::string uln_source;  // "reference_range" | "default" | ""
};

struct Range {
  Fixed low;
  Fixed high;
};

struct Reason {
  std::string code;
  std::string rule;
  std::string text;
  std::vector<Fact> facts;
  std::vector<std::string> refs;
};

struct Precondition {
  std::string code;
  std::string text;
};

struct Criterion {
  int number = 0;
  std::string id;
  int weight = 0;
  std::string status;  // met | not_met | unknown
  std::vector<Fact> evidence;
};

struct Iec {
  int points = 0;
  int max_possible = 0;
  int cutoff = 0;
  bool meets_cutoff = false;
  bool could_meet_cutoff = false;
  std::vector<Criterion> criteria;
};

struct Feature {
  std::string status;  // present | absent | unknown
  std::vector<Fact> evidence;
};

struct CardinalFeatures {
  int present_count = 0;
  int unknown_count = 0;
  Feature hyperthermia, rigidity, altered_mental_status, autonomic_dysfunction;
};

struct WoodburyDriver {
  std::string dimension;  // temperature | heart_rate | rigidity | mental_status | catatonia | tremor
  Value value;
  std::string unit;
  std::string stage;
};

struct Woodbury {
  std::string stage;  // I..V | unknown | not_staged
  std::string label;
  bool is_lower_bound = false;
  std::vector<WoodburyDriver> drivers;
};

struct TriggerAgent {
  std::string name;
  std::string rxnorm;
  std::string klass;     // knowledge-base class token
  std::string exposure;  // active | ended | long_acting_window | withdrawn | undetermined
  std::optional<std::int64_t> last_exposure;
};

struct Trigger {
  std::string type;     // d2_antagonist | withdrawal | both | none | unknown
  std::string pattern;  // none | monotherapy | polypharmacy | unknown
  std::vector<TriggerAgent> agents;
};

struct NmsSection {
  std::string suspicion;
  std::string suspicion_rule;
  Iec iec;
  CardinalFeatures cardinal_features;
  Woodbury woodbury;
  Trigger trigger;
};

struct Fever {
  std::string status;
  std::string basis;
  std::optional<Fixed> max_c;
  std::optional<std::int64_t> at;
};

struct AncInfo {
  std::string status;  // neutropenic | not_neutropenic | unknown
  std::optional<Fixed> value_10e9_l;
  std::optional<std::int64_t> at;
  std::optional<bool> expected_to_fall;
};

struct MasccItem {
  std::string id;
  int points = 0;
  std::string status;
};

struct Mascc {
  std::optional<int> score;
  std::optional<int> max_possible;
  std::string risk;  // low | high | unknown | not_applicable
  std::vector<MasccItem> items;
};

struct FebrileNeutropenia {
  std::string status;
  bool presumed = false;
  bool high_risk = false;
  Fever fever;
  AncInfo anc;
  std::string profound;  // yes | no | unknown
  Mascc mascc;
};

struct Hepatic {
  std::string status;
  std::vector<Fact> basis;
};

struct Renal {
  std::string status;  // computed | unknown
  std::optional<Fixed> crcl_ml_min;
  std::optional<bool> dialysis;
  std::vector<Fact> basis;
};

struct DantroleneRegimen {
  std::string indication;  // nms | malignant_hyperthermia
  std::optional<Fixed> weight_kg;
  Range initial_mg_per_kg;
  std::optional<Range> initial_mg;
  std::optional<Range> initial_vials_20mg;
  Fixed repeat_mg_per_kg;
  std::optional<Fixed> repeat_mg;
  std::optional<Fixed> repeat_interval_h;
  Fixed max_mg_per_kg_24h;
  std::optional<Fixed> max_mg_24h;
  std::optional<Fixed> given_mg_24h;
  std::optional<Fixed> remaining_mg_24h;
  std::string reconstitution, access, stop_when, text;
};

struct Dantrolene {
  std::string decision;
  std::vector<Reason> reasons;
  std::vector<Reason> secondary_findings;
  std::optional<DantroleneRegimen> regimen;
  std::vector<Precondition> preconditions;
};

struct AlternativeRegimen {
  std::string route;  // PO/NG | IV | IV/IM
  std::optional<Range> dose_mg;
  std::optional<Range> interval_h;
  std::optional<Fixed> max_daily_mg;
  std::string renal_band;
  std::string text;
};

struct Caution {
  std::string code;
  std::string text;
};

struct Alternative {
  std::string drug;  // bromocriptine | amantadine | lorazepam | ect
  std::string status;
  int rank = 0;
  std::optional<AlternativeRegimen> regimen;
  std::vector<Precondition> preconditions;
  std::vector<Caution> cautions;
  std::vector<std::string> refs;
};

// A plan item (steps 1-4) or a monitoring item (step 0 here; written without `step`).
struct PlanItem {
  int step = 0;
  std::string id;
  std::string priority;  // immediate | urgent | routine
  std::string status;    // recommended | consider | conditional | alternative | not_indicated
  std::string rule;
  std::string text;
  std::vector<Fact> facts;
  std::vector<std::string> refs;
};

struct DifferentialItem {
  std::string condition;
  std::string status;
  std::string text;
  std::vector<Fact> basis;
};

struct Warning {
  std::string code;
  std::string severity;  // critical | warning | info
  std::string text;
  std::vector<Fact> facts;
  std::vector<std::string> refs;
};

struct Note {
  std::string id;
  std::string text;
  std::vector<std::string> refs;
};

struct MissingItem {
  std::string item;
  bool blocking = false;
  std::vector<std::string> needed_for;
  std::string text;
};

struct Citation {
  std::string id;
  std::string citation;
};

struct IgnoredItems {
  std::string kind;
  std::string reason;
  int count = 0;
};

struct InputSummary {
  std::string format;  // nmscds-case | fhir-bundle | cds-hooks
  std::string sha256;
  std::string bundle_type;
  std::string assessed_at_source;
  int read = 0;
  int used = 0;
  int ignored_count = 0;
  std::vector<IgnoredItems> ignored;
  std::vector<std::string> unavailable;
};

struct Report {
  std::string engine_version;
  std::string kb_version;
  std::string kb_sha256;
  std::string protocol = "standard";
  std::string patient_id;
  std::int64_t assessed_at = 0;
  InputSummary input;
  NmsSection nms;
  FebrileNeutropenia febrile_neutropenia;
  Hepatic hepatic;
  Renal renal;
  Dantrolene dantrolene;
  std::vector<Alternative> alternatives;
  std::vector<PlanItem> plan;
  std::vector<DifferentialItem> differential;
  std::vector<PlanItem> monitoring;
  std::vector<Warning> warnings;
  std::vector<Note> notes;
  std::vector<MissingItem> missing_data;
  std::vector<Citation> references;
};

}  // namespace nmscds
