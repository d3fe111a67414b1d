// Dose arithmetic (see regimens.h). Doses are computed at 0.1 mg and shown rounded down to a whole mg, so a
// shown dose never exceeds its mg/kg limit; vials are rounded up (clinical §0.3, §6.4).
#include "engine/regimens.h"

#include <algorithm>

#include "common/text.h"
#include "engine/state.h"
#include "kb/knowledge_base.h"

namespace nmscds::engine {
namespace {

std::string Text(const KnowledgeBase& kb, TextId id, std::initializer_list<TextArg> args = {}) {
  const TextEntry& entry = kb.text(id);
  return FillTemplate(entry.text, entry.parts, args);
}

// §7.4: the renal band, or nullptr when it cannot be determined.
const AmantadineBand* RenalBand(const Params& p, const AmantadineDoseInput& in) {
  if (p.amantadine_bands.empty()) return nullptr;
  if (in.dialysis) return &p.amantadine_bands.back();
  if (!in.crcl_ml_min) return nullptr;
  for (const AmantadineBand& b : p.amantadine_bands) {
    if (*in.crcl_ml_min >= b.crcl_min) return &b;
  }
  return &p.amantadine_bands.back();
}

}  // namespace

DantroleneRegimen DantroleneDose(const KnowledgeBase& kb, const DantroleneDoseInput& in) {
  const Params& p = kb.params;
  const bool mh = in.malignant_hyperthermia;
  DantroleneRegimen rg;
  rg.indication = mh ? "malignant_hyperthermia" : "nms";
  rg.initial_mg_per_kg = mh ? Range{p.dantrolene_mh_bolus_mg_per_kg, p.dantrolene_mh_bolus_mg_per_kg}
                            : Range{p.dantrolene_initial_mg_per_kg.low, p.dantrolene_initial_mg_per_kg.high};
  rg.repeat_mg_per_kg = mh ? p.dantrolene_mh_bolus_mg_per_kg : p.dantrolene_repeat_mg_per_kg;
  if (!mh) rg.repeat_interval_h = p.dantrolene_repeat_interval_h;
  rg.max_mg_per_kg_24h = p.dantrolene_max_mg_per_kg_24h;
  const std::string vial = FormatNumber(p.dantrolene_vial_mg), diluent = FormatNumber(p.diluent_ml_per_vial),
                    mannitol = FormatNumber(p.mannitol_g_per_vial);
  rg.reconstitution = Text(kb, TextId::kDantroleneReconstitution,
                           {{"vial_mg", vial}, {"diluent_ml", diluent}, {"mannitol_g", mannitol}});
  rg.access = Text(kb, mh ? TextId::kDantroleneAccessMh : TextId::kDantroleneAccess);
  rg.stop_when = Text(kb, mh ? TextId::kDantroleneStopWhenMh : TextId::kDantroleneStopWhen);

  const std::string low_kg = FormatNumber(rg.initial_mg_per_kg.low), high_kg = FormatNumber(rg.initial_mg_per_kg.high),
                    repeat_kg = FormatNumber(rg.repeat_mg_per_kg), max_kg = FormatNumber(rg.max_mg_per_kg_24h),
                    interval = FormatNumber(p.dantrolene_repeat_interval_h),
                    post_kg = FormatNumber(p.dantrolene_repeat_mg_per_kg),
                    post_low = FormatNumber(p.dantrolene_mh_post_control_interval_h.low),
                    post_high = FormatNumber(p.dantrolene_mh_post_control_interval_h.high);
  if (!in.weight_kg) {
    rg.text = mh ? Text(kb, TextId::kDantroleneTextMhNoWeight, {{"bolus_mg_per_kg", low_kg},
                                                                 {"max_mg_per_kg", max_kg},
                                                                 {"post_mg_per_kg", post_kg},
                                                                 {"post_interval_low_h", post_low},
                                                                 {"post_interval_high_h", post_high}})
                 : Text(kb, TextId::kDantroleneTextNoWeight, {{"low_mg_per_kg", low_kg},
                                                              {"high_mg_per_kg", high_kg},
                                                              {"repeat_mg_per_kg", repeat_kg},
                                                              {"interval_h", interval},
                                                              {"max_mg_per_kg", max_kg}});
    if (in.given_24h_mg && *in.given_24h_mg > Fixed()) {
      rg.given_mg_24h = in.given_24h_mg->RoundHalfAway(1);
    }
    return rg;
  }
  const Fixed w = *in.weight_kg;
  rg.weight_kg = w;
  const Fixed cap = p.dantrolene_max_mg_per_kg_24h.Times(w, 1);
  rg.max_mg_24h = cap.Floor(0);
  std::optional<Fixed> remaining;
  if (in.given_24h_mg) {
    rg.given_mg_24h = in.given_24h_mg->RoundHalfAway(1);  // a record, not a dose: shown to 0.1 mg
    Fixed rem = std::max(cap - *in.given_24h_mg, Fixed());
    remaining = rem;
    rg.remaining_mg_24h = rem.Floor(0);
  }
  Fixed low = rg.initial_mg_per_kg.low.Times(w, 1), high = rg.initial_mg_per_kg.high.Times(w, 1);
  bool below_usual = false;
  if (!mh && remaining) {  // prior dantrolene never caps the MH bolus (§6.5)
    below_usual = *remaining < low;
    low = std::min(low, *remaining);
    high = std::min(high, *remaining);
  }
  auto vials = [&](Fixed whole_mg) { return Fixed::FromInt(whole_mg.DividedBy(p.dantrolene_vial_mg, 6).CeilInt()); };
  rg.initial_mg = Range{low.Floor(0), high.Floor(0)};
  rg.initial_vials_20mg = Range{vials(rg.initial_mg->low), vials(rg.initial_mg->high)};
  // Each repeat stays within the remaining allowance (§6.4); the MH bolus is never capped (§6.5).
  Fixed repeat = rg.repeat_mg_per_kg.Times(w, 1);
  if (!mh && remaining) repeat = std::min(repeat, *remaining);
  rg.repeat_mg = repeat.Floor(0);

  const std::string lo = FormatNumber(rg.initial_mg->low), hi = FormatNumber(rg.initial_mg->high),
                    vlo = FormatNumber(rg.initial_vials_20mg->low), vhi = FormatNumber(rg.initial_vials_20mg->high),
                    rep = FormatNumber(*rg.repeat_mg), mx = FormatNumber(*rg.max_mg_24h), weight = FormatNumber(w),
                    mannitol_total = FormatNumber(p.mannitol_g_per_vial.Times(rg.initial_vials_20mg->high, 1)),
                    diluent_total = FormatNumber(p.diluent_ml_per_vial.Times(rg.initial_vials_20mg->high, 0));
  if (mh) {
    rg.text = Text(kb, TextId::kDantroleneTextMh, {{"weight_kg", weight},
                                                    {"bolus_mg_per_kg", low_kg},
                                                    {"bolus_mg", lo},
                                                    {"vials", vlo},
                                                    {"vial_mg", vial},
                                                    {"max_mg_per_kg", max_kg},
                                                    {"max_mg", mx},
                                                    {"post_mg_per_kg", post_kg},
                                                    {"post_interval_low_h", post_low},
                                                    {"post_interval_high_h", post_high}});
  } else {
    rg.text = Text(kb, TextId::kDantroleneTextNms, {{"weight_kg", weight},
                                                     {"low_mg_per_kg", low_kg},
                                                     {"high_mg_per_kg", high_kg},
                                                     {"low_mg", lo},
                                                     {"high_mg", hi},
                                                     {"low_vials", vlo},
                                                     {"high_vials", vhi},
                                                     {"vial_mg", vial},
                                                     {"repeat_mg_per_kg", repeat_kg},
                                                     {"repeat_mg", rep},
                                                     {"interval_h", interval},
                                                     {"max_mg_per_kg", max_kg},
                                                     {"max_mg", mx},
                                                     {"mannitol_g", mannitol_total},
                                                     {"diluent_ml", diluent_total}});
  }
  if (rg.given_mg_24h) {
    const std::string given = FormatNumber(*rg.given_mg_24h), rem = FormatNumber(*rg.remaining_mg_24h);
    AppendSentence(rg.text, Text(kb, TextId::kDantroleneAllowance, {{"given_mg", given}, {"remaining_mg", rem}}));
    if (below_usual) AppendSentence(rg.text, Text(kb, TextId::kDantroleneBelowUsual, {{"remaining_mg", rem}}));
    if (in.oldest_given_dose && *rg.given_mg_24h > Fixed()) {
      AppendSentence(rg.text, Text(kb, TextId::kDantroleneLeavesWindow,
                            {{"leaves_at", FormatWhen(*in.oldest_given_dose + 24 * kHour, in.t0)}}));
    }
  } else {
    AppendSentence(rg.text, Text(kb, TextId::kDantroleneAllowanceUnknown));
  }
  return rg;
}

AlternativeRegimen BromocriptineDose(const KnowledgeBase& kb) {
  const Params& p = kb.params;
  AlternativeRegimen rg;
  rg.route = "PO/NG";
  rg.dose_mg = Range{p.bromocriptine_start_mg, p.bromocriptine_max_mg};
  rg.interval_h = Range{p.bromocriptine_interval_h, p.bromocriptine_interval_h};
  const Fixed per_day = Fixed::FromInt(24).DividedBy(p.bromocriptine_interval_h, 6);
  rg.max_daily_mg = p.bromocriptine_max_mg.Times(per_day, 1);
  rg.text = Text(kb, TextId::kRegimenBromocriptine, {{"start_mg", FormatNumber(p.bromocriptine_start_mg)},
                                                     {"step_mg", FormatNumber(p.bromocriptine_step_mg)},
                                                     {"max_mg", FormatNumber(p.bromocriptine_max_mg)},
                                                     {"interval_h", FormatNumber(p.bromocriptine_interval_h)},
                                                     {"max_daily_mg", FormatNumber(*rg.max_daily_mg)}});
  return rg;
}

AlternativeRegimen AmantadineDose(const KnowledgeBase& kb, const AmantadineDoseInput& in) {
  const Params& p = kb.params;
  AlternativeRegimen rg;
  rg.route = "PO/NG";
  const AmantadineBand* band = RenalBand(p, in);
  if (!band) {
    rg.renal_band = "crcl_unknown";
    rg.text = Text(kb, in.pref2 ? TextId::kRegimenAmantadineUnknownPref2 : TextId::kRegimenAmantadineUnknown,
                   {{"missing", in.missing.empty() ? "serum creatinine" : in.missing}});
    return rg;
  }
  rg.renal_band = band->band;
  Fixed high = band->dose_mg_high;
  const bool elderly = in.age_years && *in.age_years >= p.amantadine_elderly_age.FloorInt();
  if (elderly) high = band->dose_mg_low;  // B21: <= 100 mg every 12 h at age >= 65
  rg.dose_mg = Range{band->dose_mg_low, high};
  rg.interval_h = Range{band->interval_h, band->interval_h};
  const Fixed per_day = Fixed::FromInt(24).DividedBy(band->interval_h, 6);
  rg.max_daily_mg = high.Times(per_day, 1);
  const std::string basis = in.dialysis ? Text(kb, TextId::kRegimenAmantadineBasisDialysis)
                                        : Text(kb, TextId::kRegimenAmantadineBasisCrcl,
                                               {{"crcl", FormatNumber(*in.crcl_ml_min)}});
  TextId id = TextId::kRegimenAmantadineSingle;
  if (band->band == "crcl_lt_15_or_dialysis") {
    id = TextId::kRegimenAmantadineLowest;
  } else if (high > band->dose_mg_low) {
    id = TextId::kRegimenAmantadineRange;
  } else if (elderly && band->dose_mg_high > band->dose_mg_low) {
    id = TextId::kRegimenAmantadineElderly;
  }
  rg.text = Text(kb, id, {{"dose_mg", FormatNumber(band->dose_mg_low)},
                          {"high_mg", FormatNumber(high)},
                          {"interval_h", FormatNumber(band->interval_h)},
                          {"interval_days", FormatNumber(band->interval_h.DividedBy(Fixed::FromInt(24), 1))},
                          {"basis", basis}});
  return rg;
}

bool AmantadineRenalBandKnown(const KnowledgeBase& kb, const AmantadineDoseInput& in) {
  return RenalBand(kb.params, in) != nullptr;
}

AlternativeRegimen LorazepamDose(const KnowledgeBase& kb) {
  const Params& p = kb.params;
  AlternativeRegimen rg;
  rg.route = "IV";
  rg.dose_mg = Range{p.lorazepam_mg.low, p.lorazepam_mg.high};
  rg.interval_h = Range{p.lorazepam_interval_h.low, p.lorazepam_interval_h.high};
  rg.text = Text(kb, TextId::kRegimenLorazepam, {{"low_mg", FormatNumber(p.lorazepam_mg.low)},
                                                 {"high_mg", FormatNumber(p.lorazepam_mg.high)},
                                                 {"interval_low_h", FormatNumber(p.lorazepam_interval_h.low)},
                                                 {"interval_high_h", FormatNumber(p.lorazepam_interval_h.high)}});
  return rg;
}

std::optional<Fixed> CockcroftGault(const KnowledgeBase& kb, int age_years, Fixed weight_kg, Fixed creatinine_mg_dl,
                                    Sex sex) {
  if (creatinine_mg_dl <= Fixed()) return std::nullopt;
  const Fixed factor = sex == Sex::kMale ? Fixed::FromInt(1) : kb.params.cockcroft_gault_female_factor;
  __extension__ typedef __int128 i128;
  const i128 num = static_cast<i128>(140 - age_years) * weight_kg.micros() * factor.micros();
  const i128 den = static_cast<i128>(72) * creatinine_mg_dl.micros();
  i128 micros = num / den;  // CrCl in micro-units, truncated towards zero
  if (micros < 0) micros = 0;
  return Fixed::FromMicros(static_cast<std::int64_t>(micros)).Truncate(1);
}

}  // namespace nmscds::engine
