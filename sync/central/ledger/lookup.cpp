// Lookups of identifiers a station does not know (MQTT v5 request/response, docs/messages.md).
#include "ledger/lookup.h"

#include "ledger/publisher.h"
#include "ledger/try.h"

#include <algorithm>
#include <optional>

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

bool allDigits(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An SSCC's 18 digits, whether written bare or with its application identifier "00" in front
// (GS1 General Specifications §3.2, AI (00)); nothing for anything else.
std::optional<std::string_view> sscc(std::string_view text)
{
    if (text.size() == 20 && text.starts_with("00") && allDigits(text)) {
        return text.substr(2);
    }
    if (text.size() == 18 && allDigits(text)) {
        return text;
    }
    return std::nullopt;
}

bool sameTracking(std::string_view stored, std::string_view asked)
{
    if (stored == asked) {
        return true;
    }
    const auto a = sscc(stored);
    const auto b = sscc(asked);
    return a && b && *a == *b;
}

} // namespace

bool answersLookups(const Return& ret)
{
    return isOpen(ret) || (ret.state == ReturnState::Requested && ret.channel == "preprinted");
}

bool matchesLookup(const Return& ret, std::string_view key, std::string_view value)
{
    const bool any = key == "any";
    if ((any || key == "label") && (ret.labelBarcode == value || ret.rmaId == value)) {
        return true;
    }
    if ((any || key == "order") && ret.orderId && *ret.orderId == value) {
        return true;
    }
    if ((any || key == "tracking") && ret.tracking && sameTracking(*ret.tracking, value)) {
        return true;
    }
    // A pre-printed number not used yet is known by its label only (nothing else about it is
    // expected at a bench until its parcel comes).
    if (ret.state == ReturnState::Requested) {
        return false;
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
        if (answersLookups(ret) && matchesLookup(ret, request.key, request.value)) {
            response.matches.push_back(rmaDocument(site, ret));
        }
    }
    return response;
}

} // namespace retour::central
