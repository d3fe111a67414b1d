// CDS Hooks cards and discovery (interfaces.md §8.5-§8.10). Reports come from the real engine run on the
// conformance scenarios of clinical.md §16 and the interface examples; expectations are written from the
// specification. Every response built here is also validated against a CDS Hooks 2.0 response schema
// (tests/data/cds-hooks-response.schema.json) and every FHIR resource inside a suggestion against the FHIR
// R4 JSON Schema (../shared/data/fhir-schema/fhir.schema.json), each in one python call.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cds/card_text.h"
#include "cds/cards.h"
#include "cds/discovery.h"
#include "cds/uuid.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "rule_case_builder.h"
#include "test_util.h"

namespace nmscds {
namespace {

using nlohmann::json;
using OJson = nlohmann::ordered_json;
using rules::AddMed;
using rules::At;
using rules::Day;
using rules::Hr;
using rules::ScenarioCase;
using testing::ReadFile;
using testing::SharedDir;

const KnowledgeBase& Kb() { return rules::Kb(); }

Report AssessCase(const json& c) {
  auto r = Assess(c.dump(), Kb(), {});
  if (!r.ok()) {
    ADD_FAILURE() << "case rejected: " << r.error().issues.front().message;
    return Report{};
  }
  return *r;
}

Report ScenarioReport(const std::string& name) { return AssessCase(ScenarioCase(name)); }

json ExampleCase() { return json::parse(ReadFile(SharedDir() + "/spec/examples/case-fn-polypharmacy.json")); }
json ExampleRequest() { return json::parse(ReadFile(SharedDir() + "/spec/examples/cds-request-order-sign-dantrolene.json")); }
OJson ExampleResponse() {
  return OJson::parse(ReadFile(SharedDir() + "/spec/examples/cds-response-contraindicated.json"));
}

CardRequest Request(const std::string& service, const std::string& hook = "order-sign") {
  CardRequest r;
  r.hook = hook;
  r.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  r.service_id = service;
  r.patient_id = "p-1";
  r.encounter_id = "enc-1";
  return r;
}

DraftOrder Order(const std::string& drug, const std::string& id, std::optional<double> dose_mg = std::nullopt) {
  DraftOrder o;
  o.id = id;
  o.ingredients = {Kb().FindDrug(drug)};
  o.drug_name = drug;
  if (dose_mg) o.ordered_dose_mg = Fixed::FromDouble(*dose_mg);
  return o;
}

ActiveTriggerOrder ActiveOrder(const std::string& id, const std::string& drug, const std::string& dose_text) {
  json mr = {{"resourceType", "MedicationRequest"},
             {"id", id},
             {"status", "active"},
             {"intent", "order"},
             {"medicationCodeableConcept", {{"text", drug}}},
             {"subject", {{"reference", "Patient/p-1"}}},
             {"authoredOn", "2026-02-28T08:00:00Z"}};
  if (!dose_text.empty()) mr["dosageInstruction"] = json::array({{{"text", dose_text}}});
  return ActiveTriggerOrder{id, drug, dose_text, mr.dump()};
}

OJson Cards(const CdsResponse& r) { return OJson::parse(r.json).at("cards"); }

std::vector<std::string> OverrideCodes(const OJson& card) {
  std::vector<std::string> out;
  if (card.contains("overrideReasons")) {
    for (const auto& c : card["overrideReasons"]) out.push_back(c.at("code").get<std::string>());
  }
  return out;
}

// A card that only informs: indicator, summary and override reasons, without suggestions.
void ExpectCardWithoutSuggestions(const OJson& card, const std::string& indicator, const std::string& summary,
                                  const std::vector<std::string>& overrides) {
  EXPECT_EQ(card.at("indicator"), indicator);
  EXPECT_EQ(card.at("summary"), summary);
  EXPECT_FALSE(card.contains("suggestions"));
  EXPECT_FALSE(card.contains("selectionBehavior"));
  EXPECT_EQ(OverrideCodes(card), overrides);
}

// The suggestion name of §8.10.
std::string SuggestionUuid(const std::string& card_uuid, const std::string& key) {
  return UuidV5(kCardUuidNamespace, card_uuid + "|suggestion|" + key);
}

// ---------------------------------------------------------------------------------------------------
// Text rules (§8.10).

TEST(CdsCardText, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length("39.4 \u00b0C"), 7u);
  EXPECT_EQ(Utf8Length(""), 0u);
}

TEST(CdsCardText, AgentListKeepsTwoNamesPlusMore) {
  const std::vector<std::string> names = {"haloperidol", "olanzapine", "metoclopramide", "quetiapine"};
  EXPECT_EQ(AgentList(names, false, "+2 more"), "haloperidol, olanzapine, metoclopramide, quetiapine");
  EXPECT_EQ(AgentList(names, true, "+2 more"), "haloperidol, olanzapine +2 more");
  EXPECT_EQ(AgentList({"a", "b"}, true, "+0 more"), "a, b");
}

TEST(CdsCardText, SummaryAtTheLimitIsKeptAndOneMoreIsShortened) {
  const std::string at_limit(kSummaryMaxChars, 'x');
  EXPECT_EQ(FitSummary([&](bool) { return at_limit; }), at_limit);
  // 140 characters: the shortened agent list is used when it fits.
  const std::string over = at_limit + "y";
  EXPECT_EQ(FitSummary([&](bool shorten) { return shorten ? std::string("short") : over; }), "short");
  // Neither fits: cut at a word boundary, ending with "...".
  std::string words;
  while (words.size() < 200) words += "word ";
  const std::string cut = FitSummary([&](bool) { return words; });
  EXPECT_LE(Utf8Length(cut), kSummaryMaxChars);
  ASSERT_TRUE(cut.ends_with("..."));
  const std::string kept = cut.substr(0, cut.size() - 3);
  EXPECT_TRUE(words.starts_with(kept));
  EXPECT_EQ(words[kept.size()], ' ') << "cut inside a word: " << cut;
}

TEST(CdsCardText, CutCountsMultiByteCharacters) {
  std::string degrees;
  for (int i = 0; i < 80; ++i) degrees += "\u00b0C ";  // 240 code points, 320 bytes
  const std::string cut = CutAtWord(degrees, kSummaryMaxChars);
  EXPECT_LE(Utf8Length(cut), kSummaryMaxChars);
  EXPECT_GE(Utf8Length(cut), kSummaryMaxChars - 5);
  EXPECT_TRUE(cut.ends_with("\u00b0C..."));
}

TEST(CdsCardText, EscapingLeavesNoLinkAndNoHtml) {
  EXPECT_EQ(EscapeMarkdown("[x](http://a.b) <b>"), "\\[x\\](http:\\/\\/a.b) \\<b\\>");
  EXPECT_EQ(EscapeMarkdown("10*9/L and a_b"), "10\\*9/L and a\\_b");
  EXPECT_EQ(EscapeMarkdown("CrCl 65 mL/min"), "CrCl 65 mL/min");
}

TEST(CdsCardText, LongDetailIsShortenedByWholeBlocksAndSaysSo) {
  std::vector<std::string> blocks(30, std::string(190, 'a'));
  const std::string detail = JoinDetail(blocks, "_shortened_");
  EXPECT_LE(Utf8Length(detail), kDetailMaxChars);
  EXPECT_TRUE(detail.ends_with("\n\n_shortened_"));
  EXPECT_EQ(JoinDetail({"a", "", "b"}, "_shortened_"), "a\n\nb");
}

// ---------------------------------------------------------------------------------------------------
// Discovery (§8.5, §8.6).

TEST(CdsDiscovery, ListsEachServiceOncePerHookWithTheSamePrefetch) {
  const OJson doc = OJson::parse(DiscoveryJson(Kb()));
  ASSERT_EQ(doc.size(), 1u);
  const OJson& services = doc.at("services");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"patient-view", "nms-assessment"},
      {"order-select", "nms-dantrolene-order"},
      {"order-sign", "nms-dantrolene-order"},
      {"order-select", "nms-trigger-order"},
      {"order-sign", "nms-trigger-order"}};
  ASSERT_EQ(services.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(services[i].at("hook"), expected[i].first);
    EXPECT_EQ(services[i].at("id"), expected[i].second);
    EXPECT_EQ(services[i].at("prefetch"), services[0].at("prefetch"));
    EXPECT_FALSE(services[i].at("description").get<std::string>().empty());
  }
  EXPECT_EQ(services[0].at("title"), "NMS and febrile neutropenia assessment");
  EXPECT_EQ(services[1].at("title"), "Dantrolene order check");
  EXPECT_EQ(services[3].at("title"), "Dopamine antagonist order check");
  const std::string usage = services[0].at("usageRequirements");
  for (const char* needed : {"vital signs", "laboratory results", "medication", "conditions", "findings"}) {
    EXPECT_NE(usage.find(needed), std::string::npos) << needed;
  }
  EXPECT_EQ(DiscoveryJson(Kb()), DiscoveryJson(Kb()));
}

