#pragma once
// Header-only helpers for the rule tables (tests/unit/rules_*_test.cc).
//
// Every table row starts from a complete, fully specified base case (by default conformance scenario
// S02 of clinical.md §16: haloperidol monotherapy, stage V, normal liver tests, central line, every
// finding known, complete medication and conditions lists, decision `consider`), changes one thing
// and checks the outputs the rule under test decides. T0 of every scenario is 2026-03-01T12:00:00Z.
//
// The expectations are written from the specification (clinical.md, interfaces.md), not from the
// engine source.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "nmscds/nmscds.h"
#include "test_util.h"

namespace nmscds::rules {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------------
// Time. T0 = 2026-03-01T12:00:00Z; offsets in seconds relative to T0 (negative = before T0).

inline constexpr std::int64_t kT0 = 1772366400;
inline constexpr std::int64_t Sec(std::int64_t s) { return s; }
inline constexpr std::int64_t Min(std::int64_t m) { return m * 60; }
inline constexpr std::int64_t Hr(std::int64_t h) { return h * 3600; }
inline constexpr std::int64_t Day(std::int64_t d) { return d * 86400; }

// RFC 3339 UTC time of T0 + offset.
inline std::string At(std::int64_t offset) {
  std::int64_t t = kT0 + offset;
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(rem / 3600),
                static_cast<long long>((rem % 3600) / 60), static_cast<long long>(rem % 60));
  return buf;
}

// ---------------------------------------------------------------------------------------------------
// Base cases.

inline const json& ScenarioCase(const std::string& name) {
  static std::map<std::string, json> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    const std::string path = testing::SharedDir() + "/spec/scenarios/" + name + ".json";
    it = cache.emplace(name, json::parse(testing::ReadFile(path))).first;
  }
  return it->second;
}

// S02: haloperidol monotherapy, consider (clinical §16).
inline json S02() { return ScenarioCase("S02"); }

// ---------------------------------------------------------------------------------------------------
// Case edits.

inline json& Obs(json& c) {
  if (!c.contains("observations")) c["observations"] = json::array();
  return c["observations"];
}

// Removes the observations of a kind (episode readings only unless `baseline_too`).
inline void RemoveObs(json& c, const std::string& kind, bool baseline_too = false) {
  json kept = json::array();
  for (const auto& o : Obs(c)) {
    const bool is_baseline = o.value("baseline", false);
    if (o.at("kind") == kind && (baseline_too || !is_baseline)) continue;
    kept.push_back(o);
  }
  c["observations"] = kept;
}

inline void RemoveBaseline(json& c, const std::string& kind) {
  json kept = json::array();
  for (const auto& o : Obs(c)) {
    if (o.at("kind") == kind && o.value("baseline", false)) continue;
    kept.push_back(o);
  }
  c["observations"] = kept;
}

inline json& AddObs(json& c, const std::string& kind, double value, const std::string& unit, std::int64_t offset,
                    json extra = json::object()) {
  json o = {{"kind", kind}, {"value", value}, {"unit", unit}, {"time", At(offset)}};
  for (auto it = extra.begin(); it != extra.end(); ++it) o[it.key()] = it.value();
  Obs(c).push_back(o);
  return Obs(c).back();
}

struct Reading {
  double value;
  std::int64_t offset;
};

// Replaces the episode series of one kind.
inline void SetSeries(json& c, const std::string& kind, const std::string& unit, const std::vector<Reading>& rs,
                      json extra = json::object()) {
  RemoveObs(c, kind);
  for (const auto& r : rs) AddObs(c, kind, r.value, unit, r.offset, extra);
}

// Temperatures in Cel, route oral unless told.
inline void SetTemps(json& c, const std::vector<Reading>& rs, const std::string& route = "oral") {
  SetSeries(c, "temperature", "Cel", rs, {{"route", route}});
}

inline void SetHr(json& c, const std::vector<Reading>& rs) { SetSeries(c, "heart_rate", "/min", rs); }

