#pragma once
// One CDS Hooks service call (interfaces.md §8.5-8.9): request checks, prefetch in its three states (absent ->
// fetched from fhirServer when allowed, null, a Bundle, an OperationOutcome), FHIR -> Case, the engine, the
// cards. Transport (auth, limits, CORS, logging) is the HTTP layer's (server.cc); this is the clinical call.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cds/cards.h"
#include "common/time_util.h"
#include "nmscds/report.h"
#include "server/metrics.h"
#include "server/operation_outcome.h"
#include "server/server_options.h"

namespace nmscds {

class ComputeSlots;
class KnowledgeBase;

struct CdsCallEnv {
  const KnowledgeBase* kb = nullptr;
  const ServerOptions* options = nullptr;
  Metrics* metrics = nullptr;
  // FHIR server URL prefixes the token's issuer allows (§8.3 trusted issuers); ignored when unauthenticated.
  std::vector<std::string> fhir_server_prefixes;
  bool unauthenticated = false;
  Instant t0 = 0;  // request received, truncated to seconds (§8.6)
  std::chrono::steady_clock::time_point deadline;
  std::string body_sha256;
  ComputeSlots* compute = nullptr;  // held for the FHIR mapping, engine and cards; nullptr = unbounded
};

struct CdsCallResult {
  int status = 200;
  std::string body;     // the CDS response, or an OperationOutcome
  std::string outcome;  // audit outcome: ok | invalid_input | precondition_failed | timeout | error
  std::string hook, hook_instance, patient_id;
  std::optional<Report> report;  // when an assessment ran
  std::vector<CardSummary> cards;
  std::vector<std::string> unavailable;
};

// The known service ids, in discovery order.
bool IsCdsServiceId(std::string_view id);

CdsCallResult HandleCdsCall(std::string_view service_id, std::string_view body, const CdsCallEnv& env);

}  // namespace nmscds
