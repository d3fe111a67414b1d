// Fixed::FromDouble: its fast path (v * 1e6 rounded when it is not near half a micro) against the definition, the
// shortest round-trip text of the double parsed by Fixed::Parse.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include "nmscds/fixed.h"

namespace nmscds {
namespace {

// What FromDouble is defined to return (include/nmscds/fixed.h).
std::optional<Fixed> Definition(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return Fixed::Parse(fmt::format("{}", v));
}

// Compares micros, so a failure prints the numbers.
std::optional<std::int64_t> Micros(std::optional<Fixed> f) {
  if (!f) return std::nullopt;
  return f->micros();
}

// A result, not an assertion inside, so that the loops below stop at the first difference.
::testing::AssertionResult SameAsDefinition(double v) {
  const auto fast = Micros(Fixed::FromDouble(v));
  const auto defined = Micros(Definition(v));
  if (fast == defined) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << fmt::format("{} ({:a}): {} micros, defined as {}", v, v,
                                                      fast ? std::to_string(*fast) : "none",
                                                      defined ? std::to_string(*defined) : "none");
}

TEST(FixedFromDouble, TableOfTrickyValues) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Row {
    double v;
    std::optional<std::int64_t> micros;
  };
  const Row rows[] = {
      {0.1, 100'000},
      {0.2, 200'000},
      {0.1 + 0.2, 300'000},  // 0.30000000000000004
      {36.8, 36'800'000},
      {38.0, 38'000'000},
      {38.3, 38'300'000},
      {100.4, 100'400'000},
      {-40.0, -40'000'000},
      {1e-7, 0},
      {5e-7, 1},  // the double is below half a micro, its shortest text "5e-07" is not: away from zero
      {0.0000005, 1},
      {-5e-7, -1},
      {4.9e-7, 0},
      {0.0000015, 2},
      {1.0000005, 1'000'001},
      {-1.0000005, -1'000'001},
      {-2.5e-6, -3},
      {0.1234565, 123'457},  // the double is below the tie too
      {2.675, 2'675'000},
      {0.9999995, 1'000'000},
      {1.23456789, 1'234'568},
      {0.49999999999999994, 500'000},
      {123456.789012, 123'456'789'012},
      {-123456.789012, -123'456'789'012},
      {16777215.5, 16'777'215'500'000},
      {16777215.999999, 16'777'215'999'999},
      {16777216.0, 16'777'216'000'000},
      {16777216.25, 16'777'216'250'000},
      {1e12, 1'000'000'000'000'000'000},
      {9.2e12, 9'200'000'000'000'000'000},
      {9.3e12, std::nullopt},  // beyond kMaxMicros
      {-9.3e12, std::nullopt},
      {1e300, std::nullopt},
      {0x1p-30, 0},  // the fast path's lower bound
      {-0x1p-31, 0},
      {1e-10, 0},
      {1e-40, 0},
      // Parse refuses exponents beyond 40 ("1e-41", "5e-324"); the fast path leaves these to it.
      {1e-41, std::nullopt},
      {std::numeric_limits<double>::denorm_min(), std::nullopt},
      {-std::numeric_limits<double>::denorm_min(), std::nullopt},
      {std::numeric_limits<double>::min(), std::nullopt},
      {0.0, 0},
      {-0.0, 0},
      {kInf, std::nullopt},
      {-kInf, std::nullopt},
      {std::numeric_limits<double>::quiet_NaN(), std::nullopt},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(Micros(Fixed::FromDouble(r.v)), r.micros) << fmt::format("{} ({:a})", r.v, r.v);
    EXPECT_EQ(Micros(Fixed::FromDouble(r.v)), Micros(Definition(r.v))) << fmt::format("{} ({:a})", r.v, r.v);
  }
}

// Decimal texts as JSON carries them: 0-9 integer digits and 0-9 decimals, read with strtod.
TEST(FixedFromDouble, RandomDecimalTextsMatchTheDefinition) {
  std::mt19937_64 rng(20240604);
  for (int i = 0; i < 2'000'000; ++i) {
    std::string text = (rng() & 1) ? "-" : "";
    const int int_digits = static_cast<int>(rng() % 10);
    const int decimals = static_cast<int>(rng() % 10);
    for (int k = 0; k < int_digits; ++k) text += static_cast<char>('0' + rng() % 10);
    if (int_digits == 0) text += '0';
    if (decimals > 0) text += '.';
    for (int k = 0; k < decimals; ++k) text += static_cast<char>('0' + rng() % 10);
    ASSERT_TRUE(SameAsDefinition(std::strtod(text.c_str(), nullptr)));
  }
}

// Arbitrary doubles below 2^25 (past the fast path's bound of 2^24): random mantissa bits, exponents from 2^-40
// (below the fast path's 2^-30).
TEST(FixedFromDouble, RandomBitPatternsMatchTheDefinition) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1'000'000; ++i) {
    const std::uint64_t mantissa = rng() & ((std::uint64_t{1} << 52) - 1);
    const std::uint64_t exponent = 1023 - 40 + rng() % 65;  // 2^-40 .. 2^24
    const std::uint64_t sign = (rng() & 1) << 63;
    ASSERT_TRUE(SameAsDefinition(std::bit_cast<double>(sign | exponent << 52 | mantissa)));
  }
}

// Doubles nearest to whole micros, to half micros (ties for Parse) and to the fast path's bound (0.49 and 0.51 of a
// micro), and their neighbours a few ulps away: both sides of every boundary, below and above 2^24.
TEST(FixedFromDouble, NearWholeHalfAndBoundMicrosMatchTheDefinition) {
  std::mt19937_64 rng(11);
  const double fractions[] = {0, 0.5, 0.49, 0.51};
  for (int i = 0; i < 250'000; ++i) {
    const auto n = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 45)) >> (rng() % 45);
    for (double fraction : fractions) {
      const double v = (static_cast<double>(n) + fraction) / ((rng() & 1) ? -1e6 : 1e6);
      double below = v, above = v;
      ASSERT_TRUE(SameAsDefinition(v));
      for (int k = 0; k < 3; ++k) {
        below = std::nextafter(below, -1e300);
        above = std::nextafter(above, 1e300);
        ASSERT_TRUE(SameAsDefinition(below));
        ASSERT_TRUE(SameAsDefinition(above));
      }
    }
  }
}

}  // namespace
}  // namespace nmscds
