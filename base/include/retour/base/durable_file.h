#pragma once

// Files that survive a crash or a power cut whole or not at all.

#include "retour/base/error.h"

#include <filesystem>
#include <span>
#include <string_view>

namespace retour::base {

// Create dir (and its parents) and make the new directory entries durable (fsync of each parent
// whose content changed). An Io error naming the directory otherwise. Thread contract: reentrant.
Result<void> makeDurableDirectory(const std::filesystem::path& dir);

// Write bytes to `file` so that its name only ever refers to complete content: a temporary file in
// the same directory (mkstemp), write, fsync, chmod 0644, rename over the name, fsync the
// directory. The temporary file is removed on failure. An Io error naming the path and strerror
// otherwise (code: errno). Thread contract: reentrant (concurrent writers of one name: the last
// rename wins, each content whole).
Result<void> writeFileDurably(const std::filesystem::path& file, std::span<const unsigned char> bytes);
Result<void> writeFileDurably(const std::filesystem::path& file, std::string_view bytes);

} // namespace retour::base
