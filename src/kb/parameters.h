#pragma once
// Named parameters of the `standard` profile (clinical.md §13.1). Every threshold, window and dose the
// engine uses is one of these fields; kb/parameters.json gives the values. A `graded` profile must be
// achievable by changing data only (clinical §1.4).
//
// NMSCDS_SCALAR_PARAMS(X): X(field, "id in parameters.json")  -- one number
// NMSCDS_RANGE_PARAMS(X):  X(field, "id")                       -- [low, high]
#include <string>
#include <vector>

#include "nmscds/fixed.h"

namespace nmscds {

#define NMSCDS_SCALAR_PARAMS(X)                                              \
  X(nms_window_h, "nms_window_h")                                            \
  X(lai_interval_days_default, "lai_interval_days")                          \
  X(lai_exposure_factor, "lai_exposure_factor")                              \
  X(window_withdrawal_iec_h, "window_withdrawal_iec_h")                      \
  X(window_withdrawal_phs_days, "window_withdrawal_phs_days")                \
  X(window_active_h, "window_active_h")                                      \
  X(findings_window_h, "findings_window_h")                                  \
  X(vitals_window_h, "vitals_window_h")                                      \
  X(mh_trigger_window_h, "mh_trigger_window_h")                              \
  X(episode_therapy_days, "episode_therapy_days")                            \
  X(ect_active_days, "ect_active_days")                                      \
  X(gcs_normal, "gcs_normal")                                                \
  X(suspicion_min_cardinal, "suspicion_min_cardinal")                        \
  X(iec_weight_c1, "iec_weight_c1")                                          \
  X(iec_weight_c2, "iec_weight_c2")                                          \
  X(iec_weight_c3, "iec_weight_c3")                                          \
  X(iec_weight_c4, "iec_weight_c4")                                          \
  X(iec_weight_c5, "iec_weight_c5")                                          \
  X(iec_weight_c6, "iec_weight_c6")                                          \
  X(iec_weight_c7, "iec_weight_c7")                                          \
  X(iec_weight_c8, "iec_weight_c8")                                          \
  X(iec_cutoff, "iec_cutoff")                                                \
  X(iec_c2_min_occasions, "iec_c2_min_occasions")                            \
  X(iec_c6_min_items, "iec_c6_min_items")                                    \
  X(hyperthermia_threshold_c, "hyperthermia_threshold_c")                    \
  X(ck_iec_multiple, "ck_iec_multiple")                                      \
  X(ck_rhabdo_multiple, "ck_rhabdo_multiple")                                \
  X(ck_aki_u_l, "ck_aki_u_l")                                                \
  X(autonomic_hr, "autonomic_hr")                                            \
  X(bp_rise_pct, "bp_rise_pct")                                              \
  X(bp_fluct_sbp, "bp_fluct_sbp")                                            \
  X(bp_fluct_dbp, "bp_fluct_dbp")                                            \
  X(hypermetabolism_hr_pct, "hypermetabolism_hr_pct")                        \
  X(hypermetabolism_rr_pct, "hypermetabolism_rr_pct")                        \
  X(hepatic_window_days, "hepatic_window_days")                              \
  X(dantrolene_repeat_mg_per_kg, "dantrolene_repeat_mg_per_kg")              \
  X(dantrolene_repeat_interval_h, "dantrolene_repeat_interval_h")            \
  X(dantrolene_max_mg_per_kg_24h, "dantrolene_max_mg_per_kg_24h")            \
  X(dantrolene_mh_bolus_mg_per_kg, "dantrolene_mh_bolus_mg_per_kg")          \
  X(dantrolene_vial_mg, "dantrolene_vial_mg")                                \
  X(mannitol_g_per_vial, "mannitol_g_per_vial")                              \
  X(diluent_ml_per_vial, "diluent_ml_per_vial")                              \
  X(bromocriptine_start_mg, "bromocriptine_start_mg")                        \
  X(bromocriptine_step_mg, "bromocriptine_step_mg")                          \
  X(bromocriptine_max_mg, "bromocriptine_max_mg")                            \
  X(bromocriptine_interval_h, "bromocriptine_interval_h")                    \
  X(amantadine_elderly_age, "amantadine_elderly_age")                        \
  X(fn_single_c, "fn_single_c")                                              \
  X(fn_sustained_c, "fn_sustained_c")                                        \
  X(fn_sustained_min, "fn_sustained_min")                                    \
  X(anc_neutropenia, "anc_neutropenia")                                      \
  X(anc_expected_fall, "anc_expected_fall")                                  \
  X(anc_profound_gcsf, "anc_profound_gcsf")                                  \
  X(anc_window_h, "anc_window_h")                                            \
  X(creatinine_window_h, "creatinine_window_h")                              \
  X(weight_window_days, "weight_window_days")                                \
  X(pref2_creatinine_mg_dl, "pref2_creatinine_mg_dl")                        \
  X(pref2_crcl_ml_min, "pref2_crcl_ml_min")                                  \
  X(recent_chemo_days, "recent_chemo_days")                                  \
  X(antibiotic_first_dose_min, "antibiotic_first_dose_min")                  \
  X(antibiotic_gap_h, "antibiotic_gap_h")                                    \
  X(prolonged_neutropenia_days, "prolonged_neutropenia_days")                \
  X(amphotericin_crcl_ml_min, "amphotericin_crcl_ml_min")                    \
  X(antifungal_fever_hours, "antifungal_fever_hours")                        \
  X(gcsf_expected_days, "gcsf_expected_days")                                \
  X(gcsf_age, "gcsf_age")                                                    \
  X(mascc_low_risk, "mascc_low_risk")                                        \
  X(mascc_weight_burden_none_mild, "mascc_weight_burden_none_mild")          \
  X(mascc_weight_burden_moderate, "mascc_weight_burden_moderate")            \
  X(mascc_weight_burden_severe, "mascc_weight_burden_severe")                \
  X(mascc_weight_no_hypotension, "mascc_weight_no_hypotension")              \
  X(mascc_weight_no_copd, "mascc_weight_no_copd")                            \
  X(mascc_weight_solid_or_no_fungal, "mascc_weight_solid_or_no_fungal")      \
  X(mascc_weight_no_dehydration, "mascc_weight_no_dehydration")              \
  X(mascc_weight_outpatient, "mascc_weight_outpatient")                      \
  X(mascc_weight_age, "mascc_weight_age")                                    \
  X(mascc_age_years, "mascc_age_years")                                      \
  X(hypotension_sbp_mmhg, "hypotension_sbp_mmhg")                            \
  X(hunter_temp_c, "hunter_temp_c")                                          \
  X(heat_stroke_temp_c, "heat_stroke_temp_c")                                \
  X(uo_target_rhabdo, "uo_target_rhabdo")                                    \
  X(uo_target_default, "uo_target_default")                                  \
  X(potassium_alert, "potassium_alert")                                      \
  X(labs_recent_h, "labs_recent_h")                                          \
  X(lft_followup_h, "lft_followup_h")                                        \
  X(rechallenge_wait_days, "rechallenge_wait_days")                          \
  X(extreme_hyperthermia_c, "extreme_hyperthermia_c")                        \
  X(cockcroft_gault_female_factor, "cockcroft_gault_female_factor")          \
  X(adult_age_years, "adult_age_years")                                      \
  X(default_uln_alt, "default_uln_alt")                                      \
  X(default_uln_ast, "default_uln_ast")                                      \
  X(default_uln_bilirubin, "default_uln_bilirubin")                          \
  X(default_uln_ck, "default_uln_ck")                                        \
  X(dose_change_gap_h, "dose_change_gap_h")                                  \
  X(fhir_context_short_h, "fhir_context_short_h")                            \
  X(fhir_context_days, "fhir_context_days")                                  \
  X(fhir_height_window_days, "fhir_height_window_days")                      \
  X(central_line_procedure_days, "central_line_procedure_days")              \
  X(nms_condition_recent_days, "nms_condition_recent_days")                  \
  X(hemodialysis_procedure_days, "hemodialysis_procedure_days")              \
  X(heat_exposure_days, "heat_exposure_days")                                \
  X(fluoroquinolone_prophylaxis_days, "fluoroquinolone_prophylaxis_days")

#define NMSCDS_RANGE_PARAMS(X)                                               \
  X(woodbury_temp_c, "woodbury_temp_c")                                      \
  X(woodbury_hr, "woodbury_hr")                                              \
  X(dantrolene_initial_mg_per_kg, "dantrolene_initial_mg_per_kg")            \
  X(dantrolene_mh_post_control_interval_h, "dantrolene_mh_post_control_interval_h") \
  X(lorazepam_mg, "lorazepam_mg")                                            \
  X(lorazepam_interval_h, "lorazepam_interval_h")                            \
  X(antibiotic_review_days, "antibiotic_review_days")                        \
  X(vancomycin_review_h, "vancomycin_review_h")

struct ParamRange {
  Fixed low;
  Fixed high;
};

// One row of the amantadine renal table (clinical §7.4), from parameters.json "amantadine_renal_bands".
struct AmantadineBand {
  std::string band;   // crcl_ge_50 | crcl_30_49 | crcl_15_29 | crcl_lt_15_or_dialysis
  Fixed crcl_min;     // band applies when CrCl >= crcl_min (bands are listed from the highest)
  Fixed dose_mg_low;  // usual dose
  Fixed dose_mg_high;  // "may increase to"
  Fixed interval_h;
};

struct Params {
#define NMSCDS_DECLARE_SCALAR(field, id) Fixed field;
#define NMSCDS_DECLARE_RANGE(field, id) ParamRange field;
  NMSCDS_SCALAR_PARAMS(NMSCDS_DECLARE_SCALAR)
  NMSCDS_RANGE_PARAMS(NMSCDS_DECLARE_RANGE)
#undef NMSCDS_DECLARE_SCALAR
#undef NMSCDS_DECLARE_RANGE
  std::vector<AmantadineBand> amantadine_bands;
  // Words in a medication name that mark a depot product (interfaces.md §2.5).
  std::vector<std::string> depot_markers;
  // Words in a medication indication that mean antiemetic use (interfaces.md §2.5).
  std::vector<std::string> antiemetic_indication_words;
  // Words in an indication that mark bromocriptine/amantadine as NMS treatment (DF-17).
  std::vector<std::string> nms_indication_words;
};

}  // namespace nmscds
