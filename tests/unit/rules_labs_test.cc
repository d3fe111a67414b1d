// Laboratory rules: DF-24 (ANC, neutropenia), DF-09 (CK), DF-19 (hepatic status), DF-21/DF-27 and §4.5
// (Cockcroft-Gault), §7.4 (amantadine renal bands), §7.2 PREF-2. Base: S02 (clinical §16).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

void Anc(json& c, double v, const std::string& unit = "10*9/L", std::int64_t at = -Hr(2)) {
  SetLab(c, "anc", v, unit, at, std::nullopt);
}

const std::vector<Row> kAncRows = {
    // DF-24: neutropenia present if ANC < 0.5, or ANC < 1.0 and anc_expected_to_fall true; absent if
    // ANC >= 1.0, or 0.5 <= ANC < 1.0 and expected_to_fall false; unknown if no ANC within 48 h or
    // 0.5 <= ANC < 1.0 with the trend unknown (B11). Profound = ANC <= 0.1.
    {"DF-24", "anc_0_499_neutropenic", [](json& c) { Anc(c, 0.499); },
     {{AncStatus(), "neutropenic"}, {FnStatus(), "present"}, {Profound(), "no"}}},
    {"DF-24", "anc_0_5_trend_unknown", [](json& c) { Anc(c, 0.5); },
     {{AncStatus(), "unknown"}, {FnStatus(), "unknown"}, {Missing("anc_trend"), "!absent"}}},
    {"DF-24", "anc_0_5_expected_to_fall", [](json& c) { Anc(c, 0.5); SetCtx(c, "anc_expected_to_fall", true); },
     {{AncStatus(), "neutropenic"}, {FnStatus(), "present"}}},
    {"DF-24", "anc_0_5_not_expected_to_fall", [](json& c) { Anc(c, 0.5); SetCtx(c, "anc_expected_to_fall", false); },
     {{AncStatus(), "not_neutropenic"}, {FnStatus(), "absent"}}},
    {"DF-24", "anc_0_999_expected_to_fall", [](json& c) { Anc(c, 0.999); SetCtx(c, "anc_expected_to_fall", true); },
     {{AncStatus(), "neutropenic"}}},
    {"DF-24", "anc_0_999_not_expected_to_fall", [](json& c) { Anc(c, 0.999); SetCtx(c, "anc_expected_to_fall", false); },
     {{AncStatus(), "not_neutropenic"}}},
    {"DF-24", "anc_0_999_trend_unknown", [](json& c) { Anc(c, 0.999); }, {{AncStatus(), "unknown"}, {Missing("anc_trend"), "!absent"}}},
    {"DF-24", "anc_1_0_expected_to_fall_still_absent", [](json& c) { Anc(c, 1.0); SetCtx(c, "anc_expected_to_fall", true); },
     {{AncStatus(), "not_neutropenic"}, {FnStatus(), "absent"}, {Missing("anc_trend"), "absent"}}},
    {"DF-24", "anc_0_499_not_expected_to_fall_still_present",
     [](json& c) { Anc(c, 0.499); SetCtx(c, "anc_expected_to_fall", false); }, {{AncStatus(), "neutropenic"}}},
    // §0.3: ANC rounded to 0.001 before comparison.
    {"§0.3", "anc_0_4994_rounds_to_0_499", [](json& c) { Anc(c, 0.4994); }, {{AncStatus(), "neutropenic"}}},
    {"§0.3", "anc_0_4995_rounds_to_0_500", [](json& c) { Anc(c, 0.4995); }, {{AncStatus(), "unknown"}}},
    {"DF-24", "profound_at_0_1", [](json& c) { Anc(c, 0.1); }, {{Profound(), "yes"}, {AncStatus(), "neutropenic"}}},
    {"DF-24", "not_profound_at_0_101", [](json& c) { Anc(c, 0.101); }, {{Profound(), "no"}}},
    // §13.3 units: /uL and {cells}/uL divided by 1000; 10*3/uL identical to 10*9/L.
    {"§13.3", "anc_100_per_uL_profound", [](json& c) { Anc(c, 100, "/uL"); }, {{Profound(), "yes"}, {AncValue(), "0.1"}}},
    {"§13.3", "anc_101_per_uL_not_profound", [](json& c) { Anc(c, 101, "/uL"); }, {{Profound(), "no"}}},
    {"§13.3", "anc_499_per_uL_neutropenic", [](json& c) { Anc(c, 499, "/uL"); }, {{AncStatus(), "neutropenic"}}},
    {"§13.3", "anc_500_cells_per_uL_trend_unknown", [](json& c) { Anc(c, 500, "{cells}/uL"); }, {{AncStatus(), "unknown"}}},
    {"§13.3", "anc_0_4_10e3_per_uL_neutropenic", [](json& c) { Anc(c, 0.4, "10*3/uL"); },
     {{AncStatus(), "neutropenic"}, {AncValue(), "0.4"}}},
    {"§13.3", "anc_400_per_mm3_neutropenic", [](json& c) { Anc(c, 400, "/mm3"); }, {{AncStatus(), "neutropenic"}}},
    // Windows: latest ANC within 48 h; older ANC ignored.
    {"DF-24", "anc_at_exactly_48h_used", [](json& c) { Anc(c, 0.3, "10*9/L", -Hr(48)); }, {{AncStatus(), "neutropenic"}}},
    {"DF-24", "anc_older_than_48h_ignored", [](json& c) { Anc(c, 0.3, "10*9/L", -Hr(48) - Sec(1)); },
     {{AncStatus(), "unknown"}, {FnStatus(), "unknown"}, {Missing("anc"), "!absent"}}},
    {"DF-24", "latest_anc_wins",
     [](json& c) {
       Anc(c, 0.3, "10*9/L", -Hr(40));
       AddObs(c, "anc", 1.5, "10*9/L", -Hr(2));
     },
     {{AncStatus(), "not_neutropenic"}}},
    {"DF-24", "older_normal_newer_low",
     [](json& c) {
       Anc(c, 1.5, "10*9/L", -Hr(40));
       AddObs(c, "anc", 0.3, "10*9/L", -Hr(2));
     },
     {{AncStatus(), "neutropenic"}}},
    // §0.1 B1: tied latest values, the worse (lower ANC) is used.
    {"§0.1-B1", "tied_anc_lower_used",
     [](json& c) {
       Anc(c, 0.6, "10*9/L", -Hr(2));
       AddObs(c, "anc", 0.4, "10*9/L", -Hr(2));
     },
     {{AncStatus(), "neutropenic"}}},
    {"§0.1", "anc_after_T0_ignored",
     [](json& c) {
       Anc(c, 6.2, "10*9/L", -Hr(2));
       AddObs(c, "anc", 0.2, "10*9/L", Hr(1));
     },
     {{AncStatus(), "not_neutropenic"}, {Warning("OBSERVATION_AFTER_T0"), "info"}}},
    // interfaces §2.3 comparator: "ANC <0.5 is below 0.5".
    {"§2.3-comparator", "anc_less_than_0_5_neutropenic",
     [](json& c) {
       Anc(c, 0.5);
       c["observations"].back()["comparator"] = "<";
     },
     {{AncStatus(), "neutropenic"}}},
    {"§2.3-comparator", "anc_less_than_0_1_profound",
     [](json& c) {
       Anc(c, 0.1);
       c["observations"].back()["comparator"] = "<";
     },
     {{Profound(), "yes"}}},
};
NMSCDS_RULES_TABLE(RulesAnc, kAncRows);

