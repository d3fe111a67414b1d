#include "model/case.h"

namespace nmscds {

std::string_view TempRouteName(TempRoute r) {
  constexpr std::string_view kNames[] = {"",         "oral", "rectal",  "axillary",   "tympanic",
                                         "temporal", "core", "bladder", "esophageal", "unknown"};
  return kNames[static_cast<std::size_t>(r)];
}

std::string_view RigidityName(Rigidity r) {
  constexpr std::string_view kNames[] = {"", "none", "mild", "moderate", "severe", "present_ungraded"};
  return kNames[static_cast<std::size_t>(r)];
}

std::string_view MentalStatusName(MentalStatus m) {
  constexpr std::string_view kNames[] = {"", "normal", "confused", "delirious", "catatonic", "stupor", "coma"};
  return kNames[static_cast<std::size_t>(m)];
}

std::string_view BowelSoundsName(BowelSounds b) {
  constexpr std::string_view kNames[] = {"", "normal", "hyperactive", "decreased", "absent"};
  return kNames[static_cast<std::size_t>(b)];
}

std::string_view FindingName(Finding f) {
  constexpr std::string_view kNames[] = {
#define NMSCDS_NAME(e, name) name,
      NMSCDS_FINDINGS(NMSCDS_NAME)
#undef NMSCDS_NAME
  };
  return kNames[static_cast<std::size_t>(f)];
}

std::string_view CtxFlagName(CtxFlag f) {
  constexpr std::string_view kNames[] = {
#define NMSCDS_NAME(e, name) name,
      NMSCDS_CONTEXT_FLAGS(NMSCDS_NAME)
#undef NMSCDS_NAME
  };
  return kNames[static_cast<std::size_t>(f)];
}

std::string_view IvAccessName(IvAccess a) {
  constexpr std::string_view kNames[] = {"", "central", "large_bore_peripheral", "peripheral", "poor", "none"};
  return kNames[static_cast<std::size_t>(a)];
}

std::string_view MalignancyName(Malignancy m) {
  constexpr std::string_view kNames[] = {"", "solid", "hematologic", "none"};
  return kNames[static_cast<std::size_t>(m)];
}

std::string_view BurdenName(Burden b) {
  constexpr std::string_view kNames[] = {"", "none_mild", "moderate", "severe"};
  return kNames[static_cast<std::size_t>(b)];
}

std::string_view PenicillinAllergyName(PenicillinAllergy p) {
  constexpr std::string_view kNames[] = {"", "none", "non_severe", "severe"};
  return kNames[static_cast<std::size_t>(p)];
}

std::string_view LocationName(Location l) {
  constexpr std::string_view kNames[] = {"", "icu", "other"};
  return kNames[static_cast<std::size_t>(l)];
}

std::string_view SexName(Sex s) {
  constexpr std::string_view kNames[] = {"unknown", "female", "male", "other"};
  return kNames[static_cast<std::size_t>(s)];
}

}  // namespace nmscds
