#pragma once
// Knowledge-base text templates: "{name}" placeholders filled with values the engine supplies.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nmscds {

using TextArg = std::pair<std::string_view, std::string_view>;

// A template cut at its placeholders: literal runs and "{name}" placeholders, as offsets into the template.
// The knowledge base cuts every text once when it is loaded, so that filling one is a run of appends.
struct TemplatePart {
  std::uint32_t offset = 0;  // of the literal run, or of the name between the braces
  std::uint32_t length = 0;
  bool placeholder = false;
};
std::vector<TemplatePart> SplitTemplate(std::string_view tmpl);

// Replaces every "{name}" with its value. A placeholder without a value is left as written (kb verify
// guarantees that templates only use placeholders the engine supplies).
std::string FillTemplate(std::string_view tmpl, const std::vector<TemplatePart>& parts,
                         std::initializer_list<TextArg> args);
std::string FillTemplate(std::string_view tmpl, std::initializer_list<TextArg> args);

// The placeholder names used by a template, in order of appearance.
std::vector<std::string> TemplatePlaceholders(std::string_view tmpl);

// "a", "a and b", "a, b and c".
std::string JoinAnd(const std::vector<std::string>& items, std::string_view conjunction = "and");

// Appends " sentence" to a text being composed (without the temporary that `text += " " + sentence` makes).
inline void AppendSentence(std::string& text, std::string_view sentence) {
  text.reserve(text.size() + 1 + sentence.size());
  text += ' ';
  text += sentence;
}

// Whole-word, case-insensitive (ASCII) search of `word` (which may contain spaces) in `text`.
bool ContainsWord(std::string_view text, std::string_view word);

std::string AsciiLower(std::string_view s);

}  // namespace nmscds
