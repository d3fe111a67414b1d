// Differential diagnosis (§10), Hunter criteria (§4.4), DF-29 (catatonia). Base: S02 — sepsis
// must_exclude, MH unlikely, serotonin unlikely, anticholinergic unlikely, heat stroke unlikely, PHS
// unlikely, lethal catatonia possible (stupor, trigger present), CNS infection unlikely.
#include "rule_case_builder.h"

namespace nmscds::rules {
namespace {

void VItemsAbsent(json& c) {
  for (const char* k : {"sepsis", "hemodynamically_unstable", "pneumonia", "gram_positive_bacteremia",
                        "suspected_catheter_infection", "skin_soft_tissue_infection"}) {
    SetCtx(c, k, false);
  }
}
void Sertraline(json& c) { AddMed(c, ActiveMed("sertraline", -Day(100))); }
void Diphenhydramine(json& c) { AddMed(c, ActiveMed("diphenhydramine", -Day(1))); }
void NoTrigger(json& c) { c["medications"] = json::array(); }

const std::vector<Row> kSepsisRows = {
    {"§10-sepsis", "s02_must_exclude", [](json&) {}, {{Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis", "sepsis_syndrome_suspected", [](json& c) { SetCtx(c, "sepsis", true); }, {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "sepsis_condition_suspected", [](json& c) { c["conditions"].push_back({{"text", "sepsis"}, {"status", "active"}}); },
     {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V1_instability_suspected", [](json& c) { SetCtx(c, "hemodynamically_unstable", true); },
     {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V1_hypotension_suspected", [](json& c) { SetBp(c, {{85, 50}, {130, 72}}, {-Hr(6), -Hr(1)}); },
     {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V2_pneumonia_suspected", [](json& c) { SetCtx(c, "pneumonia", true); }, {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V3_culture_suspected", [](json& c) { SetCtx(c, "gram_positive_bacteremia", true); }, {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V4_catheter_suspected", [](json& c) { SetCtx(c, "suspected_catheter_infection", true); }, {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "V5_skin_suspected", [](json& c) { SetCtx(c, "skin_soft_tissue_infection", true); }, {{Diff("sepsis"), "suspected"}}},
    {"§10-sepsis", "colonisation_is_not_infection", [](json& c) { SetCtx(c, "mrsa_colonized", true); },
     {{Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis", "mucositis_is_not_infection", [](json& c) { SetCtx(c, "severe_mucositis", true); },
     {{Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis", "fn_present_must_exclude_even_with_negative_workup",
     [](json& c) {
       MakeFn(c);
       SetCtx(c, "workup_negative_for_other_causes", true);
     },
     {{Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis", "fn_presumed_must_exclude",
     [](json& c) {
       RemoveObs(c, "anc");
       SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
       SetCtx(c, "workup_negative_for_other_causes", true);
     },
     {{FnPresumed(), "true"}, {Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis", "negative_workup_all_known_absent_unlikely",
     [](json& c) {
       SetCtx(c, "workup_negative_for_other_causes", true);
       VItemsAbsent(c);
     },
     {{Diff("sepsis"), "unlikely"}}},
    {"§10-sepsis-B28", "negative_workup_items_unknown_possible", [](json& c) { SetCtx(c, "workup_negative_for_other_causes", true); },
     {{Diff("sepsis"), "possible"}}},
    {"§10-sepsis-B28", "negative_workup_fn_unknown_possible",
     [](json& c) {
       SetCtx(c, "workup_negative_for_other_causes", true);
       VItemsAbsent(c);
       RemoveObs(c, "anc");
     },
     {{FnStatus(), "unknown"}, {FnPresumed(), "false"}, {Diff("sepsis"), "possible"}}},
    {"§10-sepsis", "negative_workup_false_with_fever_must_exclude", [](json& c) { SetCtx(c, "workup_negative_for_other_causes", false); },
     {{Diff("sepsis"), "must_exclude"}}},
    {"§10-sepsis-B28", "afebrile_workup_unknown_possible",
     [](json& c) {
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
       VItemsAbsent(c);
     },
     {{Diff("sepsis"), "possible"}}},
    {"§10-sepsis-B28", "no_temperature_possible",
     [](json& c) {
       RemoveObs(c, "temperature", true);
       VItemsAbsent(c);
     },
     {{Diff("sepsis"), "possible"}}},
};
NMSCDS_RULES_TABLE(RulesDiffSepsis, kSepsisRows);

// Serotonin syndrome: S02 Hunter inputs are all known (clonus absent, agitation absent, diaphoresis
// present, tremor present, hyperreflexia absent; hypertonia follows severe rigidity, DF-32).
const std::vector<Row> kSerotoninRows = {
    {"§10-serotonin", "s02_no_exposure_unlikely", [](json&) {},
     {{Diff("serotonin_syndrome"), "unlikely"}, {DiffBasis("serotonin_syndrome", "hunter_met"), "false"},
      {DiffBasis("serotonin_syndrome", "hunter_h1"), "false"}, {DiffBasis("serotonin_syndrome", "hunter_h5"), "false"}}},
    {"H1", "spontaneous_clonus_suspected", [](json& c) { Sertraline(c); SetFinding(c, "spontaneous_clonus", true); },
     {{Diff("serotonin_syndrome"), "suspected"}, {DiffBasis("serotonin_syndrome", "hunter_h1"), "true"},
      {DiffBasis("serotonin_syndrome", "hunter_met"), "true"}, {Warning("SEROTONERGIC_OVERLAP"), "warning"}}},
    {"H2", "inducible_clonus_and_diaphoresis", [](json& c) { Sertraline(c); SetFinding(c, "inducible_clonus", true); },
     {{Diff("serotonin_syndrome"), "suspected"}, {DiffBasis("serotonin_syndrome", "hunter_h2"), "true"}}},
    {"H2", "inducible_clonus_and_agitation",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "agitation", true);
       SetFinding(c, "inducible_clonus", true);
       SetFinding(c, "hypertonia", false);
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h2"), "true"}, {Diff("serotonin_syndrome"), "suspected"}}},
    {"H2", "inducible_clonus_without_agitation_or_diaphoresis",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "inducible_clonus", true);
       SetFinding(c, "hypertonia", false);
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h2"), "false"}, {Diff("serotonin_syndrome"), "unlikely"}}},
    {"H3", "ocular_clonus_and_diaphoresis", [](json& c) { Sertraline(c); SetFinding(c, "ocular_clonus", true); },
     {{DiffBasis("serotonin_syndrome", "hunter_h3"), "true"}, {Diff("serotonin_syndrome"), "suspected"}}},
    {"H4", "tremor_and_hyperreflexia", [](json& c) { Sertraline(c); SetFinding(c, "hyperreflexia", true); },
     {{DiffBasis("serotonin_syndrome", "hunter_h4"), "true"}, {Diff("serotonin_syndrome"), "suspected"}}},
    {"H4", "hyperreflexia_without_tremor",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "hyperreflexia", true);
       SetFinding(c, "tremor", false);
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h4"), "false"}}},
    {"H5", "hypertonia_fever_ocular_clonus",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "ocular_clonus", true);
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h3"), "false"}, {DiffBasis("serotonin_syndrome", "hunter_h5"), "true"},
      {Diff("serotonin_syndrome"), "suspected"}}},
    {"H5", "temperature_38_00_not_above",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "ocular_clonus", true);
       SetTemps(c, {{38.0, -Hr(6)}, {38.0, -Hr(1)}});
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h5"), "false"}, {Diff("serotonin_syndrome"), "unlikely"}}},
    {"H5-DF-32", "hypertonia_input_false_overrides_rigidity",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "ocular_clonus", true);
       SetFinding(c, "hypertonia", false);
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h5"), "false"}}},
    {"H5-DF-32", "hypertonia_follows_rigidity_none",
     [](json& c) {
       Sertraline(c);
       SetFinding(c, "diaphoresis", false);
       SetFinding(c, "ocular_clonus", true);
       SetFinding(c, "rigidity", "none");
     },
     {{DiffBasis("serotonin_syndrome", "hunter_h5"), "false"}}},
    {"§10-serotonin", "exposure_all_rules_false_unlikely", Sertraline,
     {{Diff("serotonin_syndrome"), "unlikely"}, {DiffBasis("serotonin_syndrome", "hunter_met"), "false"}}},
    {"§10-serotonin", "exposure_hunter_unknown_possible", [](json& c) { Sertraline(c); UnsetFinding(c, "spontaneous_clonus"); },
     {{Diff("serotonin_syndrome"), "possible"}, {DiffBasis("serotonin_syndrome", "hunter_met"), "unknown"},
      {Missing("serotonin_findings"), "!absent"}}},
    {"§10-serotonin", "no_exposure_clonus_unlikely", [](json& c) { SetFinding(c, "spontaneous_clonus", true); },
     {{Diff("serotonin_syndrome"), "unlikely"}}},
    {"§10-serotonin", "exposure_unknown_rule_true_possible",
     [](json& c) {
       c.erase("medications");
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "possible"}}},
    {"§10-serotonin", "exposure_unknown_all_rules_false_unlikely", [](json& c) { c.erase("medications"); },
     {{Diff("serotonin_syndrome"), "unlikely"}}},
    {"§10-serotonin", "exposure_unknown_rules_unknown_possible",
     [](json& c) {
       c.erase("medications");
       UnsetFinding(c, "spontaneous_clonus");
     },
     {{Diff("serotonin_syndrome"), "possible"}}},
    {"DF-14", "sertraline_stopped_exactly_72h_exposed",
     [](json& c) {
       AddMed(c, StoppedMed("sertraline", -Day(100), -Hr(72)));
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "suspected"}}},
    {"DF-14", "sertraline_stopped_73h_not_exposed",
     [](json& c) {
       AddMed(c, StoppedMed("sertraline", -Day(100), -Hr(73)));
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "unlikely"}}},
    {"DF-14", "ondansetron_is_serotonergic",
     [](json& c) {
       AddMed(c, ActiveMed("ondansetron", -Day(1)));
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "suspected"}, {Warning("SEROTONERGIC_OVERLAP"), "warning"}}},
    {"DF-14", "fentanyl_is_serotonergic",
     [](json& c) {
       AddMed(c, ActiveMed("fentanyl", -Day(1)));
       SetFinding(c, "spontaneous_clonus", true);
     },
     {{Diff("serotonin_syndrome"), "suspected"}}},
};
NMSCDS_RULES_TABLE(RulesDiffSerotonin, kSerotoninRows);

const std::vector<Row> kAnticholinergicRows = {
    {"§10-anticholinergic", "s02_unlikely", [](json&) {}, {{Diff("anticholinergic_toxicity"), "unlikely"}}},
    {"§10-anticholinergic", "exposure_dry_mydriasis_retention_suspected",
     [](json& c) {
       Diphenhydramine(c);
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
       SetFinding(c, "urinary_retention", true);
     },
     {{Diff("anticholinergic_toxicity"), "suspected"}}},
    {"§10-anticholinergic", "exposure_dry_mydriasis_bowel_decreased_suspected",
     [](json& c) {
       Diphenhydramine(c);
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
       SetFinding(c, "bowel_sounds", "decreased");
     },
     {{Diff("anticholinergic_toxicity"), "suspected"}}},
    {"§10-anticholinergic", "exposure_dry_mydriasis_bowel_absent_suspected",
     [](json& c) {
       Diphenhydramine(c);
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
       SetFinding(c, "bowel_sounds", "absent");
     },
     {{Diff("anticholinergic_toxicity"), "suspected"}}},
    {"§10-anticholinergic", "olanzapine_is_antimuscarinic",
     [](json& c) {
       AddMed(c, ActiveMed("olanzapine", -Day(1)));
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
       SetFinding(c, "urinary_retention", true);
     },
     {{Diff("anticholinergic_toxicity"), "suspected"}}},
    {"§10-anticholinergic", "exposure_dry_mydriasis_only_possible",
     [](json& c) {
       Diphenhydramine(c);
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
    {"§10-anticholinergic", "exposure_one_feature_possible",
     [](json& c) {
       Diphenhydramine(c);
       SetFinding(c, "mydriasis", true);
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
    {"§10-anticholinergic", "exposure_all_features_absent_unlikely", Diphenhydramine,
     {{Diff("anticholinergic_toxicity"), "unlikely"}}},
    {"§10-anticholinergic", "exposure_feature_unknown_possible",
     [](json& c) {
       Diphenhydramine(c);
       UnsetFinding(c, "urinary_retention");
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
    {"§10-anticholinergic", "no_exposure_dry_and_mydriasis_possible",
     [](json& c) {
       SetFinding(c, "dry_skin", true);
       SetFinding(c, "mydriasis", true);
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
    {"§10-anticholinergic", "no_exposure_dry_only_unlikely", [](json& c) { SetFinding(c, "dry_skin", true); },
     {{Diff("anticholinergic_toxicity"), "unlikely"}}},
    {"§10-anticholinergic", "exposure_unknown_all_features_absent_unlikely", [](json& c) { c.erase("medications"); },
     {{Diff("anticholinergic_toxicity"), "unlikely"}}},
    {"§10-anticholinergic-B28", "exposure_unknown_dry_skin_unknown_possible",
     [](json& c) {
       c.erase("medications");
       UnsetFinding(c, "dry_skin");
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
    {"§10-anticholinergic-B28", "dry_and_mydriasis_not_recorded_possible",
     [](json& c) {
       UnsetFinding(c, "dry_skin");
       UnsetFinding(c, "mydriasis");
     },
     {{Diff("anticholinergic_toxicity"), "possible"}}},
};
NMSCDS_RULES_TABLE(RulesDiffAnticholinergic, kAnticholinergicRows);

const std::vector<Row> kHeatRows = {
    {"§10-heat", "s02_heat_exposure_false_unlikely", [](json&) {}, {{Diff("heat_stroke"), "unlikely"}}},
    {"§10-heat", "exposure_40_6_altered_suspected", [](json& c) { SetCtx(c, "heat_exposure", true); },
     {{Diff("heat_stroke"), "suspected"}}},
    {"§10-heat", "tmax_40_00_not_above_unlikely",
     [](json& c) {
       SetCtx(c, "heat_exposure", true);
       SetTemps(c, {{39.5, -Hr(6)}, {40.0, -Hr(1)}});
     },
     {{Diff("heat_stroke"), "unlikely"}}},
    {"§10-heat", "tmax_40_01_suspected",
     [](json& c) {
       SetCtx(c, "heat_exposure", true);
       SetTemps(c, {{39.5, -Hr(6)}, {40.01, -Hr(1)}});
     },
     {{Diff("heat_stroke"), "suspected"}}},
    {"§10-heat-B28", "exposure_unknown_possible", [](json& c) { UnsetCtx(c, "heat_exposure"); },
     {{Diff("heat_stroke"), "possible"}}},
    {"§10-heat", "exposure_unknown_tmax_39_unlikely",
     [](json& c) {
       UnsetCtx(c, "heat_exposure");
       SetTemps(c, {{39.0, -Hr(6)}, {39.0, -Hr(1)}});
     },
     {{Diff("heat_stroke"), "unlikely"}}},
    {"§10-heat", "mental_status_normal_unlikely",
     [](json& c) {
       SetCtx(c, "heat_exposure", true);
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Diff("heat_stroke"), "unlikely"}}},
    {"§10-heat-B28", "no_temperature_within_24h_possible",
     [](json& c) {
       SetCtx(c, "heat_exposure", true);
       SetTemps(c, {{40.5, -Hr(30)}});
     },
     {{Diff("heat_stroke"), "possible"}}},
    {"§10-heat-B28", "mental_status_unknown_possible",
     [](json& c) {
       SetCtx(c, "heat_exposure", true);
       UnsetFinding(c, "mental_status");
       RemoveObs(c, "gcs");
     },
     {{Diff("heat_stroke"), "possible"}}},
};
NMSCDS_RULES_TABLE(RulesDiffHeat, kHeatRows);

const std::vector<Row> kCatatoniaRows = {
    // DF-29: present if mental status catatonic/stupor or catatonia present; absent if mental status known
    // and neither, and catatonia absent. Lethal catatonia: suspected = catatonia AND trigger absent AND
    // (hyperthermia or autonomic dysfunction present).
    {"§10-catatonia", "s02_stupor_trigger_present_possible", [](json&) {}, {{Diff("lethal_catatonia"), "possible"}}},
    {"§10-catatonia", "no_trigger_catatonia_fever_suspected",
     [](json& c) {
       NoTrigger(c);
       SetFinding(c, "catatonia", true);
     },
     {{Diff("lethal_catatonia"), "suspected"}}},
    {"§10-catatonia", "no_trigger_catatonia_autonomic_only_suspected",
     [](json& c) {
       NoTrigger(c);
       SetFinding(c, "catatonia", true);
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{Diff("lethal_catatonia"), "suspected"}}},
    {"§10-catatonia-B28", "no_trigger_catatonia_no_fever_no_autonomic_possible",
     [](json& c) {
       NoTrigger(c);
       SetFinding(c, "catatonia", true);
       AutonomicAbsent(c);
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
     },
     {{Diff("lethal_catatonia"), "possible"}}},
    {"§10-catatonia", "trigger_unknown_catatonia_possible",
     [](json& c) {
       c.erase("medications");
       SetFinding(c, "catatonia", true);
     },
     {{Diff("lethal_catatonia"), "possible"}}},
    {"DF-29", "confused_catatonia_false_unlikely", [](json& c) { SetFinding(c, "mental_status", "confused"); },
     {{Diff("lethal_catatonia"), "unlikely"}}},
    {"DF-29", "confused_catatonia_unknown_possible",
     [](json& c) {
       SetFinding(c, "mental_status", "confused");
       UnsetFinding(c, "catatonia");
     },
     {{Diff("lethal_catatonia"), "possible"}}},
    {"DF-29", "catatonic_mental_status_catatonia_false_present",
     [](json& c) { SetFinding(c, "mental_status", "catatonic"); }, {{Diff("lethal_catatonia"), "possible"}}},
    {"DF-29", "mental_status_unknown_catatonia_false_unknown",
     [](json& c) { UnsetFinding(c, "mental_status"); }, {{Diff("lethal_catatonia"), "possible"}}},
};
NMSCDS_RULES_TABLE(RulesDiffCatatonia, kCatatoniaRows);

const std::vector<Row> kCnsRows = {
    {"§10-cns", "s02_unlikely", [](json&) {}, {{Diff("cns_infection"), "unlikely"}}},
    {"§10-cns", "neck_stiffness_must_exclude", [](json& c) { SetFinding(c, "neck_stiffness", true); },
     {{Diff("cns_infection"), "must_exclude"}}},
    {"§10-cns", "headache_must_exclude", [](json& c) { SetFinding(c, "headache", true); }, {{Diff("cns_infection"), "must_exclude"}}},
    {"§10-cns-B28", "neck_stiffness_unknown_possible", [](json& c) { UnsetFinding(c, "neck_stiffness"); },
     {{Diff("cns_infection"), "possible"}}},
    {"§10-cns", "fn_with_altered_mental_status_possible", MakeFn, {{Diff("cns_infection"), "possible"}}},
    {"§10-cns", "fn_with_normal_mental_status_unlikely",
     [](json& c) {
       MakeFn(c);
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Diff("cns_infection"), "unlikely"}}},
    {"§10-cns", "afebrile_fn_absent_meningism_unknown_unlikely",
     [](json& c) {
       SetTemps(c, {{37.0, -Hr(6)}, {37.2, -Hr(1)}});
       UnsetFinding(c, "neck_stiffness");
       UnsetFinding(c, "headache");
     },
     {{Diff("cns_infection"), "unlikely"}}},
    {"§10-cns-B28", "fn_unknown_altered_possible", [](json& c) { RemoveObs(c, "anc"); },
     {{FnStatus(), "unknown"}, {Diff("cns_infection"), "possible"}}},
    {"§10-cns-B28", "hyperthermia_unknown_with_neck_stiffness_possible",
     [](json& c) {
       RemoveObs(c, "temperature", true);
       SetFinding(c, "neck_stiffness", true);
     },
     {{Diff("cns_infection"), "possible"}}},
    {"§10-cns", "mental_status_normal_with_neck_stiffness_unlikely",
     [](json& c) {
       SetFinding(c, "neck_stiffness", true);
       SetFinding(c, "mental_status", "normal");
       SetSeries(c, "gcs", "{score}", {{15, -Hr(1)}});
     },
     {{Diff("cns_infection"), "unlikely"}}},
};
NMSCDS_RULES_TABLE(RulesDiffCns, kCnsRows);

const std::vector<Row> kPhsRows = {
    {"§10-PHS", "withdrawal_72h_with_d2_possible",
     [](json& c) { AddMed(c, StoppedMed("levodopa", -Day(300), -Hr(60))); },
     {{Diff("parkinsonism_hyperpyrexia"), "possible"}}},
    {"§10-PHS", "withdrawal_72h_pattern_unknown_possible",
     [](json& c) {
       RemoveMed(c, "haloperidol");
       AddMed(c, StoppedMed("levodopa", -Day(300), -Hr(60)));
       AddMed(c, {{"name", "olanzapine"}, {"status", "completed"}});
     },
     {{Diff("parkinsonism_hyperpyrexia"), "possible"}}},
    {"§10-PHS", "all_eight_conditions_listed", [](json&) {},
     {{Path("differential.0.condition"), "sepsis"},
      {Path("differential.1.condition"), "malignant_hyperthermia"},
      {Path("differential.2.condition"), "serotonin_syndrome"},
      {Path("differential.3.condition"), "anticholinergic_toxicity"},
      {Path("differential.4.condition"), "heat_stroke"},
      {Path("differential.5.condition"), "parkinsonism_hyperpyrexia"},
      {Path("differential.6.condition"), "lethal_catatonia"},
      {Path("differential.7.condition"), "cns_infection"},
      {Path("differential.8"), "absent"}}},
};
NMSCDS_RULES_TABLE(RulesDiffPhs, kPhsRows);

}  // namespace
}  // namespace nmscds::rules
