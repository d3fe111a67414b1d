#pragma once
// Prometheus metrics of the service (interfaces.md §8.12), rendered in text exposition format 0.0.4.
//
// Label values are bounded by construction: route templates, service ids, codes, statuses; callers never
// pass patient data. Thread-safe; a mutex is enough at the request rates of a CDS service (a counter update
// is a map lookup under the lock).
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nmscds {

using MetricLabels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Metrics {
 public:
  Metrics();

  void Inc(std::string_view family, MetricLabels labels, double by = 1);
  void Set(std::string_view family, MetricLabels labels, double value);
  void Observe(std::string_view family, MetricLabels labels, double seconds);
  // Current value of a counter or gauge (0 when never set); for tests and /healthz.
  double Value(std::string_view family, MetricLabels labels) const;

  // text/plain; version=0.0.4. Families in declaration order, series sorted by labels.
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative counts are computed when rendering
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string name, help, type;  // type: counter | gauge | histogram
    std::map<std::string, double> values;         // rendered label set -> value
    std::map<std::string, Histogram> histograms;  // rendered label set -> histogram
  };
  Family* Find(std::string_view family);
  const Family* Find(std::string_view family) const;

  mutable std::mutex mu_;
  std::vector<Family> families_;
};

// The histogram buckets of §8.12, in seconds.
inline constexpr double kLatencyBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

}  // namespace nmscds
