// Knowledge base: loading, verification, lookups and conversions, checked against the specification tables
// (clinical.md §13-14, interfaces.md §2.3, §4.5-4.8, §11).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "kb/knowledge_base.h"
#include "test_util.h"

namespace nmscds {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::SourceDir;
using testing::WriteFile;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kIcd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

Fixed F(std::string_view text) { return *Fixed::Parse(text); }

const KnowledgeBase& Kb() {
  static std::shared_ptr<const KnowledgeBase> kb = [] {
    auto loaded = LoadEmbeddedKnowledgeBase();
    if (!loaded.ok()) {
      std::string problems;
      for (const auto& i : loaded.error().issues) problems += "\n  " + i.location + ": " + i.code + ": " + i.message;
      ADD_FAILURE() << "embedded knowledge base: " << loaded.error().message << problems;
      std::abort();
    }
    return *loaded;
  }();
  return *kb;
}

int DrugIndex(std::string_view id) {
  int i = Kb().FindDrug(id);
  EXPECT_GE(i, 0) << id;
  return i;
}

std::vector<std::string> DrugIds(const std::vector<int>& indices) {
  std::vector<std::string> ids;
  for (int i : indices) ids.push_back(Kb().drug(i).id);
  return ids;
}

Fixed Convert(ObsKind kind, std::string_view unit, std::string_view value) {
  const ObservationKindDef& def = Kb().kind(kind);
  const UnitConversion* u = def.FindUnit(unit);
  EXPECT_NE(u, nullptr) << ObsKindName(kind) << " " << unit;
  if (u == nullptr) return Fixed();
  return def.ToCanonical(F(value), *u);
}

std::string Describe(const Error& e) {
  std::string out = e.message;
  for (const auto& i : e.issues) out += "\n  " + i.location + " [" + i.code + "] " + i.message;
  return out;
}

bool HasIssue(const Error& e, std::string_view code, std::string_view location, std::string_view message_part = "") {
  return std::any_of(e.issues.begin(), e.issues.end(), [&](const Issue& i) {
    return i.code == code && i.location == location && i.location_type == "file" &&
           i.message.find(message_part) != std::string::npos;
  });
}

// ---- The embedded knowledge base ----------------------------------------------------------------------

TEST(KbEmbedded, LoadsAndVerifies) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(kb.version, "2026.11.0");
  EXPECT_EQ(kb.sha256.size(), 64u);
  EXPECT_TRUE(VerifyKnowledgeBase(kb).empty());
  EXPECT_GT(kb.drugs.size(), 150u);
  EXPECT_EQ(kb.references.size(), 27u);  // clinical §14
}

TEST(KbEmbedded, EmbeddedFilesAreTheRepositoryFiles) {
  const KnowledgeBase& kb = Kb();
  std::vector<std::string> paths;
  for (const auto& f : kb.files) {
    paths.push_back(f.path);
    EXPECT_EQ(f.bytes, ReadFile(SourceDir() + "/kb/" + f.path)) << f.path << ": rebuild to re-embed";
    EXPECT_EQ(Sha256Hex(f.bytes), f.declared_sha256) << f.path;
  }
  // Every data file of kb/ is listed in the manifest.
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/kb")) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name == "kb.json") continue;
    EXPECT_NE(std::find(paths.begin(), paths.end(), name), paths.end()) << name << " is not listed in kb.json";
  }
}

TEST(KbEmbedded, Sha256MatchesIndependentRecomputation) {
  // interfaces.md §11, recomputed with python3 hashlib from the files in kb/.
  const std::string script =
      "import hashlib, json, os, sys\n"
      "d = sys.argv[1]\n"
      "m = json.load(open(os.path.join(d, 'kb.json'), encoding='utf-8'))\n"
      "text = 'nmscds-kb %s\\n' % m['version']\n"
      "for f in sorted(m['files'], key=lambda f: f['path'].encode('utf-8')):\n"
      "    text += '%s  %s\\n' % (hashlib.sha256(open(os.path.join(d, f['path']), 'rb').read()).hexdigest(), f['path'])\n"
      "print(hashlib.sha256(text.encode('utf-8')).hexdigest())\n";
  if (testing::Python3().empty()) GTEST_SKIP() << "python3 not found";
  auto run = testing::Run({testing::Python3(), "-c", script, SourceDir() + "/kb"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Kb().sha256 + "\n", run.out);
}

TEST(KbEmbedded, EveryEntryIsIndexedByFile) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(kb.entry_files.at("haloperidol"), "drugs.json");
  EXPECT_EQ(kb.entry_files.at("class.typical_antipsychotic"), "drug_classes.json");
  EXPECT_EQ(kb.entry_files.at("iec_cutoff"), "parameters.json");
  EXPECT_EQ(kb.entry_files.at("kind.temperature"), "observation_kinds.json");
  EXPECT_EQ(kb.entry_files.at("unit_aliases"), "observation_kinds.json");
  EXPECT_EQ(kb.entry_files.at("concept.liver_disease"), "concepts.json");
  EXPECT_EQ(kb.entry_files.at("reulbach-2007"), "references.json");
  EXPECT_EQ(kb.entry_files.at(std::string(kTextSpecs[0].id)), "texts.json");
}

