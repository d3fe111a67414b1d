#include "common/text.h"

#include <algorithm>

namespace nmscds {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::vector<TemplatePart> SplitTemplate(std::string_view tmpl) {
  std::vector<TemplatePart> parts;
  auto literal = [&](std::size_t from, std::size_t to) {
    if (to > from) parts.push_back({static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to - from), false});
  };
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    std::size_t open = tmpl.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = tmpl.find('}', open + 1);
    if (close == std::string_view::npos) break;
    open = tmpl.rfind('{', close);  // "{a{b}": "{a" is text, "b" the placeholder
    literal(pos, open);
    parts.push_back({static_cast<std::uint32_t>(open + 1), static_cast<std::uint32_t>(close - open - 1), true});
    pos = close + 1;
  }
  literal(pos, tmpl.size());
  return parts;
}

std::string FillTemplate(std::string_view tmpl, const std::vector<TemplatePart>& parts,
                         std::initializer_list<TextArg> args) {
  std::size_t size = tmpl.size();
  for (const auto& [name, value] : args) size += value.size();
  std::string out;
  out.reserve(size);
  for (const TemplatePart& part : parts) {
    const std::string_view piece = tmpl.substr(part.offset, part.length);
    if (!part.placeholder) {
      out.append(piece);
      continue;
    }
    const std::string_view* value = nullptr;
    for (const auto& [name, v] : args) {
      if (name == piece) {
        value = &v;
        break;
      }
    }
    if (value != nullptr) {
      out.append(*value);
    } else {  // no value: the placeholder stays as written
      out += '{';
      out.append(piece);
      out += '}';
    }
  }
  return out;
}

std::string FillTemplate(std::string_view tmpl, std::initializer_list<TextArg> args) {
  return FillTemplate(tmpl, SplitTemplate(tmpl), args);
}

std::vector<std::string> TemplatePlaceholders(std::string_view tmpl) {
  std::vector<std::string> names;
  std::size_t i = 0;
  while ((i = tmpl.find('{', i)) != std::string_view::npos) {
    std::size_t close = tmpl.find('}', i + 1);
    if (close == std::string_view::npos) break;
    names.emplace_back(tmpl.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return names;
}

std::string JoinAnd(const std::vector<std::string>& items, std::string_view conjunction) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      if (i + 1 == items.size()) {
        out += ' ';
        out += conjunction;
        out += ' ';
      } else {
        out += ", ";
      }
    }
    out += items[i];
  }
  return out;
}

bool ContainsWord(std::string_view text, std::string_view word) {
  if (word.empty() || word.size() > text.size()) return false;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (i > 0 && IsWordChar(text[i - 1])) continue;
    std::size_t end = i + word.size();
    if (end < text.size() && IsWordChar(text[end])) continue;
    bool match = true;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (Lower(text[i + k]) != Lower(word[k])) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

namespace {

// The leading run of word characters of `s`.
std::size_t FirstWordLength(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && IsWordChar(s[n])) ++n;
  return n;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (Lower(a[k]) != Lower(b[k])) return false;
  }
  return true;
}

}  // namespace

void WordPhraseIndex::Add(std::string_view phrase, int value) {
  if (phrase.empty()) return;  // ContainsWord finds no empty phrase
  const std::size_t first = FirstWordLength(phrase);
  if (first == 0) {
    scanned_.push_back(Entry{std::string(phrase), value});
    return;
  }
  by_first_word_[AsciiLower(phrase.substr(0, first))].push_back(Entry{std::string(phrase), value});
  longest_first_word_ = std::max(longest_first_word_, first);
}

template <typename F>
void WordPhraseIndex::Scan(std::string_view text, F&& on_match) const {
  for (const Entry& e : scanned_) {
    if (ContainsWord(text, e.phrase) && on_match(e.value)) return;
  }
  if (by_first_word_.empty()) return;
  std::string key;
  key.reserve(longest_first_word_);
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    const std::size_t word = FirstWordLength(text.substr(i));
    if (word <= longest_first_word_) {
      key.clear();
      for (std::size_t k = 0; k < word; ++k) key += Lower(text[i + k]);
      if (auto it = by_first_word_.find(std::string_view(key)); it != by_first_word_.end()) {
        for (const Entry& e : it->second) {
          const std::size_t end = i + e.phrase.size();
          if (end > text.size() || (end < text.size() && IsWordChar(text[end]))) continue;
          if (EqualsIgnoringCase(text.substr(i, e.phrase.size()), e.phrase) && on_match(e.value)) return;
        }
      }
    }
    i += word;
  }
}

void WordPhraseIndex::ForEachMatch(std::string_view text, const std::function<void(int)>& found) const {
  Scan(text, [&](int value) {
    found(value);
    return false;
  });
}

bool WordPhraseIndex::AnyMatch(std::string_view text) const {
  bool any = false;
  Scan(text, [&](int) { return any = true; });
  return any;
}

}  // namespace nmscds
