// `retour-central stock|refunds|report` (see commands.h).
#include "reports/commands.h"

#include "reports/reports.h"
#include "reports/routes.h"
#include "stock/stock.h"

#include <cstdio>
#include <iostream>

namespace retour::central {

namespace {

constexpr int kExitFailure = 1;

int failed(const Error& error)
{
    std::cerr << "retour-central: " << error.message << '\n';
    return kExitFailure;
}

std::string padded(std::string text, std::size_t width)
{
    text.resize(std::max(text.size(), width), ' ');
    return text;
}

} // namespace

int stockCommand(const Config& config, std::string_view action, std::string_view since, bool json)
{
    auto storage = openStorage(config.storage(), OpenMode::ReadOnly);
    if (!storage) {
        return failed(storage.error());
    }
    if (action == "export") {
        auto movements = (*storage)->stock().movements(since);
        if (!movements) {
            return failed(movements.error());
        }
        std::cout << movementsCsv(*movements);
        return 0;
    }
    auto levels = (*storage)->stock().levels();
    if (!levels) {
        return failed(levels.error());
    }
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const StockLevel& level : *levels) {
            out.push_back({{"sku", level.sku},
                           {"location", level.location},
                           {"condition", level.condition},
                           {"quantity", level.quantity}});
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::cout << padded("SKU", 20) << padded("LOCATION", 20) << padded("CONDITION", 14) << "QUANTITY\n";
    for (const StockLevel& level : *levels) {
        std::cout << padded(level.sku, 20) << padded(level.location, 20) << padded(level.condition, 14)
                  << level.quantity << '\n';
    }
    return 0;
}

int refundsCommand(const Config& config, bool json)
{
    auto storage = openStorage(config.storage(), OpenMode::ReadOnly);
    if (!storage) {
        return failed(storage.error());
    }
    auto list = refundsList((*storage)->refunds());
    if (!list) {
        return failed(list.error());
    }
    if (json) {
        std::cout << list->dump(2) << '\n';
        return 0;
    }
    std::cout << padded("RMA", 14) << padded("STATE", 11) << padded("TRIGGER", 14) << padded("AMOUNT", 14)
              << "REASON\n";
    for (const nlohmann::json& refund : *list) {
        const std::int64_t cents = refund.at("amount_cents").get<std::int64_t>();
        char amount[48];
        std::snprintf(amount, sizeof amount, "%lld.%02lld %s", static_cast<long long>(cents / 100),
                      static_cast<long long>(cents % 100), refund.at("currency").get<std::string>().c_str());
        std::cout << padded(refund.at("rma_id").get<std::string>(), 14)
                  << padded(refund.at("state").get<std::string>(), 11)
                  << padded(refund.at("trigger").get<std::string>(), 14) << padded(amount, 14)
                  << (refund.at("reason").is_string() ? refund.at("reason").get<std::string>() : "") << '\n';
    }
    return 0;
}

int reportCommand(const Config& config, std::string_view since, bool csv)
{
    auto storage = openStorage(config.storage(), OpenMode::ReadOnly);
    if (!storage) {
        return failed(storage.error());
    }
    auto report = returnsReports((*storage)->reports(), since);
    if (!report) {
        return failed(report.error());
    }
    if (csv) {
        std::cout << reportsCsv(*report);
    } else {
        std::cout << report->dump(2) << '\n';
    }
    return 0;
}

} // namespace retour::central
