#pragma once

#include <cstdint>
#include <expected>
#include <string>

namespace retour::central {

// An error in a file a person wrote (the config, the RMA seed): where it is and what to do.
struct SourceError
{
    std::string file;
    std::int64_t line = 1;
    std::int64_t column = 1;
    std::string message;

    // "FILE:LINE:COL: message", the form editors and compilers use.
    std::string format() const
    {
        return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
    }
};

template <class T> using SourceResult = std::expected<T, SourceError>;

} // namespace retour::central
