#pragma once
// What the HTTP layer records of one assessment request in the audit database (interfaces.md §9.3): the
// columns it knows, never a raw patient id, body, card text or token.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cds/cards.h"
#include "nmscds/report.h"

namespace nmscds {

struct AuditEntry {
  std::string channel;  // api | cds
  std::string service_id, hook, hook_instance;
  std::string client_iss;
  std::string patient_hash;  // §9.2; empty when the patient was not known
  std::string input_sha256;
  std::string outcome;  // ok | invalid_input | unauthorized | precondition_failed | timeout | error
  std::optional<int> http_status;
  std::optional<Report> report;  // decision, suspicion, FN status, stage, IEC points, T0
  std::vector<std::string> unavailable;
  std::vector<CardSummary> cards;
  std::int64_t latency_us = 0;
};

}  // namespace nmscds
