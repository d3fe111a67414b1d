#include "common/time_util.h"

#include <fmt/format.h>

namespace nmscds {
namespace {

bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

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

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeap(y)) ? 29 : kDays[m - 1];
}

// Parses "YYYY-MM-DDThh:mm:ss[.fff]" and returns the position after it.
bool ParseLocalPart(std::string_view s, std::int64_t& seconds, std::size_t& pos) {
  int y, mo, d, h, mi, se;
  if (!ReadDigits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, d) || s[10] != 'T' || !ReadDigits(s, 11, 2, h) || s[13] != ':' ||
      !ReadDigits(s, 14, 2, mi) || s[16] != ':' || !ReadDigits(s, 17, 2, se)) {
    return false;
  }
  if (h > 23 || mi > 59 || se > 59) return false;
  auto days = DaysFromCivil(y, mo, d);
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

}  // namespace

std::optional<std::int64_t> DaysFromCivil(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<Instant> ParseDateTime(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  if (!ParseLocalPart(s, local, pos)) return std::nullopt;
  if (pos == s.size()) return std::nullopt;  // no zone
  if (s[pos] == 'Z') return pos + 1 == s.size() ? std::optional<Instant>(local) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh, om;
  if (s.size() != pos + 6 || !ReadDigits(s, pos + 1, 2, oh) || s[pos + 3] != ':' ||
      !ReadDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
    return std::nullopt;
  }
  std::int64_t offset = oh * kHour + om * kMinute;
  return s[pos] == '+' ? local - offset : local + offset;
}

bool LooksLikeDateTimeWithoutZone(std::string_view s) {
  std::int64_t local;
  std::size_t pos;
  return ParseLocalPart(s, local, pos) && pos == s.size();
}

std::optional<Instant> ParseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || !ReadDigits(s, 0, 4, y) || s[4] != '-' || !ReadDigits(s, 5, 2, m) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, d)) {
    return std::nullopt;
  }
  auto days = DaysFromCivil(y, m, d);
  if (!days) return std::nullopt;
  return *days * kDay;
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