// Systolic/diastolic pairs at the same time.
inline void SetBp(json& c, const std::vector<std::pair<double, double>>& bp, const std::vector<std::int64_t>& times) {
  RemoveObs(c, "systolic_bp");
  RemoveObs(c, "diastolic_bp");
  for (size_t i = 0; i < bp.size(); ++i) {
    AddObs(c, "systolic_bp", bp[i].first, "mm[Hg]", times[i]);
    AddObs(c, "diastolic_bp", bp[i].second, "mm[Hg]", times[i]);
  }
}

inline void SetBaseline(json& c, const std::string& kind, double value, const std::string& unit) {
  RemoveBaseline(c, kind);
  AddObs(c, kind, value, unit, -Day(7), {{"baseline", true}});
}

// One laboratory value (replacing the kind's series) with an optional ULN.
inline void SetLab(json& c, const std::string& kind, double value, const std::string& unit, std::int64_t offset,
                   std::optional<double> uln) {
  RemoveObs(c, kind);
  json extra = json::object();
  if (uln) extra["reference_range"] = {{"high", *uln}};
  AddObs(c, kind, value, unit, offset, extra);
}

inline void SetFinding(json& c, const std::string& name, json value) { c["findings"][name] = std::move(value); }
inline void UnsetFinding(json& c, const std::string& name) {
  if (c.contains("findings")) c["findings"].erase(name);
}
inline void SetCtx(json& c, const std::string& name, json value) { c["context"][name] = std::move(value); }
inline void UnsetCtx(json& c, const std::string& name) {
  if (c.contains("context")) c["context"].erase(name);
}

inline void AddMed(json& c, json med) {
  if (!c.contains("medications")) c["medications"] = json::array();
  c["medications"].push_back(std::move(med));
}

inline void RemoveMed(json& c, const std::string& name) {
  json kept = json::array();
  for (const auto& m : c["medications"]) {
    if (m.at("name") != name) kept.push_back(m);
  }
  c["medications"] = kept;
}

// An active medication started `start` before T0 (no stop, no administrations).
inline json ActiveMed(const std::string& name, std::int64_t start) {
  return {{"name", name}, {"status", "active"}, {"start", At(start)}};
}

// A medication stopped at `stop` (started `start`).
inline json StoppedMed(const std::string& name, std::int64_t start, std::int64_t stop) {
  return {{"name", name}, {"status", "stopped"}, {"start", At(start)}, {"stop", At(stop)}};
}

// A completed medication with one administration.
inline json GivenOnce(const std::string& name, std::int64_t at, std::optional<double> dose_mg = std::nullopt) {
  json adm = {{"at", At(at)}};
  if (dose_mg) adm["dose_mg"] = *dose_mg;
  return {{"name", name}, {"status", "completed"}, {"administrations", json::array({adm})}};
}

inline void SetWeight(json& c, double kg, std::int64_t measured = -Day(1)) {
  c["patient"]["weight"] = {{"value", kg}, {"unit", "kg"}, {"measured_at", At(measured)}};
}

// Makes the autonomic cardinal feature (DF-08) known absent: no diaphoresis or incontinence, no global
// judgement, HR 90, BP 130/80 and 128/78 against a baseline of 125/80.
inline void AutonomicAbsent(json& c) {
  SetFinding(c, "diaphoresis", false);
  SetFinding(c, "urinary_incontinence", false);
  SetFinding(c, "autonomic_instability", false);
  SetHr(c, {{90, -Hr(6)}, {90, -Hr(1)}});
  SetBp(c, {{130, 80}, {128, 78}}, {-Hr(6), -Hr(1)});
}

// Woodbury step 1 candidate (§4.2): afebrile (tmax_72h < 38.0), autonomic dysfunction absent, mental status
// confused (known, not coma, not catatonic), catatonia absent, rigidity mild and tremor present => stage I.
inline void StageOneCase(json& c) {
  AutonomicAbsent(c);
  SetTemps(c, {{37.2, -Hr(6)}, {37.5, -Hr(1)}});
  SetFinding(c, "mental_status", "confused");
  SetFinding(c, "catatonia", false);
  SetFinding(c, "rigidity", "mild");
  SetFinding(c, "tremor", true);
}

