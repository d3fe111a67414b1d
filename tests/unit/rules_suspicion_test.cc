// NMS suspicion (§5, rows S-1..S-5) and the NMS pathway. Base: S02 (IEC 93, high).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

// S02 at 73 IEC points: C5 not met (CK 3.7 x ULN) and C6 not met (no diaphoresis, incontinence, BP rise or
// swing); C1 20 + C2 18 + C3 17 + C4 13 + C7 5 = 73 (74 itself is not reachable with C1 met).
void Iec73(json& c) {
  SetLab(c, "ck", 700, "U/L", -Hr(2), 190);
  SetFinding(c, "diaphoresis", false);
  SetFinding(c, "urinary_incontinence", false);
  SetBp(c, {{130, 80}, {128, 78}}, {-Hr(6), -Hr(1)});
}

// No cardinal feature except the one the row adds: afebrile, rigidity none, mental status normal with
// GCS 15, autonomic dysfunction absent.
void NoCardinal(json& c) {
  AutonomicAbsent(c);
  SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
  SetFinding(c, "rigidity", "none");
  SetFinding(c, "mental_status", "normal");
  SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
}

const std::vector<Row> kSuspicionRows = {
    {"S-1", "s02_high", [](json&) {},
     {{Suspicion(), "high"}, {SuspicionRule(), "trigger_and_iec_cutoff"}, {IecPoints(), "93"}, {CardinalCount(), "4"}}},
    {"S-1", "73_points_not_high", Iec73,
     {{IecPoints(), "73"}, {Suspicion(), "possible"}, {SuspicionRule(), "trigger_and_cardinal_features"}}},
    {"S-1", "83_points_high",
     [](json& c) {
       Iec73(c);
       SetLab(c, "ck", 800, "U/L", -Hr(2), 190);
     },
     {{IecPoints(), "83"}, {Suspicion(), "high"}}},
    {"S-1", "withdrawal_14d_trigger_with_c1_not_met",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, StoppedMed("levodopa", -Day(300), -Day(5)));
     },
     {{Iec(1), "not_met"}, {IecPoints(), "73"}, {TriggerType(), "withdrawal"}, {Suspicion(), "possible"}}},
    // S-2: trigger present AND (hyperthermia OR rigidity) AND >= 2 cardinal features present.
    {"S-2", "hyperthermia_without_rigidity",
     [](json& c) {
       Iec73(c);
       SetFinding(c, "rigidity", "none");
     },
     {{Suspicion(), "possible"}, {SuspicionRule(), "trigger_and_cardinal_features"}}},
    {"S-2", "rigidity_without_hyperthermia",
     [](json& c) {
       NoCardinal(c);
       SetFinding(c, "rigidity", "moderate");
       SetFinding(c, "mental_status", "confused");
     },
     {{Cardinal("hyperthermia"), "absent"}, {Suspicion(), "possible"}}},
    {"S-2", "rigidity_and_unknown_temperature",
     [](json& c) {
       NoCardinal(c);
       RemoveObs(c, "temperature", true);
       SetFinding(c, "rigidity", "moderate");
       SetFinding(c, "mental_status", "confused");
     },
     {{Suspicion(), "possible"}}},
    {"S-2", "two_features_but_neither_hyperthermia_nor_rigidity",
     [](json& c) {
       NoCardinal(c);
       SetFinding(c, "mental_status", "confused");
       SetFinding(c, "diaphoresis", true);
     },
     {{CardinalCount(), "2"}, {Suspicion(), "unlikely"}, {SuspicionRule(), "none"}, {Decision(), "not_applicable"}}},
    {"S-2", "rigidity_alone_one_feature",
     [](json& c) {
       NoCardinal(c);
       SetFinding(c, "rigidity", "severe");
     },
     {{CardinalCount(), "1"}, {Suspicion(), "unlikely"}}},
    {"S-2", "hyperthermia_alone_one_feature",
     [](json& c) {
       NoCardinal(c);
       SetTemps(c, {{38.5, -Hr(6)}, {38.6, -Hr(1)}});
     },
     {{CardinalCount(), "1"}, {Suspicion(), "unlikely"}}},
    {"S-2", "hyperthermia_and_autonomic",
     [](json& c) {
       NoCardinal(c);
       SetTemps(c, {{38.5, -Hr(6)}, {38.6, -Hr(1)}});
       SetFinding(c, "diaphoresis", true);
     },
     {{Suspicion(), "possible"}}},
    // S-3: clinician suspects NMS.
    {"S-3", "clinician_suspected_without_trigger",
     [](json& c) {
       c["medications"] = json::array();
       NoCardinal(c);
       c["clinician_suspected_nms"] = true;
     },
     {{Suspicion(), "possible"}, {SuspicionRule(), "clinician_suspected"}, {Plan("COOLING_AND_FLUIDS"), "recommended"}}},
    {"S-3", "clinician_suspected_false_same_as_absent",
     [](json& c) {
       c["medications"] = json::array();
       NoCardinal(c);
       c["clinician_suspected_nms"] = false;
     },
     {{Suspicion(), "unlikely"}}},
    {"S-3", "clinician_suspected_with_trigger_one_feature",
     [](json& c) {
       NoCardinal(c);
       SetFinding(c, "rigidity", "severe");
       c["clinician_suspected_nms"] = true;
     },
     {{Suspicion(), "possible"}, {SuspicionRule(), "clinician_suspected"}}},
    // S-4: trigger unknown (medication list absent) with the clinical criteria (B15).
    {"S-4", "medication_list_absent_features_met", [](json& c) { c.erase("medications"); },
     {{TriggerType(), "unknown"}, {Suspicion(), "possible"}, {SuspicionRule(), "trigger_and_cardinal_features"},
      {Plan("COOLING_AND_FLUIDS"), "recommended"}}},
    {"S-1/S-4", "80_points_with_trigger_unknown_not_high",
     [](json& c) {
       c.erase("medications");
       SetCtx(c, "workup_negative_for_other_causes", true);
     },
     {{IecPoints(), "80"}, {Iec(1), "unknown"}, {Suspicion(), "possible"}}},
    {"S-4", "undetermined_d2_only_features_met",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}});
     },
     {{TriggerType(), "unknown"}, {Suspicion(), "possible"}}},
    {"S-4", "medication_list_absent_one_feature",
     [](json& c) {
       c.erase("medications");
       NoCardinal(c);
       SetFinding(c, "rigidity", "severe");
     },
     {{Suspicion(), "unlikely"}}},
    {"S-4", "medication_list_absent_no_hyperthermia_or_rigidity",
     [](json& c) {
       c.erase("medications");
       NoCardinal(c);
       SetFinding(c, "mental_status", "confused");
       SetFinding(c, "diaphoresis", true);
     },
     {{Suspicion(), "unlikely"}}},
    {"S-4", "clinician_row_wins_over_s4",
     [](json& c) {
       c.erase("medications");
       c["clinician_suspected_nms"] = true;
     },
     {{SuspicionRule(), "clinician_suspected"}}},
    // S-5 and the pathway.
    {"S-5", "no_trigger_unlikely_no_pathway", [](json& c) { c["medications"] = json::array(); },
     {{Suspicion(), "unlikely"},
      {SuspicionRule(), "none"},
      {Plan("COOLING_AND_FLUIDS"), "absent"},
      {Plan("ICU_TRANSFER"), "absent"},
      {Plan("DOCUMENT_CARDINAL_FEATURES"), "absent"},
      {Plan("VITALS_CONTINUOUS"), "absent"},
      {Plan("LORAZEPAM"), "absent"},
      {Plan("DANTROLENE"), "absent"},
      {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "absent"}}},
    {"§5", "pathway_items_when_possible", Iec73,
     {{Plan("STOP_DOPAMINE_ANTAGONISTS"), "recommended"},
      {Priority("STOP_DOPAMINE_ANTAGONISTS"), "immediate"},
      {Plan("COOLING_AND_FLUIDS"), "recommended"},
      {Plan("ICU_TRANSFER"), "recommended"},
      {Plan("DOCUMENT_CARDINAL_FEATURES"), "recommended"},
      {Priority("DOCUMENT_CARDINAL_FEATURES"), "urgent"},
      {Plan("EXPOSURE_PATTERN"), "recommended"},
      {Plan("VITALS_CONTINUOUS"), "recommended"},
      {Plan("CK_RENAL_POTASSIUM_DAILY"), "recommended"},
      {Note("NOTE_IEC_NOT_EXCLUSIONARY"), "present"}}},
    {"§5", "fn_items_whatever_the_suspicion",
     [](json& c) {
       MakeFn(c);
       c["medications"] = json::array();
     },
     {{Suspicion(), "unlikely"},
      {Plan("EMPIRIC_ANTIBIOTICS"), "recommended"},
      {Plan("CONTINUE_ANTIBIOTICS"), "recommended"},
      {Plan("VANCOMYCIN"), "not_indicated"},
      {Plan("GCSF"), "not_indicated"},
      {Plan("COOLING_AND_FLUIDS"), "absent"},
      {Plan("STOP_DOPAMINE_ANTAGONISTS"), "absent"},
      {Plan("DOCUMENT_CARDINAL_FEATURES"), "absent"},
      {Plan("BASELINE_LABS"), "absent"},
      {Plan("VITALS_CONTINUOUS"), "absent"},
      {Plan("CK_RENAL_POTASSIUM_DAILY"), "absent"},
      {Path("plan.4"), "absent"},
      {Path("monitoring.0"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesSuspicion, kSuspicionRows);

}  // namespace
}  // namespace nmscds::rules
