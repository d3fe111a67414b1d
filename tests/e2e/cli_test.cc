// The nmscds command-line program end to end (interfaces.md §7): every command through the real binary,
// with its exit status, stdout and stderr.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::RunResult;

std::string Examples() { return testing::SharedDir() + "/spec/examples"; }
std::string CaseFile() { return Examples() + "/case-fn-polypharmacy.json"; }
std::string MinimalCase() { return Examples() + "/case-minimal.json"; }
std::string ReportSchema() { return testing::SharedDir() + "/spec/report.schema.json"; }

// Runs nmscds with a clean environment for the variables it reads (NMSCDS_KB, NO_COLOR), plus `env`
// ("NAME=value") entries.
RunResult Nmscds(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                 const std::string& stdin_bytes = "") {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "NMSCDS_KB", "-u", "NO_COLOR"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(testing::BinaryPath());
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv, stdin_bytes);
}

std::string Describe(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out.substr(0, 2000) + "\n--- stderr ---\n" +
         r.err.substr(0, 2000);
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    lines.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Code points of a UTF-8 line (the text report's only non-ASCII character is the degree sign).
std::size_t Columns(const std::string& line) {
  std::size_t n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// Every stderr line has the form "nmscds: <kind>: ...".
void ExpectErrorLines(const RunResult& r, const std::string& kind) {
  ASSERT_FALSE(r.err.empty()) << Describe(r);
  EXPECT_EQ(r.err.back(), '\n');
  for (const auto& line : Lines(r.err)) EXPECT_EQ(line.rfind("nmscds: " + kind + ": ", 0), 0u) << line;
}

// stderr is exactly one compact JSON error object with a final newline.
Json ErrorObject(const RunResult& r) {
  EXPECT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n') << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line expected: " << r.err;
  Json j = Json::parse(r.err);
  EXPECT_TRUE(j.contains("error")) << r.err;
  return j["error"];
}

std::string CopyKb(const std::string& name) {
  const std::string dir = testing::MakeTempDir(name) + "/kb";
  fs::copy(testing::SourceDir() + "/kb", dir, fs::copy_options::recursive);
  return dir;
}

// A schema for the dose calculator's JSON: {"drug", "regimen" (a report regimen), "crcl_ml_min"?}.
std::string DoseSchema(const std::string& regimen_def) {
  Json report = Json::parse(testing::ReadFile(ReportSchema()));
  Json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                 {"$defs", report["$defs"]},
                 {"type", "object"},
                 {"additionalProperties", false},
                 {"required", {"drug", "regimen"}},
                 {"properties",
                  {{"drug", {{"type", "string"}}},
                   {"regimen", {{"$ref", "#/$defs/" + regimen_def}}},
                   {"crcl_ml_min", {{"type", "number"}, {"minimum", 0}}}}}};
  const std::string path = testing::MakeTempDir("dose-schema-" + regimen_def) + "/schema.json";
  testing::WriteFile(path, schema.dump());
  return path;
}

// ---- Help and version ------------------------------------------------------------------------------------------

TEST(CliHelp, EveryCommandHasHelp) {
  const std::vector<std::vector<std::string>> commands = {
      {},           {"assess"}, {"dose"}, {"dose", "dantrolene"}, {"dose", "bromocriptine"}, {"dose", "amantadine"},
      {"kb"},       {"kb", "list"}, {"kb", "show"}, {"kb", "verify"}, {"version"}, {"screen"}, {"serve"}};
  for (const auto& command : commands) {
    for (const char* flag : {"--help", "-h"}) {
      auto args = command;
      args.push_back(flag);
      RunResult r = Nmscds(args);
      std::string name = "nmscds";
      for (const auto& c : command) name += " " + c;
      EXPECT_EQ(r.exit_code, 0) << name << " " << flag << "\n" << Describe(r);
      EXPECT_NE(r.out.find("Usage: " + name), std::string::npos) << name << "\n" << r.out;
      EXPECT_TRUE(r.err.empty()) << r.err;
    }
  }
}

TEST(CliHelp, TopLevelListsEveryCommand) {
  RunResult r = Nmscds({"--help"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* command : {"assess", "screen", "serve", "dose", "kb", "version"}) {
    EXPECT_NE(r.out.find("  " + std::string(command) + " "), std::string::npos) << command;
  }
  EXPECT_EQ(r.out.find("not available in this version"), std::string::npos) << r.out;
}

TEST(CliScreen, UnknownOptionIsAUsageError) {
  RunResult r = Nmscds({"screen", "--port", "8080", "x.ndjson"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectErrorLines(r, "usage");
  EXPECT_TRUE(r.out.empty());
}

TEST(CliHelp, NoCommandOrUnknownCommandIsUsage) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{}, {"frobnicate"}, {"--frobnicate"}}) {
    RunResult r = Nmscds(args);
    EXPECT_EQ(r.exit_code, 2) << Describe(r);
    ExpectErrorLines(r, "usage");
  }
  RunResult r = Nmscds({"dose"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dantrolene, bromocriptine or amantadine"), std::string::npos) << r.err;
  r = Nmscds({"kb", "frobnicate"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
}

TEST(CliVersion, Text) {
  RunResult r = Nmscds({"version"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(r.err.empty());
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^nmscds 1\\.0\\.0\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("knowledge base 2026\\.11\\.0 sha256 [0-9a-f]{64}\n"))) << r.out;
  EXPECT_NE(r.out.find("protocol standard"), std::string::npos);
  EXPECT_NE(r.out.find("case 1, report 1, screen 1"), std::string::npos);
  RunResult flag = Nmscds({"--version"});
  EXPECT_EQ(flag.exit_code, 0);
  EXPECT_EQ(flag.out, r.out);
}

TEST(CliVersion, Json) {
  RunResult r = Nmscds({"version", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  ASSERT_EQ(r.out.back(), '\n');
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["engine"]["name"], "nmscds");
  EXPECT_EQ(j["engine"]["version"], "1.0.0");
  EXPECT_EQ(j["knowledge_base"]["version"], "2026.11.0");
  EXPECT_TRUE(std::regex_match(j["knowledge_base"]["sha256"].get<std::string>(), std::regex("[0-9a-f]{64}")));
  EXPECT_EQ(j["protocol"], "standard");
  EXPECT_EQ(j["formats"], Json::parse(R"({"case": 1, "report": 1, "screen": 1})"));
  // The same knowledge-base sha256 as `kb verify` and the report.
  RunResult verify = Nmscds({"kb", "verify"});
  EXPECT_NE(verify.out.find(j["knowledge_base"]["sha256"].get<std::string>()), std::string::npos);
}

// ---- assess ------------------------------------------------------------------------------------------------------

TEST(CliAssess, JsonReportValidatesAgainstTheSchema) {
  RunResult r = Nmscds({"assess", CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(r.err.empty()) << r.err;
  // Not a terminal: JSON by default, pretty with a final newline.
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.front(), '{');
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_NE(r.out.find("\n  \"report_format\": \"nmscds-report\",\n"), std::string::npos);
  EXPECT_EQ(testing::ValidateAgainstSchema(r.out, ReportSchema()), "");
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["patient_id"], "p-aml-017");
  EXPECT_EQ(j["assessed_at"], "2026-11-20T14:00:00Z");
  // Explicit --format json gives the same bytes.
  EXPECT_EQ(Nmscds({"assess", "--format", "json", CaseFile()}).out, r.out);
  EXPECT_EQ(Nmscds({"assess", "--format=json", CaseFile()}).out, r.out);
}

TEST(CliAssess, Stdin) {
  const std::string bytes = testing::ReadFile(CaseFile());
  RunResult r = Nmscds({"assess", "-"}, {}, bytes);
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out, Nmscds({"assess", CaseFile()}).out);
}

TEST(CliAssess, AtOverridesT0) {
  RunResult r = Nmscds({"assess", "--at", "2026-11-20T16:30:00+01:00", MinimalCase()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["assessed_at"], "2026-11-20T15:30:00Z");
  RunResult plain = Nmscds({"assess", MinimalCase()});
  EXPECT_EQ(Json::parse(plain.out)["assessed_at"], "2026-11-20T09:15:00Z");
}

TEST(CliAssess, Compact) {
  RunResult r = Nmscds({"assess", "--compact", CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.find('\n'), std::string::npos);
  EXPECT_EQ(r.out.back(), '}');
  EXPECT_EQ(Json::parse(r.out), Json::parse(Nmscds({"assess", CaseFile()}).out));
}

TEST(CliAssess, TextLayoutAtWidth80) {
  RunResult r = Nmscds({"assess", "--format", "text", CaseFile()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("nmscds 1.0.0 | kb ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nPatient p-aml-017 | assessed 2026-11-20 14:00 UTC\n"), std::string::npos);
  EXPECT_NE(r.out.find("\nDANTROLENE: "), std::string::npos);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "no colour when stdout is not a terminal";
  for (const auto& line : Lines(r.out)) EXPECT_LE(Columns(line), 80u) << line;
}

TEST(CliAssess, Colour) {
  RunResult always = Nmscds({"assess", "--format", "text", "--color", "always", CaseFile()});
  ASSERT_EQ(always.exit_code, 0) << Describe(always);
  EXPECT_NE(always.out.find("\x1b["), std::string::npos);
  RunResult never = Nmscds({"assess", "--format", "text", "--color", "never", CaseFile()});
  EXPECT_EQ(never.out.find('\x1b'), std::string::npos);
  RunResult no_color = Nmscds({"assess", "--format", "text", "--color", "auto", CaseFile()}, {"NO_COLOR=1"});
  ASSERT_EQ(no_color.exit_code, 0);
  EXPECT_EQ(no_color.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(no_color.out, never.out);
  RunResult bad = Nmscds({"assess", "--format", "text", "--color", "sometimes", CaseFile()});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(CliAssess, MissingFileIsUnreadable) {
  RunResult r = Nmscds({"assess", "/nonexistent/case.json"});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  ExpectErrorLines(r, "cannot read");
  EXPECT_NE(r.err.find("/nonexistent/case.json"), std::string::npos);
  EXPECT_TRUE(r.out.empty());
  RunResult j = Nmscds({"assess", "--format", "json", "/nonexistent/case.json"});
  EXPECT_EQ(j.exit_code, 4);
  Json e = ErrorObject(j);
  EXPECT_EQ(e["kind"], "unreadable");
  EXPECT_EQ(e["exit_code"], 4);
}

TEST(CliAssess, DirectoryIsUnreadable) {
  RunResult r = Nmscds({"assess", testing::MakeTempDir("a-directory")});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  ExpectErrorLines(r, "cannot read");
}

TEST(CliAssess, UsageErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"assess", "--frobnicate", CaseFile()},                      // unknown option
      {"assess", CaseFile(), "--at"},                              // missing value
      {"assess", "--format", "xml", CaseFile()},                   // bad enum value
      {"assess", "--format=yaml", CaseFile()},                     // bad enum value after =
      {"assess", "--at", "2026-11-20T14:00:00", CaseFile()},       // no offset
      {"assess", "--at", "yesterday", CaseFile()},                 // not a date-time
      {"assess", CaseFile(), MinimalCase()},                       // too many arguments
      {"assess"},                                                  // too few
      {"assess", "--protocol", "fancy", CaseFile()},               // unknown protocol
  };
  for (const auto& args : cases) {
    RunResult r = Nmscds(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << "\n" << Describe(r);
    ExpectErrorLines(r, "usage");
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(CliAssess, GradedProtocolIsNotAvailable) {
  RunResult r = Nmscds({"assess", "--protocol", "graded", CaseFile()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectErrorLines(r, "usage");
  EXPECT_NE(r.err.find("not available in this version"), std::string::npos) << r.err;
  EXPECT_EQ(Nmscds({"assess", "--protocol=standard", CaseFile()}).exit_code, 0);
}

TEST(CliAssess, UsageErrorAsJson) {
  RunResult r = Nmscds({"assess", "--format", "json", "--frobnicate", CaseFile()});
  EXPECT_EQ(r.exit_code, 2);
  Json e = ErrorObject(r);
  EXPECT_EQ(e["kind"], "usage");
  EXPECT_EQ(e["exit_code"], 2);
  EXPECT_TRUE(e["issues"].is_array());
}

TEST(CliAssess, MalformedJsonNamesLineAndColumn) {
  const std::string path = testing::MakeTempDir("malformed") + "/case.json";
  testing::WriteFile(path, "{\n  \"format\": \"nmscds-case\",\n  \"format_version\": 1,\n}\n");
  RunResult r = Nmscds({"assess", path});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  ExpectErrorLines(r, "invalid input");
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("column"), std::string::npos) << r.err;
  Json e = ErrorObject(Nmscds({"assess", "--format", "json", path}));
  EXPECT_EQ(e["issues"][0]["code"], "json_syntax");
}

TEST(CliAssess, EveryProblemIsListed) {
  const std::string path = testing::MakeTempDir("two-problems") + "/case.json";
  testing::WriteFile(path, R"({
  "format": "nmscds-case",
  "format_version": 1,
  "patient": {"id": "p-1", "nickname": "x"},
  "assessed_at": "2026-11-20T09:15:00Z",
  "observations": [
    {"kind": "temperature", "value": 101.2, "unit": "F", "time": "2026-11-20T09:00:00Z"}
  ]
}
)");
  RunResult r = Nmscds({"assess", path});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  ExpectErrorLines(r, "invalid input");
  auto lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_NE(r.err.find("nmscds: invalid input: " + path + ": /patient/nickname: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nmscds: invalid input: " + path + ": /observations/0/unit: 'F' is not accepted for temperature"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());

  RunResult j = Nmscds({"assess", "--format", "json", path});
  EXPECT_EQ(j.exit_code, 3);
  EXPECT_TRUE(j.out.empty());
  Json e = ErrorObject(j);
  EXPECT_EQ(e["kind"], "invalid_input");
  EXPECT_EQ(e["exit_code"], 3);
  EXPECT_EQ(e["message"], "2 problems in " + path);
  ASSERT_EQ(e["issues"].size(), 2u);
  for (const auto& issue : e["issues"]) {
    EXPECT_EQ(issue["location_type"], "json_pointer");
    EXPECT_EQ(issue["location"].get<std::string>().front(), '/');
    EXPECT_FALSE(issue["code"].get<std::string>().empty());
    EXPECT_FALSE(issue["message"].get<std::string>().empty());
  }
  std::vector<std::string> codes = {e["issues"][0]["code"], e["issues"][1]["code"]};
  EXPECT_NE(std::find(codes.begin(), codes.end(), "unit_not_accepted"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "unknown_member"), codes.end());
}

// interfaces.md §4.10: the FHIR twin of the complete case gives the same decision through the CLI.
TEST(CliAssess, FhirBundleGivesTheDecisionOfItsNativeTwin) {
  RunResult fhir = Nmscds({"assess", "--format", "json", Examples() + "/bundle-fn-polypharmacy.json"});
  RunResult native = Nmscds({"assess", "--format", "json", CaseFile()});
  ASSERT_EQ(fhir.exit_code, 0) << Describe(fhir);
  ASSERT_EQ(native.exit_code, 0) << Describe(native);
  Json f = Json::parse(fhir.out), n = Json::parse(native.out);
  EXPECT_EQ(f["input"]["format"], "fhir-bundle");
  EXPECT_EQ(f["input"]["assessed_at_source"], "bundle_timestamp");
  EXPECT_EQ(f["assessed_at"], n["assessed_at"]);
  EXPECT_EQ(f["dantrolene"]["decision"], "contraindicated");
  EXPECT_EQ(f["dantrolene"]["decision"], n["dantrolene"]["decision"]);
  std::vector<std::string> fp, np;
  for (const auto& p : f["plan"]) fp.push_back(p["id"]);
  for (const auto& p : n["plan"]) np.push_back(p["id"]);
  EXPECT_EQ(fp, np);
  RunResult text = Nmscds({"assess", "--format", "text", Examples() + "/bundle-fn-polypharmacy.json"});
  RunResult native_text = Nmscds({"assess", "--format", "text", CaseFile()});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_NE(text.out.find("\nDANTROLENE: CONTRAINDICATED\n"), std::string::npos) << text.out.substr(0, 300);
  // The decision block (up to the plan) reads the same as for the native case.
  auto block = [](const std::string& out) { return out.substr(out.find("DANTROLENE:"), out.find("DO NOW") - out.find("DANTROLENE:")); };
  EXPECT_EQ(block(text.out), block(native_text.out));
}

TEST(CliAssess, FhirBundleWithoutTimestampIsAssessedAtTheClockOrAt) {
  std::string bundle = testing::ReadFile(Examples() + "/bundle-fn-polypharmacy.json");
  const std::string stamp = "\"timestamp\": \"2026-11-20T14:00:00Z\",";
  auto pos = bundle.find(stamp);
  ASSERT_NE(pos, std::string::npos);
  bundle.erase(pos, stamp.size());
  RunResult at = Nmscds({"assess", "--format", "json", "--at", "2026-11-20T14:00:00Z", "-"}, {}, bundle);
  ASSERT_EQ(at.exit_code, 0) << Describe(at);
  EXPECT_EQ(Json::parse(at.out)["input"]["assessed_at_source"], "override");
  RunResult clock = Nmscds({"assess", "--format", "json", "-"}, {}, bundle);
  ASSERT_EQ(clock.exit_code, 0) << Describe(clock);
  Json c = Json::parse(clock.out);
  EXPECT_EQ(c["input"]["assessed_at_source"], "clock");
  bool warned = false;
  for (const auto& w : c["warnings"]) warned |= w["code"] == "INPUT_ASSESSED_AT_FROM_CLOCK";
  EXPECT_TRUE(warned);
}

TEST(CliAssess, FhirProblemsNameTheElement) {
  std::string bundle = testing::ReadFile(Examples() + "/bundle-fn-polypharmacy.json");
  const std::string unit = "\"unit\": \"U/L\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"U/L\"";
  auto pos = bundle.find(unit);
  ASSERT_NE(pos, std::string::npos);
  bundle.replace(pos, unit.size(), "\"unit\": \"U/L\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"mg\"");
  RunResult r = Nmscds({"assess", "--format", "json", "-"}, {}, bundle);
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  Json e = ErrorObject(r);
  ASSERT_FALSE(e["issues"].empty());
  EXPECT_EQ(e["issues"][0]["code"], "unit_not_accepted");
  EXPECT_EQ(e["issues"][0]["location_type"], "fhir_path");
  EXPECT_EQ(e["issues"][0]["location"].get<std::string>().rfind("Bundle.entry[", 0), 0u);
}

TEST(CliAssess, TooLargeInput) {
  std::string big(64u * 1024 * 1024 + 1, ' ');
  RunResult r = Nmscds({"assess", "--format", "json", "-"}, {}, big);
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  Json e = ErrorObject(r);
  EXPECT_EQ(e["issues"][0]["code"], "too_large");
}

// ---- Knowledge-base selection ------------------------------------------------------------------------------------

TEST(CliKbSelection, CopyWorksAndTamperedCopyIsRefused) {
  const std::string dir = CopyKb("kb-copy");
  RunResult ok = Nmscds({"assess", "--kb", dir, CaseFile()});
  ASSERT_EQ(ok.exit_code, 0) << Describe(ok);
  EXPECT_EQ(ok.out, Nmscds({"assess", CaseFile()}).out);

  std::string drugs = testing::ReadFile(dir + "/drugs.json");
  const auto pos = drugs.find("Haldol");
  ASSERT_NE(pos, std::string::npos);
  drugs[pos] = 'h';  // one byte
  testing::WriteFile(dir + "/drugs.json", drugs);
  RunResult bad = Nmscds({"assess", "--kb", dir, CaseFile()});
  EXPECT_EQ(bad.exit_code, 3) << Describe(bad);
  ExpectErrorLines(bad, "invalid input");
  EXPECT_NE(bad.err.find("drugs.json"), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty());

  RunResult verify = Nmscds({"kb", "verify", "--kb", dir});
  EXPECT_EQ(verify.exit_code, 3) << Describe(verify);
  EXPECT_NE(verify.err.find("drugs.json"), std::string::npos);
  Json e = ErrorObject(Nmscds({"kb", "verify", "--kb", dir, "--format", "json"}));
  EXPECT_EQ(e["exit_code"], 3);
  EXPECT_GE(e["issues"].size(), 1u);
}

TEST(CliKbSelection, EnvironmentVariable) {
  const std::string dir = CopyKb("kb-env");
  RunResult ok = Nmscds({"kb", "verify"}, {"NMSCDS_KB=" + dir});
  EXPECT_EQ(ok.exit_code, 0) << Describe(ok);
  std::string texts = testing::ReadFile(dir + "/texts.json");
  texts.insert(texts.find("\"entries\""), " ");
  testing::WriteFile(dir + "/texts.json", texts);
  RunResult bad = Nmscds({"assess", CaseFile()}, {"NMSCDS_KB=" + dir});
  EXPECT_EQ(bad.exit_code, 3) << Describe(bad);
  EXPECT_NE(bad.err.find("texts.json"), std::string::npos) << bad.err;
  // --kb wins over the environment.
  RunResult flag = Nmscds({"assess", "--kb", testing::SourceDir() + "/kb", CaseFile()}, {"NMSCDS_KB=" + dir});
  EXPECT_EQ(flag.exit_code, 0) << Describe(flag);
  RunResult missing = Nmscds({"version"}, {"NMSCDS_KB=/nonexistent/kb"});
  EXPECT_EQ(missing.exit_code, 4) << Describe(missing);
}

TEST(CliKbSelection, UnreadableDirectory) {
  RunResult r = Nmscds({"assess", "--kb", "/nonexistent/kb", CaseFile()});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
  ExpectErrorLines(r, "cannot read");
  const std::string dir = CopyKb("kb-missing-file");
  fs::remove(dir + "/references.json");
  r = Nmscds({"kb", "list", "--kb", dir});
  EXPECT_EQ(r.exit_code, 4) << Describe(r);
}

// ---- kb ------------------------------------------------------------------------------------------------------------

TEST(CliKb, Verify) {
  RunResult r = Nmscds({"kb", "verify"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("ok 2026\\.11\\.0 [0-9a-f]{64}\n"))) << r.out;
  RunResult j = Nmscds({"kb", "verify", "--format", "json"});
  EXPECT_EQ(Json::parse(j.out)["status"], "ok");
}

TEST(CliKb, ShowJson) {
  RunResult r = Nmscds({"kb", "show", "haloperidol"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  ASSERT_EQ(r.out.back(), '\n');
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["id"], "haloperidol");
  EXPECT_EQ(j["rxcui"][0], "5093");
  EXPECT_EQ(r.out.rfind("{\n  \"id\": \"haloperidol\",\n", 0), 0u) << r.out;
  // Entries of other files too.
  EXPECT_EQ(Json::parse(Nmscds({"kb", "show", "dantrolene_vial_mg"}).out)["value"], 20);
  EXPECT_EQ(Json::parse(Nmscds({"kb", "show", "reulbach-2007"}).out)["id"], "reulbach-2007");
}

TEST(CliKb, ShowText) {
  RunResult r = Nmscds({"kb", "show", "--format", "text", "haloperidol"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("haloperidol (drugs.json)\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n  rxcui: 5093\n"), std::string::npos) << r.out;
}

TEST(CliKb, ShowUnknownIdSuggests) {
  RunResult r = Nmscds({"kb", "show", "haloperidl"});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  ExpectErrorLines(r, "invalid input");
  EXPECT_NE(r.err.find("haloperidol"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  Json e = ErrorObject(Nmscds({"kb", "show", "--format", "json", "haloperidl"}));
  EXPECT_EQ(e["exit_code"], 3);
  EXPECT_EQ(e["issues"][0]["location_type"], "argument");
}

TEST(CliKb, ListWithCounts) {
  RunResult r = Nmscds({"kb", "list"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("knowledge base 2026.11.0\nsha256 ", 0), 0u) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ndrugs: [0-9]+ \\(drugs\\.json\\)\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ndrug classes: [0-9]+ "))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ntexts: [0-9]+ "))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nreferences: [0-9]+ "))) << r.out;
  EXPECT_NE(r.out.find("haloperidol"), std::string::npos);
  for (const auto& line : Lines(r.out)) EXPECT_LE(Columns(line), 80u) << line;

  RunResult j = Nmscds({"kb", "list", "--format", "json"});
  ASSERT_EQ(j.exit_code, 0);
  Json list = Json::parse(j.out);
  std::size_t total = 0;
  bool found = false;
  for (const auto& section : list["sections"]) {
    EXPECT_EQ(section["count"], section["ids"].size());
    total += section["ids"].size();
    if (section["section"] == "drugs") {
      for (const auto& id : section["ids"]) found = found || id == "haloperidol";
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(list["count"], total);
  EXPECT_GT(total, 100u);
}

// ---- dose ----------------------------------------------------------------------------------------------------------

TEST(CliDose, DantroleneWorkedExample) {  // clinical.md §6.4, W = 70 kg
  RunResult r = Nmscds({"dose", "dantrolene", "--weight", "70"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("dantrolene for NMS (off-label), weight 70 kg\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("  initial   1-2.5 mg/kg IV = 70-175 mg (4-9 vials of 20 mg)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  repeat    1 mg/kg = 70 mg every 6 h if needed\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  maximum   10 mg/kg per 24 h = 700 mg"), std::string::npos) << r.out;
  for (const auto& line : Lines(r.out)) EXPECT_LE(Columns(line), 80u) << line;

  RunResult j = Nmscds({"dose", "dantrolene", "--weight", "70", "--format", "json"});
  ASSERT_EQ(j.exit_code, 0) << Describe(j);
  EXPECT_EQ(testing::ValidateAgainstSchema(j.out, DoseSchema("dantrolene_regimen")), "");
  Json d = Json::parse(j.out);
  EXPECT_EQ(d["drug"], "dantrolene");
  const Json& g = d["regimen"];
  EXPECT_EQ(g["indication"], "nms");
  EXPECT_EQ(g["weight_kg"], 70);
  EXPECT_EQ(g["initial_mg"], Json::parse(R"({"low": 70, "high": 175})"));
  EXPECT_EQ(g["initial_vials_20mg"], Json::parse(R"({"low": 4, "high": 9})"));
  EXPECT_EQ(g["repeat_mg"], 70);
  EXPECT_EQ(g["repeat_interval_h"], 6);
  EXPECT_EQ(g["max_mg_24h"], 700);
  EXPECT_FALSE(g.contains("given_mg_24h"));
  // Member order of report.schema.json $defs/dantrolene_regimen.
  const auto schema = nlohmann::ordered_json::parse(testing::ReadFile(ReportSchema()));
  const auto regimen = nlohmann::ordered_json::parse(j.out)["regimen"];
  std::vector<std::string> expected, actual;
  for (const auto& [key, value] : schema["$defs"]["dantrolene_regimen"]["properties"].items()) {
    if (regimen.contains(key)) expected.push_back(key);
  }
  for (const auto& [key, value] : regimen.items()) actual.push_back(key);
  EXPECT_EQ(actual, expected);
}

TEST(CliDose, DantroleneNearTheCap) {
  RunResult r = Nmscds({"dose", "dantrolene", "--weight", "70", "--given-24h", "650"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.out.find("= 50 mg (3 vials of 20 mg)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("given 650 mg; remaining 50 mg"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("below the usual starting dose"), std::string::npos) << r.out;
  Json g = Json::parse(Nmscds({"dose", "dantrolene", "--weight", "70", "--given-24h", "650", "--format", "json"}).out)
               ["regimen"];
  EXPECT_EQ(g["initial_mg"], Json::parse(R"({"low": 50, "high": 50})"));
  EXPECT_EQ(g["initial_vials_20mg"], Json::parse(R"({"low": 3, "high": 3})"));
  EXPECT_EQ(g["given_mg_24h"], 650);
  EXPECT_EQ(g["remaining_mg_24h"], 50);
}

TEST(CliDose, DantroleneMalignantHyperthermia) {
  RunResult r = Nmscds({"dose", "dantrolene", "--weight", "80", "--indication", "mh"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("dantrolene for malignant hyperthermia, weight 80 kg\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("200 mg (10 vials of 20 mg)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= 800 mg"), std::string::npos) << r.out;
  RunResult j = Nmscds({"dose", "dantrolene", "--weight", "80", "--indication=mh", "--format", "json"});
  EXPECT_EQ(testing::ValidateAgainstSchema(j.out, DoseSchema("dantrolene_regimen")), "");
  Json g = Json::parse(j.out)["regimen"];
  EXPECT_EQ(g["indication"], "malignant_hyperthermia");
  EXPECT_EQ(g["initial_mg"], Json::parse(R"({"low": 200, "high": 200})"));
  EXPECT_EQ(g["initial_vials_20mg"], Json::parse(R"({"low": 10, "high": 10})"));
  EXPECT_EQ(g["max_mg_24h"], 800);
}

TEST(CliDose, DantroleneWithoutWeightIsMgPerKgOnly) {
  RunResult r = Nmscds({"dose", "dantrolene"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.out.find("1-2.5 mg/kg IV\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(" mg ("), std::string::npos) << r.out;
  RunResult j = Nmscds({"dose", "dantrolene", "--format", "json"});
  EXPECT_EQ(testing::ValidateAgainstSchema(j.out, DoseSchema("dantrolene_regimen")), "");
  Json g = Json::parse(j.out)["regimen"];
  EXPECT_FALSE(g.contains("initial_mg"));
  EXPECT_FALSE(g.contains("max_mg_24h"));
  EXPECT_EQ(g["max_mg_per_kg_24h"], 10);
}

TEST(CliDose, WeightIsRoundedLikeTheEngine) {
  Json g = Json::parse(Nmscds({"dose", "dantrolene", "--weight", "70.04", "--format", "json"}).out)["regimen"];
  EXPECT_EQ(g["weight_kg"], 70);
}

TEST(CliDose, ImplausibleValuesAreInvalidInput) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"dose", "dantrolene", "--weight", "0"},
                                               {"dose", "dantrolene", "--weight", "600"},
                                               {"dose", "dantrolene", "--weight=-5"},
                                               {"dose", "dantrolene", "--given-24h", "-1"},
                                               {"dose", "amantadine", "--crcl", "301"},
                                               {"dose", "amantadine", "--crcl", "50", "--age", "131"},
                                               {"dose", "amantadine", "--creatinine", "0.05", "--age", "50", "--sex",
                                                "male", "--weight", "70"}}) {
    RunResult r = Nmscds(args);
    EXPECT_EQ(r.exit_code, 3) << args.back() << "\n" << Describe(r);
    ExpectErrorLines(r, "invalid input");
    EXPECT_TRUE(r.out.empty());
  }
  RunResult both = Nmscds({"dose", "dantrolene", "--weight", "600", "--given-24h", "-1", "--format", "json"});
  EXPECT_EQ(both.exit_code, 3);
  Json e = ErrorObject(both);
  ASSERT_EQ(e["issues"].size(), 2u);
  EXPECT_EQ(e["issues"][0]["location"], "--weight");
  EXPECT_EQ(e["issues"][0]["location_type"], "argument");
  EXPECT_EQ(e["issues"][0]["code"], "out_of_range");
}

TEST(CliDose, UsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"dose", "dantrolene", "--weight", "heavy"},
        {"dose", "dantrolene", "--weight"},
        {"dose", "dantrolene", "--indication", "sepsis"},
        {"dose", "dantrolene", "70"},
        {"dose", "aspirin"},
        {"dose", "bromocriptine", "--weight", "70"},
        {"dose", "amantadine"},
        {"dose", "amantadine", "--crcl", "50", "--dialysis"},
        {"dose", "amantadine", "--creatinine", "1.0", "--age", "50"},
        {"dose", "amantadine", "--crcl", "50", "--sex", "male"},
        {"dose", "amantadine", "--creatinine", "1", "--age", "50", "--sex", "other", "--weight", "70"}}) {
    RunResult r = Nmscds(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << "\n" << Describe(r);
    ExpectErrorLines(r, "usage");
  }
}

TEST(CliDose, Bromocriptine) {
  RunResult r = Nmscds({"dose", "bromocriptine"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out.rfind("bromocriptine PO/NG\n", 0), 0u) << r.out;
  RunResult j = Nmscds({"dose", "bromocriptine", "--format", "json"});
  EXPECT_EQ(testing::ValidateAgainstSchema(j.out, DoseSchema("regimen")), "");
  Json g = Json::parse(j.out)["regimen"];
  EXPECT_EQ(g["route"], "PO/NG");
  EXPECT_EQ(g["dose_mg"], Json::parse(R"({"low": 2.5, "high": 10})"));
  EXPECT_EQ(g["interval_h"], Json::parse(R"({"low": 8, "high": 8})"));
  EXPECT_EQ(g["max_daily_mg"], 30);
}

TEST(CliDose, AmantadineBands) {
  RunResult r = Nmscds({"dose", "amantadine", "--crcl", "66.6"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.out.find("crcl_ge_50"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("100 mg PO/NG every 12 h"), std::string::npos) << r.out;
  Json j = Json::parse(Nmscds({"dose", "amantadine", "--crcl", "66.6", "--format", "json"}).out);
  EXPECT_EQ(j["drug"], "amantadine");
  EXPECT_EQ(j["regimen"]["renal_band"], "crcl_ge_50");
  EXPECT_EQ(j["regimen"]["dose_mg"]["low"], 100);
  EXPECT_EQ(j["regimen"]["interval_h"]["low"], 12);
  EXPECT_FALSE(j.contains("crcl_ml_min")) << "given, not computed";

  r = Nmscds({"dose", "amantadine", "--crcl", "22.8"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.out.find("every 48 h"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("crcl_15_29"), std::string::npos) << r.out;

  r = Nmscds({"dose", "amantadine", "--dialysis"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_NE(r.out.find("every 7 days"), std::string::npos) << r.out;
  RunResult dj = Nmscds({"dose", "amantadine", "--dialysis", "--format", "json"});
  EXPECT_EQ(testing::ValidateAgainstSchema(dj.out, DoseSchema("regimen")), "");
  EXPECT_EQ(Json::parse(dj.out)["regimen"]["renal_band"], "crcl_lt_15_or_dialysis");

  // At 65 or more: at most 100 mg every 12 h.
  Json old = Json::parse(Nmscds({"dose", "amantadine", "--crcl", "80", "--age", "70", "--format", "json"}).out);
  EXPECT_EQ(old["regimen"]["dose_mg"], Json::parse(R"({"low": 100, "high": 100})"));
}

TEST(CliDose, AmantadineCockcroftGault) {
  RunResult j = Nmscds(
      {"dose", "amantadine", "--creatinine", "0.9", "--age", "58", "--sex", "female", "--weight", "62", "--format", "json"});
  ASSERT_EQ(j.exit_code, 0) << Describe(j);
  EXPECT_EQ(testing::ValidateAgainstSchema(j.out, DoseSchema("regimen")), "");
  Json d = Json::parse(j.out);
  EXPECT_EQ(d["crcl_ml_min"], 66.6);
  EXPECT_EQ(d["regimen"]["renal_band"], "crcl_ge_50");
  RunResult t = Nmscds({"dose", "amantadine", "--creatinine", "0.9", "--age", "58", "--sex", "female", "--weight", "62"});
  ASSERT_EQ(t.exit_code, 0) << Describe(t);
  EXPECT_NE(t.out.find("  CrCl      66.6 mL/min by Cockcroft-Gault"), std::string::npos) << t.out;
  for (const auto& line : Lines(t.out)) EXPECT_LE(Columns(line), 80u) << line;
}

}  // namespace
}  // namespace nmscds
