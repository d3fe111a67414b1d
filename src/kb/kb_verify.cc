// Cross-reference verification of a loaded knowledge base (interfaces.md §7.6 `kb verify`, §11).
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/sha256.h"
#include "common/text.h"
#include "kb/kb_internal.h"
#include "kb/knowledge_base.h"

namespace nmscds {
namespace kbi {

std::string KbSha256(std::string_view version, std::vector<std::pair<std::string, std::string>> files) {
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text = fmt::format("nmscds-kb {}\n", version);
  for (const auto& [path, digest] : files) {
    text += digest;
    text += "  ";
    text += path;
    text += '\n';
  }
  return Sha256Hex(text);
}

bool ValidKbVersion(std::string_view v) {
  // YYYY.MM.N: four-digit year, month 01-12, N a non-negative integer without leading zeros.
  if (v.size() < 9 || v[4] != '.' || v[7] != '.') return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (!digit(v[static_cast<std::size_t>(i)])) return false;
  }
  int month = (v[5] - '0') * 10 + (v[6] - '0');
  if (month < 1 || month > 12) return false;
  std::string_view n = v.substr(8);
  if (n.empty() || n.size() > 9 || !std::all_of(n.begin(), n.end(), digit)) return false;
  return n.size() == 1 || n[0] != '0';
}

bool ValidKbPath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos) return false;
  if (path.find('\0') != std::string_view::npos || path.find(':') != std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace kbi

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// LOINC: digits, '-', one check digit (mod 10, as Luhn).
bool ValidLoinc(std::string_view code) {
  std::size_t dash = code.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 7 || dash + 2 != code.size()) return false;
  std::string_view number = code.substr(0, dash);
  if (!AllDigits(number) || !AllDigits(code.substr(dash + 1))) return false;
  int sum = 0;
  for (std::size_t i = 0; i < number.size(); ++i) {
    int d = number[number.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - sum % 10) % 10 == code.back() - '0';
}

// SNOMED CT identifier: 6-18 digits ending in a Verhoeff check digit.
bool ValidSctid(std::string_view code) {
  static constexpr int kD[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
      {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
      {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kP[8][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
      {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (code.size() < 6 || code.size() > 18 || !AllDigits(code) || code[0] == '0') return false;
  int c = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    int digit = code[code.size() - 1 - i] - '0';
    c = kD[c][kP[i % 8][digit]];
  }
  return c == 0;
}

// ICD-10-CM code or category prefix: "K70", "R65.21", "C7A", "B37.7".
bool ValidIcd10CmPrefix(std::string_view code) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (code.size() < 3 || !upper(code[0]) || !digit(code[1]) || !(digit(code[2]) || upper(code[2]))) return false;
  if (code.size() == 3) return true;
  if (code[3] != '.' || code.size() < 5 || code.size() > 8) return false;
  return std::all_of(code.begin() + 4, code.end(), [&](char c) { return digit(c) || upper(c); });
}

bool ValidToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool ValidDrugId(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

constexpr std::uint32_t kAllRoles = (kRoleNonD2Antiemetic << 1) - 1;

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive (ASCII) keys for drug names, without building lower-case copies.
struct CaseInsensitiveHash {
  std::size_t operator()(std::string_view s) const {
    std::size_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(LowerAscii(c))) * 1099511628211ull;
    return h;
  }
};
struct CaseInsensitiveEqual {
  bool operator()(std::string_view a, std::string_view b) const {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
    }
    return true;
  }
};

class Verifier {
 public:
  explicit Verifier(const KnowledgeBase& kb) : kb_(kb) {}

  std::vector<Issue> Run() {
    Files();
    Ids();
    CheckParams();
    Classes();
    Drugs();
    Kinds();
    Concepts();
    FhirCodes();
    References();
    Texts();
    return std::move(issues_);
  }

 private:
  // "<file>#<id>" for an entry, the bare id when the entry's file is unknown.
  std::string Loc(std::string_view id) const {
    auto it = kb_.entry_files.find(id);
    if (it == kb_.entry_files.end()) return std::string(id);
    return fmt::format("{}#{}", it->second, id);
  }
  // The file that holds entries like `sample_id` (for problems about a missing entry).
  std::string FileOf(std::string_view sample_id, std::string_view fallback) const {
    auto it = kb_.entry_files.find(sample_id);
    return it == kb_.entry_files.end() ? std::string(fallback) : it->second;
  }
  void Add(std::string code, std::string location, std::string message) {
    issues_.push_back(kbi::KbIssue(std::move(code), std::move(location), std::move(message)));
  }
  // A problem of the entry `id` (its location is only built when there is a problem).
  void AddAt(std::string code, std::string_view id, std::string message) {
    Add(std::move(code), Loc(id), std::move(message));
  }

  void Files() {
    if (!kbi::ValidKbVersion(kb_.version)) {
      Add("kb_manifest", "kb.json", fmt::format("version '{}' does not have the form YYYY.MM.N", kb_.version));
    }
    if (kb_.files.empty()) Add("kb_manifest", "kb.json", "the manifest lists no file");
    std::vector<std::pair<std::string, std::string>> actual;
    std::unordered_set<std::string_view> paths;
    for (const auto& f : kb_.files) {
      if (!kbi::ValidKbPath(f.path)) {
        Add("kb_manifest", "kb.json", fmt::format("path '{}' must be relative, use '/', and contain no '..'", f.path));
      }
      if (!paths.insert(f.path).second) Add("kb_manifest", "kb.json", fmt::format("file '{}' is listed twice", f.path));
      std::string digest = Sha256Hex(f.bytes);
      if (digest != f.declared_sha256) {
        Add("kb_hash_mismatch", f.path,
            fmt::format("the file's SHA-256 is {} but kb.json declares {} (run tools/kb_rehash.py after editing a "
                        "knowledge-base file)",
                        digest, f.declared_sha256.empty() ? "nothing" : f.declared_sha256));
      }
      actual.emplace_back(f.path, std::move(digest));
    }
    std::string expected = kbi::KbSha256(kb_.version, std::move(actual));
    if (expected != kb_.sha256) {
      Add("kb_hash_mismatch", "kb.json",
          fmt::format("the knowledge-base sha256 is {} but {} was recorded", expected, kb_.sha256));
    }
  }

  void Ids() {
    std::unordered_set<std::string_view> seen;
    seen.reserve(kb_.entry_files.size());
    auto check = [&](const std::string& id) {
      if (id.empty()) return;
      if (!seen.insert(id).second) Add("kb_duplicate_id", Loc(id), fmt::format("id '{}' is used by two entries", id));
    };
    for (const auto& c : kb_.classes) check(c.id);
    for (const auto& d : kb_.drugs) check(d.id);
    for (const auto& k : kb_.kinds) check(k.id);
    for (const auto& c : kb_.concepts) check(c.id);
    for (const auto& r : kb_.references) check(r.id);
    for (const auto& t : kb_.texts) check(t.id);
  }

  void CheckParams() {
    const nmscds::Params& p = kb_.params;
    auto range = [&](std::string_view id, const ParamRange& r) {
      if (r.high < r.low) Add("kb_bad_value", Loc(id), fmt::format("range low {} is above high {}", r.low.ToString(), r.high.ToString()));
    };
#define NMSCDS_CHECK_RANGE(field, id) range(id, p.field);
    NMSCDS_RANGE_PARAMS(NMSCDS_CHECK_RANGE)
#undef NMSCDS_CHECK_RANGE

    const std::string bands = Loc("amantadine_renal_bands");
    if (p.amantadine_bands.empty()) Add("kb_bad_value", bands, "at least one band is required");
    std::unordered_set<std::string_view> names;
    for (std::size_t i = 0; i < p.amantadine_bands.size(); ++i) {
      const auto& b = p.amantadine_bands[i];
      if (b.band.empty() || !names.insert(b.band).second) {
        Add("kb_bad_value", bands, fmt::format("band {} needs a unique non-empty name", i));
      }
      if (b.dose_mg_high < b.dose_mg_low || b.dose_mg_low <= Fixed()) {
        Add("kb_bad_value", bands, fmt::format("band '{}': dose_mg must be [low, high] with 0 < low <= high", b.band));
      }
      if (b.interval_h <= Fixed()) Add("kb_bad_value", bands, fmt::format("band '{}': interval_h must be positive", b.band));
      if (i > 0 && !(b.crcl_min < p.amantadine_bands[i - 1].crcl_min)) {
        Add("kb_bad_value", bands, fmt::format("band '{}': bands must be listed from the highest crcl_min", b.band));
      }
    }
    if (!p.amantadine_bands.empty() && p.amantadine_bands.back().crcl_min != Fixed()) {
      Add("kb_bad_value", bands, "the last band must have crcl_min 0 so that every clearance has a band");
    }
    auto words = [&](std::string_view id, const std::vector<std::string>& list) {
      if (list.empty()) Add("kb_bad_value", Loc(id), "at least one word is required");
      for (const auto& w : list) {
        if (w.empty()) Add("kb_bad_value", Loc(id), "words must not be empty");
      }
    };
    words("depot_markers", p.depot_markers);
    words("antiemetic_indication_words", p.antiemetic_indication_words);
    words("nms_indication_words", p.nms_indication_words);
  }

  void Classes() {
    std::unordered_map<std::string_view, std::string_view> tokens;
    for (const auto& c : kb_.classes) {
      const std::string_view loc = c.id;
      if (!ValidToken(c.token)) {
        AddAt("kb_bad_value", loc, fmt::format("token '{}' must use only a-z, 0-9 and '_'", c.token));
      } else if (c.id != fmt::format("{}{}", kbi::kClassPrefix, c.token)) {
        AddAt("kb_bad_value", loc, fmt::format("the id of class token '{}' must be '{}{}'", c.token, kbi::kClassPrefix, c.token));
      }
      auto [it, inserted] = tokens.emplace(c.token, c.id);
      if (!inserted) AddAt("kb_duplicate_id", loc, fmt::format("token '{}' is also used by {}", c.token, it->second));
      if (c.label.empty()) AddAt("kb_bad_value", loc, "the label must not be empty");
      if ((c.roles & ~kAllRoles) != 0) AddAt("kb_bad_value", loc, "unknown role bits");
    }
  }

  void Drugs() {
    std::unordered_map<std::string_view, std::size_t> rxcui_owner;
    rxcui_owner.reserve(kb_.drugs.size() * 2);
    // Every name (id, synonym, long-acting synonym) -> (drug, list): no name may name two drugs, and no
    // list may repeat a name.
    std::unordered_map<std::string_view, std::pair<std::size_t, int>, CaseInsensitiveHash, CaseInsensitiveEqual> names;
    names.reserve(kb_.drugs.size() * 8);
    for (std::size_t i = 0; i < kb_.drugs.size(); ++i) {
      const Drug& d = kb_.drugs[i];
      if (!ValidDrugId(d.id)) AddAt("kb_bad_value", d.id, "a drug id uses only a-z, 0-9 and '-'");
      if (d.rxcui_status != "verified" && d.rxcui_status != "partial" && d.rxcui_status != "unverified") {
        AddAt("kb_bad_value", d.id,
              fmt::format("rxcui_status '{}' must be verified, partial or unverified", d.rxcui_status));
      }
      // Classes.
      if (d.classes.empty()) AddAt("kb_unknown_reference", d.id, "the drug has no known class");
      std::uint32_t roles = 0;
      bool classes_ok = true;
      for (int c : d.classes) {
        if (c < 0 || static_cast<std::size_t>(c) >= kb_.classes.size()) {
          AddAt("kb_unknown_reference", d.id, fmt::format("class index {} does not exist", c));
          classes_ok = false;
        } else {
          roles |= kb_.classes[static_cast<std::size_t>(c)].roles;
        }
      }
      if (classes_ok && roles != d.roles) AddAt("kb_invalid", d.id, "roles differ from the union of the classes' roles");
      if (d.lai_interval_days && *d.lai_interval_days <= Fixed()) {
        AddAt("kb_bad_value", d.id, "lai_interval_days must be positive");
      }
      // Codes: never under two ingredients.
      for (const std::string& code : d.rxcuis) {
        if (!AllDigits(code) || code.size() > 10) {
          AddAt("kb_bad_code", d.id, fmt::format("RxCUI '{}' must be 1-10 digits", code));
          continue;
        }
        auto [it, inserted] = rxcui_owner.emplace(code, i);
        if (inserted) continue;
        if (it->second == i) {
          AddAt("kb_duplicate_code", d.id, fmt::format("RxCUI {} is listed twice", code));
        } else {
          AddAt("kb_duplicate_code", d.id, fmt::format("RxCUI {} is also listed under {}", code, kb_.drugs[it->second].id));
        }
      }
      // Names.
      auto check_name = [&](std::string_view n, int list, std::string_view what) {
        if (n.empty()) {
          AddAt("kb_bad_value", d.id, fmt::format("empty name in {}", what));
          return;
        }
        auto [it, inserted] = names.emplace(n, std::pair<std::size_t, int>{i, list});
        if (inserted) return;
        if (it->second.first != i) {
          AddAt("kb_duplicate_name", d.id,
                fmt::format("name '{}' ({}) also names {}", n, what, kb_.drugs[it->second.first].id));
        } else if (it->second.second == list) {
          AddAt("kb_duplicate_name", d.id, fmt::format("'{}' is repeated in {}", n, what));
        }
      };
      check_name(d.id, 0, "id");
      for (const auto& n : d.synonyms) check_name(n, 1, "synonyms");
      for (const auto& n : d.long_acting_synonyms) check_name(n, 2, "long_acting_synonyms");
    }
  }

  void Kinds() {
    std::unordered_map<std::string_view, std::string_view> loinc_owner;
    std::string kinds_file = "observation_kinds.json";
    for (const auto& k : kb_.kinds) {
      if (!k.id.empty()) {
        kinds_file = FileOf(k.id, kinds_file);
        break;
      }
    }
    for (std::size_t i = 0; i < kb_.kinds.size(); ++i) {
      const ObservationKindDef& k = kb_.kinds[i];
      const std::string_view name = ObsKindName(static_cast<ObsKind>(i));
      if (k.id.empty()) {
        Add("kb_missing_entry", kinds_file, fmt::format("observation kind '{}' is missing", name));
        continue;
      }
      const std::string_view loc = k.id;
      if (k.name != name || k.kind != static_cast<ObsKind>(i) || k.id != fmt::format("{}{}", kbi::kKindPrefix, name)) {
        AddAt("kb_bad_value", loc, fmt::format("the entry for kind '{}' must have id '{}{}'", name, kbi::kKindPrefix, name));
      }
      if (k.decimals < 0 || k.decimals > 6) AddAt("kb_bad_value", loc, "decimals must be between 0 and 6");
      if (k.integer_only && k.decimals != 0) AddAt("kb_bad_value", loc, "an integer kind must have 0 decimals");
      if (k.plausible_high < k.plausible_low) AddAt("kb_bad_value", loc, "plausible low is above high");
      if (k.units.empty()) AddAt("kb_bad_value", loc, "at least one unit is required");
      std::unordered_set<std::string_view> codes;
      for (const auto& u : k.units) {
        if (u.code.empty()) AddAt("kb_bad_value", loc, "a unit code must not be empty");
        if (!codes.insert(u.code).second) AddAt("kb_bad_value", loc, fmt::format("unit '{}' is listed twice", u.code));
        if (u.num <= 0 || u.den <= 0) AddAt("kb_bad_value", loc, fmt::format("unit '{}': num and den must be positive", u.code));
      }
      const UnitConversion* canonical = k.FindUnit(k.canonical_unit);
      if (canonical == nullptr) {
        AddAt("kb_bad_value", loc, fmt::format("the canonical unit '{}' must be one of the units", k.canonical_unit));
      } else if (canonical->offset != Fixed() || canonical->num != canonical->den) {
        AddAt("kb_bad_value", loc, fmt::format("the canonical unit '{}' must convert as identity", k.canonical_unit));
      }
      if (k.loinc.empty()) AddAt("kb_bad_value", loc, "at least one LOINC code is required");
      for (const auto& code : k.loinc) {
        if (!ValidLoinc(code)) {
          AddAt("kb_bad_code", loc, fmt::format("'{}' is not a valid LOINC code (format or check digit)", code));
          continue;
        }
        auto [it, inserted] = loinc_owner.emplace(code, k.name);
        if (!inserted) {
          AddAt("kb_duplicate_code", loc, fmt::format("LOINC {} is also listed under kind '{}'", code, it->second));
        }
      }
    }
    std::unordered_set<std::string_view> aliases;
    const std::string alias_loc = Loc("unit_aliases");
    for (const auto& [from, to] : kb_.unit_aliases) {
      if (!aliases.insert(from).second) Add("kb_bad_value", alias_loc, fmt::format("alias '{}' is listed twice", from));
      bool accepted = std::any_of(kb_.kinds.begin(), kb_.kinds.end(),
                                  [&](const ObservationKindDef& k) { return k.FindUnit(to) != nullptr; });
      if (!accepted) {
        Add("kb_unknown_reference", alias_loc, fmt::format("alias '{}' maps to '{}', which no kind accepts", from, to));
      }
    }
  }

  // fhir_codes.json: every list present; SNOMED CT ids well formed. (Meanings are checked when loading.)
  void FhirCodes() {
    for (std::size_t k = 0; k < kFhirCodeListCount; ++k) {
      const FhirCodeListDef& def = kb_.fhir_codes[k];
      const std::string name = fmt::format("fhir.{}", FhirCodeListName(static_cast<FhirCodeList>(k)));
      if (def.id.empty()) {
        Add("kb_missing_entry", FileOf("fhir.finding_codes", "fhir_codes.json"),
            fmt::format("FHIR code list '{}' is missing", name));
        continue;
      }
      if (def.codes.empty()) AddAt("kb_bad_value", def.id, "a FHIR code list needs at least one code");
      for (const FhirCode& c : def.codes) {
        if (c.system == "http://snomed.info/sct" && !ValidSctid(c.code)) {
          AddAt("kb_bad_code", def.id, fmt::format("'{}' is not a valid SNOMED CT id (format or check digit)", c.code));
        }
        if (c.system == "http://hl7.org/fhir/sid/icd-10-cm" && !ValidIcd10CmPrefix(c.code)) {
          AddAt("kb_bad_code", def.id, fmt::format("'{}' is not an ICD-10-CM code or category", c.code));
        }
      }
    }
  }

  void Concepts() {
    std::string concepts_file = "concepts.json";
    for (const auto& c : kb_.concepts) {
      if (!c.id.empty()) {
        concepts_file = FileOf(c.id, concepts_file);
        break;
      }
    }
    if (kb_.concepts.size() != static_cast<std::size_t>(ConceptId::kCount)) {
      Add("kb_invalid", concepts_file, "the concept table does not have one entry per concept");
    }
    for (std::size_t i = 0; i < kb_.concepts.size() && i < std::size(kbi::kConceptNames); ++i) {
      const ConceptDef& c = kb_.concepts[i];
      const std::string_view name = kbi::kConceptNames[i];
      if (c.id.empty()) {
        Add("kb_missing_entry", concepts_file, fmt::format("concept '{}{}' is missing", kbi::kConceptPrefix, name));
        continue;
      }
      const std::string_view loc = c.id;
      if (c.concept_id != static_cast<ConceptId>(i) || c.id != fmt::format("{}{}", kbi::kConceptPrefix, name)) {
        AddAt("kb_bad_value", loc, fmt::format("the entry for concept '{}' must have id '{}{}'", name, kbi::kConceptPrefix, name));
      }
      if (c.snomed.empty() && c.icd10cm_prefixes.empty() && c.text.empty()) {
        AddAt("kb_bad_value", loc, "a concept needs at least one SNOMED CT code, ICD-10-CM prefix or text");
      }
      std::unordered_set<std::string_view> seen;
      for (const auto& code : c.snomed) {
        if (!ValidSctid(code)) AddAt("kb_bad_code", loc, fmt::format("'{}' is not a valid SNOMED CT id (format or check digit)", code));
        if (!seen.insert(code).second) AddAt("kb_duplicate_code", loc, fmt::format("SNOMED CT {} is listed twice", code));
      }
      for (const auto& code : c.icd10cm_prefixes) {
        if (!ValidIcd10CmPrefix(code)) AddAt("kb_bad_code", loc, fmt::format("'{}' is not an ICD-10-CM code or category", code));
        if (!seen.insert(code).second) AddAt("kb_duplicate_code", loc, fmt::format("ICD-10-CM {} is listed twice", code));
      }
      std::unordered_set<std::string> words;
      for (const auto& w : c.text) {
        if (w.empty()) AddAt("kb_bad_value", loc, "text words must not be empty");
        if (!words.insert(AsciiLower(w)).second) AddAt("kb_bad_value", loc, fmt::format("text '{}' is listed twice", w));
      }
    }
  }

  void References() {
    for (const auto& r : kb_.references) {
      if (r.citation.empty()) Add("kb_bad_value", Loc(r.id), "the citation must not be empty");
    }
  }

  void Texts() {
    std::string texts_file = "texts.json";
    for (const auto& t : kb_.texts) {
      if (!t.id.empty()) {
        texts_file = FileOf(t.id, texts_file);
        break;
      }
    }
    for (std::size_t i = 0; i < kTextIdCount; ++i) {
      const TextSpec& spec = kTextSpecs[i];
      const TextEntry& t = kb_.texts[i];
      if (t.id.empty()) {
        Add("kb_missing_entry", texts_file, fmt::format("text '{}' is missing", spec.id));
        continue;
      }
      const std::string_view loc = t.id;
      if (t.id != spec.id) {
        AddAt("kb_invalid", loc, fmt::format("text slot {} holds '{}' instead of '{}'", i, t.id, spec.id));
      }
      for (const auto& name : TemplatePlaceholders(t.text)) {
        if (!PlaceholderAllowed(spec.placeholders, name)) {
          AddAt("kb_unknown_placeholder", loc,
              fmt::format("placeholder '{{{}}}' is not supplied by the engine (allowed: {})", name,
                          spec.placeholders.empty() ? std::string_view("none") : spec.placeholders));
        }
      }
      std::unordered_set<std::string_view> refs;
      for (const auto& r : t.refs) {
        if (kb_.FindReference(r) == nullptr) AddAt("kb_unknown_reference", loc, fmt::format("unknown reference '{}'", r));
        if (!refs.insert(r).second) AddAt("kb_bad_value", loc, fmt::format("reference '{}' is listed twice", r));
      }
    }
  }

  static bool PlaceholderAllowed(std::string_view list, std::string_view name) {
    std::size_t start = 0;
    while (start < list.size()) {
      std::size_t end = list.find(' ', start);
      if (end == std::string_view::npos) end = list.size();
      if (list.substr(start, end - start) == name) return true;
      start = end + 1;
    }
    return false;
  }

  const KnowledgeBase& kb_;
  std::vector<Issue> issues_;
};

}  // namespace

std::vector<Issue> VerifyKnowledgeBase(const KnowledgeBase& kb) { return Verifier(kb).Run(); }

}  // namespace nmscds
