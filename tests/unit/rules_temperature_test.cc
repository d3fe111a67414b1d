// Temperature rules: DF-02 (cardinal hyperthermia), DF-03 (IEC C2), DF-23 (FN fever), unit conversion
// (§0.3, §13.3) and windows (§0.1). Base: S02 (clinical §16), one change per row.
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

const std::vector<Row> kHyperthermiaRows = {
    // DF-02: "present if any temperature > 38.0 °C within 72 h; absent if >= 1 reading and all <= 38.0".
    // DF-03: "met if >= 2 occasions > 38.0 within 72 h ...; not_met if >= 2 readings and fewer than 2 of
    // them > 38.0; unknown if < 2 readings within 72 h and not met" (B4).
    {"DF-02", "single_38_00_absent", [](json& c) { SetTemps(c, {{38.0, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "absent"}, {Iec(2), "unknown"}}},
    {"DF-02", "single_38_01_present", [](json& c) { SetTemps(c, {{38.01, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}, {Iec(2), "unknown"}}},
    {"DF-03", "two_38_01_met", [](json& c) { SetTemps(c, {{38.01, -Hr(2)}, {38.01, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}, {Iec(2), "met"}}},
    {"DF-03", "two_38_00_not_met", [](json& c) { SetTemps(c, {{38.0, -Hr(2)}, {38.0, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "absent"}, {Iec(2), "not_met"}}},
    {"DF-03", "38_00_and_38_01_not_met", [](json& c) { SetTemps(c, {{38.0, -Hr(2)}, {38.01, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}, {Iec(2), "not_met"}}},
    {"DF-03", "one_fever_one_normal_not_met", [](json& c) { SetTemps(c, {{39.5, -Hr(2)}, {37.0, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}, {Iec(2), "not_met"}}},
    {"DF-03", "three_readings_two_fever_met",
     [](json& c) { SetTemps(c, {{39.0, -Hr(30)}, {37.0, -Hr(10)}, {38.5, -Hr(1)}}); },
     {{Iec(2), "met"}}},
    // "occasions = readings with distinct effective times": two febrile readings at one time are one
    // occasion, so C2 is never met (not_met or unknown; see the report's ambiguity list).
    {"DF-03", "two_fevers_same_time_one_occasion",
     [](json& c) { SetTemps(c, {{39.0, -Hr(1)}, {39.0, -Hr(1)}}); }, {{Iec(2), "!met"}}},
    {"DF-03", "two_fevers_one_second_apart_met",
     [](json& c) { SetTemps(c, {{39.0, -Hr(1) - Sec(1)}, {39.0, -Hr(1)}}); }, {{Iec(2), "met"}}},
    // §0.1: "within N h" is the closed interval [T0 - N h, T0].
    {"DF-03", "first_fever_at_exactly_72h_met", [](json& c) { SetTemps(c, {{38.5, -Hr(72)}, {38.5, -Hr(1)}}); },
     {{Iec(2), "met"}}},
    {"DF-03", "first_fever_72h_1s_outside_unknown",
     [](json& c) { SetTemps(c, {{38.5, -Hr(72) - Sec(1)}, {38.5, -Hr(1)}}); },
     {{Iec(2), "unknown"}, {Cardinal("hyperthermia"), "present"}}},
    {"DF-02", "fever_at_exactly_72h_present", [](json& c) { SetTemps(c, {{38.5, -Hr(72)}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    {"DF-02", "only_reading_older_than_72h_unknown", [](json& c) { SetTemps(c, {{39.0, -Hr(73)}}); },
     {{Cardinal("hyperthermia"), "unknown"}, {Iec(2), "unknown"}, {Missing("temperature"), "!absent"}}},
    {"DF-02", "no_temperature_unknown", [](json& c) { RemoveObs(c, "temperature", true); },
     {{Cardinal("hyperthermia"), "unknown"}, {Iec(2), "unknown"}, {Missing("temperature"), "!absent"}}},
    {"DF-02", "reading_at_T0_counts", [](json& c) { SetTemps(c, {{38.5, 0}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    // §0.1: "Any timestamped input later than T0 ... is ignored ... and raises OBSERVATION_AFTER_T0".
    {"§0.1", "fever_after_T0_ignored", [](json& c) { SetTemps(c, {{37.0, -Hr(1)}, {39.5, Min(30)}}); },
     {{Cardinal("hyperthermia"), "absent"}, {Warning("OBSERVATION_AFTER_T0"), "info"}}},
    // interfaces §2.3: "Baseline readings are not episode readings: they never count as fever".
    {"§2.3-baseline", "baseline_fever_not_counted",
     [](json& c) {
       SetTemps(c, {{37.0, -Hr(1)}});
       AddObs(c, "temperature", 39.5, "Cel", -Hr(5), {{"baseline", true}});
     },
     {{Cardinal("hyperthermia"), "absent"}}},
    // §0.3: converted and rounded to 0.01 °C before comparison; 100.4 [degF] is exactly 38.00 °C.
    {"§0.3", "100_4_degF_is_38_00", [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.4, -Hr(2)}, {100.4, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "absent"}, {Iec(2), "not_met"}, {FnFever(), "present"}}},
    {"§0.3", "100_42_degF_is_38_01", [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.42, -Hr(2)}, {100.42, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}, {Iec(2), "met"}}},
    // (100.409 - 32) x 5/9 = 38.005 exactly: half away from zero gives 38.01 (decimal arithmetic).
    {"§0.3", "100_409_degF_rounds_half_up_to_38_01",
     [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.409, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    {"§0.3", "100_408_degF_rounds_to_38_00", [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.408, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "absent"}}},
    {"§0.3", "38_004_Cel_rounds_to_38_00", [](json& c) { SetTemps(c, {{38.004, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "absent"}}},
    {"§0.3", "38_005_Cel_rounds_to_38_01", [](json& c) { SetTemps(c, {{38.005, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    {"§13.3", "104_degF_is_40_00", [](json& c) { SetSeries(c, "temperature", "[degF]", {{104.0, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    // DF-01: no route correction (axillary 38.01 still counts).
    {"DF-01", "axillary_not_corrected", [](json& c) { SetTemps(c, {{38.01, -Hr(1)}}, "axillary"); },
     {{Cardinal("hyperthermia"), "present"}}},
};
NMSCDS_RULES_TABLE(RulesHyperthermia, kHyperthermiaRows);

const std::vector<Row> kFnFeverRows = {
    // DF-23: "present if (i) any reading >= 38.3 within 24 h, or (ii) two readings >= 38.0 within 24 h
    // at least 60 min apart with no reading < 38.0 between them. absent if >= 1 reading within 24 h and
    // neither (i) nor (ii) and the latest reading is < 38.0. unknown if no reading within 24 h, or the
    // latest reading is 38.0-38.29 with no qualifying pair" (B10).
    {"DF-23", "single_38_29_unknown", [](json& c) { SetTemps(c, {{38.29, -Hr(1)}}); }, {{FnFever(), "unknown"}}},
    {"DF-23", "single_38_30_present", [](json& c) { SetTemps(c, {{38.3, -Hr(1)}}); }, {{FnFever(), "present"}}},
    // §0.3 / §13.3: (100.94 - 32) x 5/9 = 38.30 exactly; 100.93 [degF] = 38.294 -> 38.29.
    {"DF-23", "degF_100_94_is_38_30_present",
     [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.94, -Hr(1)}}); }, {{FnFever(), "present"}}},
    {"DF-23", "degF_100_93_is_38_29_unknown",
     [](json& c) { SetSeries(c, "temperature", "[degF]", {{100.93, -Hr(1)}}); }, {{FnFever(), "unknown"}}},
    {"DF-23", "single_38_00_unknown", [](json& c) { SetTemps(c, {{38.0, -Hr(1)}}); }, {{FnFever(), "unknown"}}},
    {"DF-23", "single_37_99_absent", [](json& c) { SetTemps(c, {{37.99, -Hr(1)}}); }, {{FnFever(), "absent"}}},
    {"DF-23", "pair_59_min_apart_unknown", [](json& c) { SetTemps(c, {{38.0, -Min(120)}, {38.0, -Min(61)}}); },
     {{FnFever(), "unknown"}}},
    {"DF-23", "pair_60_min_apart_present", [](json& c) { SetTemps(c, {{38.0, -Min(120)}, {38.0, -Min(60)}}); },
     {{FnFever(), "present"}}},
    {"DF-23", "pair_59_min_59_s_apart_unknown",
     [](json& c) { SetTemps(c, {{38.1, -Min(120)}, {38.1, -Min(60) - Sec(1)}}); }, {{FnFever(), "unknown"}}},
    {"DF-23", "pair_ending_at_T0_present", [](json& c) { SetTemps(c, {{38.0, -Min(60)}, {38.0, 0}}); },
     {{FnFever(), "present"}}},
    {"DF-23", "reading_below_38_between_breaks_pair",
     [](json& c) { SetTemps(c, {{38.0, -Min(180)}, {37.9, -Min(150)}, {38.0, -Min(60)}}); },
     {{FnFever(), "unknown"}}},
    {"DF-23", "pair_without_reading_between_then_afebrile_present",
     [](json& c) { SetTemps(c, {{38.1, -Min(180)}, {38.2, -Min(100)}, {37.5, -Min(60)}}); },
     {{FnFever(), "present"}}},
    {"DF-23", "later_pair_after_a_dip_present",
     [](json& c) { SetTemps(c, {{38.1, -Min(300)}, {37.5, -Min(200)}, {38.0, -Min(150)}, {38.1, -Min(30)}}); },
     {{FnFever(), "present"}}},
    {"DF-23", "earlier_single_38_2_latest_37_9_absent", [](json& c) { SetTemps(c, {{38.2, -Hr(5)}, {37.9, -Hr(1)}}); },
     {{FnFever(), "absent"}}},
    {"DF-23", "latest_38_1_after_normal_unknown", [](json& c) { SetTemps(c, {{37.2, -Hr(5)}, {38.1, -Hr(1)}}); },
     {{FnFever(), "unknown"}}},
    {"DF-23", "two_38_29_30_min_apart_unknown", [](json& c) { SetTemps(c, {{38.29, -Min(60)}, {38.29, -Min(30)}}); },
     {{FnFever(), "unknown"}}},
    {"DF-23", "38_3_at_exactly_24h_present", [](json& c) { SetTemps(c, {{38.3, -Hr(24)}, {37.0, -Hr(1)}}); },
     {{FnFever(), "present"}}},
    {"DF-23", "38_3_just_outside_24h_absent", [](json& c) { SetTemps(c, {{38.3, -Hr(24) - Sec(1)}, {37.0, -Hr(1)}}); },
     {{FnFever(), "absent"}}},
    {"DF-23", "no_reading_within_24h_unknown", [](json& c) { SetTemps(c, {{39.0, -Hr(25)}}); },
     {{FnFever(), "unknown"}, {FnFeverBasis(), "no_readings"}}},
    {"DF-23", "pair_one_reading_outside_24h_unknown",
     [](json& c) { SetTemps(c, {{38.1, -Hr(24) - Sec(1)}, {38.1, -Hr(1)}}); }, {{FnFever(), "unknown"}}},
    {"DF-23", "single_reading_basis", [](json& c) { SetTemps(c, {{38.3, -Hr(1)}}); },
     {{FnFeverBasis(), "single_reading_ge_38_3"}}},
    {"DF-23", "sustained_basis", [](json& c) { SetTemps(c, {{38.0, -Min(120)}, {38.0, -Min(60)}}); },
     {{FnFeverBasis(), "sustained_ge_38_0_60min"}}},
};
NMSCDS_RULES_TABLE(RulesFnFever, kFnFeverRows);

}  // namespace
}  // namespace nmscds::rules
