// ReportToText (interfaces.md §6).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "io/report_text_internal.h"
#include "nmscds/nmscds.h"
#include "unit/report_fixture.h"

namespace nmscds::testing {
namespace {

using report_text_internal::DisplayWidth;
using report_text_internal::Wrap;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string Text(const Report& r, int width = 80, bool color = false) {
  TextOptions options;
  options.width = width;
  options.color = color;
  return ReportToText(r, options);
}

bool EndsWithDigit(const std::string& s) { return !s.empty() && s.back() >= '0' && s.back() <= '9'; }

std::size_t LeadingSpaces(const std::string& s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

// Checks the §6.2 wrapping rules on every line of a rendered report.
void CheckWrapping(const std::string& text, int width) {
  std::vector<std::string> lines = Lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    EXPECT_FALSE(!line.empty() && line.back() == ' ') << "trailing space: [" << line << "]";
    if (DisplayWidth(line) > static_cast<std::size_t>(width)) {
      // Only a single word that is longer than the width may overflow.
      std::string body = line.substr(LeadingSpaces(line));
      EXPECT_EQ(body.find(' '), std::string::npos) << "line longer than " << width << ": [" << line << "]";
    }
    // A continuation line (indented deeper than a list marker) never starts with a unit torn from its number:
    // the previous line never ends with a number.
    if (i + 1 < lines.size() && LeadingSpaces(lines[i + 1]) >= 3 && !lines[i + 1].empty() &&
        lines[i + 1][LeadingSpaces(lines[i + 1])] != '[' && lines[i + 1][LeadingSpaces(lines[i + 1])] != '*') {
      EXPECT_FALSE(EndsWithDigit(line)) << "number separated from what follows: [" << line << "] / ["
                                        << lines[i + 1] << "]";
    }
  }
}

// The §6.3 example (width 80, no colour), in its two unabridged parts.
constexpr const char* kExampleHead = R"(nmscds 1.0.0 | kb 2026.11.0 | protocol standard
Patient p-aml-017 | assessed 2026-11-20 14:00 UTC

DANTROLENE: CONTRAINDICATED
  - ALT 88 U/L is above the laboratory upper limit (56 U/L).
  - AST 142 U/L is above the laboratory upper limit (40 U/L).
  - Two dopamine antagonists within 72 h: metoclopramide and olanzapine.
  Instead: bromocriptine (step 3).

DO NOW
  1. Stop metoclopramide (antiemetic, last dose 06:00) and olanzapine
     (antipsychotic, last dose 2026-11-19 21:00) now. For nausea use a
     non-dopaminergic antiemetic (ondansetron, granisetron or palonosetron; or
     an NK1 antagonist or dexamethasone); 5-HT3 antagonists are serotonergic. No
     antipsychotic for agitation; no re-challenge for at least 2 weeks after
     full recovery.
  2. Febrile neutropenia: give cefepime, piperacillin-tazobactam or meropenem,
     first dose within 60 min (by 15:00). Do not wait for the NMS work-up.
  3. Cool physically (cooling blankets, ice packs, evaporative cooling);
     antipyretics do not work for NMS hyperthermia. Give IV fluids to a urine
     output of at least 78 mL/h (1 mL/kg/h) because CK is more than 5 times its
     upper limit. Avoid physical restraint.
  4. Transfer to ICU-level monitoring.
  5. Continuous ECG and heart rate, blood pressure, SpO2 and respiratory rate;
     temperature at least hourly (core if possible); neurological observations.
!! Bacterial infection is immediately life-threatening in neutropenia: first
   antibiotic dose within 60 min; do not wait for the NMS work-up.

SITUATION
  NMS suspicion     HIGH - IEC 93/100 (cutoff 74, at most 93 possible)
  Woodbury stage    V - heart rate 124/min, rigidity severe
  Trigger           polypharmacy - metoclopramide, olanzapine
  Febrile neutrop.  PRESENT - 39.44 °C at 13:30, ANC 0.08 x10^9/L (profound),
                    MASCC 13 (high risk)
  Liver             DYSFUNCTION - ALT 88 U/L (ULN 56), AST 142 U/L (ULN 40)
  CrCl              65 mL/min (Cockcroft-Gault)

STEP 2 - ASSESS
  [recommended]   All four cardinal features are present: hyperthermia
                  (39.44 °C), severe rigidity, delirium (GCS 12) and autonomic
                  dysfunction (heart rate 124/min, diaphoresis, incontinence).
                  Re-examine and record them each shift.
)";

constexpr const char* kExampleStep3 = R"(STEP 3 - NMS-SPECIFIC TREATMENT
  [recommended]   Start bromocriptine 2.5 mg PO/NG every 8 h and titrate by
                  2.5 mg per dose to at most 10 mg every 8 h (preferred: no
                  serotonin syndrome, CrCl 65 mL/min, no active psychosis).
  [alternative]   If bromocriptine cannot be used: amantadine 100 mg PO/NG every
                  12 h (CrCl 65 mL/min, band 50 or more). Never both.
)";

