// Derived facts that the other tables use indirectly, tested here under their own ids: DF-04 (tmax windows),
// DF-05 (vital-sign max/min in 24 h), DF-10 (cardinal count), DF-15 (anticholinergic exposure), DF-20 (IV
// access class), DF-26 (hypotension and hemodynamic instability). Base: S02, one change per row.
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

const std::vector<Row> kDerivedFactRows = {
    // DF-04: tmax_24h drives the Woodbury temperature dimension; a reading 25 h old counts only for tmax_72h.
    {"DF-04", "tmax_24h_excludes_25h_old_reading",
     [](json& c) { SetTemps(c, {{40.5, -Hr(25)}, {38.5, -Hr(1)}}); },
     {{Path("febrile_neutropenia.fever.max_c"), "38.5"}, {Cardinal("hyperthermia"), "present"}}},
    {"DF-04", "tmax_72h_includes_71h_old_reading", [](json& c) { SetTemps(c, {{39.5, -Hr(71)}, {37.0, -Hr(1)}}); },
     {{Cardinal("hyperthermia"), "present"}}},
    // DF-05: max/min within 24 h; HR 101 25 h ago is outside and does not make tachycardia.
    {"DF-05", "hr_max_outside_24h_ignored",
     [](json& c) {
       SetHr(c, {{130, -Hr(25)}, {90, -Hr(1)}});
       AutonomicAbsent(c);
     },
     {{Cardinal("autonomic_dysfunction"), "absent"}}},
    // sbp_min_24h < 90 is hypotension (DF-26), i.e. V1, which makes sepsis suspected (§10); 25 h ago it is not.
    {"DF-05", "sbp_min_within_24h_hypotension",
     [](json& c) { SetBp(c, {{89, 60}, {120, 70}}, {-Hr(20), -Hr(1)}); }, {{Diff("sepsis"), "suspected"}}},
    {"DF-05", "sbp_min_outside_24h_ignored",
     [](json& c) { SetBp(c, {{89, 60}, {120, 70}}, {-Hr(25), -Hr(1)}); }, {{Diff("sepsis"), "!suspected"}}},
    // DF-10: present and unknown cardinal counts.
    {"DF-10", "all_four_present", [](json&) {}, {{CardinalCount(), "4"}, {Path("nms.cardinal_features.unknown_count"), "0"}}},
    {"DF-10", "rigidity_unknown_counts_unknown", [](json& c) { UnsetFinding(c, "rigidity"); },
     {{CardinalCount(), "3"}, {Path("nms.cardinal_features.unknown_count"), "1"}}},
    // DF-15: an antimuscarinic drug within 72 h; absent list is unknown.
    {"DF-15", "diphenhydramine_within_72h",
     [](json& c) { AddMed(c, StoppedMed("diphenhydramine", -Day(3), -Hr(70))); },
     {{DiffBasis("anticholinergic_toxicity", "anticholinergic_exposure"), "true"}}},
    {"DF-15", "diphenhydramine_stopped_73h_ago",
     [](json& c) { AddMed(c, StoppedMed("diphenhydramine", -Day(5), -Hr(73))); },
     {{DiffBasis("anticholinergic_toxicity", "anticholinergic_exposure"), "false"}}},
    // DF-20: IV access classes and their gates (§6.3).
    {"DF-20", "large_bore_peripheral_adequate", [](json& c) { SetCtx(c, "iv_access", "large_bore_peripheral"); },
     {{Decision(), "consider"}, {Preconditions(), ""}}},
    {"DF-20", "peripheral_conditional", [](json& c) { SetCtx(c, "iv_access", "peripheral"); },
     {{Decision(), "consider"}, {Preconditions(), "secure_central_or_large_bore_access_first"}}},
    {"DF-20", "poor_inadequate", [](json& c) { SetCtx(c, "iv_access", "poor"); },
     {{Decision(), "contraindicated"}, {Reasons(), "iv_access_poor"}}},
    {"DF-20", "unknown_access", [](json& c) { UnsetCtx(c, "iv_access"); },
     {{Decision(), "insufficient_data"}, {Reasons(), "iv_access_unknown"}}},
    // DF-26: hypotension_24h (SBP < 90) and hemodynamic instability (V1).
    {"DF-26", "sbp_89_is_instability",
     [](json& c) {
       MakeFn(c);
       SetBp(c, {{89, 55}, {100, 60}}, {-Hr(3), -Hr(1)});
     },
     {{Plan("VANCOMYCIN"), "recommended"}, {Priority("VANCOMYCIN"), "immediate"}}},
    {"DF-26", "sbp_90_is_not_hypotension",
     [](json& c) {
       MakeFn(c);
       SetBp(c, {{90, 55}, {100, 60}}, {-Hr(3), -Hr(1)});
     },
     {{Priority("VANCOMYCIN"), "!immediate"}}},
};

NMSCDS_RULES_TABLE(RulesDerivedFacts, kDerivedFactRows);

}  // namespace
}  // namespace nmscds::rules
