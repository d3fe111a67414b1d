// nmscds kb list | show | verify (interfaces.md §7.6) and nmscds version (§7.7).
#include <CLI/CLI.hpp>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"

namespace nmscds::cli {
namespace {

// ---- kb list -----------------------------------------------------------------------------------------------

struct Section {
  std::string_view key;    // JSON name
  std::string_view label;  // text heading
  std::vector<std::string_view> kb_files;  // the "kb_file" kinds it gathers
};

// The sections of `kb list`, in their order. The knowledge base holds no rule entries (the rules are the
// engine's); files of an unknown kind are listed under "other".
const std::array<Section, 7>& Sections() {
  static const std::array<Section, 7> sections = {{
      {"drugs", "drugs", {"drugs"}},
      {"drug_classes", "drug classes", {"drug_classes"}},
      {"code_maps", "code maps", {"observation_kinds", "concepts"}},
      {"thresholds", "thresholds and parameters", {"parameters"}},
      {"texts", "texts", {"texts"}},
      {"references", "references", {"references"}},
      {"other", "other", {}},
  }};
  return sections;
}

std::size_t SectionOfFile(const KbFile& file) {
  simdjson::dom::parser parser;
  simdjson::padded_string bytes(file.bytes);
  std::string_view kind;
  simdjson::dom::element root;
  if (!parser.parse(bytes).get(root) && !root["kb_file"].get_string().get(kind)) {
    const auto& sections = Sections();
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const auto& kinds = sections[i].kb_files;
      if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return i;
    }
  }
  return Sections().size() - 1;
}

int RunList(const KnowledgeBase& kb, const KbArgs& a, const ErrorReporter& errors) {
  const auto& sections = Sections();
  std::map<std::string, std::size_t, std::less<>> file_section;
  for (const KbFile& f : kb.files) file_section[f.path] = SectionOfFile(f);
  struct Listing {
    std::vector<std::string> files;
    std::vector<std::string_view> ids;  // sorted: entry_files is ordered by id
  };
  std::vector<Listing> listing(sections.size());
  for (const KbFile& f : kb.files) listing[file_section[f.path]].files.push_back(f.path);
  for (const auto& [id, path] : kb.entry_files) {
    auto it = file_section.find(path);
    listing[it == file_section.end() ? sections.size() - 1 : it->second].ids.push_back(id);
  }

  std::string out;
  if (a.list_format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Member("version", kb.version);
    w.Member("sha256", kb.sha256);
    w.MemberInt("count", static_cast<std::int64_t>(kb.entry_files.size()));
    w.Key("sections");
    w.BeginArray();
    for (std::size_t i = 0; i < sections.size(); ++i) {
      if (listing[i].ids.empty() && listing[i].files.empty()) continue;
      w.BeginObject();
      w.Member("section", sections[i].key);
      w.MemberInt("count", static_cast<std::int64_t>(listing[i].ids.size()));
      w.Key("files");
      w.BeginArray();
      for (const auto& f : listing[i].files) w.String(f);
      w.EndArray();
      w.Key("ids");
      w.BeginArray();
      for (auto id : listing[i].ids) w.String(id);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    out = w.Finish();
  } else {
    const int width = TextWidth();
    out = "knowledge base " + kb.version + "\nsha256 " + kb.sha256 + "\n" + std::to_string(kb.entry_files.size()) +
          " entries in " + std::to_string(kb.files.size()) + " files\n";
    for (std::size_t i = 0; i < sections.size(); ++i) {
      if (listing[i].ids.empty() && listing[i].files.empty()) continue;
      std::string files;
      for (const auto& f : listing[i].files) files += (files.empty() ? "" : ", ") + f;
      out += "\n" + Wrap("", std::string(sections[i].label) + ": " + std::to_string(listing[i].ids.size()) + " (" +
                                 files + ")",
                         2, width);
      std::string ids;
      for (std::size_t k = 0; k < listing[i].ids.size(); ++k) {
        ids += listing[i].ids[k];
        if (k + 1 < listing[i].ids.size()) ids += ", ";
      }
      if (!ids.empty()) out += Wrap("  ", ids, 2, width);
    }
  }
  return Emit(out, errors);
}

// ---- kb show -----------------------------------------------------------------------------------------------

using Json = nlohmann::ordered_json;

const Json* FindEntry(const Json& node, std::string_view id) {
  if (node.is_object()) {
    auto it = node.find("id");
    if (it != node.end() && it->is_string() && it->get_ref<const std::string&>() == id) return &node;
    for (const auto& [key, value] : node.items()) {
      if (const Json* found = FindEntry(value, id)) return found;
    }
  } else if (node.is_array()) {
    for (const auto& value : node) {
      if (const Json* found = FindEntry(value, id)) return found;
    }
  }
  return nullptr;
}

std::string Scalar(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

bool AllScalars(const Json& array) {
  return std::all_of(array.begin(), array.end(), [](const Json& v) { return !v.is_structured(); });
}

// An indented listing of a JSON value (kb show --format text).
void Listing(const Json& node, std::size_t indent, int width, std::string& out) {
  const std::string pad(indent, ' ');
  for (const auto& [key, value] : node.items()) {
    const std::string prefix = pad + key + ": ";
    if (value.is_object()) {
      out += pad + key + ":\n";
      Listing(value, indent + 2, width, out);
    } else if (value.is_array() && AllScalars(value)) {
      std::string joined;
      for (const auto& v : value) joined += (joined.empty() ? "" : ", ") + Scalar(v);
      out += Wrap(prefix, joined.empty() ? "(none)" : joined, indent + 4, width);
    } else if (value.is_array()) {
      out += pad + key + ":\n";
      for (const auto& v : value) {
        if (v.is_object()) {
          std::string item;
          Listing(v, indent + 4, width, item);
          if (item.size() >= indent + 4) item.replace(indent + 2, 2, "- ");
          out += item;
        } else {
          out += Wrap(pad + "  - ", Scalar(v), indent + 4, width);
        }
      }
    } else {
      out += Wrap(prefix, Scalar(value), indent + 4, width);
    }
  }
}

int RunShow(const KnowledgeBase& kb, const KbArgs& a, const ErrorReporter& errors) {
  auto it = kb.entry_files.find(a.id);
  if (it == kb.entry_files.end()) {
    std::vector<std::pair<std::size_t, std::string_view>> ranked;
    ranked.reserve(kb.entry_files.size());
    for (const auto& [id, path] : kb.entry_files) ranked.emplace_back(EditDistance(a.id, id), id);
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> closest;
    for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) {
      if (ranked[i].first > ranked.front().first + 2) break;
      closest.emplace_back(ranked[i].second);
    }
    std::string message = "no entry '" + a.id + "' in the knowledge base " + kb.version;
    if (!closest.empty()) message += "; did you mean " + JoinAnd(closest, "or") + "?";
    return errors.Fail(Error::Invalid({Issue{"enum_value", "ID", "argument", message}}));
  }
  const KbFile* file = nullptr;
  for (const KbFile& f : kb.files) {
    if (f.path == it->second) file = &f;
  }
  if (file == nullptr) return errors.Internal("entry '" + a.id + "' names a file the knowledge base does not hold");
  const Json doc = Json::parse(file->bytes);
  const Json* entry = nullptr;
  if (doc.contains("entries")) entry = FindEntry(doc["entries"], a.id);
  if (entry == nullptr) entry = FindEntry(doc, a.id);
  if (entry == nullptr) return errors.Internal("entry '" + a.id + "' not found in " + file->path);

  std::string out;
  if (a.show_format == "json") {
    out = entry->dump(2, ' ', false, Json::error_handler_t::replace);
    out.push_back('\n');
  } else {
    out = a.id + " (" + file->path + ")\n";
    Json rest = *entry;
    rest.erase("id");
    Listing(rest, 2, TextWidth(), out);
  }
  return Emit(out, errors);
}

// ---- kb verify ---------------------------------------------------------------------------------------------

int RunVerify(const KnowledgeBase& kb, const KbArgs& a, const ErrorReporter& errors) {
  // LoadKnowledgeBase has already verified (and would have refused a bad knowledge base); verify again so
  // that this command always reports what VerifyKnowledgeBase says about the bytes loaded.
  std::vector<Issue> issues = VerifyKnowledgeBase(kb);
  if (!issues.empty()) {
    ErrorContext ctx;
    ctx.base_dir = ResolveKbDir(a.kb);
    return errors.Fail(Error::Invalid(std::move(issues), "the knowledge base failed verification"), ctx);
  }
  std::string out;
  if (a.verify_format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Member("status", "ok");
    w.Member("version", kb.version);
    w.Member("sha256", kb.sha256);
    w.EndObject();
    out = w.Finish();
  } else {
    out = "ok " + kb.version + " " + kb.sha256 + "\n";
  }
  return Emit(out, errors);
}

void AddKbOptions(CLI::App& cmd, KbArgs& a, std::string& format, const char* default_format) {
  cmd.add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
  cmd.add_option("--format", format, std::string("Output format (default ") + default_format + ")")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
}

}  // namespace

CLI::App* AddKbCommand(CLI::App& app, KbArgs& a) {
  CLI::App* cmd = app.add_subcommand("kb", "List, show or verify the knowledge base");
  cmd->require_subcommand(1);
  a.list = cmd->add_subcommand("list", "Version, sha256 and every entry id by section, with counts");
  AddKbOptions(*a.list, a, a.list_format, "text");
  a.show = cmd->add_subcommand("show", "The entry with this id (JSON, or an indented listing with --format text)");
  a.show->add_option("ID", a.id, "Entry id, for example haloperidol")->required()->type_name("");
  AddKbOptions(*a.show, a, a.show_format, "json");
  a.verify = cmd->add_subcommand(
      "verify", "Recompute the file hashes and the knowledge-base sha256 and check every cross-reference");
  AddKbOptions(*a.verify, a, a.verify_format, "text");
  return cmd;
}

int RunKb(const KbArgs& a, const ErrorReporter& errors) {
  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;
  if (a.show->parsed()) return RunShow(*kb, a, errors);
  if (a.verify->parsed()) return RunVerify(*kb, a, errors);
  return RunList(*kb, a, errors);
}

// ---- version -----------------------------------------------------------------------------------------------

CLI::App* AddVersionCommand(CLI::App& app, VersionArgs& a) {
  CLI::App* cmd = app.add_subcommand("version", "Engine, knowledge-base, protocol and format versions");
  cmd->add_option("--format", a.format, "Output format (default text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  cmd->add_option("--kb", a.kb, "Knowledge-base directory (default: $NMSCDS_KB, else the built-in copy)")
      ->type_name("DIR");
  return cmd;
}

int RunVersion(const VersionArgs& a, const ErrorReporter& errors) {
  int exit_code = 0;
  auto kb = LoadKbOrReport(a.kb, errors, exit_code);
  if (!kb) return exit_code;
  std::string out;
  if (a.format == "json") {
    JsonWriter w(/*pretty=*/true);
    w.BeginObject();
    w.Key("engine");
    w.BeginObject();
    w.Member("name", "nmscds");
    w.Member("version", EngineVersion());
    w.EndObject();
    w.Key("knowledge_base");
    w.BeginObject();
    w.Member("version", kb->version);
    w.Member("sha256", kb->sha256);
    w.EndObject();
    w.Member("protocol", "standard");
    w.Key("formats");
    w.BeginObject();
    w.MemberInt("case", 1);
    w.MemberInt("report", 1);
    w.MemberInt("screen", 1);
    w.EndObject();
    w.EndObject();
    out = w.Finish();
  } else {
    out = "nmscds " + std::string(EngineVersion()) + "\n" + "knowledge base " + kb->version + " sha256 " +
          kb->sha256 + "\n" + "protocol standard\n" + "formats case 1, report 1, screen 1\n";
  }
  return Emit(out, errors);
}

}  // namespace nmscds::cli
