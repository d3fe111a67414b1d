#pragma once
// Text rules of CDS Hooks cards (interfaces.md §8.10): summary length and its shortening rule, agent
// lists, Markdown escaping and the detail limit. Pure functions; no knowledge of the report.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace nmscds {

inline constexpr std::size_t kSummaryMaxChars = 139;  // CDS Hooks: summary < 140 characters
inline constexpr std::size_t kDetailMaxChars = 4000;

// Number of Unicode code points in valid UTF-8 (continuation bytes are not counted).
std::size_t Utf8Length(std::string_view s);

// "a, b, c" or, when `shorten` and there are more than two names, "a, b <more>" where `more` is the
// knowledge-base "+N more" text already filled for N = names.size() - 2.
std::string AgentList(const std::vector<std::string>& names, bool shorten, std::string_view more);

// The §8.10 shortening rule. `compose(shorten)` builds the summary with full agent lists (false) or with
// every agent list cut to two names plus "+N more" (true). Returns the first that fits in
// kSummaryMaxChars; when neither fits, the shortened text is cut at a word boundary and ends with "...".
std::string FitSummary(const std::function<std::string(bool shorten)>& compose);

// Cuts `text` to at most `max_chars` code points at a word boundary (dropping trailing separators) and
// appends "..." within the limit. Texts that fit are returned unchanged.
std::string CutAtWord(std::string_view text, std::size_t max_chars);

// Escapes Markdown and HTML syntax in text taken from the report so that the detail holds no links and
// no HTML: backslash, `, *, _, [, ], <, >, # and | get a backslash; "://" becomes ":\/\/" so that no
// autolink can form.
std::string EscapeMarkdown(std::string_view text);

// "First" -> upper-case first ASCII letter (drug names at the start of a summary).
std::string CapitalizeFirst(std::string_view text);

// Joins Markdown blocks (paragraphs or bullet lists) with blank lines and keeps the result within
// kDetailMaxChars: when the blocks do not fit, whole blocks are dropped from the end and `shortened_note`
// is appended, so a shortened detail says so. The first block is always kept (cut if it alone is too long).
std::string JoinDetail(const std::vector<std::string>& blocks, std::string_view shortened_note);

}  // namespace nmscds