TEST(ReportText, MatchesTheSpecificationExample) {
  std::string text = Text(ExampleReport());
  EXPECT_EQ(text.substr(0, std::string(kExampleHead).size()), kExampleHead) << text;
  EXPECT_NE(text.find(kExampleStep3), std::string::npos) << text;
}

TEST(ReportText, ExampleSectionsInOrder) {
  std::string text = Text(ExampleReport());
  std::vector<std::string> headings = {"DANTROLENE: ", "\nDO NOW\n", "\n!! ", "\nSITUATION\n", "\nSTEP 2 - ASSESS\n",
                                       "\nSTEP 3 - NMS-SPECIFIC TREATMENT\n", "\nSTEP 4 - FEBRILE NEUTROPENIA\n",
                                       "\nMONITORING\n", "\nWARNINGS\n", "\nMISSING DATA\n", "\nDIFFERENTIAL\n",
                                       "\nNOTES\n", "\nREFERENCES\n",
                                       "\n\nDecision support only; it does not replace clinical judgement.\n"};
  std::size_t pos = 0;
  for (const auto& h : headings) {
    std::size_t found = text.find(h, pos);
    ASSERT_NE(found, std::string::npos) << h << "\n" << text;
    pos = found + 1;
  }
  // The footer ends the text.
  const std::string footer = "Decision support only; it does not replace clinical judgement.\n";
  EXPECT_EQ(text.substr(text.size() - footer.size()), footer);
  // Step 1 has only immediate items (all under DO NOW), so it is omitted.
  EXPECT_EQ(text.find("STEP 1 - NOW"), std::string::npos);
  // Sections separated by exactly one blank line; no doubled blank lines.
  EXPECT_EQ(text.find("\n\n\n"), std::string::npos);
}