void Ck(json& c, double v, std::optional<double> uln, std::int64_t at = -Hr(2), const std::string& unit = "U/L") {
  SetLab(c, "ck", v, unit, at, uln);
}

const std::vector<Row> kCkRows = {
    // DF-09: ratio = value / ULN; ck_ge_4x_uln = ratio >= 4 (C5 met); ck_gt_5x_uln = ratio > 5
    // (RHABDOMYOLYSIS_RISK on the pathway; urine target 1 mL/kg/h, §8.2).
    {"DF-09", "ratio_exactly_4_c5_met", [](json& c) { Ck(c, 800, 200); },
     {{Iec(5), "met"}, {Warning("RHABDOMYOLYSIS_RISK"), "absent"}, {Warning("DEFAULT_ULN_USED"), "absent"}}},
    {"DF-09", "ratio_3_9995_c5_not_met", [](json& c) { Ck(c, 799.9, 200); }, {{Iec(5), "not_met"}}},
    {"DF-09", "ratio_exactly_5_not_rhabdo", [](json& c) { Ck(c, 1000, 200); },
     {{Iec(5), "met"}, {Warning("RHABDOMYOLYSIS_RISK"), "absent"}, {PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), "35"}}},
    {"DF-09", "ratio_above_5_rhabdo", [](json& c) { Ck(c, 1000.1, 200); },
     {{Warning("RHABDOMYOLYSIS_RISK"), "warning"}, {PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), "70"}}},
    {"DF-09", "default_uln_200_when_no_range_4x", [](json& c) { Ck(c, 800, std::nullopt); },
     {{Iec(5), "met"}, {Warning("DEFAULT_ULN_USED"), "info"}}},
    {"DF-09", "default_uln_200_when_no_range_below_4x", [](json& c) { Ck(c, 799.9, std::nullopt); },
     {{Iec(5), "not_met"}, {Warning("DEFAULT_ULN_USED"), "info"}}},
    {"DF-09", "default_uln_200_5x_not_rhabdo", [](json& c) { Ck(c, 1000, std::nullopt); },
     {{Warning("RHABDOMYOLYSIS_RISK"), "absent"}}},
    {"DF-09", "default_uln_200_above_5x_rhabdo", [](json& c) { Ck(c, 1000.1, std::nullopt); },
     {{Warning("RHABDOMYOLYSIS_RISK"), "warning"}}},
    {"DF-09", "no_ck_unknown", [](json& c) { RemoveObs(c, "ck"); },
     {{Iec(5), "unknown"},
      {Missing("ck"), "!absent"},
      {Warning("RHABDOMYOLYSIS_RISK"), "absent"},
      // §8.2: urine target 1 mL/kg/h when ck_gt_5x_uln is unknown (B24).
      {PlanFact("COOLING_AND_FLUIDS", "urine_output_target_ml_h"), "70"}}},
    {"DF-09", "ck_at_exactly_72h_counted", [](json& c) { Ck(c, 900, 200, -Hr(72)); }, {{Iec(5), "met"}}},
    {"DF-09", "ck_older_than_72h_unknown", [](json& c) { Ck(c, 900, 200, -Hr(72) - Sec(1)); }, {{Iec(5), "unknown"}}},
    {"DF-09", "max_ratio_not_latest",
     [](json& c) {
       Ck(c, 700, 170, -Hr(30));
       AddObs(c, "ck", 900, "U/L", -Hr(2), {{"reference_range", {{"high", 300}}}});
     },
     {{Iec(5), "met"}}},
    {"DF-09", "all_ck_below_4x_not_met",
     [](json& c) {
       Ck(c, 700, 200, -Hr(30));
       AddObs(c, "ck", 600, "U/L", -Hr(2), {{"reference_range", {{"high", 200}}}});
     },
     {{Iec(5), "not_met"}}},
    {"§3.3", "range_without_high_uses_default_uln",
     [](json& c) {
       RemoveObs(c, "ck");
       AddObs(c, "ck", 800, "U/L", -Hr(2), {{"reference_range", {{"low", 30}}}});
     },
     {{Iec(5), "met"}, {Warning("DEFAULT_ULN_USED"), "info"}}},
    {"§13.3", "ck_in_ukat_per_l", [](json& c) { Ck(c, 13.34, 3.333, -Hr(2), "ukat/L"); }, {{Iec(5), "met"}}},
    // §8.2 P-COOL: "if CK > 5000 U/L say high risk of acute kidney injury".
    {"§8.2-P-COOL", "ck_5000_no_aki_statement", [](json& c) { Ck(c, 5000, 200); },
     {{PlanTextHas("COOLING_AND_FLUIDS", "kidney injury"), "no"}}},
    {"§8.2-P-COOL", "ck_5000_1_aki_statement", [](json& c) { Ck(c, 5000.1, 200); },
     {{PlanTextHas("COOLING_AND_FLUIDS", "kidney injury"), "yes"}}},
};
NMSCDS_RULES_TABLE(RulesCk, kCkRows);

