// Loading of the knowledge base (interfaces.md §11): the manifest kb.json, then every listed file, parsed
// strictly into KnowledgeBase, then VerifyKnowledgeBase. A knowledge base with any problem is refused with
// every problem listed.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "common/json_dom.h"
#include "kb/embedded_kb.h"
#include "kb/kb_internal.h"
#include "kb/knowledge_base.h"
#include "model/case.h"

namespace nmscds {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::string_view kManifestPath = "kb.json";

// ---- Parameter tables (from parameters.h) ---------------------------------------------------------------

struct ScalarParam {
  std::string_view id;
  Fixed Params::*field;
};
struct RangeParam {
  std::string_view id;
  ParamRange Params::*field;
};

constexpr ScalarParam kScalarParams[] = {
#define NMSCDS_SCALAR_ENTRY(field, id) {id, &Params::field},
    NMSCDS_SCALAR_PARAMS(NMSCDS_SCALAR_ENTRY)
#undef NMSCDS_SCALAR_ENTRY
};
constexpr RangeParam kRangeParams[] = {
#define NMSCDS_RANGE_ENTRY(field, id) {id, &Params::field},
    NMSCDS_RANGE_PARAMS(NMSCDS_RANGE_ENTRY)
#undef NMSCDS_RANGE_ENTRY
};

constexpr std::string_view kAmantadineBandsId = "amantadine_renal_bands";
constexpr std::string_view kDepotMarkersId = "depot_markers";
constexpr std::string_view kAntiemeticWordsId = "antiemetic_indication_words";
constexpr std::string_view kNmsWordsId = "nms_indication_words";
constexpr std::string_view kUnitAliasesId = "unit_aliases";

// Temperature routes of the case format (interfaces.md §2.3), for loinc_routes.
constexpr std::string_view kRoutes[] = {"oral",  "rectal",  "axillary",   "tympanic", "temporal",
                                        "core",  "bladder", "esophageal", "unknown"};

// The file kinds ("kb_file") a knowledge base consists of; each must be present at least once.
enum class FileKind {
  kParameters,
  kDrugClasses,
  kDrugs,
  kObservationKinds,
  kConcepts,
  kFhirCodes,
  kReferences,
  kTexts,
  kCount
};
constexpr std::string_view kFileKindNames[] = {"parameters", "drug_classes", "drugs",      "observation_kinds",
                                               "concepts",   "fhir_codes",   "references", "texts"};
static_assert(std::size(kFileKindNames) == static_cast<std::size_t>(FileKind::kCount));

struct ParamSlot {
  bool scalar;
  std::size_t index;  // into kScalarParams or kRangeParams
};

const std::unordered_map<std::string_view, ParamSlot>& ParamIndex() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, ParamSlot>();
    for (std::size_t i = 0; i < std::size(kScalarParams); ++i) m->emplace(kScalarParams[i].id, ParamSlot{true, i});
    for (std::size_t i = 0; i < std::size(kRangeParams); ++i) m->emplace(kRangeParams[i].id, ParamSlot{false, i});
    return m;
  }();
  return *index;
}

bool IsDocMember(std::string_view key) { return key == "source" || key == "status" || key == "note"; }

bool ValidEntryId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<Fixed> ElementToFixed(element e) {
  switch (e.type()) {
    case element_type::INT64: {
      std::int64_t v = 0;
      if (e.get(v) != simdjson::SUCCESS) return std::nullopt;
      constexpr std::int64_t kLimit = 9'000'000'000'000;  // Fixed holds +/- 9.2e12
      if (v > kLimit || v < -kLimit) return std::nullopt;
      return Fixed::FromInt(v);
    }
    case element_type::DOUBLE: {
      double v = 0;
      if (e.get(v) != simdjson::SUCCESS) return std::nullopt;
      return Fixed::FromDouble(v);
    }
    default:
      return std::nullopt;
  }
}

// ---- Strict member access -------------------------------------------------------------------------------

// Reads the members of one JSON object, remembering which were read so that Done() can report every
// member that is not part of the format (the documentation members source/status/note are allowed on
// every entry).
class Members {
 public:
  // `file` and `id` must outlive the reader; problems are located at "<file>#<id>" (or "<file>").
  Members(std::vector<Issue>& issues, object obj, std::string_view file, std::string_view id, bool allow_doc = true)
      : issues_(issues), obj_(obj), file_(file), id_(id), allow_doc_(allow_doc) {}

  std::string_view file() const { return file_; }
  std::string_view id() const { return id_; }
  std::string location() const { return id_.empty() ? std::string(file_) : fmt::format("{}#{}", file_, id_); }

