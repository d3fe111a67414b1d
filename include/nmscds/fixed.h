#pragma once
// Fixed-point decimal numbers (micro-units, 10^-6) for every clinical value.
//
// clinical.md §0.3 asks that values be converted and rounded in decimal arithmetic before any
// comparison, so that 100.4 [degF] is exactly 38.00 Cel. Every value the engine compares is a Fixed;
// thresholds from the knowledge base are parsed into Fixed as well, so comparisons are exact.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nmscds {

class Fixed {
 public:
  static constexpr std::int64_t kScale = 1'000'000;

  constexpr Fixed() = default;
  static constexpr Fixed FromMicros(std::int64_t micros) { return Fixed(micros); }
  static constexpr Fixed FromInt(std::int64_t v) { return Fixed(v * kScale); }
  // Parses a decimal literal ("38.5", "-0.25", "1e3"); digits beyond 10^-6 are rounded half away from
  // zero. Returns nullopt for malformed text or values beyond +/- 9.2e12.
  static std::optional<Fixed> Parse(std::string_view text);
  // A binary64 read from JSON: its shortest round-trip decimal form is parsed, so 100.4 stays 100.4.
  static std::optional<Fixed> FromDouble(double v);

  constexpr std::int64_t micros() const { return micros_; }
  double ToDouble() const { return static_cast<double>(micros_) / kScale; }

  // Rounding to a number of decimals (0..6).
  Fixed RoundHalfAway(int decimals) const;
  Fixed Truncate(int decimals) const;  // towards zero
  Fixed Floor(int decimals) const;
  Fixed Ceil(int decimals) const;
  // Whole units after rounding up (vials, mL/h targets).
  std::int64_t CeilInt() const;
  std::int64_t FloorInt() const;

  // value * num / den computed exactly in 128-bit, rounded half away from zero to `decimals`.
  Fixed MulDiv(std::int64_t num, std::int64_t den, int decimals) const;
  // (this * other), rounded half away from zero to `decimals`.
  Fixed Times(Fixed other, int decimals) const;
  // (this / other), rounded half away from zero to `decimals`; other must not be zero.
  Fixed DividedBy(Fixed other, int decimals) const;

  constexpr Fixed operator+(Fixed o) const { return Fixed(micros_ + o.micros_); }
  constexpr Fixed operator-(Fixed o) const { return Fixed(micros_ - o.micros_); }
  constexpr Fixed operator-() const { return Fixed(-micros_); }
  constexpr auto operator<=>(const Fixed&) const = default;

  // Shortest decimal text: at most `max_decimals` decimals (rounded half away from zero), trailing zeros
  // and a trailing point removed, never "-0" (interfaces.md §5.1).
  std::string ToString(int max_decimals = 6) const;

 private:
  constexpr explicit Fixed(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

// Exact comparison `a * an >= b * bn` (e.g. "value >= 1.25 x baseline" is ProductAtLeast(v, 100, b, 125)).
bool ProductAtLeast(Fixed a, std::int64_t an, Fixed b, std::int64_t bn);

}  // namespace nmscds
