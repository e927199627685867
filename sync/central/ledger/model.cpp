// The ledger's vocabulary: channels, categories, return states (docs/messages.md).
#include "ledger/model.h"

#include <array>
#include <span>

namespace retour::central {

namespace {

constexpr std::array<std::string_view, 6> kChannels = {"portal",     "customer_service", "store",
                                                       "preprinted", "unannounced",      "tradein"};
constexpr std::array<std::string_view, 3> kCategories = {"electronics", "apparel", "generic"};
constexpr std::array<std::pair<ReturnState, std::string_view>, 12> kStates = {{
    {ReturnState::Requested, "requested"},
    {ReturnState::Authorised, "authorised"},
    {ReturnState::InTransit, "in_transit"},
    {ReturnState::Received, "received"},
    {ReturnState::Inspected, "inspected"},
    {ReturnState::Refunded, "refunded"},
    {ReturnState::PartiallyRefunded, "partially_refunded"},
    {ReturnState::Rejected, "rejected"},
    {ReturnState::Exchanged, "exchanged"},
    {ReturnState::Closed, "closed"},
    {ReturnState::Cancelled, "cancelled"},
    {ReturnState::Expired, "expired"},
}};

} // namespace

bool isKnownChannel(std::string_view channel)
{
    for (const std::string_view known : kChannels) {
        if (known == channel) {
            return true;
        }
    }
    return false;
}

bool isKnownCategory(std::string_view category)
{
    for (const std::string_view known : kCategories) {
        if (known == category) {
            return true;
        }
    }
    return false;
}

std::string_view toString(ReturnState state)
{
    for (const auto& [value, name] : kStates) {
        if (value == state) {
            return name;
        }
    }
    return "unknown";
}

std::span<const std::pair<ReturnState, std::string_view>> returnStates()
{
    return kStates;
}

std::optional<ReturnState> parseReturnState(std::string_view text)
{
    for (const auto& [value, name] : kStates) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace retour::central