TEST(CdsDiscovery, PrefetchTemplatesFollowTheTable) {
  const OJson prefetch = OJson::parse(DiscoveryJson(Kb())).at("services")[0].at("prefetch");
  std::vector<std::string> keys;
  for (auto it = prefetch.begin(); it != prefetch.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"patient", "vitals", "labs", "findings", "medication_requests",
                                            "medication_administrations", "medication_statements", "conditions",
                                            "allergies", "procedures", "devices"}));
  EXPECT_EQ(prefetch.at("patient"), "Patient/{{context.patientId}}");
  EXPECT_EQ(prefetch.at("findings"), "Observation?patient={{context.patientId}}&category=exam&_sort=-date&_count=200");
  EXPECT_EQ(prefetch.at("medication_requests"),
            "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,stopped,completed"
            "&_sort=-authoredon&_count=200");
  const std::string vitals = prefetch.at("vitals");
  EXPECT_TRUE(vitals.starts_with("Observation?patient={{context.patientId}}&code=http://loinc.org|8310-5,"));
  EXPECT_TRUE(vitals.ends_with(",http://loinc.org|8302-2&_sort=-date&_count=500"));
  EXPECT_EQ(PrefetchVitalLoincCodes().size(), 16u);
  EXPECT_EQ(PrefetchLabLoincCodes().size(), 27u);
  for (auto code : PrefetchLabLoincCodes()) {
    EXPECT_NE(prefetch.at("labs").get<std::string>().find("http://loinc.org|" + std::string(code)), std::string::npos);
  }
  // The only token is {{context.patientId}}.
  for (auto it = prefetch.begin(); it != prefetch.end(); ++it) {
    std::string q = it.value();
    for (std::size_t p = q.find("{{"); p != std::string::npos; p = q.find("{{", p + 2)) {
      EXPECT_EQ(q.compare(p, 21, "{{context.patientId}}"), 0) << q;
    }
  }
  std::set<std::string> required;
  for (const auto& t : PrefetchTemplates()) {
    if (t.required) required.insert(std::string(t.key));
  }
  EXPECT_EQ(required, (std::set<std::string>{"patient", "vitals", "labs", "medication_requests",
                                             "medication_administrations", "conditions"}));
}

// ---------------------------------------------------------------------------------------------------
// §8.8 nms-dantrolene-order.

struct ExampleCall {
  Report report;
  CardRequest request;
  DraftOrder order;
};

ExampleCall ExampleContraindicatedCall() {
  const json req = ExampleRequest();
  ExampleCall call;
  call.report = AssessCase(ExampleCase());
  call.request.hook = req.at("hook");
  call.request.hook_instance = req.at("hookInstance");
  call.request.service_id = "nms-dantrolene-order";
  call.request.patient_id = req.at("context").at("patientId");
  call.request.encounter_id = req.at("context").at("encounterId");
  call.request.unavailable = {"medication_statements"};  // the request's prefetch holds an OperationOutcome
  call.order = Order("dantrolene", "dantro-draft-1", 195);
  return call;
}

