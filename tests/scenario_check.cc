#include "scenario_check.h"

#include <algorithm>
#include <set>

namespace nmscds::testing {
namespace {

using nlohmann::json;

std::set<std::string> Codes(const json& arr, const char* key) {
  std::set<std::string> out;
  for (const auto& x : arr) out.insert(x.at(key).get<std::string>());
  return out;
}

std::string Show(const std::set<std::string>& s) {
  std::string out = "[";
  for (const auto& x : s) out += (out.size() > 1 ? ", " : "") + x;
  return out + "]";
}

const json* FindById(const json& arr, const std::string& id, const char* key = "id") {
  for (const auto& x : arr) {
    if (x.at(key) == id) return &x;
  }
  return nullptr;
}

// The plan and monitoring items together.
json AllItems(const json& r) {
  json all = json::array();
  for (const auto& x : r.at("plan")) all.push_back(x);
  for (const auto& x : r.at("monitoring")) all.push_back(x);
  return all;
}

std::vector<std::string> FactValues(const json& item, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& f : item.at("facts")) {
    if (f.at("name") == name) out.push_back(f.at("value").is_string() ? f.at("value").get<std::string>() : f.at("value").dump());
  }
  return out;
}

bool NumberEquals(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return std::abs(a.get<double>() - b.get<double>()) < 1e-9;
  return a == b;
}

}  // namespace

