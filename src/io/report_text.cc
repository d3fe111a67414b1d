// The text report for a clinician at a terminal (interfaces.md §6).
//
// The renderer only arranges what the report already says: every sentence comes from the report's texts
// (knowledge-base templates filled by the engine); the renderer adds headings, labels, the SITUATION summary
// built from the structured members, and numbers formatted as shortest decimals. Arrays are shown in the
// order the report gives them (interfaces.md §5.16), so the output is deterministic.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "common/time_util.h"
#include "io/report_text_internal.h"
#include "nmscds/nmscds.h"
#include "nmscds/report.h"

namespace nmscds {
namespace report_text_internal {

std::size_t DisplayWidth(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

bool EndsWithDigit(std::string_view word) { return !word.empty() && word.back() >= '0' && word.back() <= '9'; }

// Spaces and every control character except the non-breaking marker separate words, so that no control
// character (an escape sequence in a medication name, say) ever reaches the terminal.
bool IsSpace(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return c != static_cast<unsigned char>(kNoBreakSpace) && (c <= 0x20 || c == 0x7f);
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

void RightTrim(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

}  // namespace

std::vector<std::string> Wrap(std::string_view prefix, std::string_view text, std::size_t indent, int width) {
  const std::size_t max_w = width > 0 ? static_cast<std::size_t>(width) : 80;
  std::vector<std::string> lines;
  std::string line;
  for (char c : prefix) line.push_back(c == kNoBreakSpace ? ' ' : c);
  std::size_t line_w = DisplayWidth(prefix);
  bool line_has_words = false;

  auto new_line = [&] {
    RightTrim(line);
    lines.push_back(std::move(line));
    line.assign(indent, ' ');
    line_w = indent;
    line_has_words = false;
  };
  // Places a run of words that stays on one line: on the current line when it fits, else on a new one.
  auto place = [&](const std::vector<std::string_view>& group, std::size_t group_w) {
    if (line_has_words && line_w + 1 + group_w > max_w) new_line();
    if (line_has_words) {
      line.push_back(' ');
      ++line_w;
    }
    for (std::size_t k = 0; k < group.size(); ++k) {
      if (k > 0) line.push_back(' ');
      for (char c : group[k]) line.push_back(c == kNoBreakSpace ? ' ' : c);
    }
    line_w += group_w;
    line_has_words = true;
  };

  std::vector<std::string_view> words = SplitWords(text);
  std::size_t i = 0;
  while (i < words.size()) {
    // A glued group: words joined by spaces that follow a word ending in a digit.
    std::size_t j = i;
    std::size_t group_w = DisplayWidth(words[i]);
    while (j + 1 < words.size() && EndsWithDigit(words[j])) {
      ++j;
      group_w += 1 + DisplayWidth(words[j]);
    }
    std::vector<std::string_view> group(words.begin() + static_cast<std::ptrdiff_t>(i),
                                        words.begin() + static_cast<std::ptrdiff_t>(j) + 1);
    if (group.size() > 1 && indent + group_w > max_w) {
      // The group does not fit even on a continuation line of its own: wrap it word by word.
      for (std::string_view w : group) place({w}, DisplayWidth(w));
    } else {
      place(group, group_w);
    }
    i = j + 1;
  }
  RightTrim(line);
  lines.push_back(std::move(line));
  return lines;
}

std::string UnitSuffix(std::string_view ucum) {
  if (ucum.empty()) return "";
  if (ucum == "Cel") return " \xC2\xB0" "C";
  if (ucum == "[degF]") return " \xC2\xB0" "F";
  if (ucum == "10*9/L") return " x10^9/L";
  if (ucum == "mm[Hg]") return " mmHg";
  if (ucum == "/min" || ucum == "%") return std::string(ucum);
  return " " + std::string(ucum);
}

std::string FormatWhen(std::int64_t t, std::int64_t t0) {
  return DayNumber(t) == DayNumber(t0) ? FormatClock(t) : FormatDateTimeShort(t);
}

}  // namespace report_text_internal

namespace {

using report_text_internal::DisplayWidth;
using report_text_internal::FormatWhen;
using report_text_internal::kNoBreakSpace;
using report_text_internal::UnitSuffix;
using report_text_internal::Wrap;

constexpr std::string_view kBoldRed = "\x1b[1;31m";
constexpr std::string_view kBoldYellow = "\x1b[1;33m";
constexpr std::string_view kBoldGreen = "\x1b[1;32m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

// Column of the text in SITUATION rows ("  " + 18-column label) and in `[status]` rows ("  " + 16).
constexpr std::size_t kSituationLabelWidth = 18;
constexpr std::size_t kStatusWidth = 16;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// "not_indicated" -> "not indicated".
std::string Words(std::string_view code) {
  std::string out(code);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string PadRight(std::string s, std::size_t width) {
  std::size_t w = DisplayWidth(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string DecisionLabel(std::string_view decision) {
  if (decision == "malignant_hyperthermia_protocol") return "GIVE NOW - MALIGNANT HYPERTHERMIA PROTOCOL";
  if (decision == "not_applicable") return "NOT APPLICABLE (NMS unlikely)";
  if (decision == "contraindicated") return "CONTRAINDICATED";
  if (decision == "not_indicated") return "NOT INDICATED";
  if (decision == "insufficient_data") return "INSUFFICIENT DATA - obtain before deciding";
  if (decision == "consider") return "MAY BE CONSIDERED (off-label)";
  return Upper(Words(decision));
}

std::string_view DecisionColor(std::string_view decision) {
  if (decision == "contraindicated" || decision == "malignant_hyperthermia_protocol") return kBoldRed;
  if (decision == "insufficient_data" || decision == "not_indicated") return kBoldYellow;
  if (decision == "consider") return kBoldGreen;
  return {};
}

std::string DrugName(std::string_view drug) { return drug == "ect" ? "ECT" : std::string(drug); }

std::string ConditionName(std::string_view condition) {
  if (condition == "parkinsonism_hyperpyrexia") return "parkinsonism-hyperpyrexia";
  if (condition == "cns_infection") return "CNS infection";
  return Words(condition);
}

std::string ValueText(const Value& v) {
  switch (v.type) {
    case Value::Type::kNumber: return v.number.ToString();
    case Value::Type::kBool: return v.boolean ? "yes" : "no";
    case Value::Type::kString: return Words(v.text);
  }
  return {};
}

bool IsUnknown(const Value& v) { return v.type == Value::Type::kString && v.text == "unknown"; }

// "a b" joined by a space the wrapper never breaks ("MASCC 13", "ALT 88").
std::string Nb(std::string_view a, std::string_view b) {
  std::string out(a);
  out += kNoBreakSpace;
  out.append(b);
  return out;
}

// A fact's name as shown in the SITUATION rows.
std::string FactLabel(std::string_view name) {
  if (name == "alt") return "ALT";
  if (name == "ast") return "AST";
  if (name == "bilirubin_total" || name == "total_bilirubin") return "bilirubin";
  if (name == "age_years") return "age";
  if (name == "liver_disease") return "liver disease history";
  return Words(name);
}

class TextRenderer {
 public:
  TextRenderer(const Report& r, const TextOptions& o) : r_(r), width_(o.width > 0 ? o.width : 80), color_(o.color) {}

  std::string Render() {
    Header();
    Decision();
    DoNow();
    Situation();
    Steps();
    Monitoring();
    Warnings();
    MissingData();
    Differential();
    Notes();
    References();
    Blank();
    Item("", "Decision support only; it does not replace clinical judgement.");
    return std::move(out_);
  }

 private:
  // ---- output ----------------------------------------------------------------------------------------------
  void Line(std::string_view text, std::string_view color = {}) {
    if (color_ && !color.empty() && !text.empty()) {
      out_.append(color);
      out_.append(text);
      out_.append(kReset);
    } else {
      out_.append(text);
    }
    out_.push_back('\n');
  }
  void Blank() { out_.push_back('\n'); }

  // One item: `prefix` then `text` wrapped to the width, continuation lines at the text column.
  void Item(std::string_view prefix, std::string_view text, std::string_view color = {}) {
    ItemIndented(prefix, text, DisplayWidth(prefix), color);
  }
  void ItemIndented(std::string_view prefix, std::string_view text, std::size_t indent, std::string_view color = {}) {
    for (const std::string& l : Wrap(prefix, text, indent, width_)) Line(l, color);
  }

  std::string StatusPrefix(std::string_view status) {
    return PadRight("  [" + Words(status) + "]", 2 + kStatusWidth);
  }

  // ---- sections --------------------------------------------------------------------------------------------
  void Header() {
    Item("", "nmscds " + r_.engine_version + " | kb " + r_.kb_version + " | protocol " + r_.protocol);
    Item("", "Patient " + r_.patient_id + " | assessed " + FormatDateTimeShort(r_.assessed_at) + " UTC");
  }

  void Decision() {
    const Dantrolene& d = r_.dantrolene;
    Blank();
    Item("", "DANTROLENE: " + DecisionLabel(d.decision), DecisionColor(d.decision));
    for (const Reason& reason : d.reasons) Item("  - ", reason.text);
    if (d.decision == "consider" || d.decision == "malignant_hyperthermia_protocol") {
      if (d.regimen) Item("  Regimen: ", d.regimen->text);
      for (const Precondition& p : d.preconditions) Item("  Before the first dose: ", p.text);
    }
    if (d.decision == "contraindicated" || d.decision == "not_indicated" || d.decision == "insufficient_data") {
      const Alternative* best = nullptr;
      for (const Alternative& a : r_.alternatives) {
        if (a.status == "recommended" && (best == nullptr || a.rank < best->rank)) best = &a;
      }
      if (best != nullptr) Item("  Instead: ", DrugName(best->drug) + " (step 3).");
    }
  }

  void DoNow() {
    std::vector<const PlanItem*> now;
    for (const PlanItem& p : r_.plan) {
      if (p.priority == "immediate") now.push_back(&p);
    }
    for (const PlanItem& p : r_.monitoring) {
      if (p.priority == "immediate") now.push_back(&p);
    }
    Blank();
    if (now.empty()) {
      Line("DO NOW: nothing immediate");
    } else {
      Line("DO NOW");
      std::size_t digits = std::to_string(now.size()).size();
      for (std::size_t i = 0; i < now.size(); ++i) {
        std::string number = std::to_string(i + 1);
        Item("  " + std::string(digits - number.size(), ' ') + number + ". ", now[i]->text);
      }
    }
    for (const Warning& w : r_.warnings) {
      if (w.severity == "critical") Item("!! ", w.text, kRed);
    }
  }

  void Row(std::string_view label, std::string_view text) {
    Item(PadRight("  " + std::string(label), 2 + kSituationLabelWidth), text);
  }

  void Situation() {
    Blank();
    Line("SITUATION");
    const NmsSection& n = r_.nms;
    Row("NMS suspicion", Upper(n.suspicion.empty() ? "unknown" : n.suspicion) + " - " + Nb("IEC", std::to_string(n.iec.points)) +
                             "/100 (" + Nb("cutoff", std::to_string(n.iec.cutoff)) + ", at most " +
                             std::to_string(n.iec.max_possible) + " possible)");
    Row("Woodbury stage", WoodburyText());
    Row("Trigger", TriggerText());
    Row("Febrile neutrop.", FnText());
    Row("Liver", LiverText());
    Row("CrCl", RenalText());
  }

  std::string WoodburyText() const {
    const Woodbury& wb = r_.nms.woodbury;
    std::string head;
    if (wb.stage == "unknown" || wb.stage == "not_staged" || wb.stage.empty()) {
      head = wb.stage.empty() ? "unknown" : Words(wb.stage);
    } else {
      head = wb.is_lower_bound ? "at least " + wb.stage : wb.stage;
    }
    std::vector<std::string> drivers;
    for (const WoodburyDriver& d : wb.drivers) {
      std::string v = d.value.type == Value::Type::kBool ? (d.value.boolean ? "present" : "absent")
                                                         : ValueText(d.value);
      drivers.push_back(Nb(Words(d.dimension), v) + (d.value.type == Value::Type::kNumber ? UnitSuffix(d.unit) : ""));
    }
    if (!drivers.empty()) return head + " - " + Join(drivers, ", ");
    if (!wb.label.empty() && wb.label != head) return head + " - " + wb.label;
    return head;
  }

  std::string TriggerText() const {
    const Trigger& t = r_.nms.trigger;
    std::string head = t.pattern.empty() ? "unknown" : Words(t.pattern);
    if (t.type == "withdrawal") {
      head = "withdrawal";
    } else if (t.type == "both") {
      head += " + withdrawal";
    } else if (t.type == "unknown" && t.pattern != "unknown") {
      head += " (trigger unknown)";
    }
    std::vector<std::string> agents;
    for (const TriggerAgent& a : t.agents) {
      std::string s = a.name;
      if (!a.exposure.empty() && a.exposure != "active") {
        s += " (" + (a.exposure == "long_acting_window" ? std::string("long-acting window") : Words(a.exposure)) + ")";
      }
      agents.push_back(std::move(s));
    }
    if (agents.empty()) return head;
    return head + " - " + Join(agents, ", ");
  }

  std::string FnText() const {
    const FebrileNeutropenia& fn = r_.febrile_neutropenia;
    std::string head = fn.presumed && fn.status != "present" ? "PRESUMED" : Upper(fn.status.empty() ? "unknown" : fn.status);
    std::vector<std::string> parts;
    if (fn.fever.max_c) {
      std::string s = fn.fever.max_c->ToString() + UnitSuffix("Cel");
      if (fn.fever.at) s += " at " + FormatWhen(*fn.fever.at, r_.assessed_at);
      parts.push_back(std::move(s));
    } else if (fn.fever.basis == "no_readings") {
      parts.push_back("no temperature reading");
    }
    if (fn.anc.value_10e9_l) {
      std::string s = Nb("ANC", fn.anc.value_10e9_l->ToString()) + UnitSuffix("10*9/L");
      if (fn.profound == "yes") s += " (profound)";
      parts.push_back(std::move(s));
    } else {
      parts.push_back("ANC unknown");
    }
    const Mascc& m = fn.mascc;
    if (m.risk != "not_applicable" && !m.risk.empty()) {
      std::string s = "MASCC";
      s += kNoBreakSpace;
      if (m.score) {
        s += std::to_string(*m.score);
        if (m.risk == "unknown" && m.max_possible && *m.max_possible != *m.score) {
          s += ", at most " + std::to_string(*m.max_possible);
        }
      } else {
        s += "unknown";
      }
      if (m.risk == "high") s += " (high risk)";
      else if (m.risk == "low") s += " (low risk)";
      else s += " (risk unknown, treated as high)";
      parts.push_back(std::move(s));
    }
    if (parts.empty()) return head;
    return head + " - " + Join(parts, ", ");
  }

  static std::string LabText(const Fact& f) {
    if (IsUnknown(f.value)) return Nb(FactLabel(f.name), "unknown");
    std::string s = Nb(FactLabel(f.name), ValueText(f.value));
    if (f.value.type == Value::Type::kNumber) s += UnitSuffix(f.unit);
    if (f.uln) s += " (" + Nb("ULN", f.uln->ToString()) + ")";
    return s;
  }

  std::string LiverText() const {
    const Hepatic& h = r_.hepatic;
    std::string head = Upper(h.status.empty() ? "unknown" : h.status);
    std::vector<std::string> parts;
    auto liver_disease_text = [](const Fact& f) -> std::string {
      if (IsUnknown(f.value)) return "liver disease history unknown";
      bool present = f.value.type == Value::Type::kBool ? f.value.boolean : f.value.text != "none";
      return present ? "known liver disease" : "no known liver disease";
    };
    for (const Fact& f : h.basis) {
      bool is_disease = f.name == "liver_disease";
      if (h.status == "dysfunction") {
        // The values that made it dysfunction: a laboratory value above its ULN, or known liver disease.
        if (is_disease) {
          if (f.value.type == Value::Type::kBool && f.value.boolean) parts.push_back("known liver disease");
        } else if (f.value.type == Value::Type::kNumber && f.uln && f.value.number > *f.uln) {
          parts.push_back(LabText(f));
        }
      } else if (h.status == "unknown") {
        // What is missing.
        if (IsUnknown(f.value)) parts.push_back(is_disease ? liver_disease_text(f) : LabText(f));
      } else {
        parts.push_back(is_disease ? liver_disease_text(f) : LabText(f));
      }
    }
    if (parts.empty()) return head;
    return head + " - " + Join(parts, ", ");
  }

  std::string RenalText() const {
    const Renal& rn = r_.renal;
    std::string s;
    if (rn.status == "computed" && rn.crcl_ml_min) {
      s = rn.crcl_ml_min->ToString() + " mL/min (Cockcroft-Gault)";
    } else {
      s = "unknown";
      std::vector<std::string> missing;
      for (const Fact& f : rn.basis) {
        if (IsUnknown(f.value)) missing.push_back(FactLabel(f.name));
      }
      if (!missing.empty()) s += " - " + JoinAnd(missing) + " unknown";
    }
    if (rn.dialysis && *rn.dialysis) s += ", on dialysis";
    return s;
  }

  void Steps() {
    static constexpr std::string_view kTitles[] = {"STEP 1 - NOW", "STEP 2 - ASSESS", "STEP 3 - NMS-SPECIFIC TREATMENT",
                                                   "STEP 4 - FEBRILE NEUTROPENIA"};
    for (int step = 1; step <= 4; ++step) {
      bool titled = false;
      for (const PlanItem& p : r_.plan) {
        if (p.step != step || p.priority == "immediate") continue;
        if (!titled) {
          Blank();
          Line(kTitles[step - 1]);
          titled = true;
        }
        Item(StatusPrefix(p.status), p.text);
      }
    }
  }

  void Monitoring() {
    bool titled = false;
    for (const PlanItem& p : r_.monitoring) {
      if (p.priority == "immediate") continue;  // shown under DO NOW
      if (!titled) {
        Blank();
        Line("MONITORING");
        titled = true;
      }
      Item(StatusPrefix(p.status), p.text);
    }
  }

  void Warnings() {
    bool titled = false;
    for (const Warning& w : r_.warnings) {
      if (w.severity == "critical") continue;  // shown under DO NOW
      if (!titled) {
        Blank();
        Line("WARNINGS");
        titled = true;
      }
      if (w.severity == "warning") {
        Item("  ! ", w.text, kYellow);
      } else {
        Item("  i ", w.text);
      }
    }
  }

  void MissingData() {
    if (r_.missing_data.empty()) return;
    Blank();
    Line("MISSING DATA");
    // Blocking items first (the report already orders them so; the stable split keeps its order).
    for (bool blocking : {true, false}) {
      for (const MissingItem& m : r_.missing_data) {
        if (m.blocking == blocking) Item(blocking ? "  * " : "  - ", m.text);
      }
    }
  }

  void Differential() {
    if (r_.differential.empty()) return;
    Blank();
    Line("DIFFERENTIAL");
    std::vector<std::string> unlikely;
    for (const DifferentialItem& d : r_.differential) {
      if (d.status == "unlikely") {
        unlikely.push_back(ConditionName(d.condition));
        continue;
      }
      Item(StatusPrefix(d.status), ConditionName(d.condition) + " - " + d.text);
    }
    if (!unlikely.empty()) Item(StatusPrefix("unlikely"), Join(unlikely, ", "));
  }

  void Notes() {
    if (r_.notes.empty()) return;
    Blank();
    Line("NOTES");
    for (const Note& n : r_.notes) Item("  [" + n.id + "] ", n.text);
  }

  void References() {
    if (r_.references.empty()) return;
    Blank();
    Line("REFERENCES");
    for (const Citation& c : r_.references) Item("  [" + c.id + "] ", c.citation);
  }

  static std::string Join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out.append(sep);
      out.append(items[i]);
    }
    return out;
  }

  const Report& r_;
  int width_;
  bool color_;
  std::string out_;
};

}  // namespace

std::string ReportToText(const Report& report, const TextOptions& options) {
  TextRenderer renderer(report, options);
  return renderer.Render();
}

}  // namespace nmscds
