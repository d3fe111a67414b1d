// The assessment report v1 as JSON (interfaces.md §5, report.schema.json).
//
// Member order: every object is written in the order of interfaces.md §5, which is also the order of
// `properties` in report.schema.json (it is not alphabetical). Optional members without a value (an empty
// string, a nullopt, `input.unavailable` when empty) are omitted; the report never contains null. Arrays the
// schema requires are always written, possibly empty.
//
// Array order: the engine builds every array already in the order of §5.16 (criteria by number, agents by
// name, warnings by severity then code, refs ascending and unique, ...). This writer never sorts, filters or
// de-duplicates: it writes each array exactly in the order it is given, so the JSON, the text report and every
// other channel that renders the same Report show the same order.
//
// Numbers: Fixed values arrive already rounded by the engine to their field's decimals (§5.1: CrCl truncated,
// mg rounded down, vials rounded up, ...). They are written as shortest decimals (JsonWriter::Number: trailing
// zeros and point removed, no exponent, never -0). Counts, points, weights, ranks and steps are integers.
// Times are seconds since the epoch, written "YYYY-MM-DDThh:mm:ssZ" (UTC).
#include <string>
#include <string_view>
#include <vector>

#include "common/json_writer.h"
#include "common/time_util.h"
#include "nmscds/nmscds.h"
#include "nmscds/report.h"
#include "io/report_json.h"

namespace nmscds {
namespace {

class ReportJsonWriter {
 public:
  explicit ReportJsonWriter(JsonWriter& w) : w_(w) {}

  void Write(const Report& r) {
    w_.BeginObject();
    w_.Member("report_format", "nmscds-report");
    w_.MemberInt("report_version", 1);
    w_.Key("engine");
    w_.BeginObject();
    w_.Member("name", "nmscds");
    w_.Member("version", r.engine_version);
    w_.EndObject();
    w_.Key("knowledge_base");
    w_.BeginObject();
    w_.Member("version", r.kb_version);
    w_.Member("sha256", r.kb_sha256);
    w_.EndObject();
    w_.Member("protocol", r.protocol);
    w_.Member("patient_id", r.patient_id);
    Time("assessed_at", r.assessed_at);
    w_.Key("input");
    Input(r.input);
    w_.Key("nms");
    Nms(r.nms);
    w_.Key("febrile_neutropenia");
    Fn(r.febrile_neutropenia);
    w_.Key("hepatic");
    HepaticObj(r.hepatic);
    w_.Key("renal");
    RenalObj(r.renal);
    w_.Key("dantrolene");
    DantroleneObj(r.dantrolene);
    w_.Key("alternatives");
    Array(r.alternatives, [this](const Alternative& a) { AlternativeObj(a); });
    w_.Key("plan");
    Array(r.plan, [this](const PlanItem& p) { Item(p, /*with_step=*/true); });
    w_.Key("differential");
    Array(r.differential, [this](const DifferentialItem& d) { Differential(d); });
    w_.Key("monitoring");
    Array(r.monitoring, [this](const PlanItem& p) { Item(p, /*with_step=*/false); });
    w_.Key("warnings");
    Array(r.warnings, [this](const Warning& x) { WarningObj(x); });
    w_.Key("notes");
    Array(r.notes, [this](const Note& n) { NoteObj(n); });
    w_.Key("missing_data");
    Array(r.missing_data, [this](const MissingItem& m) { Missing(m); });
    w_.Key("references");
    Array(r.references, [this](const Citation& c) {
      w_.BeginObject();
      w_.Member("id", c.id);
      w_.Member("citation", c.citation);
      w_.EndObject();
    });
    w_.EndObject();
  }

 private:
  // ---- helpers ---------------------------------------------------------------------------------------------
  template <typename T, typename F>
  void Array(const std::vector<T>& items, F&& write_one) {
    w_.BeginArray();
    for (const T& item : items) write_one(item);
    w_.EndArray();
  }

  void Strings(std::string_view key, const std::vector<std::string>& items) {
    w_.Key(key);
    w_.BeginArray();
    for (const auto& s : items) w_.String(s);
    w_.EndArray();
  }

