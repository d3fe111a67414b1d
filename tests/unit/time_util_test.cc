// ParseDateTime, LooksLikeDateTimeWithoutZone, ParseDate and DaysFromCivil (fixed-position fields, a table of
// month days) against their previous implementation, kept below as the reference: boundaries, every day of
// years 1-9999, and random mutations of valid texts.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "common/time_util.h"

namespace nmscds {
namespace {

// ---- The previous implementation (loops over digits, Howard Hinnant's days_from_civil), verbatim ----

bool ReferenceReadDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool ReferenceIsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int ReferenceDaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && ReferenceIsLeap(y)) ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> ReferenceDaysFromCivil(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > ReferenceDaysInMonth(y, m)) return std::nullopt;
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool ReferenceParseLocalPart(std::string_view s, std::int64_t& seconds, std::size_t& pos) {
  int y, mo, d, h, mi, se;
  if (!ReferenceReadDigits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !ReferenceReadDigits(s, 5, 2, mo) ||
      s[7] != '-' || !ReferenceReadDigits(s, 8, 2, d) || s[10] != 'T' || !ReferenceReadDigits(s, 11, 2, h) ||
      s[13] != ':' || !ReferenceReadDigits(s, 14, 2, mi) || s[16] != ':' || !ReferenceReadDigits(s, 17, 2, se)) {
    return false;
  }
  if (h > 23 || mi > 59 || se > 59) return false;
  auto days = ReferenceDaysFromCivil(y, mo, d);
  if (!days) return false;
  pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return false;
  }
  seconds = *days * kDay + h * kHour + mi * kMinute + se;
  return true;
}

std::optional<Instant> ReferenceParseDateTime(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  if (!ReferenceParseLocalPart(s, local, pos)) return std::nullopt;
  if (pos == s.size()) return std::nullopt;  // no zone
  if (s[pos] == 'Z') return pos + 1 == s.size() ? std::optional<Instant>(local) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh, om;
  if (s.size() != pos + 6 || !ReferenceReadDigits(s, pos + 1, 2, oh) || s[pos + 3] != ':' ||
      !ReferenceReadDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
    return std::nullopt;
  }
  std::int64_t offset = oh * kHour + om * kMinute;
  return s[pos] == '+' ? local - offset : local + offset;
}

bool ReferenceLooksLikeDateTimeWithoutZone(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  return ReferenceParseLocalPart(s, local, pos) && pos == s.size();
}

std::optional<Instant> ReferenceParseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || !ReferenceReadDigits(s, 0, 4, y) || s[4] != '-' || !ReferenceReadDigits(s, 5, 2, m) ||
      s[7] != '-' || !ReferenceReadDigits(s, 8, 2, d)) {
    return std::nullopt;
  }
  auto days = ReferenceDaysFromCivil(y, m, d);
  if (!days) return std::nullopt;
  return *days * kDay;
}

// ---- Tests ----

// Every parser on one text, against the reference. A result, not an assertion inside, so that the loops below stop
// at the first difference.
::testing::AssertionResult SameAsReference(std::string_view s) {
  if (ParseDateTime(s) != ReferenceParseDateTime(s)) {
    return ::testing::AssertionFailure() << "ParseDateTime(\"" << s << "\")";
  }
  if (LooksLikeDateTimeWithoutZone(s) != ReferenceLooksLikeDateTimeWithoutZone(s)) {
    return ::testing::AssertionFailure() << "LooksLikeDateTimeWithoutZone(\"" << s << "\")";
  }
  if (ParseDate(s) != ReferenceParseDate(s)) {
    return ::testing::AssertionFailure() << "ParseDate(\"" << s << "\")";
  }
  return ::testing::AssertionSuccess();
}

