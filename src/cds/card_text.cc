#include "cds/card_text.h"

namespace nmscds {

namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte length of the longest prefix of `s` with at most `max_chars` code points.
std::size_t PrefixBytes(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsContinuationByte(s[i])) continue;
    if (chars == max_chars) return i;
    ++chars;
  }
  return s.size();
}

}  // namespace

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if (!IsContinuationByte(c)) ++n;
  }
  return n;
}

std::string AgentList(const std::vector<std::string>& names, bool shorten, std::string_view more) {
  std::string out;
  const std::size_t shown = shorten && names.size() > 2 ? 2 : names.size();
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (shown < names.size()) {
    out += ' ';
    out += more;
  }
  return out;
}

std::string CutAtWord(std::string_view text, std::size_t max_chars) {
  if (Utf8Length(text) <= max_chars) return std::string(text);
  static constexpr std::string_view kEllipsis = "...";
  const std::size_t room = max_chars > kEllipsis.size() ? max_chars - kEllipsis.size() : 0;
  std::string_view head = text.substr(0, PrefixBytes(text, room));
  // Cut at the last space when the next character is not one, so no word is broken.
  if (head.size() < text.size() && text[head.size()] != ' ') {
    const std::size_t space = head.rfind(' ');
    if (space != std::string_view::npos && space > 0) head = head.substr(0, space);
  }
  // "a; b..." reads better than "a; ...": drop separators left at the cut.
  while (!head.empty() && (head.back() == ' ' || head.back() == ';' || head.back() == ',' || head.back() == ':' ||
                           head.back() == '(' || head.back() == '-')) {
    head.remove_suffix(1);
  }
  std::string out(head);
  out += kEllipsis;
  return out;
}

std::string FitSummary(const std::function<std::string(bool shorten)>& compose) {
  std::string full = compose(false);
  if (Utf8Length(full) <= kSummaryMaxChars) return full;
  std::string shortened = compose(true);
  if (Utf8Length(shortened) <= kSummaryMaxChars) return shortened;
  return CutAtWord(shortened, kSummaryMaxChars);
}

std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '#': case '|':
        out += '\\';
        out += c;
        break;
      case '/':
        // "://" -> ":\/\/": GitHub-flavoured Markdown turns bare URLs into links.
        if (i > 0 && text[i - 1] == ':') out += '\\';
        else if (i > 0 && text[i - 1] == '/' && i > 1 && text[i - 2] == ':') out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string CapitalizeFirst(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string JoinDetail(const std::vector<std::string>& blocks, std::string_view shortened_note) {
  std::string out;
  for (const std::string& b : blocks) {
    if (b.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += b;
  }
  if (Utf8Length(out) <= kDetailMaxChars) return out;
  // Too long: keep whole blocks while they fit together with the note.
  const std::size_t note_chars = Utf8Length(shortened_note) + 2;
  const std::size_t budget = kDetailMaxChars > note_chars ? kDetailMaxChars - note_chars : 0;
  std::string kept;
  for (const std::string& b : blocks) {
    if (b.empty()) continue;
    const std::size_t add = Utf8Length(b) + (kept.empty() ? 0 : 2);
    if (Utf8Length(kept) + add > budget) {
      if (kept.empty()) kept = CutAtWord(b, budget);
      break;
    }
    if (!kept.empty()) kept += "\n\n";
    kept += b;
  }
  kept += "\n\n";
  kept += shortened_note;
  return kept;
}

}  // namespace nmscds
