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

void Walk(simdjson::dom::element e, const std::string& pointer, std::size_t depth, std::vector<Issue>& issues,
          bool& too_deep) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::ARRAY || e.type() == element_type::OBJECT) {
    if (depth + 1 > kMaxJsonDepth) {
      if (!too_deep) issues.push_back({"too_deep", pointer, "json_pointer", "JSON nesting is deeper than 100 levels"});
      too_deep = true;
      return;
    }
  }
  if (e.type() == element_type::ARRAY) {
    std::size_t i = 0;
    for (simdjson::dom::element child : simdjson::dom::array(e)) {
      Walk(child, PointerAppend(pointer, i++), depth + 1, issues, too_deep);
    }
  } else if (e.type() == element_type::OBJECT) {
    simdjson::dom::object obj(e);
    std::vector<std::string_view> keys;
    for (auto field : obj) {
      if (std::find(keys.begin(), keys.end(), field.key) != keys.end()) {
        issues.push_back({"duplicate_member", PointerAppend(pointer, field.key), "json_pointer",
                          fmt::format("member '{}' appears more than once in the same object", field.key)});
      } else {
        keys.push_back(field.key);
      }
      Walk(field.value, PointerAppend(pointer, field.key), depth + 1, issues, too_deep);
    }
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
  Walk(root, "", 0, issues, too_deep);
  if (!issues.empty()) return Error::Invalid(std::move(issues));
  return root;
}

void FindDuplicateMembers(simdjson::dom::element root, std::string_view pointer, std::vector<Issue>& issues) {
  bool too_deep = false;
  Walk(root, std::string(pointer), 0, issues, too_deep);
}

std::string PointerAppend(std::string_view base, std::string_view token) {
  std::string out(base);
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
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
