#pragma once
// Every text template the engine uses, with the placeholders it supplies. kb/texts.json must hold an
// entry for each id; `kb verify` checks that each template uses only the listed placeholders.
//
// NMSCDS_TEXT_IDS(X): X(enum name, "id in texts.json", "space-separated placeholders")
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nmscds {

#define NMSCDS_TEXT_IDS(X) \
  X(kLabelStageI, "label.woodbury.I", "") \
  X(kLabelStageII, "label.woodbury.II", "") \
  X(kLabelStageIII, "label.woodbury.III", "") \
  X(kLabelStageIV, "label.woodbury.IV", "") \
  X(kLabelStageV, "label.woodbury.V", "") \
  X(kLabelStageUnknown, "label.woodbury.unknown", "") \
  X(kLabelStageNotStaged, "label.woodbury.not_staged", "") \
  X(kLabAlt, "label.lab.alt", "") \
  X(kLabAst, "label.lab.ast", "") \
  X(kLabBilirubin, "label.lab.total_bilirubin", "") \
  X(kLabCk, "label.lab.ck", "") \
  X(kLabAnc, "label.lab.anc", "") \
  X(kLabCreatinine, "label.lab.creatinine", "") \
  X(kLabPotassium, "label.lab.potassium", "") \
  X(kFeatureHyperthermia, "label.feature.hyperthermia", "") \
  X(kFeatureRigidity, "label.feature.rigidity", "") \
  X(kFeatureMentalStatus, "label.feature.mental_status", "") \
  X(kFeatureAutonomic, "label.feature.autonomic", "") \
  X(kRequestTemperature, "label.request.temperature", "") \
  X(kRequestRigidity, "label.request.rigidity", "") \
  X(kRequestMentalStatus, "label.request.mental_status", "") \
  X(kRequestAutonomic, "label.request.autonomic", "") \
  X(kReasonMhTrigger, "reason.mh_trigger_within_24h", "agents") \
  X(kReasonMhFeatures, "reason.mh_clinical_features", "features") \
  X(kReasonSuspicionUnlikely, "reason.nms_suspicion_unlikely", "") \
  X(kReasonLiverDiseaseKnown, "reason.liver_disease_known", "detail") \
  X(kReasonAltAboveUlnRange, "reason.alt_above_uln.reference_range", "value uln") \
  X(kReasonAltAboveUlnDefault, "reason.alt_above_uln.default", "value uln") \
  X(kReasonAstAboveUlnRange, "reason.ast_above_uln.reference_range", "value uln") \
  X(kReasonAstAboveUlnDefault, "reason.ast_above_uln.default", "value uln") \
  X(kReasonBilirubinAboveUlnRange, "reason.bilirubin_above_uln.reference_range", "value uln") \
  X(kReasonBilirubinAboveUlnDefault, "reason.bilirubin_above_uln.default", "value uln") \
  X(kReasonIvAccessPoor, "reason.iv_access_poor", "") \
  X(kReasonIvAccessNone, "reason.iv_access_none", "") \
  X(kReasonD2Polypharmacy, "reason.d2_polypharmacy", "count agents") \
  X(kReasonMultipleConcurrentTherapies, "reason.multiple_concurrent_nms_therapies", "count therapies") \
  X(kReasonCcbNonDihydropyridine, "reason.ccb_non_dihydropyridine_active", "agents") \
  X(kReasonCapReached, "reason.cumulative_24h_cap_reached", "given_mg cap_mg max_mg_per_kg") \
  X(kReasonRigidityNotSevere, "reason.rigidity_not_severe_not_refractory", "grade") \
  X(kReasonNoTrigger, "reason.no_nms_trigger", "") \
  X(kReasonStageBelowIii, "reason.stage_below_iii", "stage label") \
  X(kReasonNotStaged, "reason.stage_below_iii.not_staged", "") \
  X(kReasonHepaticUnknownLabs, "reason.hepatic_status_unknown.labs", "labs") \
  X(kReasonHepaticUnknownHistory, "reason.hepatic_status_unknown.history", "labs") \
  X(kReasonHepaticUnknownBoth, "reason.hepatic_status_unknown.both", "labs") \
  X(kReasonIvAccessUnknown, "reason.iv_access_unknown", "") \
  X(kReasonExposureUnknownNoList, "reason.exposure_pattern_unknown.no_list", "") \
  X(kReasonExposureUnknownTiming, "reason.exposure_pattern_unknown.timing", "entries") \
  X(kReasonExposureUnknownCcb, "reason.exposure_pattern_unknown.ccb", "entries") \
  X(kReasonExposureUnknownDopaminergic, "reason.exposure_pattern_unknown.dopaminergic", "entries") \
  X(kReasonRigidityNotRecorded, "reason.rigidity_grade_unknown.not_recorded", "") \
  X(kReasonRigidityUngraded, "reason.rigidity_grade_unknown.ungraded", "") \
  X(kReasonStageUnknown, "reason.stage_unknown", "") \
  X(kReasonPriorDantroleneNoList, "reason.prior_dantrolene_amount_unknown.no_list", "") \
  X(kReasonPriorDantroleneAmount, "reason.prior_dantrolene_amount_unknown.amount", "entries") \
  X(kReasonWeightUnknownPrior, "reason.weight_unknown_with_prior_dantrolene", "") \
  X(kReasonConcurrentNoList, "reason.concurrent_therapies_unknown.no_list", "") \
  X(kReasonConcurrentEctUnknown, "reason.concurrent_therapies_unknown.ect", "therapies") \
  X(kReasonConcurrentStartUnknown, "reason.concurrent_therapies_unknown.start", "entries") \
  X(kReasonSevereRigidity, "reason.indication_severe_rigidity", "") \
  X(kReasonRefractoryRigidity, "reason.indication_refractory_rigidity", "") \
  X(kReasonGatesPassed, "reason.gates_passed", "") \
  X(kPreconditionSecureAccess, "precondition.secure_central_or_large_bore_access_first", "") \
  X(kPreconditionNasogastricTube, "precondition.place_nasogastric_tube", "") \
  X(kPreconditionConfirmEnteral, "precondition.confirm_enteral_route", "") \
  X(kDantroleneReconstitution, "dantrolene.reconstitution", "vial_mg diluent_ml mannitol_g") \
  X(kDantroleneAccess, "dantrolene.access", "") \
  X(kDantroleneAccessMh, "dantrolene.access.mh", "") \
  X(kDantroleneStopWhen, "dantrolene.stop_when", "") \
  X(kDantroleneStopWhenMh, "dantrolene.stop_when.mh", "") \
  X(kDantroleneTextNms, "dantrolene.text.nms", "weight_kg low_mg_per_kg high_mg_per_kg low_mg high_mg low_vials high_vials repeat_mg_per_kg repeat_mg interval_h max_mg_per_kg max_mg mannitol_g diluent_ml vial_mg") \
  X(kDantroleneTextNoWeight, "dantrolene.text.nms.no_weight", "low_mg_per_kg high_mg_per_kg repeat_mg_per_kg interval_h max_mg_per_kg") \
  X(kDantroleneTextMh, "dantrolene.text.mh", "weight_kg bolus_mg_per_kg bolus_mg vials max_mg_per_kg max_mg post_mg_per_kg post_interval_low_h post_interval_high_h vial_mg") \
  X(kDantroleneTextMhNoWeight, "dantrolene.text.mh.no_weight", "bolus_mg_per_kg max_mg_per_kg post_mg_per_kg post_interval_low_h post_interval_high_h") \
  X(kDantroleneBelowUsual, "dantrolene.text.below_usual", "remaining_mg") \
  X(kDantroleneAllowance, "dantrolene.text.allowance", "given_mg remaining_mg") \
  X(kDantroleneAllowanceUnknown, "dantrolene.text.allowance_unknown", "") \
  X(kDantroleneLeavesWindow, "dantrolene.text.leaves_window", "leaves_at") \
  X(kRegimenBromocriptine, "regimen.bromocriptine", "start_mg step_mg max_mg interval_h max_daily_mg") \
  X(kRegimenAmantadineRange, "regimen.amantadine.range", "dose_mg high_mg interval_h interval_days basis") \
  X(kRegimenAmantadineElderly, "regimen.amantadine.elderly", "dose_mg high_mg interval_h interval_days basis") \
  X(kRegimenAmantadineSingle, "regimen.amantadine.single", "dose_mg high_mg interval_h interval_days basis") \
  X(kRegimenAmantadineLowest, "regimen.amantadine.lowest", "dose_mg high_mg interval_h interval_days basis") \
  X(kRegimenAmantadineUnknown, "regimen.amantadine.crcl_unknown", "missing") \
  X(kRegimenAmantadineUnknownPref2, "regimen.amantadine.crcl_unknown.pref2", "missing") \
  X(kRegimenAmantadineBasisCrcl, "regimen.amantadine.basis.crcl", "crcl") \
  X(kRegimenAmantadineBasisDialysis, "regimen.amantadine.basis.dialysis", "") \
  X(kRegimenLorazepam, "regimen.lorazepam", "low_mg high_mg interval_low_h interval_high_h") \
  X(kCautionHypotension, "caution.HYPOTENSION", "") \
  X(kCautionHypotensionPresent, "caution.HYPOTENSION.present", "") \
  X(kCautionAspiration, "caution.ASPIRATION", "") \
  X(kCautionPsychosisBromocriptine, "caution.PSYCHOSIS.bromocriptine", "") \
  X(kCautionPsychosisAmantadine, "caution.PSYCHOSIS.amantadine", "") \
  X(kCautionSerotoninSyndrome, "caution.SEROTONIN_SYNDROME", "") \
  X(kCautionCardiovascular, "caution.CARDIOVASCULAR", "") \
  X(kCautionNoAbruptStop, "caution.NO_ABRUPT_STOP", "") \
  X(kCautionRecheckCrcl, "caution.RECHECK_CRCL", "") \
  X(kCautionRespiratoryDepression, "caution.RESPIRATORY_DEPRESSION", "") \
  X(kCautionNoRestraint, "caution.NO_RESTRAINT", "") \
  X(kCautionNoSuccinylcholine, "caution.NO_SUCCINYLCHOLINE", "") \
  X(kPreference1, "preference.PREF-1", "drug status crcl") \
  X(kPreference2, "preference.PREF-2", "drug status crcl") \
  X(kPreference3, "preference.PREF-3", "drug status crcl") \
  X(kPreference4, "preference.PREF-4", "drug status crcl") \
  X(kPlanDopaminergicPreferred, "plan.dopaminergic.preferred", "drug regimen preference preferred stopped status dose") \
  X(kPlanDopaminergicOther, "plan.dopaminergic.other", "drug regimen preference preferred stopped status dose") \
  X(kPlanDopaminergicInsteadOfDantrolene, "plan.dopaminergic.instead_of_dantrolene", "drug regimen preference preferred stopped status dose") \
  X(kPlanDopaminergicOnlyIfNoRestart, "plan.dopaminergic.only_if_no_restart", "drug regimen preference preferred stopped status dose") \
  X(kPlanDopaminergicNotIndicated, "plan.dopaminergic.not_indicated", "drug regimen preference preferred stopped status dose") \
  X(kPlanDopaminergicContinue, "plan.dopaminergic.continue", "drug regimen preference preferred stopped status dose") \
  X(kPlanEct, "plan.ECT", "") \
  X(kPlanEctConditional, "plan.ECT.conditional", "") \
  X(kPlanStopAgent, "plan.STOP_DOPAMINE_ANTAGONISTS.agent", "name class last_dose") \
  X(kPlanStopAgentActive, "plan.STOP_DOPAMINE_ANTAGONISTS.agent_running", "name class") \
  X(kPlanStopAgents, "plan.STOP_DOPAMINE_ANTAGONISTS", "agents") \
  X(kPlanStopDepot, "plan.STOP_DOPAMINE_ANTAGONISTS.depot", "agents") \
  X(kPlanStopUnknownPattern, "plan.STOP_DOPAMINE_ANTAGONISTS.unknown", "") \
  X(kPlanStopAntiemetic, "plan.STOP_DOPAMINE_ANTAGONISTS.antiemetic", "") \
  X(kPlanStopAntiemeticSerotonergic, "plan.STOP_DOPAMINE_ANTAGONISTS.antiemetic_serotonergic", "") \
  X(kPlanStopLithium, "plan.STOP_DOPAMINE_ANTAGONISTS.lithium", "") \
  X(kPlanStopTail, "plan.STOP_DOPAMINE_ANTAGONISTS.tail", "weeks") \
  X(kPlanRestartAgent, "plan.RESTART_DOPAMINERGIC.agent", "name dose stopped") \
  X(kPlanRestart, "plan.RESTART_DOPAMINERGIC", "agents") \
  X(kPlanRestartIsTherapy, "plan.RESTART_DOPAMINERGIC.is_therapy", "") \
  X(kPlanStopMhTriggers, "plan.STOP_MH_TRIGGERS", "") \
  X(kPlanCool, "plan.COOLING_AND_FLUIDS", "") \
  X(kPlanCoolFluidsWeight, "plan.COOLING_AND_FLUIDS.fluids", "ml_h ml_kg_h because") \
  X(kPlanCoolFluidsNoWeight, "plan.COOLING_AND_FLUIDS.fluids_no_weight", "ml_kg_h because") \
  X(kPlanCoolBecauseCk, "plan.COOLING_AND_FLUIDS.because_ck", "") \
  X(kPlanCoolBecauseCkUnknown, "plan.COOLING_AND_FLUIDS.because_ck_unknown", "") \
  X(kPlanCoolBecauseDefault, "plan.COOLING_AND_FLUIDS.because_default", "") \
  X(kPlanCoolAki, "plan.COOLING_AND_FLUIDS.aki", "ck") \
  X(kPlanCoolExtreme, "plan.COOLING_AND_FLUIDS.extreme", "temperature") \
  X(kPlanCoolNoRestraint, "plan.COOLING_AND_FLUIDS.no_restraint", "") \
  X(kPlanIcuTransfer, "plan.ICU_TRANSFER", "") \
  X(kPlanIcuContinue, "plan.ICU_TRANSFER.icu", "") \
  X(kPlanDocument, "plan.DOCUMENT_CARDINAL_FEATURES", "count") \
  X(kPlanDocumentPresent, "plan.DOCUMENT_CARDINAL_FEATURES.present", "items") \
  X(kPlanDocumentAbsent, "plan.DOCUMENT_CARDINAL_FEATURES.absent", "items") \
  X(kPlanDocumentRequest, "plan.DOCUMENT_CARDINAL_FEATURES.request", "items") \
  X(kPlanDocumentTail, "plan.DOCUMENT_CARDINAL_FEATURES.tail", "") \
  X(kPlanExposure, "plan.EXPOSURE_PATTERN", "pattern agents") \
  X(kPlanExposureAgent, "plan.EXPOSURE_PATTERN.agent", "name class since depot") \
  X(kPlanExposureAgentSince, "plan.EXPOSURE_PATTERN.agent_since", "name class since depot") \
  X(kPlanExposureDepot, "plan.EXPOSURE_PATTERN.depot", "") \
  X(kPlanExposureUndetermined, "plan.EXPOSURE_PATTERN.undetermined", "entries") \
  X(kPlanExposureNoList, "plan.EXPOSURE_PATTERN.no_list", "") \
  X(kPlanExposureAntiemetic, "plan.EXPOSURE_PATTERN.antiemetic", "") \
  X(kPlanExposureWithdrawal, "plan.EXPOSURE_PATTERN.withdrawal", "name stopped") \
  X(kPlanExposureTail, "plan.EXPOSURE_PATTERN.tail", "") \
  X(kPlanBaselineLabs, "plan.BASELINE_LABS", "tests") \
  X(kPlanBaselineLabsNone, "plan.BASELINE_LABS.none", "test") \
  X(kPlanBaselineLabsStale, "plan.BASELINE_LABS.stale", "test age") \
  X(kPlanDantroleneConsider, "plan.DANTROLENE.consider", "regimen") \
  X(kPlanDantroleneMh, "plan.DANTROLENE.mh", "regimen") \
  X(kAbxAgentsNone, "antibiotics.agents.none", "") \
  X(kAbxAgentsNonSevere, "antibiotics.agents.non_severe", "") \
  X(kAbxAgentsSevere, "antibiotics.agents.severe", "") \
  X(kAbxAgentsSevereAfterFq, "antibiotics.agents.severe_after_fq", "") \
  X(kAbxAgentsUnknown, "antibiotics.agents.unknown", "") \
  X(kPlanEmpiricAntibiotics, "plan.EMPIRIC_ANTIBIOTICS", "agents minutes by") \
  X(kPlanEmpiricAntibioticsPresumed, "plan.EMPIRIC_ANTIBIOTICS.presumed", "agents minutes by") \
  X(kPlanEmpiricAntibioticsPresumedTrendUnknown, "plan.EMPIRIC_ANTIBIOTICS.presumed_trend_unknown", "agents minutes by anc") \
  X(kPlanContinueAntibiotics, "plan.CONTINUE_ANTIBIOTICS", "anc review_low_days review_high_days") \
  X(kVancV1, "vancomycin.V1", "") \
  X(kVancV2, "vancomycin.V2", "") \
  X(kVancV3, "vancomycin.V3", "") \
  X(kVancV4, "vancomycin.V4", "") \
  X(kVancV5, "vancomycin.V5", "") \
  X(kVancV6, "vancomycin.V6", "") \
  X(kVancV7, "vancomycin.V7", "") \
  X(kPlanVancomycin, "plan.VANCOMYCIN", "indications review_low_h review_high_h") \
  X(kPlanVancomycinContinue, "plan.VANCOMYCIN.continue", "indications review_low_h review_high_h") \
  X(kPlanVancomycinVre, "plan.VANCOMYCIN.vre", "indications review_low_h review_high_h") \
  X(kPlanVancomycinConditional, "plan.VANCOMYCIN.conditional", "items") \
  X(kPlanVancomycinNotIndicated, "plan.VANCOMYCIN.not_indicated", "") \
  X(kGcsfA, "gcsf.G-a", "anc") \
  X(kGcsfB, "gcsf.G-b", "days") \
  X(kGcsfC, "gcsf.G-c", "") \
  X(kGcsfD, "gcsf.G-d", "age") \
  X(kGcsfE, "gcsf.G-e", "") \
  X(kGcsfF, "gcsf.G-f", "") \
  X(kGcsfG, "gcsf.G-g", "") \
  X(kGcsfH, "gcsf.G-h", "") \
  X(kPlanGcsfConsider, "plan.GCSF.consider", "factors unknown") \
  X(kPlanGcsfConditional, "plan.GCSF.conditional", "factors unknown") \
  X(kPlanGcsfNotIndicated, "plan.GCSF.not_indicated", "factors unknown") \
  X(kPlanAntifungal, "plan.ANTIFUNGAL", "hours idsa") \
  X(kAntifungalIdsaMet, "antifungal.idsa.met", "") \
  X(kAntifungalIdsaNotMet, "antifungal.idsa.not_met", "") \
  X(kAntifungalIdsaUnknown, "antifungal.idsa.unknown", "") \
  X(kAntifungalPrefer, "antifungal.prefer", "agent") \
  X(kAntifungalVoriconazoleCaution, "antifungal.voriconazole_caution", "") \
  X(kAntifungalCyp3a4, "antifungal.cyp3a4", "") \
  X(kAntifungalAmphotericinCaution, "antifungal.amphotericin_caution", "") \
  X(kAntifungalSwitchClass, "antifungal.switch_class", "") \
  X(kMonitorVitals, "plan.VITALS_CONTINUOUS", "") \
  X(kMonitorCkRenal, "plan.CK_RENAL_POTASSIUM_DAILY", "") \
  X(kMonitorCkRenalHighCk, "plan.CK_RENAL_POTASSIUM_DAILY.high_ck", "") \
  X(kMonitorHyperkalaemia, "plan.CK_RENAL_POTASSIUM_DAILY.hyperkalaemia", "potassium") \
  X(kMonitorLft, "plan.LFT_DAILY", "hours") \
  X(kMonitorLftDantrolene, "plan.LFT_DAILY.dantrolene", "hours") \
  X(kMonitorInjectionSite, "plan.INJECTION_SITE", "") \
  X(kDiffSepsisSuspected, "differential.sepsis.suspected", "") \
  X(kDiffSepsisMustExcludeFn, "differential.sepsis.must_exclude_fn", "") \
  X(kDiffSepsisMustExcludeFever, "differential.sepsis.must_exclude_fever", "") \
  X(kDiffSepsisUnlikely, "differential.sepsis.unlikely", "") \
  X(kDiffSepsisPossible, "differential.sepsis.possible", "") \
  X(kDiffMhSuspected, "differential.malignant_hyperthermia.suspected", "") \
  X(kDiffMhPossibleExposure, "differential.malignant_hyperthermia.possible_exposure", "") \
  X(kDiffMhMustExclude, "differential.malignant_hyperthermia.must_exclude", "") \
  X(kDiffMhUnlikely, "differential.malignant_hyperthermia.unlikely", "") \
  X(kDiffMhPossibleUnknown, "differential.malignant_hyperthermia.possible_unknown", "") \
  X(kDiffSerotoninSuspected, "differential.serotonin_syndrome.suspected", "agents") \
  X(kDiffSerotoninPossible, "differential.serotonin_syndrome.possible", "agents") \
  X(kDiffSerotoninPossibleUnknown, "differential.serotonin_syndrome.possible_unknown", "") \
  X(kDiffSerotoninUnlikelyNoExposure, "differential.serotonin_syndrome.unlikely_no_exposure", "agents") \
  X(kDiffSerotoninUnlikelyNoRule, "differential.serotonin_syndrome.unlikely_no_rule", "agents") \
  X(kDiffAnticholinergicSuspected, "differential.anticholinergic_toxicity.suspected", "agents") \
  X(kDiffAnticholinergicPossible, "differential.anticholinergic_toxicity.possible", "agents") \
  X(kDiffAnticholinergicUnlikely, "differential.anticholinergic_toxicity.unlikely", "") \
  X(kDiffHeatSuspected, "differential.heat_stroke.suspected", "tmax") \
  X(kDiffHeatPossible, "differential.heat_stroke.possible", "tmax") \
  X(kDiffHeatUnlikely, "differential.heat_stroke.unlikely", "tmax") \
  X(kDiffPhsSuspected, "differential.parkinsonism_hyperpyrexia.suspected", "agents") \
  X(kDiffPhsPossible, "differential.parkinsonism_hyperpyrexia.possible", "agents") \
  X(kDiffPhsPossibleUnknown, "differential.parkinsonism_hyperpyrexia.possible_unknown", "agents") \
  X(kDiffPhsUnlikely, "differential.parkinsonism_hyperpyrexia.unlikely", "") \
  X(kDiffCatatoniaSuspected, "differential.lethal_catatonia.suspected", "") \
  X(kDiffCatatoniaPossible, "differential.lethal_catatonia.possible", "") \
  X(kDiffCatatoniaPossibleUnknown, "differential.lethal_catatonia.possible_unknown", "") \
  X(kDiffCatatoniaUnlikely, "differential.lethal_catatonia.unlikely", "") \
  X(kDiffCnsMustExclude, "differential.cns_infection.must_exclude", "lumbar_puncture") \
  X(kDiffCnsPossible, "differential.cns_infection.possible", "lumbar_puncture") \
  X(kDiffCnsPossibleFn, "differential.cns_infection.possible_fn", "lumbar_puncture") \
  X(kDiffCnsUnlikely, "differential.cns_infection.unlikely", "") \
  X(kDiffCnsPlatelets, "differential.cns_infection.platelets", "platelets") \
  X(kDiffCnsPlateletsUnknown, "differential.cns_infection.platelets_unknown", "") \
  X(kWarnMh, "warning.MALIGNANT_HYPERTHERMIA_SUSPECTED", "agents") \
  X(kWarnAntibioticsNoDelay, "warning.ANTIBIOTICS_NO_DELAY", "minutes") \
  X(kWarnCcbNonDhp, "warning.CCB_NON_DIHYDROPYRIDINE", "agents") \
  X(kWarnNotFirstLine, "warning.DANTROLENE_NOT_FIRST_LINE", "") \
  X(kWarnPeripheralAccess, "warning.PERIPHERAL_ACCESS", "") \
  X(kWarnPeripheralAccessMh, "warning.PERIPHERAL_ACCESS.mh", "") \
  X(kWarnCombination, "warning.COMBINATION_PROLONGS_RECOVERY", "therapies") \
  X(kWarnExtravasation, "warning.EXTRAVASATION_INFECTION_PORTAL", "") \
  X(kWarnVte, "warning.VTE_RISK", "") \
  X(kWarnCcbDhp, "warning.CCB_DIHYDROPYRIDINE", "agents") \
  X(kWarnSerotonergic, "warning.SEROTONERGIC_OVERLAP", "agents status") \
  X(kWarnSerotonergicNoAgents, "warning.SEROTONERGIC_OVERLAP.no_agents", "agents status") \
  X(kWarnTransaminases, "warning.TRANSAMINASES_MAY_BE_MUSCLE", "ratio") \
  X(kWarnTransaminasesOther, "warning.TRANSAMINASES_MAY_BE_MUSCLE.other", "ratio") \
  X(kWarnRhabdomyolysis, "warning.RHABDOMYOLYSIS_RISK", "ck ml_kg_h") \
  X(kWarnRhabdomyolysisHigh, "warning.RHABDOMYOLYSIS_RISK.high", "ck ml_kg_h") \
  X(kWarnNoMortalityGuarantee, "warning.NO_MORTALITY_GUARANTEE", "") \
  X(kWarnAntiemeticCounted, "warning.ANTIEMETIC_COUNTED_AS_NEUROLEPTIC", "agents") \
  X(kWarnDefaultUln, "warning.DEFAULT_ULN_USED", "items") \
  X(kWarnAfterT0, "warning.OBSERVATION_AFTER_T0", "items") \
  X(kNoteHepaticGate, "note.NOTE_HEPATIC_GATE", "") \
  X(kNoteIvHepatotoxicity, "note.NOTE_IV_HEPATOTOXICITY_SOURCE", "") \
  X(kNotePolypharmacyGate, "note.NOTE_POLYPHARMACY_GATE", "") \
  X(kNoteCombinationGate, "note.NOTE_COMBINATION_GATE", "") \
  X(kNoteDantroleneRegimen, "note.NOTE_DANTROLENE_REGIMEN", "") \
  X(kNoteDantroleneOnset, "note.NOTE_DANTROLENE_ONSET", "") \
  X(kNoteRigidityIndication, "note.NOTE_RIGIDITY_INDICATION", "") \
  X(kNoteAlternativeDoses, "note.NOTE_ALTERNATIVE_DOSES", "") \
  X(kNoteVancomycinList, "note.NOTE_VANCOMYCIN_LIST", "") \
  X(kNoteGcsfList, "note.NOTE_GCSF_LIST", "") \
  X(kNoteAntifungalWindow, "note.NOTE_ANTIFUNGAL_WINDOW", "") \
  X(kNoteIecNotExclusionary, "note.NOTE_IEC_NOT_EXCLUSIONARY", "") \
  X(kNoteTemperatureRoute, "note.NOTE_TEMPERATURE_ROUTE", "") \
  X(kNoteOutOfScopeAge, "note.NOTE_OUT_OF_SCOPE_AGE", "") \
  X(kNoteNoTriggerNoAgonist, "note.NOTE_NO_TRIGGER_NO_AGONIST", "") \
  X(kMissingMedicationList, "missing.medication_list", "") \
  X(kMissingMedicationTiming, "missing.medication_timing", "entries") \
  X(kMissingMedicationIdentity, "missing.medication_identity", "entries") \
  X(kMissingAlt, "missing.alt", "") \
  X(kMissingAst, "missing.ast", "") \
  X(kMissingBilirubin, "missing.total_bilirubin", "") \
  X(kMissingLiverHistory, "missing.liver_disease_history", "") \
  X(kMissingIvAccess, "missing.iv_access", "") \
  X(kMissingRigidityGrade, "missing.rigidity_grade", "") \
  X(kMissingPriorDantrolene, "missing.prior_dantrolene_amount", "") \
  X(kMissingEctHistory, "missing.ect_history", "") \
  X(kMissingWeight, "missing.weight", "") \
  X(kMissingTemperature, "missing.temperature", "") \
  X(kMissingHeartRate, "missing.heart_rate", "") \
  X(kMissingBloodPressure, "missing.blood_pressure", "") \
  X(kMissingRespiratoryRate, "missing.respiratory_rate", "") \
  X(kMissingBaselineVitals, "missing.baseline_vitals", "") \
  X(kMissingMentalStatus, "missing.mental_status", "") \
  X(kMissingDiaphoresis, "missing.diaphoresis", "") \
  X(kMissingIncontinence, "missing.urinary_incontinence", "") \
  X(kMissingCk, "missing.ck", "") \
  X(kMissingAnc, "missing.anc", "") \
  X(kMissingAncTrend, "missing.anc_trend", "") \
  X(kMissingRecentChemotherapy, "missing.recent_chemotherapy", "") \
  X(kMissingCreatinine, "missing.creatinine", "") \
  X(kMissingAge, "missing.age", "") \
  X(kMissingSex, "missing.sex", "") \
  X(kMissingPotassium, "missing.potassium", "") \
  X(kMissingSerotoninFindings, "missing.serotonin_findings", "") \
  X(kMissingEnteralRoute, "missing.enteral_route", "") \
  X(kMissingPenicillinAllergy, "missing.penicillin_allergy", "") \
  X(kMissingVancomycinItems, "missing.vancomycin_items", "items") \
  X(kMissingGcsfFactors, "missing.gcsf_factors", "") \
  X(kMissingAntibioticStart, "missing.antibiotic_start", "") \
  X(kMissingExpectedNeutropeniaDays, "missing.expected_neutropenia_days", "") \
  X(kMissingWorkup, "missing.workup_negative", "") \
  X(kMissingMasccItems, "missing.mascc_items", "items") \
  X(kCardTopicNms, "card.topic.nms", "") \
  X(kCardTopicFebrileNeutropenia, "card.topic.febrile-neutropenia", "") \
  X(kCardTopicDantroleneOrder, "card.topic.dantrolene-order", "") \
  X(kCardTopicTriggerOrder, "card.topic.trigger-order", "") \
  X(kCardTopicDataUnavailable, "card.topic.data-unavailable", "") \
  X(kCardOverrideBenefit, "card.override.benefit-outweighs-risk", "") \
  X(kCardOverrideDataOutdated, "card.override.data-outdated", "") \
  X(kCardOverrideMuscleOrigin, "card.override.transaminases-muscle-origin", "") \
  X(kCardOverrideSpecialist, "card.override.specialist-advised", "") \
  X(kCardOverrideNmsExcluded, "card.override.nms-excluded", "") \
  X(kCardSuspicionHigh, "card.label.suspicion.high", "") \
  X(kCardSuspicionPossible, "card.label.suspicion.possible", "") \
  X(kCardSuspicionUnlikely, "card.label.suspicion.unlikely", "") \
  X(kCardRuleIecCutoff, "card.label.suspicion_rule.trigger_and_iec_cutoff", "") \
  X(kCardRuleCardinal, "card.label.suspicion_rule.trigger_and_cardinal_features", "") \
  X(kCardRuleClinician, "card.label.suspicion_rule.clinician_suspected", "") \
  X(kCardRuleNone, "card.label.suspicion_rule.none", "") \
  X(kCardStageUnknown, "card.label.stage.unknown", "") \
  X(kCardStageNotStaged, "card.label.stage.not_staged", "") \
  X(kCardDecisionMh, "card.label.decision.malignant_hyperthermia_protocol", "") \
  X(kCardDecisionNotApplicable, "card.label.decision.not_applicable", "") \
  X(kCardDecisionContraindicated, "card.label.decision.contraindicated", "") \
  X(kCardDecisionNotIndicated, "card.label.decision.not_indicated", "") \
  X(kCardDecisionInsufficientData, "card.label.decision.insufficient_data", "") \
  X(kCardDecisionConsider, "card.label.decision.consider", "") \
  X(kCardReasonLiverDisease, "card.reason.liver_disease_known", "") \
  X(kCardReasonAlt, "card.reason.alt_above_uln", "") \
  X(kCardReasonAst, "card.reason.ast_above_uln", "") \
  X(kCardReasonBilirubin, "card.reason.bilirubin_above_uln", "") \
  X(kCardReasonIvPoor, "card.reason.iv_access_poor", "") \
  X(kCardReasonIvNone, "card.reason.iv_access_none", "") \
  X(kCardReasonD2Polypharmacy, "card.reason.d2_polypharmacy", "agents") \
  X(kCardReasonConcurrentTherapies, "card.reason.multiple_concurrent_nms_therapies", "") \
  X(kCardReasonCcb, "card.reason.ccb_non_dihydropyridine_active", "agents") \
  X(kCardReasonCapReached, "card.reason.cumulative_24h_cap_reached", "") \
  X(kCardReasonRigidityNotSevere, "card.reason.rigidity_not_severe_not_refractory", "") \
  X(kCardReasonNoTrigger, "card.reason.no_nms_trigger", "") \
  X(kCardReasonStageBelowIii, "card.reason.stage_below_iii", "") \
  X(kCardReasonHepaticUnknown, "card.reason.hepatic_status_unknown", "") \
  X(kCardReasonIvUnknown, "card.reason.iv_access_unknown", "") \
  X(kCardReasonExposureUnknown, "card.reason.exposure_pattern_unknown", "") \
  X(kCardReasonRigidityUnknown, "card.reason.rigidity_grade_unknown", "") \
  X(kCardReasonStageUnknown, "card.reason.stage_unknown", "") \
  X(kCardReasonPriorDantroleneUnknown, "card.reason.prior_dantrolene_amount_unknown", "") \
  X(kCardReasonWeightUnknown, "card.reason.weight_unknown_with_prior_dantrolene", "") \
  X(kCardReasonConcurrentUnknown, "card.reason.concurrent_therapies_unknown", "") \
  X(kCardSummaryNmsStop, "card.summary.nms.stop", "level points stage agents decision") \
  X(kCardSummaryNmsRestart, "card.summary.nms.restart", "level points stage agents decision") \
  X(kCardSummaryNmsNoAgents, "card.summary.nms.no_agents", "level points stage decision") \
  X(kCardSummaryMh, "card.summary.mh", "dose_mg dose_mg_per_kg") \
  X(kCardSummaryMhNoWeight, "card.summary.mh.no_weight", "dose_mg_per_kg") \
  X(kCardSummaryFnPresent, "card.summary.fn.present", "anc max_temp minutes") \
  X(kCardSummaryFnPresentNoValues, "card.summary.fn.present.no_values", "minutes") \
  X(kCardSummaryFnPresumed, "card.summary.fn.presumed", "minutes") \
  X(kCardSummaryDataUnavailable, "card.summary.data_unavailable", "keys") \
  X(kCardSummaryDantroleneContraindicated, "card.summary.dantrolene.contraindicated", "reasons") \
  X(kCardSummaryDantroleneNotIndicated, "card.summary.dantrolene.not_indicated", "reasons") \
  X(kCardSummaryDantroleneInsufficient, "card.summary.dantrolene.insufficient_data", "items") \
  X(kCardSummaryDantroleneConsider, "card.summary.dantrolene.consider", "low_mg high_mg low_mg_per_kg high_mg_per_kg max_mg") \
  X(kCardSummaryDantroleneConsiderNoWeight, "card.summary.dantrolene.consider.no_weight", "low_mg_per_kg high_mg_per_kg max_mg_per_kg") \
  X(kCardSummaryDantroleneMh, "card.summary.dantrolene.mh", "dose_mg dose_mg_per_kg") \
  X(kCardSummaryDantroleneMhNoWeight, "card.summary.dantrolene.mh.no_weight", "dose_mg_per_kg") \
  X(kCardSummaryTriggerSuspected, "card.summary.trigger.suspected", "drug") \
  X(kCardSummaryTriggerHistory, "card.summary.trigger.history", "drug") \
  X(kCardAgentsMore, "card.label.agents_more", "count") \
  X(kCardSuggestionReplace, "card.suggestion.replace", "drug dose_mg route interval_h") \
  X(kCardSuggestionReplaceNoDose, "card.suggestion.replace.no_dose", "drug") \
  X(kCardSuggestionRemoveDantrolene, "card.suggestion.remove_dantrolene", "") \
  X(kCardSuggestionRemoveOrder, "card.suggestion.remove_order", "drug") \
  X(kCardSuggestionStop, "card.suggestion.stop", "drug dose") \
  X(kCardSuggestionStopNoDose, "card.suggestion.stop.no_dose", "drug") \
  X(kCardActionDeleteDantrolene, "card.action.delete_dantrolene", "") \
  X(kCardActionDeleteOrder, "card.action.delete_order", "drug") \
  X(kCardActionCreate, "card.action.create", "drug dose_mg route interval_h") \
  X(kCardActionCreateNoDose, "card.action.create.no_dose", "drug") \
  X(kCardActionStop, "card.action.stop", "drug") \
  X(kCardStatusReasonNms, "card.status_reason.nms", "") \
  X(kCardNmsCodeDisplay, "card.code_display.nms", "") \
  X(kCardDosageText, "card.dosage_text", "drug regimen") \
  X(kCardDetailDecision, "card.detail.decision", "decision protocol") \
  X(kCardDetailSuspicion, "card.detail.suspicion", "level points cutoff stage") \
  X(kCardDetailSuspicionBasis, "card.detail.suspicion_basis", "basis") \
  X(kCardDetailCardinal, "card.detail.cardinal", "features") \
  X(kCardDetailActionsHeading, "card.detail.heading.actions", "") \
  X(kCardDetailInsteadHeading, "card.detail.heading.instead", "") \
  X(kCardDetailWarningsHeading, "card.detail.heading.warnings", "") \
  X(kCardDetailMissingHeading, "card.detail.heading.missing", "") \
  X(kCardDetailPreconditionsHeading, "card.detail.heading.preconditions", "") \
  X(kCardDetailRegimenHeading, "card.detail.heading.regimen", "") \
  X(kCardDetailAlternativeRecommended, "card.detail.alternative.recommended", "drug text") \
  X(kCardDetailAlternativeOther, "card.detail.alternative.alternative", "drug text") \
  X(kCardDetailMissingMore, "card.detail.missing_more", "count") \
  X(kCardDetailUnavailable, "card.detail.unavailable", "keys") \
  X(kCardDetailDoseAboveInitial, "card.detail.dose.above_initial", "ordered_mg max_mg") \
  X(kCardDetailDoseAboveRemaining, "card.detail.dose.above_remaining", "ordered_mg remaining_mg") \
  X(kCardDetailDoseNoWeight, "card.detail.dose.no_weight", "ordered_mg") \
  X(kCardDetailFn, "card.detail.fn", "status") \
  X(kCardDetailFnPresent, "card.label.fn.present", "") \
  X(kCardDetailFnPresumed, "card.label.fn.presumed", "") \
  X(kCardDetailFnValues, "card.detail.fn.values", "anc max_temp") \
  X(kCardDetailTriggerDrug, "card.detail.trigger.drug", "drug") \
  X(kCardDetailTriggerHistory, "card.detail.trigger.history", "") \
  X(kCardDetailTriggerAntiemetics, "card.detail.trigger.antiemetics", "drugs") \
  X(kCardDetailTriggerSerotonergic, "card.detail.trigger.serotonergic", "drugs") \
  X(kCardDetailDataUnavailable, "card.detail.data_unavailable", "") \
  X(kCardDetailShortened, "card.detail.shortened", "") \
  X(kCardPrefetchPatient, "card.prefetch.patient", "") \
  X(kCardPrefetchVitals, "card.prefetch.vitals", "") \
  X(kCardPrefetchLabs, "card.prefetch.labs", "") \
  X(kCardPrefetchFindings, "card.prefetch.findings", "") \
  X(kCardPrefetchMedicationRequests, "card.prefetch.medication_requests", "") \
  X(kCardPrefetchMedicationAdministrations, "card.prefetch.medication_administrations", "") \
  X(kCardPrefetchMedicationStatements, "card.prefetch.medication_statements", "") \
  X(kCardPrefetchConditions, "card.prefetch.conditions", "") \
  X(kCardPrefetchAllergies, "card.prefetch.allergies", "") \
  X(kCardPrefetchProcedures, "card.prefetch.procedures", "") \
  X(kCardPrefetchDevices, "card.prefetch.devices", "") \
  X(kServiceAssessmentTitle, "service.nms-assessment.title", "") \
  X(kServiceAssessmentDescription, "service.nms-assessment.description", "") \
  X(kServiceDantroleneTitle, "service.nms-dantrolene-order.title", "") \
  X(kServiceDantroleneDescription, "service.nms-dantrolene-order.description", "") \
  X(kServiceTriggerTitle, "service.nms-trigger-order.title", "") \
  X(kServiceTriggerDescription, "service.nms-trigger-order.description", "") \
  X(kServiceUsageRequirements, "service.usage_requirements", "") \
  X(kCardDetailAlternativeHeading, "card.detail.heading.alternative", "") \
  X(kWarnUnitUnsupported, "warning.UNIT_UNSUPPORTED", "items") \
  X(kWarnInputAssessedAtFromClock, "warning.INPUT_ASSESSED_AT_FROM_CLOCK", "t0") \
  X(kWarnInputDataUnavailable, "warning.INPUT_DATA_UNAVAILABLE", "items") \
  X(kWarnInputPartialDate, "warning.INPUT_PARTIAL_DATE", "items") \
  X(kWarnInputRangeIgnored, "warning.INPUT_RANGE_IGNORED", "items") \
  X(kWarnInputMatchedByName, "warning.INPUT_MEDICATION_MATCHED_BY_NAME", "names") \
  X(kWarnInputEndInferred, "warning.INPUT_MEDICATION_END_INFERRED", "items")

enum class TextId : std::uint16_t {
#define NMSCDS_ENUM(e, id, placeholders) e,
  NMSCDS_TEXT_IDS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
};

struct TextSpec {
  std::string_view id;
  std::string_view placeholders;  // space-separated names
};

inline constexpr TextSpec kTextSpecs[] = {
#define NMSCDS_SPEC(e, id, placeholders) {id, placeholders},
    NMSCDS_TEXT_IDS(NMSCDS_SPEC)
#undef NMSCDS_SPEC
};

inline constexpr std::size_t kTextIdCount = sizeof(kTextSpecs) / sizeof(kTextSpecs[0]);

}  // namespace nmscds
