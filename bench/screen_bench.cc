// Population screen benchmarks (issue #4; Google Benchmark): `nmscds screen` beside raw simdjson iteration
// over the same files, in the same run.
//
//   BM_RawIteration/<corpus>     every .ndjson file read, every line parsed (simdjson DOM) and every value
//                                walked; nothing kept. The parser's ceiling for this corpus.
//   BM_Screen/<corpus>/<threads> RunScreen (screen/screen.h) on the same directory, output discarded.
//
// Corpora: "synthea" = ../shared/data/synthea-bulk (always); "cohort" = the directory in $NMSCDS_BENCH_COHORT,
// for example a generated cohort of >= 1 GB (README "Performance"):
//   python3 tools/synth_cohort.py --out /tmp/cohort-200k --patients 200000 --files-per-type 4
//   NMSCDS_BENCH_COHORT=/tmp/cohort-200k build/bench/nmscds_screen_bench
// Counters: bytes_per_second (MB/s of input), patients/s.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "screen/screen.h"

namespace {

namespace fs = std::filesystem;

const nmscds::KnowledgeBase& Kb() {
  static auto kb = nmscds::LoadKnowledgeBase("");
  if (!kb) throw std::runtime_error("knowledge base failed to load");
  return **kb;
}

std::vector<std::string> NdjsonFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".ndjson") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::uint64_t TotalBytes(const std::vector<std::string>& files) {
  std::uint64_t n = 0;
  for (const auto& f : files) n += fs::file_size(f);
  return n;
}

// Visits every value of a parsed document.
std::uint64_t Walk(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      std::uint64_t n = 1;
      const simdjson::dom::array array = e.get_array().value_unsafe();  // named: a range-for over a
      for (simdjson::dom::element child : array) n += Walk(child);       // temporary would dangle
      return n;
    }
    case simdjson::dom::element_type::OBJECT: {
      std::uint64_t n = 1;
      const simdjson::dom::object object = e.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair field : object) n += field.key.size() + Walk(field.value);
      return n;
    }
    case simdjson::dom::element_type::STRING: return e.get_string().value_unsafe().size();
    default: return 1;
  }
}

void RawIteration(benchmark::State& state, const std::string& dir) {
  const std::vector<std::string> files = NdjsonFiles(dir);
  simdjson::dom::parser parser;
  std::uint64_t lines = 0;
  for (auto _ : state) {
    std::uint64_t visited = 0;
    lines = 0;
    for (const std::string& path : files) {
      simdjson::padded_string text;
      if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) throw std::runtime_error(path);
      const char* p = text.data();
      const char* end = p + text.size();
      while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* line_end = nl != nullptr ? nl : end;
        if (line_end > p) {
          simdjson::dom::element doc;
          // The bytes after a line are the file's next bytes (or the padding): readable, as simdjson requires.
          if (parser.parse(p, static_cast<std::size_t>(line_end - p), false).get(doc) == simdjson::SUCCESS) {
            visited += Walk(doc);
          }
          ++lines;
        }
        p = line_end + 1;
      }
    }
    benchmark::DoNotOptimize(visited);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TotalBytes(files)));
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(lines * state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void Screen(benchmark::State& state, const std::string& dir) {
  auto input = nmscds::ListScreenInput({dir});
  if (!input) throw std::runtime_error(input.error().message);
  nmscds::ScreenOptions options;
  options.t0 = *nmscds::ParseDateTime("2026-11-20T14:00:00Z");
  options.threads = static_cast<unsigned>(state.range(0));
  nmscds::ScreenSinks sinks;
  std::uint64_t written = 0;
  sinks.write = [&](std::string_view bytes) {
    written += bytes.size();
    return true;
  };
  sinks.diagnostic = [](std::string_view) {};
  std::uint64_t patients = 0;
  for (auto _ : state) {
    auto summary = nmscds::RunScreen(*input, options, Kb(), sinks);
    if (!summary) throw std::runtime_error(summary.error().message);
    patients = summary->patients_screened;
  }
  std::uint64_t bytes = 0;
  for (const auto& f : input->files) bytes += f.size;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["patients/s"] =
      benchmark::Counter(static_cast<double>(patients * state.iterations()), benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(written);
}

void Register(const std::string& name, const std::string& dir) {
  benchmark::RegisterBenchmark(("BM_RawIteration/" + name).c_str(), RawIteration, dir)->Unit(benchmark::kMillisecond);
  auto* b = benchmark::RegisterBenchmark(("BM_Screen/" + name).c_str(), Screen, dir)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->ArgName("threads");
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int t = 1; t < hw; t *= 2) b->Arg(t);
  b->Arg(hw);
}

}  // namespace

int main(int argc, char** argv) {
  Register("synthea", NMSCDS_SYNTHEA_BULK);
  if (const char* cohort = std::getenv("NMSCDS_BENCH_COHORT"); cohort != nullptr && *cohort != '\0') {
    Register("cohort", cohort);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
