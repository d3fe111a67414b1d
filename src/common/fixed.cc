#include "nmscds/fixed.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace nmscds {
namespace {

__extension__ typedef __int128 i128;

constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
constexpr i128 kMaxMicros = static_cast<i128>(std::numeric_limits<std::int64_t>::max());

// Rounds num/den half away from zero (den > 0).
i128 DivRoundHalfAway(i128 num, i128 den) {
  i128 q = num / den;
  i128 r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += (num < 0) ? -1 : 1;
  return q;
}

std::int64_t Unit(int decimals) { return kPow10[6 - decimals]; }

}  // namespace

std::optional<Fixed> Fixed::Parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  i128 digits = 0;
  int frac_digits = 0;
  int total_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (total_digits < 30) {
        digits = digits * 10 + (c - '0');
        if (seen_point) ++frac_digits;
        if (digits != 0) ++total_digits;
      } else if (!seen_point) {
        return std::nullopt;  // far too large
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return std::nullopt;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 40) return std::nullopt;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;
  // value = digits * 10^(exponent - frac_digits); we want micros = value * 10^6.
  int shift = exponent - frac_digits + 6;
  i128 micros;
  if (shift >= 0) {
    micros = digits;
    for (int k = 0; k < shift; ++k) {
      micros *= 10;
      if (micros > kMaxMicros) return std::nullopt;
    }
  } else {
    i128 den = 1;
    for (int k = 0; k < -shift; ++k) {
      den *= 10;
      if (den > static_cast<i128>(1e30)) return Fixed(0);
    }
    micros = DivRoundHalfAway(digits, den);
  }
  if (micros > kMaxMicros) return std::nullopt;
  return Fixed(static_cast<std::int64_t>(negative ? -micros : micros));
}

std::optional<Fixed> Fixed::FromDouble(double v) {
  // Fast path with the text path's result (formatting and parsing cost ~1,000 instructions a call). Let D be the
  // shortest round-trip text of v, r = v * 1e6 as computed and n an integer near r. Below 2^24, D is within half an
  // ulp of v (<= 2^-30, under 0.001 micro) and r within half an ulp of v * 10^6 (< 2^44, so <= 2^-10, under 0.001
  // micro). When |r - n| <= 0.49, D is thus less than half a micro from n, and Parse rounds it to n micros. Only
  // values within 0.01 micro of a half micro take the text path, and tiny ones (below 2^-30, except 0): Parse refuses
  // exponents beyond 40 ("1e-41"), so those keep their result from the text.
  const double a = std::fabs(v);
  if (a < 0x1p24 && (a >= 0x1p-30 || a == 0)) {  // false for NaN
    const double r = v * 1e6;
    const auto n = static_cast<std::int64_t>(r < 0 ? r - 0.5 : r + 0.5);
    if (std::fabs(r - static_cast<double>(n)) <= 0.49) return Fixed(n);
  }
  if (!std::isfinite(v)) return std::nullopt;
  return Parse(fmt::format("{}", v));
}

Fixed Fixed::RoundHalfAway(int decimals) const {
  std::int64_t u = Unit(decimals);
  return Fixed(static_cast<std::int64_t>(DivRoundHalfAway(micros_, u) * u));
}

Fixed Fixed::Truncate(int decimals) const {
  std::int64_t u = Unit(decimals);
  return Fixed(micros_ / u * u);
}

Fixed Fixed::Floor(int decimals) const {
  std::int64_t u = Unit(decimals);
  std::int64_t q = micros_ / u;
  if (micros_ % u != 0 && micros_ < 0) --q;
  return Fixed(q * u);
}

Fixed Fixed::Ceil(int decimals) const {
  std::int64_t u = Unit(decimals);
  std::int64_t q = micros_ / u;
  if (micros_ % u != 0 && micros_ > 0) ++q;
  return Fixed(q * u);
}

std::int64_t Fixed::CeilInt() const { return Ceil(0).micros_ / kScale; }
std::int64_t Fixed::FloorInt() const { return Floor(0).micros_ / kScale; }

Fixed Fixed::MulDiv(std::int64_t num, std::int64_t den, int decimals) const {
  std::int64_t u = Unit(decimals);
  i128 n = static_cast<i128>(micros_) * num;
  i128 d = static_cast<i128>(den) * u;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return Fixed(static_cast<std::int64_t>(DivRoundHalfAway(n, d) * u));
}

Fixed Fixed::Times(Fixed other, int decimals) const {
  std::int64_t u = Unit(decimals);
  i128 n = static_cast<i128>(micros_) * other.micros_;
  return Fixed(static_cast<std::int64_t>(DivRoundHalfAway(n, static_cast<i128>(kScale) * u) * u));
}

Fixed Fixed::DividedBy(Fixed other, int decimals) const {
  std::int64_t u = Unit(decimals);
  i128 n = static_cast<i128>(micros_) * kScale;
  i128 d = static_cast<i128>(other.micros_) * u;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return Fixed(static_cast<std::int64_t>(DivRoundHalfAway(n, d) * u));
}

std::string Fixed::ToString(int max_decimals) const {
  Fixed r = RoundHalfAway(max_decimals);
  std::int64_t m = r.micros_;
  if (m == 0) return "0";
  bool negative = m < 0;
  std::uint64_t a = negative ? static_cast<std::uint64_t>(-(m + 1)) + 1 : static_cast<std::uint64_t>(m);
  std::uint64_t whole = a / kScale;
  std::uint64_t frac = a % kScale;
  // "-" + up to 20 digits + "." + 6 decimals: formatted in place, one string construction.
  char buf[32];
  char* p = buf;
  if (negative) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, whole).ptr;
  if (frac != 0) {
    *p++ = '.';
    for (std::uint64_t unit = kScale / 10; frac != 0; unit /= 10) {
      *p++ = static_cast<char>('0' + frac / unit);
      frac %= unit;
    }
  }
  return std::string(buf, p);
}

bool ProductAtLeast(Fixed a, std::int64_t an, Fixed b, std::int64_t bn) {
  return static_cast<i128>(a.micros()) * an >= static_cast<i128>(b.micros()) * bn;
}

}  // namespace nmscds