  void Time(std::string_view key, std::int64_t t) { w_.Member(key, FormatDateTime(t)); }
  void OptTime(std::string_view key, const std::optional<std::int64_t>& t) {
    if (t) Time(key, *t);
  }
  void OptString(std::string_view key, const std::string& s) {
    if (!s.empty()) w_.Member(key, s);
  }
  void OptNumber(std::string_view key, const std::optional<Fixed>& v) {
    if (v) w_.MemberNumber(key, *v);
  }
  void OptBool(std::string_view key, const std::optional<bool>& v) {
    if (v) w_.MemberBool(key, *v);
  }

  void ValueOf(const Value& v) {
    switch (v.type) {
      case Value::Type::kNumber: w_.Number(v.number); break;
      case Value::Type::kBool: w_.Bool(v.boolean); break;
      case Value::Type::kString: w_.String(v.text); break;
    }
  }

  void RangeObj(std::string_view key, const Range& r) {
    w_.Key(key);
    w_.BeginObject();
    w_.MemberNumber("low", r.low);
    w_.MemberNumber("high", r.high);
    w_.EndObject();
  }
  void OptRange(std::string_view key, const std::optional<Range>& r) {
    if (r) RangeObj(key, *r);
  }

  // §5.3 Fact: {name, value, unit?, at?, source?, uln?, uln_source?}.
  void FactObj(const Fact& f) {
    w_.BeginObject();
    w_.Member("name", f.name);
    w_.Key("value");
    ValueOf(f.value);
    OptString("unit", f.unit);
    OptTime("at", f.at);
    OptString("source", f.source);
    OptNumber("uln", f.uln);
    OptString("uln_source", f.uln_source);
    w_.EndObject();
  }
  void Facts(std::string_view key, const std::vector<Fact>& facts) {
    w_.Key(key);
    Array(facts, [this](const Fact& f) { FactObj(f); });
  }

  void ReasonObj(const Reason& r) {
    w_.BeginObject();
    w_.Member("code", r.code);
    w_.Member("rule", r.rule);
    w_.Member("text", r.text);
    Facts("facts", r.facts);
    Strings("refs", r.refs);
    w_.EndObject();
  }

  void Preconditions(const std::vector<Precondition>& items) {
    w_.Key("preconditions");
    Array(items, [this](const Precondition& p) {
      w_.BeginObject();
      w_.Member("code", p.code);
      w_.Member("text", p.text);
      w_.EndObject();
    });
  }

  // ---- sections --------------------------------------------------------------------------------------------
  // §5.4
  void Input(const InputSummary& in) {
    w_.BeginObject();
    w_.Member("format", in.format);
    w_.Member("sha256", in.sha256);
    OptString("bundle_type", in.bundle_type);
    w_.Member("assessed_at_source", in.assessed_at_source);
    w_.Key("counts");
    w_.BeginObject();
    w_.MemberInt("read", in.read);
    w_.MemberInt("used", in.used);
    w_.MemberInt("ignored", in.ignored_count);
    w_.EndObject();
    w_.Key("ignored");
    Array(in.ignored, [this](const IgnoredItems& g) {
      w_.BeginObject();
      w_.Member("kind", g.kind);
      w_.Member("reason", g.reason);
      w_.MemberInt("count", g.count);
      w_.EndObject();
    });
    if (!in.unavailable.empty()) Strings("unavailable", in.unavailable);
    w_.EndObject();
  }