TEST(CdsDantroleneCards, ContraindicatedMatchesTheSpecExample) {
  const ExampleCall call = ExampleContraindicatedCall();
  ASSERT_EQ(call.report.dantrolene.decision, "contraindicated");
  const CdsResponse response = DantroleneOrderCards(call.report, call.request, {call.order}, Kb());
  const OJson cards = Cards(response);
  const OJson expected = ExampleResponse().at("cards");
  ASSERT_EQ(cards.size(), 1u);
  const OJson& card = cards[0];
  const OJson& want = expected[0];

  // Member order of the card.
  std::vector<std::string> got_keys, want_keys;
  for (auto it = card.begin(); it != card.end(); ++it) got_keys.push_back(it.key());
  for (auto it = want.begin(); it != want.end(); ++it) want_keys.push_back(it.key());
  EXPECT_EQ(got_keys, want_keys);

  // Normative members: uuids (§8.10 names), summary (labels joined with "; "), indicator, source,
  // suggestions and their actions, selectionBehavior, overrideReasons.
  EXPECT_EQ(card.at("uuid"), want.at("uuid"));
  EXPECT_EQ(card.at("summary"), want.at("summary"));
  EXPECT_EQ(card.at("indicator"), "critical");
  EXPECT_EQ(card.at("source"), want.at("source"));
  EXPECT_EQ(card.at("selectionBehavior"), "at-most-one");
  EXPECT_EQ(card.at("overrideReasons"), want.at("overrideReasons"));
  ASSERT_EQ(card.at("suggestions").size(), want.at("suggestions").size());
  for (std::size_t i = 0; i < card.at("suggestions").size(); ++i) {
    const OJson& s = card["suggestions"][i];
    const OJson& w = want["suggestions"][i];
    EXPECT_EQ(s.at("label"), w.at("label"));
    EXPECT_EQ(s.at("uuid"), w.at("uuid"));
    EXPECT_EQ(s.value("isRecommended", false), w.value("isRecommended", false));
    ASSERT_EQ(s.at("actions").size(), 2u);
    EXPECT_EQ(s["actions"][0], w["actions"][0]);  // the delete action
    const OJson& create = s["actions"][1];
    EXPECT_EQ(create.at("type"), "create");
    OJson resource = create.at("resource");
    OJson want_resource = w["actions"][1].at("resource");
    EXPECT_FALSE(resource.contains("id"));
    // The dosage text is illustrative in the example; every other member is normative.
    EXPECT_FALSE(resource["dosageInstruction"][0].at("text").get<std::string>().empty());
    resource["dosageInstruction"][0].erase("text");
    want_resource["dosageInstruction"][0].erase("text");
    EXPECT_EQ(resource, want_resource);
  }
  // Summary for the audit trail.
  ASSERT_EQ(response.cards.size(), 1u);
  EXPECT_EQ(response.cards[0].uuid, want.at("uuid"));
  EXPECT_EQ(response.cards[0].topic, "dantrolene-order");
  EXPECT_EQ(response.cards[0].indicator, "critical");
  EXPECT_EQ(response.cards[0].suggestion_uuids,
            (std::vector<std::string>{want["suggestions"][0]["uuid"].get<std::string>(), want["suggestions"][1]["uuid"].get<std::string>()}));
  // Detail: every reason and the unavailable key are named.
  const std::string detail = card.at("detail");
  for (const Reason& r : call.report.dantrolene.reasons) {
    EXPECT_NE(detail.find(EscapeMarkdown(r.text)), std::string::npos) << r.text;
  }
  EXPECT_NE(detail.find("medication statements"), std::string::npos);
}

TEST(CdsDantroleneCards, MuscleOriginOverrideOnlyWithTheWarning) {
  // S03: ALT above ULN with CK > 5 x ULN -> TRANSAMINASES_MAY_BE_MUSCLE; S09: CCB only.
  const Report s03 = ScenarioReport("S03");
  const Report s09 = ScenarioReport("S09");
  ASSERT_EQ(s03.dantrolene.decision, "contraindicated");
  ASSERT_EQ(s09.dantrolene.decision, "contraindicated");
  const CardRequest req = Request("nms-dantrolene-order");
  const OJson c03 = Cards(DantroleneOrderCards(s03, req, {Order("dantrolene", "d1")}, Kb()))[0];
  const OJson c09 = Cards(DantroleneOrderCards(s09, req, {Order("dantrolene", "d1")}, Kb()))[0];
  EXPECT_EQ(OverrideCodes(c03), (std::vector<std::string>{"benefit-outweighs-risk", "data-outdated",
                                                           "transaminases-muscle-origin", "specialist-advised"}));
  EXPECT_EQ(OverrideCodes(c09),
            (std::vector<std::string>{"benefit-outweighs-risk", "data-outdated", "specialist-advised"}));
  EXPECT_EQ(c03.at("summary"), "Dantrolene contraindicated: ALT above upper limit");
  EXPECT_EQ(c09.at("summary"), "Dantrolene contraindicated: non-DHP calcium-channel blocker (verapamil)");
}

TEST(CdsDantroleneCards, ContraindicatedWithoutQualifyingAlternativeOffersRemovalOnly) {
  // Stage III (ALT-5): no bromocriptine/amantadine item, so no replacement can be proposed.
  json c = ScenarioCase("S03");
  Report report = AssessCase(c);
  report.alternatives.clear();
  const OJson card = Cards(DantroleneOrderCards(report, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()))[0];
  ASSERT_EQ(card.at("suggestions").size(), 1u);
  const OJson& s = card["suggestions"][0];
  EXPECT_EQ(s.at("label"), "Remove dantrolene order");
  EXPECT_EQ(s.at("uuid"), SuggestionUuid(card.at("uuid"), "remove"));
  ASSERT_EQ(s.at("actions").size(), 1u);
  EXPECT_EQ(s["actions"][0].at("type"), "delete");
  EXPECT_EQ(s["actions"][0].at("resourceId"), "MedicationRequest/d1");
  EXPECT_EQ(card.at("selectionBehavior"), "at-most-one");
}

TEST(CdsDantroleneCards, LongReasonListShortensTheAgentListFirst) {
  json c = ExampleCase();
  for (const char* drug : {"haloperidol", "risperidone", "quetiapine", "prochlorperazine"}) {
    AddMed(c, {{"name", drug}, {"status", "active"}, {"start", "2026-11-19T08:00:00Z"}});
  }
  const Report report = AssessCase(c);
  ASSERT_EQ(report.dantrolene.decision, "contraindicated");
  const std::string summary =
      Cards(DantroleneOrderCards(report, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()))[0].at("summary");
  EXPECT_LE(Utf8Length(summary), kSummaryMaxChars);
  EXPECT_NE(summary.find(" +4 more)"), std::string::npos) << summary;
  EXPECT_TRUE(summary.starts_with("Dantrolene contraindicated: ALT above upper limit; AST above upper limit; "
                                  "D2-antagonist polypharmacy (")) << summary;
}

