// RunEngineForScreen (the screen's engine entry point: the steps up to the dantrolene decision) gives exactly
// the §10 fields of RunEngine's full report (interfaces.md §10), over every conformance scenario and case
// example at several assessment times, over a generated cohort with every kind of planted patient, and over
// the real Synthea export. The screen uses it unless a caller asks for full reports, so the last two compare
// whole screen outputs with and without full reports.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "case_corpus.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "io/case_reader.h"
#include "screen/screen.h"
#include "screen_test_support.h"
#include "test_util.h"

namespace nmscds {

// gtest prints a mismatch with this (found by argument-dependent lookup, so in namespace nmscds).
void PrintTo(const ScreenAssessment& a, std::ostream* os) {
  *os << a.suspicion << " iec " << a.iec_points << "/" << a.iec_max_possible << " stage " << a.woodbury_stage << " "
      << a.trigger_type << "/" << a.trigger_pattern << " agents " << a.trigger_agents.size() << " "
      << a.dantrolene_decision << " fn " << a.fn_status << (a.fn_presumed ? " presumed" : "");
}

namespace {

namespace fs = std::filesystem;

TEST(EngineForScreen, EqualsTheFullReportOverTheCorpusAtSeveralTimes) {
  const KnowledgeBase& kb = testing::EmbeddedKb();
  std::set<std::string> decisions, suspicions, fn;
  int compared = 0;
  for (const std::string& path : testing::CorpusPaths()) {
    const std::string bytes = testing::ReadFile(path);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(bytes).get(root), simdjson::SUCCESS) << path;
    auto base = ReadNativeCase(root, bytes, kb, {});
    ASSERT_TRUE(base.ok()) << path;
    // The case's own T0, then earlier and later ones: windows open and close, exposures age. An earlier T0
    // is refused when the case has data after it.
    for (Instant shift : {0 * kHour, -48 * kHour, -12 * kHour, -2 * kHour, 6 * kHour, 30 * kHour, 80 * kHour, 15 * kDay}) {
      ReadOptions options;
      options.at_override = base->assessed_at + shift;
      auto c = ReadNativeCase(root, bytes, kb, options);
      if (shift < 0 && !c.ok()) continue;
      ASSERT_TRUE(c.ok()) << path;
      const ScreenAssessment full = ScreenAssessmentOf(RunEngine(*c, kb));
      EXPECT_EQ(RunEngineForScreen(*c, kb), full) << testing::BaseName(path) << " at shift " << shift << " s";
      decisions.insert(full.dantrolene_decision);
      suspicions.insert(full.suspicion);
      fn.insert(full.fn_status);
      ++compared;
    }
  }
  EXPECT_GE(compared, 14 * 5);
  // The comparison covers every outcome, not one repeated answer.
  EXPECT_GE(decisions.size(), 5u);
  EXPECT_EQ(suspicions.size(), 3u);
  EXPECT_EQ(fn.size(), 3u);
}

// The whole `screen --all` output over `dir`, with or without full reports requested.
std::string ScreenAll(const std::string& dir, Instant t0, bool full_reports) {
  std::function<void(const Report&)> report;
  if (full_reports) report = [](const Report&) {};
  return testing::ScreenAllOutput(testing::EmbeddedKb(), dir, t0, report);
}

TEST(EngineForScreen, ScreenOutputIsTheSameWithFullReports) {
  const std::string root = testing::MakeTempDir("engine_screen");
  const std::string cohort = root + "/export";
  const auto r = testing::Run({testing::Python3(), testing::SourceDir() + "/tools/synth_cohort.py", "--out", cohort,
                               "--patients", "1500", "--positive-rate", "0.3", "--seed", "11", "--at",
                               "2026-11-20T14:00:00Z", "--files-per-type", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Instant t0 = *ParseDateTime("2026-11-20T14:00:00Z");
  for (Instant at : {t0, t0 - 36 * kHour}) {
    const std::string fast = ScreenAll(cohort, at, false);
    EXPECT_EQ(fast, ScreenAll(cohort, at, true));
    // Planted positives of every kind are among the compared lines.
    if (at == t0) {
      for (std::string_view decision : {"\"contraindicated\"", "\"consider\"", "\"not_indicated\"",
                                        "\"insufficient_data\"", "\"malignant_hyperthermia_protocol\""}) {
        EXPECT_NE(fast.find(std::string("\"dantrolene_decision\":") + std::string(decision)), std::string::npos) << decision;
      }
      for (std::string_view flag : {"\"nms_high\"", "\"nms_possible\"", "\"febrile_neutropenia\"", "\"fn_presumed\""}) {
        EXPECT_NE(fast.find(flag), std::string::npos) << flag;
      }
    }
  }
  const std::string synthea = testing::SharedDir() + "/data/synthea-bulk";
  for (const char* at : {"2026-11-20T14:00:00Z", "2019-06-01T00:00:00Z"}) {
    EXPECT_EQ(ScreenAll(synthea, *ParseDateTime(at), false), ScreenAll(synthea, *ParseDateTime(at), true)) << at;
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace nmscds