// ---- Drugs (clinical §13.2) ---------------------------------------------------------------------------

TEST(KbDrugs, DepotSaltMapsToIngredientAndIsLongActing) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(DrugIds(kb.DrugsByName("haloperidol decanoate")), std::vector<std::string>{"haloperidol"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("HALDOL DECANOATE 100 mg/mL IM")), std::vector<std::string>{"haloperidol"});
  EXPECT_TRUE(kb.NamesLongActing("haloperidol decanoate"));
  EXPECT_TRUE(kb.NamesLongActing("Haldol Decanoate"));
  EXPECT_FALSE(kb.NamesLongActing("haloperidol 5 mg tablet"));
  EXPECT_FALSE(kb.NamesLongActing("Haldol"));
  EXPECT_TRUE(kb.NamesLongActing("fluphenazine depot"));                  // depot marker
  EXPECT_TRUE(kb.NamesLongActing("some drug long-acting injectable"));    // depot marker
  EXPECT_TRUE(kb.NamesLongActing("Modecate"));                            // brand of a depot product
  EXPECT_EQ(kb.drug(DrugIndex("haloperidol")).rxcuis, std::vector<std::string>{"5093"});
  EXPECT_FALSE(kb.drug(DrugIndex("haloperidol")).lai_interval_days.has_value());
}

// DrugsByName and NamesLongActing (indexed, WordPhraseIndex) against their definition: ContainsWord of every
// id, synonym, long-acting synonym and depot marker of the knowledge base, over names built from them.
TEST(KbDrugs, NameLookupsEqualTheirWholeWordDefinition) {
  const KnowledgeBase& kb = Kb();
  std::vector<std::string> names = {"", "Haldol Decanoate 50 mg/mL", "olanzapine pamoate 405 mg", "x", "metoclopramide-HCl"};
  for (const Drug& d : kb.drugs) {
    names.push_back(d.id);
    names.push_back("Brand " + d.id + " 5 mg tablet");
    names.push_back(d.id + "x");
    for (const auto& s : d.synonyms) names.push_back(AsciiLower(s) + " oral");
    for (const auto& s : d.long_acting_synonyms) names.push_back("inj " + s);
  }
  for (const auto& m : kb.params.depot_markers) names.push_back("drug " + m);
  for (const std::string& name : names) {
    std::vector<int> expected;
    bool long_acting = false;
    for (std::size_t i = 0; i < kb.drugs.size(); ++i) {
      const Drug& d = kb.drugs[i];
      bool match = ContainsWord(name, d.id);
      for (const auto& s : d.synonyms) match = match || ContainsWord(name, s);
      for (const auto& s : d.long_acting_synonyms) {
        match = match || ContainsWord(name, s);
        long_acting = long_acting || ContainsWord(name, s);
      }
      if (match) expected.push_back(static_cast<int>(i));
    }
    for (const auto& m : kb.params.depot_markers) long_acting = long_acting || ContainsWord(name, m);
    EXPECT_EQ(kb.DrugsByName(name), expected) << name;
    EXPECT_EQ(kb.NamesLongActing(name), long_acting) << name;
  }
  EXPECT_GT(names.size(), 100u);
}

TEST(KbDrugs, PaliperidoneAndAripiprazoleDepotIntervals) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(DrugIds(kb.DrugsByName("Invega Trinza")), std::vector<std::string>{"paliperidone"});
  EXPECT_TRUE(kb.NamesLongActing("Invega Trinza"));
  EXPECT_FALSE(kb.NamesLongActing("Invega 6 mg"));
  EXPECT_EQ(kb.drug(DrugIndex("paliperidone")).lai_interval_days, F("91"));
  EXPECT_EQ(DrugIds(kb.DrugsByName("aripiprazole lauroxil")), std::vector<std::string>{"aripiprazole"});
  EXPECT_TRUE(kb.NamesLongActing("aripiprazole lauroxil"));
  EXPECT_EQ(kb.drug(DrugIndex("aripiprazole")).lai_interval_days, F("56"));
  EXPECT_EQ(kb.params.lai_interval_days_default, F("28"));
}

