// Medication facts: clinical.md §3.2 (intervals) and DF-11 to DF-18, DF-22, DF-28.
#include <algorithm>
#include <climits>
#include <map>
#include <tuple>

#include "common/sort.h"
#include "common/text.h"
#include "engine/state.h"

namespace nmscds::engine {
namespace {

bool HasRole(const KnowledgeBase& kb, int drug, std::uint32_t role) { return (kb.drug(drug).roles & role) != 0; }

// §3.2: start, end, depot extension, undetermined entries.
MedEntry BuildEntry(State& st, const Medication& med) {
  MedEntry e;
  e.med = &med;
  e.assessed_at = st.t0;
  for (int d : med.ingredients) e.roles |= st.kb.drug(d).roles;
  if (med.status == MedStatus::kNotTaken || med.status == MedStatus::kEnteredInError ||
      med.status == MedStatus::kPlanned) {
    e.excluded = true;
    return e;
  }
  for (const Administration& a : med.administrations) {
    if (a.at > st.t0) {
      st.after_t0.push_back(ValueFact("administration", Value::Str(med.name), a.source));
      st.after_t0.back().at = a.at;
      continue;
    }
    e.administrations.push_back(a.at);
  }
  if (med.last_administered) {
    if (*med.last_administered > st.t0) {
      st.after_t0.push_back(ValueFact("last_administered", Value::Str(med.name), med.source));
      st.after_t0.back().at = med.last_administered;
    } else {
      e.administrations.push_back(*med.last_administered);
    }
  }
  std::sort(e.administrations.begin(), e.administrations.end());
  e.administrations.erase(std::unique(e.administrations.begin(), e.administrations.end()), e.administrations.end());
  if (med.start && *med.start > st.t0) {
    // A medication started after T0 is ignored for every rule (§0.1).
    st.after_t0.push_back(ValueFact("medication_start", Value::Str(med.name), med.source));
    st.after_t0.back().at = med.start;
    e.excluded = true;
    return e;
  }
  e.start = med.start ? med.start
                      : (e.administrations.empty() ? std::nullopt : std::optional<Instant>(e.administrations.front()));
  e.end = med.stop ? med.stop
                   : (e.administrations.empty() ? std::nullopt : std::optional<Instant>(e.administrations.back()));
  if (!med.start && !med.stop && e.administrations.empty() && med.status != MedStatus::kActive) {
    e.undetermined = true;
    return e;
  }
  // Long-acting injectables (D2 antagonists only): exposed until L + factor x interval (B31).
  if (med.long_acting && (e.roles & kRoleD2Antagonist) && e.end) {
    std::optional<Instant> last = e.administrations.empty() ? e.start
                                                            : std::optional<Instant>(e.administrations.back());
    if (last) {
      Fixed interval = st.p.lai_interval_days_default;
      if (med.long_acting_interval_days) {
        interval = *med.long_acting_interval_days;
      } else {
        for (int d : med.ingredients) {
          const Drug& drug = st.kb.drug(d);
          if ((drug.roles & kRoleD2Antagonist) && drug.lai_interval_days) interval = *drug.lai_interval_days;
        }
      }
      Fixed days = interval.Times(st.p.lai_exposure_factor, 6);
      Instant window = static_cast<Instant>(days.MulDiv(kDay, 1, 0).micros() / Fixed::kScale);
      Instant extended = *last + window;
      if (extended > *e.end) {
        e.natural_end = e.end;
        e.end = extended;
        e.depot_extended = true;
      }
    }
  }
  return e;
}

std::string LastExposureToken(const State& st, const std::vector<const MedEntry*>& entries) {
  Instant active_window = st.p.window_active_h.FloorInt() * kHour;
  bool active = false, depot_only = false;
  for (const MedEntry* e : entries) {
    if (!e->ExposedWithin(st.t0, active_window)) continue;
    bool natural_active = !e->depot_extended || !e->natural_end || *e->natural_end >= st.t0 - active_window;
    if (natural_active) active = true;
    else depot_only = true;
  }
  if (active) return "active";
  if (depot_only) return "long_acting_window";
  for (const MedEntry* e : entries) {
    if (e->depot_extended) return "long_acting_window";
  }
  return "ended";
}

std::optional<Instant> MaxLastExposure(const State& st, const std::vector<const MedEntry*>& entries) {
  std::optional<Instant> best;
  for (const MedEntry* e : entries) {
    auto t = e->LastExposure(st.t0);
    if (t && (!best || *t > *best)) best = t;
  }
  return best;
}

void SortAgents(const KnowledgeBase& kb, std::vector<AgentExposure>& agents) {
  std::sort(agents.begin(), agents.end(), [&](const AgentExposure& a, const AgentExposure& b) {
    return AsciiLower(DrugName(kb, a.drug)) < AsciiLower(DrugName(kb, b.drug));
  });
}

// DF-11: dopamine-antagonist exposure pattern; DF-12: dopaminergic withdrawal; DF-13: trigger.
void DeriveExposurePattern(State& st) {
  MedicationFacts& m = st.m;
  const Instant nms_window = st.p.nms_window_h.FloorInt() * kHour;
  std::map<int, std::vector<const MedEntry*>> exposed, undetermined;
  for (const MedEntry& e : st.meds) {
    if (e.excluded) continue;
    if (!e.med->identified) {
      if (e.undetermined || e.ExposedWithin(st.t0, nms_window)) ++m.unidentified_count;
      continue;
    }
    for (int d : e.med->ingredients) {
      if (!HasRole(st.kb, d, kRoleD2Antagonist)) continue;
      if (e.undetermined) {
        undetermined[d].push_back(&e);
      } else if (e.ExposedWithin(st.t0, nms_window)) {
        exposed[d].push_back(&e);
      }
    }
  }
  for (auto& [drug, entries] : exposed) {
    AgentExposure a{drug, LastExposureToken(st, entries), MaxLastExposure(st, entries), entries};
    for (const MedEntry* e : entries) {
      if (HasRole(st.kb, drug, kRoleAntiemeticD2) || e->med->used_as_antiemetic) {
        m.antiemetic_counted = true;
        if (std::find(m.antiemetic_entries.begin(), m.antiemetic_entries.end(), e) == m.antiemetic_entries.end()) {
          m.antiemetic_entries.push_back(e);
        }
      }
    }
    m.d2_counted.push_back(std::move(a));
  }
  for (auto& [drug, entries] : undetermined) {
    if (exposed.count(drug)) continue;
    m.d2_undetermined.push_back(AgentExposure{drug, "undetermined", std::nullopt, entries});
  }
  SortAgents(st.kb, m.d2_counted);
  SortAgents(st.kb, m.d2_undetermined);

  const std::size_t d = m.d2_counted.size();
  const std::size_t u = m.d2_undetermined.size() + static_cast<std::size_t>(m.unidentified_count);
  if (!m.list_supplied) {
    m.pattern = "unknown";
  } else if (d >= 2) {
    m.pattern = "polypharmacy";
  } else if (u > 0) {
    m.pattern = "unknown";
  } else {
    m.pattern = d == 1 ? "monotherapy" : "none";
  }

  // Lithium: a contributor that is reviewed, not counted.
  const Instant active_window = st.p.window_active_h.FloorInt() * kHour;
  for (const MedEntry& e : st.meds) {
    if (!e.excluded && (e.roles & kRoleNmsContributor) && e.Active(st.t0, active_window)) {
      m.lithium_active.push_back(&e);
    }
  }

  // DF-12: stop events of dopaminergic ingredients.
  const Instant w72 = st.p.window_withdrawal_iec_h.FloorInt() * kHour;
  const Instant w14 = st.p.window_withdrawal_phs_days.FloorInt() * kDay;
  bool event72 = false, event14 = false;
  std::map<int, std::vector<const MedEntry*>> withdrawn;
  std::set<int> blocking_drugs;
  for (const MedEntry& e : st.meds) {
    if (e.excluded || !e.med->identified) continue;
    for (int g : e.med->ingredients) {
      if (!HasRole(st.kb, g, kRoleDopaminergic)) continue;
      bool running_at_t0 = false;
      for (const MedEntry& o : st.meds) {
        if (o.excluded || o.undetermined || !o.HasIngredient(g)) continue;
        if ((!o.start || *o.start <= st.t0) && (!o.end || *o.end >= st.t0)) running_at_t0 = true;
      }
      if (e.undetermined) {
        if (!running_at_t0) {
          blocking_drugs.insert(g);
          m.dopaminergic_undetermined.push_back(&e);
        }
        continue;
      }
      if (!e.med->stop || *e.med->stop > st.t0) continue;
      Instant stop = *e.med->stop;
      // §3.2: no stop event when the ingredient runs again after the stop (a parallel order running across
      // it, or a restart after a gap). DF-12: a dose cut recorded as the stop of the old entry still counts
      // while the new lower-dose entry runs. The two are told apart by timing: an entry that takes over at
      // the stop (starting within `dose_change_gap_h` of it) is a dose change, and the stop counts.
      const Instant takeover = st.p.dose_change_gap_h.FloorInt() * kHour;
      bool runs_again = false;
      for (const MedEntry& o : st.meds) {
        if (&o == &e || o.excluded || o.undetermined || !o.HasIngredient(g)) continue;
        if ((o.start && *o.start > st.t0) || (o.end && *o.end <= stop)) continue;  // not exposed in (stop, T0]
        const bool dose_change = o.start && *o.start >= stop && *o.start <= stop + takeover;
        if (!dose_change) runs_again = true;
      }
      if (runs_again) continue;
      if (stop >= st.t0 - w72) event72 = true;
      if (stop >= st.t0 - w14) {
        event14 = true;
        withdrawn[g].push_back(&e);
      }
    }
  }
  bool undetermined_blocks = !blocking_drugs.empty();
  if (!m.list_supplied) {
    m.withdrawal_72h = m.stop_14d = Tri::kUnknown;
  } else {
    m.withdrawal_72h = event72 ? Tri::kTrue : (undetermined_blocks ? Tri::kUnknown : Tri::kFalse);
    m.stop_14d = event14 ? Tri::kTrue : (undetermined_blocks ? Tri::kUnknown : Tri::kFalse);
  }
  m.dopaminergic_undetermined_blocks = undetermined_blocks && IsUnknown(m.stop_14d);
  for (auto& [drug, entries] : withdrawn) {
    std::optional<Instant> last;
    for (const MedEntry* e : entries) {
      if (!last || *e->med->stop > *last) last = e->med->stop;
    }
    m.withdrawn.push_back(AgentExposure{drug, "withdrawn", last, entries});
  }
  SortAgents(st.kb, m.withdrawn);

  // DF-13: the NMS trigger.
  const bool d2_exposure = d >= 1;
  if (d2_exposure || IsTrue(m.stop_14d)) {
    m.trigger = Tri::kTrue;
    if (d2_exposure && IsTrue(m.stop_14d)) {
      m.trigger_type = "both";
    } else {
      m.trigger_type = d2_exposure ? "d2_antagonist" : "withdrawal";
    }
  } else if (m.pattern == "none" && IsFalse(m.stop_14d)) {
    m.trigger = Tri::kFalse;
    m.trigger_type = "none";
  } else {
    m.trigger = Tri::kUnknown;
    m.trigger_type = "unknown";
  }
}

// DF-14, DF-15, DF-18: class exposure within a window. An absent list is unknown (as the spec says); so is a
// list whose only entries of the class are undetermined (no times, status not active): they may be running,
// and unknown is never read as absent (§0.2). `undetermined` collects those entries.
Tri ClassExposure(const State& st, std::uint32_t role, Instant window, std::vector<const MedEntry*>& entries,
                  std::vector<const MedEntry*>* undetermined = nullptr) {
  if (!st.m.list_supplied) return Tri::kUnknown;
  bool any_undetermined = false;
  for (const MedEntry& e : st.meds) {
    if (e.excluded || !(e.roles & role)) continue;
    if (e.undetermined) {
      any_undetermined = true;
      if (undetermined) undetermined->push_back(&e);
    } else if (e.ExposedWithin(st.t0, window)) {
      entries.push_back(&e);
    }
  }
  if (!entries.empty()) return Tri::kTrue;
  return any_undetermined ? Tri::kUnknown : Tri::kFalse;
}

// DF-16: malignant-hyperthermia trigger exposure (features are added in facts.cc).
void DeriveMhExposure(State& st) {
  MedicationFacts& m = st.m;
  const Instant window = st.p.mh_trigger_window_h.FloorInt() * kHour;
  const Anesthesia& an = st.in.context.anesthesia;
  struct ClassSource {
    std::uint32_t role;
    Tri flag;
    std::string_view label;
  };
  const ClassSource classes[] = {{kRoleMhVolatile, an.volatile_agent, "volatile anaesthetic"},
                                 {kRoleMhSuccinylcholine, an.succinylcholine, "succinylcholine"}};
  Tri overall = Tri::kFalse;
  for (const ClassSource& cls : classes) {
    bool exposed = false;
    bool any_source = false;
    // The anaesthesia record.
    if (IsKnown(cls.flag)) {
      if (IsTrue(cls.flag) && an.at && *an.at > st.t0) {
        st.after_t0.push_back(ValueFact("anesthesia", Value::Str(std::string(cls.label)), an.source));
        st.after_t0.back().at = an.at;
      } else {
        any_source = true;
        if (IsTrue(cls.flag) && an.at && *an.at >= st.t0 - window) {
          exposed = true;
          m.mh_agents.emplace_back(cls.label);
          AddFact(m.mh_agent_facts, 
              Fact{"anesthesia", Value::Str(std::string(cls.label)), "", *an.at, an.source, std::nullopt, ""});
          if (!m.mh_first_exposure || *an.at < *m.mh_first_exposure) m.mh_first_exposure = an.at;
        }
      }
    }
    // The medication list.
    if (m.list_supplied) {
      any_source = true;
      for (const MedEntry& e : st.meds) {
        if (e.excluded || !(e.roles & cls.role) || !e.ExposedWithin(st.t0, window)) continue;
        exposed = true;
        for (int d : e.med->ingredients) {
          if (!HasRole(st.kb, d, cls.role)) continue;
          std::string name = DrugName(st.kb, d);
          if (std::find(m.mh_agents.begin(), m.mh_agents.end(), name) == m.mh_agents.end()) m.mh_agents.push_back(name);
        }
        MedFact(NewFact(m.mh_agent_facts), "mh_trigger", e, st.kb);
        Instant first = e.start ? std::max(*e.start, st.t0 - window) : st.t0 - window;
        if (!m.mh_first_exposure || first < *m.mh_first_exposure) m.mh_first_exposure = first;
      }
    }
    Tri cls_state = exposed ? Tri::kTrue : (any_source ? Tri::kFalse : Tri::kUnknown);
    overall = Or(overall, cls_state);
  }
  m.mh_exposure = overall;
}

// DF-17: concurrent specific NMS therapies (bromocriptine, amantadine, ECT).
void DeriveConcurrentTherapies(State& st) {
  MedicationFacts& m = st.m;
  const Instant active_window = st.p.window_active_h.FloorInt() * kHour;
  const Instant episode = st.p.episode_therapy_days.FloorInt() * kDay;
  const Instant ect_window = st.p.ect_active_days.FloorInt() * kDay;
  std::set<int> counted, unknown_start;
  for (const MedEntry& e : st.meds) {
    if (e.excluded || e.undetermined || !e.Active(st.t0, active_window)) continue;
    for (int d : e.med->ingredients) {
      if (d != st.drug.bromocriptine && d != st.drug.amantadine) continue;
      if (d == st.drug.bromocriptine) m.bromocriptine_active.push_back(&e);
      if (d == st.drug.amantadine) m.amantadine_active.push_back(&e);
      bool for_nms = false;
      for (const std::string& word : st.p.nms_indication_words) {
        if (ContainsWord(e.med->indication, word)) for_nms = true;
      }
      if (for_nms || (e.start && *e.start >= st.t0 - episode)) {
        counted.insert(d);
      } else if (!e.start) {
        unknown_start.insert(d);
        m.concurrent_unknown_start.push_back(&e);
      }
    }
  }
  for (int d : counted) {
    m.concurrent_members.push_back(DrugName(st.kb, d));
    m.df17_counted_drugs.insert(d);
  }
  std::erase_if(m.concurrent_unknown_start, [&](const MedEntry* e) {
    for (int d : e->med->ingredients) {
      if (counted.count(d)) return true;
    }
    return false;
  });
  // ECT: a treatment within 7 days or a course in progress.
  Tri in_progress = st.Ctx(CtxFlag::kEctInProgress);
  if (st.in.procedures_supplied || IsKnown(in_progress)) m.ect_status_known = true;
  if (IsTrue(in_progress)) m.ect_active = true;
  for (const Procedure& proc : st.in.procedures) {
    if (proc.time > st.t0) {
      st.after_t0.push_back(ValueFact("procedure", Value::Str("ECT"), proc.source));
      st.after_t0.back().at = proc.time;
    } else if (proc.time >= st.t0 - ect_window) {
      m.ect_active = true;
    }
  }
  if (m.ect_active) m.concurrent_members.push_back("ECT");
  const int known = static_cast<int>(m.concurrent_members.size());
  const int from_meds = static_cast<int>(counted.size());
  if (!m.list_supplied) {
    m.concurrent_count = known >= 2 ? std::optional<int>(known) : std::nullopt;
  } else if (known >= 2) {
    m.concurrent_count = known;
  } else if (!m.concurrent_unknown_start.empty()) {
    m.concurrent_count = std::nullopt;
  } else if (!m.ect_status_known && from_meds == 1) {
    m.concurrent_count = std::nullopt;  // B7: ECT could make it 2
  } else {
    m.concurrent_count = known;
  }
}

// DF-22: dantrolene already given within 24 h, in mg.
void DerivePriorDantrolene(State& st) {
  MedicationFacts& m = st.m;
  const Instant window = 24 * kHour;
  if (!m.list_supplied) return;  // unknown
  Fixed total;
  bool unknown = false;
  for (const MedEntry& e : st.meds) {
    if (e.excluded || !e.HasIngredient(st.drug.dantrolene)) continue;
    bool any_record = false;  // an administration record within the window
    for (const Administration& a : e.med->administrations) {
      if (a.at > st.t0 || a.at < st.t0 - window) continue;
      any_record = true;
      m.dantrolene_given_24h = true;
      if (!m.oldest_dantrolene_dose || a.at < *m.oldest_dantrolene_dose) m.oldest_dantrolene_dose = a.at;
      if (a.dose_mg) {
        total = total + *a.dose_mg;
        AddFact(m.dantrolene_facts, Fact{"dantrolene_dose", Value::Num(*a.dose_mg), "mg", a.at, a.source, {}, ""});
      } else if (a.dose_mg_per_kg && st.c.weight_kg) {
        Fixed mg = a.dose_mg_per_kg->Times(*st.c.weight_kg, 1);
        total = total + mg;
        AddFact(m.dantrolene_facts, Fact{"dantrolene_dose", Value::Num(mg), "mg", a.at, a.source, {}, ""});
      } else {
        unknown = true;
        if (std::find(m.dantrolene_amount_missing.begin(), m.dantrolene_amount_missing.end(), &e) ==
            m.dantrolene_amount_missing.end()) {
          m.dantrolene_amount_missing.push_back(&e);
        }
      }
    }
    if (e.med->last_administered && *e.med->last_administered <= st.t0 &&
        *e.med->last_administered >= st.t0 - window) {
      m.dantrolene_given_24h = true;
    }
    // An entry exposed within 24 h without any administration record: an amount may have been given.
    if (!any_record && e.ExposedWithin(st.t0, window)) {
      unknown = true;
      m.dantrolene_amount_missing.push_back(&e);
    }
  }
  if (!unknown) m.prior_dantrolene_mg = total;
}

// DF-28: empirical antibiotic therapy and how long it has been running.
void DeriveEmpiricAntibiotics(State& st) {
  MedicationFacts& m = st.m;
  const Instant active_window = st.p.window_active_h.FloorInt() * kHour;
  const Instant gap = st.p.antibiotic_gap_h.FloorInt() * kHour;
  struct Interval {
    std::optional<Instant> start;
    std::optional<Instant> end;
    const MedEntry* entry;
  };
  std::vector<Interval> intervals;
  std::vector<const MedEntry*> azt, vanc, cip, clinda;
  for (const MedEntry& e : st.meds) {
    if (e.excluded || e.undetermined) continue;
    if (e.roles & kRoleEmpiricBetaLactam) intervals.push_back({e.start, e.end, &e});
    if (e.HasIngredient(st.drug.aztreonam)) azt.push_back(&e);
    if (e.HasIngredient(st.drug.vancomycin)) vanc.push_back(&e);
    if (e.HasIngredient(st.drug.ciprofloxacin)) cip.push_back(&e);
    if (e.HasIngredient(st.drug.clindamycin)) clinda.push_back(&e);
    if (e.Active(st.t0, active_window)) {
      if (e.HasIngredient(st.drug.vancomycin)) m.vancomycin_active = true;
      if (e.HasIngredient(st.drug.ceftazidime)) m.ceftazidime_active = true;
      if (e.roles & kRoleMouldActiveAzole) {
        m.mould_azole_active = true;
        m.mould_azole_entries.push_back(&e);
      }
    }
  }
  // Allergy regimens count while both components overlap.
  auto add_pairs = [&](const std::vector<const MedEntry*>& a, const std::vector<const MedEntry*>& b) {
    for (const MedEntry* x : a) {
      for (const MedEntry* y : b) {
        std::optional<Instant> s;
        if (x->start && y->start) s = std::max(*x->start, *y->start);
        else if (x->start || y->start) s = x->start ? x->start : y->start;  // the later known start
        std::optional<Instant> e;
        if (x->end && y->end) e = std::min(*x->end, *y->end);
        else e = x->end ? x->end : y->end;
        if (s && e && *e < *s) continue;  // never overlapped
        intervals.push_back({s, e, x});
        intervals.push_back({s, e, y});
      }
    }
  };
  add_pairs(azt, vanc);
  add_pairs(cip, clinda);
  auto active = [&](const Interval& iv) {
    return (!iv.start || *iv.start <= st.t0) && (!iv.end || *iv.end >= st.t0 - active_window);
  };
  bool any_active = false;
  for (const Interval& iv : intervals) {
    if (active(iv)) {
      any_active = true;
      if (std::find(m.empiric_entries.begin(), m.empiric_entries.end(), iv.entry) == m.empiric_entries.end()) {
        m.empiric_entries.push_back(iv.entry);
      }
    }
  }
  std::optional<Instant> ctx_start = st.in.context.antibiotics_started_at;
  if (ctx_start && *ctx_start > st.t0) {
    st.after_t0.push_back(ValueFact("antibiotics_started_at", Value::Str(FormatDateTime(*ctx_start)),
                                    "/context/antibiotics_started_at"));
    ctx_start.reset();
  }
  if (!m.list_supplied && !ctx_start) {
    m.empiric_active = Tri::kUnknown;
    return;
  }
  if (!any_active && !ctx_start) {
    m.empiric_active = Tri::kFalse;
    m.antibiotic_hours = Fixed();
    return;
  }
  m.empiric_active = Tri::kTrue;
  // The chain of qualifying entries that reaches T0 with no gap longer than 24 h.
  std::optional<Instant> chain_start;
  bool chain_unknown = false;
  if (any_active) {
    bool first = true;
    for (const Interval& iv : intervals) {
      if (!active(iv)) continue;
      if (!iv.start) chain_unknown = true;
      else if (first || *iv.start < *chain_start) chain_start = iv.start;
      first = false;
    }
    bool changed = !chain_unknown;
    while (changed) {
      changed = false;
      for (const Interval& iv : intervals) {
        if (iv.start && *iv.start >= *chain_start) continue;
        if (iv.end && *iv.end < *chain_start - gap) continue;
        if (!iv.start) {
          chain_unknown = true;
          break;
        }
        chain_start = iv.start;
        changed = true;
      }
      if (chain_unknown) break;
    }
  }
  if (ctx_start && (!any_active || chain_unknown || *ctx_start < *chain_start)) {
    chain_start = ctx_start;
    chain_unknown = false;
  }
  if (chain_unknown || !chain_start) return;  // hours unknown
  m.antibiotic_start = chain_start;
  m.antibiotic_hours = Fixed::FromInt(st.t0 - *chain_start).MulDiv(1, kHour, 1);
}

}  // namespace

bool MedEntry::ExposedWithin(Instant t0, Instant window) const {
  if (excluded || undetermined) return false;
  if (start && *start > t0) return false;
  return !end || *end >= t0 - window;
}

bool MedEntry::HasIngredient(int drug) const {
  return drug >= 0 && std::find(med->ingredients.begin(), med->ingredients.end(), drug) != med->ingredients.end();
}

std::optional<Instant> MedEntry::LastExposure(Instant t0) const {
  if (excluded || undetermined) return std::nullopt;
  if (!end || *end >= t0) return t0;
  return end;
}

void DeriveMedicationFacts(State& st) {
  st.m.list_supplied = st.in.medications_supplied;
  st.meds.reserve(st.in.medications.size());
  for (const Medication& med : st.in.medications) st.meds.push_back(BuildEntry(st, med));
  // A canonical order, so that nothing downstream depends on the order of the input list (§5.1 determinism).
  StableSortByKey(st.meds, [&](const MedEntry& e) {
    std::string first = e.med->ingredients.empty() ? AsciiLower(e.med->name) : DrugName(st.kb, e.med->ingredients.front());
    return std::make_tuple(std::move(first), e.start.value_or(INT64_MIN), e.end.value_or(INT64_MAX),
                           std::string_view(e.med->name), std::string_view(e.med->source));
  });

  DeriveExposurePattern(st);
  const Instant nms_window = st.p.nms_window_h.FloorInt() * kHour;
  const Instant active_window = st.p.window_active_h.FloorInt() * kHour;
  st.m.serotonergic = ClassExposure(st, kRoleSerotonergic, nms_window, st.m.serotonergic_entries);
  st.m.anticholinergic = ClassExposure(st, kRoleAntimuscarinic, nms_window, st.m.anticholinergic_entries);
  DeriveMhExposure(st);
  DeriveConcurrentTherapies(st);
  st.m.ccb_non_dhp = ClassExposure(st, kRoleCcbNonDihydropyridine, active_window, st.m.ccb_non_dhp_entries,
                                   &st.m.ccb_non_dhp_undetermined);
  st.m.ccb_dhp = ClassExposure(st, kRoleCcbDihydropyridine, active_window, st.m.ccb_dhp_entries);
  DerivePriorDantrolene(st);
  DeriveEmpiricAntibiotics(st);

  // Input of DF-31: the latest cytotoxic chemotherapy in the medication list.
  for (const MedEntry& e : st.meds) {
    if (e.excluded || e.undetermined || !(e.roles & kRoleCytotoxicChemotherapy)) continue;
    auto last = e.LastExposure(st.t0);
    if (last && (!st.m.last_chemo_from_meds || *last > *st.m.last_chemo_from_meds)) st.m.last_chemo_from_meds = last;
  }
}

}  // namespace nmscds::engine
