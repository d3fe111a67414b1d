// Pass 1 of the native case reader against its oracle (interfaces.md §3): python3-jsonschema with
// case.schema.json (Draft 2020-12) must accept a document if and only if pass 1 finds no problem.
//
// Thousands of documents are generated deterministically from the valid examples and scenarios: every
// member deleted in turn, every value replaced by values of other types and by boundary values, unknown
// members added to every object, enum literals swapped, every kind combined with every unit, and the
// conditional rules (route, GCS, anesthesia.at, condition code/system/text, dose_mg/dose_mg_per_kg) in all
// combinations. All documents go to one python process as NDJSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_dom.h"
#include "io/case_reader_internal.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;
using nmscds::testing::MakeTempDir;
using nmscds::testing::Python3;
using nmscds::testing::ReadFile;
using nmscds::testing::Run;
using nmscds::testing::SharedDir;
using nmscds::testing::ValidateAgainstSchema;
using nmscds::testing::WriteFile;

std::string SchemaPath() { return SharedDir() + "/spec/case.schema.json"; }

struct Mutant {
  std::string label;
  std::string doc;  // serialised JSON
};

class Generator {
 public:
  std::vector<Mutant> mutants;

  void Add(std::string label, const json& doc) { mutants.push_back({std::move(label), doc.dump()}); }

  static std::vector<json::json_pointer> Paths(const json& doc) {
    std::vector<json::json_pointer> out;
    std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& j,
                                                                            const json::json_pointer& p) {
      out.push_back(p);
      if (!p.empty() && p.back() == "extensions" && p.parent_pointer().empty()) return;  // free content
      if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) walk(it.value(), p / it.key());
      } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
      }
    };
    walk(doc, json::json_pointer());
    return out;
  }

  static void Erase(json& doc, const json::json_pointer& p) {
    json& parent = doc[p.parent_pointer()];
    if (parent.is_array()) {
      parent.erase(static_cast<std::size_t>(std::stoul(p.back())));
    } else {
      parent.erase(p.back());
    }
  }

  static bool IsTimeMember(const std::string& key) {
    static const std::set<std::string> kTimes = {"assessed_at", "episode_onset", "time", "start", "stop", "at",
                                                 "onset", "measured_at", "last_administered"};
    return kTimes.count(key) > 0 || key.ends_with("_at");
  }

  // Values to try in place of a string member, chosen by what the member holds.
  static std::vector<std::string> StringProbes(const std::string& key) {
    if (IsTimeMember(key)) {
      return {"2026-11-20T14:00:00",
              "2026-02-30T00:00:00Z",
              "2026-11-20T14:00:00.123456789+01:00",
              "2026-11-20T14:00:00.1234567890Z",
              "2026-11-20T14:00:00.Z",
              "2026-11-20T14:00:00+0100",
              "2026-11-20t14:00:00z",
              "2026-11-20 14:00:00Z",
              "2026-11-20T14:00Z",
              "2026-11-20",
              ""};
    }
    if (key == "birth_date") return {"1964-3-2", "1964-02-30", "19640302", "1964-03-02T00:00:00Z", ""};
    if (key == "id") return {"", "p 1", "p-1.A", std::string(64, 'a'), std::string(65, 'a'), "p_1", "\xC3\xA9"};
    if (key == "rxnorm") return {"", "0123456789", "01234567890", "12a", "-1", " 1"};
    if (key == "name" || key == "text" || key == "dose" || key == "indication" || key == "code") {
      return {"", "x", std::string(32, '7'), std::string(33, '7'), std::string(200, 'x'), std::string(201, 'x')};
    }
    return {"", "X", "none "};  // enum-valued members; schema literals are added separately
  }

  // Structural mutations of one base document; `stride` > 1 samples the paths.
  void Structural(const std::string& name, const json& base, const std::vector<std::string>& literals,
                  std::size_t stride = 1) {
    static const std::vector<json> kScalarTypeProbes = {nullptr, true, 0, 2.5, "x", json::array(), json::object()};
    static const std::vector<json> kBooleanTypeProbes = {nullptr, 0, "true"};
    static const std::vector<json> kNumberProbes = {-1, -0.5, 0, 0.0, 0.5, 1, 1.0, 2, 3, 14.5, 15, 16, 130, 130.5,
                                                    131, 365, 366, 366.5, 367, 1e300, -1e300, 100000, 100001};
    std::vector<json::json_pointer> paths = Paths(base);
    for (std::size_t pi = 0; pi < paths.size(); ++pi) {
      if (pi % stride != 0) continue;
      const json::json_pointer& p = paths[pi];
      const json& value = base[p];
      std::string where = name + " " + p.to_string();
      if (!p.empty()) {
        json d = base;
        Erase(d, p);
        Add(where + " deleted", d);
        for (const json& probe : value.is_boolean() ? kBooleanTypeProbes : kScalarTypeProbes) {
          if (probe.type() == value.type() || (probe.is_number() && value.is_number())) continue;
          json t = base;
          t[p] = probe;
          Add(where + " := " + probe.dump(), t);
        }
      }
      if (value.is_object()) {
        json d = base;
        d[p]["zz_unknown"] = 1;
        Add(where + " + unknown member", d);
        d = base;
        d[p]["route"] = "oral";  // allowed only on a temperature observation
        Add(where + " + route", d);
        if (!p.empty()) {
          d = base;
          d[p] = json::object();
          Add(where + " := {}", d);
        }
      } else if (value.is_array()) {
        json d = base;
        d[p] = json::array();
        Add(where + " := []", d);
        if (!value.empty()) {
          d = base;
          d[p].push_back(value[0]);
          Add(where + " + copy of first", d);
          d = base;
          d[p].push_back(42);
          Add(where + " + 42", d);
        }
      } else if (value.is_number()) {
        for (const json& probe : kNumberProbes) {
          json d = base;
          d[p] = probe;
          Add(where + " := " + probe.dump(), d);
        }
      } else if (value.is_string()) {
        std::string key = p.back();
        for (const std::string& probe : StringProbes(key)) {
          json d = base;
          d[p] = probe;
          Add(where + " := " + json(probe).dump().substr(0, 40), d);
        }
        if (!IsTimeMember(key) && key != "birth_date" && key != "id") {
          // Enum literals of the schema, a deterministic sample for each path.
          for (std::size_t k = 0; k < 8 && !literals.empty(); ++k) {
            const std::string& lit = literals[(pi * 7 + k * 13) % literals.size()];
            json d = base;
            d[p] = lit;
            Add(where + " := '" + lit + "'", d);
          }
        }
      } else if (value.is_boolean()) {
        json d = base;
        d[p] = !value.get<bool>();
        Add(where + " negated", d);
      }
    }
  }
};

