#include "common/time_util.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace nmscds {
namespace {

// Two ASCII digits at p as a number; sets `bad` when either is not a digit. The callers read every field, then
// test `bad` once.
unsigned TwoDigits(const char* p, bool& bad) {
  const unsigned tens = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  bad |= (tens > 9) | (ones > 9);
  return tens * 10 + ones;
}

// Eight chars of text as one word, the first char in the lowest byte (memcpy compiles to one load).
std::uint64_t Word(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

// Eight chars of fixed-width text: 0xFF bytes in `digits` where a digit belongs, the other chars in `fixed`.
struct Shape {
  std::uint64_t digits = 0;
  std::uint64_t fixed = 0;
};

// '9' marks a digit; any other char must be there as written.
constexpr Shape MakeShape(const char (&text)[9]) {
  Shape shape;
  for (int i = 0; i < 8; ++i) {
    if (text[i] == '9') {
      shape.digits |= std::uint64_t{0xFF} << (8 * i);
    } else {
      shape.fixed |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
    }
  }
  return shape;
}

constexpr std::uint64_t kEachByte = 0x0101010101010101;

// The digits of `w` as values 0-9, one a byte (0 elsewhere); sets `bad` when w does not have the shape. All eight
// chars are tested at once: a byte of d is a digit's value when neither it nor it + 6 reaches 16 (bytes below 16
// cannot carry into the next one; a byte that does carry is already refused by its own high nibble).
std::uint64_t DigitValues(std::uint64_t w, Shape shape, bool& bad) {
  const std::uint64_t d = (w ^ (kEachByte * '0')) & shape.digits;
  bad |= (((d | (d + kEachByte * 6)) & (kEachByte * 0xF0)) != 0) | ((w & ~shape.digits) != shape.fixed);
  return d;
}

// Byte i of the result is 10 * (byte i) + (byte i + 1) of the digit values: each two-digit field becomes one byte at
// its first position.
std::uint64_t Pairs(std::uint64_t digit_values) { return digit_values * 10 + (digit_values >> 8); }
unsigned Byte(std::uint64_t w, int i) { return static_cast<unsigned>(w >> (8 * i)) & 0xFF; }

struct Civil {
  int year;
  int month;
  int day;
};

// Howard Hinnant's civil_from_days.
Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

constexpr unsigned kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
// Days before the first of each month in a common year.
constexpr unsigned kDaysBeforeMonth[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
// Days from 0001-01-01 to 1970-01-01.
constexpr std::int64_t kEpochDays = 719162;

// Days since 1970-01-01 of a proleptic Gregorian date of years 1-9999; false for an invalid date. The whole years
// before it, then the table of months (unsigned: each division by a constant is one multiply). A bool, not an
// optional: GCC 12 returns an optional<int64_t> through the stack, a byte store read back by a wider load.
bool CivilDays(unsigned y, unsigned m, unsigned d, std::int64_t& days) {
  if (y - 1 >= 9999 || m - 1 >= 12) return false;
  const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  if (d - 1 >= kDaysInMonth[m - 1] + (m == 2 && leap)) return false;
  const unsigned years = y - 1;
  const unsigned days_before_year = years * 365 + years / 4 - years / 100 + years / 400;
  const unsigned day_of_year = kDaysBeforeMonth[m - 1] + (m > 2 && leap) + d - 1;
  days = std::int64_t{days_before_year + day_of_year} - kEpochDays;
  return true;
}

constexpr Shape kDate = MakeShape("9999-99-");      // chars 0-7
constexpr Shape kDayClock = MakeShape("99T99:99");  // chars 8-15
constexpr Shape kClock = MakeShape("99:99:99");     // chars 11-18 (hh:mm again, then ss)

// Parses "YYYY-MM-DDThh:mm:ss[.fff]" and returns the position after it. Every char has a fixed place, so the first
// 19 are tested and read as three words, without a loop or a branch per char.
bool ParseLocalPart(std::string_view s, std::int64_t& seconds, std::size_t& pos) {
  if (s.size() < 19) return false;
  bool bad = false;
  const std::uint64_t date = Pairs(DigitValues(Word(s.data()), kDate, bad));
  const std::uint64_t day_clock = Pairs(DigitValues(Word(s.data() + 8), kDayClock, bad));
  const std::uint64_t clock = Pairs(DigitValues(Word(s.data() + 11), kClock, bad));
  if (bad) return false;
  const unsigned h = Byte(day_clock, 3), mi = Byte(day_clock, 6), se = Byte(clock, 6);
  if (h > 23 || mi > 59 || se > 59) return false;
  std::int64_t days;
  if (!CivilDays(Byte(date, 0) * 100 + Byte(date, 2), Byte(date, 5), Byte(day_clock, 0), days)) return false;
  pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return false;
  }
  seconds = days * kDay + h * kHour + mi * kMinute + se;
  return true;
}

}  // namespace

std::optional<std::int64_t> DaysFromCivil(int y, int m, int d) {
  std::int64_t days;
  const bool valid = CivilDays(static_cast<unsigned>(y), static_cast<unsigned>(m), static_cast<unsigned>(d), days);
  return valid ? std::optional<std::int64_t>(days) : std::nullopt;
}

std::optional<Instant> ParseDateTime(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  if (!ParseLocalPart(s, local, pos)) return std::nullopt;
  if (pos == s.size()) return std::nullopt;  // no zone
  if (s[pos] == 'Z') return pos + 1 == s.size() ? std::optional<Instant>(local) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  if (s.size() != pos + 6 || s[pos + 3] != ':') return std::nullopt;
  bool bad = false;
  const unsigned oh = TwoDigits(s.data() + pos + 1, bad);
  const unsigned om = TwoDigits(s.data() + pos + 4, bad);
  if (bad || oh > 23 || om > 59) return std::nullopt;
  std::int64_t offset = oh * kHour + om * kMinute;
  return s[pos] == '+' ? local - offset : local + offset;
}

bool LooksLikeDateTimeWithoutZone(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  return ParseLocalPart(s, local, pos) && pos == s.size();
}

std::optional<Instant> ParseDate(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  bool bad = false;
  const std::uint64_t date = Pairs(DigitValues(Word(s.data()), kDate, bad));
  const unsigned d = TwoDigits(s.data() + 8, bad);
  std::int64_t days;
  if (bad || !CivilDays(Byte(date, 0) * 100 + Byte(date, 2), Byte(date, 5), d, days)) return std::nullopt;
  return days * kDay;
}

std::int64_t DayNumber(Instant t) { return (t >= 0 ? t : t - (kDay - 1)) / kDay; }

namespace {

// Date and time fields written with fixed widths in one pass (these run for every timestamp of a report).
// Years outside 0000-9999 cannot come from a validated case; they are still written, by fmt.
class Stamp {
 public:
  explicit Stamp(Instant t) : days_(DayNumber(t)), secs_(t - days_ * kDay), civil_(CivilFromDays(days_)) {}
  bool plain_year() const { return civil_.year >= 0 && civil_.year <= 9999; }
  const Civil& civil() const { return civil_; }
  std::int64_t hour() const { return secs_ / kHour; }
  std::int64_t minute() const { return (secs_ % kHour) / kMinute; }
  std::int64_t second() const { return secs_ % kMinute; }