  std::optional<element> Get(std::string_view key, bool required) {
    MarkUsed(key);
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS) {
      if (required) Problem("kb_missing_member", fmt::format("member '{}' is required", key));
      return std::nullopt;
    }
    return e;
  }

  bool String(std::string_view key, std::string& out, bool required, bool allow_empty = false) {
    auto e = Get(key, required);
    if (!e) return false;
    std::string_view s;
    if (e->get(s) != simdjson::SUCCESS) return WrongType(key, "a string", *e);
    if (s.empty() && !allow_empty) {
      Problem("kb_bad_value", fmt::format("member '{}' must not be empty", key));
      return false;
    }
    out.assign(s);
    return true;
  }

  bool Strings(std::string_view key, std::vector<std::string>& out, bool required) {
    auto e = Get(key, required);
    if (!e) return false;
    array a;
    if (e->get(a) != simdjson::SUCCESS) return WrongType(key, "an array of strings", *e);
    out.clear();
    out.reserve(a.size());
    bool ok = true;
    std::size_t i = 0;
    for (element item : a) {
      std::string_view s;
      if (item.get(s) != simdjson::SUCCESS) {
        Problem("kb_wrong_type", fmt::format("member '{}'[{}] must be a string, not {}", key, i, JsonTypeName(item)));
        ok = false;
      } else if (s.empty()) {
        Problem("kb_bad_value", fmt::format("member '{}'[{}] must not be empty", key, i));
        ok = false;
      } else {
        out.emplace_back(s);
      }
      ++i;
    }
    return ok;
  }

  bool Number(std::string_view key, Fixed& out, bool required) {
    auto e = Get(key, required);
    if (!e) return false;
    return ToNumber(key, *e, out);
  }

  bool Int(std::string_view key, std::int64_t& out, bool required) {
    auto e = Get(key, required);
    if (!e) return false;
    if (e->type() != element_type::INT64 || e->get(out) != simdjson::SUCCESS) return WrongType(key, "an integer", *e);
    return true;
  }

  bool Bool(std::string_view key, bool& out, bool required) {
    auto e = Get(key, required);
    if (!e) return false;
    if (e->get(out) != simdjson::SUCCESS) return WrongType(key, "a boolean", *e);
    return true;
  }

  // [low, high]
  bool Pair(std::string_view key, Fixed& low, Fixed& high, bool required) {
    auto e = Get(key, required);
    if (!e) return false;
    return ToPair(key, *e, low, high);
  }

  bool ToNumber(std::string_view key, element e, Fixed& out) {
    if (e.type() != element_type::INT64 && e.type() != element_type::DOUBLE) return WrongType(key, "a number", e);
    auto f = ElementToFixed(e);
    if (!f) {
      Problem("kb_bad_value", fmt::format("member '{}' is out of range", key));
      return false;
    }
    out = *f;
    return true;
  }

  bool ToPair(std::string_view key, element e, Fixed& low, Fixed& high) {
    array a;
    if (e.get(a) != simdjson::SUCCESS || a.size() != 2) return WrongType(key, "an array [low, high] of two numbers", e);
    element lo = a.at(0).value_unsafe();
    element hi = a.at(1).value_unsafe();
    return ToNumber(key, lo, low) && ToNumber(key, hi, high);
  }

  bool WrongType(std::string_view key, std::string_view expected, element e) {
    Problem("kb_wrong_type", fmt::format("member '{}' must be {}, not {}", key, expected, JsonTypeName(e)));
    return false;
  }

  void Problem(std::string code, std::string message) {
    issues_.push_back(kbi::KbIssue(std::move(code), location(), std::move(message)));
  }

  // The entry was rejected as a whole: its other members are not reported.
  void Skip() { skip_ = true; }

  // Reports the members that were never read (and checks the documentation members).
  void Done() {
    if (skip_) return;
    for (auto field : obj_) {
      if (std::find(used_.begin(), used_.begin() + used_count_, field.key) != used_.begin() + used_count_) continue;
      if (allow_doc_ && IsDocMember(field.key)) {
        if (field.value.type() != element_type::STRING) {
          Problem("kb_wrong_type", fmt::format("member '{}' must be a string, not {}", field.key,
                                               JsonTypeName(field.value)));
        }
        continue;
      }
      Problem("kb_unknown_member", fmt::format("unknown member '{}'", field.key));
    }
  }

 private:
  void MarkUsed(std::string_view key) {
    if (used_count_ < used_.size()) used_[used_count_++] = key;
  }

  std::vector<Issue>& issues_;
  object obj_;
  std::string_view file_;
  std::string_view id_;
  bool allow_doc_;
  bool skip_ = false;
  // The members read so far (no entry has more than a dozen members; one beyond the capacity would be
  // reported as unknown, never silently accepted).
  std::array<std::string_view, 32> used_{};
  std::size_t used_count_ = 0;
};

// ---- The loader -----------------------------------------------------------------------------------------

struct PendingDrug {
  std::size_t drug_index;
  std::string_view file;
  std::vector<std::string> classes;
};

struct ExtraText {
  std::string location;
  std::vector<std::string> refs;
};