// Every string in an `enum` or `const` of the schema.
std::vector<std::string> SchemaLiterals(const json& schema) {
  std::set<std::string> set;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "enum" && it.value().is_array()) {
          for (const json& v : it.value()) {
            if (v.is_string()) set.insert(v.get<std::string>());
          }
        } else if (it.key() == "const" && it.value().is_string()) {
          set.insert(it.value().get<std::string>());
        }
        walk(it.value());
      }
    } else if (j.is_array()) {
      for (const json& v : j) walk(v);
    }
  };
  walk(schema);
  return {set.begin(), set.end()};
}

// The complete example cut down to one observation of each shape and two medications, so that every
// mutation of it stays cheap to validate.
json CompactComplete(const json& complete) {
  json doc = complete;
  json obs = json::array();
  for (std::size_t i : {0u, 15u, 23u}) obs.push_back(complete["observations"][i]);  // route, GCS, range
  doc["observations"] = obs;
  doc["medications"] = json::array({complete["medications"][0], complete["medications"][5]});
  doc["procedures"] = json::array({{{"kind", "ect"}, {"time", "2026-11-18T08:00:00Z"}}});
  doc["context"]["anesthesia"] = {{"volatile_agent", true}, {"succinylcholine", false},
                                  {"at", "2026-11-20T07:00:00Z"}};
  doc["extensions"] = {{"note", "x"}};
  return doc;
}