std::vector<std::string> CheckScenario(const json& r, const json& e) {
  std::vector<std::string> fail;
  auto expect = [&](bool ok, const std::string& what) {
    if (!ok) fail.push_back(what);
  };
  const json& dan = r.at("dantrolene");
  const json items = AllItems(r);
  if (e.contains("dantrolene_decision")) {
    expect(dan.at("decision") == e.at("dantrolene_decision"),
           "decision " + dan.at("decision").dump() + " != " + e.at("dantrolene_decision").dump());
  }
  auto reason_codes = [](const json& arr) {
    std::vector<std::string> v;
    for (const auto& x : arr) v.push_back(x.at("code"));
    return v;
  };
  if (e.contains("reasons")) {
    expect(reason_codes(dan.at("reasons")) == e.at("reasons").get<std::vector<std::string>>(),
           "reasons " + json(reason_codes(dan.at("reasons"))).dump() + " != " + e.at("reasons").dump());
  }
  if (e.contains("secondary_reasons")) {
    expect(reason_codes(dan.at("secondary_findings")) == e.at("secondary_reasons").get<std::vector<std::string>>(),
           "secondary " + json(reason_codes(dan.at("secondary_findings"))).dump() + " != " + e.at("secondary_reasons").dump());
  }
  if (e.contains("reasons_absent")) {
    auto all = reason_codes(dan.at("reasons"));
    auto sec = reason_codes(dan.at("secondary_findings"));
    all.insert(all.end(), sec.begin(), sec.end());
    for (const auto& c : e.at("reasons_absent")) {
      expect(std::find(all.begin(), all.end(), c.get<std::string>()) == all.end(), "reason present: " + c.dump());
    }
  }
  if (e.contains("preconditions")) {
    expect(Codes(dan.at("preconditions"), "code") == e.at("preconditions").get<std::set<std::string>>(),
           "preconditions " + Show(Codes(dan.at("preconditions"), "code")));
  }
  if (e.contains("suspicion")) expect(r["nms"]["suspicion"] == e["suspicion"], "suspicion " + r["nms"]["suspicion"].dump());
  if (e.contains("iec_points")) expect(r["nms"]["iec"]["points"] == e["iec_points"], "iec points " + r["nms"]["iec"]["points"].dump());
  if (e.contains("iec_max_possible")) {
    expect(r["nms"]["iec"]["max_possible"] == e["iec_max_possible"], "iec max " + r["nms"]["iec"]["max_possible"].dump());
  }
  if (e.contains("woodbury_stage")) {
    expect(r["nms"]["woodbury"]["stage"] == e["woodbury_stage"], "stage " + r["nms"]["woodbury"]["stage"].dump());
  }
  if (e.contains("fn_status")) {
    expect(r["febrile_neutropenia"]["status"] == e["fn_status"], "fn " + r["febrile_neutropenia"]["status"].dump());
  }
  if (e.contains("crcl_ml_min")) {
    const json& renal = r.at("renal");
    if (e["crcl_ml_min"] == "unknown") {
      expect(renal.at("status") == "unknown" && !renal.contains("crcl_ml_min"), "crcl should be unknown");
    } else {
      expect(renal.contains("crcl_ml_min") && NumberEquals(renal["crcl_ml_min"], e["crcl_ml_min"]),
             "crcl " + (renal.contains("crcl_ml_min") ? renal["crcl_ml_min"].dump() : std::string("absent")));
    }
  }
  if (e.contains("regimen")) {
    expect(dan.contains("regimen"), "regimen absent");
    if (dan.contains("regimen")) {
      for (const auto& [k, v] : e.at("regimen").items()) {
        const json& got = dan["regimen"];
        if (!got.contains(k)) {
          fail.push_back("regimen." + k + " absent");
        } else if (v.is_object()) {
          expect(NumberEquals(got[k]["low"], v["low"]) && NumberEquals(got[k]["high"], v["high"]),
                 "regimen." + k + " " + got[k].dump() + " != " + v.dump());
        } else {
          expect(NumberEquals(got[k], v), "regimen." + k + " " + got[k].dump() + " != " + v.dump());
        }
      }
    }
  }
  if (e.contains("regimen_absent") && dan.contains("regimen")) {
    for (const auto& k : e["regimen_absent"]) expect(!dan["regimen"].contains(k.get<std::string>()), "regimen has " + k.dump());
  }
  if (e.contains("plan")) {
    std::set<std::string> want, got;
    for (const auto& p : e["plan"]) want.insert(p["id"].get<std::string>() + ":" + p["status"].get<std::string>());
    for (const auto& p : items) got.insert(p["id"].get<std::string>() + ":" + p["status"].get<std::string>());
    expect(want == got, "plan " + Show(got) + " != " + Show(want));
  }
  if (e.contains("plan_absent")) {
    for (const auto& id : e["plan_absent"]) expect(!FindById(items, id), "plan has " + id.dump());
  }
  if (e.contains("plan_priority")) {
    for (const auto& [id, prio] : e["plan_priority"].items()) {
      const json* it = FindById(items, id);
      expect(it && (*it)["priority"] == prio, "priority of " + id + (it ? " is " + (*it)["priority"].dump() : " (absent)"));
    }
  }
  if (e.contains("plan_preconditions")) {
    for (const auto& [id, codes] : e["plan_preconditions"].items()) {
      const json* it = FindById(items, id);
      expect(it && FactValues(*it, "precondition") == codes.get<std::vector<std::string>>(), "preconditions of " + id);
    }
  }
  if (e.contains("warnings")) {
    std::set<std::string> got;
    for (const auto& w : r["warnings"]) {
      std::string code = w["code"];
      if (code.rfind("INPUT_", 0) != 0) got.insert(code);
    }
    expect(got == e["warnings"].get<std::set<std::string>>(), "warnings " + Show(got));
  }
  if (e.contains("warnings_absent")) {
    for (const auto& c : e["warnings_absent"]) expect(!FindById(r["warnings"], c, "code"), "warning present: " + c.dump());
  }
  if (e.contains("notes")) {
    for (const auto& n : e["notes"]) expect(FindById(r["notes"], n), "note missing: " + n.dump());
  }
  if (e.contains("notes_absent")) {
    for (const auto& n : e["notes_absent"]) expect(!FindById(r["notes"], n), "note present: " + n.dump());
  }
  if (e.contains("differential")) {
    for (const auto& [cond, status] : e["differential"].items()) {
      const json* d = FindById(r["differential"], cond, "condition");
      expect(d && (*d)["status"] == status, "differential " + cond + (d ? " is " + (*d)["status"].dump() : " absent"));
    }
  }
  if (e.contains("missing_data")) {
    for (const auto& m : e["missing_data"]) {
      const json* x = FindById(r["missing_data"], m["item"], "item");
      expect(x && (*x)["blocking"] == m["blocking"], "missing_data " + m.dump());
    }
  }
  if (!e.contains("facts")) return fail;
  for (const auto& [name, want] : e["facts"].items()) {
    auto plan_fact = [&](const char* id, const char* fact) {
      const json* it = FindById(items, id);
      return it ? FactValues(*it, fact) : std::vector<std::string>{"<no " + std::string(id) + ">"};
    };
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    auto want_list = [&]() { return sorted(want.get<std::vector<std::string>>()); };
    bool ok = true;
    std::string got;
    if (name == "iec_criteria") {
      for (const auto& [c, st] : want.items()) {
        int n = std::stoi(c.substr(1));
        ok = ok && r["nms"]["iec"]["criteria"][n - 1]["status"] == st;
      }
    } else if (name == "woodbury_drivers") {
      std::vector<std::string> dims;
      for (const auto& d : r["nms"]["woodbury"]["drivers"]) dims.push_back(d["dimension"]);
      ok = dims == want.get<std::vector<std::string>>();
      got = json(dims).dump();
    } else if (name == "woodbury_is_lower_bound") {
      ok = r["nms"]["woodbury"]["is_lower_bound"] == want;
    } else if (name == "anc_latest") {
      ok = NumberEquals(r["febrile_neutropenia"]["anc"].value("value_10e9_l", json()), want);
    } else if (name == "profound_neutropenia") {
      ok = (r["febrile_neutropenia"]["profound"] == "yes") == want.get<bool>();
    } else if (name == "mascc_points") {
      ok = r["febrile_neutropenia"]["mascc"].value("score", -1) == want.get<int>();
      got = r["febrile_neutropenia"]["mascc"].dump();
    } else if (name == "mascc_risk") {
      ok = r["febrile_neutropenia"]["mascc"]["risk"] == want;
    } else if (name == "fn_high_risk") {
      ok = r["febrile_neutropenia"]["high_risk"] == want;
    } else if (name == "fn_presumed") {
      ok = r["febrile_neutropenia"]["presumed"] == want;
    } else if (name == "stop_dopamine_antagonists_agents") {
      auto v = plan_fact("STOP_DOPAMINE_ANTAGONISTS", "d2_antagonist");
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "empiric_antibiotic_options") {
      std::vector<std::string> w;
      for (const auto& opt : want) {
        std::string s;
        for (const auto& a : opt) s += (s.empty() ? "" : " + ") + a.get<std::string>();
        w.push_back(s);
      }
      auto v = plan_fact("EMPIRIC_ANTIBIOTICS", "empiric_option");
      ok = sorted(v) == sorted(w);
      got = json(v).dump();
    } else if (name == "urine_output_target_ml_h" || name == "urine_output_target_ml_kg_h") {
      auto v = plan_fact("COOLING_AND_FLUIDS", name.c_str());
      ok = v.size() == 1 && NumberEquals(json::parse(v[0]), want);
      got = json(v).dump();
    } else if (name == "amantadine_dose_mg" || name == "amantadine_interval_h") {
      const json* a = FindById(r["alternatives"], "amantadine", "drug");
      const char* key = name == "amantadine_dose_mg" ? "dose_mg" : "interval_h";
      ok = a && (*a).contains("regimen") && (*a)["regimen"].contains(key) && NumberEquals((*a)["regimen"][key]["low"], want);
    } else if (name == "gcsf_factors") {
      auto v = plan_fact("GCSF", "gcsf_factor");
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "vancomycin_indications") {
      auto v = plan_fact("VANCOMYCIN", "vancomycin_indication");
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "alternatives_rule" || name == "preference_rule") {
      auto v = plan_fact(FindById(items, "BROMOCRIPTINE") ? "BROMOCRIPTINE" : "AMANTADINE", name.c_str());
      ok = v.size() == 1 && v[0] == want;
      got = json(v).dump();
    } else if (name == "hepatic_status") {
      ok = r["hepatic"]["status"] == want;
    } else if (name == "hepatic_reasons") {
      std::set<std::string> codes;
      for (const auto& x : dan["reasons"]) codes.insert(x["code"]);
      for (const auto& c : want) ok = ok && codes.count(c);
    } else if (name == "baseline_labs_tests") {
      auto v = plan_fact("BASELINE_LABS", "stale_lab");
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "mh_suspected") {
      const json* d = FindById(r["differential"], "malignant_hyperthermia", "condition");
      ok = d && ((*d)["status"] == "suspected") == want.get<bool>();
    } else if (name == "mh_trigger_agents") {
      const json* reason = FindById(dan["reasons"], "mh_trigger_within_24h", "code");
      std::vector<std::string> v;
      if (reason) for (const auto& f : (*reason)["facts"]) v.push_back(f["value"]);
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "trigger_type") {
      ok = r["nms"]["trigger"]["type"] == want;
    } else if (name == "nms_trigger") {
      ok = want == "absent" ? r["nms"]["trigger"]["type"] == "none" : r["nms"]["trigger"]["type"] != "none";
    } else if (name == "serotonergic_agents") {
      const json* w = FindById(r["warnings"], "SEROTONERGIC_OVERLAP", "code");
      std::vector<std::string> v;
      if (w) for (const auto& f : (*w)["facts"]) v.push_back(f["value"]);
      ok = sorted(v) == want_list();
      got = json(v).dump();
    } else if (name == "hunter_met" || name == "hunter_rules_met") {
      const json* d = FindById(r["differential"], "serotonin_syndrome", "condition");
      std::vector<std::string> rules;
      json met;
      if (d) {
        for (const auto& f : (*d)["basis"]) {
          if (f["name"] == "hunter_met") met = f["value"];
          std::string n = f["name"];
          if (n.rfind("hunter_h", 0) == 0 && f["value"] == true) rules.push_back("H" + n.substr(8));
        }
      }
      ok = name == "hunter_met" ? met == want : rules == want.get<std::vector<std::string>>();
      got = name == "hunter_met" ? met.dump() : json(rules).dump();
    } else if (name == "empiric_antibiotic_active") {
      ok = (!FindById(items, "EMPIRIC_ANTIBIOTICS")) == want.get<bool>();
    } else if (name == "dantrolene_prior_dose_leaves_window_at") {
      auto v = plan_fact("DANTROLENE", "dantrolene_prior_dose_leaves_window_at");
      ok = v.size() == 1 && v[0] == want;
      got = json(v).dump();
    } else if (name == "ck_uln" || name == "ck_uln_source" || name == "ck_ratio_max_72h") {
      const json& ev = r["nms"]["iec"]["criteria"][4]["evidence"];
      for (const auto& f : ev) {
        if (name == "ck_ratio_max_72h" && f["name"] == "ck_ratio_max_72h") ok = NumberEquals(f["value"], want);
        if (name == "ck_uln" && f["name"] == "ck") ok = NumberEquals(f.value("uln", json()), want);
        if (name == "ck_uln_source" && f["name"] == "ck") ok = f.value("uln_source", "") == want;
      }
      got = ev.dump();
    } else if (name == "antifungal_preferred" || name == "antifungal_idsa_conditions") {
      auto v = plan_fact("ANTIFUNGAL", name.c_str());
      ok = v.size() == 1 && v[0] == want;
      got = json(v).dump();
    } else {
      ok = false;
      got = "(no check for this fact)";
    }
    expect(ok, "fact " + name + " != " + want.dump() + (got.empty() ? "" : " (got " + got + ")"));
  }
  return fail;
}

}  // namespace nmscds::testing
