#include "audit/feedback_key.h"

#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "common/json_dom.h"
#include "common/sha256.h"

namespace nmscds {
namespace {

namespace od = simdjson::ondemand;

// The input was validated by JsonParser (syntax, duplicates, depth) before simdjson On-Demand walks it here
// for the raw tokens, so a failure below is a parser disagreement, reported as such.
Error WalkFailure(simdjson::error_code code) {
  return Error::Internal(std::string("canonical JSON: ") + simdjson::error_message(code));
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Raw tokens run up to the next token, spaces included.
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A member name as written between its quotes. `raw` points just after the opening quote of a name that
// the validating parse accepted, so the first quote not escaped by a backslash closes it.
std::string_view RawName(const char* raw) {
  std::size_t i = 0;
  while (raw[i] != '"') i += raw[i] == '\\' ? 2 : 1;
  return {raw, i};
}

simdjson::error_code WriteValue(od::value value, std::string& out);

simdjson::error_code WriteObject(od::object object, std::string& out) {
  // (decoded name, `"raw name":value`) - sorted by the decoded name, written with the raw one.
  std::vector<std::pair<std::string, std::string>> members;
  for (auto field_result : object) {
    od::field field;
    if (auto err = std::move(field_result).get(field)) return err;
    std::string member = "\"";
    member += RawName(field.key().raw());
    member += "\":";
    std::string_view name;
    if (auto err = field.unescaped_key().get(name)) return err;
    std::string sort_name(name);
    if (auto err = WriteValue(field.value(), member)) return err;
    members.emplace_back(std::move(sort_name), std::move(member));
  }
  // std::string compares bytes as unsigned char, which for UTF-8 is code point order.
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += ',';
    out += members[i].second;
  }
  out += '}';
  return simdjson::SUCCESS;
}

simdjson::error_code WriteArray(od::array array, std::string& out) {
  out += '[';
  bool first = true;
  for (auto element_result : array) {
    od::value element;
    if (auto err = std::move(element_result).get(element)) return err;
    if (!first) out += ',';
    first = false;
    if (auto err = WriteValue(element, out)) return err;
  }
  out += ']';
  return simdjson::SUCCESS;
}

simdjson::error_code WriteValue(od::value value, std::string& out) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto err = value.get_object().get(object)) return err;
      return WriteObject(object, out);
    }
    case od::json_type::array: {
      od::array array;
      if (auto err = value.get_array().get(array)) return err;
      return WriteArray(array, out);
    }
    default:
      out += TrimRight(value.raw_json_token());
      return simdjson::SUCCESS;
  }
}

// The text of a value as received (simdjson 3.0 has raw_json() on objects and arrays, not on values).
simdjson::simdjson_result<std::string_view> RawValueText(od::value value) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  if (type == od::json_type::object) {
    od::object object;
    if (auto err = value.get_object().get(object)) return err;
    return object.raw_json();
  }
  if (type == od::json_type::array) {
    od::array array;
    if (auto err = value.get_array().get(array)) return err;
    return array.raw_json();
  }
  return value.raw_json_token();
}

// Validates with the project's reader (precise, located issues; duplicates; depth) and starts On-Demand.
Result<od::document> StartWalk(std::string_view json, const simdjson::padded_string& padded, od::parser& parser) {
  JsonParser validator;
  auto checked = validator.Parse(json);
  if (!checked) return checked.error();
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc)) return WalkFailure(err);
  return doc;
}

std::string_view SkipBom(std::string_view json) {
  if (json.size() >= 3 && json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);
  return json;
}

}  // namespace

Result<std::string> CanonicalJson(std::string_view json) {
  json = SkipBom(json);
  const simdjson::padded_string padded(json);
  od::parser parser;
  auto doc = StartWalk(json, padded, parser);
  if (!doc) return doc.error();
  std::string out;
  od::json_type type;
  if (auto err = doc->type().get(type)) return WalkFailure(err);
  simdjson::error_code err = simdjson::SUCCESS;
  if (type == od::json_type::object) {
    od::object object;
    err = doc->get_object().get(object);
    if (!err) err = WriteObject(object, out);
  } else if (type == od::json_type::array) {
    od::array array;
    err = doc->get_array().get(array);
    if (!err) err = WriteArray(array, out);
  } else {
    std::string_view token;
    err = doc->raw_json_token().get(token);
    if (!err) out += TrimRight(token);
  }
  if (err) return WalkFailure(err);
  return out;
}

Result<std::string> FeedbackKey(std::string_view service_id, std::string_view element_json) {
  auto canonical = CanonicalJson(element_json);
  if (!canonical) return canonical.error();
  std::string text(service_id);
  text += '\n';
  text += *canonical;
  return Sha256Hex(text);
}

Result<std::vector<std::string>> FeedbackElementTexts(std::string_view body) {
  body = SkipBom(body);
  const simdjson::padded_string padded(body);
  od::parser parser;
  auto doc = StartWalk(body, padded, parser);
  if (!doc) return doc.error();
  auto not_an_array = [] {
    return Error::Invalid({Issue{"wrong_type", "/feedback", "json_pointer",
                                 "feedback must be an array of feedback elements"}});
  };
  od::object top;
  if (doc->get_object().get(top)) {
    return Error::Invalid({Issue{"wrong_type", "", "json_pointer", "the body must be a JSON object"}});
  }
  od::value feedback;
  if (top.find_field_unordered("feedback").get(feedback)) {
    return Error::Invalid({Issue{"missing_required", "/feedback", "json_pointer", "feedback is required"}});
  }
  od::array elements;
  if (feedback.get_array().get(elements)) return not_an_array();
  std::vector<std::string> texts;
  for (auto element_result : elements) {
    od::value element;
    if (auto err = std::move(element_result).get(element)) return WalkFailure(err);
    std::string_view raw;
    if (auto err = RawValueText(element).get(raw)) return WalkFailure(err);
    texts.emplace_back(TrimRight(raw));
  }
  return texts;
}

}  // namespace nmscds
