#pragma once
// Knowledge-base text templates: "{name}" placeholders filled with values the engine supplies.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
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

// A fixed set of phrases, each with a value, searched in a text with exactly the semantics of ContainsWord
// but in one pass over the text instead of one scan per phrase. Why: a medication name is compared with
// every synonym of the knowledge base, once per medication resource of every patient of a screen.
// How: a whole-word match of a phrase that starts with a word character starts at a word of the text that
// equals the phrase's first word (case-insensitive), so phrases are found by that word in a hash map and
// only those candidates are compared. Phrases starting with another character are scanned as before.
class WordPhraseIndex {
 public:
  void Add(std::string_view phrase, int value);
  // Calls `found(value)` for every phrase that ContainsWord(text, phrase) finds; a value may come more
  // than once (once per matching phrase and position), in no particular order.
  void ForEachMatch(std::string_view text, const std::function<void(int)>& found) const;
  bool AnyMatch(std::string_view text) const;

 private:
  struct Entry {
    std::string phrase;
    int value = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  template <typename F>
  void Scan(std::string_view text, F&& on_match) const;  // on_match(value) -> true to stop

  std::unordered_map<std::string, std::vector<Entry>, Hash, std::equal_to<>> by_first_word_;  // lower case
  std::vector<Entry> scanned_;  // phrases that do not start with a word character
  std::size_t longest_first_word_ = 0;
};

}  // namespace nmscds