class Loader {
 public:
  explicit Loader(KnowledgeBase& kb) : kb_(kb) {
    kb_.concepts.resize(static_cast<std::size_t>(ConceptId::kCount));
    for (std::size_t i = 0; i < kb_.concepts.size(); ++i) kb_.concepts[i].concept_id = static_cast<ConceptId>(i);
    for (std::size_t i = 0; i < kb_.kinds.size(); ++i) kb_.kinds[i].kind = static_cast<ObsKind>(i);
    for (std::size_t i = 0; i < kTextIdCount; ++i) text_index_.emplace(kTextSpecs[i].id, i);
  }

  std::vector<Issue> issues;

  void LoadFile(const KbFile& file) {
    auto parsed = parser_.Parse(file.bytes);
    if (!parsed.ok()) {
      unparsed_ = true;
      for (const Issue& i : parsed.error().issues) {
        std::string where = i.location.empty() ? std::string() : fmt::format(" at {}", i.location);
        issues.push_back(kbi::KbIssue(i.code, file.path, fmt::format("{}{}", i.message, where)));
      }
      if (parsed.error().issues.empty()) {
        issues.push_back(kbi::KbIssue("json_syntax", file.path, parsed.error().message));
      }
      return;
    }
    object root;
    if (parsed->get(root) != simdjson::SUCCESS) {
      issues.push_back(kbi::KbIssue("kb_wrong_type", file.path, "a knowledge-base file must be a JSON object"));
      return;
    }
    Members top(issues, root, file.path, {}, /*allow_doc=*/false);
    std::string kind_name, description;
    top.String("kb_file", kind_name, true);
    top.String("description", description, false, true);
    auto entries_el = top.Get("entries", true);
    top.Done();
    if (kind_name.empty()) return;
    auto kind_it = std::find(std::begin(kFileKindNames), std::end(kFileKindNames), kind_name);
    if (kind_it == std::end(kFileKindNames)) {
      issues.push_back(kbi::KbIssue("kb_bad_value", file.path,
                                    fmt::format("unknown kb_file '{}' (expected one of: {})", kind_name,
                                                fmt::join(kFileKindNames, ", "))));
      return;
    }
    auto kind = static_cast<FileKind>(kind_it - std::begin(kFileKindNames));
    if (first_file_[static_cast<std::size_t>(kind)].empty()) first_file_[static_cast<std::size_t>(kind)] = file.path;
    if (!entries_el) return;
    array entries;
    if (entries_el->get(entries) != simdjson::SUCCESS) {
      top.WrongType("entries", "an array of objects", *entries_el);
      return;
    }
    std::size_t index = 0;
    for (element e : entries) {
      LoadEntry(file.path, kind, index++, e);
    }
  }

  // True when a file could not be parsed at all: completeness checks would only repeat that problem.
  bool unparsed() const { return unparsed_; }

  // Cross-file resolution after every file has been read.
  void Finish() {
    ResolveDrugClasses();
    CheckExtraTextRefs();
    if (unparsed_) return;
    CheckParametersPresent();
    for (std::size_t k = 0; k < static_cast<std::size_t>(FileKind::kCount); ++k) {
      if (first_file_[k].empty()) {
        issues.push_back(kbi::KbIssue("kb_missing_entry", std::string(kManifestPath),
                                      fmt::format("no file with kb_file '{}' is listed", kFileKindNames[k])));
      }
    }
  }

 private:
  void LoadEntry(const std::string& path, FileKind kind, std::size_t index, element e) {
    object obj;
    if (e.get(obj) != simdjson::SUCCESS) {
      issues.push_back(kbi::KbIssue("kb_wrong_type", fmt::format("{}#/entries/{}", path, index),
                                    fmt::format("an entry must be an object, not {}", JsonTypeName(e))));
      return;
    }
    // The id first: it names the entry in every later problem.
    std::string id;
    {
      element id_el;
      std::string_view s;
      if (obj["id"].get(id_el) != simdjson::SUCCESS || id_el.get(s) != simdjson::SUCCESS) {
        issues.push_back(kbi::KbIssue("kb_missing_member", fmt::format("{}#/entries/{}", path, index),
                                      "every entry needs a string member 'id'"));
        return;
      }
      id.assign(s);
    }
    if (!ValidEntryId(id)) {
      issues.push_back(kbi::KbIssue("kb_bad_value", fmt::format("{}#{}", path, id),
                                    "an id may contain only letters, digits, '.', '_' and '-'"));
      return;
    }
    auto [it, inserted] = kb_.entry_files.emplace(id, path);
    if (!inserted) {
      issues.push_back(kbi::KbIssue("kb_duplicate_id", fmt::format("{}#{}", path, id),
                                    fmt::format("id '{}' is already used in {}", id, it->second)));
      return;
    }
    Members m(issues, obj, path, id);
    m.Get("id", true);
    switch (kind) {
      case FileKind::kParameters: LoadParameter(m, id); break;
      case FileKind::kDrugClasses: LoadClass(m, id); break;
      case FileKind::kDrugs: LoadDrug(m, id); break;
      case FileKind::kObservationKinds: LoadKind(m, id); break;
      case FileKind::kConcepts: LoadConcept(m, id); break;
      case FileKind::kFhirCodes: LoadFhirCodeList(m, id); break;
      case FileKind::kReferences: LoadReference(m, id); break;
      case FileKind::kTexts: LoadText(m, id); break;
      case FileKind::kCount: break;
    }
    m.Done();
  }