TEST(TimeParse, TableOfBoundaries) {
  struct Row {
    const char* in;
    const char* utc;  // FormatDateTime of the result; nullptr when ParseDateTime refuses the text
    bool no_zone;     // LooksLikeDateTimeWithoutZone
  };
  const Row rows[] = {
      {"2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z", false},  // divisible by 400: leap
      {"1900-02-29T00:00:00Z", nullptr, false},                 // by 100 only: common
      {"2100-02-29T00:00:00Z", nullptr, false},
      {"2100-02-28T23:59:59Z", "2100-02-28T23:59:59Z", false},
      {"2024-02-29T12:07:09Z", "2024-02-29T12:07:09Z", false},
      {"2023-02-29T12:07:09Z", nullptr, false},
      {"2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z", false},
      {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", false},
      {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", false},
      {"0000-12-31T00:00:00Z", nullptr, false},
      {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", false},
      {"2024-00-10T00:00:00Z", nullptr, false},
      {"2024-13-01T00:00:00Z", nullptr, false},
      {"2024-04-31T00:00:00Z", nullptr, false},
      {"2024-04-00T00:00:00Z", nullptr, false},
      {"2024-12-32T00:00:00Z", nullptr, false},
      {"2024-01-01T24:00:00Z", nullptr, false},
      {"2024-01-01T23:60:00Z", nullptr, false},
      {"2024-01-01T23:59:60Z", nullptr, false},  // no leap seconds
      {"2024-01-01T00:00:00", nullptr, true},     // missing zone
      {"2024-01-01T00:00:00.123", nullptr, true},
      {"2024-01-01T24:00:00", nullptr, false},
      {"2024-01-01T00:00:00.", nullptr, false},
      {"2024-01-01T00:00:00.Z", nullptr, false},
      {"2024-01-01T00:00:00.999Z", "2024-01-01T00:00:00Z", false},  // fractions are truncated
      {"2024-01-01T00:00:00.123456789Z", "2024-01-01T00:00:00Z", false},
      {"2024-01-01T00:00:00.1234567890Z", nullptr, false},  // 10 fraction digits
      {"2024-01-01T00:00:00.1234567890", nullptr, false},
      {"2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z", false},
      {"2024-01-01T00:30:00-23:59", "2024-01-02T00:29:00Z", false},
      {"2024-01-01T00:30:00+23:59", "2023-12-31T00:31:00Z", false},
      {"2024-01-01T00:30:00-00:00", "2024-01-01T00:30:00Z", false},
      {"2024-01-01T00:30:00.5+05:30", "2023-12-31T19:00:00Z", false},
      {"2024-01-01T00:30:00+24:00", nullptr, false},
      {"2024-01-01T00:30:00+01:60", nullptr, false},
      {"2024-01-01T00:30:00+0100", nullptr, false},
      {"2024-01-01T00:30:00+01:0", nullptr, false},
      {"2024-01-01T00:30:00+01:000", nullptr, false},
      {"2024-01-01T00:30:00+1:00", nullptr, false},
      {"2024-01-01T00:30:00+01-00", nullptr, false},
      {"2024-01-01T00:30:00 01:00", nullptr, false},
      {"2024-01-01T00:00:00ZZ", nullptr, false},  // trailing garbage
      {"2024-01-01T00:00:00Z ", nullptr, false},
      {"2024-01-01T00:00:00z", nullptr, false},  // lower case is refused
      {"2024-01-01t00:00:00Z", nullptr, false},
      {"2024-01-01t00:00:00", nullptr, false},
      {"2024-01-01 00:00:00Z", nullptr, false},
      {"2024-1-01T00:00:00Z", nullptr, false},
      {"2024-01-01T0:00:00Z", nullptr, false},
      {"2024/01/01T00:00:00Z", nullptr, false},
      {"-2024-01-01T00:00:00Z", nullptr, false},
      {"12024-01-01T00:00:00Z", nullptr, false},
      {"2024-01-01T00:00:00\xd9\xa0Z", nullptr, false},
      {"2024-01-01", nullptr, false},
      {"2024", nullptr, false},
      {"", nullptr, false},
  };
  for (const Row& r : rows) {
    auto t = ParseDateTime(r.in);
    EXPECT_EQ(t ? FormatDateTime(*t) : "(none)", r.utc ? r.utc : "(none)") << r.in;
    EXPECT_EQ(LooksLikeDateTimeWithoutZone(r.in), r.no_zone) << r.in;
    EXPECT_TRUE(SameAsReference(r.in));
    // The date alone and the text cut after the seconds.
    const std::string_view in = r.in;
    EXPECT_TRUE(SameAsReference(in.substr(0, 10)));
    EXPECT_TRUE(SameAsReference(in.substr(0, 19)));
  }
  EXPECT_EQ(ParseDate("2000-02-29"), 951782400);
  EXPECT_EQ(ParseDate("1900-02-29"), std::nullopt);
}

TEST(TimeParse, DaysFromCivilMatchesReferenceInAndAroundItsRange) {
  int valid = 0;
  for (int y = -1; y <= 10001; ++y) {
    for (int m = -1; m <= 14; ++m) {
      for (int d = -1; d <= 33; ++d) {
        const auto days = DaysFromCivil(y, m, d);
        ASSERT_EQ(days, ReferenceDaysFromCivil(y, m, d)) << y << '-' << m << '-' << d;
        valid += days.has_value();
      }
    }
  }
  EXPECT_EQ(valid, 3'652'059);  // the days of 0001-01-01 .. 9999-12-31
}

// Days 1-31 of every month of years 1-9999 (so the 29th-31st of short months too) at a few times and zones.
TEST(TimeParse, EveryDayOfYears1To9999MatchesReference) {
  const char* const tails[] = {"T00:00:00Z", "T23:59:59.999+14:00", "T12:34:56-08:30"};
  for (const char* tail : tails) {
    std::string s = std::string("0000-00-00") + tail;
    for (int y = 1; y <= 9999; ++y) {
      s[0] = static_cast<char>('0' + y / 1000);
      s[1] = static_cast<char>('0' + y / 100 % 10);
      s[2] = static_cast<char>('0' + y / 10 % 10);
      s[3] = static_cast<char>('0' + y % 10);
      for (int m = 1; m <= 12; ++m) {
        s[5] = static_cast<char>('0' + m / 10);
        s[6] = static_cast<char>('0' + m % 10);
        for (int d = 1; d <= 31; ++d) {
          s[8] = static_cast<char>('0' + d / 10);
          s[9] = static_cast<char>('0' + d % 10);
          const std::string_view date = std::string_view(s).substr(0, 10);
          ASSERT_EQ(ParseDateTime(s), ReferenceParseDateTime(s)) << s;
          ASSERT_EQ(ParseDate(date), ReferenceParseDate(date)) << s;
        }
      }
    }
  }
}

// Valid texts with bytes replaced, inserted or removed: mostly invalid inputs, which must be refused alike.
TEST(TimeParse, RandomMutationsMatchReference) {
  const std::string bases[] = {
      "2011-10-14T23:37:54+00:00", "2011-10-14T23:37:54.530+00:00", "2024-02-29T08:15:00Z",
      "2023-12-31T23:59:59.123456789Z", "1987-06-01T00:00:00-05:00", "2000-02-29T00:00:00",
      "0001-01-01T00:00:00.1", "9999-12-31T23:59:59Z", "2024-02-29",
  };
  const std::string likely = "0123456789-:T.Z+tz 9";
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 3'000'000; ++i) {
    std::string s = bases[rng() % std::size(bases)];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const char c = (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : likely[rng() % likely.size()];
      const std::size_t at = rng() % (s.size() + 1);
      switch (rng() % 8) {
        case 0:
          s.insert(at, 1, c);
          break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        case 2:
          s.resize(at);
          break;
        default:
          if (at < s.size()) s[at] = c;
      }
    }
    ASSERT_TRUE(SameAsReference(s));
  }
}

}  // namespace
}  // namespace nmscds
