#pragma once
// Dose arithmetic shared by the engine and `nmscds dose` (one implementation of each regimen):
// dantrolene (clinical §6.4 NMS, §6.5 malignant hyperthermia), bromocriptine (§7.3), amantadine with the
// renal table (§7.4), lorazepam (§7.5) and Cockcroft-Gault (§4.5, DF-27).
#include <optional>
#include <string>

#include "common/time_util.h"
#include "model/case.h"
#include "nmscds/report.h"

namespace nmscds {
class KnowledgeBase;
}

namespace nmscds::engine {

struct DantroleneDoseInput {
  bool malignant_hyperthermia = false;
  std::optional<Fixed> weight_kg;           // unknown: mg/kg only
  std::optional<Fixed> given_24h_mg;        // dantrolene already given in the rolling 24 h; nullopt = unknown
  std::optional<Instant> oldest_given_dose; // the earliest dose counted in given_24h_mg
  Instant t0 = 0;
};
DantroleneRegimen DantroleneDose(const KnowledgeBase& kb, const DantroleneDoseInput& in);

AlternativeRegimen BromocriptineDose(const KnowledgeBase& kb);

struct AmantadineDoseInput {
  std::optional<Fixed> crcl_ml_min;
  bool dialysis = false;
  std::optional<int> age_years;
  bool pref2 = false;        // PREF-2 wording when the dose cannot be computed
  std::string missing;       // what to obtain when the band is unknown ("serum creatinine and weight")
};
AlternativeRegimen AmantadineDose(const KnowledgeBase& kb, const AmantadineDoseInput& in);
// Whether the amantadine renal table (§7.4) gives a band for this input (false: "crcl_unknown").
bool AmantadineRenalBandKnown(const KnowledgeBase& kb, const AmantadineDoseInput& in);

AlternativeRegimen LorazepamDose(const KnowledgeBase& kb);

// Cockcroft-Gault (§4.5): ((140 - age) x weight) / (72 x creatinine) x 0.85 unless male (unknown sex takes the
// female factor, B14), truncated to 0.1 mL/min. nullopt when creatinine is not positive.
std::optional<Fixed> CockcroftGault(const KnowledgeBase& kb, int age_years, Fixed weight_kg, Fixed creatinine_mg_dl,
                                    Sex sex);

}  // namespace nmscds::engine