TEST(CdsDantroleneCards, ConsiderIsInfoAndWarnsWhenTheOrderedDoseIsTooHigh) {
  const Report s02 = ScenarioReport("S02");
  ASSERT_EQ(s02.dantrolene.decision, "consider");
  ASSERT_TRUE(s02.dantrolene.preconditions.empty());
  const CardRequest req = Request("nms-dantrolene-order");
  const OJson ok = Cards(DantroleneOrderCards(s02, req, {Order("dantrolene", "d1", 175)}, Kb()))[0];
  EXPECT_EQ(ok.at("indicator"), "info");
  EXPECT_EQ(ok.at("summary"), "Dantrolene may be considered: 70-175 mg IV (1-2.5 mg/kg), max 700 mg/24 h");
  EXPECT_FALSE(ok.contains("suggestions"));
  EXPECT_FALSE(ok.contains("selectionBehavior"));
  EXPECT_FALSE(ok.contains("overrideReasons"));
  const OJson high = Cards(DantroleneOrderCards(s02, req, {Order("dantrolene", "d1", 176)}, Kb()))[0];
  EXPECT_EQ(high.at("indicator"), "warning");
  EXPECT_NE(high.at("detail").get<std::string>().find("176 mg exceeds the computed initial maximum of 175 mg"),
            std::string::npos);
  // No ordered dose: nothing to check.
  EXPECT_EQ(Cards(DantroleneOrderCards(s02, req, {Order("dantrolene", "d1")}, Kb()))[0].at("indicator"), "info");
}

TEST(CdsDantroleneCards, ConsiderWarnsAboveTheRemainingAllowance) {
  json c = ScenarioCase("S02");
  AddMed(c, rules::GivenOnce("dantrolene", -Hr(9), 600));
  const Report report = AssessCase(c);
  ASSERT_EQ(report.dantrolene.decision, "consider");
  ASSERT_TRUE(report.dantrolene.regimen && report.dantrolene.regimen->remaining_mg_24h);
  ASSERT_EQ(report.dantrolene.regimen->remaining_mg_24h->ToString(), "100");
  const OJson card =
      Cards(DantroleneOrderCards(report, Request("nms-dantrolene-order"), {Order("dantrolene", "d1", 150)}, Kb()))[0];
  EXPECT_EQ(card.at("indicator"), "warning");
  EXPECT_NE(card.at("detail").get<std::string>().find("150 mg exceeds the 100 mg still allowed"), std::string::npos);
}

TEST(CdsDantroleneCards, ConsiderWarnsWithPreconditionsOrCombination) {
  const Report s11 = ScenarioReport("S11");
  ASSERT_EQ(s11.dantrolene.decision, "consider");
  ASSERT_FALSE(s11.dantrolene.preconditions.empty());
  const CardRequest req = Request("nms-dantrolene-order");
  const OJson pre = Cards(DantroleneOrderCards(s11, req, {Order("dantrolene", "d1")}, Kb()))[0];
  EXPECT_EQ(pre.at("indicator"), "warning");
  EXPECT_NE(pre.at("detail").get<std::string>().find(EscapeMarkdown(s11.dantrolene.preconditions[0].text)),
            std::string::npos);

  json c = ScenarioCase("S02");
  AddMed(c, {{"name", "bromocriptine"}, {"status", "active"}, {"start", At(-Hr(12))}, {"indication", "NMS"}});
  c["procedures"] = json::array();  // no ECT: exactly one other NMS therapy (DF-17 count 1)
  const Report combo = AssessCase(c);
  ASSERT_EQ(combo.dantrolene.decision, "consider");
  bool has_combination = false;
  for (const Warning& w : combo.warnings) has_combination |= w.code == "COMBINATION_PROLONGS_RECOVERY";
  ASSERT_TRUE(has_combination);
  EXPECT_EQ(Cards(DantroleneOrderCards(combo, req, {Order("dantrolene", "d1")}, Kb()))[0].at("indicator"), "warning");
}

TEST(CdsDantroleneCards, ConsiderWithoutWeightShowsMgPerKgAndCannotCheckTheDose) {
  const Report s04 = ScenarioReport("S04");
  ASSERT_EQ(s04.dantrolene.decision, "consider");
  const CardRequest req = Request("nms-dantrolene-order");
  const OJson card = Cards(DantroleneOrderCards(s04, req, {Order("dantrolene", "d1", 100)}, Kb()))[0];
  EXPECT_EQ(card.at("summary"), "Dantrolene may be considered: 1-2.5 mg/kg IV, max 10 mg/kg/24 h");
  EXPECT_EQ(card.at("indicator"), "warning");  // an unchecked dose is never taken as within limits
  EXPECT_NE(card.at("detail").get<std::string>().find("cannot be checked"), std::string::npos);
}

TEST(CdsDantroleneCards, InsufficientDataAsksForTheMissingItems) {
  const Report s05 = ScenarioReport("S05");
  ASSERT_EQ(s05.dantrolene.decision, "insufficient_data");
  const OJson card = Cards(DantroleneOrderCards(s05, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()))[0];
  ExpectCardWithoutSuggestions(card, "warning", "Dantrolene: obtain liver tests and liver history before deciding",
                               {"benefit-outweighs-risk", "specialist-advised"});
}

TEST(CdsDantroleneCards, UnknownDecisionCodeIsNeverPermissive) {
  Report report = ScenarioReport("S05");
  report.dantrolene.decision = "some_future_code";
  const OJson card = Cards(DantroleneOrderCards(report, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()))[0];
  EXPECT_EQ(card.at("indicator"), "warning");
  EXPECT_TRUE(card.at("summary").get<std::string>().starts_with("Dantrolene: obtain "));
}

TEST(CdsDantroleneCards, NotIndicatedProposesRemoval) {
  const Report s08 = ScenarioReport("S08");
  ASSERT_EQ(s08.dantrolene.decision, "not_indicated");
  const OJson card = Cards(DantroleneOrderCards(s08, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()))[0];
  EXPECT_EQ(card.at("indicator"), "warning");
  EXPECT_EQ(card.at("summary"), "Dantrolene not indicated: rigidity neither severe nor refractory");
  ASSERT_EQ(card.at("suggestions").size(), 1u);
  EXPECT_EQ(card["suggestions"][0].at("label"), "Remove dantrolene order");
  EXPECT_EQ(card["suggestions"][0]["actions"][0].at("resourceId"), "MedicationRequest/d1");
  EXPECT_EQ(card.at("selectionBehavior"), "at-most-one");
  EXPECT_EQ(OverrideCodes(card),
            (std::vector<std::string>{"benefit-outweighs-risk", "data-outdated", "specialist-advised"}));
}