TEST(KbDrugs, RxcuiLookupAndRoles) {
  const KnowledgeBase& kb = Kb();
  auto meto = kb.DrugsByRxcui("6915");
  ASSERT_EQ(DrugIds(meto), std::vector<std::string>{"metoclopramide"});
  const Drug& d = kb.drug(meto[0]);
  EXPECT_TRUE(d.roles & kRoleAntiemeticD2);
  EXPECT_TRUE(d.roles & kRoleD2Antagonist);
  EXPECT_EQ(kb.PrimaryClass(meto[0]).token, "antiemetic_prokinetic");
  EXPECT_EQ(kb.PrimaryClass(meto[0]).label, "antiemetic");
  EXPECT_EQ(d.rxcui_status, "verified");

  EXPECT_EQ(DrugIds(kb.DrugsByRxcui("3106")), std::vector<std::string>{"dantrolene"});  // dantrolene sodium
  EXPECT_EQ(DrugIds(kb.DrugsByRxcui("3105")), std::vector<std::string>{"dantrolene"});
  EXPECT_TRUE(kb.DrugsByRxcui("99999999").empty());
  EXPECT_TRUE(kb.DrugsByRxcui("").empty());

  const Drug& olz = kb.drug(DrugIndex("olanzapine"));
  EXPECT_TRUE(olz.roles & kRoleD2Antagonist);
  EXPECT_TRUE(olz.roles & kRoleAntimuscarinic);
  EXPECT_FALSE(olz.roles & kRoleAntiemeticD2);  // given for nausea it stays an antipsychotic (§13.2.1)
  EXPECT_EQ(kb.PrimaryClass(DrugIndex("olanzapine")).token, "atypical_antipsychotic");
  EXPECT_EQ(kb.PrimaryClass(DrugIndex("olanzapine")).label, "antipsychotic");

  // Lithium: one entry, contributor and serotonergic, not counted as a D2 antagonist.
  const Drug& li = kb.drug(DrugIndex("lithium"));
  EXPECT_EQ(li.roles & kRoleD2Antagonist, 0u);
  EXPECT_TRUE(li.roles & kRoleNmsContributor);
  EXPECT_TRUE(li.roles & kRoleSerotonergic);
  EXPECT_EQ(DrugIds(kb.DrugsByRxcui("6448")), std::vector<std::string>{"lithium"});

  // Selegiline: dopaminergic and serotonergic (MAOI), primary class dopaminergic.
  const Drug& sel = kb.drug(DrugIndex("selegiline"));
  EXPECT_TRUE(sel.roles & kRoleDopaminergic);
  EXPECT_TRUE(sel.roles & kRoleSerotonergic);
  EXPECT_EQ(kb.PrimaryClass(DrugIndex("selegiline")).token, "dopaminergic");

  EXPECT_TRUE(kb.drug(DrugIndex("bromocriptine")).roles & kRoleNmsTherapy);
  EXPECT_TRUE(kb.drug(DrugIndex("amantadine")).roles & kRoleDopaminergic);
  EXPECT_TRUE(kb.drug(DrugIndex("dantrolene")).roles & kRoleNmsTherapy);
  EXPECT_TRUE(kb.drug(DrugIndex("verapamil")).roles & kRoleCcbNonDihydropyridine);
  EXPECT_TRUE(kb.drug(DrugIndex("amlodipine")).roles & kRoleCcbDihydropyridine);
  EXPECT_TRUE(kb.drug(DrugIndex("succinylcholine")).roles & kRoleMhSuccinylcholine);
  EXPECT_TRUE(kb.drug(DrugIndex("sevoflurane")).roles & kRoleMhVolatile);
  EXPECT_TRUE(kb.drug(DrugIndex("levofloxacin")).roles & kRoleFluoroquinolone);
  EXPECT_TRUE(kb.drug(DrugIndex("posaconazole")).roles & kRoleMouldActiveAzole);
  EXPECT_TRUE(kb.drug(DrugIndex("posaconazole")).roles & kRoleAntifungal);
  EXPECT_TRUE(kb.drug(DrugIndex("linezolid")).roles & kRoleSerotonergic);
  EXPECT_TRUE(kb.drug(DrugIndex("linezolid")).roles & kRoleAntibiotic);
  EXPECT_TRUE(kb.drug(DrugIndex("ondansetron")).roles & kRoleSerotonergic);
  EXPECT_FALSE(kb.drug(DrugIndex("palonosetron")).roles & kRoleSerotonergic);
  EXPECT_TRUE(kb.drug(DrugIndex("cytarabine")).roles & kRoleCytotoxicChemotherapy);
  EXPECT_TRUE(kb.drug(DrugIndex("amitriptyline")).roles & kRoleAntimuscarinic);
  EXPECT_EQ(kb.drug(DrugIndex("carbidopa")).roles, 0u);
}

