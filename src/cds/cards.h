#pragma once
// CDS Hooks 2.0 cards of the three nmscds services (interfaces.md §8.7-§8.10), as pure functions of an
// assessment Report, the facts of the request and the orders the server has already identified.
//
// The server (src/server) parses the request, resolves prefetch, runs the engine and decides which
// draft orders are dantrolene or dopamine-antagonist orders; these functions decide everything about the
// cards: which cards, indicator, summary, detail, source/topic, uuids, suggestions, actions and override
// reasons. Every clinician-facing word comes from the knowledge-base texts ("card.*" ids in
// src/kb/text_ids.h).
//
// Guarantees of every response (§8.10):
//   - json is `{"cards":[...]}`, compact UTF-8, with no null and no empty string, array or object
//     anywhere (the only empty array is "cards": []); systemActions is never returned.
//   - cards are ordered by indicator (critical, warning, info), then topic (nms, febrile-neutropenia,
//     dantrolene-order, trigger-order, data-unavailable), then order id.
//   - every summary has at most 139 characters (Unicode code points); detail is Markdown with at most
//     4000 characters, no links and no HTML (text taken from the report is escaped).
//   - uuids are name-based (v5) from hookInstance, service id and card key: the same inputs give the same
//     bytes; another hookInstance gives other uuids.
//   - selectionBehavior is present exactly when suggestions are.
// Same inputs -> byte-identical json.
#include <optional>
#include <string>
#include <vector>

#include "nmscds/fixed.h"
#include "nmscds/report.h"

namespace nmscds {

class KnowledgeBase;

// Facts of the CDS request.
struct CardRequest {
  std::string hook;           // patient-view | order-select | order-sign
  std::string hook_instance;  // feeds every uuid (§8.10)
  std::string service_id;     // nms-assessment | nms-dantrolene-order | nms-trigger-order
  std::string patient_id;     // context.patientId
  std::string encounter_id;   // context.encounterId, empty when absent
  // Prefetch keys unavailable or partially read (§8.6), as "medication_statements"; named in every
  // card's detail and in the data-unavailable card.
  std::vector<std::string> unavailable;
  bool required_data_unavailable = false;  // a *required* key was unavailable (OperationOutcome or partial)
  // context `history_of_nms` (interfaces §2.6, §4.7) of the assessed case, used only by the trigger-order
  // service (§8.9): nullopt = unknown. The Report does not carry it, so the server passes it here.
  std::optional<bool> history_of_nms;
};

// A dopamine-antagonist MedicationRequest with status active/on-hold found in the patient's data
// (§8.7 suggestions).
struct ActiveTriggerOrder {
  std::string id;             // MedicationRequest.id
  std::string drug_name;      // display name (knowledge-base name of the ingredient)
  std::string dose_text;      // dosageInstruction[0].text, may be empty
  std::string resource_json;  // the resource exactly as received (compact JSON text of an object)
};

// A draft order of the order-select / order-sign context (§8.8, §8.9), already identified.
struct DraftOrder {
  std::string id;                        // MedicationRequest.id
  std::vector<int> ingredients;          // knowledge-base drug indices (KnowledgeBase::drugs)
  std::string drug_name;                 // display name
  std::optional<Fixed> ordered_dose_mg;  // doseAndRate[0].doseQuantity in mg (mg/kg already multiplied)
};

// What the audit trail and the metrics need of each card (interfaces §9.3, §8.12).
struct CardSummary {
  std::string uuid, topic, indicator;
  std::vector<std::string> suggestion_uuids;  // in the order of the card's suggestions
};

struct CdsResponse {
  std::string json;                // {"cards":[...]} compact UTF-8
  std::vector<CardSummary> cards;  // in the order of the json
};

// §8.7 nms-assessment (patient-view): up to three cards -- NMS (suspicion possible/high, or the MH
// protocol), febrile neutropenia (present or presumed), data unavailable (a required key unavailable and
// no other card). `active_trigger_orders` become the NMS card's "Stop <drug>" suggestions (each an update
// action with status stopped and statusReason); an entry whose resource_json is not a JSON object gets no
// suggestion (the detail still names the agent to stop).
CdsResponse PatientViewCards(const Report& report, const CardRequest& request,
                             const std::vector<ActiveTriggerOrder>& active_trigger_orders, const KnowledgeBase& kb);

// §8.8 nms-dantrolene-order: one card per dantrolene draft order, by the report's dantrolene decision
// (no card for not_applicable). Empty `dantrolene_orders` -> {"cards":[]}. The report must come from an
// assessment in which other draft bromocriptine/amantadine orders counted as planned NMS therapies (DF-17).
CdsResponse DantroleneOrderCards(const Report& report, const CardRequest& request,
                                 const std::vector<DraftOrder>& dantrolene_orders, const KnowledgeBase& kb);

// §8.9 nms-trigger-order: one card per dopamine-antagonist draft order when suspicion is high or
// possible, or unlikely with history_of_nms true; otherwise no card.
CdsResponse TriggerOrderCards(const Report& report, const CardRequest& request,
                              const std::vector<DraftOrder>& trigger_orders, const KnowledgeBase& kb);

}  // namespace nmscds
