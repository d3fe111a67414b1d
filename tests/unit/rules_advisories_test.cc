// Warnings (§11.1), notes (§15), plan-item details (§8.2), missing data (§12) and Kleene logic (§0.2).
// Base: S02 (consider; warnings DANTROLENE_NOT_FIRST_LINE, VTE_RISK, RHABDOMYOLYSIS_RISK,
// NO_MORTALITY_GUARANTEE; missing data only `workup_negative`).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

void NotIndicated(json& c) { SetFinding(c, "rigidity", "moderate"); }
void Contraindicated(json& c) { SetCtx(c, "iv_access", "poor"); }
void Mh(json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100)); }
void NoD2(json& c) { RemoveMed(c, "haloperidol"); }

const std::vector<Row> kWarningRows = {
    {"§11", "s02_warnings", [](json&) {},
     {{Warning("DANTROLENE_NOT_FIRST_LINE"), "warning"},
      {Warning("VTE_RISK"), "warning"},
      {Warning("RHABDOMYOLYSIS_RISK"), "warning"},
      {Warning("NO_MORTALITY_GUARANTEE"), "info"},
      {Warning("EXTRAVASATION_INFECTION_PORTAL"), "absent"},
      {Warning("PERIPHERAL_ACCESS"), "absent"},
      {Warning("OBSERVATION_AFTER_T0"), "absent"},
      {Warning("DEFAULT_ULN_USED"), "absent"},
      {Warning("ANTIBIOTICS_NO_DELAY"), "absent"},
      {Warning("SEROTONERGIC_OVERLAP"), "absent"}}},
    // DANTROLENE_NOT_FIRST_LINE: decision consider or insufficient_data.
    {"§11-NOT_FIRST_LINE", "insufficient_data", [](json& c) { UnsetCtx(c, "iv_access"); },
     {{Warning("DANTROLENE_NOT_FIRST_LINE"), "warning"}, {Warning("VTE_RISK"), "absent"}, {Warning("NO_MORTALITY_GUARANTEE"), "absent"}}},
    {"§11-NOT_FIRST_LINE", "not_indicated", NotIndicated,
     {{Warning("DANTROLENE_NOT_FIRST_LINE"), "absent"}, {Warning("VTE_RISK"), "absent"}}},
    {"§11-NOT_FIRST_LINE", "contraindicated", Contraindicated, {{Warning("DANTROLENE_NOT_FIRST_LINE"), "absent"}}},
    {"§11-NOT_FIRST_LINE", "not_applicable", [](json& c) { c["medications"] = json::array(); },
     {{Warning("DANTROLENE_NOT_FIRST_LINE"), "absent"}, {Warning("RHABDOMYOLYSIS_RISK"), "absent"}}},
    // PERIPHERAL_ACCESS: peripheral AND decision consider or MH.
    {"§11-PERIPHERAL", "peripheral_not_indicated",
     [](json& c) {
       NotIndicated(c);
       SetCtx(c, "iv_access", "peripheral");
     },
     {{Warning("PERIPHERAL_ACCESS"), "absent"}}},
    {"§11-PERIPHERAL", "peripheral_insufficient_data",
     [](json& c) {
       SetCtx(c, "iv_access", "peripheral");
       RemoveObs(c, "alt");
     },
     {{Decision(), "insufficient_data"}, {Warning("PERIPHERAL_ACCESS"), "absent"}}},
    // EXTRAVASATION_INFECTION_PORTAL: consider or MH AND neutropenia present or unknown (B29).
    {"§11-EXTRAVASATION", "consider_anc_unknown", [](json& c) { RemoveObs(c, "anc"); },
     {{Warning("EXTRAVASATION_INFECTION_PORTAL"), "warning"}}},
    {"§11-EXTRAVASATION", "consider_neutropenic", [](json& c) { SetLab(c, "anc", 0.3, "10*9/L", -Hr(2), std::nullopt); },
     {{Warning("EXTRAVASATION_INFECTION_PORTAL"), "warning"}}},
    {"§11-EXTRAVASATION-B29", "consider_neutropenia_unknown_anc_0_7",
     [](json& c) { SetLab(c, "anc", 0.7, "10*9/L", -Hr(2), std::nullopt); },
     {{AncStatus(), "unknown"}, {Warning("EXTRAVASATION_INFECTION_PORTAL"), "warning"}}},
    {"§11-EXTRAVASATION", "not_indicated_neutropenic",
     [](json& c) {
       NotIndicated(c);
       SetLab(c, "anc", 0.3, "10*9/L", -Hr(2), std::nullopt);
     },
     {{Warning("EXTRAVASATION_INFECTION_PORTAL"), "absent"}}},
    {"§11-EXTRAVASATION", "mh_anc_unknown",
     [](json& c) {
       Mh(c);
       RemoveObs(c, "anc");
     },
     {{Warning("EXTRAVASATION_INFECTION_PORTAL"), "warning"}}},
    // CCB warnings only when the pathway runs or MH.
    {"§11-CCB", "amlodipine_with_mh", [](json& c) { Mh(c); AddMed(c, ActiveMed("amlodipine", -Day(30))); },
     {{Warning("CCB_DIHYDROPYRIDINE"), "warning"}}},
    {"§11-CCB", "amlodipine_without_pathway",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("amlodipine", -Day(30)));
     },
     {{Suspicion(), "unlikely"}, {Warning("CCB_DIHYDROPYRIDINE"), "absent"}}},
    {"§11-CCB", "verapamil_without_pathway",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("verapamil", -Day(30)));
     },
     {{Warning("CCB_NON_DIHYDROPYRIDINE"), "absent"}, {Decision(), "not_applicable"}}},
    // SEROTONERGIC_OVERLAP: (pathway or MH) AND (exposure or serotonin syndrome suspected/possible).
    {"§11-SEROTONERGIC", "sertraline_with_pathway", [](json& c) { AddMed(c, ActiveMed("sertraline", -Day(30))); },
     {{Warning("SEROTONERGIC_OVERLAP"), "warning"}}},
    {"§11-SEROTONERGIC", "sertraline_without_pathway",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("sertraline", -Day(30)));
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "suspected"}, {Warning("SEROTONERGIC_OVERLAP"), "absent"}}},
    {"§11-SEROTONERGIC", "serotonin_possible_exposure_unknown_with_pathway",
     [](json& c) {
       c.erase("medications");
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "possible"}, {Warning("SEROTONERGIC_OVERLAP"), "warning"}}},
    {"§11-SEROTONERGIC", "sertraline_with_mh", [](json& c) { Mh(c); AddMed(c, ActiveMed("sertraline", -Day(30))); },
     {{Warning("SEROTONERGIC_OVERLAP"), "warning"}}},
    // RHABDOMYOLYSIS_RISK only when the pathway runs or MH.
    {"§11-RHABDO", "mh_without_pathway",
     [](json& c) {
       NoD2(c);
       Mh(c);
     },
     {{Suspicion(), "unlikely"}, {Warning("RHABDOMYOLYSIS_RISK"), "warning"}}},
    // OBSERVATION_AFTER_T0 for each kind of timestamped input.
    {"§11-AFTER_T0", "administration_after_T0", [](json& c) { AddMed(c, GivenOnce("lorazepam", Hr(1), 2)); },
     {{Warning("OBSERVATION_AFTER_T0"), "info"}}},
    {"§11-AFTER_T0", "ect_after_T0", [](json& c) { c["procedures"] = {{{"kind", "ect"}, {"time", At(Hr(2))}}}; },
     {{Warning("OBSERVATION_AFTER_T0"), "info"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"§11-AFTER_T0", "stop_after_T0_is_not_ignored", [](json& c) { c["medications"][0]["stop"] = At(Day(1)); },
     {{Warning("OBSERVATION_AFTER_T0"), "absent"}, {Pattern(), "monotherapy"}}},
    {"§11-ANTIBIOTICS_NO_DELAY", "fn_presumed",
     [](json& c) {
       RemoveObs(c, "anc");
       SetCtx(c, "recent_chemotherapy", true);
     },
     {{Warning("ANTIBIOTICS_NO_DELAY"), "critical"}}},
};
NMSCDS_RULES_TABLE(RulesWarnings, kWarningRows);

const std::vector<Row> kNoteRows = {
    {"§15", "s02_notes", [](json&) {},
     {{Note("NOTE_DANTROLENE_REGIMEN"), "present"},
      {Note("NOTE_IV_HEPATOTOXICITY_SOURCE"), "present"},
      {Note("NOTE_DANTROLENE_ONSET"), "present"},
      {Note("NOTE_ALTERNATIVE_DOSES"), "present"},
      {Note("NOTE_TEMPERATURE_ROUTE"), "present"},
      {Note("NOTE_COMBINATION_GATE"), "absent"},
      {Note("NOTE_IEC_NOT_EXCLUSIONARY"), "absent"},
      {Note("NOTE_HEPATIC_GATE"), "absent"},
      {Note("NOTE_RIGIDITY_INDICATION"), "absent"},
      {Note("NOTE_OUT_OF_SCOPE_AGE"), "absent"},
      {Note("NOTE_VANCOMYCIN_LIST"), "absent"}}},
    {"§15", "consider_notes_absent_when_not_indicated", NotIndicated,
     {{Note("NOTE_DANTROLENE_REGIMEN"), "absent"},
      {Note("NOTE_IV_HEPATOTOXICITY_SOURCE"), "absent"},
      {Note("NOTE_DANTROLENE_ONSET"), "absent"},
      {Note("NOTE_RIGIDITY_INDICATION"), "present"}}},
    {"§15", "consider_notes_absent_under_mh", Mh,
     {{Note("NOTE_IV_HEPATOTOXICITY_SOURCE"), "absent"}, {Note("NOTE_DANTROLENE_ONSET"), "absent"}}},
    {"§15", "rigidity_note_absent_without_dec4", Contraindicated, {{Note("NOTE_RIGIDITY_INDICATION"), "absent"}}},
    {"§15", "rigidity_note_absent_for_dec5_only", [](json& c) { SetFinding(c, "rigidity", "present_ungraded"); },
     {{Note("NOTE_RIGIDITY_INDICATION"), "absent"}}},
    // NOTE_IEC_NOT_EXCLUSIONARY: pathway runs and points < 74.
    {"§15-IEC", "pathway_below_cutoff",
     [](json& c) {
       SetLab(c, "ck", 700, "U/L", -Hr(2), 190);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "urinary_incontinence", false);
       SetBp(c, {{130, 80}, {128, 78}}, {-Hr(6), -Hr(1)});
     },
     {{IecPoints(), "73"}, {Note("NOTE_IEC_NOT_EXCLUSIONARY"), "present"}}},
    {"§15-IEC", "no_pathway_no_note", [](json& c) { c["medications"] = json::array(); },
     {{Note("NOTE_IEC_NOT_EXCLUSIONARY"), "absent"}}},
    // NOTE_TEMPERATURE_ROUTE: a temperature used by a rule has a route other than oral.
    {"§15-ROUTE", "all_oral_no_note", [](json& c) { SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(1)}}, "oral"); },
     {{Note("NOTE_TEMPERATURE_ROUTE"), "absent"}}},
    {"§15-ROUTE", "route_missing_note",
     [](json& c) {
       SetTemps(c, {{40.2, -Hr(6)}}, "oral");
       AddObs(c, "temperature", 40.6, "Cel", -Hr(1));
     },
     {{Note("NOTE_TEMPERATURE_ROUTE"), "present"}}},
    {"§15-ROUTE", "route_unknown_note", [](json& c) { SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(1)}}, "unknown"); },
     {{Note("NOTE_TEMPERATURE_ROUTE"), "present"}}},
    {"§15-ROUTE", "unused_old_rectal_reading_no_note",
     [](json& c) {
       SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(1)}}, "oral");
       AddObs(c, "temperature", 39.0, "Cel", -Hr(80), {{"route", "rectal"}});
     },
     {{Note("NOTE_TEMPERATURE_ROUTE"), "absent"}}},
    {"§15-ROUTE", "tympanic_reading_used_by_72h_rules_note",
     [](json& c) {
       SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(1)}}, "oral");
       AddObs(c, "temperature", 39.0, "Cel", -Hr(50), {{"route", "tympanic"}});
     },
     {{Note("NOTE_TEMPERATURE_ROUTE"), "present"}}},
    {"§15-AGE", "age_17_out_of_scope", [](json& c) { c["patient"]["age_years"] = 17; },
     {{Note("NOTE_OUT_OF_SCOPE_AGE"), "present"}, {Decision(), "consider"}}},
    {"§15-AGE", "age_18_in_scope", [](json& c) { c["patient"]["age_years"] = 18; }, {{Note("NOTE_OUT_OF_SCOPE_AGE"), "absent"}}},
    {"§15", "vancomycin_and_gcsf_notes_with_fn", MakeFn,
     {{Note("NOTE_VANCOMYCIN_LIST"), "present"}, {Note("NOTE_GCSF_LIST"), "present"}}},
};
NMSCDS_RULES_TABLE(RulesNotes, kNoteRows);