TEST(ReportText, ExampleDetailSections) {
  std::string text = Text(ExampleReport());
  for (const char* fragment : {
           "\nSTEP 4 - FEBRILE NEUTROPENIA\n  [recommended]   Continue empirical antibiotics until ANC is at least\n"
           "                  0.5 x10^9/L and the patient is afebrile;",
           "\n  [conditional]   No vancomycin indication is present now. Add vancomycin if the\n",
           "\n  [consider]      G-CSF is not routinely added to antibiotics; consider\n"
           "                  filgrastim per local protocol because of: ANC 0.08 x10^9/L (at\n",
           // Immediate monitoring items are under DO NOW only.
           "\nMONITORING\n  [recommended]   CK, creatinine (with CrCl) and potassium at least daily until\n"
           "                  CK normalises;",
           "\n  [recommended]   ALT, AST and bilirubin daily.\n\nWARNINGS\n",
           "\nWARNINGS\n  ! CK 2850 U/L is more than 5 times its upper limit: risk of myoglobinuric\n"
           "    kidney injury.",
           "\n  i Assumption: antiemetic dopamine antagonists (metoclopramide; olanzapine used\n",
           "\nMISSING DATA\n  - Blood culture result: any gram-positive organism?\n",
           "\nDIFFERENTIAL\n  [must exclude]  sepsis - Febrile neutropenia: treat as infection until proven\n"
           "                  otherwise.",
           "\n  [possible]      anticholinergic toxicity - Olanzapine is antimuscarinic and\n"
           "                  bowel sounds",
           "\n  [possible]      CNS infection - Febrile neutropenia with altered mental\n"
           "                  status;",
           "\n  [unlikely]      malignant hyperthermia, serotonin syndrome, heat stroke,\n"
           "                  parkinsonism-hyperpyrexia, lethal catatonia\n",
           "\nNOTES\n  [NOTE_ALTERNATIVE_DOSES] Bromocriptine is capped at 30 mg/day (seed);\n"
           "                           amantadine is adjusted to creatinine clearance.\n",
           "\nREFERENCES\n  [asco-2015-csf] Smith TJ, Bohlke K, Lyman GH, et al. Recommendations for the\n"
           "                  use of WBC growth factors:",
       }) {
    EXPECT_NE(text.find(fragment), std::string::npos) << fragment << "\n----\n" << text;
  }
  // Critical warnings appear once, under DO NOW, not in WARNINGS.
  EXPECT_EQ(text.find("Bacterial infection"), text.rfind("Bacterial infection"));
  // VITALS_CONTINUOUS (immediate) appears once.
  EXPECT_EQ(text.find("Continuous ECG"), text.rfind("Continuous ECG"));
}

TEST(ReportText, DecisionLabels) {
  struct Case {
    const char* decision;
    const char* label;
    const char* color;
  };
  const Case cases[] = {
      {"malignant_hyperthermia_protocol", "DANTROLENE: GIVE NOW - MALIGNANT HYPERTHERMIA PROTOCOL", "\x1b[1;31m"},
      {"not_applicable", "DANTROLENE: NOT APPLICABLE (NMS unlikely)", ""},
      {"contraindicated", "DANTROLENE: CONTRAINDICATED", "\x1b[1;31m"},
      {"not_indicated", "DANTROLENE: NOT INDICATED", "\x1b[1;33m"},
      {"insufficient_data", "DANTROLENE: INSUFFICIENT DATA - obtain before deciding", "\x1b[1;33m"},
      {"consider", "DANTROLENE: MAY BE CONSIDERED (off-label)", "\x1b[1;32m"},
  };
  for (const Case& c : cases) {
    Report r = MinimalReport();
    r.dantrolene.decision = c.decision;
    std::string plain = Text(r);
    EXPECT_NE(plain.find(std::string("\n\n") + c.label + "\n  - Liver status unknown.\n"), std::string::npos)
        << plain;
    EXPECT_EQ(plain.find('\x1b'), std::string::npos);
    std::string colored = Text(r, 80, true);
    if (*c.color != '\0') {
      EXPECT_NE(colored.find(std::string("\n") + c.color + c.label + "\x1b[0m\n"), std::string::npos) << colored;
    } else {
      EXPECT_NE(colored.find(std::string("\n") + c.label + "\n"), std::string::npos) << colored;
      EXPECT_EQ(colored.find('\x1b'), std::string::npos);
    }
  }
}