  // -- parameters.json
  void LoadParameter(Members& m, const std::string& id) {
    Params& p = kb_.params;
    std::string unit;
    const auto& index = ParamIndex();
    if (auto it = index.find(id); it != index.end()) {
      if (it->second.scalar) {
        m.Number("value", p.*(kScalarParams[it->second.index].field), true);
      } else {
        ParamRange& range = p.*(kRangeParams[it->second.index].field);
        m.Pair("value", range.low, range.high, true);
      }
      m.String("unit", unit, false);
      seen_params_.insert(id);
      return;
    }
    if (id == kAmantadineBandsId) {
      seen_params_.insert(id);
      LoadAmantadineBands(m);
      return;
    }
    if (id == kDepotMarkersId || id == kAntiemeticWordsId || id == kNmsWordsId) {
      seen_params_.insert(id);
      auto& words = id == kDepotMarkersId      ? p.depot_markers
                    : id == kAntiemeticWordsId ? p.antiemetic_indication_words
                                               : p.nms_indication_words;
      m.Strings("words", words, true);
      return;
    }
    // A parameter the engine does not read (yet): kept as data (kb show), its shape still checked.
    auto value = m.Get("value", true);
    if (value) {
      Fixed a, b;
      if (value->type() == element_type::ARRAY) {
        m.ToPair("value", *value, a, b);
      } else {
        m.ToNumber("value", *value, a);
      }
    }
    m.String("unit", unit, false);
  }

  void LoadAmantadineBands(Members& m) {
    auto bands_el = m.Get("bands", true);
    if (!bands_el) return;
    array bands;
    if (bands_el->get(bands) != simdjson::SUCCESS) {
      m.WrongType("bands", "an array of objects", *bands_el);
      return;
    }
    kb_.params.amantadine_bands.clear();
    std::size_t i = 0;
    for (element b : bands) {
      object bo;
      if (b.get(bo) != simdjson::SUCCESS) {
        m.Problem("kb_wrong_type", fmt::format("bands[{}] must be an object, not {}", i, JsonTypeName(b)));
        ++i;
        continue;
      }
      Members bm(issues, bo, m.file(), m.id(), /*allow_doc=*/false);
      AmantadineBand band;
      bm.String("band", band.band, true);
      bm.Number("crcl_min", band.crcl_min, true);
      bm.Pair("dose_mg", band.dose_mg_low, band.dose_mg_high, true);
      bm.Number("interval_h", band.interval_h, true);
      bm.Done();
      kb_.params.amantadine_bands.push_back(std::move(band));
      ++i;
    }
  }

  void CheckParametersPresent() {
    std::string where = first_file_[static_cast<std::size_t>(FileKind::kParameters)];
    if (where.empty()) where = std::string(kManifestPath);
    auto require = [&](std::string_view id) {
      if (seen_params_.count(std::string(id)) == 0) {
        issues.push_back(kbi::KbIssue("kb_missing_entry", where, fmt::format("parameter '{}' is missing", id)));
      }
    };
    for (const auto& s : kScalarParams) require(s.id);
    for (const auto& r : kRangeParams) require(r.id);
    for (auto id : {kAmantadineBandsId, kDepotMarkersId, kAntiemeticWordsId, kNmsWordsId}) require(id);
  }

  // -- drug_classes.json
  void LoadClass(Members& m, const std::string& id) {
    DrugClass c;
    c.id = id;
    m.String("token", c.token, true);
    m.String("label", c.label, true);
    std::vector<std::string> roles;
    if (m.Strings("roles", roles, true)) {
      for (const auto& r : roles) {
        std::uint32_t bit = DrugRoleFromName(r);
        if (bit == 0) {
          m.Problem("kb_bad_value", fmt::format("unknown role '{}'", r));
        } else if ((c.roles & bit) != 0) {
          m.Problem("kb_bad_value", fmt::format("role '{}' is listed twice", r));
        }
        c.roles |= bit;
      }
    }
    class_index_.emplace(id, static_cast<int>(kb_.classes.size()));
    kb_.classes.push_back(std::move(c));
  }

  // -- drugs.json
  void LoadDrug(Members& m, const std::string& id) {
    Drug d;
    d.id = id;
    m.String("name", d.name, false);
    if (d.name.empty()) d.name = id;
    m.Strings("rxcui", d.rxcuis, true);
    m.String("rxcui_status", d.rxcui_status, true);
    PendingDrug pending{kb_.drugs.size(), m.file(), {}};
    if (m.Strings("classes", pending.classes, true) && pending.classes.empty()) {
      m.Problem("kb_bad_value", "member 'classes' must list at least one class");
    }
    m.Strings("synonyms", d.synonyms, false);
    m.Strings("long_acting_synonyms", d.long_acting_synonyms, false);
    Fixed lai;
    if (m.Number("lai_interval_days", lai, false)) d.lai_interval_days = lai;
    auto note = m.Get("note", false);
    std::string_view note_text;
    if (note && note->get(note_text) == simdjson::SUCCESS) d.note.assign(note_text);
    else if (note) m.WrongType("note", "a string", *note);
    pending_drugs_.push_back(std::move(pending));
    kb_.drugs.push_back(std::move(d));
  }

