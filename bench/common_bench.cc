// Leaf functions of the screen's hot path (issue #4; Google Benchmark), each called once per FHIR value.
//
//   BM_FixedFromDouble          Fixed::FromDouble on measurement-like values (0 to 3 decimals)
//   BM_FixedFromDoubleFallback  the same on values with more than 6 decimals (the shortest-text path)
//   BM_ParseDateTime            ParseDateTime on FHIR times as Synthea and EHRs write them ("Z", ".fff",
//                               "+hh:mm")
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

// 1024 values, so the loop does not learn one input's branches.
std::vector<double> Values(int decimals_low, int decimals_high) {
  std::mt19937_64 rng(4);
  std::vector<double> values;
  for (int i = 0; i < 1024; ++i) {
    int decimals = decimals_low + static_cast<int>(rng() % static_cast<unsigned>(decimals_high - decimals_low + 1));
    std::string text = std::to_string(rng() % 1000) + "." + std::to_string(rng() % 1'000'000'000).substr(0, decimals);
    values.push_back(std::strtod(text.c_str(), nullptr));
  }
  return values;
}

void FromDouble(benchmark::State& state, const std::vector<double>& values) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(nmscds::Fixed::FromDouble(values[i++ & 1023]));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FixedFromDouble(benchmark::State& state) { FromDouble(state, Values(0, 3)); }
BENCHMARK(BM_FixedFromDouble);

void BM_FixedFromDoubleFallback(benchmark::State& state) { FromDouble(state, Values(8, 9)); }
BENCHMARK(BM_FixedFromDoubleFallback);

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
