// ReportToJson (interfaces.md §5, report.schema.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "nmscds/nmscds.h"
#include "unit/report_fixture.h"

namespace nmscds::testing {
namespace {

// Resolves "$ref": "#/$defs/<name>" against the schema root.
const ojson& Resolve(const ojson& root, const ojson& node) {
  if (node.is_object() && node.contains("$ref")) {
    std::string ref = node["$ref"].get<std::string>();
    const std::string prefix = "#/$defs/";
    return Resolve(root, root["$defs"][ref.substr(prefix.size())]);
  }
  return node;
}

// Every object's members must appear in the order of the schema's `properties` (interfaces.md §5.1) and be
// declared there.
void CheckMemberOrder(const ojson& root, const ojson& schema_node, const ojson& doc, const std::string& path,
                      int& objects_checked) {
  const ojson& schema = Resolve(root, schema_node);
  if (doc.is_object()) {
    ASSERT_TRUE(schema.contains("properties")) << path;
    const ojson& props = schema["properties"];
    std::vector<std::string> order;
    for (auto it = props.begin(); it != props.end(); ++it) order.push_back(it.key());
    std::size_t last = 0;
    bool first = true;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      auto pos = std::find(order.begin(), order.end(), it.key());
      ASSERT_NE(pos, order.end()) << path << "/" << it.key() << " is not in the schema";
      auto index = static_cast<std::size_t>(pos - order.begin());
      EXPECT_TRUE(first || index > last) << path << "/" << it.key() << " is out of order";
      first = false;
      last = index;
      CheckMemberOrder(root, props[it.key()], it.value(), path + "/" + it.key(), objects_checked);
    }
    ++objects_checked;
  } else if (doc.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < doc.size(); ++i) {
      CheckMemberOrder(root, schema["items"], doc[i], path + "/" + std::to_string(i), objects_checked);
    }
  }
}

void CheckOrderAgainstSchema(const std::string& json) {
  ojson schema = ojson::parse(ReadFile(ReportSchemaPath()));
  ojson doc = ojson::parse(json);
  int objects = 0;
  CheckMemberOrder(schema, schema, doc, "", objects);
  EXPECT_GT(objects, 10);
}

// True when `json` has no whitespace outside string literals.
bool HasNoInsignificantWhitespace(const std::string& json) {
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      return false;
    }
  }
  return true;
}

// The compact JSON of one Fact as written inside a report.
std::string CompactFact(const Fact& f) {
  Report r = MinimalReport();
  r.hepatic.basis = {f};
  std::string json = ReportToJson(r, false);
  std::string key = "\"hepatic\":{\"status\":\"unknown\",\"basis\":[";
  auto start = json.find(key);
  if (start == std::string::npos) return "<hepatic not found>";
  start += key.size();
  auto end = json.find("]}", start);
  return json.substr(start, end - start);
}

TEST(ReportJson, ExampleRoundTripsInContentAndOrder) {
  // The specification's example, read into a Report and written again, gives the same document with the
  // same member order (ordered_json compares object members in order).
  ojson expected = ojson::parse(ReadFile(ExampleReportPath()));
  ojson actual = ojson::parse(ReportToJson(ExampleReport(), true));
  EXPECT_EQ(actual.dump(2), expected.dump(2));
  EXPECT_TRUE(actual == expected);
}

TEST(ReportJson, FullReportValidatesPrettyAndCompact) {
  Report r = FullReport();
  std::string pretty = ReportToJson(r, true);
  std::string compact = ReportToJson(r, false);
  EXPECT_EQ(ValidateAgainstSchema(pretty, ReportSchemaPath()), "");
  EXPECT_EQ(ValidateAgainstSchema(compact, ReportSchemaPath()), "");
  EXPECT_EQ(ojson::parse(pretty), ojson::parse(compact));
  CheckOrderAgainstSchema(pretty);
}