TEST(KbDrugs, NameMatching) {
  const KnowledgeBase& kb = Kb();
  // A combination yields every ingredient, each once, in ascending index order.
  auto combo = kb.DrugsByName("levodopa/carbidopa");
  EXPECT_EQ(combo.size(), 2u);
  EXPECT_TRUE(std::is_sorted(combo.begin(), combo.end()));
  auto ids = DrugIds(combo);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "levodopa"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "carbidopa"), ids.end());

  EXPECT_EQ(DrugIds(kb.DrugsByName("Zosyn 4.5 g IV")), std::vector<std::string>{"piperacillin"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("piperacillin-tazobactam")), std::vector<std::string>{"piperacillin"});
  EXPECT_TRUE(kb.drug(DrugIndex("piperacillin")).roles & kRolePenicillin);
  EXPECT_TRUE(kb.drug(DrugIndex("piperacillin")).roles & kRoleEmpiricBetaLactam);
  EXPECT_EQ(DrugIds(kb.DrugsByName("imipenem-cilastatin")), std::vector<std::string>{"imipenem"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("pethidine")), std::vector<std::string>{"meperidine"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("Methylene Blue 1%")), std::vector<std::string>{"methylene-blue"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("St John's wort extract")), std::vector<std::string>{"st-johns-wort"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("liposomal amphotericin B")), std::vector<std::string>{"amphotericin-b"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("suxamethonium")), std::vector<std::string>{"succinylcholine"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("MDMA")), std::vector<std::string>{"mdma"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("(haloperidol)")), std::vector<std::string>{"haloperidol"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("x-haloperidol")), std::vector<std::string>{"haloperidol"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("5-FU infusion")), std::vector<std::string>{"fluorouracil"});
  EXPECT_EQ(DrugIds(kb.DrugsByName("St John\xE2\x80\x99s wort")), std::vector<std::string>{"st-johns-wort"});
  // Whole words only, any case.
  EXPECT_EQ(DrugIds(kb.DrugsByName("HALOPERIDOL")), std::vector<std::string>{"haloperidol"});
  EXPECT_TRUE(kb.DrugsByName("haloperidolx").empty());
  EXPECT_TRUE(kb.DrugsByName("acyclovir").empty());  // not in the knowledge base (report example)
  EXPECT_TRUE(kb.DrugsByName("pantoprazole").empty());
  EXPECT_TRUE(kb.DrugsByName("").empty());
  EXPECT_EQ(kb.FindDrug("no-such-drug"), -1);
}

TEST(KbDrugs, ScenarioMedicationsAreRecognised) {
  // Every D2/trigger medication name of the conformance scenarios (spec/scenarios) maps to its ingredient.
  const KnowledgeBase& kb = Kb();
  for (const char* name : {"metoclopramide", "olanzapine", "haloperidol", "succinylcholine", "sevoflurane", "ondansetron",
                           "sertraline", "fentanyl", "verapamil", "amlodipine", "cefepime", "dantrolene", "meropenem",
                           "prochlorperazine", "cytarabine", "daunorubicin", "levofloxacin"}) {
    EXPECT_EQ(DrugIds(kb.DrugsByName(name)), std::vector<std::string>{name});
  }
}

TEST(KbDrugs, NoCodeOrNameUnderTwoIngredients) {
  const KnowledgeBase& kb = Kb();
  std::map<std::string, std::string> owner;
  for (const auto& d : kb.drugs) {
    for (const auto& c : d.rxcuis) {
      auto [it, inserted] = owner.emplace(c, d.id);
      EXPECT_TRUE(inserted) << "RxCUI " << c << " under " << d.id << " and " << it->second;
    }
    EXPECT_FALSE(d.classes.empty()) << d.id;
  }
}

// ---- Observation kinds and conversions (interfaces §2.3, clinical §13.3) ------------------------------

TEST(KbKinds, WorkedConversionsAreExact) {
  EXPECT_EQ(Convert(ObsKind::kTemperature, "[degF]", "100.4"), F("38.00"));
  EXPECT_EQ(Convert(ObsKind::kTemperature, "[degF]", "104.0"), F("40.00"));
  EXPECT_EQ(Convert(ObsKind::kTemperature, "Cel", "38.456"), F("38.46"));
  EXPECT_EQ(Convert(ObsKind::kAnc, "/uL", "400"), F("0.400"));
  EXPECT_EQ(Convert(ObsKind::kAnc, "10*3/uL", "0.4"), F("0.400"));
  EXPECT_EQ(Convert(ObsKind::kAnc, "{cells}/mm3", "1500"), F("1.5"));
  EXPECT_EQ(Convert(ObsKind::kBilirubinTotal, "umol/L", "20.5"), F("1.20"));
  EXPECT_EQ(Convert(ObsKind::kCreatinine, "umol/L", "97"), F("1.10"));
  EXPECT_EQ(Convert(ObsKind::kWeight, "[lb_av]", "154"), F("69.9"));
  EXPECT_EQ(Convert(ObsKind::kWeight, "g", "3500"), F("3.5"));
  EXPECT_EQ(Convert(ObsKind::kHeight, "[in_i]", "70"), F("177.8"));
  EXPECT_EQ(Convert(ObsKind::kHeight, "m", "1.75"), F("175"));
  EXPECT_EQ(Convert(ObsKind::kAlt, "ukat/L", "1.5"), F("90"));
  EXPECT_EQ(Convert(ObsKind::kCk, "[IU]/L", "2850"), F("2850"));
  EXPECT_EQ(Convert(ObsKind::kGlucose, "mmol/L", "5.5"), F("99"));
  EXPECT_EQ(Convert(ObsKind::kPotassium, "meq/L", "5.55"), F("5.6"));
}