TEST(ReportText, RegimenPreconditionsAndInstead) {
  Report r = FullReport();  // decision consider with regimen and one precondition
  std::string text = Text(r);
  EXPECT_NE(text.find("\nDANTROLENE: MAY BE CONSIDERED (off-label)\n  - Severe rigidity.\n"
                      "  Regimen: 1-2.5 mg/kg IV (78-195 mg, 4-10 vials), then 1 mg/kg every 6 h, at\n"
                      "           most 10 mg/kg (780 mg) per 24 h.\n"
                      "  Before the first dose: Secure central or large-bore peripheral access first.\n\nDO NOW\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Instead:"), std::string::npos);

  // Instead names the first-ranked alternative whose status is recommended.
  Report ni = ExampleReport();
  ni.dantrolene.decision = "not_indicated";
  ni.alternatives[0].status = "not_indicated";  // bromocriptine
  EXPECT_NE(Text(ni).find("\n  Instead: lorazepam (step 3).\n"), std::string::npos);
  ni.dantrolene.decision = "insufficient_data";
  ni.alternatives[2].drug = "ect";
  EXPECT_NE(Text(ni).find("\n  Instead: ECT (step 3).\n"), std::string::npos);
  ni.alternatives[2].status = "consider";
  EXPECT_EQ(Text(ni).find("Instead:"), std::string::npos);
  // Not for not_applicable, and no regimen line outside consider / MH.
  Report na = ExampleReport();
  na.dantrolene.decision = "not_applicable";
  EXPECT_EQ(Text(na).find("Instead:"), std::string::npos);
  Report ci = FullReport();
  ci.dantrolene.decision = "contraindicated";
  EXPECT_EQ(Text(ci).find("Regimen:"), std::string::npos);
  EXPECT_EQ(Text(ci).find("Before the first dose:"), std::string::npos);
}