TEST(ReportJson, FullReportWritesEveryOptionalMember) {
  std::string json = ReportToJson(FullReport(), false);
  for (const char* fragment : {
           "\"input\":{\"format\":\"fhir-bundle\",\"sha256\":",
           "\"bundle_type\":\"collection\",\"assessed_at_source\":\"input\",\"counts\":{\"read\":40,\"used\":39,"
           "\"ignored\":1},\"ignored\":[{\"kind\":\"medications\",\"reason\":\"not_in_knowledge_base\",\"count\":1}],"
           "\"unavailable\":[\"labs\",\"medications\"]}",
           "\"regimen\":{\"indication\":\"nms\",\"route\":\"IV\",\"weight_kg\":78,\"initial_mg_per_kg\":{\"low\":1,"
           "\"high\":2.5},\"initial_mg\":{\"low\":78,\"high\":195},\"initial_vials_20mg\":{\"low\":4,\"high\":10},"
           "\"repeat_mg_per_kg\":1,\"repeat_mg\":78,\"repeat_interval_h\":6,\"max_mg_per_kg_24h\":10,"
           "\"max_mg_24h\":780,\"given_mg_24h\":0,\"remaining_mg_24h\":780,\"reconstitution\":",
           "\"preconditions\":[{\"code\":\"secure_central_or_large_bore_access_first\",",
           "\"renal\":{\"status\":\"computed\",\"method\":\"cockcroft_gault\",\"crcl_ml_min\":65,\"dialysis\":false,",
           "{\"name\":\"alt\",\"value\":88,\"unit\":\"U/L\",\"at\":\"2026-11-20T12:00:00Z\",\"source\":"
           "\"/observations/17\",\"uln\":56,\"uln_source\":\"reference_range\"}",
           "{\"name\":\"metoclopramide\",\"rxnorm\":\"6915\",\"class\":\"antiemetic_prokinetic\",\"exposure\":"
           "\"active\",\"last_exposure\":\"2026-11-20T14:00:00Z\"}",
           "\"fever\":{\"status\":\"present\",\"basis\":\"single_reading_ge_38_3\",\"max_c\":39.44,\"at\":"
           "\"2026-11-20T13:30:00Z\"}",
           "\"anc\":{\"status\":\"neutropenic\",\"value_10e9_l\":0.08,\"at\":\"2026-11-20T12:00:00Z\","
           "\"expected_to_fall\":true}",
           "\"mascc\":{\"score\":13,\"max_possible\":13,\"risk\":\"high\",\"items\":[",
           "{\"dimension\":\"heart_rate\",\"value\":124,\"unit\":\"/min\",\"stage\":\"V\"}",
           "\"regimen\":{\"route\":\"PO/NG\",\"dose_mg\":{\"low\":100,\"high\":200},\"interval_h\":{\"low\":12,"
           "\"high\":12},\"max_daily_mg\":400,\"renal_band\":\"crcl_ge_50\",\"text\":",
           "{\"step\":1,\"id\":\"STOP_DOPAMINE_ANTAGONISTS\",\"priority\":\"immediate\",\"status\":\"recommended\","
           "\"rule\":\"P-STOP\",\"text\":",
           "\"monitoring\":[{\"id\":\"VITALS_CONTINUOUS\",\"priority\":\"immediate\",\"status\":\"recommended\","
           "\"rule\":\"P-MON-V\",\"text\":",
       }) {
    EXPECT_NE(json.find(fragment), std::string::npos) << fragment;
  }
}