  // §5.5
  void Nms(const NmsSection& n) {
    w_.BeginObject();
    w_.Member("suspicion", n.suspicion);
    w_.Member("suspicion_rule", n.suspicion_rule);

    w_.Key("iec");
    w_.BeginObject();
    w_.MemberInt("points", n.iec.points);
    w_.MemberInt("max_possible", n.iec.max_possible);
    w_.MemberInt("cutoff", n.iec.cutoff);
    w_.MemberBool("meets_cutoff", n.iec.meets_cutoff);
    w_.MemberBool("could_meet_cutoff", n.iec.could_meet_cutoff);
    w_.Key("criteria");
    Array(n.iec.criteria, [this](const Criterion& c) {
      w_.BeginObject();
      w_.MemberInt("number", c.number);
      w_.Member("id", c.id);
      w_.MemberInt("weight", c.weight);
      w_.Member("status", c.status);
      Facts("evidence", c.evidence);
      w_.EndObject();
    });
    w_.EndObject();

    const CardinalFeatures& cf = n.cardinal_features;
    w_.Key("cardinal_features");
    w_.BeginObject();
    w_.MemberInt("present_count", cf.present_count);
    w_.MemberInt("unknown_count", cf.unknown_count);
    FeatureObj("hyperthermia", cf.hyperthermia);
    FeatureObj("rigidity", cf.rigidity);
    FeatureObj("altered_mental_status", cf.altered_mental_status);
    FeatureObj("autonomic_dysfunction", cf.autonomic_dysfunction);
    w_.EndObject();

    w_.Key("woodbury");
    w_.BeginObject();
    w_.Member("stage", n.woodbury.stage);
    w_.Member("label", n.woodbury.label);
    w_.MemberBool("is_lower_bound", n.woodbury.is_lower_bound);
    w_.Key("drivers");
    Array(n.woodbury.drivers, [this](const WoodburyDriver& d) {
      w_.BeginObject();
      w_.Member("dimension", d.dimension);
      w_.Key("value");
      ValueOf(d.value);
      OptString("unit", d.unit);
      w_.Member("stage", d.stage);
      w_.EndObject();
    });
    w_.EndObject();

    w_.Key("trigger");
    w_.BeginObject();
    w_.Member("type", n.trigger.type);
    w_.Member("pattern", n.trigger.pattern);
    w_.Key("agents");
    Array(n.trigger.agents, [this](const TriggerAgent& a) {
      w_.BeginObject();
      w_.Member("name", a.name);
      OptString("rxnorm", a.rxnorm);
      w_.Member("class", a.klass);
      w_.Member("exposure", a.exposure);
      OptTime("last_exposure", a.last_exposure);
      w_.EndObject();
    });
    w_.EndObject();

    w_.EndObject();
  }

  void FeatureObj(std::string_view key, const Feature& f) {
    w_.Key(key);
    w_.BeginObject();
    w_.Member("status", f.status);
    Facts("evidence", f.evidence);
    w_.EndObject();
  }

  // §5.6
  void Fn(const FebrileNeutropenia& fn) {
    w_.BeginObject();
    w_.Member("status", fn.status);
    w_.MemberBool("presumed", fn.presumed);
    w_.MemberBool("high_risk", fn.high_risk);

    w_.Key("fever");
    w_.BeginObject();
    w_.Member("status", fn.fever.status);
    w_.Member("basis", fn.fever.basis);
    OptNumber("max_c", fn.fever.max_c);
    OptTime("at", fn.fever.at);
    w_.EndObject();

    w_.Key("anc");
    w_.BeginObject();
    w_.Member("status", fn.anc.status);
    OptNumber("value_10e9_l", fn.anc.value_10e9_l);
    OptTime("at", fn.anc.at);
    OptBool("expected_to_fall", fn.anc.expected_to_fall);
    w_.EndObject();

    w_.Member("profound", fn.profound);

    w_.Key("mascc");
    w_.BeginObject();
    if (fn.mascc.score) w_.MemberInt("score", *fn.mascc.score);
    if (fn.mascc.max_possible) w_.MemberInt("max_possible", *fn.mascc.max_possible);
    w_.Member("risk", fn.mascc.risk);
    w_.Key("items");
    Array(fn.mascc.items, [this](const MasccItem& i) {
      w_.BeginObject();
      w_.Member("id", i.id);
      w_.MemberInt("points", i.points);
      w_.Member("status", i.status);
      w_.EndObject();
    });
    w_.EndObject();

    w_.EndObject();
  }

  // §5.7
  void HepaticObj(const Hepatic& h) {
    w_.BeginObject();
    w_.Member("status", h.status);
    Facts("basis", h.basis);
    w_.EndObject();
  }

  void RenalObj(const Renal& r) {
    w_.BeginObject();
    w_.Member("status", r.status);
    w_.Member("method", "cockcroft_gault");
    OptNumber("crcl_ml_min", r.crcl_ml_min);
    OptBool("dialysis", r.dialysis);
    Facts("basis", r.basis);
    w_.EndObject();
  }

  // §5.8
  void DantroleneObj(const Dantrolene& d) {
    w_.BeginObject();
    w_.Member("decision", d.decision);
    w_.Key("reasons");
    Array(d.reasons, [this](const Reason& r) { ReasonObj(r); });
    w_.Key("secondary_findings");
    Array(d.secondary_findings, [this](const Reason& r) { ReasonObj(r); });
    if (d.regimen) {
      w_.Key("regimen");
      DantroleneRegimenObj(*d.regimen);
    }
    Preconditions(d.preconditions);
    w_.EndObject();
  }

