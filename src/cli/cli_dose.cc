// nmscds dose dantrolene | bromocriptine | amantadine (interfaces.md §7.5).
//
// A calculator for the regimens the report uses: every number comes from the engine's regimen functions
// (engine/regimens.h) with the same knowledge base and rounding; this file only parses, checks plausible
// ranges and writes. It makes no decision about whether to give the drug.
#include <CLI/CLI.hpp>

#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "engine/regimens.h"
#include "io/report_json.h"
#include "io/report_json.h"
#include "kb/knowledge_base.h"
#include "nmscds/fixed.h"

namespace nmscds::cli {
namespace {

// Plausible ranges of the calculator's arguments (interfaces.md §7.5), inclusive.
constexpr Fixed kWeightLow = Fixed::FromMicros(300'000), kWeightHigh = Fixed::FromInt(500);
constexpr Fixed kAgeLow = Fixed::FromInt(0), kAgeHigh = Fixed::FromInt(130);
constexpr Fixed kCreatinineLow = Fixed::FromMicros(100'000), kCreatinineHigh = Fixed::FromInt(40);
constexpr Fixed kCrclLow = Fixed::FromInt(0), kCrclHigh = Fixed::FromInt(300);

constexpr int kLabelColumn = 12;  // "  initial   "

std::string N(Fixed v) { return v.ToString(); }
std::string RangeText(const Range& r) { return r.low == r.high ? N(r.low) : N(r.low) + "-" + N(r.high); }

// Parses the numeric options of one command. A value that is not a number is a usage error (exit 2); a
// number outside its plausible range is invalid input (exit 3), and every such problem is listed at once.
class Arguments {
 public:
  explicit Arguments(const CLI::App& cmd) : cmd_(cmd) {}

  bool Given(const char* option) const { return cmd_.count(option) > 0; }

  // nullopt when the option is absent, malformed (see usage()) or out of range (see invalid()).
  std::optional<Fixed> Number(const char* option, const std::string& text, Fixed low, Fixed high,
                              std::string_view what, std::string_view unit, bool whole = false) {
    if (!Given(option)) return std::nullopt;
    auto v = Fixed::Parse(text);
    if (!v) {
      if (usage_.empty()) usage_ = std::string(option) + ": '" + text + "' is not a number";
      return std::nullopt;
    }
    const std::string shown = unit.empty() ? text : text + " " + std::string(unit);
    if (*v < low || *v > high) {
      std::string range = N(low) + "-" + N(high) + (unit.empty() ? "" : " " + std::string(unit));
      invalid_.push_back(Issue{"out_of_range", option, "argument",
                               std::string(what) + " " + shown + " is outside the plausible range " + range});
      return std::nullopt;
    }
    if (whole && v->Truncate(0) != *v) {
      invalid_.push_back(Issue{"out_of_range", option, "argument",
                               std::string(what) + " " + shown + " is not a whole number"});
      return std::nullopt;
    }
    return v;
  }
  std::optional<Fixed> AtLeastZero(const char* option, const std::string& text, std::string_view what,
                                   std::string_view unit) {
    if (!Given(option)) return std::nullopt;
    auto v = Fixed::Parse(text);
    if (!v) {
      if (usage_.empty()) usage_ = std::string(option) + ": '" + text + "' is not a number";
      return std::nullopt;
    }
    if (*v < Fixed()) {
      invalid_.push_back(Issue{"out_of_range", option, "argument",
                               std::string(what) + " " + text + " " + std::string(unit) + " is negative"});
      return std::nullopt;
    }
    return v;
  }

  // Reports the first problem found (usage before invalid input); -1 when there is none.
  int Check(const ErrorReporter& errors) const {
    if (!usage_.empty()) return errors.Usage(usage_);
    if (!invalid_.empty()) return errors.Fail(Error::Invalid(invalid_));
    return -1;
  }

 private:
  const CLI::App& cmd_;
  std::string usage_;
  std::vector<Issue> invalid_;
};

// ---- Text ----------------------------------------------------------------------------------------------------

std::string Row(std::string_view label, std::string_view text, int width) {
  std::string prefix = "  " + std::string(label);
  prefix.resize(kLabelColumn, ' ');
  return Wrap(prefix, text, kLabelColumn, width);
}

std::string DantroleneText(const KnowledgeBase& kb, const DantroleneRegimen& g, int width) {
  const bool mh = g.indication == "malignant_hyperthermia";
  std::string out = mh ? "dantrolene for malignant hyperthermia" : "dantrolene for NMS (off-label)";
  out = Wrap("", out + (g.weight_kg ? ", weight " + N(*g.weight_kg) + " kg" : ", weight not given: mg/kg only"), 2,
             width);

  std::string initial = RangeText(g.initial_mg_per_kg) + " mg/kg IV";
  if (mh) initial += " as a rapid bolus";
  if (g.initial_mg && g.initial_vials_20mg) {
    const bool one_vial = g.initial_vials_20mg->high == Fixed::FromInt(1);
    initial += " = " + RangeText(*g.initial_mg) + " mg (" + RangeText(*g.initial_vials_20mg) +
               (one_vial ? " vial of " : " vials of ") + N(kb.params.dantrolene_vial_mg) + " mg)";
  }
  out += Row("initial", initial, width);

  std::string repeat = N(g.repeat_mg_per_kg) + " mg/kg";
  if (g.repeat_mg) repeat += " = " + N(*g.repeat_mg) + " mg";
  repeat += g.repeat_interval_h ? " every " + N(*g.repeat_interval_h) + " h if needed"
                                : " until the signs of malignant hyperthermia are controlled";
  out += Row("repeat", repeat, width);

  std::string maximum = N(g.max_mg_per_kg_24h) + " mg/kg per 24 h";
  if (g.max_mg_24h) maximum += " = " + N(*g.max_mg_24h) + " mg";
  if (g.given_mg_24h) maximum += "; given " + N(*g.given_mg_24h) + " mg";
  if (g.remaining_mg_24h) maximum += "; remaining " + N(*g.remaining_mg_24h) + " mg";
  if (!g.given_mg_24h && g.weight_kg) maximum += "; given in 24 h: not stated";
  out += Row("maximum", maximum, width);

  out += Row("mix", g.reconstitution, width);
  out += Row("give", g.access, width);
  out += Row("stop", g.stop_when, width);

  // Sentences the regimen text adds about the 24 h allowance.
  if (g.remaining_mg_24h) {
    std::string below = FillTemplate(kb.text(TextId::kDantroleneBelowUsual).text,
                                     {{"remaining_mg", N(*g.remaining_mg_24h)}});
    if (g.text.find(below) != std::string::npos) out += Row("note", below, width);
  }
  const std::string& unknown = kb.text(TextId::kDantroleneAllowanceUnknown).text;
  if (g.text.find(unknown) != std::string::npos) out += Row("note", unknown, width);
  if (!g.weight_kg) out += Row("note", "Pass --weight KG to compute mg and vials.", width);
  return out;
}

// `basis`: the renal-function row of amantadine ("CrCl", "66.6 mL/min ..."); empty label: none.
std::string AlternativeText(std::string_view drug, std::pair<std::string, std::string> basis,
                            const AlternativeRegimen& g, int width) {
  std::string out = std::string(drug) + " " + g.route + "\n";
  if (!basis.first.empty()) out += Row(basis.first, basis.second, width);
  if (!g.renal_band.empty()) out += Row("band", g.renal_band, width);
  if (g.dose_mg) {
    std::string dose = RangeText(*g.dose_mg) + " mg";
    if (g.interval_h) dose += " every " + RangeText(*g.interval_h) + " h";
    out += Row("dose", dose, width);
  }
  if (g.max_daily_mg) out += Row("maximum", N(*g.max_daily_mg) + " mg per day", width);
  out += Row("regimen", g.text, width);
  return out;
}

// ---- Commands -------------------------------------------------------------------------------------------------

int Dantrolene(const KnowledgeBase& kb, const DoseArgs& a, const ErrorReporter& errors) {
  Arguments args(*a.dantrolene);
  auto weight = args.Number("--weight", a.weight, kWeightLow, kWeightHigh, "weight", "kg");
  auto given = args.AtLeastZero("--given-24h", a.given_24h, "dantrolene given in 24 h", "mg");
  if (int code = args.Check(errors); code >= 0) return code;

  engine::DantroleneDoseInput in;
  in.malignant_hyperthermia = a.indication == "mh";
  if (weight) in.weight_kg = weight->RoundHalfAway(kb.kind(ObsKind::kWeight).decimals);
  in.given_24h_mg = given;
  const DantroleneRegimen g = engine::DantroleneDose(kb, in);

  if (a.format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Member("drug", "dantrolene");
    w.Key("regimen");
    WriteDantroleneRegimen(w, g);
    w.EndObject();
    return Emit(w.Finish(), errors);
  }
  return Emit(DantroleneText(kb, g, TextWidth()), errors);
}

int Bromocriptine(const KnowledgeBase& kb, const DoseArgs& a, const ErrorReporter& errors) {
  const AlternativeRegimen g = engine::BromocriptineDose(kb);
  if (a.format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Member("drug", "bromocriptine");
    w.Key("regimen");
    WriteAlternativeRegimen(w, g);
    w.EndObject();
    return Emit(w.Finish(), errors);
  }
  return Emit(AlternativeText("bromocriptine", {}, g, TextWidth()), errors);
}

int Amantadine(const KnowledgeBase& kb, const DoseArgs& a, const ErrorReporter& errors) {
  Arguments args(*a.amantadine);
  const bool by_crcl = args.Given("--crcl"), by_creatinine = args.Given("--creatinine"), dialysis = a.dialysis;
  const int modes = int{by_crcl} + int{by_creatinine} + int{dialysis};
  if (modes == 0) {
    return errors.Usage("give one of --crcl ML_MIN, --creatinine MG_DL (with --age, --sex and --weight) or --dialysis");
  }
  if (modes > 1) return errors.Usage("--crcl, --creatinine and --dialysis exclude each other");
  if (by_creatinine) {
    std::string missing;
    for (const char* option : {"--age", "--sex", "--weight"}) {
      if (!args.Given(option)) missing += (missing.empty() ? "" : ", ") + std::string(option);
    }
    if (!missing.empty()) return errors.Usage("--creatinine needs --age, --sex and --weight (missing " + missing + ")");
  } else if (args.Given("--sex") || args.Given("--weight")) {
    return errors.Usage("--sex and --weight are used only with --creatinine");
  }

  auto crcl = args.Number("--crcl", a.crcl, kCrclLow, kCrclHigh, "CrCl", "mL/min");
  auto creatinine = args.Number("--creatinine", a.creatinine, kCreatinineLow, kCreatinineHigh, "creatinine", "mg/dL");
  auto age = args.Number("--age", a.age, kAgeLow, kAgeHigh, "age", "years", /*whole=*/true);
  auto weight = args.Number("--weight", a.weight, kWeightLow, kWeightHigh, "weight", "kg");
  if (int code = args.Check(errors); code >= 0) return code;

  engine::AmantadineDoseInput in;
  in.dialysis = dialysis;
  if (age) in.age_years = static_cast<int>(age->FloorInt());
  std::pair<std::string, std::string> basis;
  std::optional<Fixed> computed;
  if (by_crcl) {
    in.crcl_ml_min = crcl->Truncate(1);  // CrCl is truncated to 0.1 mL/min (§5.1)
    basis = {"CrCl", N(*in.crcl_ml_min) + " mL/min"};
  } else if (by_creatinine) {
    const Fixed w = weight->RoundHalfAway(kb.kind(ObsKind::kWeight).decimals);
    const Fixed cr = creatinine->RoundHalfAway(kb.kind(ObsKind::kCreatinine).decimals);
    const Sex sex = a.sex == "male" ? Sex::kMale : Sex::kFemale;
    computed = engine::CockcroftGault(kb, *in.age_years, w, cr, sex);
    if (!computed) return errors.Internal("Cockcroft-Gault could not be computed");
    in.crcl_ml_min = computed;
    basis = {"CrCl", N(*computed) + " mL/min by Cockcroft-Gault (creatinine " + N(cr) + " mg/dL, age " +
                         std::to_string(*in.age_years) + ", " + a.sex + ", " + N(w) + " kg)"};
  } else {
    basis = {"renal", "on dialysis"};
  }
  const AlternativeRegimen g = engine::AmantadineDose(kb, in);

  if (a.format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Member("drug", "amantadine");
    w.Key("regimen");
    WriteAlternativeRegimen(w, g);
    if (computed) w.MemberNumber("crcl_ml_min", *computed);
    w.EndObject();
    return Emit(w.Finish(), errors);
  }
  return Emit(AlternativeText("amantadine", basis, g, TextWidth()), errors);
}

void AddCommonOptions(CLI::App& cmd, DoseArgs& a) {
  cmd.add_option("--format", a.format, "Output format (default text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  cmd.add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
}

}  // namespace

CLI::App* AddDoseCommand(CLI::App& app, DoseArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "dose", "Dose calculator for dantrolene, bromocriptine and amantadine (no decision whether to give them)");
  cmd->require_subcommand(1);

  a.dantrolene = cmd->add_subcommand("dantrolene", "Dantrolene IV for NMS (off-label) or malignant hyperthermia");
  a.dantrolene->add_option("--weight", a.weight, "Body weight, 0.3-500 kg (without it: mg/kg only)")->type_name("KG");
  a.dantrolene->add_option("--indication", a.indication, "nms (default) or mh (malignant hyperthermia)")
      ->check(CLI::IsMember({"nms", "mh"}))
      ->type_name("INDICATION");
  a.dantrolene->add_option("--given-24h", a.given_24h, "Dantrolene already given in the last 24 h, mg")
      ->type_name("MG");
  AddCommonOptions(*a.dantrolene, a);

  a.bromocriptine = cmd->add_subcommand("bromocriptine", "Bromocriptine PO/NG");
  AddCommonOptions(*a.bromocriptine, a);

  a.amantadine = cmd->add_subcommand("amantadine", "Amantadine PO/NG at the renal dose");
  a.amantadine->add_option("--crcl", a.crcl, "Creatinine clearance, 0-300 mL/min")->type_name("ML_MIN");
  a.amantadine->add_option("--creatinine", a.creatinine, "Serum creatinine, 0.1-40 mg/dL (CrCl by Cockcroft-Gault)")
      ->type_name("MG_DL");
  a.amantadine->add_option("--age", a.age, "Age, 0-130 years (needed with --creatinine)")->type_name("YEARS");
  a.amantadine->add_option("--sex", a.sex, "female or male (needed with --creatinine)")
      ->check(CLI::IsMember({"female", "male"}))
      ->type_name("SEX");
  a.amantadine->add_option("--weight", a.weight, "Body weight, 0.3-500 kg (needed with --creatinine)")
      ->type_name("KG");
  a.amantadine->add_flag("--dialysis", a.dialysis, "On dialysis (selects the dialysis band)");
  AddCommonOptions(*a.amantadine, a);
  a.amantadine->footer("Give exactly one of: --crcl ML_MIN | --creatinine MG_DL --age YEARS --sex female|male "
                       "--weight KG | --dialysis.");
  return cmd;
}

int RunDose(const DoseArgs& a, const ErrorReporter& errors) {
  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;
  if (a.dantrolene->parsed()) return Dantrolene(*kb, a, errors);
  if (a.bromocriptine->parsed()) return Bromocriptine(*kb, a, errors);
  return Amantadine(*kb, a, errors);
}

}  // namespace nmscds::cli