void Combinations(Generator& g, const json& minimal, const json& schema) {
  // Every kind with every unit of every kind, with and without a route, and GCS values.
  std::vector<std::string> kinds;
  for (const json& k : schema["$defs"]["observation"]["properties"]["kind"]["enum"]) kinds.push_back(k);
  kinds.push_back("weight");
  std::set<std::string> unit_set = {"F", "mg/dl", "kg", "", "cel", "%"};
  for (const json& rule : schema["$defs"]["observation"]["allOf"]) {
    if (rule["then"]["properties"].contains("unit")) {
      for (const json& u : rule["then"]["properties"]["unit"]["enum"]) unit_set.insert(u.get<std::string>());
    }
  }
  for (const std::string& kind : kinds) {
    for (const std::string& unit : unit_set) {
      json d = minimal;
      d["observations"][0] = {{"kind", kind}, {"value", 12}, {"unit", unit}, {"time", "2026-11-20T09:00:00Z"}};
      g.Add("kind " + kind + " unit " + unit, d);
    }
    for (const json& route : {json("oral"), json("unknown"), json("ear"), json(1)}) {
      json d = minimal;
      d["observations"][0] = {{"kind", kind}, {"value", 37}, {"unit", "Cel"}, {"route", route},
                              {"time", "2026-11-20T09:00:00Z"}};
      g.Add("kind " + kind + " route " + route.dump(), d);
    }
  }
  for (const json& kind : {json(5), json(nullptr), json("temp")}) {
    json d = minimal;
    d["observations"][0]["kind"] = kind;
    d["observations"][0]["route"] = "oral";
    g.Add("kind " + kind.dump() + " with route", d);
  }
  for (const json& v : {json(2), json(3), json(3.0), json(14.5), json(15), json(15.0), json(16), json(-3),
                        json("12"), json(true), json(1e300)}) {
    json d = minimal;
    d["observations"][0] = {{"kind", "gcs"}, {"value", v}, {"unit", "{score}"}, {"time", "2026-11-20T09:00:00Z"}};
    g.Add("gcs value " + v.dump(), d);
  }
  // anesthesia: each flag in {absent, true, false, "true"} x at {absent, valid, invalid}.
  const std::vector<json> flag_values = {json(), json(true), json(false), json("true")};
  const std::vector<json> at_values = {json(), json("2026-11-20T07:00:00Z"), json("yesterday")};
  for (const json& va : flag_values) {
    for (const json& sc : flag_values) {
      for (const json& at : at_values) {
        json a = json::object();
        if (!va.is_null()) a["volatile_agent"] = va;
        if (!sc.is_null()) a["succinylcholine"] = sc;
        if (!at.is_null()) a["at"] = at;
        json d = minimal;
        d["context"] = {{"anesthesia", a}};
        g.Add("anesthesia " + a.dump(), d);
      }
    }
  }
  // conditions: every subset of {system, code, text, status, onset, unknown}.
  for (int mask = 0; mask < 64; ++mask) {
    json c = json::object();
    if (mask & 1) c["system"] = "http://snomed.info/sct";
    if (mask & 2) c["code"] = "91861009";
    if (mask & 4) c["text"] = "acute myeloid leukemia";
    if (mask & 8) c["status"] = "active";
    if (mask & 16) c["onset"] = "2026-11-02T00:00:00Z";
    if (mask & 32) c["zz"] = true;
    json d = minimal;
    d["conditions"] = json::array({c});
    g.Add("condition " + c.dump(), d);
  }
  // administrations: every subset of {at, dose_mg, dose_mg_per_kg} with several values.
  for (int mask = 0; mask < 8; ++mask) {
    for (const json& dose : {json(0), json(-1), json(2.5), json("10")}) {
      json a = json::object();
      if (mask & 1) a["at"] = "2026-11-20T08:00:00Z";
      if (mask & 2) a["dose_mg"] = dose;
      if (mask & 4) a["dose_mg_per_kg"] = dose;
      json d = minimal;
      d["medications"][0]["administrations"] = json::array({a});
      g.Add("administration " + a.dump(), d);
    }
  }
  // Quantities.
  for (const char* which : {"weight", "height"}) {
    for (const json& unit : {json("kg"), json("g"), json("[lb_av]"), json("cm"), json("m"), json("[in_i]"),
                             json("lb"), json(1)}) {
      for (const json& value : {json(0), json(0.1), json(-2), json(70), json("70")}) {
        json d = minimal;
        d["patient"][which] = {{"value", value}, {"unit", unit}};
        g.Add(std::string(which) + " " + value.dump() + " " + unit.dump(), d);
      }
    }
  }
  // Top-level roots of other types, format_version values.
  for (const json& root : {json(nullptr), json(1), json("x"), json::array(), json::object()}) g.Add("root " + root.dump(), root);
  for (const json& v : {json(1), json(1.0), json(2), json(0), json(true), json("1"), json(1.5)}) {
    json d = minimal;
    d["format_version"] = v;
    g.Add("format_version " + v.dump(), d);
  }
  // Code-point lengths (multi-byte and astral characters).
  for (int n : {199, 200, 201}) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i % 2 == 0) ? "\xC3\xA9" : "\xF0\x9F\x98\x80";
    json d = minimal;
    d["medications"][0]["name"] = s;
    g.Add("name of " + std::to_string(n) + " non-ASCII characters", d);
  }
  // Reference ranges.
  for (const json& range : {json::object(), json({{"low", 1}}), json({{"high", "2"}}), json({{"low", 3}, {"high", 1}}),
                            json({{"mid", 1}}), json::array()}) {
    json d = minimal;
    d["observations"][0]["reference_range"] = range;
    g.Add("reference_range " + range.dump(), d);
  }
}

