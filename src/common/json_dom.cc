#include "common/json_dom.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace nmscds {
namespace {

// simdjson counts a scalar inside the innermost container as one more level.
constexpr std::size_t kSimdjsonDepth = kMaxJsonDepth + 1;

// Re-parses a document that simdjson rejected, to name the line and column of the problem.
Issue DescribeSyntaxError(std::string_view bytes, simdjson::error_code code) {
  try {
    nlohmann::json parsed = nlohmann::json::parse(bytes.begin(), bytes.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    return Issue{"json_syntax", "", "", pos == std::string::npos ? what : what.substr(pos + 2)};
  } catch (const nlohmann::json::out_of_range& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    return Issue{"out_of_range", "", "", pos == std::string::npos ? what : what.substr(pos + 2)};
  } catch (const std::exception&) {
  }
  if (code == simdjson::NUMBER_ERROR) {
    return Issue{"out_of_range", "", "", "a number does not fit in a 64-bit floating-point value"};
  }
  return Issue{"json_syntax", "", "", simdjson::error_message(code)};
}

// One step of the path from the root: an object member or an array index.
struct PathStep {
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
};

std::string PointerOf(std::string_view base, const std::vector<PathStep>& path) {
  std::string out(base);
  for (const PathStep& step : path) {
    if (step.is_index) {
      out.push_back('/');
      out += std::to_string(step.index);
    } else {
      AppendPointerToken(out, step.key);
    }
  }
  return out;
}

// Checks nesting depth and duplicate member names. The path is kept as steps and turned into a JSON pointer
// only when a problem is found, so a valid document costs no allocation per element.
void Walk(simdjson::dom::element e, std::string_view base, std::vector<PathStep>& path, std::vector<Issue>& issues,
          bool& too_deep) {
  using simdjson::dom::element_type;
  const element_type type = e.type();
  if (type != element_type::ARRAY && type != element_type::OBJECT) return;
  if (path.size() + 1 > kMaxJsonDepth) {
    if (!too_deep) {
      issues.push_back({"too_deep", PointerOf(base, path), "json_pointer", "JSON nesting is deeper than 100 levels"});
    }
    too_deep = true;
    return;
  }
  if (type == element_type::ARRAY) {
    std::size_t i = 0;
    for (simdjson::dom::element child : simdjson::dom::array(e)) {
      path.push_back({{}, i++, true});
      Walk(child, base, path, issues, too_deep);
      path.pop_back();
    }
    return;
  }
  simdjson::dom::object obj(e);
  std::size_t n = 0;
  for (auto field : obj) {
    // Duplicate names: compare with the members before this one (objects are small in practice).
    std::size_t k = 0;
    for (auto earlier : obj) {
      if (k++ == n) break;
      if (earlier.key == field.key) {
        path.push_back({field.key, 0, false});
        issues.push_back({"duplicate_member", PointerOf(base, path), "json_pointer",
                          fmt::format("member '{}' appears more than once in the same object", field.key)});
        path.pop_back();
        break;
      }
    }
    ++n;
    path.push_back({field.key, 0, false});
    Walk(field.value, base, path, issues, too_deep);
    path.pop_back();
  }
}

}  // namespace

JsonParser::JsonParser() {
  auto err = parser_.allocate(1 << 16, kSimdjsonDepth);
  if (err) throw std::bad_alloc();
}

Result<simdjson::dom::element> JsonParser::Parse(std::string_view bytes) {
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF &&
      static_cast<unsigned char>(bytes[1]) == 0xBB && static_cast<unsigned char>(bytes[2]) == 0xBF) {
    bytes.remove_prefix(3);
  }
  simdjson::dom::element root;
  auto err = parser_.parse(bytes.data(), bytes.size(), true).get(root);
  if (err) {
    if (err == simdjson::DEPTH_ERROR) {
      return Error::Invalid({Issue{"too_deep", "", "", "JSON nesting is deeper than 100 levels"}});
    }
    if (err == simdjson::MEMALLOC || err == simdjson::CAPACITY) {
      return Error::Internal(simdjson::error_message(err));
    }
    return Error::Invalid({DescribeSyntaxError(bytes, err)});
  }
  std::vector<Issue> issues;
  bool too_deep = false;
  std::vector<PathStep> path;
  path.reserve(16);
  Walk(root, "", path, issues, too_deep);
  if (!issues.empty()) return Error::Invalid(std::move(issues));
  return root;
}

void FindDuplicateMembers(simdjson::dom::element root, std::string_view pointer, std::vector<Issue>& issues) {
  bool too_deep = false;
  std::vector<PathStep> path;
  Walk(root, pointer, path, issues, too_deep);
}

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

std::string PointerAppend(std::string_view base, std::string_view token) {
  std::string out(base);
  AppendPointerToken(out, token);
  return out;
}

std::string PointerAppend(std::string_view base, std::size_t index) {
  std::string out(base);
  out.push_back('/');
  out += std::to_string(index);
  return out;
}

std::string_view JsonTypeName(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::STRING: return "string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "number";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "value";
}

}  // namespace nmscds