TEST(ReportJson, MinimalReportValidatesAndOmitsOptionals) {
  Report r = MinimalReport();
  std::string pretty = ReportToJson(r, true);
  std::string compact = ReportToJson(r, false);
  EXPECT_EQ(ValidateAgainstSchema(pretty, ReportSchemaPath()), "");
  EXPECT_EQ(ValidateAgainstSchema(compact, ReportSchemaPath()), "");
  CheckOrderAgainstSchema(pretty);

  for (const char* absent : {"bundle_type", "unavailable", "crcl_ml_min", "dialysis", "max_c", "value_10e9_l",
                             "expected_to_fall", "\"score\"", "\"max_possible\":0", "\"regimen\"", "\"at\"",
                             "\"unit\"", "\"source\"", "\"uln\"", "\"rxnorm\"", "last_exposure", "null"}) {
    EXPECT_EQ(compact.find(absent), std::string::npos) << absent;
  }
  for (const char* fragment : {
           "\"input\":{\"format\":\"nmscds-case\",\"sha256\":\"0000000000000000000000000000000000000000000000000000"
           "000000000000\",\"assessed_at_source\":\"input\",\"counts\":{\"read\":0,\"used\":0,\"ignored\":0},"
           "\"ignored\":[]}",
           "\"fever\":{\"status\":\"unknown\",\"basis\":\"no_readings\"}",
           "\"anc\":{\"status\":\"unknown\"}",
           "\"mascc\":{\"risk\":\"not_applicable\",\"items\":[]}",
           "\"hepatic\":{\"status\":\"unknown\",\"basis\":[]}",
           "\"renal\":{\"status\":\"unknown\",\"method\":\"cockcroft_gault\",\"basis\":[]}",
           "\"dantrolene\":{\"decision\":\"insufficient_data\",\"reasons\":[{\"code\":\"hepatic_status_unknown\","
           "\"rule\":\"DEC-5\",\"text\":\"Liver status unknown.\",\"facts\":[],\"refs\":[]}],"
           "\"secondary_findings\":[],\"preconditions\":[]}",
           "\"woodbury\":{\"stage\":\"unknown\",\"label\":\"stage unknown\",\"is_lower_bound\":false,\"drivers\":[]}",
           "\"trigger\":{\"type\":\"unknown\",\"pattern\":\"unknown\",\"agents\":[]}",
           "\"alternatives\":[],\"plan\":[],\"differential\":[],\"monitoring\":[],\"warnings\":[],\"notes\":[],"
           "\"missing_data\":[],\"references\":[]}",
       }) {
    EXPECT_NE(compact.find(fragment), std::string::npos) << fragment;
  }
}

TEST(ReportJson, PrettyLayout) {
  std::string pretty = ReportToJson(MinimalReport(), true);
  EXPECT_EQ(pretty.rfind("{\n  \"report_format\": \"nmscds-report\",\n  \"report_version\": 1,\n  \"engine\": {\n"
                         "    \"name\": \"nmscds\",\n    \"version\": \"1.0.0\"\n  },\n  \"knowledge_base\": {\n",
                         0),
            0u);
  EXPECT_NE(pretty.find("\n  \"assessed_at\": \"2026-11-20T14:00:00Z\",\n"), std::string::npos);
  EXPECT_NE(pretty.find("\n      \"criteria\": [\n        {\n          \"number\": 1,\n"), std::string::npos);
  EXPECT_NE(pretty.find("\n          \"evidence\": []\n        },\n"), std::string::npos);
  EXPECT_NE(pretty.find("\n    \"secondary_findings\": [],\n"), std::string::npos);
  EXPECT_NE(pretty.find("\n  \"references\": []\n}\n"), std::string::npos);
  ASSERT_FALSE(pretty.empty());
  EXPECT_EQ(pretty.back(), '\n');
  EXPECT_NE(pretty[pretty.size() - 2], '\n');
  EXPECT_EQ(pretty.find('\t'), std::string::npos);
  EXPECT_EQ(pretty.find(" \n"), std::string::npos);  // no trailing spaces
}

TEST(ReportJson, CompactLayout) {
  for (const Report& r : {MinimalReport(), FullReport()}) {
    std::string compact = ReportToJson(r, false);
    EXPECT_TRUE(HasNoInsignificantWhitespace(compact));
    ASSERT_FALSE(compact.empty());
    EXPECT_EQ(compact.back(), '}');
  }
  EXPECT_EQ(ReportToJson(MinimalReport(), false)
                .rfind("{\"report_format\":\"nmscds-report\",\"report_version\":1,\"engine\":{\"name\":\"nmscds\","
                       "\"version\":\"1.0.0\"},\"knowledge_base\":{\"version\":\"2026.11.0\",\"sha256\":\"",
                       0),
            0u);
}