const std::vector<Row> kPlanRows = {
    // P-COOL: urine target 1 mL/kg/h if ck_gt_5x_uln true or unknown, else 0.5; mL/h rounded up.
    {"P-COOL", "weight_70_5_target_rounded_up", [](json& c) { SetWeight(c, 70.5); },
     {{PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), "71"}}},
    {"P-COOL", "half_ml_rounded_up",
     [](json& c) {
       SetWeight(c, 70.5);
       SetLab(c, "ck", 300, "U/L", -Hr(2), 190);
     },
     {{PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), "36"}, {PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_kg_h"), "0.5"}}},
    {"P-COOL", "weight_unknown_per_kg_only", [](json& c) { c["patient"].erase("weight"); },
     {{PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), ""}, {PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_kg_h"), "1"}}},
    {"P-COOL", "tmax_41_escalate", [](json& c) { SetTemps(c, {{40.2, -Hr(6)}, {41.0, -Hr(1)}}); },
     {{PlanTextHas("COOLING_AND_FLUIDS", "intubat"), "yes"}}},
    {"P-COOL", "tmax_40_99_no_escalation", [](json& c) { SetTemps(c, {{40.2, -Hr(6)}, {40.99, -Hr(1)}}); },
     {{PlanTextHas("COOLING_AND_FLUIDS", "intubat"), "no"}}},
    {"P-ICU", "location_icu_continue", [](json& c) { SetCtx(c, "location", "icu"); },
     {{PlanTextHas("ICU_TRANSFER", "continue ICU"), "yes"}}},
    {"P-ICU", "location_other_transfer", [](json& c) { SetCtx(c, "location", "other"); },
     {{PlanTextHas("ICU_TRANSFER", "transfer"), "yes"}}},
    // P-STOP.
    {"P-STOP", "antiemetic_replacement_named",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("metoclopramide", -Day(1)));
     },
     {{Plan("STOP_DOPAMINE_ANTAGONISTS"), "recommended"}, {PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "ondansetron"), "yes"}}},
    {"P-STOP", "lithium_review", [](json& c) { AddMed(c, ActiveMed("lithium", -Day(100))); },
     {{PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "lithium"), "yes"}}},
    {"P-STOP", "pattern_unknown_obtain_history", [](json& c) { c.erase("medications"); },
     {{Plan("STOP_DOPAMINE_ANTAGONISTS"), "recommended"}, {PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "medication history"), "yes"}}},
    {"P-STOP", "names_each_agent", [](json& c) { AddMed(c, ActiveMed("olanzapine", -Day(1))); },
     {{PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "haloperidol"), "yes"}, {PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "olanzapine"), "yes"}}},
    {"P-STOP", "pattern_none_not_emitted",
     [](json& c) {
       NoD2(c);
       AddMed(c, StoppedMed("levodopa", -Day(300), -Hr(30)));
     },
     {{Plan("STOP_DOPAMINE_ANTAGONISTS"), "absent"}}},
    // P-LABS: any of ALT, AST, bilirubin, CK, CBC/ANC, creatinine, potassium without a result within 24 h.
    {"P-LABS", "s02_all_recent_no_item", [](json&) {}, {{Plan("BASELINE_LABS"), "absent"}}},
    {"P-LABS", "potassium_25h_old_urgent", [](json& c) { SetLab(c, "potassium", 4.6, "mmol/L", -Hr(25), std::nullopt); },
     {{Plan("BASELINE_LABS"), "recommended"}, {Priority("BASELINE_LABS"), "urgent"}, {Missing("potassium"), "!absent"}}},
    {"P-LABS", "ck_exactly_24h_still_recent", [](json& c) { SetLab(c, "ck", 18500, "U/L", -Hr(24), 190); },
     {{Plan("BASELINE_LABS"), "absent"}}},
    {"P-LABS", "ck_25h_old", [](json& c) { SetLab(c, "ck", 18500, "U/L", -Hr(25), 190); },
     {{Plan("BASELINE_LABS"), "recommended"}, {Iec(5), "met"}}},
    {"P-LABS", "bilirubin_missing", [](json& c) { RemoveObs(c, "bilirubin_total"); }, {{Plan("BASELINE_LABS"), "recommended"}}},
    {"P-LABS", "anc_missing_with_fn_fever_immediate", [](json& c) { RemoveObs(c, "anc"); },
     {{Priority("BASELINE_LABS"), "immediate"}}},
    {"P-LABS", "anc_missing_without_fn_fever_urgent",
     [](json& c) {
       RemoveObs(c, "anc");
       SetTemps(c, {{38.1, -Hr(1)}});
     },
     {{FnFever(), "unknown"}, {Priority("BASELINE_LABS"), "urgent"}}},
    {"P-LABS", "not_without_pathway",
     [](json& c) {
       c["medications"] = json::array();
       RemoveObs(c, "potassium");
     },
     {{Plan("BASELINE_LABS"), "absent"}}},
    // P-MON-CK: potassium > 5.5 makes the item immediate.
    {"P-MON-CK", "potassium_5_6_immediate", [](json& c) { SetLab(c, "potassium", 5.6, "mmol/L", -Hr(2), std::nullopt); },
     {{Priority("CK_RENAL_POTASSIUM_DAILY"), "immediate"}, {PlanTextHas("CK_RENAL_POTASSIUM_DAILY", "calcium"), "yes"}}},
    {"P-MON-CK", "potassium_5_5_routine", [](json& c) { SetLab(c, "potassium", 5.5, "mmol/L", -Hr(2), std::nullopt); },
     {{Priority("CK_RENAL_POTASSIUM_DAILY"), "routine"}}},
    {"P-MON-CK", "latest_potassium_used",
     [](json& c) {
       SetLab(c, "potassium", 6.0, "mmol/L", -Hr(10), std::nullopt);
       AddObs(c, "potassium", 4.5, "mmol/L", -Hr(2));
     },
     {{Priority("CK_RENAL_POTASSIUM_DAILY"), "routine"}}},
    // P-MON-LFT / P-MON-SITE.
    {"P-MON-LFT", "hepatic_dysfunction_keeps_lft_daily", [](json& c) { SetLab(c, "alt", 85, "U/L", -Hr(2), 41); },
     {{Plan("LFT_DAILY"), "recommended"}, {Plan("INJECTION_SITE"), "absent"}, {Plan("DANTROLENE"), "absent"}}},
    {"P-MON-LFT", "contraindicated_normal_liver_no_lft_daily", Contraindicated,
     {{Plan("LFT_DAILY"), "absent"}, {Plan("INJECTION_SITE"), "absent"}}},
    {"P-MON-LFT", "not_indicated_no_lft_daily", NotIndicated, {{Plan("LFT_DAILY"), "absent"}}},
    {"P-MON-LFT", "liver_disease_without_pathway_no_lft_daily",
     [](json& c) {
       c["medications"] = json::array();
       SetCtx(c, "liver_disease", true);
     },
     {{Plan("LFT_DAILY"), "absent"}}},
    {"P-DOC", "ungraded_rigidity_requested", [](json& c) { SetFinding(c, "rigidity", "present_ungraded"); },
     {{Plan("DOCUMENT_CARDINAL_FEATURES"), "recommended"}, {PlanTextHas("DOCUMENT_CARDINAL_FEATURES", "grade"), "yes"}}},
    {"P-DAN-C", "dantrolene_item_text_off_label", [](json&) {},
     {{PlanTextHas("DANTROLENE", "off-label"), "yes"}, {PlanRule("DANTROLENE"), "P-DAN-C"}}},
    {"§8.1", "plan_order_step_then_priority", [](json&) {},
     {{Path("plan.0.id"), "STOP_DOPAMINE_ANTAGONISTS"}, {Path("plan.3.id"), "DOCUMENT_CARDINAL_FEATURES"},
      {Path("monitoring.0.id"), "VITALS_CONTINUOUS"}}},
};
NMSCDS_RULES_TABLE(RulesPlanItems, kPlanRows);

