#pragma once
// Private helpers of the text report (interfaces.md §6), exposed for the unit tests only.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/fixed.h"

namespace nmscds::report_text_internal {

// Written between two words that must stay on one line ("MASCC 13", "ALT 88"); output as a space.
constexpr char kNoBreakSpace = '\x1f';

// Columns a UTF-8 string occupies (one per code point; the report only adds the degree sign).
std::size_t DisplayWidth(std::string_view s);

// Word-wraps `text` to `width` columns (§6.2). The first line starts with `prefix`; continuation lines
// start with `indent` spaces (normally the display width of the prefix, i.e. the text column of the item).
// Words are separated by runs of spaces and wrapped only at spaces, never at hyphens. A space that follows a
// word ending in a digit does not break ("78 mL/h", "39.44 °C", "0.08 x10^9/L", "2026-11-19 21:00") unless
// the glued group does not fit even on a line of its own. kNoBreakSpace joins two words for good. A word
// longer than the width is not broken. Lines never end in spaces. Control characters count as spaces, so
// none reaches the output.
std::vector<std::string> Wrap(std::string_view prefix, std::string_view text, std::size_t indent, int width);

// Display form of a UCUM unit appended to a number: " °C" for Cel, " x10^9/L" for 10*9/L, " mmHg",
// "/min" (no space), "%" (no space), else " <unit>"; "" for no unit.
std::string UnitSuffix(std::string_view ucum);

// "hh:mm" when `t` is on the same UTC date as `t0`, else "YYYY-MM-DD hh:mm".
std::string FormatWhen(std::int64_t t, std::int64_t t0);

}  // namespace nmscds::report_text_internal
