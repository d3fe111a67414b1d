// The dantrolene decision (§6.2 precedence DEC-1..DEC-6, secondary findings, TRANSAMINASES_MAY_BE_MUSCLE),
// DF-22 (prior dantrolene) and the regimens of §6.4 (NMS) and §6.5 (MH). Base: S02 (consider, 70 kg).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

json Dantrolene(std::vector<std::pair<std::int64_t, std::optional<double>>> doses, bool per_kg = false) {
  json adms = json::array();
  for (const auto& [at, amount] : doses) {
    json a = {{"at", At(at)}};
    if (amount) a[per_kg ? "dose_mg_per_kg" : "dose_mg"] = *amount;
    adms.push_back(a);
  }
  return {{"name", "dantrolene"}, {"status", "completed"}, {"route", "iv"}, {"administrations", adms}};
}

void Succinylcholine(json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100)); }

// Stage I with severe rigidity (afebrile, no autonomic sign): trigger present, suspicion possible (S-2:
// rigidity and altered mental status).
void StageOneSevere(json& c) {
  StageOneCase(c);
  SetFinding(c, "rigidity", "severe");
}

const std::vector<Row> kDecisionRows = {
    {"DEC-6", "s02_consider", [](json&) {},
     {{Decision(), "consider"},
      {Reasons(), "indication_severe_rigidity,gates_passed"},
      {Secondary(), ""},
      {Preconditions(), ""},
      {Plan("DANTROLENE"), "consider"},
      {Priority("DANTROLENE"), "urgent"}}},
    // DEC-1: MH suspected; rows DEC-2..DEC-6 not evaluated.
    {"DEC-1", "mh_protocol", Succinylcholine,
     {{Decision(), "malignant_hyperthermia_protocol"}, {Reasons(), "mh_trigger_within_24h,mh_clinical_features"}, {Secondary(), ""}}},
    {"DEC-1", "suppresses_every_other_row",
     [](json& c) {
       Succinylcholine(c);
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       SetFinding(c, "rigidity", "moderate");
       UnsetCtx(c, "iv_access");
       AddMed(c, ActiveMed("olanzapine", -Day(1)));
     },
     {{Decision(), "malignant_hyperthermia_protocol"},
      {Reasons(), "mh_trigger_within_24h,mh_clinical_features"},
      {Secondary(), ""},
      {Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "absent"},
      {Note("NOTE_HEPATIC_GATE"), "absent"},
      {Note("NOTE_POLYPHARMACY_GATE"), "absent"},
      {Note("NOTE_RIGIDITY_INDICATION"), "absent"}}},
    // DEC-2.
    {"DEC-2", "no_trigger_unlikely", [](json& c) { c["medications"] = json::array(); },
     {{Suspicion(), "unlikely"}, {Decision(), "not_applicable"}, {Reasons(), "nms_suspicion_unlikely"}, {Secondary(), ""}}},
    // DEC-3, one reason each.
    {"DEC-3", "liver_disease_known", [](json& c) { SetCtx(c, "liver_disease", true); },
     {{Decision(), "contraindicated"}, {Reasons(), "liver_disease_known"}, {Note("NOTE_HEPATIC_GATE"), "present"}}},
    {"DEC-3", "alt_above_uln", [](json& c) { SetLab(c, "alt", 85, "U/L", -Hr(2), 41); },
     {{Decision(), "contraindicated"}, {Reasons(), "alt_above_uln"}, {Note("NOTE_HEPATIC_GATE"), "present"}}},
    {"DEC-3", "ast_above_uln", [](json& c) { SetLab(c, "ast", 85, "U/L", -Hr(2), 40); },
     {{Decision(), "contraindicated"}, {Reasons(), "ast_above_uln"}}},
    {"DEC-3", "bilirubin_above_uln", [](json& c) { SetLab(c, "bilirubin_total", 2.0, "mg/dL", -Hr(2), 1.2); },
     {{Decision(), "contraindicated"}, {Reasons(), "bilirubin_above_uln"}, {Note("NOTE_HEPATIC_GATE"), "present"}}},
    {"DEC-3", "iv_access_poor", [](json& c) { SetCtx(c, "iv_access", "poor"); },
     {{Decision(), "contraindicated"}, {Reasons(), "iv_access_poor"}, {Note("NOTE_HEPATIC_GATE"), "absent"}}},
    {"DEC-3", "iv_access_none", [](json& c) { SetCtx(c, "iv_access", "none"); },
     {{Decision(), "contraindicated"}, {Reasons(), "iv_access_none"}}},
    {"DEC-3", "d2_polypharmacy", [](json& c) { AddMed(c, ActiveMed("olanzapine", -Day(1))); },
     {{Decision(), "contraindicated"}, {Reasons(), "d2_polypharmacy"}, {Note("NOTE_POLYPHARMACY_GATE"), "present"}}},
    {"DEC-3", "multiple_concurrent_nms_therapies",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(1)));
       AddMed(c, ActiveMed("amantadine", -Day(1)));
     },
     {{Decision(), "contraindicated"}, {Reasons(), "multiple_concurrent_nms_therapies"}, {Note("NOTE_COMBINATION_GATE"), "present"}}},
    {"DEC-3", "ccb_non_dihydropyridine_active", [](json& c) { AddMed(c, ActiveMed("verapamil", -Day(10))); },
     {{Decision(), "contraindicated"}, {Reasons(), "ccb_non_dihydropyridine_active"}}},
    {"DEC-3", "cumulative_24h_cap_reached", [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 700.0}})); },
     {{Decision(), "contraindicated"}, {Reasons(), "cumulative_24h_cap_reached"}}},
    {"DEC-3", "several_reasons_in_table_order",
     [](json& c) {
       AddMed(c, ActiveMed("verapamil", -Day(10)));
       SetCtx(c, "iv_access", "none");
       SetLab(c, "ast", 85, "U/L", -Hr(2), 40);
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
     },
     {{Reasons(), "alt_above_uln,ast_above_uln,iv_access_none,ccb_non_dihydropyridine_active"}}},
    // Secondary findings: DEC-4 and DEC-5 under DEC-3; DEC-5 under DEC-4.
    {"§6.2-secondary", "dec4_under_dec3",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       SetFinding(c, "rigidity", "moderate");
     },
     {{Decision(), "contraindicated"},
      {Reasons(), "alt_above_uln"},
      {Secondary(), "rigidity_not_severe_not_refractory"},
      {Note("NOTE_RIGIDITY_INDICATION"), "present"}}},
    {"§6.2-secondary", "dec5_under_dec3",
     [](json& c) {
       SetCtx(c, "iv_access", "poor");
       RemoveObs(c, "ast");
     },
     {{Decision(), "contraindicated"}, {Reasons(), "iv_access_poor"}, {Secondary(), "hepatic_status_unknown"}}},
    {"§6.2-secondary", "dec4_and_dec5_under_dec3",
     [](json& c) {
       SetCtx(c, "iv_access", "poor");
       SetFinding(c, "rigidity", "mild");
       AddMed(c, {{"name", "bromocriptine"}, {"status", "active"}, {"start", At(-Day(2))}});
     },
     {{Decision(), "contraindicated"}, {Secondary(), "rigidity_not_severe_not_refractory,concurrent_therapies_unknown"}}},
    {"§6.2-secondary", "dec5_under_dec4",
     [](json& c) {
       SetFinding(c, "rigidity", "moderate");
       UnsetCtx(c, "iv_access");
     },
     {{Decision(), "not_indicated"}, {Reasons(), "rigidity_not_severe_not_refractory"}, {Secondary(), "iv_access_unknown"}}},
    {"§6.2-secondary", "none_under_dec5",
     [](json& c) {
       UnsetCtx(c, "iv_access");
       RemoveObs(c, "alt");
     },
     {{Decision(), "insufficient_data"}, {Reasons(), "hepatic_status_unknown,iv_access_unknown"}, {Secondary(), ""}}},
    // DEC-4, one reason each.
    {"DEC-4", "rigidity_moderate", [](json& c) { SetFinding(c, "rigidity", "moderate"); },
     {{Decision(), "not_indicated"}, {Reasons(), "rigidity_not_severe_not_refractory"}, {Note("NOTE_RIGIDITY_INDICATION"), "present"}}},
    {"DEC-4", "rigidity_mild", [](json& c) { SetFinding(c, "rigidity", "mild"); },
     {{Decision(), "not_indicated"}, {Reasons(), "rigidity_not_severe_not_refractory"}}},
    {"DEC-4", "rigidity_none", [](json& c) { SetFinding(c, "rigidity", "none"); },
     {{Decision(), "not_indicated"}, {Reasons(), "rigidity_not_severe_not_refractory"}}},
    {"DEC-6", "moderate_but_refractory_consider",
     [](json& c) {
       SetFinding(c, "rigidity", "moderate");
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Decision(), "consider"}, {Reasons(), "indication_refractory_rigidity,gates_passed"}}},
    {"DEC-6", "ungraded_but_refractory_consider",
     [](json& c) {
       SetFinding(c, "rigidity", "present_ungraded");
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Decision(), "consider"}, {Reasons(), "indication_refractory_rigidity,gates_passed"}}},
    {"DEC-4-B2", "refractory_not_supplied_is_false",
     [](json& c) {
       SetFinding(c, "rigidity", "moderate");
       UnsetFinding(c, "rigidity_refractory");
     },
     {{Decision(), "not_indicated"}}},
    {"DEC-4", "no_nms_trigger_clinician_only",
     [](json& c) {
       c["medications"] = json::array();
       c["clinician_suspected_nms"] = true;
     },
     {{Suspicion(), "possible"},
      {SuspicionRule(), "clinician_suspected"},
      {Decision(), "not_indicated"},
      {Reasons(), "no_nms_trigger"},
      {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "present"},
      {Plan("BROMOCRIPTINE"), "absent"},
      {Plan("AMANTADINE"), "absent"}}},
    {"DEC-4-B17", "stage_I_below_iii", StageOneSevere,
     {{Stage(), "I"}, {Suspicion(), "possible"}, {Decision(), "not_indicated"}, {Reasons(), "stage_below_iii"}}},
    {"DEC-4-B17", "stage_II_below_iii",
     [](json& c) {
       StageOneSevere(c);
       SetFinding(c, "catatonia", true);
     },
     {{Stage(), "II"}, {Decision(), "not_indicated"}, {Reasons(), "stage_below_iii"}}},
    {"DEC-4-B17", "not_staged_below_iii",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "none");
       SetFinding(c, "tremor", false);
       c["clinician_suspected_nms"] = true;
     },
     {{Stage(), "not_staged"},
      {Decision(), "not_indicated"},
      {Reasons(), "rigidity_not_severe_not_refractory,stage_below_iii"}}},
    {"DEC-4", "several_reasons_in_table_order",
     [](json& c) {
       StageOneCase(c);
       c["medications"] = json::array();
       c["clinician_suspected_nms"] = true;
     },
     {{Stage(), "I"},
      {Decision(), "not_indicated"},
      {Reasons(), "rigidity_not_severe_not_refractory,no_nms_trigger,stage_below_iii"}}},
    // DEC-5, one reason each.
    {"DEC-5", "hepatic_status_unknown", [](json& c) { RemoveObs(c, "alt"); },
     {{Decision(), "insufficient_data"}, {Reasons(), "hepatic_status_unknown"}, {Warning("DANTROLENE_NOT_FIRST_LINE"), "warning"}}},
    {"DEC-5", "iv_access_unknown", [](json& c) { UnsetCtx(c, "iv_access"); },
     {{Decision(), "insufficient_data"}, {Reasons(), "iv_access_unknown"}, {Missing("iv_access"), "blocking"}}},
    {"DEC-5", "exposure_pattern_unknown", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}}); },
     {{Decision(), "insufficient_data"}, {Reasons(), "exposure_pattern_unknown"}}},
    {"DEC-5", "rigidity_grade_unknown_ungraded", [](json& c) { SetFinding(c, "rigidity", "present_ungraded"); },
     {{Decision(), "insufficient_data"}, {Reasons(), "rigidity_grade_unknown"}, {Missing("rigidity_grade"), "blocking"}}},
    {"DEC-5", "rigidity_grade_unknown_not_supplied", [](json& c) { UnsetFinding(c, "rigidity"); },
     {{Decision(), "insufficient_data"}, {Reasons(), "rigidity_grade_unknown"}}},
    {"DEC-5", "stage_unknown",
     [](json& c) {
       SetFinding(c, "rigidity", "present_ungraded");
       SetFinding(c, "rigidity_refractory", true);
       SetTemps(c, {{39.0, -Hr(30)}, {39.5, -Hr(26)}});
       RemoveObs(c, "heart_rate");
     },
     {{Stage(), "unknown"},
      {Decision(), "insufficient_data"},
      {Reasons(), "stage_unknown"},
      {Missing("temperature"), "blocking"},
      {Missing("heart_rate"), "blocking"}}},
    {"DEC-5", "prior_dantrolene_amount_unknown", [](json& c) { AddMed(c, Dantrolene({{-Hr(3), std::nullopt}})); },
     {{Decision(), "insufficient_data"}, {Reasons(), "prior_dantrolene_amount_unknown"}, {Missing("prior_dantrolene_amount"), "blocking"}}},
    {"DEC-5", "weight_unknown_with_prior_dantrolene",
     [](json& c) {
       c["patient"].erase("weight");
       AddMed(c, Dantrolene({{-Hr(3), 100.0}}));
     },
     {{Decision(), "insufficient_data"}, {Reasons(), "weight_unknown_with_prior_dantrolene"}, {Missing("weight"), "blocking"}}},
    {"DEC-5", "concurrent_therapies_unknown", [](json& c) { AddMed(c, ActiveMed("amantadine", -Day(2))); },
     {{Decision(), "insufficient_data"}, {Reasons(), "concurrent_therapies_unknown"}, {Missing("ect_history"), "blocking"}}},
    // §6.2 TRANSAMINASES_MAY_BE_MUSCLE: DEC-3 with alt/ast_above_uln and ck_gt_5x_uln true.
    {"§6.2-muscle", "alt_high_ck_97x_warns", [](json& c) { SetLab(c, "alt", 85, "U/L", -Hr(2), 41); },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "warning"}}},
    {"§6.2-muscle", "ast_high_ck_97x_warns", [](json& c) { SetLab(c, "ast", 85, "U/L", -Hr(2), 40); },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "warning"}}},
    {"§6.2-muscle", "alt_high_ck_exactly_5x_no_warning",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       SetLab(c, "ck", 950, "U/L", -Hr(2), 190);
     },
     {{Decision(), "contraindicated"}, {Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "absent"}}},
    {"§6.2-muscle", "alt_high_ck_unknown_no_warning",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       RemoveObs(c, "ck");
     },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "absent"}}},
    {"§6.2-muscle", "bilirubin_only_no_warning", [](json& c) { SetLab(c, "bilirubin_total", 2.0, "mg/dL", -Hr(2), 1.2); },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "absent"}}},
    {"§6.2-muscle", "liver_disease_only_no_warning", [](json& c) { SetCtx(c, "liver_disease", true); },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "absent"}}},
    {"§6.2-muscle", "with_bilirubin_says_not_explained_by_muscle",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       SetLab(c, "bilirubin_total", 2.0, "mg/dL", -Hr(2), 1.2);
     },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "warning"}, {WarningTextHas("TRANSAMINASES_MAY_BE_MUSCLE", "bilirubin"), "yes"}}},
    {"§6.2-muscle", "with_liver_disease_says_not_explained_by_muscle",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       SetCtx(c, "liver_disease", true);
     },
     {{Warning("TRANSAMINASES_MAY_BE_MUSCLE"), "warning"}, {WarningTextHas("TRANSAMINASES_MAY_BE_MUSCLE", "liver disease"), "yes"}}},
    // Withdrawal trigger: the polypharmacy gate is not evaluated; undetermined entries still block (§6.3).
    {"§6.3", "withdrawal_with_undetermined_d2_insufficient",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, StoppedMed("levodopa", -Day(300), -Hr(30)));
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}});
     },
     {{TriggerType(), "withdrawal"}, {Pattern(), "unknown"}, {Decision(), "insufficient_data"}, {Reasons(), "exposure_pattern_unknown"}}},
    // §6.3 IV access: peripheral passes with a precondition.
    {"§6.3", "peripheral_access_precondition", [](json& c) { SetCtx(c, "iv_access", "peripheral"); },
     {{Decision(), "consider"},
      {Preconditions(), "secure_central_or_large_bore_access_first"},
      {Warning("PERIPHERAL_ACCESS"), "warning"}}},
    {"§6.3", "large_bore_peripheral_adequate", [](json& c) { SetCtx(c, "iv_access", "large_bore_peripheral"); },
     {{Decision(), "consider"}, {Preconditions(), ""}, {Warning("PERIPHERAL_ACCESS"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesDecision, kDecisionRows);

const std::vector<Row> kRegimenRows = {
    // §6.4 worked example, W = 70 kg.
    {"§6.4", "worked_example_70kg", [](json&) {},
     {{Regimen("indication"), "nms"},
      {Regimen("weight_kg"), "70"},
      {Regimen("initial_mg_per_kg.low"), "1"},
      {Regimen("initial_mg_per_kg.high"), "2.5"},
      {Regimen("initial_mg.low"), "70"},
      {Regimen("initial_mg.high"), "175"},
      {Regimen("initial_vials_20mg.low"), "4"},
      {Regimen("initial_vials_20mg.high"), "9"},
      {Regimen("repeat_mg_per_kg"), "1"},
      {Regimen("repeat_mg"), "70"},
      {Regimen("repeat_interval_h"), "6"},
      {Regimen("max_mg_per_kg_24h"), "10"},
      {Regimen("max_mg_24h"), "700"},
      {Regimen("given_mg_24h"), "0"},
      {Regimen("remaining_mg_24h"), "700"},
      {RegimenTextHas("27 g mannitol"), "yes"},
      {RegimenTextHas("540 mL"), "yes"}}},
    {"§6.4", "prior_140mg_9h_remaining_560", [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 140.0}})); },
     {{Decision(), "consider"},
      {Regimen("given_mg_24h"), "140"},
      {Regimen("remaining_mg_24h"), "560"},
      {Regimen("initial_mg.low"), "70"},
      {Regimen("initial_mg.high"), "175"},
      {RegimenTextHas("2026-03-02 03:00"), "yes"}}},
    {"§6.4", "oldest_counted_dose_leaves_window",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(20), 100.0}, {-Hr(2), 100.0}})); },
     {{Regimen("given_mg_24h"), "200"}, {RegimenTextHas("window at 16:00"), "yes"}}},
    {"§6.4", "prior_650mg_initial_is_remaining_50",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 650.0}})); },
     {{Decision(), "consider"},
      {Regimen("remaining_mg_24h"), "50"},
      {Regimen("initial_mg.low"), "50"},
      {Regimen("initial_mg.high"), "50"},
      {Regimen("initial_vials_20mg.low"), "3"},
      {Regimen("initial_vials_20mg.high"), "3"},
      {RegimenTextHas("below the usual starting dose"), "yes"}}},
    {"§6.4", "prior_600mg_high_end_capped",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 600.0}})); },
     {{Regimen("remaining_mg_24h"), "100"},
      {Regimen("initial_mg.low"), "70"},
      {Regimen("initial_mg.high"), "100"},
      {Regimen("initial_vials_20mg.high"), "5"}}},
    // Less than 1 mg left cannot be given as a whole-mg dose (§0.3): the allowance is spent, so the cap is
    // reached (doc/interpretations.md); with exactly 1 mg left the initial dose shown is 1 mg.
    {"§6.4", "prior_699_9mg_cap_reached_in_practice", [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 699.9}})); },
     {{Decision(), "contraindicated"}, {Reasons(), "cumulative_24h_cap_reached"}}},
    {"§6.4", "prior_699mg_one_mg_left", [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 699.0}})); },
     {{Decision(), "consider"},
      {Regimen("remaining_mg_24h"), "1"},
      {Regimen("initial_mg.low"), "1"},
      {Regimen("initial_mg.high"), "1"},
      {Regimen("repeat_mg"), "1"},
      {RegimenTextHas("below the usual starting dose"), "yes"}}},
    {"§6.4", "prior_700mg_cap_reached", [](json& c) { AddMed(c, Dantrolene({{-Hr(9), 700.0}})); },
     {{Decision(), "contraindicated"}, {Reasons(), "cumulative_24h_cap_reached"}, {Regimen("initial_mg.low"), "absent"}}},
    {"DF-22", "two_doses_summed_to_cap",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(20), 300.0}, {-Hr(2), 400.0}})); },
     {{Decision(), "contraindicated"}, {Reasons(), "cumulative_24h_cap_reached"}}},
    {"DF-22", "dose_at_exactly_24h_counted",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(24), 400.0}, {-Hr(1), 300.0}})); },
     {{Decision(), "contraindicated"}}},
    {"DF-22", "dose_24h_1s_not_counted",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(24) - Sec(1), 400.0}, {-Hr(1), 300.0}})); },
     {{Decision(), "consider"}, {Regimen("given_mg_24h"), "300"}, {Regimen("remaining_mg_24h"), "400"}}},
    {"DF-22", "dose_only_older_than_24h_zero",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(25), 200.0}})); },
     {{Decision(), "consider"}, {Regimen("given_mg_24h"), "0"}, {Regimen("remaining_mg_24h"), "700"}}},
    {"DF-22", "dose_after_T0_ignored",
     [](json& c) { AddMed(c, Dantrolene({{Hr(1), 200.0}})); },
     {{Decision(), "consider"}, {Regimen("given_mg_24h"), "0"}, {Warning("OBSERVATION_AFTER_T0"), "info"}}},
    {"DF-22", "dose_in_mg_per_kg", [](json& c) { AddMed(c, Dantrolene({{-Hr(2), 2.0}}, true)); },
     {{Decision(), "consider"}, {Regimen("given_mg_24h"), "140"}, {Regimen("remaining_mg_24h"), "560"}}},
    {"DF-22", "mg_per_kg_reaching_cap", [](json& c) { AddMed(c, Dantrolene({{-Hr(2), 10.0}}, true)); },
     {{Decision(), "contraindicated"}, {Reasons(), "cumulative_24h_cap_reached"}}},
    {"DF-22", "dose_without_amount_unknown", [](json& c) { AddMed(c, Dantrolene({{-Hr(2), std::nullopt}})); },
     {{Decision(), "insufficient_data"}, {Reasons(), "prior_dantrolene_amount_unknown"}}},
    {"DF-22", "one_dose_without_amount_among_others_unknown",
     [](json& c) { AddMed(c, Dantrolene({{-Hr(10), 100.0}, {-Hr(2), std::nullopt}})); },
     {{Decision(), "insufficient_data"}, {Reasons(), "prior_dantrolene_amount_unknown"}}},
    {"DF-22", "mg_per_kg_with_weight_unknown",
     [](json& c) {
       c["patient"].erase("weight");
       AddMed(c, Dantrolene({{-Hr(2), 1.0}}, true));
     },
     {{Decision(), "insufficient_data"},
      {AnyReason("prior_dantrolene_amount_unknown"), "yes"},
      {AnyReason("weight_unknown_with_prior_dantrolene"), "yes"}}},
    {"DF-22", "entry_exposed_without_administrations_unknown",
     [](json& c) { AddMed(c, {{"name", "dantrolene"}, {"status", "active"}, {"start", At(-Hr(3))}}); },
     {{Decision(), "insufficient_data"}, {Reasons(), "prior_dantrolene_amount_unknown"}, {Missing("prior_dantrolene_amount"), "blocking"}}},
    {"DF-22", "entry_ended_before_24h_without_administrations_zero",
     [](json& c) { AddMed(c, StoppedMed("dantrolene", -Day(5), -Hr(30))); },
     {{Decision(), "consider"}, {Regimen("given_mg_24h"), "0"}}},
    {"DF-22", "medication_list_absent_unknown", [](json& c) { c.erase("medications"); },
     {{AnyReason("prior_dantrolene_amount_unknown"), "yes"}}},
    // §0.3: doses at 0.1 mg, displayed rounded down; vials = ceil(displayed / 20).
    {"§6.4", "weight_70_5_rounds_doses_down",
     [](json& c) { SetWeight(c, 70.5); },
     {{Regimen("initial_mg.low"), "70"},
      {Regimen("initial_mg.high"), "176"},
      {Regimen("initial_vials_20mg.low"), "4"},
      {Regimen("initial_vials_20mg.high"), "9"},
      {Regimen("repeat_mg"), "70"},
      {Regimen("max_mg_24h"), "705"}}},
    {"§6.4", "weight_72_9",
     [](json& c) { SetWeight(c, 72.9); },
     {{Regimen("initial_mg.low"), "72"},
      {Regimen("initial_mg.high"), "182"},
      {Regimen("initial_vials_20mg.low"), "4"},
      {Regimen("initial_vials_20mg.high"), "10"},
      {Regimen("max_mg_24h"), "729"}}},
    {"§6.4", "weight_80_s11_numbers",
     [](json& c) { SetWeight(c, 80); },
     {{Regimen("initial_mg.low"), "80"}, {Regimen("initial_mg.high"), "200"}, {Regimen("initial_vials_20mg.high"), "10"},
      {Regimen("max_mg_24h"), "800"}}},
    {"§6.4", "weight_unknown_mg_per_kg_only",
     [](json& c) { c["patient"].erase("weight"); },
     {{Decision(), "consider"},
      {Regimen("weight_kg"), "absent"},
      {Regimen("initial_mg"), "absent"},
      {Regimen("initial_vials_20mg"), "absent"},
      {Regimen("repeat_mg"), "absent"},
      {Regimen("max_mg_24h"), "absent"},
      {Regimen("initial_mg_per_kg.low"), "1"},
      {Regimen("initial_mg_per_kg.high"), "2.5"},
      {Regimen("max_mg_per_kg_24h"), "10"},
      {Missing("weight"), "non_blocking"},
      {AnyReason("weight_unknown_with_prior_dantrolene"), "no"}}},
    // §6.5 MH regimen: 2.5 mg/kg bolus, cap 10 mg/kg; prior dantrolene shown but never blocks or caps.
    {"§6.5", "mh_70kg", Succinylcholine,
     {{Regimen("indication"), "malignant_hyperthermia"},
      {Regimen("initial_mg_per_kg.low"), "2.5"},
      {Regimen("initial_mg_per_kg.high"), "2.5"},
      {Regimen("initial_mg.low"), "175"},
      {Regimen("initial_vials_20mg.low"), "9"},
      {Regimen("max_mg_24h"), "700"},
      {Regimen("repeat_interval_h"), "absent"}}},
    {"§6.5", "mh_prior_dose_subtracted_not_capping",
     [](json& c) {
       Succinylcholine(c);
       AddMed(c, Dantrolene({{-Hr(1), 600.0}}));
     },
     {{Decision(), "malignant_hyperthermia_protocol"},
      {Regimen("given_mg_24h"), "600"},
      {Regimen("remaining_mg_24h"), "100"},
      {Regimen("initial_mg.low"), "175"}}},
    {"§6.5", "mh_prior_cap_reached_never_blocks",
     [](json& c) {
       Succinylcholine(c);
       AddMed(c, Dantrolene({{-Hr(1), 800.0}}));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}, {Regimen("remaining_mg_24h"), "0"}}},
    {"§6.5", "mh_prior_amount_unknown_never_blocks",
     [](json& c) {
       Succinylcholine(c);
       AddMed(c, Dantrolene({{-Hr(1), std::nullopt}}));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"§6.5", "mh_weight_unknown_mg_per_kg_only",
     [](json& c) {
       Succinylcholine(c);
       c["patient"].erase("weight");
     },
     {{Decision(), "malignant_hyperthermia_protocol"}, {Regimen("initial_mg"), "absent"}, {Missing("weight"), "!absent"}}},
    {"§6.5", "mh_with_verapamil_still_mh",
     [](json& c) {
       Succinylcholine(c);
       AddMed(c, ActiveMed("verapamil", -Day(10)));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}, {Warning("CCB_NON_DIHYDROPYRIDINE"), "critical"}}},
    {"§6.5/§8.2", "mh_plan_items", Succinylcholine,
     {{Plan("STOP_MH_TRIGGERS"), "recommended"},
      {Priority("STOP_MH_TRIGGERS"), "immediate"},
      {Priority("DANTROLENE"), "immediate"},
      {PlanRule("DANTROLENE"), "P-DAN-MH"},
      {Plan("STOP_DOPAMINE_ANTAGONISTS"), "recommended"},
      {Plan("COOLING_AND_FLUIDS"), "recommended"},
      {Plan("ICU_TRANSFER"), "recommended"},
      {Plan("DOCUMENT_CARDINAL_FEATURES"), "recommended"},
      {Plan("EXPOSURE_PATTERN"), "recommended"},
      {Plan("VITALS_CONTINUOUS"), "recommended"},
      {Plan("CK_RENAL_POTASSIUM_DAILY"), "recommended"},
      {Plan("LFT_DAILY"), "recommended"},
      {Plan("INJECTION_SITE"), "recommended"},
      {Plan("BROMOCRIPTINE"), "absent"},
      {Plan("AMANTADINE"), "absent"},
      {Plan("LORAZEPAM"), "absent"},
      {Plan("ECT"), "absent"},
      {Warning("VTE_RISK"), "warning"},
      {Warning("DANTROLENE_NOT_FIRST_LINE"), "absent"},
      {Warning("NO_MORTALITY_GUARANTEE"), "absent"},
      {Note("NOTE_DANTROLENE_REGIMEN"), "absent"}}},
    {"§5", "mh_runs_pathway_even_when_unlikely",
     [](json& c) {
       c["medications"] = json::array();
       Succinylcholine(c);
     },
     {{Suspicion(), "unlikely"}, {Decision(), "malignant_hyperthermia_protocol"}, {Plan("COOLING_AND_FLUIDS"), "recommended"},
      {Plan("STOP_DOPAMINE_ANTAGONISTS"), "absent"}}},
    {"§11", "mh_peripheral_access_warning",
     [](json& c) {
       Succinylcholine(c);
       SetCtx(c, "iv_access", "peripheral");
     },
     {{Warning("PERIPHERAL_ACCESS"), "warning"}}},
};
NMSCDS_RULES_TABLE(RulesRegimen, kRegimenRows);

}  // namespace
}  // namespace nmscds::rules