  void ResolveDrugClasses() {
    for (auto& p : pending_drugs_) {
      Drug& d = kb_.drugs[p.drug_index];
      for (const auto& cls : p.classes) {
        auto it = class_index_.find(cls);
        if (it == class_index_.end()) {
          issues.push_back(kbi::KbIssue("kb_unknown_reference", fmt::format("{}#{}", p.file, d.id),
                                        fmt::format("unknown drug class '{}'", cls)));
          continue;
        }
        if (std::find(d.classes.begin(), d.classes.end(), it->second) != d.classes.end()) {
          issues.push_back(kbi::KbIssue("kb_bad_value", fmt::format("{}#{}", p.file, d.id),
                                        fmt::format("class '{}' is listed twice", cls)));
          continue;
        }
        d.classes.push_back(it->second);
        d.roles |= kb_.classes[static_cast<std::size_t>(it->second)].roles;
      }
    }
  }

  // -- observation_kinds.json
  void LoadKind(Members& m, const std::string& id) {
    if (id == kUnitAliasesId) {
      LoadUnitAliases(m);
      return;
    }
    std::string name;
    if (!m.String("kind", name, true)) {
      m.Skip();
      return;
    }
    std::size_t k = 0;
    while (k < kObsKindCount && ObsKindName(static_cast<ObsKind>(k)) != name) ++k;
    if (k == kObsKindCount) {
      m.Problem("kb_bad_value", fmt::format("unknown observation kind '{}'", name));
      m.Skip();
      return;
    }
    ObservationKindDef& def = kb_.kinds[k];
    if (!def.id.empty()) {
      m.Problem("kb_duplicate_id", fmt::format("kind '{}' is already defined by {}", name, def.id));
      m.Skip();
      return;
    }
    def.kind = static_cast<ObsKind>(k);
    def.id = id;
    def.name = name;
    m.Strings("loinc", def.loinc, true);
    m.String("canonical_unit", def.canonical_unit, true);
    std::int64_t decimals = 0;
    if (m.Int("decimals", decimals, true)) {
      if (decimals < 0 || decimals > 6) {
        m.Problem("kb_bad_value", "member 'decimals' must be between 0 and 6");
      } else {
        def.decimals = static_cast<int>(decimals);
      }
    }
    m.Pair("plausible", def.plausible_low, def.plausible_high, true);
    m.Bool("integer", def.integer_only, false);
    LoadUnits(m, def);
    LoadLoincRoutes(m, def);
    m.Strings("panel_loinc", def.panel_loinc, false);
  }

  void LoadUnits(Members& m, ObservationKindDef& def) {
    auto units_el = m.Get("units", true);
    if (!units_el) return;
    array units;
    if (units_el->get(units) != simdjson::SUCCESS) {
      m.WrongType("units", "an array of objects", *units_el);
      return;
    }
    for (element u : units) {
      object uo;
      if (u.get(uo) != simdjson::SUCCESS) {
        m.Problem("kb_wrong_type", fmt::format("each unit must be an object, not {}", JsonTypeName(u)));
        continue;
      }
      Members um(issues, uo, m.file(), m.id(), /*allow_doc=*/false);
      UnitConversion conv;
      um.String("code", conv.code, true);
      um.Number("offset", conv.offset, false);
      std::int64_t num = 1, den = 1;
      um.Int("num", num, false);
      um.Int("den", den, false);
      if (num <= 0 || den <= 0) {
        um.Problem("kb_bad_value", fmt::format("unit '{}': num and den must be positive integers", conv.code));
      }
      conv.num = num;
      conv.den = den;
      um.Done();
      def.units.push_back(std::move(conv));
    }
  }

  void LoadLoincRoutes(Members& m, ObservationKindDef& def) {
    auto routes_el = m.Get("loinc_routes", false);
    if (!routes_el) return;
    object routes;
    if (routes_el->get(routes) != simdjson::SUCCESS) {
      m.WrongType("loinc_routes", "an object", *routes_el);
      return;
    }
    for (auto field : routes) {
      std::string_view route;
      if (field.value.get(route) != simdjson::SUCCESS) {
        m.Problem("kb_wrong_type", fmt::format("loinc_routes '{}' must be a string", field.key));
        continue;
      }
      if (std::find(def.loinc.begin(), def.loinc.end(), field.key) == def.loinc.end()) {
        m.Problem("kb_unknown_reference", fmt::format("loinc_routes names '{}', which is not in 'loinc'", field.key));
      }
      if (std::find(std::begin(kRoutes), std::end(kRoutes), route) == std::end(kRoutes)) {
        m.Problem("kb_bad_value", fmt::format("loinc_routes '{}': unknown route '{}'", field.key, route));
      }
      def.loinc_routes.emplace_back(std::string(field.key), std::string(route));
    }
  }