TEST(KbKinds, UnitsPrecisionAndCodes) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(kb.kind(ObsKind::kTemperature).decimals, 2);
  EXPECT_EQ(kb.kind(ObsKind::kAnc).decimals, 3);
  EXPECT_EQ(kb.kind(ObsKind::kAnc).canonical_unit, "10*9/L");
  EXPECT_EQ(kb.kind(ObsKind::kTemperature).plausible_low, F("25"));
  EXPECT_EQ(kb.kind(ObsKind::kTemperature).plausible_high, F("46"));
  EXPECT_EQ(kb.kind(ObsKind::kWeight).plausible_low, F("0.3"));
  EXPECT_TRUE(kb.kind(ObsKind::kGcs).integer_only);
  EXPECT_FALSE(kb.kind(ObsKind::kHeartRate).integer_only);
  EXPECT_EQ(kb.kind(ObsKind::kTemperature).FindUnit("degF"), nullptr);  // UCUM codes are exact
  EXPECT_EQ(kb.kind(ObsKind::kSystolicBp).FindUnit("mmHg"), nullptr);
  for (std::size_t i = 0; i < kObsKindCount; ++i) {
    auto k = static_cast<ObsKind>(i);
    const ObservationKindDef* def = kb.FindKindByName(ObsKindName(k));
    ASSERT_NE(def, nullptr) << ObsKindName(k);
    EXPECT_EQ(def->kind, k);
  }
  EXPECT_EQ(kb.FindKindByName("nonsense"), nullptr);
  EXPECT_EQ(kb.FindKindByLoinc("8331-1")->kind, ObsKind::kTemperature);
  EXPECT_EQ(kb.FindKindByLoinc("8310-5")->kind, ObsKind::kTemperature);
  EXPECT_EQ(kb.FindKindByLoinc("38483-4")->kind, ObsKind::kCreatinine);
  EXPECT_EQ(kb.FindKindByLoinc("14631-6")->kind, ObsKind::kBilirubinTotal);
  EXPECT_EQ(kb.FindKindByLoinc("3141-9")->kind, ObsKind::kWeight);
  EXPECT_EQ(kb.FindKindByLoinc("751-8")->kind, ObsKind::kAnc);
  EXPECT_EQ(kb.FindKindByLoinc("9269-2")->kind, ObsKind::kGcs);
  EXPECT_EQ(kb.FindKindByLoinc("85354-9"), nullptr);  // a panel, not a kind
  EXPECT_EQ(kb.FindKindByLoinc("0000-0"), nullptr);

  auto alias = std::find(kb.unit_aliases.begin(), kb.unit_aliases.end(),
                         std::pair<std::string, std::string>{"\xC2\xB0" "C", "Cel"});
  EXPECT_NE(alias, kb.unit_aliases.end());
}

// ---- Concepts (clinical §13.4, interfaces §4.7) --------------------------------------------------------

// MatchConcepts' code lookups (indexed by SNOMED code and by ICD-10-CM category) against their definition
// (interfaces §4.7): a SNOMED code matched exactly, an ICD-10-CM code by any of a concept's prefixes in any
// case. Over every code and prefix of the knowledge base and variants of them, then again with a prefix
// shorter than a category added.
TEST(KbConcepts, CodeLookupsEqualTheirDefinition) {
  KnowledgeBase kb = Kb();  // a copy: a short prefix is added below
  auto check = [](const KnowledgeBase& k) {
    std::vector<std::string> codes = {"A", "Z9", "k74", "k74.6", "C50.911", "c92.00", "R65.21", "76571007", "x"};
    for (const ConceptDef& c : k.concepts) {
      for (const auto& code : c.snomed) {
        codes.insert(codes.end(), {code, code + "1", code.substr(0, code.size() - 1)});
      }
      for (const auto& prefix : c.icd10cm_prefixes) {
        codes.insert(codes.end(), {prefix, AsciiLower(prefix) + ".9", prefix.substr(0, prefix.size() - 1)});
      }
    }
    int matched = 0;
    for (const std::string& code : codes) {
      std::uint32_t snomed = 0, icd = 0;
      for (const ConceptDef& c : k.concepts) {
        if (std::find(c.snomed.begin(), c.snomed.end(), code) != c.snomed.end()) snomed |= ConceptBit(c.concept_id);
        for (const auto& prefix : c.icd10cm_prefixes) {
          if (!prefix.empty() && AsciiLower(code.substr(0, prefix.size())) == AsciiLower(prefix)) {
            icd |= ConceptBit(c.concept_id);
          }
        }
      }
      EXPECT_EQ(k.MatchConcepts(kSnomed, code, ""), snomed) << code;
      EXPECT_EQ(k.MatchConcepts(kIcd10Cm, code, ""), icd) << code;
      matched += (snomed != 0) + (icd != 0);
    }
    EXPECT_GT(matched, 100);
  };
  check(kb);
  kb.concepts[0].icd10cm_prefixes.push_back("Z9");
  kb.Finalize();
  check(kb);
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "z99.1", ""), ConceptBit(kb.concepts[0].concept_id));
}

