// Assessment benchmarks (Google Benchmark), on the bundled febrile-neutropenic polypharmacy example.
//
//   BM_Engine            the rules only: Case -> Report (target: median <= 20 us)
//   BM_AssessDocument    JSON bytes -> parse, validate, normalise -> engine -> Report
//   BM_AssessToJson      ... -> Report -> report JSON (what an API call does)
//   BM_ReportToJson      Report -> report JSON (compact)
//   BM_ReportToText      Report -> terminal text
//   BM_CliAssess         `nmscds assess --format json FILE` as a child process, end to end (target <= 20 ms)
//
// Run: build/bench/nmscds_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/json_dom.h"
#include "engine/engine.h"
#include "io/case_reader.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"

extern char** environ;

namespace {

std::string ReadExample() {
  std::ifstream in(NMSCDS_EXAMPLE, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const nmscds::KnowledgeBase& Kb() {
  static auto kb = nmscds::LoadKnowledgeBase("");
  if (!kb) throw std::runtime_error("knowledge base failed to load");
  return **kb;
}

nmscds::Case ExampleCase() {
  static const std::string bytes = ReadExample();
  nmscds::JsonParser parser;
  auto root = parser.Parse(bytes);
  auto c = nmscds::ReadNativeCase(*root, bytes, Kb(), {});
  if (!c) throw std::runtime_error("example case is invalid");
  return std::move(*c);
}

void BM_Engine(benchmark::State& state) {
  const nmscds::Case c = ExampleCase();
  const nmscds::KnowledgeBase& kb = Kb();
  for (auto _ : state) {
    nmscds::Report r = nmscds::RunEngine(c, kb);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Engine)->Unit(benchmark::kMicrosecond);

void BM_AssessDocument(benchmark::State& state) {
  const std::string bytes = ReadExample();
  const nmscds::KnowledgeBase& kb = Kb();
  for (auto _ : state) {
    auto r = nmscds::Assess(bytes, kb, {});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AssessDocument)->Unit(benchmark::kMicrosecond);

void BM_AssessToJson(benchmark::State& state) {
  const std::string bytes = ReadExample();
  const nmscds::KnowledgeBase& kb = Kb();
  for (auto _ : state) {
    auto r = nmscds::Assess(bytes, kb, {});
    std::string json = nmscds::ReportToJson(*r, false);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_AssessToJson)->Unit(benchmark::kMicrosecond);

void BM_ReportToJson(benchmark::State& state) {
  const nmscds::Report r = nmscds::RunEngine(ExampleCase(), Kb());
  for (auto _ : state) {
    std::string json = nmscds::ReportToJson(r, false);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_ReportToJson)->Unit(benchmark::kMicrosecond);

void BM_ReportToText(benchmark::State& state) {
  const nmscds::Report r = nmscds::RunEngine(ExampleCase(), Kb());
  for (auto _ : state) {
    std::string text = nmscds::ReportToText(r, {80, false});
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_ReportToText)->Unit(benchmark::kMicrosecond);

void BM_CliAssess(benchmark::State& state) {
  const char* argv[] = {NMSCDS_BINARY, "assess", "--format", "json", NMSCDS_EXAMPLE, nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  for (auto _ : state) {
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char**>(argv), environ) != 0) {
      state.SkipWithError("cannot start nmscds");
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("nmscds assess failed");
      break;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
}
BENCHMARK(BM_CliAssess)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
