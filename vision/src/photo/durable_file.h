#pragma once

#include "retour/vision/error.h"

#include <filesystem>
#include <span>
#include <string>

namespace retour::vision {

// Create dir (and its parents) and make the new directory entries durable (fsync of each parent
// whose content changed). Io error naming the directory otherwise.
Result<void> makeDurableDirectory(const std::filesystem::path& dir);

// Write bytes to dir/name so that the name only ever refers to complete content: a temporary file
// in the same directory (mkstemp), write, fsync, chmod 0644, rename over the name, fsync the
// directory. The temporary file is removed on failure. Io error naming the path and strerror.
Result<void> writeFileDurably(const std::filesystem::path& dir, const std::string& name,
                              std::span<const unsigned char> bytes);

// SHA-256 (hex) of a file's content, or "" when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

} // namespace retour::vision