TEST(KbConcepts, CodesAndText) {
  const KnowledgeBase& kb = Kb();
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "K74.60", ""), ConceptBit(ConceptId::kLiverDisease));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "B18.2", ""), ConceptBit(ConceptId::kLiverDisease));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "K80.20", ""), 0u);  // gallstones: not K70-K77
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "C92.00", ""), ConceptBit(ConceptId::kMalignancyHematologic));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "C50.911", ""), ConceptBit(ConceptId::kMalignancySolid));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "R65.21", ""),
            ConceptBit(ConceptId::kSepsis) | ConceptBit(ConceptId::kSepticShock));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "G21.0", ""), ConceptBit(ConceptId::kNms));
  EXPECT_EQ(kb.MatchConcepts(kIcd10Cm, "J44.9", ""), ConceptBit(ConceptId::kCopd));
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "76571007", ""),
            ConceptBit(ConceptId::kSepsis) | ConceptBit(ConceptId::kSepticShock));
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "91861009", "acute myeloid leukemia"),
            ConceptBit(ConceptId::kMalignancyHematologic));
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "363346000", ""), ConceptBit(ConceptId::kMalignancyUnspecified));
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "15244003", ""), ConceptBit(ConceptId::kNms));
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "1524400", ""), 0u);  // exact match only
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "K74.60", ""), 0u);  // ICD code under the SNOMED system
  // Text only without a code.
  EXPECT_EQ(kb.MatchConcepts("", "", "acute myeloid leukaemia"), ConceptBit(ConceptId::kMalignancyHematologic));
  EXPECT_EQ(kb.MatchConcepts("", "", "diffuse large B-cell lymphoma"), ConceptBit(ConceptId::kMalignancyHematologic));
  EXPECT_EQ(kb.MatchConcepts("", "", "small-cell lung cancer"), ConceptBit(ConceptId::kMalignancySolid));
  EXPECT_EQ(kb.MatchConcepts("", "", "Alcoholic CIRRHOSIS"), ConceptBit(ConceptId::kLiverDisease));
  EXPECT_EQ(kb.MatchConcepts("", "", "Parkinson disease"), 0u);
  EXPECT_EQ(kb.MatchConcepts(kSnomed, "49049000", "cirrhosis"), 0u);  // a code is given: text is not read
}

// ---- Parameters and references (clinical §13.1, §14) ----------------------------------------------------

TEST(KbParams, ValuesFromTheSpecification) {
  const Params& p = Kb().params;
  EXPECT_EQ(p.iec_cutoff, F("74"));
  EXPECT_EQ(p.iec_weight_c1, F("20"));
  EXPECT_EQ(p.iec_weight_c8, F("7"));
  EXPECT_EQ(p.nms_window_h, F("72"));
  EXPECT_EQ(p.hyperthermia_threshold_c, F("38.0"));
  EXPECT_EQ(p.fn_single_c, F("38.3"));
  EXPECT_EQ(p.anc_neutropenia, F("0.5"));
  EXPECT_EQ(p.cockcroft_gault_female_factor, F("0.85"));
  EXPECT_EQ(p.mascc_weight_burden_severe, F("0"));
  EXPECT_EQ(p.mascc_low_risk, F("21"));
  EXPECT_EQ(p.dantrolene_initial_mg_per_kg.low, F("1.0"));
  EXPECT_EQ(p.dantrolene_initial_mg_per_kg.high, F("2.5"));
  EXPECT_EQ(p.woodbury_temp_c.low, F("38.0"));
  EXPECT_EQ(p.woodbury_temp_c.high, F("40.0"));
  EXPECT_EQ(p.vancomycin_review_h.high, F("72"));
  ASSERT_EQ(p.amantadine_bands.size(), 4u);
  EXPECT_EQ(p.amantadine_bands[0].band, "crcl_ge_50");
  EXPECT_EQ(p.amantadine_bands[0].dose_mg_high, F("200"));
  EXPECT_EQ(p.amantadine_bands[3].crcl_min, F("0"));
  EXPECT_EQ(p.amantadine_bands[3].interval_h, F("168"));
  EXPECT_NE(std::find(p.depot_markers.begin(), p.depot_markers.end(), "decanoate"), p.depot_markers.end());
  EXPECT_EQ(p.nms_indication_words, (std::vector<std::string>{"NMS", "neuroleptic malignant"}));
  EXPECT_EQ(p.antiemetic_indication_words.size(), 4u);
}

