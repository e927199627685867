// The backend switch (see location.h).
#include "storage/storage.h"

#include "storage/sqlite/stores.h"

namespace retour::central {

std::optional<StorageBackend> parseStorageBackend(std::string_view name)
{
    if (name == "sqlite") {
        return StorageBackend::Sqlite;
    }
    return std::nullopt;
}

Result<std::unique_ptr<Storage>> openStorage(const StorageLocation& location, OpenMode mode)
{
    switch (location.backend) {
    case StorageBackend::Sqlite:
        return sqlite::openStorage(location.database, mode);
    }
    return fail(ErrorCode::Invalid, "unknown storage backend");
}

int latestSchemaVersion(StorageBackend backend)
{
    switch (backend) {
    case StorageBackend::Sqlite:
        return sqlite::latestSchemaVersion();
    }
    return 0;
}

} // namespace retour::central