// Makes FN present on S02 (fever is already present): ANC 0.3 x10^9/L, and every vancomycin indication
// and G-CSF factor known absent, penicillin allergy none, MASCC items known.
inline void MakeFn(json& c) {
  SetLab(c, "anc", 0.3, "10*9/L", -Hr(2), std::nullopt);
  for (const char* k : {"sepsis", "hemodynamically_unstable", "pneumonia", "gram_positive_bacteremia",
                        "suspected_catheter_infection", "skin_soft_tissue_infection", "mrsa_colonized",
                        "vre_colonized", "prsp_colonized", "severe_mucositis", "fluoroquinolone_prophylaxis",
                        "ceftazidime_empiric", "invasive_fungal_infection", "uncontrolled_primary_disease",
                        "previous_fungal_infection", "dehydration_requiring_iv_fluids", "copd"}) {
    SetCtx(c, k, false);
  }
  SetCtx(c, "hospitalized_at_fever_onset", false);
  SetCtx(c, "outpatient_at_fever_onset", true);
  SetCtx(c, "expected_neutropenia_days", 5);
  SetCtx(c, "penicillin_allergy", "none");
  SetCtx(c, "burden_of_illness", "moderate");
  SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
}

// ---------------------------------------------------------------------------------------------------
// Assessment.

inline const KnowledgeBase& Kb() {
  static std::shared_ptr<const KnowledgeBase> kb = [] {
    auto r = LoadKnowledgeBase("");
    if (!r.ok()) throw std::runtime_error("knowledge base does not load");
    return *r;
  }();
  return *kb;
}

// Assesses a case; on an input error returns {"error": [...messages]}.
inline json Run(const json& c) {
  auto r = Assess(c.dump(), Kb(), {});
  if (!r.ok()) {
    json e = json::array();
    for (const auto& i : r.error().issues) e.push_back(i.location + ": " + i.message);
    if (e.empty()) e.push_back(r.error().message);
    return {{"error", e}};
  }
  return json::parse(ReportToJson(*r, false));
}

// ---------------------------------------------------------------------------------------------------
// Probes: each reads one output of the report as a string.

struct Probe {
  std::string label;
  std::function<std::string(const json&)> read;
};