  // Regimens are also written on their own (`nmscds dose`).
 public:
  void DantroleneRegimenObj(const DantroleneRegimen& g) {
    w_.BeginObject();
    w_.Member("indication", g.indication);
    w_.Member("route", "IV");
    OptNumber("weight_kg", g.weight_kg);
    RangeObj("initial_mg_per_kg", g.initial_mg_per_kg);
    OptRange("initial_mg", g.initial_mg);
    OptRange("initial_vials_20mg", g.initial_vials_20mg);
    w_.MemberNumber("repeat_mg_per_kg", g.repeat_mg_per_kg);
    OptNumber("repeat_mg", g.repeat_mg);
    OptNumber("repeat_interval_h", g.repeat_interval_h);
    w_.MemberNumber("max_mg_per_kg_24h", g.max_mg_per_kg_24h);
    OptNumber("max_mg_24h", g.max_mg_24h);
    OptNumber("given_mg_24h", g.given_mg_24h);
    OptNumber("remaining_mg_24h", g.remaining_mg_24h);
    w_.Member("reconstitution", g.reconstitution);
    w_.Member("access", g.access);
    w_.Member("stop_when", g.stop_when);
    w_.Member("text", g.text);
    w_.EndObject();
  }

  void AlternativeRegimenObj(const AlternativeRegimen& g) {
    w_.BeginObject();
    w_.Member("route", g.route);
    OptRange("dose_mg", g.dose_mg);
    OptRange("interval_h", g.interval_h);
    OptNumber("max_daily_mg", g.max_daily_mg);
    OptString("renal_band", g.renal_band);
    w_.Member("text", g.text);
    w_.EndObject();
  }


 private:
  // §5.9
  void AlternativeObj(const Alternative& a) {
    w_.BeginObject();
    w_.Member("drug", a.drug);
    w_.Member("status", a.status);
    w_.MemberInt("rank", a.rank);
    if (a.regimen) {
      w_.Key("regimen");
      AlternativeRegimenObj(*a.regimen);
    }
    Preconditions(a.preconditions);
    w_.Key("cautions");
    Array(a.cautions, [this](const Caution& c) {
      w_.BeginObject();
      w_.Member("code", c.code);
      w_.Member("text", c.text);
      w_.EndObject();
    });
    Strings("refs", a.refs);
    w_.EndObject();
  }

  // §5.10 / §5.11: plan items carry `step`, monitoring items do not.
  void Item(const PlanItem& p, bool with_step) {
    w_.BeginObject();
    if (with_step) w_.MemberInt("step", p.step);
    w_.Member("id", p.id);
    w_.Member("priority", p.priority);
    w_.Member("status", p.status);
    w_.Member("rule", p.rule);
    w_.Member("text", p.text);
    Facts("facts", p.facts);
    Strings("refs", p.refs);
    w_.EndObject();
  }

  void Differential(const DifferentialItem& d) {
    w_.BeginObject();
    w_.Member("condition", d.condition);
    w_.Member("status", d.status);
    w_.Member("text", d.text);
    Facts("basis", d.basis);
    w_.EndObject();
  }

  // §5.12
  void WarningObj(const Warning& x) {
    w_.BeginObject();
    w_.Member("code", x.code);
    w_.Member("severity", x.severity);
    w_.Member("text", x.text);
    Facts("facts", x.facts);
    Strings("refs", x.refs);
    w_.EndObject();
  }

  // §5.13
  void NoteObj(const Note& n) {
    w_.BeginObject();
    w_.Member("id", n.id);
    w_.Member("text", n.text);
    Strings("refs", n.refs);
    w_.EndObject();
  }

  // §5.14
  void Missing(const MissingItem& m) {
    w_.BeginObject();
    w_.Member("item", m.item);
    w_.MemberBool("blocking", m.blocking);
    Strings("needed_for", m.needed_for);
    w_.Member("text", m.text);
    w_.EndObject();
  }

  JsonWriter& w_;
};

}  // namespace

std::string ReportToJson(const Report& report, bool pretty) {
  JsonWriter w(pretty);
  ReportJsonWriter(w).Write(report);
  return w.Finish();
}

void WriteDantroleneRegimen(JsonWriter& w, const DantroleneRegimen& regimen) {
  ReportJsonWriter(w).DantroleneRegimenObj(regimen);
}

void WriteAlternativeRegimen(JsonWriter& w, const AlternativeRegimen& regimen) {
  ReportJsonWriter(w).AlternativeRegimenObj(regimen);
}

}  // namespace nmscds