struct OracleRun {
  std::vector<bool> valid;
  std::string error;
};

OracleRun RunOracle(const std::vector<Mutant>& mutants) {
  std::string dir = MakeTempDir("case-schema-oracle");
  std::string path = dir + "/mutants.ndjson";
  std::string ndjson;
  for (const Mutant& m : mutants) {
    ndjson += m.doc;
    ndjson += '\n';
  }
  WriteFile(path, ndjson);
  static const char* kScript =
      "import json,sys\n"
      "from jsonschema import Draft202012Validator\n"
      "v=Draft202012Validator(json.load(open(sys.argv[1])))\n"
      "out=[]\n"
      "for line in open(sys.argv[2], encoding='utf-8'):\n"
      "    out.append('1' if v.is_valid(json.loads(line)) else '0')\n"
      "sys.stdout.write(''.join(out))\n";
  auto r = Run({Python3(), "-c", kScript, SchemaPath(), path});
  OracleRun run;
  if (r.exit_code != 0 || r.out.size() != mutants.size()) {
    run.error = "python oracle failed (exit " + std::to_string(r.exit_code) + "): " + r.err;
    return run;
  }
  for (char c : r.out) run.valid.push_back(c == '1');
  std::filesystem::remove_all(dir);
  return run;
}

std::vector<Issue> Pass1(JsonParser& parser, const std::string& doc) {
  auto root = parser.Parse(doc);
  if (!root.ok()) return {Issue{"parse", "", "", root.error().issues.empty() ? "" : root.error().issues[0].message}};
  return internal::CheckCaseSchema(*root);
}

TEST(CaseSchemaOracle, PassOneAcceptsExactlyWhatTheSchemaAccepts) {
  json schema = json::parse(ReadFile(SchemaPath()));
  std::vector<std::string> literals = SchemaLiterals(schema);
  json minimal = json::parse(ReadFile(SharedDir() + "/spec/examples/case-minimal.json"));
  json complete = json::parse(ReadFile(SharedDir() + "/spec/examples/case-fn-polypharmacy.json"));

  Generator g;
  g.Add("minimal", minimal);
  g.Add("complete", complete);
  g.Structural("minimal", minimal, literals);
  g.Structural("compact", CompactComplete(complete), literals);
  Combinations(g, minimal, schema);
  // The scenarios: valid as written, and a sample of mutations of each.
  std::vector<std::string> scenarios;
  for (const auto& e : std::filesystem::directory_iterator(SharedDir() + "/spec/scenarios")) {
    std::string n = e.path().filename().string();
    if (n.size() == 8 && n[0] == 'S' && n.ends_with(".json")) scenarios.push_back(e.path().string());
  }
  std::sort(scenarios.begin(), scenarios.end());
  for (const std::string& s : scenarios) {
    json doc = json::parse(ReadFile(s));
    std::string name = std::filesystem::path(s).filename().string();
    g.Add(name, doc);
    // Cut down (the schema's per-kind rules make each observation costly to validate), then sampled.
    if (doc.contains("observations") && doc["observations"].size() > 3) {
      doc["observations"] = json(std::vector<json>(doc["observations"].begin(), doc["observations"].begin() + 3));
    }
    if (doc.contains("medications") && doc["medications"].size() > 2) {
      doc["medications"] = json(std::vector<json>(doc["medications"].begin(), doc["medications"].begin() + 2));
    }
    g.Structural(name, doc, literals, /*stride=*/7);
  }

  const std::vector<Mutant>& mutants = g.mutants;
  ASSERT_GE(mutants.size(), 2000u);
  OracleRun oracle = RunOracle(mutants);
  ASSERT_TRUE(oracle.error.empty()) << oracle.error;
  ASSERT_EQ(oracle.valid.size(), mutants.size());

  JsonParser parser;
  int mismatches = 0, accepted = 0;
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    std::vector<Issue> issues = Pass1(parser, mutants[i].doc);
    bool ours = issues.empty();
    accepted += ours;
    if (ours == oracle.valid[i]) continue;
    if (++mismatches > 15) continue;
    std::string detail;
    for (const Issue& is : issues) detail += "\n    ours: " + is.code + " " + is.location + ": " + is.message;
    if (ours) detail += "\n    schema: " + ValidateAgainstSchema(mutants[i].doc, SchemaPath());
    ADD_FAILURE() << "mismatch for [" << mutants[i].label << "]: reader " << (ours ? "accepts" : "rejects")
                  << ", schema " << (oracle.valid[i] ? "accepts" : "rejects") << detail << "\n    document: "
                  << mutants[i].doc.substr(0, 600);
  }
  EXPECT_EQ(mismatches, 0) << "of " << mutants.size() << " documents";
  // Both outcomes are well represented.
  EXPECT_GT(accepted, 300);
  EXPECT_GT(static_cast<int>(mutants.size()) - accepted, 1000);
  RecordProperty("documents", static_cast<int>(mutants.size()));
  RecordProperty("accepted", accepted);
}

