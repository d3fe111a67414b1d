#pragma once
// Report values for the report writer tests (report_json_test.cc, report_text_test.cc):
//  - ExampleReport(): /work/shared/spec/examples/report-example.json read back into a Report (test-only
//    reader), so the writer can be compared byte-for-byte in content and order with the specification's
//    illustrative instance;
//  - FullReport(): the example plus every optional member the example does not show;
//  - MinimalReport(): empty arrays and absent optionals wherever the schema allows them.
#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "nmscds/report.h"
#include "test_util.h"

namespace nmscds::testing {

using ojson = nlohmann::ordered_json;

inline std::string ExampleReportPath() { return SharedDir() + "/spec/examples/report-example.json"; }
inline std::string ReportSchemaPath() { return SharedDir() + "/spec/report.schema.json"; }

namespace fixture_detail {

inline Fixed Num(const ojson& j) {
  auto f = Fixed::Parse(j.dump());
  if (!f) throw std::runtime_error("bad number " + j.dump());
  return *f;
}
inline std::int64_t Time(const ojson& j) {
  auto t = ParseDateTime(j.get<std::string>());
  if (!t) throw std::runtime_error("bad time " + j.dump());
  return *t;
}
inline std::string Str(const ojson& j, const char* key) { return j.contains(key) ? j[key].get<std::string>() : ""; }
inline std::optional<Fixed> OptNum(const ojson& j, const char* key) {
  return j.contains(key) ? std::optional<Fixed>(Num(j[key])) : std::nullopt;
}
inline std::optional<std::int64_t> OptTime(const ojson& j, const char* key) {
  return j.contains(key) ? std::optional<std::int64_t>(Time(j[key])) : std::nullopt;
}
inline std::optional<bool> OptBool(const ojson& j, const char* key) {
  return j.contains(key) ? std::optional<bool>(j[key].get<bool>()) : std::nullopt;
}
inline std::vector<std::string> Strings(const ojson& j) { return j.get<std::vector<std::string>>(); }

inline Value ValueOf(const ojson& j) {
  if (j.is_boolean()) return Value::Bool(j.get<bool>());
  if (j.is_number()) return Value::Num(Num(j));
  return Value::Str(j.get<std::string>());
}

inline Fact FactOf(const ojson& j) {
  Fact f;
  f.name = j["name"].get<std::string>();
  f.value = ValueOf(j["value"]);
  f.unit = Str(j, "unit");
  f.at = OptTime(j, "at");
  f.source = Str(j, "source");
  f.uln = OptNum(j, "uln");
  f.uln_source = Str(j, "uln_source");
  return f;
}
inline std::vector<Fact> Facts(const ojson& j) {
  std::vector<Fact> out;
  for (const auto& x : j) out.push_back(FactOf(x));
  return out;
}
inline Range RangeOf(const ojson& j) { return Range{Num(j["low"]), Num(j["high"])}; }
inline std::optional<Range> OptRange(const ojson& j, const char* key) {
  return j.contains(key) ? std::optional<Range>(RangeOf(j[key])) : std::nullopt;
}
inline std::vector<Reason> Reasons(const ojson& j) {
  std::vector<Reason> out;
  for (const auto& x : j) {
    out.push_back(Reason{x["code"].get<std::string>(), x["rule"].get<std::string>(), x["text"].get<std::string>(),
                         Facts(x["facts"]), Strings(x["refs"])});
  }
  return out;
}
inline std::vector<Precondition> Preconditions(const ojson& j) {
  std::vector<Precondition> out;
  for (const auto& x : j) out.push_back(Precondition{x["code"].get<std::string>(), x["text"].get<std::string>()});
  return out;
}
inline Feature FeatureOf(const ojson& j) { return Feature{j["status"].get<std::string>(), Facts(j["evidence"])}; }
inline PlanItem ItemOf(const ojson& x) {
  PlanItem p;
  p.step = x.contains("step") ? x["step"].get<int>() : 0;
  p.id = x["id"].get<std::string>();
  p.priority = x["priority"].get<std::string>();
  p.status = x["status"].get<std::string>();
  p.rule = x["rule"].get<std::string>();
  p.text = x["text"].get<std::string>();
  p.facts = Facts(x["facts"]);
  p.refs = Strings(x["refs"]);
  return p;
}

}  // namespace fixture_detail

// A test-only reader of the report JSON (the product never reads reports).
inline Report ReportFromJson(const ojson& j) {
  using namespace fixture_detail;
  Report r;
  r.engine_version = j["engine"]["version"].get<std::string>();
  r.kb_version = j["knowledge_base"]["version"].get<std::string>();
  r.kb_sha256 = j["knowledge_base"]["sha256"].get<std::string>();
  r.protocol = j["protocol"].get<std::string>();
  r.patient_id = j["patient_id"].get<std::string>();
  r.assessed_at = Time(j["assessed_at"]);

  const ojson& in = j["input"];
  r.input.format = in["format"].get<std::string>();
  r.input.sha256 = in["sha256"].get<std::string>();
  r.input.bundle_type = Str(in, "bundle_type");
  r.input.assessed_at_source = in["assessed_at_source"].get<std::string>();
  r.input.read = in["counts"]["read"].get<int>();
  r.input.used = in["counts"]["used"].get<int>();
  r.input.ignored_count = in["counts"]["ignored"].get<int>();
  for (const auto& g : in["ignored"]) {
    r.input.ignored.push_back(
        IgnoredItems{g["kind"].get<std::string>(), g["reason"].get<std::string>(), g["count"].get<int>()});
  }
  if (in.contains("unavailable")) r.input.unavailable = Strings(in["unavailable"]);

  const ojson& n = j["nms"];
  r.nms.suspicion = n["suspicion"].get<std::string>();
  r.nms.suspicion_rule = n["suspicion_rule"].get<std::string>();
  r.nms.iec.points = n["iec"]["points"].get<int>();
  r.nms.iec.max_possible = n["iec"]["max_possible"].get<int>();
  r.nms.iec.cutoff = n["iec"]["cutoff"].get<int>();
  r.nms.iec.meets_cutoff = n["iec"]["meets_cutoff"].get<bool>();
  r.nms.iec.could_meet_cutoff = n["iec"]["could_meet_cutoff"].get<bool>();
  for (const auto& c : n["iec"]["criteria"]) {
    r.nms.iec.criteria.push_back(Criterion{c["number"].get<int>(), c["id"].get<std::string>(), c["weight"].get<int>(),
                                           c["status"].get<std::string>(), Facts(c["evidence"])});
  }
  const ojson& cf = n["cardinal_features"];
  r.nms.cardinal_features.present_count = cf["present_count"].get<int>();
  r.nms.cardinal_features.unknown_count = cf["unknown_count"].get<int>();
  r.nms.cardinal_features.hyperthermia = FeatureOf(cf["hyperthermia"]);
  r.nms.cardinal_features.rigidity = FeatureOf(cf["rigidity"]);
  r.nms.cardinal_features.altered_mental_status = FeatureOf(cf["altered_mental_status"]);
  r.nms.cardinal_features.autonomic_dysfunction = FeatureOf(cf["autonomic_dysfunction"]);
  const ojson& wb = n["woodbury"];
  r.nms.woodbury.stage = wb["stage"].get<std::string>();
  r.nms.woodbury.label = wb["label"].get<std::string>();
  r.nms.woodbury.is_lower_bound = wb["is_lower_bound"].get<bool>();
  for (const auto& d : wb["drivers"]) {
    r.nms.woodbury.drivers.push_back(
        WoodburyDriver{d["dimension"].get<std::string>(), ValueOf(d["value"]), Str(d, "unit"), d["stage"].get<std::string>()});
  }
  const ojson& tr = n["trigger"];
  r.nms.trigger.type = tr["type"].get<std::string>();
  r.nms.trigger.pattern = tr["pattern"].get<std::string>();
  for (const auto& a : tr["agents"]) {
    r.nms.trigger.agents.push_back(TriggerAgent{a["name"].get<std::string>(), Str(a, "rxnorm"),
                                                a["class"].get<std::string>(), a["exposure"].get<std::string>(),
                                                OptTime(a, "last_exposure")});
  }

  const ojson& fn = j["febrile_neutropenia"];
  FebrileNeutropenia& f = r.febrile_neutropenia;
  f.status = fn["status"].get<std::string>();
  f.presumed = fn["presumed"].get<bool>();
  f.high_risk = fn["high_risk"].get<bool>();
  f.fever.status = fn["fever"]["status"].get<std::string>();
  f.fever.basis = fn["fever"]["basis"].get<std::string>();
  f.fever.max_c = OptNum(fn["fever"], "max_c");
  f.fever.at = OptTime(fn["fever"], "at");
  f.anc.status = fn["anc"]["status"].get<std::string>();
  f.anc.value_10e9_l = OptNum(fn["anc"], "value_10e9_l");
  f.anc.at = OptTime(fn["anc"], "at");
  f.anc.expected_to_fall = OptBool(fn["anc"], "expected_to_fall");
  f.profound = fn["profound"].get<std::string>();
  const ojson& m = fn["mascc"];
  if (m.contains("score")) f.mascc.score = m["score"].get<int>();
  if (m.contains("max_possible")) f.mascc.max_possible = m["max_possible"].get<int>();
  f.mascc.risk = m["risk"].get<std::string>();
  for (const auto& i : m["items"]) {
    f.mascc.items.push_back(MasccItem{i["id"].get<std::string>(), i["points"].get<int>(), i["status"].get<std::string>()});
  }

  r.hepatic.status = j["hepatic"]["status"].get<std::string>();
  r.hepatic.basis = Facts(j["hepatic"]["basis"]);
  r.renal.status = j["renal"]["status"].get<std::string>();
  r.renal.crcl_ml_min = OptNum(j["renal"], "crcl_ml_min");
  r.renal.dialysis = OptBool(j["renal"], "dialysis");
  r.renal.basis = Facts(j["renal"]["basis"]);

  const ojson& d = j["dantrolene"];
  r.dantrolene.decision = d["decision"].get<std::string>();
  r.dantrolene.reasons = Reasons(d["reasons"]);
  r.dantrolene.secondary_findings = Reasons(d["secondary_findings"]);
  if (d.contains("regimen")) {
    const ojson& g = d["regimen"];
    DantroleneRegimen x;
    x.indication = g["indication"].get<std::string>();
    x.weight_kg = OptNum(g, "weight_kg");
    x.initial_mg_per_kg = RangeOf(g["initial_mg_per_kg"]);
    x.initial_mg = OptRange(g, "initial_mg");
    x.initial_vials_20mg = OptRange(g, "initial_vials_20mg");
    x.repeat_mg_per_kg = Num(g["repeat_mg_per_kg"]);
    x.repeat_mg = OptNum(g, "repeat_mg");
    x.repeat_interval_h = OptNum(g, "repeat_interval_h");
    x.max_mg_per_kg_24h = Num(g["max_mg_per_kg_24h"]);
    x.max_mg_24h = OptNum(g, "max_mg_24h");
    x.given_mg_24h = OptNum(g, "given_mg_24h");
    x.remaining_mg_24h = OptNum(g, "remaining_mg_24h");
    x.reconstitution = g["reconstitution"].get<std::string>();
    x.access = g["access"].get<std::string>();
    x.stop_when = g["stop_when"].get<std::string>();
    x.text = g["text"].get<std::string>();
    r.dantrolene.regimen = x;
  }
  r.dantrolene.preconditions = Preconditions(d["preconditions"]);

  for (const auto& a : j["alternatives"]) {
    Alternative x;
    x.drug = a["drug"].get<std::string>();
    x.status = a["status"].get<std::string>();
    x.rank = a["rank"].get<int>();
    if (a.contains("regimen")) {
      const ojson& g = a["regimen"];
      x.regimen = AlternativeRegimen{g["route"].get<std::string>(), OptRange(g, "dose_mg"), OptRange(g, "interval_h"),
                                     OptNum(g, "max_daily_mg"), Str(g, "renal_band"), g["text"].get<std::string>()};
    }
    x.preconditions = Preconditions(a["preconditions"]);
    for (const auto& c : a["cautions"]) x.cautions.push_back(Caution{c["code"].get<std::string>(), c["text"].get<std::string>()});
    x.refs = Strings(a["refs"]);
    r.alternatives.push_back(std::move(x));
  }
  for (const auto& p : j["plan"]) r.plan.push_back(ItemOf(p));
  for (const auto& x : j["differential"]) {
    r.differential.push_back(DifferentialItem{x["condition"].get<std::string>(), x["status"].get<std::string>(),
                                              x["text"].get<std::string>(), Facts(x["basis"])});
  }
  for (const auto& p : j["monitoring"]) r.monitoring.push_back(ItemOf(p));
  for (const auto& w : j["warnings"]) {
    r.warnings.push_back(Warning{w["code"].get<std::string>(), w["severity"].get<std::string>(),
                                 w["text"].get<std::string>(), Facts(w["facts"]), Strings(w["refs"])});
  }
  for (const auto& x : j["notes"]) {
    r.notes.push_back(Note{x["id"].get<std::string>(), x["text"].get<std::string>(), Strings(x["refs"])});
  }
  for (const auto& x : j["missing_data"]) {
    r.missing_data.push_back(MissingItem{x["item"].get<std::string>(), x["blocking"].get<bool>(),
                                         Strings(x["needed_for"]), x["text"].get<std::string>()});
  }
  for (const auto& x : j["references"]) {
    r.references.push_back(Citation{x["id"].get<std::string>(), x["citation"].get<std::string>()});
  }
  return r;
}

inline Report ExampleReport() { return ReportFromJson(ojson::parse(ReadFile(ExampleReportPath()))); }

inline Fixed Dec(const char* text) {
  auto f = Fixed::Parse(text);
  if (!f) throw std::runtime_error(std::string("bad decimal ") + text);
  return *f;
}

// The example with every optional member of the schema set: a FHIR bundle with unavailable data, a
// dantrolene regimen with every member, an alternative regimen with every member.
inline Report FullReport() {
  Report r = ExampleReport();
  r.input.format = "fhir-bundle";
  r.input.bundle_type = "collection";
  r.input.unavailable = {"labs", "medications"};
  r.dantrolene.decision = "consider";
  r.dantrolene.reasons = {Reason{"indication_severe_rigidity", "DEC-6", "Severe rigidity.", {}, {"strawn-2007"}}};
  DantroleneRegimen g;
  g.indication = "nms";
  g.weight_kg = Dec("78");
  g.initial_mg_per_kg = Range{Dec("1"), Dec("2.5")};
  g.initial_mg = Range{Dec("78"), Dec("195")};
  g.initial_vials_20mg = Range{Dec("4"), Dec("10")};
  g.repeat_mg_per_kg = Dec("1");
  g.repeat_mg = Dec("78");
  g.repeat_interval_h = Dec("6");
  g.max_mg_per_kg_24h = Dec("10");
  g.max_mg_24h = Dec("780");
  g.given_mg_24h = Dec("0");
  g.remaining_mg_24h = Dec("780");
  g.reconstitution = "Reconstitute each 20 mg vial with 60 mL sterile water.";
  g.access = "Central or large-bore peripheral line.";
  g.stop_when = "Stop when rigidity and temperature improve.";
  g.text = "1-2.5 mg/kg IV (78-195 mg, 4-10 vials), then 1 mg/kg every 6 h, at most 10 mg/kg (780 mg) per 24 h.";
  r.dantrolene.regimen = g;
  r.dantrolene.preconditions = {Precondition{"secure_central_or_large_bore_access_first",
                                             "Secure central or large-bore peripheral access first."}};
  return r;
}

// The smallest valid report: eight IEC criteria and one reason (the schema's minimums), everything else
// empty or absent.
inline Report MinimalReport() {
  Report r;
  r.engine_version = "1.0.0";
  r.kb_version = "2026.11.0";
  r.kb_sha256 = std::string(64, 'a');
  r.patient_id = "p1";
  r.assessed_at = *ParseDateTime("2026-11-20T14:00:00Z");
  r.input.format = "nmscds-case";
  r.input.sha256 = std::string(64, '0');
  r.input.assessed_at_source = "input";
  r.nms.suspicion = "possible";
  r.nms.suspicion_rule = "clinician_suspected";
  r.nms.iec.cutoff = 74;
  r.nms.iec.max_possible = 100;
  r.nms.iec.could_meet_cutoff = true;
  const char* ids[] = {"exposure",     "hyperthermia",         "rigidity",        "mental_status",
                       "ck_elevation", "sympathetic_lability", "hypermetabolism", "negative_workup"};
  const int weights[] = {20, 18, 17, 13, 10, 10, 5, 7};
  for (int i = 0; i < 8; ++i) r.nms.iec.criteria.push_back(Criterion{i + 1, ids[i], weights[i], "unknown", {}});
  r.nms.cardinal_features.unknown_count = 4;
  for (Feature* f : {&r.nms.cardinal_features.hyperthermia, &r.nms.cardinal_features.rigidity,
                     &r.nms.cardinal_features.altered_mental_status, &r.nms.cardinal_features.autonomic_dysfunction}) {
    f->status = "unknown";
  }
  r.nms.woodbury.stage = "unknown";
  r.nms.woodbury.label = "stage unknown";
  r.nms.trigger.type = "unknown";
  r.nms.trigger.pattern = "unknown";
  r.febrile_neutropenia.status = "unknown";
  r.febrile_neutropenia.fever.status = "unknown";
  r.febrile_neutropenia.fever.basis = "no_readings";
  r.febrile_neutropenia.anc.status = "unknown";
  r.febrile_neutropenia.profound = "unknown";
  r.febrile_neutropenia.mascc.risk = "not_applicable";
  r.hepatic.status = "unknown";
  r.renal.status = "unknown";
  r.dantrolene.decision = "insufficient_data";
  r.dantrolene.reasons = {Reason{"hepatic_status_unknown", "DEC-5", "Liver status unknown.", {}, {}}};
  return r;
}

}  // namespace nmscds::testing