TEST(CdsDantroleneCards, MalignantHyperthermiaIsCriticalWithAndWithoutWeight) {
  const Report s06 = ScenarioReport("S06");
  ASSERT_EQ(s06.dantrolene.decision, "malignant_hyperthermia_protocol");
  const CardRequest req = Request("nms-dantrolene-order");
  const OJson card = Cards(DantroleneOrderCards(s06, req, {Order("dantrolene", "d1")}, Kb()))[0];
  EXPECT_EQ(card.at("indicator"), "critical");
  EXPECT_EQ(card.at("summary"), "Malignant hyperthermia suspected: dantrolene is first-line, 200 mg IV (2.5 mg/kg)");
  EXPECT_FALSE(card.contains("suggestions"));
  EXPECT_FALSE(card.contains("overrideReasons"));

  json c = ScenarioCase("S06");
  c["patient"].erase("weight");
  const Report no_weight = AssessCase(c);
  ASSERT_EQ(no_weight.dantrolene.decision, "malignant_hyperthermia_protocol");
  EXPECT_EQ(Cards(DantroleneOrderCards(no_weight, req, {Order("dantrolene", "d1")}, Kb()))[0].at("summary"),
            "Malignant hyperthermia suspected: dantrolene is first-line, 2.5 mg/kg IV");
  // patient-view: the MH card of §8.7.
  const OJson pv = Cards(PatientViewCards(s06, Request("nms-assessment", "patient-view"),
                                          {ActiveOrder("mr-1", "haloperidol", "")}, Kb()))[0];
  EXPECT_EQ(pv.at("summary"), "Malignant hyperthermia suspected: dantrolene 200 mg IV now (2.5 mg/kg)");
  EXPECT_EQ(pv.at("indicator"), "critical");
  EXPECT_EQ(Cards(PatientViewCards(no_weight, Request("nms-assessment", "patient-view"), {}, Kb()))[0].at("summary"),
            "Malignant hyperthermia suspected: dantrolene 2.5 mg/kg IV now");
}

TEST(CdsDantroleneCards, NoCardWhenNotApplicableOrNoOrder) {
  const Report s10 = ScenarioReport("S10");
  ASSERT_EQ(s10.dantrolene.decision, "not_applicable");
  EXPECT_EQ(DantroleneOrderCards(s10, Request("nms-dantrolene-order"), {Order("dantrolene", "d1")}, Kb()).json,
            "{\"cards\":[]}");
  const CdsResponse none = DantroleneOrderCards(ScenarioReport("S02"), Request("nms-dantrolene-order"), {}, Kb());
  EXPECT_EQ(none.json, "{\"cards\":[]}");
  EXPECT_TRUE(none.cards.empty());
}

TEST(CdsDantroleneCards, OneCardPerOrderInOrderIdOrder) {
  const Report s02 = ScenarioReport("S02");
  const CardRequest req = Request("nms-dantrolene-order");
  const CdsResponse r = DantroleneOrderCards(s02, req, {Order("dantrolene", "b-2"), Order("dantrolene", "a-1")}, Kb());
  const OJson cards = Cards(r);
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].at("uuid"), UuidV5(kCardUuidNamespace, req.hook_instance +
                                                                "|nms-dantrolene-order|card|dantrolene-order:MedicationRequest/a-1"));
  EXPECT_EQ(cards[1].at("uuid"), UuidV5(kCardUuidNamespace, req.hook_instance +
                                                                "|nms-dantrolene-order|card|dantrolene-order:MedicationRequest/b-2"));
}

// ---------------------------------------------------------------------------------------------------
// §8.9 nms-trigger-order.

TEST(CdsTriggerCards, SuspectedNmsBlocksTheOrder) {
  const Report s02 = ScenarioReport("S02");  // high
  const Report s08 = ScenarioReport("S08");  // possible
  ASSERT_EQ(s02.nms.suspicion, "high");
  ASSERT_EQ(s08.nms.suspicion, "possible");
  const CardRequest req = Request("nms-trigger-order", "order-select");
  const OJson high = Cards(TriggerOrderCards(s02, req, {Order("haloperidol", "h-1")}, Kb()))[0];
  EXPECT_EQ(high.at("indicator"), "critical");
  EXPECT_EQ(high.at("summary"), "Haloperidol is a dopamine antagonist and NMS is suspected: do not start it");
  EXPECT_EQ(high.at("source").at("topic").at("code"), "trigger-order");
  ASSERT_EQ(high.at("suggestions").size(), 1u);
  const OJson& s = high["suggestions"][0];
  EXPECT_EQ(s.at("label"), "Remove haloperidol order");
  EXPECT_EQ(s.at("isRecommended"), true);
  EXPECT_EQ(s.at("uuid"), SuggestionUuid(high.at("uuid"), "remove"));
  EXPECT_EQ(s["actions"][0].at("type"), "delete");
  EXPECT_EQ(s["actions"][0].at("resourceId"), "MedicationRequest/h-1");
  EXPECT_EQ(high.at("selectionBehavior"), "at-most-one");
  EXPECT_EQ(OverrideCodes(high),
            (std::vector<std::string>{"benefit-outweighs-risk", "specialist-advised", "nms-excluded"}));
  const OJson possible = Cards(TriggerOrderCards(s08, req, {Order("haloperidol", "h-1")}, Kb()))[0];
  EXPECT_EQ(possible.at("indicator"), "warning");
  EXPECT_EQ(possible.at("summary"), high.at("summary"));
}

TEST(CdsTriggerCards, HistoryOfNmsWarnsWhenSuspicionIsUnlikely) {
  const Report s10 = ScenarioReport("S10");
  ASSERT_EQ(s10.nms.suspicion, "unlikely");
  CardRequest req = Request("nms-trigger-order");
  EXPECT_EQ(TriggerOrderCards(s10, req, {Order("haloperidol", "h-1")}, Kb()).json, "{\"cards\":[]}");  // unknown
  req.history_of_nms = false;
  EXPECT_EQ(TriggerOrderCards(s10, req, {Order("haloperidol", "h-1")}, Kb()).json, "{\"cards\":[]}");
  req.history_of_nms = true;
  const OJson card = Cards(TriggerOrderCards(s10, req, {Order("haloperidol", "h-1")}, Kb()))[0];
  ExpectCardWithoutSuggestions(card, "warning", "History of NMS: haloperidol may cause a recurrence",
                               {"benefit-outweighs-risk", "specialist-advised"});
}

