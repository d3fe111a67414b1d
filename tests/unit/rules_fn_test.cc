// Febrile neutropenia (§9): empirical antibiotics and allergy wording (§9.2, DF-28), VANC-1/2/3 (§9.4),
// G-1/2/3 (§9.5), AF-1 (§9.6), FN presumed (DF-25, DF-31), DF-30, MASCC (§4.3).
// Base: S02 made neutropenic (MakeFn: ANC 0.3, every vancomycin item and G-CSF factor known absent,
// penicillin allergy none, outpatient at fever onset, expected neutropenia 5 days, chemotherapy T0 - 10 d).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

json FnCase() {
  json c = S02();
  MakeFn(c);
  return c;
}

// FnCase without the NMS pathway (no D2 antagonist: suspicion unlikely).
json FnOnly() {
  json c = FnCase();
  c["medications"] = json::array();
  return c;
}

void Meropenem(json& c, std::int64_t start) { AddMed(c, ActiveMed("meropenem", start)); }

const std::vector<Row> kFnRows = {
    {"§9", "fn_present_items",
     [](json&) {},
     {{FnStatus(), "present"},
      {Plan("EMPIRIC_ANTIBIOTICS"), "recommended"},
      {Priority("EMPIRIC_ANTIBIOTICS"), "immediate"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "60 min"), "yes"},
      {Warning("ANTIBIOTICS_NO_DELAY"), "critical"},
      {Plan("CONTINUE_ANTIBIOTICS"), "recommended"},
      {Priority("CONTINUE_ANTIBIOTICS"), "routine"},
      {Plan("VANCOMYCIN"), "not_indicated"},
      {PlanRule("VANCOMYCIN"), "VANC-3"},
      {Plan("GCSF"), "not_indicated"},
      {PlanRule("GCSF"), "G-3"},
      {Plan("ANTIFUNGAL"), "absent"},
      {Note("NOTE_VANCOMYCIN_LIST"), "present"},
      {Note("NOTE_GCSF_LIST"), "present"},
      {FnHighRisk(), "true"}},
     FnCase},
    // §9.2 agents by penicillin allergy.
    {"§9.2", "allergy_none_agents", [](json&) {},
     {{PlanFact("EMPIRIC_ANTIBIOTICS", "empiric_option"), "cefepime,piperacillin-tazobactam,meropenem"}}, FnCase},
    {"§9.2-B27", "allergy_non_severe_no_piperacillin", [](json& c) { SetCtx(c, "penicillin_allergy", "non_severe"); },
     // "do not name piperacillin-tazobactam" is read as: not among the agents offered (the text may
     // still say "not piperacillin-tazobactam"; see the report's ambiguity list).
     {{PlanFact("EMPIRIC_ANTIBIOTICS", "empiric_option"), "cefepime,meropenem"}},
     FnCase},
    {"§9.2", "allergy_severe_non_beta_lactam", [](json& c) { SetCtx(c, "penicillin_allergy", "severe"); },
     {{PlanTextHas("EMPIRIC_ANTIBIOTICS", "aztreonam"), "yes"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "clindamycin"), "yes"},
      {PlanFact("EMPIRIC_ANTIBIOTICS", "empiric_option"), "!cefepime,piperacillin-tazobactam,meropenem"}},
     FnCase},
    {"§9.2", "allergy_severe_after_fq_prophylaxis_not_ciprofloxacin",
     [](json& c) {
       SetCtx(c, "penicillin_allergy", "severe");
       SetCtx(c, "fluoroquinolone_prophylaxis", true);
     },
     {{PlanTextHas("EMPIRIC_ANTIBIOTICS", "not ciprofloxacin"), "yes"}}, FnCase},
    {"§9.2-B27", "allergy_unknown_confirm_before_piperacillin", [](json& c) { UnsetCtx(c, "penicillin_allergy"); },
     {{PlanTextHas("EMPIRIC_ANTIBIOTICS", "confirm"), "yes"}, {PlanTextHas("EMPIRIC_ANTIBIOTICS", "piperacillin"), "yes"},
      {Missing("penicillin_allergy"), "non_blocking"}},
     FnCase},
    // DF-28: an active qualifying regimen suppresses EMPIRIC_ANTIBIOTICS and ANTIBIOTICS_NO_DELAY.
    {"DF-28", "cefepime_active", [](json& c) { AddMed(c, ActiveMed("cefepime", -Hr(10))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}, {Warning("ANTIBIOTICS_NO_DELAY"), "absent"}, {Plan("CONTINUE_ANTIBIOTICS"), "recommended"}},
     FnCase},
    {"DF-28", "piperacillin_tazobactam_active", [](json& c) { AddMed(c, ActiveMed("piperacillin-tazobactam", -Hr(10))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}, FnCase},
    {"DF-28", "imipenem_active", [](json& c) { AddMed(c, ActiveMed("imipenem-cilastatin", -Hr(10))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}, FnCase},
    {"DF-28", "cefepime_stopped_exactly_24h_active", [](json& c) { AddMed(c, StoppedMed("cefepime", -Hr(40), -Hr(24))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}, FnCase},
    {"DF-28", "cefepime_stopped_25h_not_active", [](json& c) { AddMed(c, StoppedMed("cefepime", -Hr(40), -Hr(25))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "recommended"}, {Warning("ANTIBIOTICS_NO_DELAY"), "critical"}}, FnCase},
    {"DF-28", "aztreonam_plus_vancomycin_regimen",
     [](json& c) {
       AddMed(c, ActiveMed("aztreonam", -Hr(10)));
       AddMed(c, ActiveMed("vancomycin", -Hr(10)));
     },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}, FnCase},
    {"DF-28", "aztreonam_alone_not_a_regimen", [](json& c) { AddMed(c, ActiveMed("aztreonam", -Hr(10))); },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "recommended"}}, FnCase},
    {"DF-28", "ciprofloxacin_plus_clindamycin_regimen",
     [](json& c) {
       AddMed(c, ActiveMed("ciprofloxacin", -Hr(10)));
       AddMed(c, ActiveMed("clindamycin", -Hr(10)));
     },
     {{Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}, FnCase},
    // §1.2: never stop or delay antibiotics because NMS is suspected.
    {"§9.3", "continue_antibiotics_text", [](json&) {},
     {{PlanTextHas("CONTINUE_ANTIBIOTICS", "0.5"), "yes"}}, FnCase},
};
NMSCDS_RULES_TABLE(RulesFn, kFnRows);