const std::vector<Row> kHepaticRows = {
    // DF-19: dysfunction if liver disease, ALT > ULN, AST > ULN or bilirubin > ULN; normal if ALT and AST
    // known within 7 days and <= ULN, bilirubin <= ULN or not measured, and liver disease known absent;
    // unknown otherwise (B8).
    {"DF-19", "s02_normal", [](json&) {}, {{Hepatic(), "normal"}}},
    {"DF-19", "alt_equal_uln_normal", [](json& c) { SetLab(c, "alt", 41, "U/L", -Hr(2), 41); }, {{Hepatic(), "normal"}}},
    {"DF-19", "alt_uln_plus_0_1_dysfunction", [](json& c) { SetLab(c, "alt", 41.1, "U/L", -Hr(2), 41); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "alt_above_uln"}}},
    {"DF-19", "ast_equal_uln_normal", [](json& c) { SetLab(c, "ast", 40, "U/L", -Hr(2), 40); }, {{Hepatic(), "normal"}}},
    {"DF-19", "ast_uln_plus_0_1_dysfunction", [](json& c) { SetLab(c, "ast", 40.1, "U/L", -Hr(2), 40); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "ast_above_uln"}}},
    {"DF-19", "bilirubin_equal_uln_normal", [](json& c) { SetLab(c, "bilirubin_total", 1.2, "mg/dL", -Hr(2), 1.2); },
     {{Hepatic(), "normal"}}},
    {"DF-19", "bilirubin_uln_plus_0_01_dysfunction", [](json& c) { SetLab(c, "bilirubin_total", 1.21, "mg/dL", -Hr(2), 1.2); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "bilirubin_above_uln"}}},
    // §13.3: umol/L / 17.1, rounded to 0.01 mg/dL before comparison; default ULN 1.2 mg/dL.
    {"DF-19", "bilirubin_20_6_umol_is_1_20_normal", [](json& c) { SetLab(c, "bilirubin_total", 20.6, "umol/L", -Hr(2), std::nullopt); },
     {{Hepatic(), "normal"}, {Warning("DEFAULT_ULN_USED"), "info"}}},
    {"DF-19", "bilirubin_20_7_umol_is_1_21_dysfunction",
     [](json& c) { SetLab(c, "bilirubin_total", 20.7, "umol/L", -Hr(2), std::nullopt); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "bilirubin_above_uln"}}},
    {"DF-19", "bilirubin_umol_with_umol_range_equal_normal",
     [](json& c) { SetLab(c, "bilirubin_total", 20.5, "umol/L", -Hr(2), 20.5); }, {{Hepatic(), "normal"}}},
    {"DF-19", "bilirubin_not_measured_still_normal", [](json& c) { RemoveObs(c, "bilirubin_total"); },
     {{Hepatic(), "normal"}, {Decision(), "consider"}, {Missing("total_bilirubin"), "non_blocking"}}},
    {"DF-19", "bilirubin_older_than_7d_counts_as_not_measured",
     [](json& c) { SetLab(c, "bilirubin_total", 3.0, "mg/dL", -Day(7) - Sec(1), 1.2); },
     {{Hepatic(), "normal"}}},
    {"DF-19", "alt_at_exactly_7d_used", [](json& c) { SetLab(c, "alt", 38, "U/L", -Day(7), 41); }, {{Hepatic(), "normal"}}},
    {"DF-19", "alt_older_than_7d_unknown", [](json& c) { SetLab(c, "alt", 38, "U/L", -Day(7) - Sec(1), 41); },
     {{Hepatic(), "unknown"},
      {Decision(), "insufficient_data"},
      {Reasons(), "hepatic_status_unknown"},
      {Missing("alt"), "blocking"}}},
    {"DF-19", "alt_missing_unknown", [](json& c) { RemoveObs(c, "alt"); },
     {{Hepatic(), "unknown"}, {Missing("alt"), "blocking"}, {Missing("ast"), "absent"}}},
    {"DF-19", "ast_missing_unknown", [](json& c) { RemoveObs(c, "ast"); },
     {{Hepatic(), "unknown"}, {Missing("ast"), "blocking"}}},
    // Kleene OR: one known abnormal value decides whatever the others are.
    {"DF-19", "alt_high_with_ast_missing_dysfunction",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
       RemoveObs(c, "ast");
     },
     {{Hepatic(), "dysfunction"}, {Decision(), "contraindicated"}}},
    {"DF-19", "latest_alt_used",
     [](json& c) {
       SetLab(c, "alt", 85, "U/L", -Day(3), 41);
       AddObs(c, "alt", 30, "U/L", -Hr(2), {{"reference_range", {{"high", 41}}}});
     },
     {{Hepatic(), "normal"}}},
    {"§0.1-B1", "tied_alt_higher_used",
     [](json& c) {
       SetLab(c, "alt", 30, "U/L", -Hr(2), 41);
       AddObs(c, "alt", 85, "U/L", -Hr(2), {{"reference_range", {{"high", 41}}}});
     },
     {{Hepatic(), "dysfunction"}}},
    {"§13.5", "alt_default_uln_40_equal_normal", [](json& c) { SetLab(c, "alt", 40, "U/L", -Hr(2), std::nullopt); },
     {{Hepatic(), "normal"}, {Warning("DEFAULT_ULN_USED"), "info"}}},
    {"§13.5", "alt_default_uln_40_exceeded", [](json& c) { SetLab(c, "alt", 40.1, "U/L", -Hr(2), std::nullopt); },
     {{Hepatic(), "dysfunction"}}},
    {"§13.3", "alt_ukat_per_l", [](json& c) { SetLab(c, "alt", 0.7, "ukat/L", -Hr(2), 0.68); },
     {{Hepatic(), "dysfunction"}}},
    // Liver disease: context flag, or the conditions list (active only); the flag overrides the list.
    {"DF-19", "liver_disease_context_true", [](json& c) { SetCtx(c, "liver_disease", true); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "liver_disease_known"}}},
    {"DF-19", "active_cirrhosis_condition", [](json& c) { c["conditions"].push_back({{"text", "cirrhosis"}, {"status", "active"}}); },
     {{Hepatic(), "dysfunction"}, {Reasons(), "liver_disease_known"}}},
    {"DF-19", "past_hepatitis_condition_not_liver_disease",
     [](json& c) { c["conditions"].push_back({{"text", "hepatitis"}, {"status", "past"}}); }, {{Hepatic(), "normal"}}},
    {"DF-19", "refuted_cirrhosis_condition_not_liver_disease",
     [](json& c) { c["conditions"].push_back({{"text", "cirrhosis"}, {"status", "refuted"}}); }, {{Hepatic(), "normal"}}},
    {"DF-19", "context_false_overrides_condition",
     [](json& c) {
       c["conditions"].push_back({{"text", "cirrhosis"}, {"status", "active"}});
       SetCtx(c, "liver_disease", false);
     },
     {{Hepatic(), "normal"}}},
    {"DF-19", "coded_condition_icd10_k74",
     [](json& c) {
       c["conditions"].push_back({{"system", "http://hl7.org/fhir/sid/icd-10-cm"}, {"code", "K74.60"}, {"status", "active"}});
     },
     {{Hepatic(), "dysfunction"}}},
    {"DF-19", "conditions_absent_unknown", [](json& c) { c.erase("conditions"); },
     {{Hepatic(), "unknown"}, {Missing("liver_disease_history"), "blocking"}, {Reasons(), "hepatic_status_unknown"}}},
    {"DF-19", "conditions_absent_but_flag_false_normal",
     [](json& c) {
       c.erase("conditions");
       SetCtx(c, "liver_disease", false);
     },
     {{Hepatic(), "normal"}, {Missing("liver_disease_history"), "absent"}}},
    {"DF-19", "empty_conditions_list_known_none", [](json& c) { c["conditions"] = json::array(); }, {{Hepatic(), "normal"}}},
    {"DF-19", "conditions_absent_alt_high_still_dysfunction",
     [](json& c) {
       c.erase("conditions");
       SetLab(c, "alt", 85, "U/L", -Hr(2), 41);
     },
     {{Hepatic(), "dysfunction"}}},
};
NMSCDS_RULES_TABLE(RulesHepatic, kHepaticRows);