  void LoadUnitAliases(Members& m) {
    auto aliases_el = m.Get("aliases", true);
    if (!aliases_el) return;
    object aliases;
    if (aliases_el->get(aliases) != simdjson::SUCCESS) {
      m.WrongType("aliases", "an object", *aliases_el);
      return;
    }
    for (auto field : aliases) {
      std::string_view target;
      if (field.value.get(target) != simdjson::SUCCESS || target.empty() || field.key.empty()) {
        m.Problem("kb_wrong_type", fmt::format("alias '{}' must map a non-empty unit to a non-empty UCUM code", field.key));
        continue;
      }
      kb_.unit_aliases.emplace_back(std::string(field.key), std::string(target));
    }
  }

  // -- concepts.json
  void LoadConcept(Members& m, const std::string& id) {
    std::size_t k = 0;
    if (id.rfind(kbi::kConceptPrefix, 0) == 0) {
      std::string_view name = std::string_view(id).substr(kbi::kConceptPrefix.size());
      while (k < std::size(kbi::kConceptNames) && kbi::kConceptNames[k] != name) ++k;
    } else {
      k = std::size(kbi::kConceptNames);
    }
    if (k == std::size(kbi::kConceptNames)) {
      m.Problem("kb_bad_value", fmt::format("unknown concept '{}' (ids are 'concept.<name>', names: {})", id,
                                            fmt::join(kbi::kConceptNames, ", ")));
      m.Skip();
      return;
    }
    ConceptDef& c = kb_.concepts[k];
    c.id = id;
    m.Strings("snomed", c.snomed, false);
    m.Strings("icd10cm_prefixes", c.icd10cm_prefixes, false);
    m.Strings("text", c.text, false);
  }

  // -- fhir_codes.json
  // The meanings a code of `list` may carry; empty: the list has no meanings.
  static std::vector<std::string> FhirMeanings(FhirCodeList list) {
    std::vector<std::string> out;
    switch (list) {
      case FhirCodeList::kFindingCodes:
        for (std::size_t i = 0; i < kFindingCount; ++i) out.emplace_back(FindingName(static_cast<Finding>(i)));
        for (std::string_view level : {"normal", "confused", "delirious", "stupor", "coma"}) {
          out.push_back(fmt::format("mental_status.{}", level));
        }
        break;
      case FhirCodeList::kFindingValues: out = {"true", "false"}; break;
      case FhirCodeList::kRigidityGrades: out = {"none", "mild", "moderate", "severe"}; break;
      case FhirCodeList::kTemperatureSites: out.assign(std::begin(kRoutes), std::end(kRoutes)); break;
      case FhirCodeList::kMedicationRoutes:
        out = {"oral",   "enteral_tube", "iv",          "im",         "sc",         "transdermal", "rectal",
               "inhaled", "sublingual",  "intranasal", "intrathecal", "topical", "other"};
        break;
      default: break;
    }
    return out;
  }

  void LoadFhirCodeList(Members& m, const std::string& id) {
    std::size_t k = 0;
    while (k < kFhirCodeListCount && id != fmt::format("fhir.{}", FhirCodeListName(static_cast<FhirCodeList>(k)))) ++k;
    if (k == kFhirCodeListCount) {
      m.Problem("kb_bad_value", fmt::format("unknown FHIR code list '{}' (ids are 'fhir.<list>')", id));
      m.Skip();
      return;
    }
    const auto list = static_cast<FhirCodeList>(k);
    FhirCodeListDef& def = kb_.fhir_codes[k];
    def.id = id;
    const std::vector<std::string> meanings = FhirMeanings(list);
    auto codes_el = m.Get("codes", true);
    if (!codes_el) return;
    array codes;
    if (codes_el->get(codes) != simdjson::SUCCESS) {
      m.WrongType("codes", "an array of objects", *codes_el);
      return;
    }
    for (element c : codes) {
      object co;
      if (c.get(co) != simdjson::SUCCESS) {
        m.Problem("kb_wrong_type", fmt::format("each code must be an object, not {}", JsonTypeName(c)));
        continue;
      }
      Members cm(issues, co, m.file(), m.id());
      FhirCode code;
      std::string match;
      cm.String("system", code.system, true);
      cm.String("code", code.code, true);
      cm.String("meaning", code.meaning, false);
      cm.String("match", match, false);
      cm.Done();
      if (!match.empty() && match != "prefix" && match != "exact") {
        cm.Problem("kb_bad_value", fmt::format("code '{}': match must be 'exact' or 'prefix'", code.code));
      }
      code.prefix = match == "prefix";
      if (meanings.empty() && !code.meaning.empty()) {
        cm.Problem("kb_bad_value", fmt::format("code '{}': the list '{}' has no meanings", code.code, id));
      } else if (!meanings.empty() && std::find(meanings.begin(), meanings.end(), code.meaning) == meanings.end()) {
        cm.Problem("kb_bad_value", fmt::format("code '{}': meaning '{}' is not one of {}", code.code, code.meaning,
                                               fmt::join(meanings, ", ")));
      }
      for (const FhirCode& other : def.codes) {
        if (other.system == code.system && other.code == code.code) {
          cm.Problem("kb_duplicate_code", fmt::format("code {}|{} is listed twice", code.system, code.code));
        }
      }
      def.codes.push_back(std::move(code));
    }
  }