TEST(ReportJson, NumberFormatting) {
  auto fact = [](const char* value) { return Fact{"x", Value::Num(Dec(value)), "", std::nullopt, "", {}, ""}; };
  EXPECT_EQ(CompactFact(fact("39.00")), R"({"name":"x","value":39})");
  EXPECT_EQ(CompactFact(fact("0.080")), R"({"name":"x","value":0.08})");
  EXPECT_EQ(CompactFact(fact("66.6")), R"({"name":"x","value":66.6})");
  EXPECT_EQ(CompactFact(fact("-0")), R"({"name":"x","value":0})");
  EXPECT_EQ(CompactFact(fact("-0.0000001")), R"({"name":"x","value":0})");
  EXPECT_EQ(CompactFact(fact("-2.50")), R"({"name":"x","value":-2.5})");
  EXPECT_EQ(CompactFact(fact("1e3")), R"({"name":"x","value":1000})");
  EXPECT_EQ(CompactFact(fact("0.000001")), R"({"name":"x","value":0.000001})");
  EXPECT_EQ(CompactFact(fact("123456789")), R"({"name":"x","value":123456789})");
  Fact with_uln{"ck", Value::Num(Dec("2850.0")), "U/L", std::nullopt, "", Dec("200.000"), "default"};
  EXPECT_EQ(CompactFact(with_uln), R"({"name":"ck","value":2850,"unit":"U/L","uln":200,"uln_source":"default"})");
  // Integers are written without a point.
  Report r = MinimalReport();
  r.nms.iec.points = 0;
  std::string json = ReportToJson(r, false);
  EXPECT_NE(json.find("\"iec\":{\"points\":0,\"max_possible\":100,\"cutoff\":74,\"meets_cutoff\":false,"
                      "\"could_meet_cutoff\":true,\"criteria\":[{\"number\":1,\"id\":\"exposure\",\"weight\":20,"),
            std::string::npos);
}

TEST(ReportJson, ValueTypesAndTimes) {
  EXPECT_EQ(CompactFact(Fact{"b", Value::Bool(true), "", std::nullopt, "", {}, ""}), R"({"name":"b","value":true})");
  EXPECT_EQ(CompactFact(Fact{"b", Value::Bool(false), "", std::nullopt, "", {}, ""}), R"({"name":"b","value":false})");
  EXPECT_EQ(CompactFact(Fact{"s", Value::Unknown(), "", std::nullopt, "", {}, ""}), R"({"name":"s","value":"unknown"})");
  Fact timed{"t", Value::Int(7), "Cel", *ParseDateTime("2026-02-28T23:59:59+00:00"), "/observations/0", {}, ""};
  EXPECT_EQ(CompactFact(timed),
            R"({"name":"t","value":7,"unit":"Cel","at":"2026-02-28T23:59:59Z","source":"/observations/0"})");
  Fact offset{"t", Value::Int(7), "", *ParseDateTime("2026-03-01T01:30:00+02:00"), "", {}, ""};
  EXPECT_EQ(CompactFact(offset), R"({"name":"t","value":7,"at":"2026-02-28T23:30:00Z"})");
}