inline std::string Str(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

inline std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

inline std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

inline bool Contains(const std::string& hay, const std::string& needle) {
  return Lower(hay).find(Lower(needle)) != std::string::npos;
}

// Reads a dotted path ("nms.woodbury.stage", "iec.criteria.1.status"); "absent" when missing.
inline std::string PathValue(const json& r, const std::string& path) {
  const json* cur = &r;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (cur->is_array()) {
      size_t idx = std::stoul(key);
      if (idx >= cur->size()) return "absent";
      cur = &(*cur)[idx];
    } else if (cur->is_object() && cur->contains(key)) {
      cur = &(*cur)[key];
    } else {
      return "absent";
    }
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return Str(*cur);
}

inline Probe Path(const std::string& path) {
  return {path, [path](const json& r) { return PathValue(r, path); }};
}

inline std::vector<std::string> Codes(const json& arr, const char* key = "code") {
  std::vector<std::string> v;
  for (const auto& x : arr) v.push_back(x.at(key).get<std::string>());
  return v;
}

inline Probe Decision() { return Path("dantrolene.decision"); }
inline Probe Reasons() {
  return {"dantrolene.reasons", [](const json& r) { return Join(Codes(r.at("dantrolene").at("reasons"))); }};
}
inline Probe Secondary() {
  return {"dantrolene.secondary_findings",
          [](const json& r) { return Join(Codes(r.at("dantrolene").at("secondary_findings"))); }};
}
// "yes" when the code is among the deciding reasons or the secondary findings.
inline Probe AnyReason(const std::string& code) {
  return {"reason/secondary " + code, [code](const json& r) {
            auto a = Codes(r.at("dantrolene").at("reasons"));
            auto b = Codes(r.at("dantrolene").at("secondary_findings"));
            a.insert(a.end(), b.begin(), b.end());
            return std::find(a.begin(), a.end(), code) != a.end() ? std::string("yes") : std::string("no");
          }};
}
inline Probe Preconditions() {
  return {"dantrolene.preconditions", [](const json& r) { return Join(Codes(r.at("dantrolene").at("preconditions"))); }};
}
inline Probe Regimen(const std::string& member) { return Path("dantrolene.regimen." + member); }
inline Probe RegimenTextHas(const std::string& needle) {
  return {"dantrolene.regimen.text has '" + needle + "'", [needle](const json& r) {
            if (!r.at("dantrolene").contains("regimen")) return std::string("absent");
            return Contains(r.at("dantrolene").at("regimen").dump(), needle) ? std::string("yes") : std::string("no");
          }};
}

inline Probe Suspicion() { return Path("nms.suspicion"); }
inline Probe SuspicionRule() { return Path("nms.suspicion_rule"); }
inline Probe Cardinal(const std::string& feature) { return Path("nms.cardinal_features." + feature + ".status"); }
inline Probe CardinalCount() { return Path("nms.cardinal_features.present_count"); }
// IEC criterion C1..C8 status.
inline Probe Iec(int n) { return Path("nms.iec.criteria." + std::to_string(n - 1) + ".status"); }
inline Probe IecPoints() { return Path("nms.iec.points"); }
inline Probe IecMax() { return Path("nms.iec.max_possible"); }
inline Probe Stage() { return Path("nms.woodbury.stage"); }
inline Probe LowerBound() { return Path("nms.woodbury.is_lower_bound"); }
inline Probe Drivers() {
  return {"nms.woodbury.drivers", [](const json& r) {
            std::vector<std::string> v;
            for (const auto& d : r.at("nms").at("woodbury").at("drivers")) v.push_back(d.at("dimension"));
            return Join(v);
          }};
}
inline Probe Pattern() { return Path("nms.trigger.pattern"); }
inline Probe TriggerType() { return Path("nms.trigger.type"); }
// The exposure of one trigger agent, "absent" when not listed.
inline Probe Agent(const std::string& name) {
  return {"nms.trigger.agents[" + name + "].exposure", [name](const json& r) {
            for (const auto& a : r.at("nms").at("trigger").at("agents")) {
              if (a.at("name") == name) return a.at("exposure").get<std::string>();
            }
            return std::string("absent");
          }};
}

inline Probe FnStatus() { return Path("febrile_neutropenia.status"); }
inline Probe FnPresumed() { return Path("febrile_neutropenia.presumed"); }
inline Probe FnHighRisk() { return Path("febrile_neutropenia.high_risk"); }
inline Probe FnFever() { return Path("febrile_neutropenia.fever.status"); }
inline Probe FnFeverBasis() { return Path("febrile_neutropenia.fever.basis"); }
inline Probe AncStatus() { return Path("febrile_neutropenia.anc.status"); }
inline Probe AncValue() { return Path("febrile_neutropenia.anc.value_10e9_l"); }
inline Probe Profound() { return Path("febrile_neutropenia.profound"); }
inline Probe MasccRisk() { return Path("febrile_neutropenia.mascc.risk"); }
inline Probe Hepatic() { return Path("hepatic.status"); }
inline Probe Crcl() {
  return {"renal.crcl_ml_min", [](const json& r) {
            const json& renal = r.at("renal");
            if (renal.at("status") != "computed") return std::string("unknown");
            return Str(renal.at("crcl_ml_min"));
          }};
}

inline const json* FindItem(const json& r, const std::string& id) {
  for (const char* arr : {"plan", "monitoring"}) {
    for (const auto& x : r.at(arr)) {
      if (x.at("id") == id) return &x;
    }
  }
  return nullptr;
}
// Status of a plan or monitoring item; "absent" when it is not emitted.
inline Probe Plan(const std::string& id) {
  return {"plan " + id, [id](const json& r) {
            const json* x = FindItem(r, id);
            return x ? x->at("status").get<std::string>() : std::string("absent");
          }};
}
inline Probe Priority(const std::string& id) {
  return {"priority " + id, [id](const json& r) {
            const json* x = FindItem(r, id);
            return x ? x->at("priority").get<std::string>() : std::string("absent");
          }};
}
inline Probe PlanRule(const std::string& id) {
  return {"rule " + id, [id](const json& r) {
            const json* x = FindItem(r, id);
            return x ? x->at("rule").get<std::string>() : std::string("absent");
          }};
}
// "yes"/"no" whether the item's text contains `needle` (case-insensitive); "absent" without the item.
inline Probe PlanTextHas(const std::string& id, const std::string& needle) {
  return {"text " + id + " has '" + needle + "'", [id, needle](const json& r) {
            const json* x = FindItem(r, id);
            if (!x) return std::string("absent");
            return Contains(x->at("text").get<std::string>(), needle) ? std::string("yes") : std::string("no");
          }};
}
// Values of the item's facts with this name, joined.
inline Probe PlanFact(const std::string& id, const std::string& name) {
  return {"facts " + id + "." + name, [id, name](const json& r) {
            const json* x = FindItem(r, id);
            if (!x) return std::string("absent");
            std::vector<std::string> v;
            for (const auto& f : x->at("facts")) {
              if (f.at("name") == name) v.push_back(Str(f.at("value")));
            }
            return Join(v);
          }};
}

inline const json* FindAlt(const json& r, const std::string& drug) {
  for (const auto& a : r.at("alternatives")) {
    if (a.at("drug") == drug) return &a;
  }
  return nullptr;
}
inline Probe Alt(const std::string& drug) {
  return {"alternatives " + drug, [drug](const json& r) {
            const json* a = FindAlt(r, drug);
            return a ? a->at("status").get<std::string>() : std::string("absent");
          }};
}
inline Probe AltRank(const std::string& drug) {
  return {"rank " + drug, [drug](const json& r) {
            const json* a = FindAlt(r, drug);
            return a ? Str(a->at("rank")) : std::string("absent");
          }};
}
inline Probe AltBand(const std::string& drug) {
  return {"renal_band " + drug, [drug](const json& r) {
            const json* a = FindAlt(r, drug);
            if (!a) return std::string("absent");
            if (!a->contains("regimen") || !a->at("regimen").contains("renal_band")) return std::string("none");
            return a->at("regimen").at("renal_band").get<std::string>();
          }};
}
// "<dose low>-<dose high> q<interval low>h", or "no_dose".
inline Probe AltDose(const std::string& drug) {
  return {"dose " + drug, [drug](const json& r) {
            const json* a = FindAlt(r, drug);
            if (!a) return std::string("absent");
            if (!a->contains("regimen") || !a->at("regimen").contains("dose_mg")) return std::string("no_dose");
            const json& g = a->at("regimen");
            return Str(g.at("dose_mg").at("low")) + "-" + Str(g.at("dose_mg").at("high")) + " q" +
                   Str(g.at("interval_h").at("low")) + "h";
          }};
}
inline Probe AltPreconditions(const std::string& drug) {
  return {"preconditions " + drug, [drug](const json& r) {
            const json* a = FindAlt(r, drug);
            return a ? Join(Codes(a->at("preconditions"))) : std::string("absent");
          }};
}
inline Probe AltCaution(const std::string& drug, const std::string& code) {
  return {"caution " + drug + " " + code, [drug, code](const json& r) {
            const json* a = FindAlt(r, drug);
            if (!a) return std::string("absent");
            auto v = Codes(a->at("cautions"));
            return std::find(v.begin(), v.end(), code) != v.end() ? std::string("yes") : std::string("no");
          }};
}

// Severity of a warning; "absent" when not raised.
inline Probe Warning(const std::string& code) {
  return {"warning " + code, [code](const json& r) {
            for (const auto& w : r.at("warnings")) {
              if (w.at("code") == code) return w.at("severity").get<std::string>();
            }
            return std::string("absent");
          }};
}
inline Probe WarningTextHas(const std::string& code, const std::string& needle) {
  return {"warning " + code + " has '" + needle + "'", [code, needle](const json& r) {
            for (const auto& w : r.at("warnings")) {
              if (w.at("code") == code) return Contains(w.at("text").get<std::string>(), needle) ? std::string("yes") : std::string("no");
            }
            return std::string("absent");
          }};
}
inline Probe Note(const std::string& id) {
  return {"note " + id, [id](const json& r) {
            for (const auto& n : r.at("notes")) {
              if (n.at("id") == id) return std::string("present");
            }
            return std::string("absent");
          }};
}
// "blocking", "non_blocking" or "absent".
inline Probe Missing(const std::string& item) {
  return {"missing " + item, [item](const json& r) {
            for (const auto& m : r.at("missing_data")) {
              if (m.at("item") == item) return m.at("blocking").get<bool>() ? std::string("blocking") : std::string("non_blocking");
            }
            return std::string("absent");
          }};
}
inline Probe Diff(const std::string& condition) {
  return {"differential " + condition, [condition](const json& r) {
            for (const auto& d : r.at("differential")) {
              if (d.at("condition") == condition) return d.at("status").get<std::string>();
            }
            return std::string("absent");
          }};
}
inline Probe DiffBasis(const std::string& condition, const std::string& fact) {
  return {"differential " + condition + " basis " + fact, [condition, fact](const json& r) {
            for (const auto& d : r.at("differential")) {
              if (d.at("condition") != condition) continue;
              for (const auto& f : d.at("basis")) {
                if (f.at("name") == fact) return Str(f.at("value"));
              }
              return std::string("absent");
            }
            return std::string("absent");
          }};
}
// Value of a named fact among the deciding reasons and the secondary findings.
inline Probe ReasonFact(const std::string& code, const std::string& fact) {
  return {"reason " + code + " fact " + fact, [code, fact](const json& r) {
            for (const char* arr : {"reasons", "secondary_findings"}) {
              for (const auto& x : r.at("dantrolene").at(arr)) {
                if (x.at("code") != code) continue;
                for (const auto& f : x.at("facts")) {
                  if (f.at("name") == fact) return Str(f.at("value"));
                }
                return std::string("no_fact");
              }
            }
            return std::string("no_reason");
          }};
}

// ---------------------------------------------------------------------------------------------------
// Table rows.

using Edit = std::function<void(json&)>;

struct Expect {
  Probe probe;
  // The expected string; "!x" means "anything but x".
  std::string value;
};

struct Row {
  std::string rule;  // the specification rule id(s) the row isolates
  std::string name;  // what changes, as a test-name fragment
  Edit edit;
  std::vector<Expect> expect;
  std::function<json()> base = S02;
};

inline void PrintTo(const Row& row, std::ostream* os) { *os << row.rule << " " << row.name; }

inline std::string RowName(const ::testing::TestParamInfo<Row>& info) {
  std::string s = info.param.rule + "_" + info.param.name;
  for (auto& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return s;
}

inline void CheckRow(const Row& row) {
  json c = row.base();
  if (row.edit) row.edit(c);
  const json r = Run(c);
  ASSERT_FALSE(r.contains("error")) << row.rule << " " << row.name << ": input rejected: " << r["error"].dump();
  for (const auto& e : row.expect) {
    const std::string got = e.probe.read(r);
    const bool negated = !e.value.empty() && e.value[0] == '!';
    const bool ok = negated ? got != e.value.substr(1) : got == e.value;
    EXPECT_TRUE(ok) << "[" << row.rule << "] " << row.name << ": " << e.probe.label << "\n  expected: "
                    << (negated ? "anything but " + e.value.substr(1) : e.value) << "\n  got:      " << got;
  }
}

// Declares a table-driven suite: RULES_TABLE(RulesTemperature, kTemperatureRows).
#define NMSCDS_RULES_TABLE(Suite, rows)                                    \
  class Suite : public ::testing::TestWithParam<::nmscds::rules::Row> {}; \
  TEST_P(Suite, Row) { ::nmscds::rules::CheckRow(GetParam()); }           \
  INSTANTIATE_TEST_SUITE_P(Rules, Suite, ::testing::ValuesIn(rows), ::nmscds::rules::RowName)

}  // namespace nmscds::rules
