// Scores and cardinal features: Woodbury stage (§4.2), DF-06/DF-07/DF-08, IEC C3/C4/C6/C7/C8 (§4.1),
// findings freshness (§3.1). Base: S02 (clinical §16), one change per row.
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

// Only the temperature dimension is known-contributing (no HR within 24 h, rigidity none; mental status
// stupor is known but not coma). S02's diaphoresis keeps step 1 (stages I/II) out of play.
void OnlyTemp(json& c, double t) {
  SetTemps(c, {{t, -Hr(1)}});
  RemoveObs(c, "heart_rate");
  SetFinding(c, "rigidity", "none");
}
void OnlyHr(json& c, double hr) {
  RemoveObs(c, "temperature", true);
  SetHr(c, {{hr, -Hr(1)}});
  SetFinding(c, "rigidity", "none");
}
void OnlyRigidity(json& c, const std::string& grade) {
  RemoveObs(c, "temperature", true);
  RemoveObs(c, "heart_rate");
  SetFinding(c, "rigidity", grade);
}
const std::vector<Row> kWoodburyRows = {
    // §4.2 step 2: temperature V >= 40.0; IV >= 38.0 and < 40.0; III < 38.0. Boundaries go to the higher stage.
    {"§4.2", "temp_40_00_V", [](json& c) { OnlyTemp(c, 40.0); },
     {{Stage(), "V"}, {Drivers(), "temperature"}, {LowerBound(), "false"}}},
    {"§4.2", "temp_39_99_IV", [](json& c) { OnlyTemp(c, 39.99); },
     {{Stage(), "IV"}, {Drivers(), "temperature"}, {LowerBound(), "true"}}},
    {"§4.2", "temp_38_00_IV", [](json& c) { OnlyTemp(c, 38.0); }, {{Stage(), "IV"}, {Drivers(), "temperature"}}},
    {"§4.2", "temp_37_99_III", [](json& c) { OnlyTemp(c, 37.99); }, {{Stage(), "III"}, {Drivers(), "temperature"}}},
    {"§4.2", "temp_uses_tmax_24h_not_latest",
     [](json& c) {
       OnlyTemp(c, 37.0);
       AddObs(c, "temperature", 40.1, "Cel", -Hr(20), {{"route", "oral"}});
     },
     {{Stage(), "V"}}},
    {"§4.2", "temp_older_than_24h_not_a_dimension",
     [](json& c) {
       OnlyTemp(c, 40.5);
       SetTemps(c, {{40.5, -Hr(25)}});
     },
     {{Stage(), "unknown"}}},
    // Heart rate: V >= 120; IV >= 100 and < 120; III < 100.
    {"§4.2", "hr_99_III", [](json& c) { OnlyHr(c, 99); }, {{Stage(), "III"}, {Drivers(), "heart_rate"}, {LowerBound(), "true"}}},
    {"§4.2", "hr_100_IV", [](json& c) { OnlyHr(c, 100); }, {{Stage(), "IV"}, {Drivers(), "heart_rate"}}},
    {"§4.2", "hr_119_IV", [](json& c) { OnlyHr(c, 119); }, {{Stage(), "IV"}}},
    {"§4.2", "hr_120_V", [](json& c) { OnlyHr(c, 120); }, {{Stage(), "V"}, {Drivers(), "heart_rate"}, {LowerBound(), "false"}}},
    // Rigidity: V severe, IV moderate, III mild; none no contribution; present_ungraded unknown.
    {"§4.2", "rigidity_mild_III", [](json& c) { OnlyRigidity(c, "mild"); }, {{Stage(), "III"}, {Drivers(), "rigidity"}, {LowerBound(), "true"}}},
    {"§4.2", "rigidity_moderate_IV", [](json& c) { OnlyRigidity(c, "moderate"); }, {{Stage(), "IV"}, {Drivers(), "rigidity"}}},
    {"§4.2", "rigidity_severe_V", [](json& c) { OnlyRigidity(c, "severe"); }, {{Stage(), "V"}, {Drivers(), "rigidity"}, {LowerBound(), "false"}}},
    {"§4.2", "rigidity_none_only_unknown", [](json& c) { OnlyRigidity(c, "none"); }, {{Stage(), "unknown"}}},
    {"§4.2", "rigidity_ungraded_only_unknown", [](json& c) { OnlyRigidity(c, "present_ungraded"); }, {{Stage(), "unknown"}}},
    {"§4.2", "rigidity_not_supplied_only_unknown",
     [](json& c) {
       OnlyRigidity(c, "none");
       UnsetFinding(c, "rigidity");
     },
     {{Stage(), "unknown"}}},
    // Mental status: coma => V; otherwise no contribution.
    {"§4.2", "coma_only_V",
     [](json& c) {
       OnlyRigidity(c, "none");
       SetFinding(c, "mental_status", "coma");
     },
     {{Stage(), "V"}, {Drivers(), "mental_status"}, {LowerBound(), "false"}}},
    {"§4.2", "non_coma_mental_status_only_unknown",
     [](json& c) {
       OnlyRigidity(c, "none");
       SetFinding(c, "mental_status", "delirious");
     },
     {{Stage(), "unknown"}}},
    // Highest contributing dimension wins; drivers = every dimension that reached it.
    {"§4.2", "highest_dimension_wins_hr",
     [](json& c) {
       SetTemps(c, {{38.5, -Hr(1)}});
       SetHr(c, {{125, -Hr(1)}});
       SetFinding(c, "rigidity", "mild");
     },
     {{Stage(), "V"}, {Drivers(), "heart_rate"}}},
    {"§4.2", "two_drivers_at_IV",
     [](json& c) {
       SetTemps(c, {{38.5, -Hr(1)}});
       SetHr(c, {{110, -Hr(1)}});
       SetFinding(c, "rigidity", "moderate");
     },
     {{Stage(), "IV"}, {Drivers(), "temperature,heart_rate,rigidity"}, {LowerBound(), "false"}}},
    {"§4.2", "lower_bound_when_rigidity_ungraded",
     [](json& c) {
       SetTemps(c, {{38.5, -Hr(1)}});
       SetHr(c, {{110, -Hr(1)}});
       SetFinding(c, "rigidity", "present_ungraded");
     },
     {{Stage(), "IV"}, {LowerBound(), "true"}}},
    {"§4.2", "lower_bound_when_mental_status_unknown",
     [](json& c) {
       SetTemps(c, {{38.5, -Hr(1)}});
       SetHr(c, {{110, -Hr(1)}});
       SetFinding(c, "rigidity", "moderate");
       UnsetFinding(c, "mental_status");
     },
     {{Stage(), "IV"}, {LowerBound(), "true"}}},
    {"§4.2", "V_is_never_lower_bound",
     [](json& c) {
       SetFinding(c, "rigidity", "present_ungraded");
       UnsetFinding(c, "mental_status");
     },
     {{Stage(), "V"}, {LowerBound(), "false"}}},
    // Step 1: stages I / II.
    {"§4.2-step1", "rigidity_and_tremor_I", StageOneCase, {{Stage(), "I"}}},
    {"§4.2-step1", "tremor_only_I", [](json& c) { StageOneCase(c); SetFinding(c, "rigidity", "none"); }, {{Stage(), "I"}}},
    {"§4.2-step1", "rigidity_only_I", [](json& c) { StageOneCase(c); SetFinding(c, "tremor", false); }, {{Stage(), "I"}}},
    {"§4.2-step1", "severe_rigidity_afebrile_still_I",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "severe");
     },
     {{Stage(), "I"}}},
    {"§4.2-step1", "catatonia_II", [](json& c) { StageOneCase(c); SetFinding(c, "catatonia", true); }, {{Stage(), "II"}}},
    {"§4.2-step1", "catatonic_mental_status_II", [](json& c) { StageOneCase(c); SetFinding(c, "mental_status", "catatonic"); },
     {{Stage(), "II"}}},
    {"§4.2-step1", "stupor_is_catatonia_II", [](json& c) { StageOneCase(c); SetFinding(c, "mental_status", "stupor"); },
     {{Stage(), "II"}}},
    {"§4.2-step1", "no_motor_sign_not_staged",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "none");
       SetFinding(c, "tremor", false);
     },
     {{Stage(), "not_staged"}}},
    // B16: a temperature of exactly 38.0 does not qualify for I/II.
    {"§4.2-step1", "tmax_72h_38_00_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       SetTemps(c, {{38.0, -Hr(30)}, {37.5, -Hr(1)}});
     },
     {{Stage(), "III"}}},
    {"§4.2-step1", "tmax_24h_38_00_goes_to_step2_IV",
     [](json& c) {
       StageOneCase(c);
       SetTemps(c, {{38.0, -Hr(1)}});
     },
     {{Stage(), "IV"}}},
    {"§4.2-step1", "tmax_72h_37_99_still_I",
     [](json& c) {
       StageOneCase(c);
       SetTemps(c, {{37.99, -Hr(30)}, {37.5, -Hr(1)}});
     },
     {{Stage(), "I"}}},
    {"§4.2-step1", "coma_goes_to_step2_V", [](json& c) { StageOneCase(c); SetFinding(c, "mental_status", "coma"); },
     {{Stage(), "V"}}},
    {"§4.2-step1", "autonomic_present_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "diaphoresis", true);
     },
     {{Stage(), "III"}}},
    {"§4.2-step1", "autonomic_unknown_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       UnsetFinding(c, "diaphoresis");
     },
     {{Stage(), "III"}}},
    {"§4.2-step1", "mental_status_unknown_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       UnsetFinding(c, "mental_status");
     },
     {{Stage(), "III"}, {LowerBound(), "true"}}},
    {"§4.2-step1", "no_temperature_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       RemoveObs(c, "temperature", true);
     },
     {{Stage(), "III"}}},
    {"§4.2-step1", "earlier_fever_within_72h_goes_to_step2_III",
     [](json& c) {
       StageOneCase(c);
       SetTemps(c, {{38.5, -Hr(48)}, {37.5, -Hr(1)}});
     },
     {{Stage(), "III"}}},
};
NMSCDS_RULES_TABLE(RulesWoodbury, kWoodburyRows);