const std::vector<Row> kMissingRows = {
    {"§12", "s02_only_workup_negative_missing", [](json&) {},
     {{Path("missing_data.0.item"), "workup_negative"}, {Path("missing_data.1"), "absent"}}},
    {"§12", "medication_timing_non_blocking_when_pattern_decided",
     [](json& c) {
       AddMed(c, ActiveMed("olanzapine", -Day(1)));
       AddMed(c, {{"name", "quetiapine"}, {"status", "completed"}});
     },
     {{Pattern(), "polypharmacy"}, {Missing("medication_timing"), "non_blocking"}}},
    {"§12", "rigidity_grade_not_missing_when_refractory",
     [](json& c) {
       SetFinding(c, "rigidity", "present_ungraded");
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Missing("rigidity_grade"), "absent"}}},
    {"§12", "temperature_non_blocking_when_stage_known", [](json& c) { RemoveObs(c, "temperature", true); },
     {{Stage(), "V"}, {Missing("temperature"), "non_blocking"}}},
    {"§12", "heart_rate_non_blocking_when_stage_known", [](json& c) { RemoveObs(c, "heart_rate"); },
     {{Missing("heart_rate"), "non_blocking"}}},
    {"§12", "blood_pressure", [](json& c) { RemoveObs(c, "systolic_bp"); RemoveObs(c, "diastolic_bp"); },
     {{Missing("blood_pressure"), "non_blocking"}}},
    {"§12", "respiratory_rate", [](json& c) { RemoveObs(c, "respiratory_rate"); }, {{Missing("respiratory_rate"), "non_blocking"}}},
    {"§12", "baseline_vitals", [](json& c) { RemoveBaseline(c, "heart_rate"); }, {{Missing("baseline_vitals"), "non_blocking"}}},
    {"§12", "mental_status",
     [](json& c) {
       UnsetFinding(c, "mental_status");
       RemoveObs(c, "gcs");
     },
     {{Missing("mental_status"), "non_blocking"}}},
    {"§12", "mental_status_not_missing_with_gcs", [](json& c) { UnsetFinding(c, "mental_status"); },
     {{Missing("mental_status"), "absent"}}},
    {"§12", "diaphoresis", [](json& c) { UnsetFinding(c, "diaphoresis"); }, {{Missing("diaphoresis"), "non_blocking"}}},
    {"§12", "urinary_incontinence", [](json& c) { UnsetFinding(c, "urinary_incontinence"); },
     {{Missing("urinary_incontinence"), "non_blocking"}}},
    {"§12", "ck", [](json& c) { RemoveObs(c, "ck"); }, {{Missing("ck"), "non_blocking"}}},
    {"§12", "anc_with_fever", [](json& c) { RemoveObs(c, "anc"); }, {{Missing("anc"), "non_blocking"}}},
    {"§12", "anc_not_missing_without_fever_or_recent_chemo",
     [](json& c) {
       RemoveObs(c, "anc");
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{Missing("anc"), "absent"}}},
    {"§12", "anc_missing_with_recent_chemo_without_fever",
     [](json& c) {
       RemoveObs(c, "anc");
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
       SetCtx(c, "last_chemotherapy_at", At(-Day(5)));
     },
     {{Missing("anc"), "!absent"}}},
    {"§12", "anc_trend", [](json& c) { SetLab(c, "anc", 0.7, "10*9/L", -Hr(2), std::nullopt); },
     {{Missing("anc_trend"), "non_blocking"}}},
    {"§12", "creatinine", [](json& c) { RemoveObs(c, "creatinine"); }, {{Missing("creatinine"), "non_blocking"}}},
    {"§12", "age", [](json& c) { c["patient"].erase("age_years"); }, {{Missing("age"), "non_blocking"}}},
    {"§12", "sex", [](json& c) { c["patient"].erase("sex"); }, {{Missing("sex"), "non_blocking"}}},
    {"§12", "potassium", [](json& c) { RemoveObs(c, "potassium"); }, {{Missing("potassium"), "non_blocking"}}},
    {"§12", "enteral_route", [](json& c) { UnsetCtx(c, "enteral_route_available"); }, {{Missing("enteral_route"), "non_blocking"}}},
    {"§12", "alt_and_ast_blocking",
     [](json& c) {
       RemoveObs(c, "alt");
       RemoveObs(c, "ast");
     },
     {{Missing("alt"), "blocking"}, {Missing("ast"), "blocking"}, {Path("missing_data.0.item"), "alt"}, {Path("missing_data.1.item"), "ast"}}},
    {"§12", "blocking_items_listed_first",
     [](json& c) {
       UnsetCtx(c, "iv_access");
       RemoveObs(c, "potassium");
     },
     {{Path("missing_data.0.item"), "iv_access"}, {Path("missing_data.0.blocking"), "true"}}},
};
NMSCDS_RULES_TABLE(RulesMissingData, kMissingRows);

