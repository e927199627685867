#include "cli/cli.h"

#include "app/station.h"
#include "cli/until_done.h"
#include "config/config.h"
#include "retour/base/time.h"
#include "retour/link/outbox.h"
#include "rules/grade_terms.h"
#include "store/counters.h"
#include "store/store.h"
#include "uplink/uplink.h"
#include "web/ui_config.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/signalfd.h>
#include <unistd.h>

namespace retour::station {

namespace {

constexpr int kConfigError = 2;

int report(const Error& error)
{
    std::cerr << "retour-station: " << error.message << "\n";
    return error.code == ErrorCode::Config || error.code == ErrorCode::Rules ? kConfigError : 1;
}

Result<std::unique_ptr<Store>> openStore(const StationConfig& config)
{
    return Store::open(config.databasePath(),
                       Store::Options{config.site, config.stationId, config.outbox.capacity, 5000});
}

// The configuration and the store a reading subcommand works on.
struct Opened
{
    StationConfig config;
    std::unique_ptr<Store> store;
};
Result<Opened> openConfigAndStore(const std::filesystem::path& configFile)
{
    auto config = loadConfig(configFile);
    if (!config) {
        return std::unexpected(config.error());
    }
    auto store = openStore(*config);
    if (!store) {
        return std::unexpected(store.error());
    }
    return Opened{std::move(*config), std::move(*store)};
}

// Seconds since an RFC 3339 UTC timestamp ("2026-11-26T11:29:56.123Z"), or -1.
double ageSeconds(const std::string& timestamp)
{
    const auto then = base::parseTimestamp(timestamp);
    if (!then) {
        return -1;
    }
    // Whole seconds, as the status has always shown them.
    using std::chrono::floor;
    using std::chrono::seconds;
    return static_cast<double>(
        (floor<seconds>(std::chrono::system_clock::now()) - floor<seconds>(*then)).count());
}

std::string orDash(const nlohmann::json& value)
{
    if (value.is_null()) {
        return "-";
    }
    return value.is_string() ? value.get<std::string>() : value.dump();
}

// "A 5, B 4" from {"A": 5, "B": 4}; "-" when empty.
std::string tallyText(const nlohmann::json& counts)
{
    std::string text;
    for (const auto& [name, n] : counts.items()) {
        if (n.is_number() && n.get<std::int64_t>() > 0) {
            text += (text.empty() ? "" : ", ") + name + " " + std::to_string(n.get<std::int64_t>());
        }
    }
    return text.empty() ? "-" : text;
}

void printCounts(const std::string& who, const nlohmann::json& c)
{
    std::ostringstream rate;
    rate << c["items_per_hour"].get<double>();
    std::cout << "  " << who << ": " << c["items"].get<std::int64_t>() << " item(s), "
              << c["parcels"].get<std::int64_t>() << " parcel(s), " << rate.str() << " items/h; grades "
              << tallyText(c["grades"]) << "; dispositions " << tallyText(c["dispositions"]) << "; flags "
              << tallyText(c["flags"]) << " (" << c["flagged"].get<std::int64_t>() << " item(s) flagged)\n";
}

// The counters of the current window (counters.h): the bench's and each operator's.
void printCountersText(const StationConfig& config, const nlohmann::json& counters)
{
    std::cout << "counters since " << counters["since"].get<std::string>()
              << " (window start; [counters] shifts)\n";
    printCounts("bench " + config.stationId, counters["bench"]);
    for (const auto& [id, counts] : counters["operators"].items()) {
        printCounts("operator " + id, counts);
    }
}

} // namespace

int printCounters(const std::filesystem::path& configFile, bool json)
{
    auto opened = openConfigAndStore(configFile);
    if (!opened) {
        return report(opened.error());
    }
    const StationConfig* config = &opened->config;
    auto* store = &opened->store;
    auto counters = readCounters(**store, config->counters, std::chrono::system_clock::now());
    if (!counters) {
        return report(counters.error());
    }
    if (json) {
        std::cout << toJson(*counters).dump(2) << "\n";
    } else {
        printCountersText(*config, toJson(*counters));
    }
    return 0;
}

int runStation(const RunArgs& command, const UiOverrides& overrides)
{
    auto config = loadConfig(command.config);
    if (!config) {
        return report(config.error());
    }
    if (overrides.listen || overrides.dir) {
        UiConfig ui = config->ui.value_or(UiConfig{});
        if (overrides.listen) {
            const auto listen = web::parseListen(*overrides.listen);
            if (!listen) {
                std::cerr << "retour-station: --ui-listen " << *overrides.listen
                          << ": expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any free port)\n";
                return kConfigError;
            }
            ui.host = listen->first;
            ui.port = listen->second;
        }
        if (overrides.dir) {
            ui.dir = std::filesystem::absolute(*overrides.dir);
        }
        config->ui = ui;
    }
    auto station = Station::create(std::move(*config));
    if (!station) {
        return report(station.error());
    }
    RunOptions options{std::nullopt, command.timeout, command.signalFd};
    if (command.exitWhenDone) {
        options.goal = untilDone();
    }
    return (*station)->run(options);
}

int syncRmas(const SyncArgs& command)
{
    auto config = loadConfig(command.config);
    if (!config) {
        return report(config.error());
    }
    if (!config->broker) {
        std::cerr << "retour-station: " << config->file.string()
                  << ": no [broker] table: add [broker] host/port/username/password to sync\n";
        return kConfigError;
    }
    auto store = openStore(*config);
    if (!store) {
        return report(store.error());
    }
    EventLoop loop;
    Uplink uplink(loop, **store,
                  Uplink::Settings{config->site, config->stationId, *config->broker, config->outbox.window,
                                   std::chrono::seconds(30)},
                  nullptr);
    int status = 1;
    auto check = [&] {
        const auto count = (*store)->rmaCount();
        if (count && *count >= command.waitRmas) {
            spdlog::info("sync: {} RMA(s) cached", *count);
            status = 0;
            loop.quit();
        }
    };
    uplink.onRmaChange(check);
    if (command.signalFd >= 0) {
        loop.addSource(EventLoop::Source{[&] { return command.signalFd; }, nullptr,
                                         [&](auto) {
                                             signalfd_siginfo info{};
                                             [[maybe_unused]] auto n =
                                                 ::read(command.signalFd, &info, sizeof info);
                                             loop.quit();
                                         }});
    }
    loop.after(command.timeout, [&] {
        const auto count = (*store)->rmaCount();
        spdlog::error("sync: timeout after {} s: {} of {} RMA(s) cached ({})", command.timeout.count(),
                      count ? *count : -1, command.waitRmas,
                      uplink.connected() ? "broker connected" : "broker unreachable");
        loop.quit();
    });
    if (auto ok = uplink.start(); !ok) {
        return report(ok.error());
    }
    loop.post(check);
    loop.run();
    uplink.stop();
    return status;
}

int printReport(const std::filesystem::path& configFile, bool json)
{
    auto opened = openConfigAndStore(configFile);
    if (!opened) {
        return report(opened.error());
    }
    const StationConfig* config = &opened->config;
    auto* store = &opened->store;
    auto parcels = (*store)->report();
    if (!parcels) {
        return report(parcels.error());
    }
    // Items taken back with CMD:UNDO stay in the report, marked void (their LPN is never reused).
    auto voided = (*store)->voidedInspections();
    if (!voided) {
        return report(voided.error());
    }
    // Each item's grade in resale terms ([rules] grade_terms).
    GradeTermTable terms;
    if (!config->gradeTermsFile.empty()) {
        auto loaded = loadGradeTerms(config->gradeTermsFile);
        if (!loaded) {
            return report(loaded.error());
        }
        terms = std::move(*loaded);
    }
    for (auto& p : *parcels) {
        for (auto& i : p["items"]) {
            if (i["grade"].is_string() && i["grade_function"].is_number_integer() &&
                i["grade_cosmetic"].is_string() && i["disposition"].is_string() &&
                !i["grade"].get<std::string>().empty() && !i["grade_cosmetic"].get<std::string>().empty()) {
                const GradeTerms t = terms.terms(
                    i["grade"].get<std::string>()[0], i["grade_function"].get<int>(),
                    i["grade_cosmetic"].get<std::string>()[0], i["disposition"].get<std::string>());
                i["grade_terms"] = {{"retailer", t.retailer},
                                    {"amazon", t.amazon},
                                    {"ebay_id", t.ebayId},
                                    {"ebay", t.ebay},
                                    {"ctia", t.ctia}};
            }
            const bool isVoid = i["inspection_id"].is_string() &&
                                std::find(voided->begin(), voided->end(),
                                          i["inspection_id"].get<std::string>()) != voided->end();
            i["voided"] = isVoid;
        }
    }
    if (json) {
        std::cout << parcels->dump(2) << "\n";
        return 0;
    }
    for (const auto& p : *parcels) {
        std::cout << "parcel " << orDash(p["parcel_id"]) << "  rma " << orDash(p["rma_id"]) << "  "
                  << orDash(p["channel"]) << "  by " << orDash(p["identified_by"]) << " \""
                  << orDash(p["scanned"]) << "\"";
        if (!p["findings"].empty()) {
            std::cout << "  findings " << p["findings"].dump();
        }
        std::cout << (p["closed_at"].is_null() ? "  (open)" : "") << "\n";
        for (const auto& i : p["items"]) {
            std::cout << "  " << orDash(i["lpn"]) << "  " << orDash(i["sku"]) << "  " << orDash(i["category"])
                      << "  weight " << orDash(i["weight"]["result"]) << "  photos " << i["photos"].dump()
                      << "  grade " << orDash(i["grade"]) << "  " << orDash(i["disposition"]) << " @ "
                      << orDash(i["location"]) << " (" << orDash(i["rule"]) << ")"
                      << (i["label_printed"].get<bool>() ? "  printed" : "  NOT PRINTED")
                      << (i["acked"].get<bool>() ? "  acked" : "  not acked");
            if (i.contains("grade_terms")) {
                const auto& t = i["grade_terms"];
                std::cout << "  [" << t["ctia"].get<std::string>();
                if (!t["amazon"].get<std::string>().empty()) {
                    std::cout << "; Amazon " << t["amazon"].get<std::string>();
                }
                if (t["ebay_id"].get<int>() != 0) {
                    std::cout << "; eBay " << t["ebay_id"].get<int>() << " " << t["ebay"].get<std::string>();
                }
                std::cout << "]";
            }
            if (i["voided"].get<bool>()) {
                std::cout << "  VOID (undone)";
            }
            if (!i["findings"].empty()) {
                std::cout << "  findings " << i["findings"].dump();
            }
            std::cout << "\n";
            for (const auto& photo : i.value("photo_quality", nlohmann::json::array())) {
                if (photo["retake_reason"].is_string()) {
                    std::cout << "    photo " << orDash(photo["view"])
                              << " RETAKE: " << photo["retake_reason"].get<std::string>() << "\n";
                }
            }
        }
    }
    std::cout << parcels->size() << " parcel(s)\n";
    auto counters = readCounters(**store, config->counters, std::chrono::system_clock::now());
    if (!counters) {
        return report(counters.error());
    }
    printCountersText(*config, toJson(*counters));
    return 0;
}

int printOutbox(const std::filesystem::path& configFile, bool json)
{
    auto opened = openConfigAndStore(configFile);
    if (!opened) {
        return report(opened.error());
    }
    auto* store = &opened->store;
    auto stats = (*store)->outbox().stats();
    if (!stats) {
        std::cerr << "retour-station: " << stats.error().message << "\n";
        return 1;
    }
    const double age = stats->oldestPendingAt ? ageSeconds(*stats->oldestPendingAt) : -1;
    const auto capacity = static_cast<std::int64_t>((*store)->outbox().capacity());
    // The same threshold as the running station's alarm (Uplink): 90 % of the capacity.
    const bool alarm = stats->pending * 10 >= capacity * 9;
    if (json) {
        nlohmann::json out = {
            {"pending", stats->pending},
            {"in_flight", stats->inFlight},
            {"not_sent", stats->pending - stats->inFlight},
            {"capacity", capacity},
            {"alarm", alarm},
            {"acknowledged", stats->acknowledged},
            {"oldest_pending_at",
             stats->oldestPendingAt ? nlohmann::json(*stats->oldestPendingAt) : nlohmann::json(nullptr)},
            {"oldest_pending_age_s", age >= 0 ? nlohmann::json(age) : nlohmann::json(nullptr)}};
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << "pending " << stats->pending << " (in flight " << stats->inFlight << ", not sent "
              << stats->pending - stats->inFlight << ")\nacknowledged " << stats->acknowledged
              << "\ncapacity " << capacity << "\n";
    if (alarm) {
        std::cout << "ALARM: the outbox is at " << (capacity > 0 ? stats->pending * 100 / capacity : 100)
                  << " % of its capacity; at 100 % the station refuses to confirm items\n";
    }
    if (stats->oldestPendingAt) {
        std::cout << "oldest pending " << *stats->oldestPendingAt << " (" << static_cast<long>(age)
                  << " s ago)\n";
    }
    return 0;
}

} // namespace retour::station