const std::vector<Row> kCardinalRows = {
    // DF-06: present if mild..severe or present_ungraded; absent if none; unknown if not supplied.
    // IEC C3: met DF-06 present; not_met rigidity none; unknown not supplied.
    {"DF-06", "rigidity_none", [](json& c) { SetFinding(c, "rigidity", "none"); },
     {{Cardinal("rigidity"), "absent"}, {Iec(3), "not_met"}}},
    {"DF-06", "rigidity_mild", [](json& c) { SetFinding(c, "rigidity", "mild"); },
     {{Cardinal("rigidity"), "present"}, {Iec(3), "met"}}},
    {"DF-06", "rigidity_present_ungraded", [](json& c) { SetFinding(c, "rigidity", "present_ungraded"); },
     {{Cardinal("rigidity"), "present"}, {Iec(3), "met"}, {Missing("rigidity_grade"), "blocking"}}},
    {"DF-06", "rigidity_not_supplied", [](json& c) { UnsetFinding(c, "rigidity"); },
     {{Cardinal("rigidity"), "unknown"}, {Iec(3), "unknown"}, {Missing("rigidity_grade"), "blocking"}}},
    // DF-07: present if mental status != normal or GCS < 15; absent if normal and (no GCS or GCS 15), or
    // mental status unknown and GCS 15; unknown if mental status unknown and no GCS.
    {"DF-07", "normal_gcs_15_absent",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "absent"}, {Iec(4), "not_met"}}},
    {"DF-07", "normal_gcs_14_present",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{14, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "present"}, {Iec(4), "met"}}},
    {"DF-07", "normal_no_gcs_absent",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       RemoveObs(c, "gcs");
     },
     {{Cardinal("altered_mental_status"), "absent"}}},
    {"DF-07", "unknown_gcs_15_absent",
     [](json& c) {
       UnsetFinding(c, "mental_status");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "absent"}}},
    {"DF-07", "unknown_gcs_14_present",
     [](json& c) {
       UnsetFinding(c, "mental_status");
       SetSeries(c, "gcs", "{score}", {{14, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "present"}}},
    {"DF-07", "unknown_no_gcs_unknown",
     [](json& c) {
       UnsetFinding(c, "mental_status");
       RemoveObs(c, "gcs");
     },
     {{Cardinal("altered_mental_status"), "unknown"}, {Iec(4), "unknown"}, {Missing("mental_status"), "!absent"}}},
    {"DF-07", "gcs_14_older_than_24h_ignored",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{14, -Hr(24) - Sec(1)}});
     },
     {{Cardinal("altered_mental_status"), "absent"}}},
    {"DF-07", "latest_gcs_used",
     [](json& c) {
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{12, -Hr(10)}, {15, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "absent"}}},
    {"DF-07", "confused_gcs_15_present",
     [](json& c) {
       SetFinding(c, "mental_status", "confused");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Cardinal("altered_mental_status"), "present"}}},
    // §3.1: findings count when assessed within 24 h; an older examination is unknown, and
    // rigidity_refractory false.
    {"§3.1", "findings_at_exactly_24h_count",
     [](json& c) { SetFinding(c, "assessed_at", At(-Hr(24))); },
     {{Cardinal("rigidity"), "present"}, {Decision(), "consider"}}},
    {"§3.1", "findings_without_time_count_as_T0", [](json& c) { UnsetFinding(c, "assessed_at"); },
     {{Cardinal("rigidity"), "present"}, {Decision(), "consider"}}},
    {"§3.1", "findings_older_than_24h_unknown",
     [](json& c) {
       SetFinding(c, "assessed_at", At(-Hr(24) - Sec(1)));
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Cardinal("rigidity"), "unknown"},
      {Iec(3), "unknown"},
      {Decision(), "insufficient_data"},
      {Reasons(), "rigidity_grade_unknown"}}},
};
NMSCDS_RULES_TABLE(RulesCardinal, kCardinalRows);

