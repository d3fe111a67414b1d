#include "server/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace nmscds {

namespace {

struct FamilyDef {
  const char* name;
  const char* type;
  const char* help;
};

// §8.12 table, in its order.
constexpr FamilyDef kFamilies[] = {
    {"nmscds_build_info", "gauge", "Engine and knowledge-base versions (always 1)"},
    {"nmscds_http_requests_total", "counter", "HTTP requests by route template, method and status"},
    {"nmscds_http_request_duration_seconds", "histogram", "HTTP request latency by route template"},
    {"nmscds_http_requests_in_flight", "gauge", "HTTP requests being processed"},
    {"nmscds_assessments_total", "counter", "Assessments by channel and service"},
    {"nmscds_dantrolene_decisions_total", "counter", "Dantrolene decisions"},
    {"nmscds_nms_suspicion_total", "counter", "NMS suspicion levels"},
    {"nmscds_fn_status_total", "counter", "Febrile neutropenia statuses"},
    {"nmscds_cards_total", "counter", "CDS cards returned by service, indicator and topic"},
    {"nmscds_prefetch_total", "counter", "Prefetch keys by state"},
    {"nmscds_fhir_fetch_duration_seconds", "histogram", "Duration of FHIR fetches made for absent prefetch"},
    {"nmscds_auth_failures_total", "counter", "Rejected tokens by reason"},
    {"nmscds_feedback_total", "counter", "Feedback elements by outcome and duplicate"},
    {"nmscds_deadline_exceeded_total", "counter", "Requests that ran out of their time budget"},
    {"nmscds_audit_dropped_total", "counter", "Audit rows dropped (queue full or write failed)"},
};

void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
}

std::string RenderLabels(MetricLabels labels) {
  std::vector<std::pair<std::string_view, std::string_view>> sorted(labels.begin(), labels.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [key, value] : sorted) {
    if (!out.empty()) out.push_back(',');
    out.append(key);
    out += "=\"";
    AppendEscaped(out, value);
    out.push_back('"');
  }
  return out;
}

std::string Number(double v) { return fmt::format("{}", v); }

}  // namespace

Metrics::Metrics() {
  for (const FamilyDef& def : kFamilies) families_.push_back(Family{def.name, def.help, def.type, {}, {}});
}

Metrics::Family* Metrics::Find(std::string_view family) {
  for (Family& f : families_) {
    if (f.name == family) return &f;
  }
  return nullptr;
}

const Metrics::Family* Metrics::Find(std::string_view family) const {
  for (const Family& f : families_) {
    if (f.name == family) return &f;
  }
  return nullptr;
}

void Metrics::Inc(std::string_view family, MetricLabels labels, double by) {
  std::string key = RenderLabels(labels);
  std::lock_guard lock(mu_);
  if (Family* f = Find(family)) f->values[std::move(key)] += by;
}

void Metrics::Set(std::string_view family, MetricLabels labels, double value) {
  std::string key = RenderLabels(labels);
  std::lock_guard lock(mu_);
  if (Family* f = Find(family)) f->values[std::move(key)] = value;
}

void Metrics::Observe(std::string_view family, MetricLabels labels, double seconds) {
  std::string key = RenderLabels(labels);
  std::lock_guard lock(mu_);
  Family* f = Find(family);
  if (f == nullptr) return;
  Histogram& h = f->histograms[std::move(key)];
  if (h.buckets.empty()) h.buckets.assign(std::size(kLatencyBuckets), 0);
  for (std::size_t i = 0; i < std::size(kLatencyBuckets); ++i) {
    if (seconds <= kLatencyBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

double Metrics::Value(std::string_view family, MetricLabels labels) const {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mu_);
  const Family* f = Find(family);
  if (f == nullptr) return 0;
  auto it = f->values.find(key);
  return it == f->values.end() ? 0 : it->second;
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(8192);
  std::lock_guard lock(mu_);
  for (const Family& f : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& [labels, value] : f.values) {
      out += f.name;
      if (!labels.empty()) out += "{" + labels + "}";
      out += " " + Number(value) + "\n";
    }
    for (const auto& [labels, h] : f.histograms) {
      const std::string sep = labels.empty() ? "" : ",";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < h.buckets.size(); ++i) {
        cumulative += h.buckets[i];
        out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", f.name, labels, sep, Number(kLatencyBuckets[i]), cumulative);
      }
      out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", f.name, labels, sep, h.count);
      const std::string braces = labels.empty() ? "" : "{" + labels + "}";
      out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", f.name, braces, Number(h.sum), f.name, braces, h.count);
    }
  }
  return out;
}

}  // namespace nmscds
