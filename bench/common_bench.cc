// Leaf functions of the screen's hot path (issue #4; Google Benchmark), each called once per FHIR value.
//
//   BM_FixedFromDouble/short     Fixed::FromDouble on measurement-like values (0 to 3 decimals, as EHRs send)
//   BM_FixedFromDouble/full      on doubles printed with all 17 digits (Synthea's values, 176.35499866729558)
//   BM_FixedFromDouble/text      on values within 0.01 micro of half a micro, which take the shortest-text path
//   BM_ParseDateTime             ParseDateTime on FHIR times as Synthea and EHRs write them ("Z", ".fff", "+hh:mm")
//
// Run: build/bench/nmscds_common_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "nmscds/fixed.h"

namespace {

enum class Kind { kShort, kFull, kText };

// 1024 values below 1000, so the loop does not learn one input's branches.
std::vector<double> Values(Kind kind) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> uniform(0, 1000);
  std::vector<double> values;
  while (values.size() < 1024) {
    if (kind == Kind::kShort) {
      const std::string text = std::to_string(rng() % 1000) + "." + std::to_string(rng() % 1000).substr(0, rng() % 4);
      values.push_back(std::strtod(text.c_str(), nullptr));
    } else if (kind == Kind::kFull) {
      values.push_back(uniform(rng));
    } else {
      values.push_back((static_cast<double>(rng() % 1'000'000'000) + 0.5) / 1e6);
    }
  }
  return values;
}

void BM_FixedFromDouble(benchmark::State& state, Kind kind) {
  const std::vector<double> values = Values(kind);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(nmscds::Fixed::FromDouble(values[i++ & 1023]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_FixedFromDouble, short, Kind::kShort);
BENCHMARK_CAPTURE(BM_FixedFromDouble, full, Kind::kFull);
BENCHMARK_CAPTURE(BM_FixedFromDouble, text, Kind::kText);

void BM_ParseDateTime(benchmark::State& state) {
  const std::vector<std::string> times = {
      "2011-10-14T23:37:54+00:00", "2011-10-14T23:37:54.530+00:00", "2024-02-29T08:15:00Z",
      "2023-12-31T23:59:59.123Z",  "1987-06-01T00:00:00-05:00",     "2020-03-15T12:01:02+01:00",
      "2019-11-30T06:45:10Z",      "2022-07-04T18:30:00.5-07:00",
  };
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(nmscds::ParseDateTime(times[i++ & 7]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDateTime);

}  // namespace

BENCHMARK_MAIN();