TEST(CdsTriggerCards, AntiemeticOrdersNameNonDopaminergicAlternatives) {
  const Report s02 = ScenarioReport("S02");
  const CardRequest req = Request("nms-trigger-order");
  const std::string antiemetic = Cards(TriggerOrderCards(s02, req, {Order("metoclopramide", "m-1")}, Kb()))[0].at("detail");
  EXPECT_NE(antiemetic.find("ondansetron"), std::string::npos) << antiemetic;
  EXPECT_NE(antiemetic.find("serotonergic"), std::string::npos) << antiemetic;
  const std::string antipsychotic = Cards(TriggerOrderCards(s02, req, {Order("haloperidol", "h-1")}, Kb()))[0].at("detail");
  EXPECT_EQ(antipsychotic.find("ondansetron"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// §8.7 nms-assessment (patient-view).

TEST(CdsPatientViewCards, NmsCardStopsEachActiveDopamineAntagonist) {
  const Report report = AssessCase(ExampleCase());
  const CardRequest req = Request("nms-assessment", "patient-view");
  const ActiveTriggerOrder olanzapine = ActiveOrder("mr-olz", "olanzapine", "5 mg PO at night");
  const ActiveTriggerOrder metoclopramide = ActiveOrder("mr-meto", "metoclopramide", "10 mg IV every 8 h");
  const CdsResponse response = PatientViewCards(report, req, {olanzapine, metoclopramide}, Kb());
  const OJson cards = Cards(response);
  ASSERT_EQ(cards.size(), 2u);
  const OJson& nms = cards[0];
  EXPECT_EQ(nms.at("source").at("topic").at("code"), "nms");
  EXPECT_EQ(nms.at("indicator"), "critical");
  EXPECT_EQ(nms.at("summary"), "High NMS (IEC " + std::to_string(report.nms.iec.points) +
                                   ", stage V): stop metoclopramide, olanzapine; dantrolene contraindicated");
  EXPECT_EQ(nms.at("uuid"), UuidV5(kCardUuidNamespace, req.hook_instance + "|nms-assessment|card|nms"));
  ASSERT_EQ(nms.at("suggestions").size(), 2u);
  EXPECT_EQ(nms.at("selectionBehavior"), "any");
  // Ordered by order id: mr-meto before mr-olz.
  const OJson& first = nms["suggestions"][0];
  EXPECT_EQ(first.at("label"), "Stop metoclopramide (10 mg IV every 8 h)");
  EXPECT_EQ(first.at("uuid"), SuggestionUuid(nms.at("uuid"), "stop:MedicationRequest/mr-meto"));
  EXPECT_EQ(first.at("isRecommended"), true);
  ASSERT_EQ(first.at("actions").size(), 1u);
  const OJson& action = first["actions"][0];
  EXPECT_EQ(action.at("type"), "update");
  OJson expected_resource = OJson::parse(metoclopramide.resource_json);
  expected_resource["status"] = "stopped";
  expected_resource["statusReason"] = {{"text", "Suspected neuroleptic malignant syndrome"}};
  EXPECT_EQ(action.at("resource"), expected_resource);
  EXPECT_EQ(nms["suggestions"][1].at("label"), "Stop olanzapine (5 mg PO at night)");
  EXPECT_EQ(OverrideCodes(nms), (std::vector<std::string>{"benefit-outweighs-risk", "data-outdated", "nms-excluded"}));
  // An order without dose text.
  const OJson no_dose = Cards(PatientViewCards(report, req, {ActiveOrder("mr-1", "olanzapine", "")}, Kb()))[0];
  EXPECT_EQ(no_dose["suggestions"][0].at("label"), "Stop olanzapine");
  // The FN card follows (both critical; topic order).
  EXPECT_EQ(cards[1].at("source").at("topic").at("code"), "febrile-neutropenia");
  EXPECT_EQ(response.cards[0].suggestion_uuids.size(), 2u);
}

TEST(CdsPatientViewCards, FebrileNeutropeniaPresentOrPresumed) {
  const Report example = AssessCase(ExampleCase());
  ASSERT_EQ(example.febrile_neutropenia.status, "present");
  const CardRequest req = Request("nms-assessment", "patient-view");
  const OJson present = Cards(PatientViewCards(example, req, {}, Kb()))[1];
  EXPECT_EQ(present.at("indicator"), "critical");
  EXPECT_EQ(present.at("summary"),
            "Febrile neutropenia (ANC " + example.febrile_neutropenia.anc.value_10e9_l->ToString() + ", " +
                example.febrile_neutropenia.fever.max_c->ToString() +
                " \u00b0C): antipseudomonal beta-lactam within 60 min");
  EXPECT_FALSE(present.contains("suggestions"));
  EXPECT_FALSE(present.contains("overrideReasons"));

  json c = ScenarioCase("S02");
  rules::RemoveObs(c, "anc", true);
  rules::SetCtx(c, "last_chemotherapy_at", At(-Day(10)));
  const Report presumed = AssessCase(c);
  ASSERT_TRUE(presumed.febrile_neutropenia.presumed);
  const OJson cards = Cards(PatientViewCards(presumed, req, {}, Kb()));
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[1].at("summary"),
            "Fever after chemotherapy, ANC unknown: STAT CBC; antibiotics if no result within 60 min");
  EXPECT_EQ(cards[1].at("indicator"), "critical");
}

TEST(CdsPatientViewCards, CardsAreOrderedByIndicatorThenTopic) {
  const Report s12 = ScenarioReport("S12");  // possible NMS (warning) with FN present (critical)
  ASSERT_EQ(s12.nms.suspicion, "possible");
  const CdsResponse r = PatientViewCards(s12, Request("nms-assessment", "patient-view"), {}, Kb());
  const OJson cards = Cards(r);
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].at("source").at("topic").at("code"), "febrile-neutropenia");
  EXPECT_EQ(cards[1].at("source").at("topic").at("code"), "nms");
  EXPECT_EQ(cards[1].at("indicator"), "warning");
  EXPECT_TRUE(cards[1].at("summary").get<std::string>().starts_with("Possible NMS (IEC 68, stage IV): stop "));
  ASSERT_EQ(r.cards.size(), 2u);
  EXPECT_EQ(r.cards[0].topic, "febrile-neutropenia");
  EXPECT_EQ(r.cards[1].indicator, "warning");
}