const std::vector<Row> kVancomycinRows = {
    {"VANC-3", "all_items_absent", [](json&) {},
     {{Plan("VANCOMYCIN"), "not_indicated"}, {PlanTextHas("VANCOMYCIN", "not indicated"), "yes"}, {Priority("VANCOMYCIN"), "routine"}},
     FnCase},
    {"VANC-1", "V1_hemodynamic_instability_immediate", [](json& c) { SetCtx(c, "hemodynamically_unstable", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanRule("VANCOMYCIN"), "VANC-1"}, {Priority("VANCOMYCIN"), "immediate"},
      {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V1"}, {PlanTextHas("VANCOMYCIN", "48"), "yes"}},
     FnCase},
    {"VANC-1", "V1_hypotension_sbp_89_immediate", [](json& c) { SetBp(c, {{89, 60}, {130, 72}}, {-Hr(6), -Hr(1)}); },
     {{Plan("VANCOMYCIN"), "recommended"}, {Priority("VANCOMYCIN"), "immediate"}}, FnCase},
    {"VANC-3", "sbp_90_not_hypotension", [](json& c) { SetBp(c, {{90, 60}, {130, 72}}, {-Hr(6), -Hr(1)}); },
     {{Plan("VANCOMYCIN"), "not_indicated"}}, FnCase},
    {"VANC-1", "V1_sepsis_urgent", [](json& c) { SetCtx(c, "sepsis", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {Priority("VANCOMYCIN"), "urgent"}}, FnCase},
    {"VANC-1", "V2_pneumonia", [](json& c) { SetCtx(c, "pneumonia", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {Priority("VANCOMYCIN"), "urgent"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V2"}},
     FnCase},
    {"VANC-1", "V3_gram_positive_culture", [](json& c) { SetCtx(c, "gram_positive_bacteremia", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V3"}}, FnCase},
    {"VANC-1", "V4_catheter_infection", [](json& c) { SetCtx(c, "suspected_catheter_infection", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V4"}}, FnCase},
    {"VANC-1", "V5_skin_soft_tissue", [](json& c) { SetCtx(c, "skin_soft_tissue_infection", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V5"}}, FnCase},
    {"VANC-1", "V6_mrsa", [](json& c) { SetCtx(c, "mrsa_colonized", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V6"}, {Priority("VANCOMYCIN"), "urgent"}},
     FnCase},
    {"VANC-1", "V6_prsp", [](json& c) { SetCtx(c, "prsp_colonized", true); }, {{Plan("VANCOMYCIN"), "recommended"}}, FnCase},
    {"VANC-1", "V6_vre_only_names_linezolid_or_daptomycin", [](json& c) { SetCtx(c, "vre_colonized", true); },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanTextHas("VANCOMYCIN", "linezolid"), "yes"}, {PlanTextHas("VANCOMYCIN", "daptomycin"), "yes"},
      {PlanTextHas("VANCOMYCIN", "serotonergic"), "yes"}, {PlanTextHas("VANCOMYCIN", "CK"), "yes"}},
     FnCase},
    {"VANC-1", "V7_mucositis_fq_ceftazidime", [](json& c) {
       SetCtx(c, "severe_mucositis", true);
       SetCtx(c, "fluoroquinolone_prophylaxis", true);
       SetCtx(c, "ceftazidime_empiric", true);
     },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanFact("VANCOMYCIN", "vancomycin_indication"), "V7"}}, FnCase},
    {"VANC-1", "V7_ceftazidime_from_medication_list", [](json& c) {
       SetCtx(c, "severe_mucositis", true);
       SetCtx(c, "fluoroquinolone_prophylaxis", true);
       UnsetCtx(c, "ceftazidime_empiric");
       AddMed(c, ActiveMed("ceftazidime", -Hr(10)));
     },
     {{Plan("VANCOMYCIN"), "recommended"}}, FnCase},
    {"VANC-3", "V7_without_fq_prophylaxis", [](json& c) {
       SetCtx(c, "severe_mucositis", true);
       SetCtx(c, "ceftazidime_empiric", true);
     },
     {{Plan("VANCOMYCIN"), "not_indicated"}}, FnCase},
    {"VANC-3", "V7_false_by_one_false_part_despite_unknown_part", [](json& c) { UnsetCtx(c, "severe_mucositis"); },
     {{Plan("VANCOMYCIN"), "not_indicated"}}, FnCase},
    {"VANC-1", "already_active_continue", [](json& c) {
       SetCtx(c, "mrsa_colonized", true);
       AddMed(c, ActiveMed("vancomycin", -Hr(10)));
     },
     {{Plan("VANCOMYCIN"), "recommended"}, {PlanTextHas("VANCOMYCIN", "continue"), "yes"}}, FnCase},
    {"VANC-2", "one_item_unknown_conditional", [](json& c) { UnsetCtx(c, "pneumonia"); },
     {{Plan("VANCOMYCIN"), "conditional"}, {PlanRule("VANCOMYCIN"), "VANC-2"}, {PlanTextHas("VANCOMYCIN", "pneumonia"), "yes"},
      {Missing("vancomycin_items"), "!absent"}},
     FnCase},
    {"VANC-1", "present_item_wins_over_unknown", [](json& c) {
       UnsetCtx(c, "pneumonia");
       SetCtx(c, "skin_soft_tissue_infection", true);
     },
     {{Plan("VANCOMYCIN"), "recommended"}}, FnCase},
    {"VANC", "not_without_fn", [](json& c) { SetLab(c, "anc", 2.0, "10*9/L", -Hr(2), std::nullopt); },
     {{Plan("VANCOMYCIN"), "absent"}, {Plan("GCSF"), "absent"}, {Plan("CONTINUE_ANTIBIOTICS"), "absent"}}, FnCase},
};
NMSCDS_RULES_TABLE(RulesVancomycin, kVancomycinRows);

const std::vector<Row> kGcsfRows = {
    {"G-3", "all_factors_absent", [](json&) {}, {{Plan("GCSF"), "not_indicated"}, {Priority("GCSF"), "routine"}}, FnCase},
    {"G-1", "G-a_anc_0_1", [](json& c) { SetLab(c, "anc", 0.1, "10*9/L", -Hr(2), std::nullopt); },
     {{Plan("GCSF"), "consider"}, {PlanRule("GCSF"), "G-1"}, {PlanFact("GCSF", "gcsf_factor"), "G-a"}}, FnCase},
    {"G-3", "G-a_anc_0_101", [](json& c) { SetLab(c, "anc", 0.101, "10*9/L", -Hr(2), std::nullopt); },
     {{Plan("GCSF"), "not_indicated"}}, FnCase},
    {"G-1", "G-b_expected_10_days", [](json& c) { SetCtx(c, "expected_neutropenia_days", 10); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-b"}}, FnCase},
    {"G-3", "G-b_expected_9_days", [](json& c) { SetCtx(c, "expected_neutropenia_days", 9); },
     {{Plan("GCSF"), "not_indicated"}}, FnCase},
    {"G-1", "G-c_sepsis", [](json& c) { SetCtx(c, "sepsis", true); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-c"}}, FnCase},
    {"G-1", "G-c_hemodynamic_instability", [](json& c) { SetCtx(c, "hemodynamically_unstable", true); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-c"}}, FnCase},
    {"G-1", "G-c_hypotension", [](json& c) { SetBp(c, {{85, 50}, {130, 72}}, {-Hr(6), -Hr(1)}); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-c"}}, FnCase},
    {"G-1", "G-d_age_66", [](json& c) { c["patient"]["age_years"] = 66; },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-d"}}, FnCase},
    {"G-3", "G-d_age_65", [](json& c) { c["patient"]["age_years"] = 65; }, {{Plan("GCSF"), "not_indicated"}}, FnCase},
    {"G-1", "G-e_pneumonia", [](json& c) { SetCtx(c, "pneumonia", true); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-e"}}, FnCase},
    {"G-1", "G-f_invasive_fungal", [](json& c) { SetCtx(c, "invasive_fungal_infection", true); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-f"}}, FnCase},
    {"G-1", "G-g_hospitalised_at_fever_onset", [](json& c) {
       SetCtx(c, "hospitalized_at_fever_onset", true);
       SetCtx(c, "outpatient_at_fever_onset", false);
     },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-g"}}, FnCase},
    {"G-1", "G-g_outpatient_false_alone_means_inpatient", [](json& c) {
       UnsetCtx(c, "hospitalized_at_fever_onset");
       SetCtx(c, "outpatient_at_fever_onset", false);
     },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-g"}}, FnCase},
    {"G-2", "G-g_both_false_unknown", [](json& c) {
       SetCtx(c, "hospitalized_at_fever_onset", false);
       SetCtx(c, "outpatient_at_fever_onset", false);
     },
     {{Plan("GCSF"), "conditional"}}, FnCase},
    {"G-1", "G-h_uncontrolled_disease", [](json& c) { SetCtx(c, "uncontrolled_primary_disease", true); },
     {{Plan("GCSF"), "consider"}, {PlanFact("GCSF", "gcsf_factor"), "G-h"}}, FnCase},
    {"G-2", "expected_days_unknown", [](json& c) { UnsetCtx(c, "expected_neutropenia_days"); },
     {{Plan("GCSF"), "conditional"}, {PlanRule("GCSF"), "G-2"}, {Missing("gcsf_factors"), "!absent"},
      {Missing("expected_neutropenia_days"), "!absent"}},
     FnCase},
    {"G-2", "text_lists_unknown_factor", [](json& c) { UnsetCtx(c, "invasive_fungal_infection"); },
     {{Plan("GCSF"), "conditional"}, {PlanTextHas("GCSF", "fungal"), "yes"}}, FnCase},
    {"G-2", "age_unknown", [](json& c) { c["patient"].erase("age_years"); }, {{Plan("GCSF"), "conditional"}}, FnCase},
    {"G-1", "factor_present_wins_over_unknown", [](json& c) {
       UnsetCtx(c, "expected_neutropenia_days");
       c["patient"]["age_years"] = 70;
     },
     {{Plan("GCSF"), "consider"}}, FnCase},
};
NMSCDS_RULES_TABLE(RulesGcsf, kGcsfRows);

const std::vector<Row> kAntifungalRows = {
    // AF-1: FN present, antibiotic_hours >= 96 and fn_fever present.
    {"AF-1", "96h_fires", [](json& c) { Meropenem(c, -Hr(96)); },
     {{Plan("ANTIFUNGAL"), "consider"}, {PlanRule("ANTIFUNGAL"), "AF-1"}, {Priority("ANTIFUNGAL"), "urgent"},
      {Note("NOTE_ANTIFUNGAL_WINDOW"), "present"}, {PlanFact("ANTIFUNGAL", "antibiotic_hours"), "96"},
      {Plan("EMPIRIC_ANTIBIOTICS"), "absent"}},
     FnCase},
    {"AF-1", "95h_does_not_fire", [](json& c) { Meropenem(c, -Hr(95)); },
     {{Plan("ANTIFUNGAL"), "absent"}, {Note("NOTE_ANTIFUNGAL_WINDOW"), "absent"}}, FnCase},
    {"DF-28", "chain_with_1h_gap", [](json& c) {
       AddMed(c, StoppedMed("cefepime", -Hr(120), -Hr(50)));
       Meropenem(c, -Hr(49));
     },
     {{PlanFact("ANTIFUNGAL", "antibiotic_hours"), "120"}}, FnCase},
    {"DF-28", "overlapping_entries_chain", [](json& c) {
       AddMed(c, StoppedMed("cefepime", -Hr(100), -Hr(40)));
       Meropenem(c, -Hr(60));
     },
     {{PlanFact("ANTIFUNGAL", "antibiotic_hours"), "100"}}, FnCase},
    {"DF-28", "non_qualifying_antibiotic_does_not_bridge", [](json& c) {
       AddMed(c, StoppedMed("cefepime", -Hr(150), -Hr(120)));
       AddMed(c, StoppedMed("vancomycin", -Hr(121), -Hr(70)));
       Meropenem(c, -Hr(70));
     },
     {{PlanFact("ANTIFUNGAL", "antibiotic_hours"), "absent"}, {Plan("ANTIFUNGAL"), "absent"}}, FnCase},
    {"DF-28", "chain_with_exactly_24h_gap_continues", [](json& c) {
       AddMed(c, StoppedMed("cefepime", -Hr(130), -Hr(100)));
       Meropenem(c, -Hr(76));
     },
     {{Plan("ANTIFUNGAL"), "consider"}, {PlanFact("ANTIFUNGAL", "antibiotic_hours"), "130"}}, FnCase},
    {"DF-28", "chain_broken_by_25h_gap", [](json& c) {
       AddMed(c, StoppedMed("cefepime", -Hr(130), -Hr(100)));
       Meropenem(c, -Hr(75));
     },
     {{Plan("ANTIFUNGAL"), "absent"}}, FnCase},
    {"DF-28", "start_unknown_asks_for_it", [](json& c) { AddMed(c, {{"name", "meropenem"}, {"status", "active"}}); },
     {{Plan("ANTIFUNGAL"), "absent"}, {Missing("antibiotic_start"), "!absent"}}, FnCase},
    // §9.6 IDSA conditions shown (do not suppress): high risk and expected neutropenia > 7 days.
    {"AF-1", "idsa_conditions_not_met_still_fires", [](json& c) { Meropenem(c, -Hr(100)); },
     {{Plan("ANTIFUNGAL"), "consider"}, {PlanFact("ANTIFUNGAL", "antifungal_idsa_conditions"), "not_met"}}, FnCase},
    {"AF-1", "idsa_conditions_met_at_8_days", [](json& c) {
       Meropenem(c, -Hr(100));
       SetCtx(c, "expected_neutropenia_days", 8);
     },
     {{PlanFact("ANTIFUNGAL", "antifungal_idsa_conditions"), "met"}}, FnCase},
    {"AF-1", "idsa_conditions_not_met_at_7_days", [](json& c) {
       Meropenem(c, -Hr(100));
       SetCtx(c, "expected_neutropenia_days", 7);
     },
     {{PlanFact("ANTIFUNGAL", "antifungal_idsa_conditions"), "not_met"}}, FnCase},
    // Preference: exactly one agent carries a caution -> prefer the other.
    {"§9.6", "both_cautions_no_preference", [](json& c) { Meropenem(c, -Hr(100)); },
     {{Decision(), "consider"}, {PlanFact("ANTIFUNGAL", "antifungal_preferred"), ""}}, FnCase},
    {"§9.6", "renal_caution_only_prefers_voriconazole", [](json& c) {
       Meropenem(c, -Hr(100));
       SetFinding(c, "rigidity", "moderate");
     },
     {{Decision(), "not_indicated"}, {PlanFact("ANTIFUNGAL", "antifungal_preferred"), "voriconazole"}}, FnCase},
    {"§9.6", "no_caution_no_preference", [](json& c) {
       Meropenem(c, -Hr(100));
       SetFinding(c, "rigidity", "moderate");
       SetLab(c, "ck", 300, "U/L", -Hr(2), 190);
     },
     {{PlanFact("ANTIFUNGAL", "antifungal_preferred"), ""}}, FnCase},
    {"§9.6", "hepatic_caution_only_prefers_amphotericin", [](json& c) {
       Meropenem(c, -Hr(100));
       SetFinding(c, "rigidity", "moderate");
       SetLab(c, "ck", 300, "U/L", -Hr(2), 190);
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
     },
     {{PlanFact("ANTIFUNGAL", "antifungal_preferred"), "!voriconazole"},
      {PlanFact("ANTIFUNGAL", "antifungal_preferred"), "!"}},
     FnCase},
    {"§9.6", "crcl_unknown_is_renal_caution", [](json& c) {
       Meropenem(c, -Hr(100));
       SetFinding(c, "rigidity", "moderate");
       SetLab(c, "ck", 300, "U/L", -Hr(2), 190);
       RemoveObs(c, "creatinine");
     },
     {{PlanFact("ANTIFUNGAL", "antifungal_preferred"), "voriconazole"}}, FnCase},
    {"§9.6", "mould_azole_active_switch_class", [](json& c) {
       Meropenem(c, -Hr(100));
       AddMed(c, ActiveMed("posaconazole", -Day(10)));
     },
     {{PlanTextHas("ANTIFUNGAL", "different antifungal class"), "yes"}}, FnCase},
};
NMSCDS_RULES_TABLE(RulesAntifungal, kAntifungalRows);

// DF-25 / DF-31: FN presumed = FN unknown AND fn_fever present AND (recent chemo true OR (unknown AND
// malignancy solid/hematologic)). Base: S02 (fever present) without any ANC.
void NoAnc(json& c) { RemoveObs(c, "anc"); }
void ChemoUnknown(json& c) {
  NoAnc(c);
  UnsetCtx(c, "last_chemotherapy_at");
}

const std::vector<Row> kPresumedRows = {
    {"DF-31", "chemo_42d_recent_presumed",
     [](json& c) {
       NoAnc(c);
       SetCtx(c, "last_chemotherapy_at", At(-Day(42)));
     },
     {{FnStatus(), "unknown"},
      {FnPresumed(), "true"},
      {Plan("EMPIRIC_ANTIBIOTICS"), "recommended"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "CBC"), "yes"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "ANC result is not available"), "yes"},
      {Warning("ANTIBIOTICS_NO_DELAY"), "critical"},
      {Plan("CONTINUE_ANTIBIOTICS"), "absent"},
      {Plan("VANCOMYCIN"), "absent"},
      {Plan("GCSF"), "absent"},
      {Priority("BASELINE_LABS"), "immediate"},
      {MasccRisk(), "!not_applicable"}}},
    {"DF-31", "chemo_42d_1s_not_recent",
     [](json& c) {
       NoAnc(c);
       SetCtx(c, "last_chemotherapy_at", At(-Day(42) - Sec(1)));
     },
     {{FnPresumed(), "false"}, {Plan("EMPIRIC_ANTIBIOTICS"), "absent"}, {Warning("ANTIBIOTICS_NO_DELAY"), "absent"}}},
    {"DF-31", "chemo_43d_not_recent",
     [](json& c) {
       NoAnc(c);
       SetCtx(c, "last_chemotherapy_at", At(-Day(43)));
     },
     {{FnPresumed(), "false"}, {MasccRisk(), "not_applicable"}}},
    {"DF-25-B12", "chemo_unknown_solid_malignancy_presumed", ChemoUnknown,
     {{FnPresumed(), "true"}, {Plan("EMPIRIC_ANTIBIOTICS"), "recommended"}}},
    {"DF-25-B12", "chemo_unknown_hematologic_presumed",
     [](json& c) {
       ChemoUnknown(c);
       SetCtx(c, "malignancy", "hematologic");
     },
     {{FnPresumed(), "true"}}},
    {"DF-31", "chemo_unknown_malignancy_none_not_presumed",
     [](json& c) {
       ChemoUnknown(c);
       SetCtx(c, "malignancy", "none");
     },
     {{FnPresumed(), "false"}, {Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}},
    {"DF-31", "chemo_and_malignancy_unknown_conditions_without_malignancy",
     [](json& c) {
       ChemoUnknown(c);
       UnsetCtx(c, "malignancy");
       c["conditions"] = {{{"text", "hypertension"}, {"status", "active"}}};
     },
     {{FnPresumed(), "false"}}},
    {"DF-25", "chemo_and_malignancy_unknown_conditions_absent_not_presumed",
     [](json& c) {
       ChemoUnknown(c);
       UnsetCtx(c, "malignancy");
       c.erase("conditions");
     },
     {{FnPresumed(), "false"}, {Plan("EMPIRIC_ANTIBIOTICS"), "absent"}, {Missing("recent_chemotherapy"), "!absent"},
      {Missing("anc"), "!absent"}}},
    {"DF-25", "malignancy_type_from_conditions_presumed",
     [](json& c) {
       ChemoUnknown(c);
       UnsetCtx(c, "malignancy");
       c["conditions"] = {{{"text", "lymphoma"}, {"status", "active"}}};
     },
     {{FnPresumed(), "true"}}},
    {"DF-31", "recent_chemotherapy_input_true",
     [](json& c) {
       ChemoUnknown(c);
       SetCtx(c, "malignancy", "none");
       SetCtx(c, "recent_chemotherapy", true);
     },
     {{FnPresumed(), "true"}}},
    {"DF-31", "recent_chemotherapy_input_false",
     [](json& c) {
       ChemoUnknown(c);
       SetCtx(c, "recent_chemotherapy", false);
     },
     {{FnPresumed(), "false"}}},
    // DF-25 as written: fn_status unknown (here ANC 0.7 with the trend unknown) AND fever AND recent
    // chemotherapy => presumed, although §9.1 describes presumed FN as "ANC unknown". With a count on file
    // there is no result to wait for: the wording says give now, not "if the ANC is not available".
    {"DF-25", "anc_0_7_trend_unknown_presumed",
     [](json& c) {
       SetLab(c, "anc", 0.7, "10*9/L", -Hr(2), std::nullopt);
       SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
     },
     {{FnStatus(), "unknown"},
      {FnPresumed(), "true"},
      {Plan("EMPIRIC_ANTIBIOTICS"), "recommended"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "ANC 0.7 x10^9/L with its trend not known"), "yes"},
      {PlanTextHas("EMPIRIC_ANTIBIOTICS", "not available"), "no"}}},
    {"DF-25", "fever_absent_not_presumed_fn_absent",
     [](json& c) {
       NoAnc(c);
       SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{FnStatus(), "absent"}, {FnPresumed(), "false"}}},
    {"DF-25", "fever_unknown_not_presumed",
     [](json& c) {
       NoAnc(c);
       SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
       SetTemps(c, {{38.1, -Hr(1)}});
     },
     {{FnFever(), "unknown"}, {FnStatus(), "unknown"}, {FnPresumed(), "false"}}},
    {"DF-25", "fever_absent_with_neutropenia_fn_absent",
     [](json& c) {
       SetLab(c, "anc", 0.2, "10*9/L", -Hr(2), std::nullopt);
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{FnStatus(), "absent"}, {Plan("EMPIRIC_ANTIBIOTICS"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesFnPresumed, kPresumedRows);

// MASCC (§4.3) and DF-30. FnOnly: burden moderate 3 + no hypotension 5 + no COPD 4 + solid tumour 4 +
// no IV dehydration 3 + outpatient 3 + age < 60 2 = 24 (low).
const std::vector<Row> kMasccRows = {
    {"§4.3", "low_risk_24", [](json&) {},
     {{MasccRisk(), "low"}, {Path("febrile_neutropenia.mascc.score"), "24"}, {FnHighRisk(), "false"}}, FnOnly},
    {"DF-30", "pathway_always_high_risk", [](json&) {}, {{MasccRisk(), "low"}, {FnHighRisk(), "true"}}, FnCase},
    {"§4.3", "burden_severe_and_inpatient_high",
     [](json& c) {
       SetCtx(c, "burden_of_illness", "severe");
       SetCtx(c, "hospitalized_at_fever_onset", true);
       SetCtx(c, "outpatient_at_fever_onset", false);
       c["patient"]["age_years"] = 60;
     },
     {{Path("febrile_neutropenia.mascc.score"), "16"}, {MasccRisk(), "high"}, {FnHighRisk(), "true"}}, FnOnly},
    {"§4.3", "score_21_low",
     [](json& c) {
       SetCtx(c, "dehydration_requiring_iv_fluids", true);
     },
     {{Path("febrile_neutropenia.mascc.score"), "21"}, {MasccRisk(), "low"}}, FnOnly},
    {"§4.3", "score_20_high",
     [](json& c) { SetCtx(c, "copd", true); },
     {{Path("febrile_neutropenia.mascc.score"), "20"}, {MasccRisk(), "high"}}, FnOnly},
    {"§4.3", "unknown_item_unknown_risk_is_high_risk",
     [](json& c) {
       UnsetCtx(c, "burden_of_illness");
       UnsetCtx(c, "dehydration_requiring_iv_fluids");
     },
     {{MasccRisk(), "unknown"}, {FnHighRisk(), "true"}, {Missing("mascc_items"), "!absent"}}, FnOnly},
    {"§4.3", "hematologic_with_prior_fungal_no_points",
     [](json& c) {
       SetCtx(c, "malignancy", "hematologic");
       SetCtx(c, "previous_fungal_infection", true);
     },
     {{Path("febrile_neutropenia.mascc.score"), "20"}, {MasccRisk(), "high"}}, FnOnly},
    {"§4.3", "hypotension_no_points_and_high_risk",
     [](json& c) { SetBp(c, {{85, 50}, {100, 60}}, {-Hr(6), -Hr(1)}); },
     {{Path("febrile_neutropenia.mascc.score"), "19"}, {FnHighRisk(), "true"}}, FnOnly},
    {"DF-30", "prolonged_and_profound_high_risk",
     [](json& c) {
       SetLab(c, "anc", 0.1, "10*9/L", -Hr(2), std::nullopt);
       SetCtx(c, "expected_neutropenia_days", 8);
     },
     {{MasccRisk(), "low"}, {FnHighRisk(), "true"}}, FnOnly},
    {"DF-30", "profound_but_expected_7_days_not_high_risk",
     [](json& c) {
       SetLab(c, "anc", 0.1, "10*9/L", -Hr(2), std::nullopt);
       SetCtx(c, "expected_neutropenia_days", 7);
     },
     {{FnHighRisk(), "false"}}, FnOnly},
    {"DF-30", "pneumonia_high_risk", [](json& c) { SetCtx(c, "pneumonia", true); }, {{FnHighRisk(), "true"}}, FnOnly},
};
NMSCDS_RULES_TABLE(RulesMascc, kMasccRows);

}  // namespace
}  // namespace nmscds::rules
