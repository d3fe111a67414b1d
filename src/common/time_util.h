#pragma once
// UTC instants at one-second resolution. The engine never reads the local time zone
// (interfaces.md §1.3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nmscds {

// Seconds since 1970-01-01T00:00:00Z.
using Instant = std::int64_t;

constexpr Instant kMinute = 60;
constexpr Instant kHour = 3600;
constexpr Instant kDay = 86400;

// Days since 1970-01-01 for a proleptic Gregorian date; nullopt for an invalid calendar date.
std::optional<std::int64_t> DaysFromCivil(int year, int month, int day);

// RFC 3339 date-time with a mandatory offset ("Z" or "+hh:mm"); fractional seconds are truncated.
// Returns nullopt for anything else, including impossible dates (2026-02-30) and seconds > 59.
std::optional<Instant> ParseDateTime(std::string_view text);
// True when the text is a date-time without a zone offset (FHIR uses this to say "time_format").
bool LooksLikeDateTimeWithoutZone(std::string_view text);
// "YYYY-MM-DD" -> midnight UTC of that day.
std::optional<Instant> ParseDate(std::string_view text);

// "YYYY-MM-DDThh:mm:ssZ".
std::string FormatDateTime(Instant t);
// "YYYY-MM-DD hh:mm".
std::string FormatDateTimeShort(Instant t);
// "hh:mm".
std::string FormatClock(Instant t);
// "YYYY-MM-DD".
std::string FormatDate(Instant t);
// Calendar day number (days since epoch) of an instant.
std::int64_t DayNumber(Instant t);

// Completed years between a birth date (midnight UTC) and t.
int AgeInYears(Instant birth_date, Instant t);

}  // namespace nmscds
