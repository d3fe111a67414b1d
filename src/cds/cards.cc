// CDS Hooks cards: interfaces.md §8.7 (nms-assessment), §8.8 (nms-dantrolene-order), §8.9
// (nms-trigger-order) and the card rules of §8.10. The JSON is built with nlohmann::ordered_json so that
// member order is the order written here (same input -> same bytes).
#include "cds/cards.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "cds/card_text.h"
#include "cds/uuid.h"
#include "common/text.h"
#include "fhir/fhir_json.h"
#include "kb/knowledge_base.h"

namespace nmscds {

namespace {

using Json = nlohmann::ordered_json;

// Code systems of the interface (§1.5, §8.8); not clinical wording.
constexpr std::string_view kTopicSystem = "urn:nmscds:cs:card-topic";
constexpr std::string_view kOverrideSystem = "urn:nmscds:cs:override-reason";
// FHIR code systems: the reader's constants (one spelling of each URL).
constexpr std::string_view kRxNormSystem = fhir::kRxNorm;
constexpr std::string_view kSnomedSystem = fhir::kSnomed;
constexpr std::string_view kUcumSystem = fhir::kUcum;
constexpr std::string_view kSourceLabel = "nmscds";

// ---------------------------------------------------------------------------------------------------
// Topics and override reasons, in the orders of §8.10.

enum class Topic : std::uint8_t { kNms, kFebrileNeutropenia, kDantroleneOrder, kTriggerOrder, kDataUnavailable };

struct TopicDef {
  std::string_view code;
  TextId title;
};
constexpr std::array<TopicDef, 5> kTopics = {{
    {"nms", TextId::kCardTopicNms},
    {"febrile-neutropenia", TextId::kCardTopicFebrileNeutropenia},
    {"dantrolene-order", TextId::kCardTopicDantroleneOrder},
    {"trigger-order", TextId::kCardTopicTriggerOrder},
    {"data-unavailable", TextId::kCardTopicDataUnavailable},
}};
const TopicDef& Def(Topic t) { return kTopics[static_cast<std::size_t>(t)]; }

enum Override : std::uint8_t {
  kBenefit = 1u << 0,
  kDataOutdated = 1u << 1,
  kMuscleOrigin = 1u << 2,
  kSpecialist = 1u << 3,
  kNmsExcluded = 1u << 4,
};
struct OverrideDef {
  Override bit;
  std::string_view code;
  TextId display;
};
// The order of the §8.10 table, whichever subset a card carries.
constexpr std::array<OverrideDef, 5> kOverrides = {{
    {kBenefit, "benefit-outweighs-risk", TextId::kCardOverrideBenefit},
    {kDataOutdated, "data-outdated", TextId::kCardOverrideDataOutdated},
    {kMuscleOrigin, "transaminases-muscle-origin", TextId::kCardOverrideMuscleOrigin},
    {kSpecialist, "specialist-advised", TextId::kCardOverrideSpecialist},
    {kNmsExcluded, "nms-excluded", TextId::kCardOverrideNmsExcluded},
}};

enum class Indicator : std::uint8_t { kCritical, kWarning, kInfo };
std::string_view IndicatorCode(Indicator i) {
  switch (i) {
    case Indicator::kCritical: return "critical";
    case Indicator::kWarning: return "warning";
    case Indicator::kInfo: return "info";
  }
  return "info";
}

// Short reason labels (§8.10), one per reason code of clinical §6.2.
struct ReasonLabel {
  std::string_view code;
  TextId label;
};
constexpr std::array<ReasonLabel, 21> kReasonLabels = {{
    {"liver_disease_known", TextId::kCardReasonLiverDisease},
    {"alt_above_uln", TextId::kCardReasonAlt},
    {"ast_above_uln", TextId::kCardReasonAst},
    {"bilirubin_above_uln", TextId::kCardReasonBilirubin},
    {"iv_access_poor", TextId::kCardReasonIvPoor},
    {"iv_access_none", TextId::kCardReasonIvNone},
    {"d2_polypharmacy", TextId::kCardReasonD2Polypharmacy},
    {"multiple_concurrent_nms_therapies", TextId::kCardReasonConcurrentTherapies},
    {"ccb_non_dihydropyridine_active", TextId::kCardReasonCcb},
    {"cumulative_24h_cap_reached", TextId::kCardReasonCapReached},
    {"rigidity_not_severe_not_refractory", TextId::kCardReasonRigidityNotSevere},
    {"no_nms_trigger", TextId::kCardReasonNoTrigger},
    {"stage_below_iii", TextId::kCardReasonStageBelowIii},
    {"hepatic_status_unknown", TextId::kCardReasonHepaticUnknown},
    {"iv_access_unknown", TextId::kCardReasonIvUnknown},
    {"exposure_pattern_unknown", TextId::kCardReasonExposureUnknown},
    {"rigidity_grade_unknown", TextId::kCardReasonRigidityUnknown},
    {"stage_unknown", TextId::kCardReasonStageUnknown},
    {"prior_dantrolene_amount_unknown", TextId::kCardReasonPriorDantroleneUnknown},
    {"weight_unknown_with_prior_dantrolene", TextId::kCardReasonWeightUnknown},
    {"concurrent_therapies_unknown", TextId::kCardReasonConcurrentUnknown},
}};

// Fact names whose string values are the agents a reason label lists (clinical §6.2 DEC-3).
constexpr std::array<std::string_view, 2> kAgentFactNames = {"d2_antagonist", "ccb_non_dihydropyridine"};

// Plan items of febrile neutropenia (clinical §8.2): shown on the FN card, not repeated on the NMS card.
constexpr std::array<std::string_view, 5> kFnPlanIds = {"EMPIRIC_ANTIBIOTICS", "CONTINUE_ANTIBIOTICS", "VANCOMYCIN",
                                                        "GCSF", "ANTIFUNGAL"};

constexpr std::size_t kMaxMissingItems = 5;  // §8.7: "up to five missing-data items"

// Prefetch keys of §8.6 and their labels.
struct PrefetchLabel {
  std::string_view key;
  TextId label;
};
constexpr std::array<PrefetchLabel, 11> kPrefetchLabels = {{
    {"patient", TextId::kCardPrefetchPatient},
    {"vitals", TextId::kCardPrefetchVitals},
    {"labs", TextId::kCardPrefetchLabs},
    {"findings", TextId::kCardPrefetchFindings},
    {"medication_requests", TextId::kCardPrefetchMedicationRequests},
    {"medication_administrations", TextId::kCardPrefetchMedicationAdministrations},
    {"medication_statements", TextId::kCardPrefetchMedicationStatements},
    {"conditions", TextId::kCardPrefetchConditions},
    {"allergies", TextId::kCardPrefetchAllergies},
    {"procedures", TextId::kCardPrefetchProcedures},
    {"devices", TextId::kCardPrefetchDevices},
}};

// ---------------------------------------------------------------------------------------------------
// Small helpers.

std::string Text(const KnowledgeBase& kb, TextId id, std::initializer_list<TextArg> args = {}) {
  const TextEntry& entry = kb.text(id);
  return FillTemplate(entry.text, entry.parts, args);
}

std::string Num(Fixed v) { return v.ToString(); }

// A FHIR decimal: integers as integers, others as their shortest decimal.
Json NumberJson(Fixed v) {
  if (v.micros() % Fixed::kScale == 0) return Json(v.micros() / Fixed::kScale);
  return Json(v.ToDouble());
}

bool IsFnPlanItem(std::string_view id) {
  return std::find(kFnPlanIds.begin(), kFnPlanIds.end(), id) != kFnPlanIds.end();
}

bool HasWarning(const Report& r, std::string_view code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

std::string Bullet(std::string_view text) { return "- " + EscapeMarkdown(text); }

// A heading line followed by bullets; empty when there are no bullets.
std::string BulletBlock(std::string heading, const std::vector<std::string>& bullets) {
  if (bullets.empty()) return {};
  std::string out = std::move(heading);
  for (const auto& b : bullets) {
    if (!out.empty()) out += '\n';
    out += b;
  }
  return out;
}

std::string DecisionLabel(const KnowledgeBase& kb, std::string_view decision) {
  if (decision == "malignant_hyperthermia_protocol") return Text(kb, TextId::kCardDecisionMh);
  if (decision == "not_applicable") return Text(kb, TextId::kCardDecisionNotApplicable);
  if (decision == "contraindicated") return Text(kb, TextId::kCardDecisionContraindicated);
  if (decision == "not_indicated") return Text(kb, TextId::kCardDecisionNotIndicated);
  if (decision == "insufficient_data") return Text(kb, TextId::kCardDecisionInsufficientData);
  if (decision == "consider") return Text(kb, TextId::kCardDecisionConsider);
  return std::string(decision);  // a code the schema does not know is shown as is, never dropped
}

std::string SuspicionLabel(const KnowledgeBase& kb, std::string_view suspicion) {
  if (suspicion == "high") return Text(kb, TextId::kCardSuspicionHigh);
  if (suspicion == "possible") return Text(kb, TextId::kCardSuspicionPossible);
  if (suspicion == "unlikely") return Text(kb, TextId::kCardSuspicionUnlikely);
  return std::string(suspicion);
}

std::string SuspicionRuleLabel(const KnowledgeBase& kb, std::string_view rule) {
  if (rule == "trigger_and_iec_cutoff") return Text(kb, TextId::kCardRuleIecCutoff);
  if (rule == "trigger_and_cardinal_features") return Text(kb, TextId::kCardRuleCardinal);
  if (rule == "clinician_suspected") return Text(kb, TextId::kCardRuleClinician);
  if (rule == "none") return Text(kb, TextId::kCardRuleNone);
  return std::string(rule);
}

// Woodbury stage as shown after "stage": the numeral, or a label for unknown / not staged.
std::string StageLabel(const KnowledgeBase& kb, std::string_view stage) {
  if (stage == "unknown") return Text(kb, TextId::kCardStageUnknown);
  if (stage == "not_staged") return Text(kb, TextId::kCardStageNotStaged);
  return std::string(stage);
}

std::string ReasonLabelText(const KnowledgeBase& kb, const Reason& reason, bool shorten) {
  for (const ReasonLabel& l : kReasonLabels) {
    if (l.code != reason.code) continue;
    std::vector<std::string> agents;
    for (const Fact& f : reason.facts) {
      const bool agent_fact = std::find(kAgentFactNames.begin(), kAgentFactNames.end(), f.name) != kAgentFactNames.end();
      if (agent_fact && f.value.type == Value::Type::kString &&
          std::find(agents.begin(), agents.end(), f.value.text) == agents.end()) {
        agents.push_back(f.value.text);
      }
    }
    const std::string more =
        agents.size() > 2 ? Text(kb, TextId::kCardAgentsMore, {{"count", std::to_string(agents.size() - 2)}}) : "";
    const std::string list = AgentList(agents, shorten, more);
    return Text(kb, l.label, {{"agents", list}});
  }
  std::string fallback = reason.code;  // unknown code: shown, never dropped
  std::replace(fallback.begin(), fallback.end(), '_', ' ');
  return fallback;
}

std::string ReasonLabels(const KnowledgeBase& kb, const std::vector<Reason>& reasons, bool shorten) {
  std::string out;
  for (const Reason& r : reasons) {
    if (!out.empty()) out += "; ";
    out += ReasonLabelText(kb, r, shorten);
  }
  return out;
}

std::string UnavailableKeys(const KnowledgeBase& kb, const std::vector<std::string>& keys) {
  std::vector<std::string> labels;
  for (const std::string& key : keys) {
    auto it = std::find_if(kPrefetchLabels.begin(), kPrefetchLabels.end(),
                           [&](const PrefetchLabel& l) { return l.key == key; });
    std::string label = it != kPrefetchLabels.end() ? Text(kb, it->label) : key;
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(std::move(label));
  }
  return JoinAnd(labels);
}

// "_Data note_: ..." for every card when prefetch data were unavailable (§8.6, §8.7).
std::string DataNote(const KnowledgeBase& kb, const CardRequest& req) {
  if (req.unavailable.empty()) return {};
  return Text(kb, TextId::kCardDetailUnavailable, {{"keys", EscapeMarkdown(UnavailableKeys(kb, req.unavailable))}});
}

std::string DecisionBlock(const KnowledgeBase& kb, const Report& r) {
  std::string out = Text(kb, TextId::kCardDetailDecision,
                         {{"decision", EscapeMarkdown(DecisionLabel(kb, r.dantrolene.decision))},
                          {"protocol", EscapeMarkdown(r.protocol)}});
  for (const Reason& reason : r.dantrolene.reasons) {
    out += '\n';
    out += Bullet(reason.text);
  }
  return out;
}

std::string SuspicionBlock(const KnowledgeBase& kb, const Report& r) {
  const NmsSection& n = r.nms;
  std::string out = Text(kb, TextId::kCardDetailSuspicion,
                         {{"level", SuspicionLabel(kb, n.suspicion)},
                          {"points", std::to_string(n.iec.points)},
                          {"cutoff", std::to_string(n.iec.cutoff)},
                          {"stage", StageLabel(kb, n.woodbury.stage)}});
  AppendSentence(out, Text(kb, TextId::kCardDetailSuspicionBasis, {{"basis", SuspicionRuleLabel(kb, n.suspicion_rule)}}));
  std::vector<std::string> features;
  const CardinalFeatures& cf = n.cardinal_features;
  if (cf.hyperthermia.status == "present") features.push_back(Text(kb, TextId::kFeatureHyperthermia));
  if (cf.rigidity.status == "present") features.push_back(Text(kb, TextId::kFeatureRigidity));
  if (cf.altered_mental_status.status == "present") features.push_back(Text(kb, TextId::kFeatureMentalStatus));
  if (cf.autonomic_dysfunction.status == "present") features.push_back(Text(kb, TextId::kFeatureAutonomic));
  if (!features.empty()) AppendSentence(out, Text(kb, TextId::kCardDetailCardinal, {{"features", JoinAnd(features)}}));
  return EscapeMarkdown(out);
}

std::string WarningsBlock(const KnowledgeBase& kb, const Report& r) {
  std::vector<std::string> bullets;
  for (const Warning& w : r.warnings) {
    if (w.severity == "critical" || w.severity == "warning") bullets.push_back(Bullet(w.text));
  }
  return BulletBlock(Text(kb, TextId::kCardDetailWarningsHeading), bullets);
}

std::string MissingBlock(const KnowledgeBase& kb, const Report& r) {
  std::vector<std::string> bullets;
  for (std::size_t i = 0; i < r.missing_data.size() && i < kMaxMissingItems; ++i) {
    bullets.push_back(Bullet(r.missing_data[i].text));
  }
  if (r.missing_data.size() > kMaxMissingItems) {
    bullets.push_back(Bullet(
        Text(kb, TextId::kCardDetailMissingMore, {{"count", std::to_string(r.missing_data.size() - kMaxMissingItems)}})));
  }
  return BulletBlock(Text(kb, TextId::kCardDetailMissingHeading), bullets);
}

// The dopaminergic alternatives (bromocriptine, amantadine) that may replace dantrolene (§8.8): status
// recommended or alternative, in rank order.
std::vector<const Alternative*> ReplacementAlternatives(const Report& r, const KnowledgeBase& kb) {
  std::vector<const Alternative*> out;
  for (const Alternative& a : r.alternatives) {
    const int drug = kb.FindDrug(a.drug);
    if (drug < 0 || (kb.drug(drug).roles & kRoleDopaminergic) == 0) continue;
    if (a.status == "recommended" || a.status == "alternative") out.push_back(&a);
  }
  std::stable_sort(out.begin(), out.end(), [](const Alternative* x, const Alternative* y) { return x->rank < y->rank; });
  return out;
}

std::string AlternativeLine(const KnowledgeBase& kb, const Alternative& a) {
  const std::string text = a.regimen ? a.regimen->text : std::string();
  const TextId id = a.status == "recommended" ? TextId::kCardDetailAlternativeRecommended
                                              : TextId::kCardDetailAlternativeOther;
  return Bullet(Text(kb, id, {{"drug", a.drug}, {"text", text}}));
}

// ---------------------------------------------------------------------------------------------------
// Cards.

struct Card {
  Indicator indicator = Indicator::kInfo;
  Topic topic = Topic::kNms;
  std::string order_id;  // for the §8.10 order; empty for patient cards
  Json json;
  CardSummary summary;
};

class CardBuilder {
 public:
  CardBuilder(const KnowledgeBase& kb, const CardRequest& req, Topic topic, std::string order_id) : kb_(kb) {
    card_.topic = topic;
    card_.order_id = std::move(order_id);
    std::string key(Def(topic).code);
    if (!card_.order_id.empty()) key += ":MedicationRequest/" + card_.order_id;
    // §8.10: card name <hookInstance>|<service id>|card|<card key>.
    uuid_ = UuidV5(kCardUuidNamespace, req.hook_instance + "|" + req.service_id + "|card|" + key);
  }

  const std::string& uuid() const { return uuid_; }

  // Suggestion name <card uuid>|suggestion|<suggestion key>.
  std::string SuggestionUuid(std::string_view key) const {
    return UuidV5(kCardUuidNamespace, uuid_ + "|suggestion|" + std::string(key));
  }

  void AddSuggestion(std::string_view key, std::string label, bool recommended, Json actions) {
    Json s = Json::object();
    s["label"] = std::move(label);
    std::string id = SuggestionUuid(key);
    s["uuid"] = id;
    if (recommended) s["isRecommended"] = true;
    s["actions"] = std::move(actions);
    suggestions_.push_back(std::move(s));
    suggestion_uuids_.push_back(std::move(id));
  }

  Card Finish(Indicator indicator, std::string summary, std::string detail, std::string_view selection_behavior,
              unsigned overrides) && {
    Json j = Json::object();
    j["uuid"] = uuid_;
    j["summary"] = std::move(summary);
    if (!detail.empty()) j["detail"] = std::move(detail);
    j["indicator"] = IndicatorCode(indicator);
    Json topic = Json::object();
    topic["system"] = kTopicSystem;
    topic["code"] = Def(card_.topic).code;
    topic["display"] = Text(kb_, Def(card_.topic).title);
    j["source"] = Json::object({{"label", kSourceLabel}});
    j["source"]["topic"] = std::move(topic);
    if (!suggestions_.empty()) {
      j["suggestions"] = std::move(suggestions_);
      j["selectionBehavior"] = selection_behavior;  // §8.10: present exactly when suggestions are
    }
    Json reasons = Json::array();
    for (const OverrideDef& o : kOverrides) {
      if ((overrides & o.bit) == 0) continue;
      Json coding = Json::object();
      coding["system"] = kOverrideSystem;
      coding["code"] = o.code;
      coding["display"] = Text(kb_, o.display);
      reasons.push_back(std::move(coding));
    }
    if (!reasons.empty()) j["overrideReasons"] = std::move(reasons);
    card_.indicator = indicator;
    card_.summary = CardSummary{uuid_, std::string(Def(card_.topic).code), std::string(IndicatorCode(indicator)),
                                std::move(suggestion_uuids_)};
    card_.json = std::move(j);
    return std::move(card_);
  }

 private:
  const KnowledgeBase& kb_;
  Card card_;
  std::string uuid_;
  Json suggestions_ = Json::array();
  std::vector<std::string> suggestion_uuids_;
};

CdsResponse Respond(std::vector<Card> cards) {
  // §8.10 order: indicator, topic, order id.
  std::stable_sort(cards.begin(), cards.end(), [](const Card& a, const Card& b) {
    if (a.indicator != b.indicator) return a.indicator < b.indicator;
    if (a.topic != b.topic) return a.topic < b.topic;
    return a.order_id < b.order_id;
  });
  CdsResponse out;
  Json list = Json::array();
  for (Card& c : cards) {
    list.push_back(std::move(c.json));
    out.cards.push_back(std::move(c.summary));
  }
  Json doc = Json::object();
  doc["cards"] = std::move(list);
  out.json = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  return out;
}

Json DeleteAction(std::string description, const std::string& order_id) {
  Json a = Json::object();
  a["type"] = "delete";
  a["description"] = std::move(description);
  a["resourceId"] = "MedicationRequest/" + order_id;
  return a;
}

// The draft MedicationRequest for a dopaminergic alternative (§8.8): no id; dose, timing and text from the
// report's regimen; members that would be empty are omitted.
Json DraftMedicationRequest(const KnowledgeBase& kb, const CardRequest& req, const Alternative& alt) {
  Json mr = Json::object();
  mr["resourceType"] = "MedicationRequest";
  mr["status"] = "draft";
  mr["intent"] = "order";
  const int drug_index = kb.FindDrug(alt.drug);
  const std::string name = drug_index >= 0 ? kb.drug(drug_index).name : alt.drug;
  Json concept_json = Json::object();
  if (drug_index >= 0 && !kb.drug(drug_index).rxcuis.empty()) {
    Json coding = Json::object();
    coding["system"] = kRxNormSystem;
    coding["code"] = kb.drug(drug_index).rxcuis.front();  // the ingredient code comes first (drugs.json)
    coding["display"] = name;
    concept_json["coding"] = Json::array({std::move(coding)});
  }
  concept_json["text"] = name;
  mr["medicationCodeableConcept"] = std::move(concept_json);
  if (!req.patient_id.empty()) mr["subject"] = Json::object({{"reference", "Patient/" + req.patient_id}});
  if (!req.encounter_id.empty()) mr["encounter"] = Json::object({{"reference", "Encounter/" + req.encounter_id}});
  for (const ConceptDef& c : kb.concepts) {
    if (c.concept_id != ConceptId::kNms || c.snomed.empty()) continue;
    Json coding = Json::object();
    coding["system"] = kSnomedSystem;
    coding["code"] = c.snomed.front();
    coding["display"] = Text(kb, TextId::kCardNmsCodeDisplay);
    mr["reasonCode"] = Json::array({Json::object({{"coding", Json::array({std::move(coding)})}})});
  }
  if (alt.regimen) {
    const AlternativeRegimen& rg = *alt.regimen;
    Json dosage = Json::object();
    if (!rg.text.empty()) dosage["text"] = Text(kb, TextId::kCardDosageText, {{"drug", name}, {"regimen", rg.text}});
    if (rg.interval_h) {
      Json repeat = Json::object();
      repeat["frequency"] = 1;
      repeat["period"] = NumberJson(rg.interval_h->low);
      repeat["periodUnit"] = "h";
      dosage["timing"] = Json::object({{"repeat", std::move(repeat)}});
    }
    if (rg.dose_mg) {
      Json quantity = Json::object();
      quantity["value"] = NumberJson(rg.dose_mg->low);
      quantity["unit"] = "mg";
      quantity["system"] = kUcumSystem;
      quantity["code"] = "mg";
      dosage["doseAndRate"] = Json::array({Json::object({{"doseQuantity", std::move(quantity)}})});
    }
    if (!dosage.empty()) mr["dosageInstruction"] = Json::array({std::move(dosage)});
  }
  return mr;
}

// ---------------------------------------------------------------------------------------------------
// §8.7 patient-view.

std::string MhSummary(const KnowledgeBase& kb, const Report& r, TextId with_weight, TextId without_weight) {
  const auto& rg = r.dantrolene.regimen;
  if (rg && rg->initial_mg) {
    return CutAtWord(Text(kb, with_weight, {{"dose_mg", Num(rg->initial_mg->low)},
                                            {"dose_mg_per_kg", Num(rg->initial_mg_per_kg.low)}}),
                     kSummaryMaxChars);
  }
  // §8.10: without a known weight the MH templates show mg/kg only. The bolus comes from the knowledge
  // base when the report carries no regimen.
  const Fixed per_kg = rg ? rg->initial_mg_per_kg.low : kb.params.dantrolene_mh_bolus_mg_per_kg;
  return CutAtWord(Text(kb, without_weight, {{"dose_mg_per_kg", Num(per_kg)}}), kSummaryMaxChars);
}

Card NmsCard(const Report& r, const CardRequest& req, const std::vector<ActiveTriggerOrder>& active,
             const KnowledgeBase& kb) {
  CardBuilder b(kb, req, Topic::kNms, "");
  const bool mh = r.dantrolene.decision == "malignant_hyperthermia_protocol";
  Indicator indicator = mh || r.nms.suspicion == "high" ? Indicator::kCritical : Indicator::kWarning;
  std::string summary;
  if (mh) {
    summary = MhSummary(kb, r, TextId::kCardSummaryMh, TextId::kCardSummaryMhNoWeight);
  } else {
    std::vector<std::string> stop, restart;
    for (const TriggerAgent& a : r.nms.trigger.agents) {
      (a.exposure == "withdrawn" ? restart : stop).push_back(a.name);
    }
    const std::string level = SuspicionLabel(kb, r.nms.suspicion), points = std::to_string(r.nms.iec.points),
                      stage = StageLabel(kb, r.nms.woodbury.stage),
                      decision = DecisionLabel(kb, r.dantrolene.decision);
    summary = FitSummary([&](bool shorten) {
      const std::vector<std::string>& agents = stop.empty() ? restart : stop;
      if (agents.empty()) {
        return Text(kb, TextId::kCardSummaryNmsNoAgents,
                    {{"level", level}, {"points", points}, {"stage", stage}, {"decision", decision}});
      }
      const std::string more =
          agents.size() > 2 ? Text(kb, TextId::kCardAgentsMore, {{"count", std::to_string(agents.size() - 2)}}) : "";
      return Text(kb, stop.empty() ? TextId::kCardSummaryNmsRestart : TextId::kCardSummaryNmsStop,
                  {{"level", level},
                   {"points", points},
                   {"stage", stage},
                   {"agents", AgentList(agents, shorten, more)},
                   {"decision", decision}});
    });
  }

  // Detail (§8.7): decision and reasons, immediate actions, first-ranked alternative, critical and warning
  // warnings, unavailable data, up to five missing-data items.
  std::vector<std::string> blocks;
  blocks.push_back(DecisionBlock(kb, r));
  blocks.push_back(SuspicionBlock(kb, r));
  std::vector<std::string> actions;
  for (const PlanItem& p : r.plan) {
    if (p.priority == "immediate" && !IsFnPlanItem(p.id)) actions.push_back(Bullet(p.text));
  }
  blocks.push_back(BulletBlock(Text(kb, TextId::kCardDetailActionsHeading), actions));
  const Alternative* first = nullptr;
  for (const Alternative& a : r.alternatives) {
    if ((a.status == "recommended" || a.status == "alternative") && (first == nullptr || a.rank < first->rank)) first = &a;
  }
  if (first != nullptr) {
    blocks.push_back(Text(kb, TextId::kCardDetailAlternativeHeading) + "\n" + AlternativeLine(kb, *first));
  }
  blocks.push_back(WarningsBlock(kb, r));
  blocks.push_back(DataNote(kb, req));
  blocks.push_back(MissingBlock(kb, r));

  unsigned overrides = 0;
  if (!mh) {
    // Suggestions: stop each active dopamine-antagonist order (update, status stopped), ordered by id.
    std::vector<const ActiveTriggerOrder*> orders;
    for (const ActiveTriggerOrder& o : active) orders.push_back(&o);
    std::stable_sort(orders.begin(), orders.end(),
                     [](const ActiveTriggerOrder* x, const ActiveTriggerOrder* y) { return x->id < y->id; });
    for (const ActiveTriggerOrder* o : orders) {
      Json resource = Json::parse(o->resource_json, nullptr, /*allow_exceptions=*/false);
      if (!resource.is_object() || o->id.empty()) continue;  // contract: the server passes parsed resources
      resource["status"] = "stopped";
      resource["statusReason"] = Json::object({{"text", Text(kb, TextId::kCardStatusReasonNms)}});
      Json action = Json::object();
      action["type"] = "update";
      action["description"] = Text(kb, TextId::kCardActionStop, {{"drug", o->drug_name}});
      action["resource"] = std::move(resource);
      std::string label = o->dose_text.empty()
                              ? Text(kb, TextId::kCardSuggestionStopNoDose, {{"drug", o->drug_name}})
                              : Text(kb, TextId::kCardSuggestionStop, {{"drug", o->drug_name}, {"dose", o->dose_text}});
      b.AddSuggestion("stop:MedicationRequest/" + o->id, std::move(label), true, Json::array({std::move(action)}));
    }
    overrides = kNmsExcluded | kDataOutdated | kBenefit;
  }
  return std::move(b).Finish(indicator, std::move(summary),
                             JoinDetail(blocks, Text(kb, TextId::kCardDetailShortened)), "any", overrides);
}

bool FnCardApplies(const Report& r) {
  return r.febrile_neutropenia.presumed || r.febrile_neutropenia.status == "present";
}

Card FnCard(const Report& r, const CardRequest& req, const KnowledgeBase& kb) {
  CardBuilder b(kb, req, Topic::kFebrileNeutropenia, "");
  const FebrileNeutropenia& fn = r.febrile_neutropenia;
  const std::string minutes = Num(kb.params.antibiotic_first_dose_min);
  std::string summary;
  std::string status_label;
  std::vector<std::string> blocks;
  if (fn.presumed) {
    summary = Text(kb, TextId::kCardSummaryFnPresumed, {{"minutes", minutes}});
    status_label = Text(kb, TextId::kCardDetailFnPresumed);
  } else if (fn.anc.value_10e9_l && fn.fever.max_c) {
    summary = Text(kb, TextId::kCardSummaryFnPresent,
                   {{"anc", Num(*fn.anc.value_10e9_l)}, {"max_temp", Num(*fn.fever.max_c)}, {"minutes", minutes}});
    status_label = Text(kb, TextId::kCardDetailFnPresent);
  } else {
    summary = Text(kb, TextId::kCardSummaryFnPresentNoValues, {{"minutes", minutes}});
    status_label = Text(kb, TextId::kCardDetailFnPresent);
  }
  std::string head = Text(kb, TextId::kCardDetailFn, {{"status", EscapeMarkdown(status_label)}});
  if (fn.anc.value_10e9_l && fn.fever.max_c) {
    head += '\n';
    head += EscapeMarkdown(
        Text(kb, TextId::kCardDetailFnValues, {{"anc", Num(*fn.anc.value_10e9_l)}, {"max_temp", Num(*fn.fever.max_c)}}));
  }
  blocks.push_back(std::move(head));
  std::vector<std::string> items;
  for (const PlanItem& p : r.plan) {
    if (IsFnPlanItem(p.id)) items.push_back(Bullet(p.text));
  }
  blocks.push_back(BulletBlock("", items));
  blocks.push_back(DataNote(kb, req));
  // No suggestions: antibiotic choice is local (§8.7).
  return std::move(b).Finish(Indicator::kCritical, CutAtWord(summary, kSummaryMaxChars),
                             JoinDetail(blocks, Text(kb, TextId::kCardDetailShortened)), "", 0);
}

Card DataUnavailableCard(const Report& r, const CardRequest& req, const KnowledgeBase& kb) {
  CardBuilder b(kb, req, Topic::kDataUnavailable, "");
  const std::string keys = UnavailableKeys(kb, req.unavailable);
  std::string summary = CutAtWord(Text(kb, TextId::kCardSummaryDataUnavailable, {{"keys", keys}}), kSummaryMaxChars);
  std::vector<std::string> blocks;
  blocks.push_back(Text(kb, TextId::kCardDetailDataUnavailable));
  blocks.push_back(DataNote(kb, req));
  blocks.push_back(MissingBlock(kb, r));
  return std::move(b).Finish(Indicator::kInfo, std::move(summary),
                             JoinDetail(blocks, Text(kb, TextId::kCardDetailShortened)), "", 0);
}

// ---------------------------------------------------------------------------------------------------
// §8.8 dantrolene order.

Card DantroleneCard(const Report& r, const CardRequest& req, const DraftOrder& order, const KnowledgeBase& kb) {
  CardBuilder b(kb, req, Topic::kDantroleneOrder, order.id);
  const Dantrolene& d = r.dantrolene;
  std::vector<std::string> blocks;
  blocks.push_back(DecisionBlock(kb, r));
  std::string summary;
  Indicator indicator = Indicator::kWarning;
  unsigned overrides = 0;
  const std::string shortened = Text(kb, TextId::kCardDetailShortened);

  if (d.decision == "contraindicated" || d.decision == "not_indicated") {
    const bool contraindicated = d.decision == "contraindicated";
    indicator = contraindicated ? Indicator::kCritical : Indicator::kWarning;
    const TextId tmpl = contraindicated ? TextId::kCardSummaryDantroleneContraindicated
                                        : TextId::kCardSummaryDantroleneNotIndicated;
    summary = FitSummary([&](bool shorten) { return Text(kb, tmpl, {{"reasons", ReasonLabels(kb, d.reasons, shorten)}}); });
    blocks.push_back(WarningsBlock(kb, r));
    const std::vector<const Alternative*> replacements = ReplacementAlternatives(r, kb);
    std::vector<std::string> lines;
    for (const Alternative* a : replacements) lines.push_back(AlternativeLine(kb, *a));
    blocks.push_back(BulletBlock(Text(kb, TextId::kCardDetailInsteadHeading), lines));
    blocks.push_back(SuspicionBlock(kb, r));
    const std::string delete_text = Text(kb, TextId::kCardActionDeleteDantrolene);
    bool any_replacement = false;
    if (contraindicated) {
      for (const Alternative* a : replacements) {
        const int drug_index = kb.FindDrug(a->drug);
        const std::string name = drug_index >= 0 ? kb.drug(drug_index).name : a->drug;
        std::string label, description;
        if (a->regimen && a->regimen->dose_mg && a->regimen->interval_h) {
          const std::string dose = Num(a->regimen->dose_mg->low), interval = Num(a->regimen->interval_h->low);
          label = Text(kb, TextId::kCardSuggestionReplace,
                       {{"drug", name}, {"dose_mg", dose}, {"route", a->regimen->route}, {"interval_h", interval}});
          description = Text(kb, TextId::kCardActionCreate,
                             {{"drug", name}, {"dose_mg", dose}, {"route", a->regimen->route}, {"interval_h", interval}});
        } else {
          label = Text(kb, TextId::kCardSuggestionReplaceNoDose, {{"drug", name}});
          description = Text(kb, TextId::kCardActionCreateNoDose, {{"drug", name}});
        }
        Json create = Json::object();
        create["type"] = "create";
        create["description"] = std::move(description);
        create["resource"] = DraftMedicationRequest(kb, req, *a);
        Json actions = Json::array({DeleteAction(delete_text, order.id), std::move(create)});
        // Rank order; only the first is marked recommended (§8.8).
        b.AddSuggestion("replace-" + a->drug, std::move(label), !any_replacement, std::move(actions));
        any_replacement = true;
      }
    }
    if (!any_replacement) {
      b.AddSuggestion("remove", Text(kb, TextId::kCardSuggestionRemoveDantrolene), true,
                      Json::array({DeleteAction(delete_text, order.id)}));
    }
    overrides = kBenefit | kDataOutdated | kSpecialist;
    if (contraindicated && HasWarning(r, "TRANSAMINASES_MAY_BE_MUSCLE")) overrides |= kMuscleOrigin;
  } else if (d.decision == "consider") {
    // info, or warning with preconditions, an ordered dose above the initial maximum or the 24-h remainder,
    // or a combination warning (§8.8).
    bool warn = !d.preconditions.empty() || HasWarning(r, "COMBINATION_PROLONGS_RECOVERY");
    std::vector<std::string> dose_lines;
    const auto& rg = d.regimen;
    if (rg && rg->initial_mg) {
      summary = Text(kb, TextId::kCardSummaryDantroleneConsider,
                     {{"low_mg", Num(rg->initial_mg->low)},
                      {"high_mg", Num(rg->initial_mg->high)},
                      {"low_mg_per_kg", Num(rg->initial_mg_per_kg.low)},
                      {"high_mg_per_kg", Num(rg->initial_mg_per_kg.high)},
                      {"max_mg", rg->max_mg_24h ? Num(*rg->max_mg_24h) : Num(rg->max_mg_per_kg_24h)}});
    } else {
      const Range per_kg = rg ? rg->initial_mg_per_kg
                              : Range{kb.params.dantrolene_initial_mg_per_kg.low, kb.params.dantrolene_initial_mg_per_kg.high};
      const Fixed max_per_kg = rg ? rg->max_mg_per_kg_24h : kb.params.dantrolene_max_mg_per_kg_24h;
      summary = Text(kb, TextId::kCardSummaryDantroleneConsiderNoWeight,
                     {{"low_mg_per_kg", Num(per_kg.low)}, {"high_mg_per_kg", Num(per_kg.high)}, {"max_mg_per_kg", Num(max_per_kg)}});
    }
    summary = CutAtWord(summary, kSummaryMaxChars);
    if (order.ordered_dose_mg) {
      const std::string ordered = Num(*order.ordered_dose_mg);
      if (rg && rg->initial_mg) {
        if (*order.ordered_dose_mg > rg->initial_mg->high) {
          dose_lines.push_back(Bullet(Text(kb, TextId::kCardDetailDoseAboveInitial,
                                           {{"ordered_mg", ordered}, {"max_mg", Num(rg->initial_mg->high)}})));
        }
        if (rg->remaining_mg_24h && *order.ordered_dose_mg > *rg->remaining_mg_24h) {
          dose_lines.push_back(Bullet(Text(kb, TextId::kCardDetailDoseAboveRemaining,
                                           {{"ordered_mg", ordered}, {"remaining_mg", Num(*rg->remaining_mg_24h)}})));
        }
      } else {
        // Without a weight the maximum is unknown: an unchecked dose is never treated as within limits.
        dose_lines.push_back(Bullet(Text(kb, TextId::kCardDetailDoseNoWeight, {{"ordered_mg", ordered}})));
      }
    }
    warn = warn || !dose_lines.empty();
    indicator = warn ? Indicator::kWarning : Indicator::kInfo;
    blocks.push_back(BulletBlock("", dose_lines));
    if (rg && !rg->text.empty()) {
      blocks.push_back(Text(kb, TextId::kCardDetailRegimenHeading) + "\n" + EscapeMarkdown(rg->text));
    }
    std::vector<std::string> pre;
    for (const Precondition& p : d.preconditions) pre.push_back(Bullet(p.text));
    blocks.push_back(BulletBlock(Text(kb, TextId::kCardDetailPreconditionsHeading), pre));
    blocks.push_back(WarningsBlock(kb, r));
    blocks.push_back(SuspicionBlock(kb, r));
  } else if (d.decision == "malignant_hyperthermia_protocol") {
    indicator = Indicator::kCritical;
    summary = MhSummary(kb, r, TextId::kCardSummaryDantroleneMh, TextId::kCardSummaryDantroleneMhNoWeight);
    if (d.regimen && !d.regimen->text.empty()) {
      blocks.push_back(Text(kb, TextId::kCardDetailRegimenHeading) + "\n" + EscapeMarkdown(d.regimen->text));
    }
    blocks.push_back(WarningsBlock(kb, r));
  } else {
    // insufficient_data, or a decision code this version does not know: never more permissive than
    // "obtain the missing data first" (not_applicable never reaches here).
    indicator = Indicator::kWarning;
    summary = FitSummary(
        [&](bool shorten) { return Text(kb, TextId::kCardSummaryDantroleneInsufficient, {{"items", ReasonLabels(kb, d.reasons, shorten)}}); });
    blocks.push_back(MissingBlock(kb, r));
    blocks.push_back(WarningsBlock(kb, r));
    blocks.push_back(SuspicionBlock(kb, r));
    overrides = kBenefit | kSpecialist;
  }
  blocks.push_back(DataNote(kb, req));
  return std::move(b).Finish(indicator, std::move(summary), JoinDetail(blocks, shortened), "at-most-one", overrides);
}

// ---------------------------------------------------------------------------------------------------
// §8.9 trigger order.

std::string DrugDisplayName(const DraftOrder& order, const KnowledgeBase& kb) {
  if (!order.drug_name.empty()) return order.drug_name;
  std::vector<std::string> names;
  for (int i : order.ingredients) {
    if (i >= 0 && static_cast<std::size_t>(i) < kb.drugs.size()) names.push_back(kb.drug(i).name);
  }
  return names.empty() ? order.id : JoinAnd(names);
}

Card TriggerCard(const Report& r, const CardRequest& req, const DraftOrder& order, bool suspected, const KnowledgeBase& kb) {
  CardBuilder b(kb, req, Topic::kTriggerOrder, order.id);
  const std::string drug = DrugDisplayName(order, kb);
  std::vector<std::string> blocks;
  blocks.push_back(EscapeMarkdown(Text(kb, TextId::kCardDetailTriggerDrug, {{"drug", CapitalizeFirst(drug)}})));
  blocks.push_back(SuspicionBlock(kb, r));
  if (req.history_of_nms.value_or(false)) blocks.push_back(EscapeMarkdown(Text(kb, TextId::kCardDetailTriggerHistory)));
  bool antiemetic = false;
  for (int i : order.ingredients) {
    if (i >= 0 && static_cast<std::size_t>(i) < kb.drugs.size() && (kb.drug(i).roles & kRoleAntiemeticD2) != 0) antiemetic = true;
  }
  if (antiemetic) {
    std::vector<std::string> alternatives, serotonergic;
    for (const Drug& candidate : kb.drugs) {
      if ((candidate.roles & kRoleNonD2Antiemetic) == 0) continue;
      alternatives.push_back(candidate.name);
      if ((candidate.roles & kRoleSerotonergic) != 0) serotonergic.push_back(candidate.name);
    }
    if (!alternatives.empty()) {
      std::string text = Text(kb, TextId::kCardDetailTriggerAntiemetics, {{"drugs", JoinAnd(alternatives)}});
      if (!serotonergic.empty()) {
        AppendSentence(text, Text(kb, TextId::kCardDetailTriggerSerotonergic, {{"drugs", JoinAnd(serotonergic)}}));
      }
      blocks.push_back(EscapeMarkdown(text));
    }
  }
  blocks.push_back(DataNote(kb, req));
  std::string summary;
  Indicator indicator;
  unsigned overrides;
  if (suspected) {
    indicator = r.nms.suspicion == "high" ? Indicator::kCritical : Indicator::kWarning;
    summary = CutAtWord(Text(kb, TextId::kCardSummaryTriggerSuspected, {{"drug", CapitalizeFirst(drug)}}), kSummaryMaxChars);
    b.AddSuggestion("remove", Text(kb, TextId::kCardSuggestionRemoveOrder, {{"drug", drug}}), true,
                    Json::array({DeleteAction(Text(kb, TextId::kCardActionDeleteOrder, {{"drug", drug}}), order.id)}));
    overrides = kNmsExcluded | kBenefit | kSpecialist;
  } else {
    indicator = Indicator::kWarning;
    summary = CutAtWord(Text(kb, TextId::kCardSummaryTriggerHistory, {{"drug", drug}}), kSummaryMaxChars);
    overrides = kBenefit | kSpecialist;
  }
  return std::move(b).Finish(indicator, std::move(summary), JoinDetail(blocks, Text(kb, TextId::kCardDetailShortened)),
                             "at-most-one", overrides);
}

}  // namespace

CdsResponse PatientViewCards(const Report& report, const CardRequest& request,
                             const std::vector<ActiveTriggerOrder>& active_trigger_orders, const KnowledgeBase& kb) {
  std::vector<Card> cards;
  const bool mh = report.dantrolene.decision == "malignant_hyperthermia_protocol";
  if (mh || report.nms.suspicion == "high" || report.nms.suspicion == "possible") {
    cards.push_back(NmsCard(report, request, active_trigger_orders, kb));
  }
  if (FnCardApplies(report)) cards.push_back(FnCard(report, request, kb));
  if (cards.empty() && request.required_data_unavailable) cards.push_back(DataUnavailableCard(report, request, kb));
  return Respond(std::move(cards));
}

CdsResponse DantroleneOrderCards(const Report& report, const CardRequest& request,
                                 const std::vector<DraftOrder>& dantrolene_orders, const KnowledgeBase& kb) {
  std::vector<Card> cards;
  if (report.dantrolene.decision != "not_applicable") {
    for (const DraftOrder& order : dantrolene_orders) cards.push_back(DantroleneCard(report, request, order, kb));
  }
  return Respond(std::move(cards));
}

CdsResponse TriggerOrderCards(const Report& report, const CardRequest& request,
                              const std::vector<DraftOrder>& trigger_orders, const KnowledgeBase& kb) {
  std::vector<Card> cards;
  const bool suspected = report.nms.suspicion == "high" || report.nms.suspicion == "possible";
  const bool history = report.nms.suspicion == "unlikely" && request.history_of_nms.value_or(false);
  if (suspected || history) {
    for (const DraftOrder& order : trigger_orders) cards.push_back(TriggerCard(report, request, order, suspected, kb));
  }
  return Respond(std::move(cards));
}

}  // namespace nmscds