const std::vector<Row> kCrclRows = {
    // §4.5: ((140 - age) x weight) / (72 x creatinine), x 0.85 if female or sex unknown; truncated to 0.1.
    // S02: 95 x 70 / (72 x 1.1) = 83.96 -> 83.9 (truncation, not rounding).
    {"§4.5", "s02_truncated_83_9", [](json&) {}, {{Crcl(), "83.9"}}},
    {"§4.5", "female_factor_71_3", [](json& c) { c["patient"]["sex"] = "female"; }, {{Crcl(), "71.3"}}},
    {"§4.5-B14", "sex_unknown_uses_female_factor", [](json& c) { c["patient"]["sex"] = "unknown"; },
     {{Crcl(), "71.3"}, {Missing("sex"), "!absent"}}},
    {"§4.5-B14", "sex_other_uses_female_factor", [](json& c) { c["patient"]["sex"] = "other"; }, {{Crcl(), "71.3"}}},
    {"§4.5-B14", "sex_not_supplied_uses_female_factor", [](json& c) { c["patient"].erase("sex"); },
     {{Crcl(), "71.3"}, {Missing("sex"), "!absent"}}},
    {"§13.3", "creatinine_97_umol_is_1_10", [](json& c) { SetLab(c, "creatinine", 97, "umol/L", -Hr(2), std::nullopt); },
     {{Crcl(), "83.9"}}},
    {"DF-27", "creatinine_at_exactly_24h_used", [](json& c) { SetLab(c, "creatinine", 1.1, "mg/dL", -Hr(24), std::nullopt); },
     {{Crcl(), "83.9"}}},
    {"DF-27", "creatinine_older_than_24h_unknown",
     [](json& c) { SetLab(c, "creatinine", 1.1, "mg/dL", -Hr(24) - Sec(1), std::nullopt); },
     {{Crcl(), "unknown"}, {Missing("creatinine"), "!absent"}}},
    {"DF-27", "latest_creatinine_used",
     [](json& c) {
       SetLab(c, "creatinine", 2.2, "mg/dL", -Hr(20), std::nullopt);
       AddObs(c, "creatinine", 1.1, "mg/dL", -Hr(2));
     },
     {{Crcl(), "83.9"}}},
    {"DF-27", "weight_missing_unknown", [](json& c) { c["patient"].erase("weight"); },
     {{Crcl(), "unknown"}, {Missing("weight"), "non_blocking"}}},
    {"DF-27", "age_missing_unknown", [](json& c) { c["patient"].erase("age_years"); },
     {{Crcl(), "unknown"}, {Missing("age"), "!absent"}}},
    {"DF-27", "age_from_birth_date", [](json& c) {
       c["patient"].erase("age_years");
       c["patient"]["birth_date"] = "1980-03-02";  // 45 at T0 (birthday the next day)
     },
     {{Crcl(), "83.9"}}},
    // DF-21: latest weight within 30 days; lb converted with 0.45359237 and rounded to 0.1 kg.
    {"DF-21", "weight_in_lb", [](json& c) { c["patient"]["weight"] = {{"value", 154}, {"unit", "[lb_av]"}, {"measured_at", At(-Day(1))}}; },
     {{Crcl(), "83.8"}, {Regimen("weight_kg"), "69.9"}}},
    {"§13.3", "weight_in_grams", [](json& c) { c["patient"]["weight"] = {{"value", 70000}, {"unit", "g"}, {"measured_at", At(-Day(1))}}; },
     {{Crcl(), "83.9"}, {Regimen("weight_kg"), "70"}}},
    {"DF-21", "weight_at_exactly_30d_used", [](json& c) { SetWeight(c, 70, -Day(30)); }, {{Crcl(), "83.9"}}},
    {"DF-21", "weight_older_than_30d_unknown", [](json& c) { SetWeight(c, 70, -Day(30) - Sec(1)); },
     {{Crcl(), "unknown"}, {Missing("weight"), "!absent"}, {Regimen("weight_kg"), "absent"}}},
    {"DF-21", "undated_weight_is_current", [](json& c) { c["patient"]["weight"] = {{"value", 70}, {"unit", "kg"}}; },
     {{Crcl(), "83.9"}, {Regimen("weight_kg"), "70"}, {Warning("INPUT_WEIGHT_UNDATED"), "info"}}},
    {"§4.5", "dialysis_reported", [](json& c) { SetCtx(c, "dialysis", true); },
     {{Crcl(), "83.9"}, {Path("renal.dialysis"), "true"}}},
};
NMSCDS_RULES_TABLE(RulesCrcl, kCrclRows);

