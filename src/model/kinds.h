#pragma once
// Observation kinds of the native case format (interfaces.md §2.3). The knowledge base gives each its
// LOINC codes, units, conversions, precision and plausible range.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nmscds {

#define NMSCDS_OBS_KINDS(X)                            \
  X(kTemperature, "temperature")                       \
  X(kHeartRate, "heart_rate")                          \
  X(kSystolicBp, "systolic_bp")                        \
  X(kDiastolicBp, "diastolic_bp")                      \
  X(kRespiratoryRate, "respiratory_rate")              \
  X(kAlt, "alt")                                       \
  X(kAst, "ast")                                       \
  X(kBilirubinTotal, "bilirubin_total")                \
  X(kAlkalinePhosphatase, "alkaline_phosphatase")      \
  X(kCk, "ck")                                         \
  X(kWbc, "wbc")                                       \
  X(kAnc, "anc")                                       \
  X(kMonocytes, "monocytes")                           \
  X(kPlatelets, "platelets")                           \
  X(kCreatinine, "creatinine")                         \
  X(kPotassium, "potassium")                           \
  X(kMyoglobin, "myoglobin")                           \
  X(kInr, "inr")                                       \
  X(kGlucose, "glucose")                               \
  X(kGcs, "gcs")                                       \
  X(kWeight, "weight")                                 \
  X(kHeight, "height")

enum class ObsKind : std::uint8_t {
#define NMSCDS_ENUM(e, name) e,
  NMSCDS_OBS_KINDS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
};

inline constexpr std::size_t kObsKindCount = 0
#define NMSCDS_COUNT(e, name) +1
    NMSCDS_OBS_KINDS(NMSCDS_COUNT)
#undef NMSCDS_COUNT
    ;

constexpr std::string_view ObsKindName(ObsKind k) {
  constexpr std::string_view kNames[] = {
#define NMSCDS_NAME(e, name) name,
      NMSCDS_OBS_KINDS(NMSCDS_NAME)
#undef NMSCDS_NAME
  };
  return kNames[static_cast<std::size_t>(k)];
}

}  // namespace nmscds