// DF-08 rows start from AutonomicAbsent (HR 90, BP 130/80 and 128/78, baseline BP 125/80, no
// diaphoresis, incontinence or global judgement) and change one component.
Row Autonomic(std::string rule, std::string name, Edit edit, std::vector<Expect> expect) {
  return {std::move(rule), std::move(name),
          [edit](json& c) {
            AutonomicAbsent(c);
            edit(c);
          },
          std::move(expect)};
}

const std::vector<Row> kAutonomicRows = {
    Autonomic("DF-08", "all_components_absent", [](json&) {}, {{Cardinal("autonomic_dysfunction"), "absent"}, {Iec(6), "not_met"}}),
    // (c) tachycardia: hr_max_24h > 100.
    Autonomic("DF-08c", "hr_100_absent", [](json& c) { SetHr(c, {{100, -Hr(1)}}); }, {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08c", "hr_101_present", [](json& c) { SetHr(c, {{101, -Hr(1)}}); }, {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08c", "hr_max_not_latest", [](json& c) { SetHr(c, {{101, -Hr(20)}, {80, -Hr(1)}}); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08c", "no_hr_unknown", [](json& c) { RemoveObs(c, "heart_rate"); }, {{Cardinal("autonomic_dysfunction"), "unknown"}}),
    // (d) BP elevation: value x 100 >= baseline x 125 (§0.3).
    Autonomic("DF-08d", "sbp_125_vs_baseline_100_present",
              [](json& c) {
                SetBaseline(c, "systolic_bp", 100, "mm[Hg]");
                SetBp(c, {{123, 80}, {125, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08d", "sbp_124_vs_baseline_100_absent",
              [](json& c) {
                SetBaseline(c, "systolic_bp", 100, "mm[Hg]");
                SetBp(c, {{122, 80}, {124, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08d", "sbp_127_vs_baseline_101_present",
              [](json& c) {
                SetBaseline(c, "systolic_bp", 101, "mm[Hg]");
                SetBp(c, {{125, 80}, {127, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08d", "sbp_126_vs_baseline_101_absent",
              [](json& c) {
                SetBaseline(c, "systolic_bp", 101, "mm[Hg]");
                SetBp(c, {{124, 80}, {126, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08d", "dbp_100_vs_baseline_80_present", [](json& c) { SetBp(c, {{130, 98}, {128, 100}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08d", "dbp_99_vs_baseline_80_absent", [](json& c) { SetBp(c, {{130, 97}, {128, 99}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08d", "no_baseline_bp_unknown",
              [](json& c) {
                RemoveBaseline(c, "systolic_bp");
                RemoveBaseline(c, "diastolic_bp");
              },
              {{Cardinal("autonomic_dysfunction"), "unknown"}, {Missing("baseline_vitals"), "!absent"}}),
    Autonomic("DF-08d", "no_baseline_dbp_sbp_not_elevated_unknown", [](json& c) { RemoveBaseline(c, "diastolic_bp"); },
              {{Cardinal("autonomic_dysfunction"), "unknown"}}),
    Autonomic("DF-08d", "no_baseline_dbp_but_sbp_elevated_present",
              [](json& c) {
                RemoveBaseline(c, "diastolic_bp");
                SetBp(c, {{150, 80}, {157, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    // §3.1: with several baselines the latest one at or before episode_onset is used.
    Autonomic("§3.1-baseline", "baseline_chosen_by_episode_onset",
              [](json& c) {
                RemoveBaseline(c, "systolic_bp");
                AddObs(c, "systolic_bp", 100, "mm[Hg]", -Day(10), {{"baseline", true}});
                AddObs(c, "systolic_bp", 140, "mm[Hg]", -Day(2), {{"baseline", true}});
                c["episode_onset"] = At(-Day(5));
              },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("§3.1-baseline", "latest_baseline_without_episode_onset",
              [](json& c) {
                RemoveBaseline(c, "systolic_bp");
                AddObs(c, "systolic_bp", 100, "mm[Hg]", -Day(10), {{"baseline", true}});
                AddObs(c, "systolic_bp", 140, "mm[Hg]", -Day(2), {{"baseline", true}});
              },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    // (e) fluctuation: (max - min SBP) >= 25 or (max - min DBP) >= 20; unknown with < 2 readings.
    Autonomic("DF-08e", "sbp_fluctuation_25_present", [](json& c) { SetBp(c, {{150, 80}, {125, 78}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08e", "sbp_fluctuation_24_absent", [](json& c) { SetBp(c, {{149, 80}, {125, 78}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08e", "dbp_fluctuation_20_present", [](json& c) { SetBp(c, {{130, 90}, {128, 70}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08e", "dbp_fluctuation_19_absent", [](json& c) { SetBp(c, {{130, 89}, {128, 70}}, {-Hr(6), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08e", "single_bp_reading_unknown", [](json& c) { SetBp(c, {{130, 80}}, {-Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "unknown"}}),
    Autonomic("DF-08e", "single_bp_reading_elevated_present", [](json& c) { SetBp(c, {{160, 80}}, {-Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08e", "fluctuation_outside_24h_not_counted",
              [](json& c) { SetBp(c, {{150, 80}, {126, 78}, {125, 78}}, {-Hr(25), -Hr(2), -Hr(1)}); },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08e", "no_bp_unknown",
              [](json& c) {
                RemoveObs(c, "systolic_bp");
                RemoveObs(c, "diastolic_bp");
              },
              {{Cardinal("autonomic_dysfunction"), "unknown"}, {Missing("blood_pressure"), "!absent"}}),
    // (a), (b): diaphoresis, incontinence.
    Autonomic("DF-08a", "diaphoresis_present", [](json& c) { SetFinding(c, "diaphoresis", true); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08a", "diaphoresis_unknown", [](json& c) { UnsetFinding(c, "diaphoresis"); },
              {{Cardinal("autonomic_dysfunction"), "unknown"}, {Missing("diaphoresis"), "!absent"}}),
    Autonomic("DF-08b", "incontinence_present", [](json& c) { SetFinding(c, "urinary_incontinence", true); },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    Autonomic("DF-08b", "incontinence_unknown", [](json& c) { UnsetFinding(c, "urinary_incontinence"); },
              {{Cardinal("autonomic_dysfunction"), "unknown"}, {Missing("urinary_incontinence"), "!absent"}}),
    // (f) only adds presence; IEC C6 does not use it.
    Autonomic("DF-08f", "global_judgement_true_present", [](json& c) { SetFinding(c, "autonomic_instability", true); },
              {{Cardinal("autonomic_dysfunction"), "present"}, {Iec(6), "not_met"}}),
    Autonomic("DF-08f", "global_judgement_not_recorded_absent", [](json& c) { UnsetFinding(c, "autonomic_instability"); },
              {{Cardinal("autonomic_dysfunction"), "absent"}}),
    Autonomic("DF-08f", "global_judgement_true_with_unknown_component_present",
              [](json& c) {
                SetFinding(c, "autonomic_instability", true);
                UnsetFinding(c, "diaphoresis");
              },
              {{Cardinal("autonomic_dysfunction"), "present"}}),
    // IEC C6: >= 2 of (a) BP >= 25 % above baseline, (b) fluctuation, (c) diaphoresis, (d) incontinence;
    // not_met when present + unknown < 2.
    Autonomic("C6", "diaphoresis_and_incontinence_met",
              [](json& c) {
                SetFinding(c, "diaphoresis", true);
                SetFinding(c, "urinary_incontinence", true);
              },
              {{Iec(6), "met"}}),
    Autonomic("C6", "diaphoresis_only_not_met", [](json& c) { SetFinding(c, "diaphoresis", true); }, {{Iec(6), "not_met"}}),
    Autonomic("C6", "diaphoresis_and_incontinence_unknown_unknown",
              [](json& c) {
                SetFinding(c, "diaphoresis", true);
                UnsetFinding(c, "urinary_incontinence");
              },
              {{Iec(6), "unknown"}}),
    Autonomic("C6", "one_unknown_only_not_met", [](json& c) { UnsetFinding(c, "urinary_incontinence"); }, {{Iec(6), "not_met"}}),
    Autonomic("C6", "bp_elevation_and_fluctuation_met", [](json& c) { SetBp(c, {{160, 80}, {130, 78}}, {-Hr(6), -Hr(1)}); },
              {{Iec(6), "met"}}),
    Autonomic("C6", "diaphoresis_and_bp_elevation_met",
              [](json& c) {
                SetFinding(c, "diaphoresis", true);
                SetBaseline(c, "systolic_bp", 100, "mm[Hg]");
                SetBp(c, {{123, 80}, {125, 78}}, {-Hr(6), -Hr(1)});
              },
              {{Iec(6), "met"}}),
    Autonomic("C6", "tachycardia_is_not_a_c6_item",
              [](json& c) {
                SetFinding(c, "diaphoresis", true);
                SetHr(c, {{140, -Hr(1)}});
              },
              {{Iec(6), "not_met"}}),
};
NMSCDS_RULES_TABLE(RulesAutonomic, kAutonomicRows);

// IEC C7 and C8, and the point arithmetic (§4.1). S02: baseline HR 78, RR 16; HR max 132, RR 28.
void C7Base(json& c) {
  SetBaseline(c, "heart_rate", 80, "/min");
  SetBaseline(c, "respiratory_rate", 16, "/min");
}
const std::vector<Row> kIecRows = {
    {"C7", "hr_100_vs_80_and_rr_24_vs_16_met",
     [](json& c) {
       C7Base(c);
       SetHr(c, {{100, -Hr(1)}});
       SetSeries(c, "respiratory_rate", "/min", {{24, -Hr(1)}});
     },
     {{Iec(7), "met"}}},
    {"C7", "hr_99_not_met",
     [](json& c) {
       C7Base(c);
       SetHr(c, {{99, -Hr(1)}});
       SetSeries(c, "respiratory_rate", "/min", {{24, -Hr(1)}});
     },
     {{Iec(7), "not_met"}}},
    {"C7", "rr_23_not_met",
     [](json& c) {
       C7Base(c);
       SetHr(c, {{100, -Hr(1)}});
       SetSeries(c, "respiratory_rate", "/min", {{23, -Hr(1)}});
     },
     {{Iec(7), "not_met"}}},
    {"C7", "no_baseline_rr_hr_met_unknown",
     [](json& c) {
       C7Base(c);
       RemoveBaseline(c, "respiratory_rate");
       SetHr(c, {{100, -Hr(1)}});
     },
     {{Iec(7), "unknown"}}},
    {"C7", "no_baseline_rr_hr_not_met_not_met",
     [](json& c) {
       C7Base(c);
       RemoveBaseline(c, "respiratory_rate");
       SetHr(c, {{99, -Hr(1)}});
     },
     {{Iec(7), "not_met"}}},
    {"C7", "no_rr_reading_unknown", [](json& c) { RemoveObs(c, "respiratory_rate"); },
     {{Iec(7), "unknown"}, {Missing("respiratory_rate"), "!absent"}}},
    // C8: met when workup_negative true and neither FN present nor presumed; not_met when FN or
    // workup_negative false.
    {"C8", "workup_negative_true_met", [](json& c) { SetCtx(c, "workup_negative_for_other_causes", true); },
     {{Iec(8), "met"}, {IecPoints(), "100"}, {IecMax(), "100"}}},
    {"C8", "workup_negative_false_not_met", [](json& c) { SetCtx(c, "workup_negative_for_other_causes", false); },
     {{Iec(8), "not_met"}, {IecPoints(), "93"}, {IecMax(), "93"}}},
    {"C8", "unknown_in_s02", [](json&) {},
     {{Iec(8), "unknown"}, {IecPoints(), "93"}, {IecMax(), "100"}, {Missing("workup_negative"), "non_blocking"}}},
    {"C8", "fn_present_not_met_even_with_negative_workup",
     [](json& c) {
       MakeFn(c);
       SetCtx(c, "workup_negative_for_other_causes", true);
     },
     {{Iec(8), "not_met"}, {IecMax(), "93"}}},
    {"C8", "fn_presumed_not_met",
     [](json& c) {
       RemoveObs(c, "anc");
       SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
       SetCtx(c, "workup_negative_for_other_causes", true);
     },
     {{FnPresumed(), "true"}, {Iec(8), "not_met"}}},
    // Points, max_possible, could_meet_cutoff.
    {"§4.1", "unknowns_add_to_max_possible",
     [](json& c) {
       RemoveObs(c, "ck");
       UnsetFinding(c, "rigidity");
     },
     {{IecPoints(), "66"}, {IecMax(), "100"}, {Path("nms.iec.meets_cutoff"), "false"}, {Path("nms.iec.could_meet_cutoff"), "true"}}},
    {"§4.1", "cutoff_is_74", [](json&) {}, {{Path("nms.iec.cutoff"), "74"}, {Path("nms.iec.meets_cutoff"), "true"}}},
};
NMSCDS_RULES_TABLE(RulesIec, kIecRows);

}  // namespace
}  // namespace nmscds::rules
