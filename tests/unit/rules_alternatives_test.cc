// Alternatives and stage-based therapy (§7): ALT-0..ALT-5, PREF-1..PREF-4, enteral-route preconditions,
// lorazepam (§7.5), ECT (§7.6) and COMBINATION_PROLONGS_RECOVERY (§7.1, §11). Base: S02 (stage V,
// consider: ALT-3 -> bromocriptine `alternative`, no amantadine).
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

// Stage IV (temperature and heart rate IV, rigidity moderate => decision not_indicated).
void StageFour(json& c) {
  SetTemps(c, {{38.5, -Hr(6)}, {39.0, -Hr(1)}});
  SetHr(c, {{110, -Hr(6)}, {115, -Hr(1)}});
  SetFinding(c, "rigidity", "moderate");
}
// Stage III (afebrile, HR < 100, rigidity mild, diaphoresis present so step 1 does not apply).
void StageThree(json& c) {
  SetTemps(c, {{37.2, -Hr(6)}, {37.5, -Hr(1)}});
  SetHr(c, {{90, -Hr(6)}, {95, -Hr(1)}});
  SetFinding(c, "rigidity", "mild");
}
void LevodopaStopped(json& c, std::int64_t stop = -Hr(60)) {
  RemoveMed(c, "haloperidol");
  AddMed(c, StoppedMed("levodopa", -Day(400), stop));
}
void Sertraline(json& c) { AddMed(c, ActiveMed("sertraline", -Day(100))); }
void Contraindicate(json& c) { SetCtx(c, "iv_access", "poor"); }

