#pragma once
// Name-based UUIDs (RFC 4122 version 5, SHA-1) for CDS Hooks cards and suggestions (interfaces.md §8.10):
// the same request yields the same uuids; a new hookInstance yields new ones.
#include <string>
#include <string_view>

namespace nmscds {

// The nmscds card namespace 11e3a780-dad0-42d5-a92d-6a09987451ed.
inline constexpr std::string_view kCardUuidNamespace = "11e3a780-dad0-42d5-a92d-6a09987451ed";

// Lower-case canonical text ("xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx") of the v5 UUID of `name` in
// `namespace_uuid` (canonical text form; must be valid, callers pass constants).
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);

}  // namespace nmscds