TEST(ReportText, DoNowOrderingAndNumbering) {
  Report r = MinimalReport();
  // Plan order is kept; monitoring items follow plan items.
  r.monitoring.push_back(PlanItem{0, "VITALS_CONTINUOUS", "immediate", "recommended", "P-MON-V", "Monitor A.", {}, {}});
  r.monitoring.push_back(PlanItem{0, "LFT_DAILY", "routine", "recommended", "P-MON-LFT", "Monitor B.", {}, {}});
  r.plan.push_back(PlanItem{1, "STOP_DOPAMINE_ANTAGONISTS", "immediate", "recommended", "P-STOP", "Stop.", {}, {}});
  r.plan.push_back(PlanItem{1, "ICU_TRANSFER", "urgent", "recommended", "P-ICU", "ICU later.", {}, {}});
  r.plan.push_back(PlanItem{3, "LORAZEPAM", "immediate", "consider", "P-LZP", "Lorazepam now.", {}, {}});
  r.plan.push_back(PlanItem{4, "GCSF", "routine", "not_indicated", "G-1", "No G-CSF.", {}, {}});
  std::string text = Text(r);
  EXPECT_NE(text.find("\nDO NOW\n  1. Stop.\n  2. Lorazepam now.\n  3. Monitor A.\n\nSITUATION\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nSTEP 1 - NOW\n  [recommended]   ICU later.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nSTEP 4 - FEBRILE NEUTROPENIA\n  [not indicated] No G-CSF.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nMONITORING\n  [recommended]   Monitor B.\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("STEP 2"), std::string::npos);
  EXPECT_EQ(text.find("STEP 3"), std::string::npos);  // its only item is immediate

  // Ten or more items: numbers right-aligned, continuation at the common text column.
  Report many = MinimalReport();
  for (int i = 0; i < 10; ++i) {
    many.plan.push_back(PlanItem{1, "ICU_TRANSFER", "immediate", "recommended", "P-ICU",
                                 "Item " + std::to_string(i + 1) + " with a text long enough to need a second line "
                                 "when it is wrapped at sixty.",
                                 {},
                                 {}});
  }
  std::string t = Text(many, 60);
  EXPECT_NE(t.find("\n   1. Item 1 with a text long enough to need a second line\n      when"), std::string::npos) << t;
  EXPECT_NE(t.find("\n  10. Item 10 with a text long enough to need a second line\n      when"), std::string::npos)
      << t;
}

TEST(ReportText, NothingImmediate) {
  Report r = MinimalReport();
  r.plan.push_back(PlanItem{2, "BASELINE_LABS", "urgent", "recommended", "P-LABS", "Labs.", {}, {}});
  std::string text = Text(r);
  EXPECT_NE(text.find("\n\nDO NOW: nothing immediate\n\nSITUATION\n"), std::string::npos) << text;
  // Critical warnings still follow.
  r.warnings.push_back(Warning{"MALIGNANT_HYPERTHERMIA_SUSPECTED", "critical", "MH suspected.", {}, {}});
  EXPECT_NE(Text(r).find("\nDO NOW: nothing immediate\n!! MH suspected.\n\nSITUATION\n"), std::string::npos);
}

TEST(ReportText, MinimalReportLayout) {
  std::string text = Text(MinimalReport());
  EXPECT_EQ(text,
            "nmscds 1.0.0 | kb 2026.11.0 | protocol standard\n"
            "Patient p1 | assessed 2026-11-20 14:00 UTC\n"
            "\n"
            "DANTROLENE: INSUFFICIENT DATA - obtain before deciding\n"
            "  - Liver status unknown.\n"
            "\n"
            "DO NOW: nothing immediate\n"
            "\n"
            "SITUATION\n"
            "  NMS suspicion     POSSIBLE - IEC 0/100 (cutoff 74, at most 100 possible)\n"
            "  Woodbury stage    unknown - stage unknown\n"
            "  Trigger           unknown\n"
            "  Febrile neutrop.  UNKNOWN - no temperature reading, ANC unknown\n"
            "  Liver             UNKNOWN\n"
            "  CrCl              unknown\n"
            "\n"
            "Decision support only; it does not replace clinical judgement.\n");
}

TEST(ReportText, SituationVariants) {
  Report r = MinimalReport();
  r.assessed_at = *ParseDateTime("2026-11-20T00:30:00Z");
  r.nms.woodbury = Woodbury{"IV", "moderate NMS", true,
                            {WoodburyDriver{"temperature", Value::Num(Dec("39.2")), "Cel", "IV"},
                             WoodburyDriver{"heart_rate", Value::Int(110), "/min", "IV"}}};
  r.nms.trigger = Trigger{"both", "monotherapy",
                          {TriggerAgent{"haloperidol decanoate", "", "typical_antipsychotic", "long_acting_window", {}},
                           TriggerAgent{"levodopa", "", "dopaminergic", "withdrawn", {}}}};
  r.febrile_neutropenia.status = "unknown";
  r.febrile_neutropenia.presumed = true;
  r.febrile_neutropenia.fever = Fever{"present", "single_reading_ge_38_3", Dec("38.60"),
                                      *ParseDateTime("2026-11-19T23:00:00Z")};
  r.febrile_neutropenia.mascc = Mascc{14, 19, "unknown", {}};
  r.hepatic.status = "unknown";
  r.hepatic.basis = {Fact{"alt", Value::Unknown(), "", {}, "", {}, ""},
                     Fact{"ast", Value::Num(Dec("30")), "U/L", {}, "", Dec("40"), "default"},
                     Fact{"liver_disease", Value::Unknown(), "", {}, "", {}, ""}};
  r.renal.status = "unknown";
  r.renal.dialysis = true;
  r.renal.basis = {Fact{"age_years", Value::Int(70), "", {}, "", {}, ""},
                   Fact{"weight", Value::Unknown(), "", {}, "", {}, ""},
                   Fact{"creatinine", Value::Unknown(), "", {}, "", {}, ""}};
  std::string text = Text(r);
  for (const char* fragment : {
           "\n  Woodbury stage    at least IV - temperature 39.2 °C, heart rate 110/min\n",
           "\n  Trigger           monotherapy + withdrawal - haloperidol decanoate\n"
           "                    (long-acting window), levodopa (withdrawn)\n",
           "\n  Febrile neutrop.  PRESUMED - 38.6 °C at 2026-11-19 23:00, ANC unknown,\n"
           "                    MASCC 14, at most 19 (risk unknown, treated as high)\n",
           "\n  Liver             UNKNOWN - ALT unknown, liver disease history unknown\n",
           "\n  CrCl              unknown - weight and creatinine unknown, on dialysis\n",
       }) {
    EXPECT_NE(text.find(fragment), std::string::npos) << fragment << "\n----\n" << text;
  }

  r.hepatic.status = "normal";
  r.hepatic.basis = {Fact{"alt", Value::Num(Dec("20")), "U/L", {}, "", Dec("56"), "reference_range"},
                     Fact{"ast", Value::Num(Dec("30")), "U/L", {}, "", Dec("40"), "default"},
                     Fact{"liver_disease", Value::Bool(false), "", {}, "", {}, ""}};
  r.renal = Renal{"computed", Dec("66.6"), false, {}};
  r.febrile_neutropenia.mascc = Mascc{21, 26, "low", {}};
  r.febrile_neutropenia.anc.value_10e9_l = Dec("0.4");
  text = Text(r);
  EXPECT_NE(text.find("\n  Liver             NORMAL - ALT 20 U/L (ULN 56), AST 30 U/L (ULN 40), no known\n"
                      "                    liver disease\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  CrCl              66.6 mL/min (Cockcroft-Gault)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ANC 0.4 x10^9/L,\n                    MASCC 21 (low risk)\n"), std::string::npos) << text;
}

TEST(ReportText, WarningsMissingDataNotesReferences) {
  Report r = MinimalReport();
  r.warnings = {Warning{"ANTIBIOTICS_NO_DELAY", "critical", "Critical one.", {}, {}},
                Warning{"VTE_RISK", "warning", "A warning.", {}, {}},
                Warning{"INPUT_PARTIAL_DATE", "info", "An info.", {}, {}}};
  r.missing_data = {MissingItem{"alt", false, {"dantrolene.decision"}, "ALT within 7 days."},
                    MissingItem{"iv_access", true, {"dantrolene.decision"}, "IV access?"}};
  r.notes = {Note{"NOTE_X", "A note.", {}}};
  r.references = {Citation{"idsa-2010", "Freifeld AG."}};
  std::string text = Text(r);
  EXPECT_NE(text.find("\nDO NOW: nothing immediate\n!! Critical one.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nWARNINGS\n  ! A warning.\n  i An info.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nMISSING DATA\n  * IV access?\n  - ALT within 7 days.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nNOTES\n  [NOTE_X] A note.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nREFERENCES\n  [idsa-2010] Freifeld AG.\n"), std::string::npos) << text;

  std::string colored = Text(r, 80, true);
  EXPECT_NE(colored.find("\n\x1b[31m!! Critical one.\x1b[0m\n"), std::string::npos);
  EXPECT_NE(colored.find("\n\x1b[33m  ! A warning.\x1b[0m\n"), std::string::npos);
  EXPECT_NE(colored.find("\n  i An info.\n"), std::string::npos);
  // Colour codes only on the decision line and the warnings.
  std::string stripped = colored;
  for (const char* code : {"\x1b[1;33m", "\x1b[31m", "\x1b[33m", "\x1b[0m"}) {
    for (auto p = stripped.find(code); p != std::string::npos; p = stripped.find(code)) {
      stripped.erase(p, std::string(code).size());
    }
  }
  EXPECT_EQ(stripped, text);
}

TEST(ReportText, ColourOnEveryLineOfAWrappedWarning) {
  Report r = ExampleReport();
  std::string colored = Text(r, 80, true);
  EXPECT_NE(colored.find("\x1b[31m!! Bacterial infection is immediately life-threatening in neutropenia: first"
                         "\x1b[0m\n\x1b[31m   antibiotic dose within 60 min; do not wait for the NMS work-up.\x1b[0m\n"),
            std::string::npos)
      << colored;
  EXPECT_EQ(Text(r).find('\x1b'), std::string::npos);
}

TEST(ReportText, WrapsAtWidth80And60) {
  for (int width : {80, 60, 61, 72, 100, 120}) {
    std::string text = Text(ExampleReport(), width);
    CheckWrapping(text, width);
  }
  // At 60 the example still keeps numbers with their units.
  std::string text = Text(ExampleReport(), 60);
  EXPECT_NE(text.find("78 mL/h"), std::string::npos);
  EXPECT_NE(text.find("39.44 °C"), std::string::npos);
  EXPECT_NE(text.find("0.08 x10^9/L"), std::string::npos);
  EXPECT_NE(text.find("2026-11-19 21:00"), std::string::npos);
  // Hyphenated words are never broken.
  EXPECT_NE(text.find("piperacillin-tazobactam"), std::string::npos);
  EXPECT_NE(text.find("non-dopaminergic"), std::string::npos);
}

TEST(ReportText, WrapHelper) {
  // Continuation lines at the given indent; no line longer than the width.
  auto lines = Wrap("  1. ", "aaa bbb ccc ddd eee fff", 5, 16);
  EXPECT_EQ(lines, (std::vector<std::string>{"  1. aaa bbb ccc", "     ddd eee fff"}));
  // A number stays with the word that follows it.
  lines = Wrap("", "give 78 mL/h now", 2, 10);
  EXPECT_EQ(lines, (std::vector<std::string>{"give", "  78 mL/h", "  now"}));
  lines = Wrap("", "at 39.44 °C here", 0, 11);
  EXPECT_EQ(lines, (std::vector<std::string>{"at 39.44 °C", "here"}));  // 11 columns, 12 bytes
  // A word longer than the width is not broken.
  lines = Wrap("  - ", "short averyveryverylongword end", 4, 12);
  EXPECT_EQ(lines, (std::vector<std::string>{"  - short", "    averyveryverylongword", "    end"}));
  // Hyphens are not break points.
  lines = Wrap("", "piperacillin-tazobactam x", 0, 15);
  EXPECT_EQ(lines, (std::vector<std::string>{"piperacillin-tazobactam", "x"}));
  // A glued run that cannot fit on a line of its own is broken at its spaces.
  lines = Wrap("", "1 2 3 4 5 6 7 8", 0, 6);
  EXPECT_EQ(lines, (std::vector<std::string>{"1 2 3", "4 5 6", "7 8"}));
  // Runs of spaces collapse; empty text gives the prefix alone without trailing spaces.
  EXPECT_EQ(Wrap("  [x]   ", "", 8, 80), (std::vector<std::string>{"  [x]"}));
  EXPECT_EQ(Wrap("", "a   b", 0, 80), (std::vector<std::string>{"a b"}));
}

TEST(ReportText, NoControlCharacterReachesTheTerminal) {
  Report r = MinimalReport();
  r.warnings.push_back(Warning{"INPUT_MEDICATION_NOT_RECOGNISED", "info", "Not recognised: a\x1b[2Jb\tc\x7f.", {}, {}});
  std::string text = Text(r);
  EXPECT_NE(text.find("\n  i Not recognised: a [2Jb c .\n"), std::string::npos) << text;
  for (char c : text) EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << static_cast<int>(c);
}

TEST(ReportText, OnlyNonAsciiIsTheDegreeSign) {
  std::string text = Text(ExampleReport());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      ASSERT_LT(i + 1, text.size());
      EXPECT_EQ(c, 0xC2);
      EXPECT_EQ(static_cast<unsigned char>(text[i + 1]), 0xB0);
      ++i;
    }
  }
}

TEST(ReportText, TimesOnOtherDatesShowTheDate) {
  Report r = ExampleReport();
  r.febrile_neutropenia.fever.at = *ParseDateTime("2026-11-19T23:59:00Z");
  EXPECT_NE(Text(r).find("39.44 °C at 2026-11-19 23:59,"), std::string::npos);
}

TEST(ReportText, Deterministic) {
  EXPECT_EQ(Text(ExampleReport()), Text(ExampleReport()));
  EXPECT_EQ(Text(FullReport(), 60, true), Text(FullReport(), 60, true));
}

}  // namespace
}  // namespace nmscds::testing
