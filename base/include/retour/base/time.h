#pragma once

// RFC 3339 timestamps (RFC 3339 §5.6): the one formatter and the one parser of the tree.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace retour::base {

// "2026-03-14T09:26:53.589Z": UTC, milliseconds, 24 characters. Pure.
std::string formatTimestamp(std::chrono::system_clock::time_point t);

// The current time, formatted.
std::string nowTimestamp();

enum class TimestampForm
{
    // date-time only: full-date "T" partial-time time-offset ('t' and 'z' allowed, §5.6).
    DateTime,
    // Also a full-date alone (midnight UTC) and a space for the "T" (the note of RFC 3339 §5.6
    // allows it), as people write them in files (an order export's ordered_at).
    DateTimeOrDate,
};

// nullopt for anything else (a date that does not exist, hour 24, a missing offset, trailing
// text). A leap second (:60) is accepted and read as the next second. Pure.
std::optional<std::chrono::system_clock::time_point>
parseTimestamp(std::string_view text, TimestampForm form = TimestampForm::DateTime);

} // namespace retour::base
