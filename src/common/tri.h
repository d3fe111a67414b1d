#pragma once
// Three-valued (Kleene) logic, clinical.md §0.2: unknown is never normal and never abnormal.
#include <cstdint>
#include <string_view>

namespace nmscds {

enum class Tri : std::uint8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };

constexpr Tri ToTri(bool b) { return b ? Tri::kTrue : Tri::kFalse; }
constexpr bool IsTrue(Tri t) { return t == Tri::kTrue; }
constexpr bool IsFalse(Tri t) { return t == Tri::kFalse; }
constexpr bool IsUnknown(Tri t) { return t == Tri::kUnknown; }
constexpr bool IsKnown(Tri t) { return t != Tri::kUnknown; }

constexpr Tri Not(Tri a) {
  return a == Tri::kUnknown ? Tri::kUnknown : (a == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}
constexpr Tri And(Tri a, Tri b) {
  if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
  if (a == Tri::kTrue && b == Tri::kTrue) return Tri::kTrue;
  return Tri::kUnknown;
}
constexpr Tri Or(Tri a, Tri b) {
  if (a == Tri::kTrue || b == Tri::kTrue) return Tri::kTrue;
  if (a == Tri::kFalse && b == Tri::kFalse) return Tri::kFalse;
  return Tri::kUnknown;
}
template <typename... Ts>
constexpr Tri And(Tri a, Tri b, Ts... rest) { return And(And(a, b), rest...); }
template <typename... Ts>
constexpr Tri Or(Tri a, Tri b, Ts... rest) { return Or(Or(a, b), rest...); }

// "present" / "absent" / "unknown" as used for findings and facts in the report.
constexpr std::string_view PresenceName(Tri t) {
  return t == Tri::kTrue ? "present" : (t == Tri::kFalse ? "absent" : "unknown");
}
// "met" / "not_met" / "unknown" as used for criteria.
constexpr std::string_view CriterionName(Tri t) {
  return t == Tri::kTrue ? "met" : (t == Tri::kFalse ? "not_met" : "unknown");
}

}  // namespace nmscds
