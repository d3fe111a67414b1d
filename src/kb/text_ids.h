#pragma once
// Every text template the engine uses, with the placeholders it supplies. kb/texts.json must hold an
// entry for each id; `kb verify` checks that each template uses only the listed placeholders.
//
// NMSCDS_TEXT_IDS(X): X(enum name, "id in texts.json", "space-separated placeholders")
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nmscds {

#define NMSCDS_TEXT_IDS(X)                                                         \
  X(kLabelStageI, "label.woodbury.I", "")                                          \
  X(kLabelStageII, "label.woodbury.II", "")

enum class TextId : std::uint16_t {
#define NMSCDS_ENUM(e, id, placeholders) e,
  NMSCDS_TEXT_IDS(NMSCDS_ENUM)
#undef NMSCDS_ENUM
};

struct TextSpec {
  std::string_view id;
  std::string_view placeholders;  // space-separated names
};

inline constexpr TextSpec kTextSpecs[] = {
#define NMSCDS_SPEC(e, id, placeholders) {id, placeholders},
    NMSCDS_TEXT_IDS(NMSCDS_SPEC)
#undef NMSCDS_SPEC
};

inline constexpr std::size_t kTextIdCount = sizeof(kTextSpecs) / sizeof(kTextSpecs[0]);

}  // namespace nmscds