TEST(CdsPatientViewCards, DataUnavailableCardOnlyWhenNoOtherCard) {
  json c = ScenarioCase("S02");
  rules::RemoveMed(c, "haloperidol");
  const Report quiet = AssessCase(c);
  ASSERT_EQ(quiet.nms.suspicion, "unlikely");
  ASSERT_FALSE(quiet.febrile_neutropenia.presumed);
  ASSERT_NE(quiet.febrile_neutropenia.status, "present");
  CardRequest req = Request("nms-assessment", "patient-view");
  EXPECT_EQ(PatientViewCards(quiet, req, {}, Kb()).json, "{\"cards\":[]}");
  req.unavailable = {"labs"};
  req.required_data_unavailable = true;
  const OJson cards = Cards(PatientViewCards(quiet, req, {}, Kb()));
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].at("indicator"), "info");
  EXPECT_EQ(cards[0].at("source").at("topic").at("code"), "data-unavailable");
  EXPECT_NE(cards[0].at("summary").get<std::string>().find("laboratory results"), std::string::npos);
  // With another card the data note goes into that card's detail instead.
  const OJson with_nms = Cards(PatientViewCards(ScenarioReport("S02"), req, {}, Kb()));
  ASSERT_EQ(with_nms.size(), 1u);
  EXPECT_EQ(with_nms[0].at("source").at("topic").at("code"), "nms");
  EXPECT_NE(with_nms[0].at("detail").get<std::string>().find("laboratory results"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// Every response: determinism, uuids, no empty member, limits, schema.

struct Produced {
  std::string label;
  CdsResponse response;
};

// A representative set of responses of the three services.
std::vector<Produced> Corpus(const std::string& hook_instance) {
  std::vector<Produced> out;
  auto with_instance = [&](CardRequest r) {
    r.hook_instance = hook_instance;
    return r;
  };
  const ExampleCall ex = ExampleContraindicatedCall();
  CardRequest ex_req = ex.request;
  ex_req.hook_instance = hook_instance;
  out.push_back({"example dantrolene", DantroleneOrderCards(ex.report, ex_req, {ex.order}, Kb())});
  CardRequest pv = with_instance(Request("nms-assessment", "patient-view"));
  pv.unavailable = {"medication_statements", "findings"};
  out.push_back({"example patient-view",
                 PatientViewCards(ex.report, pv, {ActiveOrder("mr-meto", "metoclopramide", "10 mg IV every 8 h")}, Kb())});
  const CardRequest dan = with_instance(Request("nms-dantrolene-order"));
  CardRequest trig = with_instance(Request("nms-trigger-order", "order-select"));
  trig.history_of_nms = true;
  CardRequest pv_no_encounter = pv;
  pv_no_encounter.encounter_id.clear();
  pv_no_encounter.required_data_unavailable = true;
  for (const char* s : {"S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11", "S12"}) {
    const Report r = ScenarioReport(s);
    CardRequest dan_no_encounter = dan;
    dan_no_encounter.encounter_id.clear();
    out.push_back({std::string(s) + " dantrolene", DantroleneOrderCards(r, dan, {Order("dantrolene", "d-1", 120)}, Kb())});
    out.push_back({std::string(s) + " dantrolene no encounter",
                   DantroleneOrderCards(r, dan_no_encounter, {Order("dantrolene", "d-2")}, Kb())});
    out.push_back({std::string(s) + " trigger",
                   TriggerOrderCards(r, trig, {Order("prochlorperazine", "t-1"), Order("haloperidol", "t-0")}, Kb())});
    out.push_back({std::string(s) + " patient-view",
                   PatientViewCards(r, pv_no_encounter, {ActiveOrder("mr-1", "haloperidol", "5 mg PO twice daily")}, Kb())});
  }
  return out;
}

// Every member, recursively: no null, no empty string, array or object except the top-level "cards".
void ExpectNoEmptyMember(const OJson& j, const std::string& where) {
  if (j.is_null()) ADD_FAILURE() << "null at " << where;
  if (j.is_string() && j.get<std::string>().empty()) ADD_FAILURE() << "empty string at " << where;
  if ((j.is_array() || j.is_object()) && j.empty() && where != "/cards") ADD_FAILURE() << "empty container at " << where;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) ExpectNoEmptyMember(it.value(), where + "/" + it.key());
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) ExpectNoEmptyMember(j[i], where + "/" + std::to_string(i));
  }
}

TEST(CdsCardsAll, SameInputSameBytesAndUuidsFollowTheHookInstance) {
  const std::vector<Produced> a = Corpus("instance-a");
  const std::vector<Produced> again = Corpus("instance-a");
  const std::vector<Produced> b = Corpus("instance-b");
  ASSERT_EQ(a.size(), again.size());
  std::set<std::string> uuids_a, uuids_b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].response.json, again[i].response.json) << a[i].label;
    ASSERT_EQ(a[i].response.cards.size(), b[i].response.cards.size()) << a[i].label;
    for (std::size_t k = 0; k < a[i].response.cards.size(); ++k) {
      const CardSummary& ca = a[i].response.cards[k];
      const CardSummary& cb = b[i].response.cards[k];
      EXPECT_NE(ca.uuid, cb.uuid) << a[i].label;
      uuids_a.insert(ca.uuid);
      uuids_b.insert(cb.uuid);
      for (std::size_t s = 0; s < ca.suggestion_uuids.size(); ++s) {
        EXPECT_NE(ca.suggestion_uuids[s], cb.suggestion_uuids[s]) << a[i].label;
        uuids_a.insert(ca.suggestion_uuids[s]);
      }
    }
  }
  for (const auto& u : uuids_a) EXPECT_EQ(uuids_b.count(u), 0u) << u;
}