  // -- references.json
  void LoadReference(Members& m, const std::string& id) {
    Reference r;
    r.id = id;
    m.String("citation", r.citation, true);
    kb_.references.push_back(std::move(r));
  }

  // -- texts.json
  void LoadText(Members& m, const std::string& id) {
    TextEntry t;
    t.id = id;
    m.String("text", t.text, true, /*allow_empty=*/true);  // an empty text is a deliberate "nothing to add"
    m.Strings("refs", t.refs, false);
    auto it = text_index_.find(id);
    if (it == text_index_.end()) {
      // A text the engine does not use (yet): kept as data, its references still checked.
      extra_texts_.push_back(ExtraText{m.location(), std::move(t.refs)});
      return;
    }
    kb_.texts[it->second] = std::move(t);
  }

  void CheckExtraTextRefs() {
    for (const auto& t : extra_texts_) {
      for (const auto& r : t.refs) {
        if (kb_.FindReference(r) == nullptr) {
          issues.push_back(kbi::KbIssue("kb_unknown_reference", t.location, fmt::format("unknown reference '{}'", r)));
        }
      }
    }
  }

  KnowledgeBase& kb_;
  JsonParser parser_;
  bool unparsed_ = false;
  std::array<std::string, static_cast<std::size_t>(FileKind::kCount)> first_file_;
  std::unordered_map<std::string, int> class_index_;
  std::unordered_map<std::string_view, std::size_t> text_index_;
  std::unordered_set<std::string> seen_params_;
  std::vector<PendingDrug> pending_drugs_;
  std::vector<ExtraText> extra_texts_;
};

// ---- Manifest -------------------------------------------------------------------------------------------

struct ManifestFile {
  std::string path;
  std::string sha256;
};

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Parses kb.json; on success fills version and files.
std::vector<Issue> ParseManifest(std::string_view bytes, std::string& version, std::vector<ManifestFile>& files) {
  std::vector<Issue> issues;
  const std::string where(kManifestPath);
  JsonParser parser;
  auto parsed = parser.Parse(bytes);
  if (!parsed.ok()) {
    for (const Issue& i : parsed.error().issues) {
      std::string at = i.location.empty() ? std::string() : fmt::format(" at {}", i.location);
      issues.push_back(kbi::KbIssue(i.code, where, fmt::format("{}{}", i.message, at)));
    }
    if (issues.empty()) issues.push_back(kbi::KbIssue("json_syntax", where, parsed.error().message));
    return issues;
  }
  object root;
  if (parsed->get(root) != simdjson::SUCCESS) {
    issues.push_back(kbi::KbIssue("kb_wrong_type", where, "the manifest must be a JSON object"));
    return issues;
  }
  Members m(issues, root, where, {}, /*allow_doc=*/false);
  std::int64_t format = 0;
  if (m.Int("kb_format", format, true) && format != 1) {
    m.Problem("kb_manifest", fmt::format("kb_format {} is not supported (expected 1)", format));
  }
  if (m.String("version", version, true) && !kbi::ValidKbVersion(version)) {
    m.Problem("kb_manifest", fmt::format("version '{}' does not have the form YYYY.MM.N", version));
  }
  auto files_el = m.Get("files", true);
  m.Done();
  if (!files_el) return issues;
  array list;
  if (files_el->get(list) != simdjson::SUCCESS) {
    m.WrongType("files", "an array of objects", *files_el);
    return issues;
  }
  std::size_t index = 0;
  for (element f : list) {
    object fo;
    if (f.get(fo) != simdjson::SUCCESS) {
      m.Problem("kb_wrong_type", fmt::format("files[{}] must be an object, not {}", index, JsonTypeName(f)));
      ++index;
      continue;
    }
    Members fm(issues, fo, where, {}, /*allow_doc=*/false);
    ManifestFile mf;
    bool ok = fm.String("path", mf.path, true);
    ok = fm.String("sha256", mf.sha256, true) && ok;
    fm.Done();
    if (ok && !kbi::ValidKbPath(mf.path)) {
      fm.Problem("kb_manifest", fmt::format("files[{}]: path '{}' must be relative, use '/', and contain no '..'",
                                            index, mf.path));
      ok = false;
    }
    if (ok && mf.path == kManifestPath) {
      fm.Problem("kb_manifest", "the manifest must not list itself");
      ok = false;
    }
    if (ok && !IsLowerHex64(mf.sha256)) {
      issues.push_back(kbi::KbIssue("kb_manifest", mf.path,
                                    fmt::format("sha256 '{}' in kb.json is not 64 lower-case hex digits (run "
                                                "tools/kb_rehash.py)",
                                                mf.sha256)));
      ok = false;
    }
    if (ok && std::any_of(files.begin(), files.end(), [&](const ManifestFile& x) { return x.path == mf.path; })) {
      fm.Problem("kb_manifest", fmt::format("file '{}' is listed twice", mf.path));
      ok = false;
    }
    if (ok) files.push_back(std::move(mf));
    ++index;
  }
  if (index == 0) m.Problem("kb_manifest", "member 'files' must list at least one file");
  return issues;
}