  // "YYYY-MM-DD" then, for each of `time_fields` (0-3), ":"-separated HH, MM, SS after `time_sep`.
  std::string Write(bool date, char time_sep, int time_fields, const char* suffix) const {
    char buf[32];
    char* p = buf;
    if (date) {
      p = Digits(p, civil_.year, 4);
      *p++ = '-';
      p = Digits(p, civil_.month, 2);
      *p++ = '-';
      p = Digits(p, civil_.day, 2);
      if (time_fields > 0) *p++ = time_sep;
    }
    const std::int64_t fields[] = {hour(), minute(), second()};
    for (int i = 0; i < time_fields; ++i) {
      if (i > 0) *p++ = ':';
      p = Digits(p, fields[i], 2);
    }
    while (*suffix) *p++ = *suffix++;
    return std::string(buf, p);
  }

 private:
  static char* Digits(char* p, std::int64_t n, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + n % 10);
      n /= 10;
    }
    return p + width;
  }
  std::int64_t days_, secs_;
  Civil civil_;
};

}  // namespace

std::string FormatDateTime(Instant t) {
  Stamp s(t);
  if (s.plain_year()) return s.Write(true, 'T', 3, "Z");
  const Civil& c = s.civil();
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", c.year, c.month, c.day, s.hour(), s.minute(),
                     s.second());
}

std::string FormatDateTimeShort(Instant t) {
  Stamp s(t);
  if (s.plain_year()) return s.Write(true, ' ', 2, "");
  const Civil& c = s.civil();
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}", c.year, c.month, c.day, s.hour(), s.minute());
}

std::string FormatClock(Instant t) { return Stamp(t).Write(false, ' ', 2, ""); }

std::string FormatDate(Instant t) {
  Stamp s(t);
  if (s.plain_year()) return s.Write(true, ' ', 0, "");
  const Civil& c = s.civil();
  return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

int AgeInYears(Instant birth, Instant t) {
  Civil b = CivilFromDays(DayNumber(birth));
  Civil n = CivilFromDays(DayNumber(t));
  int age = n.year - b.year;
  if (n.month < b.month || (n.month == b.month && n.day < b.day)) --age;
  return age;
}

}  // namespace nmscds