// §0.2: unknown is never read as normal; Kleene AND/OR.
const std::vector<Row> kKleeneRows = {
    {"§0.2", "hepatic_unknown_is_not_normal", [](json& c) { RemoveObs(c, "ast"); },
     {{Hepatic(), "unknown"}, {Decision(), "insufficient_data"}}},
    {"§0.2", "true_or_unknown_is_true",
     [](json& c) {
       RemoveObs(c, "ast");
       SetLab(c, "bilirubin_total", 2.0, "mg/dL", -Hr(2), 1.2);
     },
     {{Hepatic(), "dysfunction"}, {Decision(), "contraindicated"}}},
    {"§0.2", "false_and_unknown_is_false",
     [](json& c) {
       RemoveObs(c, "anc");
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{FnStatus(), "absent"}}},
    {"§0.2", "true_and_unknown_is_unknown", [](json& c) { RemoveObs(c, "anc"); }, {{FnStatus(), "unknown"}}},
    {"§0.2-DF-26", "instability_unknown_without_sbp",
     [](json& c) {
       MakeFn(c);
       RemoveObs(c, "systolic_bp");
       RemoveObs(c, "diastolic_bp");
     },
     {{Plan("VANCOMYCIN"), "conditional"}}},
    {"§0.2-DF-26", "instability_input_true_without_sbp",
     [](json& c) {
       MakeFn(c);
       RemoveObs(c, "systolic_bp");
       SetCtx(c, "hemodynamically_unstable", true);
     },
     {{Plan("VANCOMYCIN"), "recommended"}}},
    {"§0.2", "unknown_cardinal_counts_not_present",
     [](json& c) {
       UnsetFinding(c, "rigidity");
       RemoveObs(c, "temperature", true);
     },
     {{CardinalCount(), "2"}, {Path("nms.cardinal_features.unknown_count"), "2"}}},
    {"§0.2-B2", "refractory_absent_never_creates_indication",
     [](json& c) {
       SetFinding(c, "rigidity", "moderate");
       UnsetFinding(c, "rigidity_refractory");
     },
     {{Decision(), "not_indicated"}}},
    {"§0.1-B1", "tied_gcs_lower_used",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}, {14, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "present"}}},
    {"§0.1-B1", "tied_creatinine_higher_used",
     [](json& c) {
       SetLab(c, "creatinine", 1.1, "mg/dL", -Hr(2), std::nullopt);
       AddObs(c, "creatinine", 2.2, "mg/dL", -Hr(2));
     },
     {{Crcl(), "41.9"}}},
    {"§0.1-B1", "tied_temperature_higher_used_for_fn_fever",
     [](json& c) { SetTemps(c, {{37.5, -Hr(1)}, {38.3, -Hr(1)}}); },
     {{FnFever(), "present"}}},
    {"§0.2", "clinician_suspected_absent_is_false",
     [](json& c) {
       c["medications"] = json::array();
       c.erase("clinician_suspected_nms");
     },
     {{Suspicion(), "unlikely"}}},
    {"§0.2", "empty_conditions_is_none_not_unknown",
     [](json& c) {
       c["conditions"] = json::array();
       UnsetCtx(c, "malignancy");
       UnsetCtx(c, "last_chemotherapy_at");
       RemoveObs(c, "anc");
     },
     {{Hepatic(), "normal"}, {FnPresumed(), "false"}}},
};
NMSCDS_RULES_TABLE(RulesKleene, kKleeneRows);

}  // namespace
}  // namespace nmscds::rules