const std::vector<Row> kAltRows = {
    {"ALT-3", "stage_V_consider", [](json&) {},
     {{Alt("bromocriptine"), "alternative"},
      {Alt("amantadine"), "absent"},
      {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-3"},
      {AltRank("bromocriptine"), "1"},
      {AltRank("lorazepam"), "2"},
      {Note("NOTE_ALTERNATIVE_DOSES"), "present"}}},
    {"ALT-3b", "stage_V_contraindicated", Contraindicate,
     {{Alt("bromocriptine"), "recommended"},
      {Alt("amantadine"), "alternative"},
      {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-3b"},
      {AltRank("bromocriptine"), "1"},
      {AltRank("amantadine"), "2"},
      {AltRank("lorazepam"), "3"}}},
    {"ALT-3b", "stage_V_not_indicated", [](json& c) { SetFinding(c, "rigidity", "moderate"); },
     {{Stage(), "V"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"}}},
    {"ALT-3b", "stage_V_insufficient_data", [](json& c) { UnsetCtx(c, "iv_access"); },
     {{Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"}}},
    {"ALT-4", "stage_IV_not_indicated", StageFour,
     {{Stage(), "IV"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"},
      {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-4"}}},
    {"ALT-4", "stage_IV_contraindicated",
     [](json& c) {
       StageFour(c);
       SetFinding(c, "rigidity_refractory", true);
       Contraindicate(c);
     },
     {{Decision(), "contraindicated"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"}}},
    {"ALT-4-B18", "stage_IV_insufficient_data",
     [](json& c) {
       StageFour(c);
       SetFinding(c, "rigidity_refractory", true);
       UnsetCtx(c, "iv_access");
     },
     {{Decision(), "insufficient_data"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"}}},
    {"ALT-5", "stage_IV_consider",
     [](json& c) {
       StageFour(c);
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Decision(), "consider"}, {Alt("bromocriptine"), "absent"}, {Alt("amantadine"), "absent"},
      {Note("NOTE_ALTERNATIVE_DOSES"), "absent"}}},
    {"ALT-5", "stage_III", StageThree,
     {{Stage(), "III"}, {Alt("bromocriptine"), "absent"}, {Alt("amantadine"), "absent"}}},
    {"ALT-5", "stage_unknown",
     [](json& c) {
       SetFinding(c, "rigidity", "present_ungraded");
       SetFinding(c, "rigidity_refractory", true);
       SetTemps(c, {{39.0, -Hr(30)}, {39.5, -Hr(26)}});
       RemoveObs(c, "heart_rate");
     },
     {{Stage(), "unknown"}, {Alt("bromocriptine"), "absent"}, {Alt("amantadine"), "absent"}}},
    {"ALT-0", "mh_protocol", [](json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100)); },
     {{Alt("bromocriptine"), "absent"}, {Alt("amantadine"), "absent"}, {Alt("lorazepam"), "absent"},
      {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "absent"}}},
    {"ALT-0", "pathway_not_running", [](json& c) { c["medications"] = json::array(); },
     {{Alt("bromocriptine"), "absent"}, {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "absent"}}},
    {"ALT-0-B33", "no_trigger_clinician_suspected",
     [](json& c) {
       c["medications"] = json::array();
       c["clinician_suspected_nms"] = true;
       Contraindicate(c);
     },
     {{Alt("bromocriptine"), "absent"}, {Alt("amantadine"), "absent"}, {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "present"}}},
    {"ALT-0", "trigger_unknown_still_offered",
     [](json& c) {
       c.erase("medications");
       Contraindicate(c);
     },
     {{TriggerType(), "unknown"}, {Alt("bromocriptine"), "recommended"}, {Note("NOTE_NO_TRIGGER_NO_AGONIST"), "absent"}}},
    // ALT-1: RESTART_DOPAMINERGIC with the ALT-3b or ALT-4 condition: only the preferred agent, conditional.
    {"ALT-1-B19", "withdrawal_stage_V_not_indicated",
     [](json& c) {
       LevodopaStopped(c);
       SetFinding(c, "rigidity", "moderate");
     },
     {{Alt("bromocriptine"), "conditional"}, {Alt("amantadine"), "absent"}, {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-1"}}},
    {"ALT-1-B19", "withdrawal_stage_IV_contraindicated",
     [](json& c) {
       LevodopaStopped(c);
       StageFour(c);
       Contraindicate(c);
     },
     {{Alt("bromocriptine"), "conditional"}, {Alt("amantadine"), "absent"}}},
    {"ALT-1", "withdrawal_stage_V_consider_is_ALT-3", [](json& c) { LevodopaStopped(c); },
     {{Decision(), "consider"}, {Alt("bromocriptine"), "alternative"}, {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-3"}}},
    {"ALT-1", "withdrawal_stage_IV_consider_is_ALT-5",
     [](json& c) {
       LevodopaStopped(c);
       StageFour(c);
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Decision(), "consider"}, {Alt("bromocriptine"), "absent"}}},
    {"ALT-1", "withdrawal_stage_V_pref1_preferred_amantadine_only",
     [](json& c) {
       LevodopaStopped(c);
       SetFinding(c, "rigidity", "moderate");
       Sertraline(c);
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Alt("amantadine"), "conditional"}, {Alt("bromocriptine"), "absent"}}},
    // ALT-1 when the preferred agent is the stopped drug itself: RESTART_DOPAMINERGIC restarts it, so the
    // conditional fallback is the other agent (doc/interpretations.md); both stopped -> neither.
    {"ALT-1", "withdrawal_of_preferred_agent_offers_the_other",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, StoppedMed("bromocriptine", -Day(400), -Hr(60)));
       SetFinding(c, "rigidity", "moderate");
     },
     {{Plan("RESTART_DOPAMINERGIC"), "recommended"},
      {Alt("amantadine"), "conditional"},
      {Alt("bromocriptine"), "absent"},
      {PlanTextHas("AMANTADINE", "Only if bromocriptine cannot be restarted"), "yes"}}},
    {"ALT-1", "withdrawal_of_both_agents_offers_neither",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, StoppedMed("bromocriptine", -Day(400), -Hr(60)));
       AddMed(c, StoppedMed("amantadine", -Day(400), -Hr(60)));
       SetFinding(c, "rigidity", "moderate");
     },
     {{Plan("RESTART_DOPAMINERGIC"), "recommended"}, {Alt("amantadine"), "absent"}, {Alt("bromocriptine"), "absent"}}},
    // ALT-2: active bromocriptine/amantadine continued; the agent that is not active is not emitted.
    {"ALT-2", "chronic_bromocriptine_continue",
     [](json& c) { AddMed(c, ActiveMed("bromocriptine", -Day(200))); },
     {{Alt("bromocriptine"), "recommended"},
      {Alt("amantadine"), "absent"},
      {PlanFact("BROMOCRIPTINE", "alternatives_rule"), "ALT-2"},
      {PlanTextHas("BROMOCRIPTINE", "abruptly"), "yes"},
      {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"ALT-2", "chronic_amantadine_continue",
     [](json& c) { AddMed(c, ActiveMed("amantadine", -Day(200))); },
     {{Alt("amantadine"), "recommended"}, {Alt("bromocriptine"), "absent"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"ALT-2", "both_active_both_continued",
     [](json& c) {
       AddMed(c, ActiveMed("amantadine", -Day(200)));
       AddMed(c, ActiveMed("bromocriptine", -Day(200)));
     },
     {{Alt("amantadine"), "recommended"}, {Alt("bromocriptine"), "recommended"}}},
    {"ALT-2", "new_amantadine_counted_warns",
     [](json& c) {
       AddMed(c, ActiveMed("amantadine", -Day(2)));
       c["procedures"] = json::array();
     },
     {{Decision(), "consider"}, {Alt("amantadine"), "recommended"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"ALT-2", "chronic_bromocriptine_under_contraindication",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(200)));
       Contraindicate(c);
     },
     {{Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "absent"}}},
    {"ALT-2", "bromocriptine_stopped_25h_not_active",
     [](json& c) {
       AddMed(c, StoppedMed("bromocriptine", -Day(200), -Hr(25)));
       Contraindicate(c);
     },
     {{PlanFact("BROMOCRIPTINE", "alternatives_rule"), "!ALT-2"}}},
};
NMSCDS_RULES_TABLE(RulesAlternatives, kAltRows);

const std::vector<Row> kPreferenceRows = {
    {"PREF-4", "default_order", Contraindicate,
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"},
      {AltDose("amantadine"), "100-200 q12h"}}},
    {"PREF-1", "serotonin_syndrome_suspected",
     [](json& c) {
       Contraindicate(c);
       Sertraline(c);
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "suspected"},
      {PlanFact("AMANTADINE", "preference_rule"), "PREF-1"},
      {Alt("amantadine"), "recommended"},
      {Alt("bromocriptine"), "not_indicated"},
      {AltRank("amantadine"), "1"},
      {AltRank("bromocriptine"), "2"}}},
    {"PREF-1-B20", "serotonin_syndrome_possible",
     [](json& c) {
       Contraindicate(c);
       Sertraline(c);
       UnsetFinding(c, "spontaneous_clonus");
     },
     {{Diff("serotonin_syndrome"), "possible"}, {Alt("amantadine"), "recommended"}, {Alt("bromocriptine"), "not_indicated"}}},
    {"PREF-1", "crcl_unknown_conditional",
     [](json& c) {
       Contraindicate(c);
       Sertraline(c);
       SetFinding(c, "spontaneous_clonus", true);
       RemoveObs(c, "creatinine");
     },
     {{Alt("amantadine"), "conditional"}, {AltDose("amantadine"), "no_dose"}, {Alt("bromocriptine"), "not_indicated"}}},
    {"PREF-1-B20", "beats_PREF-2_renal_dose",
     [](json& c) {
       Contraindicate(c);
       Sertraline(c);
       SetFinding(c, "spontaneous_clonus", true);
       SetLab(c, "creatinine", 4.0, "mg/dL", -Hr(2), std::nullopt);  // CrCl 23.0
     },
     {{Crcl(), "23"}, {Alt("amantadine"), "recommended"}, {AltDose("amantadine"), "100-100 q48h"}}},
    {"PREF-1", "serotonergic_drug_hunter_all_false_is_PREF-4",
     [](json& c) {
       Contraindicate(c);
       Sertraline(c);
     },
     {{Diff("serotonin_syndrome"), "unlikely"}, {PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"}}},
    {"PREF-2", "crcl_below_30_bromocriptine",
     [](json& c) {
       Contraindicate(c);
       SetLab(c, "creatinine", 4.0, "mg/dL", -Hr(2), std::nullopt);
     },
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"}, {Alt("bromocriptine"), "recommended"}, {Alt("amantadine"), "alternative"},
      {AltBand("amantadine"), "crcl_15_29"}}},
    {"PREF-2", "beats_PREF-3",
     [](json& c) {
       Contraindicate(c);
       SetLab(c, "creatinine", 4.0, "mg/dL", -Hr(2), std::nullopt);
       SetFinding(c, "active_psychosis", true);
     },
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-2"}, {Alt("bromocriptine"), "recommended"}}},
    {"PREF-3", "active_psychosis_amantadine",
     [](json& c) {
       Contraindicate(c);
       SetFinding(c, "active_psychosis", true);
     },
     {{PlanFact("AMANTADINE", "preference_rule"), "PREF-3"},
      {Alt("amantadine"), "recommended"},
      {Alt("bromocriptine"), "alternative"},
      {AltCaution("amantadine", "PSYCHOSIS"), "yes"},
      {AltCaution("bromocriptine", "PSYCHOSIS"), "yes"}}},
    {"PREF-3", "crcl_unknown_conditional",
     [](json& c) {
       Contraindicate(c);
       SetFinding(c, "active_psychosis", true);
       RemoveObs(c, "creatinine");
     },
     {{Alt("amantadine"), "conditional"}, {Alt("bromocriptine"), "alternative"}}},
    {"PREF-3", "psychosis_unknown_default_order_with_cautions",
     [](json& c) {
       Contraindicate(c);
       UnsetFinding(c, "active_psychosis");
     },
     {{PlanFact("BROMOCRIPTINE", "preference_rule"), "PREF-4"},
      {AltCaution("amantadine", "PSYCHOSIS"), "yes"},
      {AltCaution("bromocriptine", "PSYCHOSIS"), "yes"}}},
    {"PREF-1", "alt3_preferred_amantadine_alternative",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Decision(), "consider"}, {Alt("amantadine"), "alternative"}}},
    // §7.2 enteral route preconditions.
    {"§7.2", "enteral_unavailable_place_ng", [](json& c) { Contraindicate(c); SetCtx(c, "enteral_route_available", false); },
     {{AltPreconditions("bromocriptine"), "place_nasogastric_tube"}, {AltPreconditions("amantadine"), "place_nasogastric_tube"}}},
    {"§7.2", "enteral_unknown_confirm", [](json& c) { Contraindicate(c); UnsetCtx(c, "enteral_route_available"); },
     {{AltPreconditions("bromocriptine"), "confirm_enteral_route"}, {Missing("enteral_route"), "!absent"}}},
    // §7.3-§7.5 cautions (interfaces §5.9 codes).
    {"§7.3", "bromocriptine_cautions", Contraindicate,
     {{AltCaution("bromocriptine", "HYPOTENSION"), "yes"},
      {AltCaution("bromocriptine", "ASPIRATION"), "yes"},
      {AltCaution("bromocriptine", "PSYCHOSIS"), "yes"},
      {AltCaution("bromocriptine", "SEROTONIN_SYNDROME"), "yes"},
      {AltCaution("bromocriptine", "CARDIOVASCULAR"), "yes"}}},
    {"§7.4/§4.5", "amantadine_cautions", Contraindicate,
     {{AltCaution("amantadine", "PSYCHOSIS"), "yes"},
      {AltCaution("amantadine", "NO_ABRUPT_STOP"), "yes"},
      {AltCaution("amantadine", "RECHECK_CRCL"), "yes"}}},
    {"§7.5", "lorazepam_cautions", [](json&) {},
     {{AltCaution("lorazepam", "RESPIRATORY_DEPRESSION"), "yes"}, {AltCaution("lorazepam", "NO_RESTRAINT"), "yes"},
      {AltDose("lorazepam"), "1-2 q4h"}}},
    {"§7.2", "enteral_available_no_precondition", Contraindicate,
     {{AltPreconditions("bromocriptine"), ""}, {AltPreconditions("amantadine"), ""}}},
    // §7.3 bromocriptine regimen: 2.5 mg q8h up to 10 mg q8h (30 mg/day).
    {"§7.3", "bromocriptine_regimen", Contraindicate,
     {{AltDose("bromocriptine"), "2.5-10 q8h"}, {Path("alternatives.0.regimen.max_daily_mg"), "30"}}},
};
NMSCDS_RULES_TABLE(RulesPreference, kPreferenceRows);

const std::vector<Row> kLorazepamEctRows = {
    // §7.5: pathway runs (not MH) and stage III-V, or agitation or catatonia present.
    {"§7.5", "stage_V", [](json&) {}, {{Alt("lorazepam"), "recommended"}, {Plan("LORAZEPAM"), "recommended"}}},
    {"§7.5", "stage_III", StageThree, {{Plan("LORAZEPAM"), "recommended"}}},
    {"§7.5", "stage_I_without_agitation_or_catatonia",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "severe");
       SetFinding(c, "agitation", false);
     },
     {{Stage(), "I"}, {Plan("LORAZEPAM"), "absent"}}},
    {"§7.5", "stage_I_with_agitation",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "severe");
       SetFinding(c, "agitation", true);
     },
     {{Stage(), "I"}, {Plan("LORAZEPAM"), "recommended"}}},
    {"§7.5-B22", "stage_II_catatonia",
     [](json& c) {
       StageOneCase(c);
       SetFinding(c, "rigidity", "severe");
       SetFinding(c, "catatonia", true);
     },
     {{Stage(), "II"}, {Plan("LORAZEPAM"), "recommended"}}},
    {"§7.5", "not_with_mh", [](json& c) { AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100)); }, {{Plan("LORAZEPAM"), "absent"}}},
    {"§7.5", "not_without_pathway", [](json& c) { c["medications"] = json::array(); }, {{Plan("LORAZEPAM"), "absent"}}},
    // §7.6: stage V AND refractory, or catatonia_persistent; conditional when the decision is consider.
    {"§7.6-B22", "stage_V_refractory_with_consider_conditional", [](json& c) { SetFinding(c, "rigidity_refractory", true); },
     {{Decision(), "consider"}, {Plan("ECT"), "conditional"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"§7.6", "stage_V_refractory_contraindicated_consider",
     [](json& c) {
       SetFinding(c, "rigidity_refractory", true);
       Contraindicate(c);
     },
     {{Plan("ECT"), "consider"}, {Alt("ect"), "consider"}}},
    {"§7.6", "catatonia_persistent_consider_decision_conditional", [](json& c) { SetFinding(c, "catatonia_persistent", true); },
     {{Plan("ECT"), "conditional"}}},
    {"§7.6", "catatonia_persistent_not_indicated_consider",
     [](json& c) {
       SetFinding(c, "catatonia_persistent", true);
       SetFinding(c, "rigidity", "moderate");
     },
     {{Decision(), "not_indicated"}, {Plan("ECT"), "consider"}}},
    {"§7.6", "stage_IV_refractory_no_ect",
     [](json& c) {
       StageFour(c);
       SetFinding(c, "rigidity_refractory", true);
     },
     {{Stage(), "IV"}, {Plan("ECT"), "absent"}}},
    {"§7.6", "stage_V_not_refractory_no_ect", [](json&) {}, {{Plan("ECT"), "absent"}}},
    {"§7.6", "not_with_mh",
     [](json& c) {
       SetFinding(c, "rigidity_refractory", true);
       AddMed(c, GivenOnce("succinylcholine", -Hr(2), 100));
     },
     {{Plan("ECT"), "absent"}}},
    {"§7.6", "text_non_depolarising_relaxant",
     [](json& c) {
       SetFinding(c, "rigidity_refractory", true);
       Contraindicate(c);
     },
     {{PlanTextHas("ECT", "succinylcholine"), "yes"}, {AltCaution("ect", "NO_SUCCINYLCHOLINE"), "yes"}}},
    // COMBINATION_PROLONGS_RECOVERY (§7.1, §11.1).
    {"§11-COMBINATION", "ect_procedure_counted_with_consider",
     [](json& c) { c["procedures"] = {{{"kind", "ect"}, {"time", At(-Day(2))}}}; },
     {{Decision(), "consider"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "warning"}}},
    {"§11-COMBINATION", "one_therapy_but_not_consider_no_warning",
     [](json& c) {
       AddMed(c, ActiveMed("bromocriptine", -Day(2)));
       c["procedures"] = json::array();
       Contraindicate(c);
     },
     {{Decision(), "contraindicated"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"}}},
    {"§11-COMBINATION", "alternative_item_does_not_count", [](json&) {},
     {{Alt("bromocriptine"), "alternative"}, {Warning("COMBINATION_PROLONGS_RECOVERY"), "absent"},
      {Note("NOTE_COMBINATION_GATE"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesLorazepamEct, kLorazepamEctRows);

}  // namespace
}  // namespace nmscds::rules