TEST(ReportJson, StringEscaping) {
  Fact f{"s", Value::Str(std::string("q\"b\\s/ \x01\x1f\x7f \b\f\n\r\t \xC2\xB0" "C \xC3\xA9")), "", std::nullopt,
         "", {}, ""};
  EXPECT_EQ(CompactFact(f), "{\"name\":\"s\",\"value\":\"q\\\"b\\\\s/ \\u0001\\u001f\x7f \\b\\f\\n\\r\\t "
                            "\xC2\xB0" "C \xC3\xA9\"}");
  Report r = MinimalReport();
  r.warnings.push_back(Warning{"UNIT_UNSUPPORTED", "info", "Unit \"mmol/L\" for a\\b.\x1b", {}, {}});
  std::string json = ReportToJson(r, false);
  EXPECT_NE(json.find(R"("text":"Unit \"mmol/L\" for a\\b.\u001b")"), std::string::npos) << json;
  EXPECT_EQ(ValidateAgainstSchema(json, ReportSchemaPath()), "");
}

TEST(ReportJson, MonitoringItemsHaveNoStepAndPlanItemsDo) {
  Report r = MinimalReport();
  PlanItem item{2, "BASELINE_LABS", "urgent", "recommended", "P-LABS", "Labs.", {}, {"strawn-2007"}};
  r.plan.push_back(item);
  PlanItem mon{0, "LFT_DAILY", "routine", "recommended", "P-MON-LFT", "LFTs.", {}, {}};
  r.monitoring.push_back(mon);
  std::string json = ReportToJson(r, false);
  EXPECT_NE(json.find(R"("plan":[{"step":2,"id":"BASELINE_LABS","priority":"urgent","status":"recommended",)"
                      R"("rule":"P-LABS","text":"Labs.","facts":[],"refs":["strawn-2007"]}])"),
            std::string::npos);
  EXPECT_NE(json.find(R"("monitoring":[{"id":"LFT_DAILY","priority":"routine","status":"recommended",)"
                      R"("rule":"P-MON-LFT","text":"LFTs.","facts":[],"refs":[]}])"),
            std::string::npos);
  EXPECT_EQ(ValidateAgainstSchema(json, ReportSchemaPath()), "");
}

TEST(ReportJson, ArraysAreWrittenInTheGivenOrder) {
  // The writer does not sort: the engine owns the §5.16 order.
  Report r = MinimalReport();
  r.references = {Citation{"zeta", "Z."}, Citation{"alpha", "A."}};
  r.missing_data = {MissingItem{"weight", false, {"renal.crcl", "dantrolene.regimen"}, "Weight."}};
  std::string json = ReportToJson(r, false);
  EXPECT_NE(json.find(R"("references":[{"id":"zeta","citation":"Z."},{"id":"alpha","citation":"A."}])"),
            std::string::npos);
  EXPECT_NE(json.find(R"("needed_for":["renal.crcl","dantrolene.regimen"])"), std::string::npos);
}

TEST(ReportJson, MhRegimenWithoutWeightOmitsMgMembers) {
  Report r = MinimalReport();
  r.dantrolene.decision = "malignant_hyperthermia_protocol";
  r.dantrolene.reasons = {Reason{"mh_trigger_within_24h", "DEC-1", "Sevoflurane within 24 h.", {}, {}}};
  DantroleneRegimen g;
  g.indication = "malignant_hyperthermia";
  g.initial_mg_per_kg = Range{Dec("2.5"), Dec("2.5")};
  g.repeat_mg_per_kg = Dec("2.5");
  g.max_mg_per_kg_24h = Dec("10");
  g.reconstitution = "R.";
  g.access = "A.";
  g.stop_when = "S.";
  g.text = "T.";
  r.dantrolene.regimen = g;
  std::string json = ReportToJson(r, false);
  EXPECT_NE(json.find(R"("regimen":{"indication":"malignant_hyperthermia","route":"IV",)"
                      R"("initial_mg_per_kg":{"low":2.5,"high":2.5},"repeat_mg_per_kg":2.5,"max_mg_per_kg_24h":10,)"
                      R"("reconstitution":"R.","access":"A.","stop_when":"S.","text":"T."},"preconditions":[]})"),
            std::string::npos)
      << json;
  EXPECT_EQ(ValidateAgainstSchema(json, ReportSchemaPath()), "");
}

TEST(ReportJson, Deterministic) {
  Report r = FullReport();
  EXPECT_EQ(ReportToJson(r, true), ReportToJson(r, true));
  EXPECT_EQ(ReportToJson(r, false), ReportToJson(FullReport(), false));
}

}  // namespace
}  // namespace nmscds::testing
