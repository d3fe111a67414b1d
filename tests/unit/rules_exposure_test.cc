// Medication rules: §3.2 exposure intervals and windows, DF-11/DF-13 (exposure pattern, trigger),
// DF-12 (dopaminergic withdrawal, RESTART_DOPAMINERGIC), DF-17 (concurrent NMS therapies), DF-16 (MH
// trigger exposure), DF-18 (calcium-channel blockers). Base: S02 (haloperidol 5 mg IV q6h since T0 - 4 d,
// last dose T0 - 5 h; decision `consider`).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

// Removes haloperidol: the medication list then holds no D2 antagonist (pattern none).
void NoD2(json& c) { RemoveMed(c, "haloperidol"); }

const std::vector<Row> kPatternRows = {
    // DF-11: D = distinct D2 ingredients exposed within 72 h, U = undetermined D2 ingredients not counted.
    // none: D = 0, U = 0; monotherapy: D = 1, U = 0; polypharmacy: D >= 2; unknown: list absent, or U > 0
    // and D < 2.
    {"DF-11", "s02_monotherapy", [](json&) {},
     {{Pattern(), "monotherapy"}, {TriggerType(), "d2_antagonist"}, {Iec(1), "met"}, {Agent("haloperidol"), "active"}}},
    {"DF-11", "second_d2_active_polypharmacy", [](json& c) { AddMed(c, ActiveMed("olanzapine", -Day(2))); },
     {{Pattern(), "polypharmacy"}, {Decision(), "contraindicated"}, {Reasons(), "d2_polypharmacy"}}},
    {"DF-11", "same_ingredient_twice_still_monotherapy",
     [](json& c) { AddMed(c, {{"name", "haloperidol"}, {"status", "active"}, {"start", At(-Day(1))}, {"route", "oral"}}); },
     {{Pattern(), "monotherapy"}}},
    {"DF-11", "brand_name_matched_zyprexa", [](json& c) { AddMed(c, ActiveMed("Zyprexa", -Day(2))); },
     {{Pattern(), "polypharmacy"}}},
    {"DF-11", "rxnorm_code_matched", [](json& c) { AddMed(c, {{"name", "x-drug"}, {"rxnorm", "61381"}, {"status", "active"}, {"start", At(-Day(2))}}); },
     {{Pattern(), "polypharmacy"}}},
    // §3.2: exposed within N h <=> start <= T0 AND end >= T0 - N h; closed interval.
    {"§3.2", "second_d2_stopped_at_exactly_72h_counted",
     [](json& c) { AddMed(c, StoppedMed("olanzapine", -Day(10), -Hr(72))); }, {{Pattern(), "polypharmacy"}}},
    {"§3.2", "second_d2_stopped_72h_1s_not_counted",
     [](json& c) { AddMed(c, StoppedMed("olanzapine", -Day(10), -Hr(72) - Sec(1))); }, {{Pattern(), "monotherapy"}}},
    {"§3.2", "end_is_last_administration_without_stop",
     [](json& c) {
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}, {"administrations", {{{"at", At(-Day(5))}}, {{"at", At(-Hr(72))}}}}});
     },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "last_administration_73h_not_counted",
     [](json& c) {
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}, {"administrations", {{{"at", At(-Day(5))}}, {{"at", At(-Hr(73))}}}}});
     },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "stop_time_wins_over_last_administration",
     [](json& c) {
       AddMed(c, {{"name", "olanzapine"}, {"status", "stopped"}, {"start", At(-Day(10))}, {"stop", At(-Hr(80))},
                  {"administrations", {{{"at", At(-Hr(70))}}}}});
     },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "stop_after_T0_means_running", [](json& c) { AddMed(c, StoppedMed("olanzapine", -Day(3), Day(2))); },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "start_after_T0_ignored", [](json& c) { AddMed(c, ActiveMed("olanzapine", Hr(1))); },
     {{Pattern(), "monotherapy"}, {Warning("OBSERVATION_AFTER_T0"), "info"}}},
    {"§3.2", "active_without_times_is_open", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "active"}}); },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "status_default_active_without_times_is_open", [](json& c) { AddMed(c, {{"name", "olanzapine"}}); },
     {{Pattern(), "polypharmacy"}}},
    // An entry with no times and a status other than active is undetermined -> pattern unknown (B5).
    {"§3.2-B5", "completed_without_times_undetermined",
     [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}}); },
     {{Pattern(), "unknown"},
      {TriggerType(), "d2_antagonist"},
      {Iec(1), "met"},
      {Agent("olanzapine"), "undetermined"},
      {Decision(), "insufficient_data"},
      {Reasons(), "exposure_pattern_unknown"},
      {Missing("medication_timing"), "blocking"}}},
    {"§3.2-B5", "stopped_without_times_undetermined", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "stopped"}}); },
     {{Pattern(), "unknown"}}},
    {"§3.2-B5", "on_hold_without_times_undetermined", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "on_hold"}}); },
     {{Pattern(), "unknown"}}},
    {"§3.2-B5", "status_unknown_without_times_undetermined",
     [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "unknown"}}); }, {{Pattern(), "unknown"}}},
    {"§3.2", "not_taken_ignored", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "not_taken"}, {"start", At(-Day(1))}}); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "entered_in_error_ignored",
     [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "entered_in_error"}, {"start", At(-Day(1))}}); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "planned_never_an_exposure", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "planned"}, {"start", At(-Day(1))}}); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "not_taken_without_times_not_undetermined", [](json& c) { AddMed(c, {{"name", "olanzapine"}, {"status", "not_taken"}}); },
     {{Pattern(), "monotherapy"}}},
    {"DF-11", "undetermined_same_ingredient_as_counted_not_U",
     [](json& c) { AddMed(c, {{"name", "haloperidol"}, {"status", "completed"}}); }, {{Pattern(), "monotherapy"}}},
    {"DF-11", "two_counted_plus_undetermined_polypharmacy",
     [](json& c) {
       AddMed(c, ActiveMed("olanzapine", -Day(2)));
       AddMed(c, {{"name", "quetiapine"}, {"status", "completed"}});
     },
     {{Pattern(), "polypharmacy"}, {Decision(), "contraindicated"}}},
    {"DF-11/DF-13", "only_undetermined_d2_trigger_unknown",
     [](json& c) {
       NoD2(c);
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}});
     },
     {{Pattern(), "unknown"}, {TriggerType(), "unknown"}, {Iec(1), "unknown"}}},
    {"DF-11", "medication_list_absent_unknown", [](json& c) { c.erase("medications"); },
     {{Pattern(), "unknown"},
      {TriggerType(), "unknown"},
      {Iec(1), "unknown"},
      {Missing("medication_list"), "blocking"},
      {AnyReason("exposure_pattern_unknown"), "yes"},
      {AnyReason("prior_dantrolene_amount_unknown"), "yes"}}},
    {"DF-11", "empty_list_none", [](json& c) { c["medications"] = json::array(); },
     {{Pattern(), "none"}, {TriggerType(), "none"}, {Iec(1), "not_met"}, {Missing("medication_list"), "absent"}}},
    {"DF-11", "non_d2_drugs_only_none",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("ondansetron", -Day(1)));
     },
     {{Pattern(), "none"}, {TriggerType(), "none"}}},
    // Antiemetic D2 blockers count and raise ANTIEMETIC_COUNTED_AS_NEUROLEPTIC; lithium does not count.
    {"DF-11", "metoclopramide_counts_polypharmacy", [](json& c) { AddMed(c, ActiveMed("metoclopramide", -Day(1))); },
     {{Pattern(), "polypharmacy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "info"}}},
    {"DF-11", "metoclopramide_alone_monotherapy",
     [](json& c) {
       NoD2(c);
       AddMed(c, ActiveMed("metoclopramide", -Day(1)));
     },
     {{Pattern(), "monotherapy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "info"}, {Decision(), "consider"}}},
    {"DF-11", "prochlorperazine_counts", [](json& c) { AddMed(c, ActiveMed("prochlorperazine", -Day(1))); },
     {{Pattern(), "polypharmacy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "info"}}},
    {"DF-11", "haloperidol_used_as_antiemetic_warns", [](json& c) { c["medications"][0]["used_as_antiemetic"] = true; },
     {{Pattern(), "monotherapy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "info"}}},
    {"DF-11", "indication_nausea_derives_antiemetic_use", [](json& c) { c["medications"][0]["indication"] = "nausea and vomiting"; },
     {{Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "info"}}},
    {"DF-11", "non_d2_antiemetic_not_counted_no_warning",
     [](json& c) {
       json m = ActiveMed("ondansetron", -Day(1));
       m["used_as_antiemetic"] = true;
       AddMed(c, m);
     },
     {{Pattern(), "monotherapy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "absent"}}},
    {"DF-11", "antipsychotic_without_antiemetic_use_no_warning", [](json&) {},
     {{Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "absent"}}},
    {"DF-11", "metoclopramide_ended_not_counted_no_warning",
     [](json& c) { AddMed(c, StoppedMed("metoclopramide", -Day(10), -Day(5))); },
     {{Pattern(), "monotherapy"}, {Warning("ANTIEMETIC_COUNTED_AS_NEUROLEPTIC"), "absent"}}},
    {"DF-11", "lithium_not_counted", [](json& c) { AddMed(c, ActiveMed("lithium", -Day(30))); },
     {{Pattern(), "monotherapy"}, {Decision(), "consider"}}},
    {"DF-11-B5", "dopamine_depleter_counts", [](json& c) { AddMed(c, ActiveMed("tetrabenazine", -Day(30))); },
     {{Pattern(), "polypharmacy"}}},
    {"DF-11-B5", "amoxapine_counts", [](json& c) { AddMed(c, ActiveMed("amoxapine", -Day(30))); },
     {{Pattern(), "polypharmacy"}}},
    {"DF-11", "ondansetron_not_d2", [](json& c) { AddMed(c, ActiveMed("ondansetron", -Day(1))); }, {{Pattern(), "monotherapy"}}},
    // C1: pattern none AND withdrawal_72h false => not_met.
    {"C1", "ended_d2_older_than_72h_not_met",
     [](json& c) {
       NoD2(c);
       AddMed(c, StoppedMed("haloperidol", -Day(10), -Day(4)));
     },
     {{Pattern(), "none"}, {Iec(1), "not_met"}, {TriggerType(), "none"}}},
    {"C1", "ended_d2_within_72h_met",
     [](json& c) {
       NoD2(c);
       AddMed(c, StoppedMed("haloperidol", -Day(10), -Day(2)));
     },
     {{Pattern(), "monotherapy"}, {Iec(1), "met"}, {Agent("haloperidol"), "ended"}}},
};
NMSCDS_RULES_TABLE(RulesPattern, kPatternRows);

// Long-acting injectables (§3.2): end = max(end, L + D days), D = 2 x interval (default 28 d, paliperidone
// 91 d, aripiprazole 56 d, or long_acting_interval_days). Exposed within 72 h <=> L + D >= T0 - 3 d.
json Depot(const std::string& name, std::int64_t last_injection, std::optional<double> interval = std::nullopt) {
  json m = {{"name", name},
            {"status", "completed"},
            {"long_acting", true},
            {"administrations", {{{"at", At(last_injection)}}}}};
  if (interval) m["long_acting_interval_days"] = *interval;
  return m;
}

const std::vector<Row> kDepotRows = {
    {"§3.2-B31", "default_56d_window_inside", [](json& c) { AddMed(c, Depot("fluphenazine", -Day(59))); },
     {{Pattern(), "polypharmacy"}, {Agent("fluphenazine"), "long_acting_window"}}},
    {"§3.2-B31", "default_56d_window_outside", [](json& c) { AddMed(c, Depot("fluphenazine", -Day(59) - Sec(1))); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2-B31", "depot_salt_in_name_sets_long_acting",
     [](json& c) {
       AddMed(c, {{"name", "fluphenazine decanoate"}, {"status", "completed"}, {"administrations", {{{"at", At(-Day(40))}}}}});
     },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "same_drug_not_depot_not_exposed",
     [](json& c) {
       AddMed(c, {{"name", "fluphenazine"}, {"status", "completed"}, {"administrations", {{{"at", At(-Day(40))}}}}});
     },
     {{Pattern(), "monotherapy"}}},
    {"§3.2-B31", "paliperidone_182d_inside", [](json& c) { AddMed(c, Depot("paliperidone", -Day(185))); },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2-B31", "paliperidone_182d_outside", [](json& c) { AddMed(c, Depot("paliperidone", -Day(185) - Sec(1))); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2-B31", "aripiprazole_112d_inside", [](json& c) { AddMed(c, Depot("aripiprazole", -Day(115))); },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2-B31", "aripiprazole_112d_outside", [](json& c) { AddMed(c, Depot("aripiprazole", -Day(115) - Sec(1))); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "explicit_interval_14d_inside", [](json& c) { AddMed(c, Depot("fluphenazine", -Day(31), 14)); },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "explicit_interval_14d_outside", [](json& c) { AddMed(c, Depot("fluphenazine", -Day(31) - Sec(1), 14)); },
     {{Pattern(), "monotherapy"}}},
    {"§3.2", "explicit_interval_overrides_paliperidone_default",
     [](json& c) { AddMed(c, Depot("paliperidone", -Day(60), 28)); }, {{Pattern(), "monotherapy"}}},
    {"§3.2", "depot_without_administration_uses_start",
     [](json& c) {
       AddMed(c, {{"name", "fluphenazine"}, {"status", "completed"}, {"long_acting", true}, {"start", At(-Day(50))}, {"stop", At(-Day(50))}});
     },
     {{Pattern(), "polypharmacy"}}},
    {"§3.2", "depot_window_extends_past_stop",
     [](json& c) {
       json m = Depot("fluphenazine", -Day(58));
       m["status"] = "stopped";
       m["start"] = At(-Day(200));
       m["stop"] = At(-Day(58));
       AddMed(c, m);
     },
     {{Pattern(), "polypharmacy"}}},
    // §3.2: the depot extension applies to D2 antagonists only.
    {"§3.2", "long_acting_flag_ignored_for_non_d2",
     [](json& c) {
       AddMed(c, {{"name", "verapamil"}, {"status", "completed"}, {"long_acting", true}, {"administrations", {{{"at", At(-Day(10))}}}}});
     },
     {{Decision(), "consider"}}},
    // Only the D2 antagonist monotherapy depot on its own: the gate still passes.
    {"§3.2", "depot_alone_monotherapy",
     [](json& c) {
       NoD2(c);
       AddMed(c, Depot("haloperidol decanoate", -Day(20)));
     },
     {{Pattern(), "monotherapy"}, {Agent("haloperidol"), "long_acting_window"}, {PlanTextHas("STOP_DOPAMINE_ANTAGONISTS", "depot"), "yes"}}},
};
NMSCDS_RULES_TABLE(RulesDepot, kDepotRows);

// DF-12 / DF-13 / P-RESTART: S02 without haloperidol plus one dopaminergic entry.
void Withdrawal(json& c, std::int64_t stop) {
  NoD2(c);
  AddMed(c, StoppedMed("levodopa", -Day(400), stop));
}

const std::vector<Row> kWithdrawalRows = {
    {"DF-12", "stop_71h_withdrawal_72h",
     [](json& c) { Withdrawal(c, -Hr(71)); },
     {{TriggerType(), "withdrawal"},
      {Pattern(), "none"},
      {Iec(1), "met"},
      {Plan("RESTART_DOPAMINERGIC"), "recommended"},
      {Priority("RESTART_DOPAMINERGIC"), "immediate"},
      {Plan("STOP_DOPAMINE_ANTAGONISTS"), "absent"},
      {Diff("parkinsonism_hyperpyrexia"), "suspected"},
      {Agent("levodopa"), "withdrawn"}}},
    {"DF-12", "stop_exactly_72h_withdrawal_72h", [](json& c) { Withdrawal(c, -Hr(72)); },
     {{Iec(1), "met"}, {Priority("RESTART_DOPAMINERGIC"), "immediate"}, {Diff("parkinsonism_hyperpyrexia"), "suspected"}}},
    {"DF-12", "stop_73h_trigger_but_c1_not_met", [](json& c) { Withdrawal(c, -Hr(73)); },
     {{TriggerType(), "withdrawal"},
      {Iec(1), "not_met"},
      {Plan("RESTART_DOPAMINERGIC"), "recommended"},
      {Priority("RESTART_DOPAMINERGIC"), "urgent"},
      {Diff("parkinsonism_hyperpyrexia"), "possible"}}},
    {"DF-12", "stop_13d_trigger", [](json& c) { Withdrawal(c, -Day(13)); },
     {{TriggerType(), "withdrawal"}, {Priority("RESTART_DOPAMINERGIC"), "urgent"}}},
    {"DF-12", "stop_exactly_14d_trigger", [](json& c) { Withdrawal(c, -Day(14)); },
     {{TriggerType(), "withdrawal"}, {Plan("RESTART_DOPAMINERGIC"), "recommended"}}},
    {"DF-12", "stop_14d_1s_no_trigger", [](json& c) { Withdrawal(c, -Day(14) - Sec(1)); },
     {{TriggerType(), "none"}, {Plan("RESTART_DOPAMINERGIC"), "absent"}, {Diff("parkinsonism_hyperpyrexia"), "unlikely"}}},
    {"DF-12", "stop_15d_no_trigger_unlikely", [](json& c) { Withdrawal(c, -Day(15)); },
     {{TriggerType(), "none"}, {Suspicion(), "unlikely"}, {Decision(), "not_applicable"}}},
    // §3.2: "A stop event for an ingredient is the stop time of an entry whose ingredient is not running
    // again after it (no entry of the same ingredient is exposed at any time in (stop, T0])."
    // Here the drug was stopped at T0 - 2 d and restarted a day later (a gap, not a dose cut) and is running
    // at T0: no stop event, so no withdrawal trigger and no RESTART_DOPAMINERGIC for a running drug. (The
    // engine tells a restart from DF-12's dose cut by timing: see doc/interpretations.md.)
    {"§3.2", "restarted_drug_is_no_stop_event",
     [](json& c) {
       Withdrawal(c, -Day(2));
       AddMed(c, ActiveMed("levodopa", -Day(1)));
     },
     {{TriggerType(), "none"}, {Plan("RESTART_DOPAMINERGIC"), "absent"}}},
    // DF-12: "A dose cut is counted only if the source system records it as a stop of the old entry (the new
    // lower-dose entry then counts as running; the stop still counts as a withdrawal event)". Here the old
    // entry stops at T0 - 30 h and the new lower-dose entry starts at that same moment, which is how a
    // recorded dose cut looks. (§3.2's stop-event definition contradicts this sentence; see the report.)
    {"DF-12", "dose_cut_recorded_as_stop_counts_as_withdrawal",
     [](json& c) {
       Withdrawal(c, -Hr(30));
       json m = ActiveMed("levodopa", -Hr(30));
       m["dose"] = "50/12.5 mg four times daily (reduced)";
       AddMed(c, m);
     },
     {{TriggerType(), "withdrawal"}, {Iec(1), "met"}, {Plan("RESTART_DOPAMINERGIC"), "recommended"}}},
    {"§3.2", "second_course_stopped_later_is_the_stop_event",
     [](json& c) {
       Withdrawal(c, -Day(5));
       AddMed(c, StoppedMed("levodopa", -Day(4), -Hr(50)));
     },
     {{TriggerType(), "withdrawal"}, {Iec(1), "met"}, {Priority("RESTART_DOPAMINERGIC"), "immediate"}}},
    {"§3.2", "stop_covered_by_parallel_order_no_event",
     [](json& c) {
       Withdrawal(c, -Hr(30));
       AddMed(c, ActiveMed("levodopa", -Day(10)));
     },
     {{TriggerType(), "none"}, {Plan("RESTART_DOPAMINERGIC"), "absent"}}},
    {"§3.2", "planned_restart_is_not_running",
     [](json& c) {
       Withdrawal(c, -Hr(30));
       AddMed(c, {{"name", "levodopa"}, {"status", "planned"}, {"start", At(-Hr(1))}});
     },
     {{TriggerType(), "withdrawal"}, {Plan("RESTART_DOPAMINERGIC"), "recommended"}}},
    {"§3.2", "stop_after_T0_is_no_stop_event", [](json& c) { Withdrawal(c, Day(1)); },
     {{TriggerType(), "none"}, {Plan("RESTART_DOPAMINERGIC"), "absent"}}},
    {"DF-12", "withdrawal_plus_d2_both",
     [](json& c) { AddMed(c, StoppedMed("pramipexole", -Day(100), -Hr(30))); },
     {{TriggerType(), "both"}, {Pattern(), "monotherapy"}, {Plan("RESTART_DOPAMINERGIC"), "recommended"},
      {Plan("STOP_DOPAMINE_ANTAGONISTS"), "recommended"}}},
    {"DF-12", "withdrawal_plus_d2_polypharmacy_gate_applies",
     [](json& c) {
       AddMed(c, StoppedMed("pramipexole", -Day(100), -Hr(30)));
       AddMed(c, ActiveMed("olanzapine", -Day(2)));
     },
     {{TriggerType(), "both"}, {Decision(), "contraindicated"}, {Reasons(), "d2_polypharmacy"}}},
    {"DF-12", "withdrawal_only_monotherapy_gate_passes_consider", [](json& c) { Withdrawal(c, -Hr(30)); },
     {{Decision(), "consider"}}},
    {"DF-12", "bromocriptine_stop_is_withdrawal",
     [](json& c) {
       NoD2(c);
       AddMed(c, StoppedMed("bromocriptine", -Day(400), -Day(2)));
     },
     {{TriggerType(), "withdrawal"}, {PlanTextHas("RESTART_DOPAMINERGIC", "bromocriptine"), "yes"}}},
    // DF-12 unknown: an undetermined dopaminergic entry whose ingredient is not running (B35).
    {"DF-12-B35", "undetermined_dopaminergic_pattern_none_trigger_unknown",
     [](json& c) {
       NoD2(c);
       AddMed(c, {{"name", "levodopa"}, {"status", "stopped"}});
     },
     {{Pattern(), "none"},
      {TriggerType(), "unknown"},
      {Plan("RESTART_DOPAMINERGIC"), "absent"},
      {Decision(), "insufficient_data"},
      {Reasons(), "exposure_pattern_unknown"},
      {Missing("medication_timing"), "blocking"},
      {Diff("parkinsonism_hyperpyrexia"), "possible"},
      {Iec(1), "unknown"}}},
    {"DF-12-B35", "undetermined_dopaminergic_with_d2_trigger_present",
     [](json& c) { AddMed(c, {{"name", "levodopa"}, {"status", "stopped"}}); },
     {{Pattern(), "monotherapy"},
      {TriggerType(), "d2_antagonist"},
      {Decision(), "consider"},
      {Plan("RESTART_DOPAMINERGIC"), "absent"},
      {Diff("parkinsonism_hyperpyrexia"), "possible"}}},
    {"DF-12", "undetermined_dopaminergic_but_running_known_false",
     [](json& c) {
       NoD2(c);
       AddMed(c, {{"name", "levodopa"}, {"status", "stopped"}});
       AddMed(c, ActiveMed("levodopa", -Day(30)));
     },
     {{TriggerType(), "none"}, {Diff("parkinsonism_hyperpyrexia"), "unlikely"}}},
    {"DF-12", "stop_event_wins_over_undetermined_entry",
     [](json& c) {
       Withdrawal(c, -Day(2));
       AddMed(c, {{"name", "ropinirole"}, {"status", "stopped"}});
     },
     {{TriggerType(), "withdrawal"}, {Plan("RESTART_DOPAMINERGIC"), "recommended"}}},
    {"DF-12", "medication_list_absent_no_restart",
     [](json& c) { c.erase("medications"); },
     {{Plan("RESTART_DOPAMINERGIC"), "absent"}, {Diff("parkinsonism_hyperpyrexia"), "possible"}}},
    // P-RESTART only when the pathway runs.
    {"P-RESTART", "not_when_pathway_off",
     [](json& c) {
       Withdrawal(c, -Hr(30));
       SetFinding(c, "rigidity", "none");
       AutonomicAbsent(c);
       SetTemps(c, {{37.0, -Hr(1)}});
     },
     {{Suspicion(), "unlikely"}, {Plan("RESTART_DOPAMINERGIC"), "absent"}}},
    // §7.2 route preconditions also apply to RESTART.
    {"P-RESTART", "enteral_unavailable_ng_precondition",
     [](json& c) {
       Withdrawal(c, -Hr(30));
       SetCtx(c, "enteral_route_available", false);
     },
     {{PlanFact("RESTART_DOPAMINERGIC", "precondition"), "place_nasogastric_tube"}}},
};
NMSCDS_RULES_TABLE(RulesWithdrawal, kWithdrawalRows);

// DF-17: bromocriptine/amantadine counted when active and started within 7 days or indicated for NMS; ECT
// when a treatment is within 7 days or a course is in progress. S02 has no procedures list.
const std::vector<Row> kConcurrentRows = {
    {"DF-17-B7", "new_bromocriptine_ect_unknown",
     [](json& c) { AddMed(c, ActiveMed("bromocriptine", -Day(6))); },
     {{Decision(), "insufficient_data"}, {Reasons(), "concurrent_therapies_unknown"}, {Missing("ect_history"), "blocking"}}},
    {"DF-17", "new_bromocriptine_no_ect_count_1",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(6)));
       c["procedures"] = json::array();
     },
     {{Decision(), "consider"},
      {ReasonFact("gates_passed", "concurrent_nms_therapies"), "1"},
      {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"},
      {Note("NOTE_COMBINATION_GATE"), "present"}}},
    {"DF-17", "bromocriptine_started_exactly_7d_counted",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(7)));
       c["procedures"] = json::array();
     },
     {{Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "bromocriptine_started_8d_chronic",
     [](json& c) { AddMed(c, ActiveMed("bromocriptine", -Day(8))); },
     {{Decision(), "consider"},
      {ReasonFact("gates_passed", "concurrent_nms_therapies"), "0"},
      {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"DF-17", "bromocriptine_7d_1s_chronic",
     [](json& c) { AddMed(c, ActiveMed("bromocriptine", -Day(7) - Sec(1))); },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"DF-17", "chronic_but_indication_for_NMS_counted",
     [](json& c) {
       json m = ActiveMed("bromocriptine", -Day(30));
       m["indication"] = "for NMS";
       AddMed(c, m);
       c["procedures"] = json::array();
     },
     {{Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "indication_neuroleptic_malignant_counted",
     [](json& c) {
       json m = ActiveMed("amantadine", -Day(30));
       m["indication"] = "Neuroleptic Malignant Syndrome";
       AddMed(c, m);
       c["procedures"] = json::array();
     },
     {{Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "indication_nms_not_whole_word_not_counted",
     [](json& c) {
       json m = ActiveMed("bromocriptine", -Day(30));
       m["indication"] = "ANMS study";
       AddMed(c, m);
     },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"DF-17", "unknown_start_without_indication_unknown",
     [](json& c) {
       AddMed(c, {{"name", "bromocriptine"}, {"status", "active"}});
       c["procedures"] = json::array();
     },
     {{Decision(), "insufficient_data"}, {Reasons(), "concurrent_therapies_unknown"}}},
    {"DF-17", "unknown_start_with_indication_counted",
     [](json& c) {
       AddMed(c, {{"name", "bromocriptine"}, {"status", "active"}, {"indication", "NMS"}});
       c["procedures"] = json::array();
     },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "bromocriptine_and_amantadine_count_2",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       AddMed(c, ActiveMed("amantadine", -Day(2)));
     },
     {{Decision(), "contraindicated"}, {Reasons(), "multiple_concurrent_nms_therapies"}, {Note("NOTE_COMBINATION_GATE"), "present"}}},
    {"DF-17", "bromocriptine_plus_ect_at_exactly_7d_count_2",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       c["procedures"] = {{{"kind", "ect"}, {"time", At(-Day(7))}}};
     },
     {{Decision(), "contraindicated"}, {Reasons(), "multiple_concurrent_nms_therapies"}}},
    {"DF-17", "bromocriptine_plus_ect_7d_1s_count_1",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       c["procedures"] = {{{"kind", "ect"}, {"time", At(-Day(7) - Sec(1))}}};
     },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "bromocriptine_plus_ect_in_progress_count_2",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       SetCtx(c, "ect_in_progress", true);
     },
     {{Decision(), "contraindicated"}, {Reasons(), "multiple_concurrent_nms_therapies"}}},
    {"DF-17", "ect_in_progress_false_settles_ect",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       SetCtx(c, "ect_in_progress", false);
     },
     {{Decision(), "consider"}, {Missing("ect_history"), "absent"}}},
    {"DF-17", "ect_alone_count_1",
     [](json& c) { c["procedures"] = {{{"kind", "ect"}, {"time", At(-Day(1))}}}; },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"DF-17", "bromocriptine_stopped_exactly_24h_active",
     [](json& c) {
       AddMed(c, StoppedMed("bromocriptine", -Day(3), -Hr(24)));
       AddMed(c, ActiveMed("amantadine", -Day(2)));
     },
     {{Decision(), "contraindicated"}}},
    {"DF-17", "bromocriptine_stopped_25h_not_active",
     [](json& c) {
       AddMed(c, StoppedMed("bromocriptine", -Day(3), -Hr(25)));
       AddMed(c, ActiveMed("amantadine", -Day(2)));
       c["procedures"] = json::array();
     },
     {{Decision(), "consider"}}},
    {"DF-17", "benzodiazepine_not_counted",
     [](json& c) {
       AddMed(c, ActiveMed("lorazepam", -Day(1)));
       AddMed(c, ActiveMed("midazolam", -Day(1)));
     },
     {{Decision(), "consider"}, {ReasonFact("gates_passed", "concurrent_nms_therapies"), "0"}}},
    {"DF-17", "dantrolene_itself_not_counted",
     [](json& c) {
       AddMed(c, GivenOnce("dantrolene", -Hr(2), 70));
       c["procedures"] = json::array();
     },
     {{Decision(), "consider"}, {ReasonFact("gates_passed", "concurrent_nms_therapies"), "0"},
      {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"DF-17", "medication_list_absent_unknown", [](json& c) { c.erase("medications"); },
     {{AnyReason("concurrent_therapies_unknown"), "yes"}}},
};
NMSCDS_RULES_TABLE(RulesConcurrent, kConcurrentRows);

// DF-16: MH trigger exposure within 24 h AND a feature. S02 has severe rigidity (a feature).
const std::vector<Row> kMhRows = {
    {"DF-16", "succinylcholine_23h_mh", [](json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(23), 100)); },
     {{Decision(), "malignant_hyperthermia_protocol"},
      {Reasons(), "mh_trigger_within_24h,mh_clinical_features"},
      {Diff("malignant_hyperthermia"), "suspected"},
      {Warning("MALIGNANT_HYPERTHERMIA_SUSPECTED"), "critical"}}},
    {"DF-16", "succinylcholine_exactly_24h_mh", [](json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(24), 100)); },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "succinylcholine_25h_not_exposed", [](json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(25), 100)); },
     {{Decision(), "consider"}, {Diff("malignant_hyperthermia"), "unlikely"}}},
    {"DF-16", "suxamethonium_synonym", [](json& c) { AddMed(c, GivenOnce("suxamethonium", -Hr(2), 100)); },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "sevoflurane_interval", [](json& c) { AddMed(c, StoppedMed("sevoflurane", -Hr(3), -Hr(2))); },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "sevoflurane_ended_23h_exposed", [](json& c) { AddMed(c, StoppedMed("sevoflurane", -Hr(30), -Hr(23))); },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "desflurane_ended_25h_not_exposed", [](json& c) { AddMed(c, StoppedMed("desflurane", -Hr(27), -Hr(25))); },
     {{Decision(), "consider"}}},
    {"DF-16", "propofol_and_rocuronium_not_triggers",
     [](json& c) {
       AddMed(c, StoppedMed("propofol", -Hr(3), -Hr(2)));
       AddMed(c, StoppedMed("rocuronium", -Hr(3), -Hr(2)));
     },
     {{Decision(), "consider"}}},
    // Features: temperature > 38.0 at or after the first exposure; rigidity; masseter spasm; hypercarbia.
    {"DF-16", "features_from_fever_after_exposure",
     [](json& c) {
       SetFinding(c, "rigidity", "none");
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "fever_only_before_exposure_no_features",
     [](json& c) {
       SetFinding(c, "rigidity", "none");
       SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(3)}});
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{AnyReason("mh_trigger_within_24h"), "no"}, {Diff("malignant_hyperthermia"), "possible"}}},
    {"DF-16", "fever_at_exposure_time_counts",
     [](json& c) {
       SetFinding(c, "rigidity", "none");
       SetTemps(c, {{40.2, -Hr(6)}, {38.5, -Hr(2)}});
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "masseter_spasm_feature",
     [](json& c) {
       SetFinding(c, "rigidity", "none");
       SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(3)}});
       SetFinding(c, "masseter_rigidity", true);
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "hypercarbia_feature",
     [](json& c) {
       SetFinding(c, "rigidity", "none");
       SetTemps(c, {{40.2, -Hr(6)}, {40.6, -Hr(3)}});
       SetFinding(c, "hypercarbia", true);
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    // The anaesthesia record and the medication list are combined with OR.
    {"DF-16", "anesthesia_volatile_true_within_24h",
     [](json& c) { SetCtx(c, "anesthesia", {{"volatile_agent", true}, {"at", At(-Hr(3))}}); },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "anesthesia_volatile_true_older_than_24h",
     [](json& c) { SetCtx(c, "anesthesia", {{"volatile_agent", true}, {"at", At(-Hr(25))}}); },
     {{Decision(), "consider"}, {Diff("malignant_hyperthermia"), "unlikely"}}},
    {"DF-16", "anesthesia_false_settles_when_list_absent",
     [](json& c) {
       c.erase("medications");
       SetCtx(c, "anesthesia", {{"volatile_agent", false}, {"succinylcholine", false}});
     },
     {{Diff("malignant_hyperthermia"), "unlikely"}}},
    {"DF-16", "one_class_flag_only_with_list_absent_unknown",
     [](json& c) {
       c.erase("medications");
       SetCtx(c, "anesthesia", {{"succinylcholine", false}});
     },
     {{Diff("malignant_hyperthermia"), "must_exclude"}}},
    {"DF-16", "no_anesthesia_no_list_unknown", [](json& c) { c.erase("medications"); },
     {{Diff("malignant_hyperthermia"), "must_exclude"}, {AnyReason("mh_trigger_within_24h"), "no"}}},
    {"DF-16", "flag_false_never_hides_listed_agent",
     [](json& c) {
       SetCtx(c, "anesthesia", {{"volatile_agent", false}, {"succinylcholine", false}});
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    {"DF-16", "list_absent_with_succinylcholine_flag_true",
     [](json& c) {
       c.erase("medications");
       SetCtx(c, "anesthesia", {{"succinylcholine", true}, {"at", At(-Hr(1))}});
     },
     {{Decision(), "malignant_hyperthermia_protocol"}}},
    // §10 MH row: unknown exposure without hyperthermia or rigidity -> possible.
    {"§10-MH", "exposure_unknown_no_fever_no_rigidity_possible",
     [](json& c) {
       c.erase("medications");
       SetFinding(c, "rigidity", "none");
       SetTemps(c, {{37.0, -Hr(1)}});
     },
     {{Diff("malignant_hyperthermia"), "possible"}}},
};
NMSCDS_RULES_TABLE(RulesMh, kMhRows);

// DF-18: non-DHP CCB active (within 24 h) -> DEC-3; DHP -> warning.
const std::vector<Row> kCcbRows = {
    {"DF-18", "verapamil_active", [](json& c) { AddMed(c, ActiveMed("verapamil", -Day(30))); },
     {{Decision(), "contraindicated"}, {Reasons(), "ccb_non_dihydropyridine_active"}, {Warning("CCB_NON_DIHYDROPYRIDINE"), "critical"}}},
    {"DF-18", "verapamil_stopped_exactly_24h_active", [](json& c) { AddMed(c, StoppedMed("verapamil", -Day(30), -Hr(24))); },
     {{Decision(), "contraindicated"}}},
    {"DF-18", "verapamil_stopped_24h_1s_not_active",
     [](json& c) { AddMed(c, StoppedMed("verapamil", -Day(30), -Hr(24) - Sec(1))); },
     {{Decision(), "consider"}, {Warning("CCB_NON_DIHYDROPYRIDINE"), "absent"}}},
    {"DF-18", "diltiazem_active", [](json& c) { AddMed(c, ActiveMed("diltiazem", -Day(30))); },
     {{Reasons(), "ccb_non_dihydropyridine_active"}}},
    {"DF-18", "gallopamil_active", [](json& c) { AddMed(c, ActiveMed("gallopamil", -Day(30))); },
     {{Reasons(), "ccb_non_dihydropyridine_active"}}},
    {"DF-18-B25", "bepridil_non_selective_as_non_dhp", [](json& c) { AddMed(c, ActiveMed("bepridil", -Day(30))); },
     {{Reasons(), "ccb_non_dihydropyridine_active"}}},
    {"DF-18", "amlodipine_warning_only", [](json& c) { AddMed(c, ActiveMed("amlodipine", -Day(30))); },
     {{Decision(), "consider"}, {Warning("CCB_DIHYDROPYRIDINE"), "warning"}, {Warning("CCB_NON_DIHYDROPYRIDINE"), "absent"}}},
    {"DF-18", "nifedipine_stopped_25h_no_warning", [](json& c) { AddMed(c, StoppedMed("nifedipine", -Day(30), -Hr(25))); },
     {{Warning("CCB_DIHYDROPYRIDINE"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesCcb, kCcbRows);

}  // namespace
}  // namespace nmscds::rules