TEST(KbReferences, Catalogue) {
  const KnowledgeBase& kb = Kb();
  const Reference* r = kb.FindReference("reulbach-2007");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->citation.find("Crit Care 2007;11(1):R4"), std::string::npos);
  EXPECT_NE(kb.FindReference("amsterdam-1986"), nullptr);
  EXPECT_EQ(kb.FindReference("nonexistent-2000"), nullptr);
  for (std::size_t i = 0; i < kTextIdCount; ++i) {
    EXPECT_EQ(kb.texts[i].id, kTextSpecs[i].id);
    EXPECT_EQ(kb.text(static_cast<TextId>(i)).id, kTextSpecs[i].id);
    for (const auto& ref : kb.texts[i].refs) EXPECT_NE(kb.FindReference(ref), nullptr) << ref;
  }
}

TEST(KbDrugRole, Names) {
  EXPECT_EQ(DrugRoleFromName("d2_antagonist"), kRoleD2Antagonist);
  EXPECT_EQ(DrugRoleFromName("non_d2_antiemetic"), kRoleNonD2Antiemetic);
  EXPECT_EQ(DrugRoleFromName("mh_succinylcholine"), kRoleMhSuccinylcholine);
  EXPECT_EQ(DrugRoleFromName("D2_antagonist"), 0u);
  EXPECT_EQ(DrugRoleFromName(""), 0u);
}

// ---- Loading a directory (--kb) and refusing broken knowledge bases ---------------------------------------

class KbDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir(std::string("kb-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (const auto& entry : fs::directory_iterator(SourceDir() + "/kb")) {
      if (entry.path().extension() != ".json") continue;
      WriteFile(dir_ + "/" + entry.path().filename().string(), ReadFile(entry.path().string()));
    }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Rewrites `file` with `bytes` and, unless told otherwise, updates its hash in kb.json (as
  // tools/kb_rehash.py does).
  void Rewrite(const std::string& file, const std::string& bytes, bool rehash = true) {
    std::string old_hash = Sha256Hex(ReadFile(dir_ + "/" + file));
    WriteFile(dir_ + "/" + file, bytes);
    if (!rehash) return;
    std::string manifest = ReadFile(dir_ + "/kb.json");
    auto pos = manifest.find(old_hash);
    ASSERT_NE(pos, std::string::npos) << file;
    manifest.replace(pos, old_hash.size(), Sha256Hex(bytes));
    WriteFile(dir_ + "/kb.json", manifest);
  }

  // Replaces the single occurrence of `from` in `file`.
  void Replace(const std::string& file, const std::string& from, const std::string& to, bool rehash = true) {
    std::string bytes = ReadFile(dir_ + "/" + file);
    auto pos = bytes.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    ASSERT_EQ(bytes.find(from, pos + 1), std::string::npos) << from << " is not unique";
    bytes.replace(pos, from.size(), to);
    Rewrite(file, bytes, rehash);
  }

  // Removes the line that contains `needle`.
  void RemoveLine(const std::string& file, const std::string& needle) {
    std::string bytes = ReadFile(dir_ + "/" + file);
    auto pos = bytes.find(needle);
    ASSERT_NE(pos, std::string::npos) << needle;
    auto start = bytes.rfind('\n', pos) + 1;
    auto end = bytes.find('\n', pos);
    bytes.erase(start, end - start + 1);
    Rewrite(file, bytes);
  }

  Error LoadFailure() {
    auto r = LoadKnowledgeBaseDir(dir_);
    EXPECT_FALSE(r.ok()) << "the modified knowledge base was accepted";
    if (r.ok()) return Error{};
    return r.error();
  }

  std::string dir_;
};

TEST_F(KbDir, CopyLoadsLikeTheEmbeddedKnowledgeBase) {
  auto r = LoadKnowledgeBaseDir(dir_);
  ASSERT_TRUE(r.ok()) << Describe(r.error());
  EXPECT_EQ((*r)->sha256, Kb().sha256);
  EXPECT_EQ((*r)->version, Kb().version);
  EXPECT_EQ((*r)->drugs.size(), Kb().drugs.size());
  EXPECT_EQ((*r)->entry_files, Kb().entry_files);
  EXPECT_TRUE(VerifyKnowledgeBase(**r).empty());
}

TEST_F(KbDir, MissingDirectoryOrFileIsUnreadable) {
  auto r = LoadKnowledgeBaseDir(dir_ + "/does-not-exist");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnreadable);
  fs::remove(dir_ + "/concepts.json");
  r = LoadKnowledgeBaseDir(dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnreadable);
  EXPECT_NE(r.error().message.find("concepts.json"), std::string::npos);
}

