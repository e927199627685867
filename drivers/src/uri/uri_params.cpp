#include "uri/uri_params.h"

namespace retour::drivers::detail {

Error uriError(const DeviceUri& uri, const std::string& what)
{
    return Error{ErrorCode::InvalidUri, "device URI '" + uri.text + "': " + what};
}

Result<void> checkParams(const DeviceUri& uri, std::initializer_list<std::string_view> known)
{
    for (const auto& [name, value] : uri.params) {
        bool ok = false;
        std::string list;
        for (const auto k : known) {
            ok = ok || name == k;
            list += list.empty() ? "" : ", ";
            list += k;
        }
        if (!ok) {
            const auto protocol = uri.param("protocol");
            const std::string kind = uri.scheme + ":" + (protocol ? " protocol=" + *protocol : "");
            return std::unexpected(
                uriError(uri, "unknown parameter '" + name + "' for " + kind +
                                  (known.size() == 0 ? " (it takes none)" : " (it takes " + list + ")")));
        }
    }
    return {};
}

Result<long> rangedParam(const DeviceUri& uri, std::string_view key, long fallback, long low, long high)
{
    auto value = uri.intParam(key, fallback);
    if (value && (*value < low || *value > high)) {
        return std::unexpected(uriError(uri, std::string(key) + "=" + std::to_string(*value) +
                                                 " is out of range " + std::to_string(low) + "-" +
                                                 std::to_string(high)));
    }
    return value;
}

} // namespace retour::drivers::detail