// ---- Loading from a file source --------------------------------------------------------------------------

// Returns the bytes of a knowledge-base file, or nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

Result<std::shared_ptr<const KnowledgeBase>> Load(const FileReader& read, const std::string& origin) {
  auto manifest = read(std::string(kManifestPath));
  if (!manifest) return Error::Unreadable(fmt::format("cannot read {}/{}", origin, kManifestPath));

  auto kb = std::make_shared<KnowledgeBase>();
  std::vector<ManifestFile> listed;
  std::vector<Issue> issues = ParseManifest(*manifest, kb->version, listed);
  if (!issues.empty()) {
    return Error::Invalid(std::move(issues), fmt::format("the knowledge base in {} has an invalid manifest", origin));
  }

  kb->files.reserve(listed.size());
  std::vector<std::pair<std::string, std::string>> declared;
  declared.reserve(listed.size());
  for (auto& f : listed) {
    auto bytes = read(f.path);
    if (!bytes) return Error::Unreadable(fmt::format("cannot read {}/{}", origin, f.path));
    declared.emplace_back(f.path, f.sha256);
    kb->files.push_back(KbFile{std::move(f.path), std::move(*bytes), std::move(f.sha256)});
  }
  // The declared hashes give the knowledge-base sha256; VerifyKnowledgeBase recomputes every file hash
  // and refuses the knowledge base when one differs, so the value is never reported for other bytes.
  kb->sha256 = kbi::KbSha256(kb->version, std::move(declared));

  Loader loader(*kb);
  for (const auto& f : kb->files) loader.LoadFile(f);
  loader.Finish();
  kb->Finalize();
  issues = std::move(loader.issues);
  // Verification repeats one thing the loader already said: a drug whose classes are all unknown "has no
  // known class". An unknown reference at a place the loader already named is listed once.
  const std::size_t loader_issues = issues.size();
  for (auto& i : VerifyKnowledgeBase(*kb)) {
    // With a file that is not JSON at all, only the manifest and hash checks say something new.
    if (loader.unparsed() && i.code != "kb_hash_mismatch" && i.code != "kb_manifest") continue;
    bool repeated = i.code == "kb_unknown_reference" &&
                    std::any_of(issues.begin(), issues.begin() + static_cast<std::ptrdiff_t>(loader_issues),
                                [&](const Issue& x) { return x.code == i.code && x.location == i.location; });
    if (!repeated) issues.push_back(std::move(i));
  }
  if (!issues.empty()) {
    return Error::Invalid(std::move(issues),
                          fmt::format("the knowledge base in {} failed verification and is not used", origin));
  }
  return std::shared_ptr<const KnowledgeBase>(std::move(kb));
}

Result<std::shared_ptr<const KnowledgeBase>> LoadEmbeddedUncached() {
  auto files = kb::EmbeddedFiles();
  FileReader read = [files](const std::string& path) -> std::optional<std::string> {
    for (const auto& f : files) {
      if (path == f.path) return std::string(f.data, f.size);
    }
    return std::nullopt;
  };
  auto result = Load(read, "the embedded knowledge base");
  if (!result.ok() && result.error().kind == ErrorKind::kUnreadable) {
    // The build embeds every listed file: a missing one is a build defect, not a user error.
    return Error::Internal(result.error().message);
  }
  return result;
}

}  // namespace

Result<std::shared_ptr<const KnowledgeBase>> LoadEmbeddedKnowledgeBase() {
  // The embedded bytes never change: load and verify them once per process.
  static const Result<std::shared_ptr<const KnowledgeBase>> cached = LoadEmbeddedUncached();
  return cached;
}

Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir), ec)) {
    return Error::Unreadable(fmt::format("knowledge-base directory '{}' does not exist or is not a directory", dir));
  }
  FileReader read = [&dir](const std::string& path) -> std::optional<std::string> {
    fs::path full = fs::path(dir) / fs::path(path);
    std::error_code file_ec;
    if (!fs::is_regular_file(full, file_ec)) return std::nullopt;
    std::ifstream in(full, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
  };
  return Load(read, dir);
}

}  // namespace nmscds