TEST_F(KbDir, TamperedFileFailsItsHash) {
  Replace("drugs.json", "\"Thorazine\"", "\"Thorazin\"", /*rehash=*/false);
  Error e = LoadFailure();
  EXPECT_EQ(e.kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(HasIssue(e, "kb_hash_mismatch", "drugs.json")) << Describe(e);
}

TEST_F(KbDir, UnknownDrugClass) {
  Replace("drugs.json", "{\"id\": \"haloperidol\", \"rxcui\": [\"5093\"], \"rxcui_status\": \"verified\", \"classes\": [\"class.typical_antipsychotic\"]",
          "{\"id\": \"haloperidol\", \"rxcui\": [\"5093\"], \"rxcui_status\": \"verified\", \"classes\": [\"class.no_such_class\"]");
  Error e = LoadFailure();
  EXPECT_EQ(e.kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(HasIssue(e, "kb_unknown_reference", "drugs.json#haloperidol", "class.no_such_class")) << Describe(e);
}

TEST_F(KbDir, UnknownPlaceholderInText) {
  // Prefix the first engine text with a placeholder the engine does not supply.
  const std::string id(kTextSpecs[0].id);
  std::string bytes = ReadFile(dir_ + "/texts.json");
  auto at = bytes.find("\"id\": \"" + id + "\"");
  ASSERT_NE(at, std::string::npos);
  auto text = bytes.find("\"text\":", at);
  ASSERT_NE(text, std::string::npos);
  auto quote = bytes.find('"', text + 7);
  ASSERT_NE(quote, std::string::npos);
  bytes.insert(quote + 1, "{no_such_placeholder} ");
  Rewrite("texts.json", bytes);
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_unknown_placeholder", "texts.json#" + id, "no_such_placeholder")) << Describe(e);
}

TEST_F(KbDir, DuplicateRxcui) {
  Replace("drugs.json", "{\"id\": \"chlorpromazine\", \"rxcui\": [\"2403\"]", "{\"id\": \"chlorpromazine\", \"rxcui\": [\"5093\"]");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_duplicate_code", "drugs.json#chlorpromazine", "haloperidol")) << Describe(e);
}

TEST_F(KbDir, DuplicateSynonymAcrossDrugs) {
  Replace("drugs.json", "\"Thorazine\"", "\"Haldol\"");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_duplicate_name", "drugs.json#chlorpromazine", "haloperidol")) << Describe(e);
}

TEST_F(KbDir, MissingParameter) {
  RemoveLine("parameters.json", "{\"id\": \"iec_cutoff\"");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_missing_entry", "parameters.json", "iec_cutoff")) << Describe(e);
}

TEST_F(KbDir, UnknownMember) {
  Replace("drugs.json", "{\"id\": \"haloperidol\", ", "{\"id\": \"haloperidol\", \"colour\": \"red\", ");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_unknown_member", "drugs.json#haloperidol", "colour")) << Describe(e);
}

TEST_F(KbDir, DuplicateIdAcrossFiles) {
  Replace("references.json", "{\"id\": \"mhaus\"", "{\"id\": \"haloperidol\"");
  Error e = LoadFailure();
  bool found = HasIssue(e, "kb_duplicate_id", "references.json#haloperidol") ||
               HasIssue(e, "kb_duplicate_id", "drugs.json#haloperidol");
  EXPECT_TRUE(found) << Describe(e);
}

TEST_F(KbDir, BadLoincCheckDigit) {
  Replace("observation_kinds.json", "[\"8867-4\"]", "[\"8867-5\"]");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_bad_code", "observation_kinds.json#kind.heart_rate", "8867-5")) << Describe(e);
}

TEST_F(KbDir, MissingObservationKind) {
  RemoveLine("observation_kinds.json", "{\"id\": \"kind.myoglobin\"");
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_missing_entry", "observation_kinds.json", "myoglobin")) << Describe(e);
}

TEST_F(KbDir, BadManifest) {
  Replace("kb.json", "\"2026.11.0\"", "\"2026.13.0\"", /*rehash=*/false);
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "kb_manifest", "kb.json", "YYYY.MM.N")) << Describe(e);
}

TEST_F(KbDir, JsonSyntaxErrorNamesTheFile) {
  std::string bytes = ReadFile(dir_ + "/concepts.json");
  Rewrite("concepts.json", bytes.substr(0, bytes.size() / 2));
  Error e = LoadFailure();
  EXPECT_TRUE(HasIssue(e, "json_syntax", "concepts.json")) << Describe(e);
  // The syntax error is the problem to fix: the concepts it hides are not listed one by one.
  EXPECT_LE(e.issues.size(), 2u) << Describe(e);
}

}  // namespace
}  // namespace nmscds
