#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace retour::central {

// The database central keeps everything in, chosen by `[central] storage` in the config file. A
// second backend is one more folder beside storage/sqlite/ implementing Storage (storage.h), one
// more name here and one more case in openStorage (storage.cpp).
enum class StorageBackend
{
    Sqlite, // "sqlite": a file in WAL mode, the default
};

// "sqlite" → Sqlite; nothing for a name no backend has. Pure.
std::optional<StorageBackend> parseStorageBackend(std::string_view name);

struct StorageLocation
{
    StorageBackend backend = StorageBackend::Sqlite;
    std::filesystem::path database; // sqlite: the file
};

enum class OpenMode
{
    ReadWrite, // create the database if needed and apply the pending migrations (`run`, `import`)
    Attached,  // one more connection beside a ReadWrite one (the desk, the outcomes, the delivery
               // worker): refused while the database is not migrated
    ReadOnly,  // the reporting commands and routes: never write, work while `run` writes
};

} // namespace retour::central