// Amantadine bands (§7.4) need AMANTADINE emitted with a dose: stage V with a contraindication (ALT-3b:
// bromocriptine recommended, amantadine alternative). Age 50 and creatinine 1.25 mg/dL make
// CrCl = weight exactly (90 x W / 90), so the weight sets the clearance at 0.1 mL/min.
void AmantadineBase(json& c, double weight_kg) {
  SetCtx(c, "iv_access", "poor");
  c["patient"]["age_years"] = 50;
  SetLab(c, "creatinine", 1.25, "mg/dL", -Hr(2), std::nullopt);
  SetWeight(c, weight_kg);
}

const std::vector<Row> kAmantadineRows = {
    {"§7.4", "crcl_50_0_ge_50", [](json& c) { AmantadineBase(c, 50.0); },
     {{Crcl(), "50"}, {Alt("amantadine"), "alternative"}, {AltBand("amantadine"), "crcl_ge_50"}, {AltDose("amantadine"), "100-200 q12h"}}},
    {"§7.4", "crcl_49_9_30_49", [](json& c) { AmantadineBase(c, 49.9); },
     {{Crcl(), "49.9"}, {AltBand("amantadine"), "crcl_30_49"}, {AltDose("amantadine"), "100-100 q24h"}}},
    {"§7.4", "crcl_30_0_30_49", [](json& c) { AmantadineBase(c, 30.0); },
     {{AltBand("amantadine"), "crcl_30_49"}, {AltDose("amantadine"), "100-100 q24h"},
      {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"}}},
    {"§7.4", "crcl_29_9_15_29_and_PREF-2", [](json& c) { AmantadineBase(c, 29.9); },
     {{AltBand("amantadine"), "crcl_15_29"},
      {AltDose("amantadine"), "100-100 q48h"},
      {Alt("bromocriptine"), "recommended"},
      {Alt("amantadine"), "alternative"},
      {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"}}},
    {"§7.4", "crcl_15_0_15_29", [](json& c) { AmantadineBase(c, 15.0); }, {{AltBand("amantadine"), "crcl_15_29"}}},
    {"§7.4", "crcl_14_9_lt_15", [](json& c) { AmantadineBase(c, 14.9); },
     {{AltBand("amantadine"), "crcl_lt_15_or_dialysis"}, {AltDose("amantadine"), "100-100 q168h"}}},
    {"§7.4", "dialysis_band_whatever_the_clearance",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetCtx(c, "dialysis", true);
     },
     {{AltBand("amantadine"), "crcl_lt_15_or_dialysis"},
      {AltDose("amantadine"), "100-100 q168h"},
      {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"}}},
    {"§7.4", "dialysis_band_when_crcl_unknown",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetCtx(c, "dialysis", true);
       c["patient"].erase("weight");
     },
     {{Crcl(), "unknown"},
      {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"},
      {Alt("amantadine"), "alternative"},
      {AltBand("amantadine"), "crcl_lt_15_or_dialysis"},
      {AltDose("amantadine"), "100-100 q168h"}}},
    // B21: age >= 65 never above 100 mg every 12 h. Age 65: 75 x 72 / 90 = 60.0; age 64: 60.8.
    {"§7.4-B21", "age_65_capped_100_q12h",
     [](json& c) {
       AmantadineBase(c, 72.0);
       c["patient"]["age_years"] = 65;
     },
     {{Crcl(), "60"}, {AltBand("amantadine"), "crcl_ge_50"}, {AltDose("amantadine"), "100-100 q12h"}}},
    {"§7.4-B21", "age_64_may_increase_to_200",
     [](json& c) {
       AmantadineBase(c, 72.0);
       c["patient"]["age_years"] = 64;
     },
     {{Crcl(), "60.8"}, {AltDose("amantadine"), "100-200 q12h"}}},
    // CrCl unknown: no dose, status conditional ("obtain serum creatinine first") under PREF-4.
    {"§7.4", "crcl_unknown_conditional",
     [](json& c) {
       AmantadineBase(c, 70.0);
       RemoveObs(c, "creatinine");
     },
     {{Alt("bromocriptine"), "recommended"},
      {Alt("amantadine"), "conditional"},
      {AltBand("amantadine"), "crcl_unknown"},
      {AltDose("amantadine"), "no_dose"},
      {PlanTextHas("AMANTADINE", "creatinine"), "yes"}}},
    // PREF-2 with CrCl unknown: creatinine > 2.0 mg/dL (B32): amantadine `alternative`, no dose, "obtain
    // weight"; the text names age when age is what is missing.
    {"§7.2-PREF-2", "creatinine_2_01_weight_unknown",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetLab(c, "creatinine", 2.01, "mg/dL", -Hr(2), std::nullopt);
       c["patient"].erase("weight");
     },
     {{Crcl(), "unknown"},
      {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"},
      {Alt("amantadine"), "alternative"},
      {AltDose("amantadine"), "no_dose"},
      {PlanTextHas("AMANTADINE", "weight"), "yes"}}},
    {"§7.2-PREF-2", "creatinine_2_00_weight_unknown_is_PREF-4",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetLab(c, "creatinine", 2.0, "mg/dL", -Hr(2), std::nullopt);
       c["patient"].erase("weight");
     },
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"}, {Alt("amantadine"), "conditional"}}},
    {"§7.2-PREF-2", "creatinine_2_01_age_unknown_names_age",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetLab(c, "creatinine", 2.01, "mg/dL", -Hr(2), std::nullopt);
       c["patient"].erase("age_years");
     },
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"},
      {Alt("amantadine"), "alternative"},
      {PlanTextHas("AMANTADINE", "age"), "yes"}}},
    {"§7.2-PREF-2", "creatinine_2_01_with_crcl_known_uses_crcl",
     [](json& c) {
       AmantadineBase(c, 70.0);
       SetLab(c, "creatinine", 2.01, "mg/dL", -Hr(2), std::nullopt);  // CrCl = 90 x 70 / (72 x 2.01) = 43.5
     },
     {{Crcl(), "43.5"}, {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"}, {AltBand("amantadine"), "crcl_30_49"}}},
};
NMSCDS_RULES_TABLE(RulesAmantadine, kAmantadineRows);

}  // namespace
}  // namespace nmscds::rules
