// Lookups of identifiers a station does not know (MQTT v5 request/response, docs/messages.md).
#include "retour/central/lookup.h"

#include "retour/central/publisher.h"
#include "try.h"

#include <algorithm>

namespace retour::central {

namespace {

std::string_view withoutLeadingZeros(std::string_view digits)
{
    const auto first = digits.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : digits.substr(first);
}

bool sameGtin(std::string_view a, std::string_view b)
{
    const auto isDigits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return isDigits(a) && isDigits(b) && withoutLeadingZeros(a) == withoutLeadingZeros(b);
}

} // namespace

bool matchesLookup(const Return& ret, std::string_view key, std::string_view value)
{
    const bool any = key == "any";
    if ((any || key == "label") && (ret.labelBarcode == value || ret.rmaId == value)) {
        return true;
    }
    if ((any || key == "order") && ret.orderId && *ret.orderId == value) {
        return true;
    }
    if ((any || key == "tracking") && ret.tracking && *ret.tracking == value) {
        return true;
    }
    for (const ReturnLine& line : ret.lines) {
        if ((any || key == "gtin") && line.gtin && sameGtin(*line.gtin, value)) {
            return true;
        }
        if ((any || key == "serial") &&
            std::find(line.serials.begin(), line.serials.end(), value) != line.serials.end()) {
            return true;
        }
    }
    return false;
}

Result<sync::LookupResponse> answerLookup(Store& store, std::string_view site,
                                          const sync::LookupRequest& request, std::size_t limit)
{
    // A scan of the site's ledger: lookups are rare (an unknown scan at a bench) and a site holds
    // thousands of open returns, not millions; an indexed query belongs to the Store when it must.
    CENTRAL_TRY_ASSIGN(all, store.returns());
    sync::LookupResponse response;
    response.requestId = request.requestId;
    for (const Return& ret : all) {
        if (response.matches.size() >= limit) {
            break;
        }
        if (isOpen(ret) && matchesLookup(ret, request.key, request.value)) {
            response.matches.push_back(rmaDocument(site, ret));
        }
    }
    return response;
}

} // namespace retour::central