TEST(CdsCardsAll, EveryCardKeepsTheCardRules) {
  int cards_seen = 0;
  for (const Produced& p : Corpus("instance-a")) {
    const OJson doc = OJson::parse(p.response.json);
    ASSERT_EQ(doc.size(), 1u) << p.label;
    EXPECT_FALSE(doc.contains("systemActions"));
    ExpectNoEmptyMember(doc, "");
    const OJson& cards = doc.at("cards");
    ASSERT_EQ(cards.size(), p.response.cards.size()) << p.label;
    static const std::vector<std::string> kIndicators = {"critical", "warning", "info"};
    static const std::vector<std::string> kTopics = {"nms", "febrile-neutropenia", "dantrolene-order", "trigger-order",
                                                     "data-unavailable"};
    std::pair<std::size_t, std::size_t> previous{0, 0};
    for (std::size_t i = 0; i < cards.size(); ++i, ++cards_seen) {
      const OJson& c = cards[i];
      const std::string summary = c.at("summary"), detail = c.value("detail", std::string("x"));
      EXPECT_LE(Utf8Length(summary), kSummaryMaxChars) << p.label << ": " << summary;
      EXPECT_LE(Utf8Length(detail), kDetailMaxChars) << p.label;
      EXPECT_EQ(detail.find("]("), std::string::npos) << p.label;
      EXPECT_EQ(detail.find("http"), std::string::npos) << p.label;
      for (std::size_t k = detail.find('<'); k != std::string::npos; k = detail.find('<', k + 1)) {
        EXPECT_TRUE(k > 0 && detail[k - 1] == '\\') << p.label << ": unescaped '<' in detail";
      }
      EXPECT_EQ(c.contains("suggestions"), c.contains("selectionBehavior")) << p.label;
      EXPECT_EQ(c.at("source").at("label"), "nmscds");
      EXPECT_FALSE(c.at("source").contains("url"));
      EXPECT_EQ(c.at("source").at("topic").at("system"), "urn:nmscds:cs:card-topic");
      EXPECT_EQ(c.at("uuid"), p.response.cards[i].uuid);
      EXPECT_EQ(c.at("indicator"), p.response.cards[i].indicator);
      EXPECT_EQ(c.at("source").at("topic").at("code"), p.response.cards[i].topic);
      // Override reasons in table order, each with its display.
      static const std::vector<std::string> kOverrideOrder = {"benefit-outweighs-risk", "data-outdated",
                                                              "transaminases-muscle-origin", "specialist-advised",
                                                              "nms-excluded"};
      std::size_t last = 0;
      for (const auto& code : OverrideCodes(c)) {
        const auto pos = static_cast<std::size_t>(
            std::find(kOverrideOrder.begin(), kOverrideOrder.end(), code) - kOverrideOrder.begin());
        ASSERT_LT(pos, kOverrideOrder.size()) << code;
        EXPECT_GE(pos, last) << p.label;
        last = pos;
      }
      // Card order (§8.10).
      const std::pair<std::size_t, std::size_t> key{
          static_cast<std::size_t>(std::find(kIndicators.begin(), kIndicators.end(), c.at("indicator")) - kIndicators.begin()),
          static_cast<std::size_t>(std::find(kTopics.begin(), kTopics.end(), c.at("source").at("topic").at("code")) -
                                   kTopics.begin())};
      EXPECT_LE(previous, key) << p.label;
      previous = key;
    }
  }
  EXPECT_GT(cards_seen, 30);
}

// Validates documents (one per line) against a JSON Schema in one python call; returns the problems.
std::string ValidateAll(const std::vector<std::string>& docs, const std::string& script, const std::string& schema) {
  std::string ndjson;
  for (const auto& d : docs) ndjson += d + "\n";
  const testing::RunResult r = testing::Run({testing::Python3(), "-c", script, schema}, ndjson);
  if (r.exit_code == 0) return "";
  return r.out.empty() ? "validator failed: " + r.err : r.out;
}

TEST(CdsCardsAll, ResponsesValidateAgainstTheCdsHooksSchema) {
  static const char* kScript =
      "import json,sys\n"
      "from jsonschema import Draft202012Validator\n"
      "schema=json.load(open(sys.argv[1]))\n"
      "Draft202012Validator.check_schema(schema)\n"
      "v=Draft202012Validator(schema)\n"
      "bad=0\n"
      "for n,line in enumerate(sys.stdin):\n"
      "  for e in v.iter_errors(json.loads(line)):\n"
      "    bad+=1; print(n, '/'+'/'.join(str(p) for p in e.absolute_path)+': '+e.message)\n"
      "sys.exit(1 if bad else 0)\n";
  const std::string schema = std::string(NMSCDS_SOURCE_DIR) + "/tests/data/cds-hooks-response.schema.json";
  std::vector<std::string> docs;
  for (const Produced& p : Corpus("instance-a")) docs.push_back(p.response.json);
  EXPECT_EQ(ValidateAll(docs, kScript, schema), "");
  // The schema is not vacuous: the real CDS Hooks examples pass, broken cards fail.
  const std::string dir = SharedDir() + "/data/cds-hooks-requests/";
  EXPECT_EQ(ValidateAll({json::parse(ReadFile(dir + "hl7-cds-hooks-response-cards.json")).dump(),
                         json::parse(ReadFile(dir + "hl7-cds-hooks-response-empty-cards.json")).dump(),
                         ExampleResponse().dump()},
                        kScript, schema),
            "");
  OJson broken = OJson::parse(docs.front());
  broken["cards"][0]["summary"] = std::string(140, 'x');
  OJson no_selection = OJson::parse(docs.front());
  no_selection["cards"][0].erase("selectionBehavior");
  OJson bad_action = OJson::parse(docs.front());
  bad_action["cards"][0]["suggestions"][0]["actions"][1].erase("resource");
  for (const OJson& d : {broken, no_selection, bad_action}) EXPECT_NE(ValidateAll({d.dump()}, kScript, schema), "");
  // CDS Hooks 2.0 requires `indicator`; this published example predates that.
  EXPECT_NE(ValidateAll({json::parse(ReadFile(dir + "hl7-cds-hooks-response-autolaunchable.json")).dump()}, kScript, schema),
            "");
}

TEST(CdsCardsAll, SuggestedResourcesValidateAgainstTheFhirSchema) {
  static const char* kScript =
      "import json,sys\n"
      "from jsonschema import Draft6Validator\n"
      "full=json.load(open(sys.argv[1]))\n"
      "validators={}\n"
      "bad=0\n"
      "for n,line in enumerate(sys.stdin):\n"
      "  doc=json.loads(line); rt=doc.get('resourceType')\n"
      "  if rt not in validators:\n"
      "    validators[rt]=Draft6Validator({'definitions': full['definitions'], '$ref': '#/definitions/'+str(rt)})\n"
      "  for e in validators[rt].iter_errors(doc):\n"
      "    bad+=1; print(n, rt, '/'+'/'.join(str(p) for p in e.absolute_path)+': '+e.message[:300])\n"
      "sys.exit(1 if bad else 0)\n";
  std::vector<std::string> resources;
  for (const Produced& p : Corpus("instance-a")) {
    const OJson doc = OJson::parse(p.response.json);
    for (const auto& card : doc.at("cards")) {
      if (!card.contains("suggestions")) continue;
      for (const auto& s : card["suggestions"]) {
        for (const auto& a : s.at("actions")) {
          if (a.contains("resource")) resources.push_back(a["resource"].dump());
        }
      }
    }
  }
  ASSERT_GE(resources.size(), 4u);
  const std::string schema = SharedDir() + "/data/fhir-schema/fhir.schema.json";
  EXPECT_EQ(ValidateAll(resources, kScript, schema), "");
  // Not vacuous: a MedicationRequest with a member R4 does not define is rejected (status is only a `code`
  // pattern in this schema, so a wrong status literal would pass).
  OJson invalid = OJson::parse(resources.front());
  invalid["dosage"] = "2.5 mg";
  EXPECT_NE(ValidateAll({invalid.dump()}, kScript, schema), "");
}

}  // namespace
}  // namespace nmscds