// Every rejection names a JSON pointer that exists in the document, or the place of a missing member.
TEST(CaseSchemaOracle, IssuesPointIntoTheDocument) {
  json minimal = json::parse(ReadFile(SharedDir() + "/spec/examples/case-minimal.json"));
  json complete = json::parse(ReadFile(SharedDir() + "/spec/examples/case-fn-polypharmacy.json"));
  json schema = json::parse(ReadFile(SchemaPath()));
  Generator g;
  g.Structural("compact", CompactComplete(complete), SchemaLiterals(schema));
  Combinations(g, minimal, schema);
  JsonParser parser;
  for (const Mutant& m : g.mutants) {
    json doc = json::parse(m.doc);
    for (const Issue& is : Pass1(parser, m.doc)) {
      EXPECT_EQ(is.location_type, "json_pointer");
      json::json_pointer p(is.location);
      bool exists = doc.contains(p);
      bool parent_exists = !p.empty() && doc.contains(p.parent_pointer());
      EXPECT_TRUE(exists || (is.code == "missing_required" && parent_exists))
          << m.label << ": " << is.code << " " << is.location;
    }
  }
}

// The schema's member lists match the reader's (a member added to one and not the other is caught here
// even when no example uses it).
TEST(CaseSchemaOracle, EveryDefinedMemberIsAccepted) {
  json schema = json::parse(ReadFile(SchemaPath()));
  json minimal = json::parse(ReadFile(SharedDir() + "/spec/examples/case-minimal.json"));
  JsonParser parser;
  auto check = [&](const json& doc, const std::string& what) {
    std::vector<Issue> issues = Pass1(parser, doc.dump());
    for (const Issue& is : issues) {
      EXPECT_NE(is.code, "unknown_member") << what << ": " << is.location;
    }
  };
  for (auto it = schema["$defs"]["findings"]["properties"].begin(); it != schema["$defs"]["findings"]["properties"].end(); ++it) {
    json d = minimal;
    d["findings"][it.key()] = true;
    check(d, "findings." + it.key());
  }
  for (auto it = schema["$defs"]["context"]["properties"].begin(); it != schema["$defs"]["context"]["properties"].end(); ++it) {
    json d = minimal;
    d["context"][it.key()] = true;
    check(d, "context." + it.key());
  }
  for (auto it = schema["$defs"]["medication"]["properties"].begin(); it != schema["$defs"]["medication"]["properties"].end(); ++it) {
    json d = minimal;
    d["medications"][0][it.key()] = true;
    check(d, "medication." + it.key());
  }
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
    json d = minimal;
    d[it.key()] = true;
    check(d, it.key());
  }
}

// Documented difference: python's re.search lets '$' match before a final newline; JSON Schema patterns
// are ECMA-262 regular expressions, where it does not. The reader follows ECMA-262.
TEST(CaseSchemaOracle, PatternsDoNotAcceptATrailingNewline) {
  json minimal = json::parse(ReadFile(SharedDir() + "/spec/examples/case-minimal.json"));
  JsonParser parser;
  json d = minimal;
  d["patient"]["id"] = "p-min-001\n";
  EXPECT_FALSE(Pass1(parser, d.dump()).empty());
  d = minimal;
  d["assessed_at"] = "2026-11-20T09:15:00Z\n";
  EXPECT_FALSE(Pass1(parser, d.dump()).empty());
}

}  // namespace
}  // namespace nmscds
