#include "server/feedback.h"

#include <simdjson.h>

#include "common/time_util.h"

namespace nmscds {

namespace {
using simdjson::dom::element;
using simdjson::dom::object;

std::optional<std::string_view> OptionalString(object obj, std::string_view key, const std::string& path,
                                               std::vector<OutcomeIssue>& problems) {
  element e;
  if (obj[key].get(e)) return std::nullopt;
  std::string_view s;
  if (e.get_string().get(s)) {
    problems.push_back({"value", path + " must be a string", path, {}});
    return std::nullopt;
  }
  return s;
}
}  // namespace

ParsedFeedback ParseFeedback(std::string_view body) {
  ParsedFeedback out;
  auto& problems = out.problems;
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    problems.push_back({"structure", std::string("the body is not valid JSON: ") + simdjson::error_message(error), {}, "json_syntax"});
    return out;
  }
  simdjson::dom::array items;
  if (!root.is_object() || root["feedback"].get_array().get(items)) {
    problems.push_back({"required", "the body must be an object with a feedback array", "feedback", {}});
    return out;
  }
  std::size_t index = 0;
  for (element item : items) {
    const std::string at = "feedback[" + std::to_string(index++) + "]";
    object obj;
    if (item.get_object().get(obj)) {
      problems.push_back({"value", at + " must be an object", at, {}});
      continue;
    }
    FeedbackElement f;
    f.element_json = simdjson::minify(obj);
    auto require = [&](std::string_view key) -> std::string {
      const std::string path = at + "." + std::string(key);
      auto s = OptionalString(obj, key, path, problems);
      if (!s) {
        if (obj[key].error()) problems.push_back({"required", path + " is required", path, {}});
        return {};
      }
      if (s->empty()) problems.push_back({"value", path + " must not be empty", path, {}});
      return std::string(*s);
    };
    f.card_uuid = require("card");
    const std::string outcome = require("outcome");
    if (outcome == "overridden") {
      f.outcome = FeedbackOutcome::kOverridden;
    } else if (outcome != "accepted" && !outcome.empty()) {
      problems.push_back({"value", at + ".outcome must be accepted or overridden", at + ".outcome", {}});
    }
    f.outcome_timestamp = require("outcomeTimestamp");
    if (!f.outcome_timestamp.empty() && !ParseDateTime(f.outcome_timestamp)) {
      problems.push_back({"value", at + ".outcomeTimestamp must be an RFC 3339 date-time with an offset",
                          at + ".outcomeTimestamp", "time_format"});
    }
    element accepted;
    if (!obj["acceptedSuggestions"].get(accepted)) {
      simdjson::dom::array arr;
      if (accepted.get_array().get(arr)) {
        problems.push_back({"value", at + ".acceptedSuggestions must be an array", at + ".acceptedSuggestions", {}});
      } else {
        std::size_t j = 0;
        for (element s : arr) {
          const std::string path = at + ".acceptedSuggestions[" + std::to_string(j++) + "]";
          std::string_view id;
          if (!s.is_object() || s["id"].get_string().get(id) || id.empty()) {
            problems.push_back({"value", path + " must be an object with a non-empty id", path + ".id", {}});
            continue;
          }
          f.accepted_suggestions.emplace_back(id);
        }
      }
    }
    if (outcome == "accepted" && f.accepted_suggestions.empty()) {
      problems.push_back({"required", at + ".acceptedSuggestions must name the accepted suggestions",
                          at + ".acceptedSuggestions", {}});
    }
    element reason;
    if (!obj["overrideReason"].get(reason)) {
      object r;
      if (reason.get_object().get(r)) {
        problems.push_back({"value", at + ".overrideReason must be an object", at + ".overrideReason", {}});
      } else {
        element coding;
        if (!r["reason"].get(coding)) {
          object c;
          if (coding.get_object().get(c)) {
            problems.push_back({"value", at + ".overrideReason.reason must be a Coding", at + ".overrideReason.reason", {}});
          } else {
            const std::string path = at + ".overrideReason.reason";
            if (auto system = OptionalString(c, "system", path + ".system", problems)) f.override_system = std::string(*system);
            if (auto code = OptionalString(c, "code", path + ".code", problems)) f.override_code = std::string(*code);
            OptionalString(c, "display", path + ".display", problems);
          }
        }
        f.user_comment_present =
            OptionalString(r, "userComment", at + ".overrideReason.userComment", problems).has_value();
      }
    }
    out.elements.push_back(std::move(f));
  }
  if (!problems.empty()) out.elements.clear();
  return out;
}

}  // namespace nmscds
