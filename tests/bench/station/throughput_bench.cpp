// Throughput benchmark of a bench (issue "Throughput"): a real retour-station (offline bench, its
// operator UI on an ephemeral port, a simulated MT-SICS scale on TCP, an image-sequence camera, the
// sim printer) replays full items with the physical delays recorded in item_delays.toml, and the
// benchmark, acting as the operator, watches the screen through the UI's Server-Sent Events.
//
// For every operator action the operator is ready at (previous action + its physical delay); the
// station is ready when the screen shows the state that action needs. What the operator waits
// beyond the physical delays is max(0, station ready − operator ready), summed per item; the label
// adds the time from CMD:CONFIRM until the printer has the job (its own printing time is physical).
// Also printed: operator actions per item, and device event → screen latency (a scale reading
// written on the TCP socket until the SSE snapshot showing it arrives) p50/p99 against 100 ms.
//
// Prints figures and ratios; never fails on timing, only when the flow breaks.
#include "config/config.h"
#include "store/store.h"
#include "tests/support/child_process.h"
#include "tests/support/net.h"
#include "tests/support/site/site_config.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"
#include "workflow/rma.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <httplib.h>
#include <iostream>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <toml++/toml.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;
using retour::test::ChildProcess;

[[noreturn]] void die(const std::string& what)
{
    std::cerr << "station throughput bench: " << what << "\n";
    std::exit(1);
}

// ---- the recorded physical delays ----

struct Delays
{
    double scanLabel = 900, close = 400;
    double scan = 1200, place = 700, settle = 600, check = 600, grade = 1500, confirm = 400, print = 800,
           peel = 500;
    int settleReadings = 5;
};

Delays loadDelays(const fs::path& file, double scale)
{
    toml::table t;
    try {
        t = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        die(file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
            std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    }
    Delays d;
    auto ms = [&](const char* table, const char* key, double& out) {
        if (auto v = t[table][key].value<double>()) {
            out = *v;
        }
        out *= scale;
    };
    ms("parcel", "scan_label_ms", d.scanLabel);
    ms("parcel", "close_ms", d.close);
    ms("item", "scan_ms", d.scan);
    ms("item", "place_ms", d.place);
    ms("item", "settle_ms", d.settle);
    ms("item", "check_ms", d.check);
    ms("item", "grade_ms", d.grade);
    ms("item", "confirm_ms", d.confirm);
    ms("item", "print_ms", d.print);
    ms("item", "peel_ms", d.peel);
    d.settleReadings = t["item"]["settle_readings"].value_or(5);
    return d;
}

Clock::time_point after(Clock::time_point t, double ms)
{
    return t + std::chrono::duration_cast<Clock::duration>(Ms(ms));
}

// ---- a Mettler Toledo MT-SICS scale on TCP (docs/protocols/serial-scales.md §1) ----

// Answers @ with its identity, S / SI with the current reading and SIR by streaming every 100 ms;
// set() also writes the new reading at once and returns when it went out (the device event).
//
// Thread contract: set() from one thread; its own threads serve the station.
class SimScale
{
public:
    SimScale()
    {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listener_, 4) != 0) {
            die(std::string("sim scale: cannot listen: ") + std::strerror(errno));
        }
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        accept_ = std::thread([this] { serve(); });
        stream_ = std::thread([this] {
            while (!stop_) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                std::lock_guard lock(mutex_);
                if (streaming_) {
                    writeLocked(reading());
                }
            }
        });
    }

    ~SimScale()
    {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        {
            std::lock_guard lock(mutex_);
            if (client_ >= 0) {
                ::shutdown(client_, SHUT_RDWR);
            }
        }
        accept_.join();
        stream_.join();
    }

    int port() const { return port_; }

    Clock::time_point set(double grams, bool stable)
    {
        std::lock_guard lock(mutex_);
        grams_ = grams;
        stable_ = stable;
        writeLocked(reading());
        return Clock::now();
    }

private:
    std::string reading() const
    {
        char line[64];
        std::snprintf(line, sizeof line, "S %c %10.2f g\r\n", stable_ ? 'S' : 'D', grams_);
        return line;
    }

    void writeLocked(const std::string& text)
    {
        if (client_ >= 0) {
            (void)!::send(client_, text.data(), text.size(), MSG_NOSIGNAL);
        }
    }

    void serve()
    {
        while (!stop_) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) {
                return;
            }
            {
                std::lock_guard lock(mutex_);
                client_ = fd;
                streaming_ = false;
            }
            std::string buffer;
            char chunk[256];
            for (;;) {
                const auto n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0) {
                    break;
                }
                buffer.append(chunk, static_cast<std::size_t>(n));
                for (auto end = buffer.find("\r\n"); end != std::string::npos; end = buffer.find("\r\n")) {
                    const std::string command = buffer.substr(0, end);
                    buffer.erase(0, end + 2);
                    std::lock_guard lock(mutex_);
                    if (command == "@") {
                        writeLocked("I4 A \"SIM0001\"\r\n");
                    } else if (command == "SIR") {
                        streaming_ = true;
                    } else if (command == "S" || command == "SI") {
                        writeLocked(reading());
                    } else {
                        writeLocked("ES\r\n");
                    }
                }
            }
            std::lock_guard lock(mutex_);
            ::close(fd);
            client_ = -1;
            streaming_ = false;
        }
    }

    int listener_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    int client_ = -1;
    bool streaming_ = false;
    double grams_ = 0;
    bool stable_ = true;
    std::atomic<bool> stop_{false};
    std::thread accept_;
    std::thread stream_;
};

// ---- the screen, as the UI's Server-Sent Events deliver it ----

// Every snapshot with the time it arrived.
//
// Thread contract: thread-safe (the SSE thread appends, the operator thread reads).
class Screen
{
public:
    struct Seen
    {
        Clock::time_point at;
        nlohmann::json state;
    };

    void add(nlohmann::json state)
    {
        {
            std::lock_guard lock(mutex_);
            seen_.push_back({Clock::now(), std::move(state)});
        }
        changed_.notify_all();
    }

    std::size_t size() const
    {
        std::lock_guard lock(mutex_);
        return seen_.size();
    }

    // When the first snapshot from index `from` on satisfying `shows` arrived.
    Clock::time_point waitFor(std::size_t from, const std::function<bool(const nlohmann::json&)>& shows,
                              const std::string& what) const
    {
        std::unique_lock lock(mutex_);
        std::size_t next = from;
        const auto deadline = Clock::now() + std::chrono::seconds(15);
        for (;;) {
            for (; next < seen_.size(); ++next) {
                if (shows(seen_[next].state)) {
                    return seen_[next].at;
                }
            }
            if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
                die("the screen never showed " + what +
                    "; last snapshot: " + (seen_.empty() ? std::string("none") : seen_.back().state.dump()));
            }
        }
    }

    std::vector<Seen> all() const
    {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<Seen> seen_;
};

void followEvents(int port, Screen& screen, const std::atomic<bool>& stop)
{
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    std::string buffer;
    client.Get("/events", [&](const char* data, std::size_t length) {
        buffer.append(data, length);
        for (auto end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
            const std::string event = buffer.substr(0, end);
            buffer.erase(0, end + 2);
            for (std::size_t at = 0; at < event.size();) {
                auto eol = event.find('\n', at);
                if (eol == std::string::npos) {
                    eol = event.size();
                }
                if (event.compare(at, 6, "data: ") == 0) {
                    auto json = nlohmann::json::parse(event.substr(at + 6, eol - at - 6), nullptr, false);
                    if (!json.is_discarded()) {
                        screen.add(std::move(json));
                    }
                }
                at = eol + 1;
            }
        }
        return !stop;
    });
}

bool inState(const nlohmann::json& s, const char* state)
{
    return s.value("state", "") == state;
}

std::size_t countFiles(const fs::path& dir)
{
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        n += it->is_regular_file() ? 1 : 0;
    }
    return n;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

// GTIN-13 of item i: 12 digits and the GS1 check digit (the station rejects a wrong one).
std::string gtin(int i)
{
    std::string digits = "400638131" + std::to_string(100 + i);
    int sum = 0;
    for (std::size_t k = 0; k < digits.size(); ++k) {
        sum += (digits[k] - '0') * (k % 2 == 0 ? 1 : 3);
    }
    return digits + std::to_string((10 - sum % 10) % 10);
}

} // namespace

int main(int argc, char** argv)
{
    int items = 2;
    double timeScale = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--items") {
            items = std::clamp(std::atoi(argv[i + 1]), 1, 50);
        } else if (flag == "--time-scale") {
            timeScale = std::clamp(std::atof(argv[i + 1]), 0.05, 10.0);
        } else {
            die("usage: " + std::string(argv[0]) + " [--items N] [--time-scale F]");
        }
    }
    const Delays d = loadDelays(RETOUR_ITEM_DELAYS, timeScale);

    retour::test::TempDir dir("retour-bench-station");
    SimScale scale;
    fs::create_directories(dir / "labels");
    ChildProcess chart(ChildProcess::Options{
        {RETOUR_HWCONFIG_BIN, "test-chart", "--out", (dir / "frame_001.png").string(), "--code", "LPN-BENCH"},
        "/dev/null",
        dir / "chart.err",
        false,
        {}});
    if (auto exit = chart.wait(std::chrono::seconds(30)); !exit || exit->code != 0) {
        die("retour-hw-config test-chart failed");
    }
    const fs::path config = dir / "station.toml";
    retour::test::StationConfig bench;
    bench.site = "bench-site";
    bench.operatorId = "op-bench";
    bench.scale = "tcp:127.0.0.1:" + std::to_string(scale.port()) + "?protocol=mt-sics";
    bench.printer = retour::test::simPrinter(dir / "labels");
    bench.camera = retour::test::fileCamera(dir / "frame_%03d.png");
    bench.checklists = true;
    bench.uiListen = "127.0.0.1:0";
    retour::test::writeFile(config, bench.toml());

    // The return the parcel announces, in the station's RMA cache (as central's downlink leaves it).
    {
        auto c = retour::station::loadConfig(config);
        if (!c) {
            die(c.error().message);
        }
        fs::create_directories(c->dataDir);
        auto store = retour::station::Store::open(c->databasePath(), {c->site, c->stationId, 100000, 5000});
        if (!store) {
            die(store.error().message);
        }
        retour::station::Rma rma;
        rma.rmaId = "RMA-BENCH";
        rma.site = "bench-site";
        rma.channel = "portal";
        rma.state = "authorized";
        rma.orderId = "SO-BENCH";
        rma.customer = "Bench Customer";
        rma.labelBarcode = "RMA-BENCH";
        for (int i = 0; i < items; ++i) {
            retour::station::RmaLine line;
            line.lineId = std::to_string(i + 1);
            line.sku = "HEAD-BT-" + std::to_string(200 + i);
            line.gtin = gtin(i);
            line.description = "Headphones " + std::to_string(i + 1);
            line.category = "electronics";
            line.unitPrice = 129.9;
            line.expectedWeightG = 500 + 10 * i;
            line.reason = "does_not_fit";
            rma.lines.push_back(line);
        }
        if (auto ok = (*store)->putRma(rma); !ok) {
            die(ok.error().message);
        }
    }

    ChildProcess station(ChildProcess::Options{
        {RETOUR_STATION_BIN, "run", "--config", config.string(), "--ui-dir", RETOUR_UI_DIR},
        "/dev/null",
        dir / "station.log",
        false,
        {}});
    int port = 0;
    const std::regex url("ui: operator UI at http://127\\.0\\.0\\.1:([0-9]+)/");
    if (!retour::test::waitUntil(
            [&] {
                std::ifstream in(dir / "station.log");
                const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                std::smatch m;
                if (std::regex_search(log, m, url)) {
                    port = std::stoi(m[1]);
                    return true;
                }
                return false;
            },
            std::chrono::seconds(20))) {
        std::ifstream in(dir / "station.log");
        die("retour-station did not serve its UI; its log:\n" +
            std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }

    Screen screen;
    std::atomic<bool> stopEvents{false};
    std::thread events([&] { followEvents(port, screen, stopEvents); });
    httplib::Client actions("127.0.0.1", port);
    int actionCount = 0;
    auto post = [&](const std::string& text) {
        ++actionCount;
        auto res = actions.Post("/api/scan", nlohmann::json{{"text", text}}.dump(), "application/json");
        if (!res || res->status != 202) {
            die("POST /api/scan " + text + " failed");
        }
    };
    screen.waitFor(
        0,
        [](const nlohmann::json& s) {
            return s.contains("devices") && s["devices"].value("scale", "") == "online" && inState(s, "idle");
        },
        "the scale online");

    // The weight readings written (device events) and when: matched against the screen afterwards.
    struct Written
    {
        Clock::time_point at;
        double grams;
        bool stable;
    };
    std::vector<Written> written;
    auto weigh = [&](double grams, bool stable) {
        written.push_back({scale.set(grams, stable), grams, stable});
    };

    // The operator: waits for their own physical delay and for the screen, then acts.
    Clock::time_point operatorFree = Clock::now();
    struct Step
    {
        const char* name;
        double waitMs = 0;
    };
    std::vector<std::vector<Step>> perItem;
    double parcelWaitMs = 0;
    auto act = [&](Clock::time_point ready, double delayMs) {
        const auto want = after(operatorFree, delayMs);
        const double waited = std::max(0.0, Ms(ready - want).count());
        std::this_thread::sleep_until(std::max(want, ready));
        operatorFree = Clock::now();
        return waited;
    };

    std::size_t from = screen.size();
    parcelWaitMs += act(screen.waitFor(
                            0, [](const auto& s) { return inState(s, "idle"); }, "idle"),
                        d.scanLabel);
    post("RMA-BENCH");
    for (int i = 0; i < items; ++i) {
        std::vector<Step> steps;
        auto ready = screen.waitFor(
            from, [](const auto& s) { return inState(s, "parcel_open"); }, "parcel_open");
        steps.push_back({"scan", act(ready, d.scan)});
        from = screen.size();
        post(gtin(i));
        ready = screen.waitFor(
            from, [](const auto& s) { return inState(s, "await_weight"); }, "await_weight");
        steps.push_back({"weigh", act(ready, d.place)});
        const double grams = 500 + 10 * i;
        for (int r = 1; r <= d.settleReadings; ++r) {
            weigh(grams * (0.6 + 0.4 * r / (d.settleReadings + 1)) + 0.37 * r, false);
            std::this_thread::sleep_for(Ms(d.settle / (d.settleReadings + 1)));
        }
        from = screen.size();
        weigh(grams, true);
        operatorFree = Clock::now();
        for (const char* answer : {"CMD:CHECK:powers_on:YES", "CMD:CHECK:activation_lock:NO"}) {
            ready = screen.waitFor(
                from,
                [](const auto& s) {
                    return inState(s, "await_grade") && s["item"].is_object() &&
                           !s["item"]["checklist"].empty();
                },
                "the checklist");
            steps.push_back({"check", act(ready, d.check)});
            from = screen.size();
            post(answer);
        }
        ready = screen.waitFor(
            from,
            [](const auto& s) {
                return inState(s, "await_grade") && s["item"]["unanswered_required"].empty();
            },
            "the checklist answered");
        steps.push_back({"grade", act(ready, d.grade)});
        from = screen.size();
        post("CMD:GRADE:0:A");
        ready = screen.waitFor(
            from, [](const auto& s) { return inState(s, "graded"); }, "graded");
        steps.push_back({"confirm", act(ready, d.confirm)});
        const std::size_t labels = countFiles(dir / "labels");
        const auto confirmedAt = Clock::now();
        from = screen.size();
        post("CMD:CONFIRM");
        if (!retour::test::waitUntil([&] { return countFiles(dir / "labels") > labels; },
                                     std::chrono::seconds(15), std::chrono::milliseconds(1))) {
            die("no label printed for item " + std::to_string(i + 1));
        }
        const auto printedAt = Clock::now();
        steps.push_back({"label", Ms(printedAt - confirmedAt).count()});
        // The printer prints, the operator takes the item off the platter and labels it.
        std::this_thread::sleep_until(after(printedAt, d.print));
        weigh(0, true);
        std::this_thread::sleep_until(after(printedAt, d.print + d.peel));
        operatorFree = Clock::now();
        perItem.push_back(std::move(steps));
    }
    parcelWaitMs += act(screen.waitFor(
                            from, [](const auto& s) { return inState(s, "parcel_open"); }, "parcel_open"),
                        d.close);
    from = screen.size();
    post("CMD:CLOSE");
    screen.waitFor(
        from, [](const auto& s) { return inState(s, "idle"); }, "idle after closing");

    // More device events for the latency figure: the platter loaded and emptied repeatedly.
    for (int r = 0; r < 60; ++r) {
        weigh(r % 2 == 0 ? 100.0 + r : 0.0, r % 3 != 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    station.kill(SIGTERM);
    station.wait(std::chrono::seconds(10));
    stopEvents = true;
    events.join();

    // Device event → screen: the first snapshot after the write showing that reading.
    const auto seen = screen.all();
    std::vector<double> latencies;
    int unseen = 0;
    for (const auto& w : written) {
        auto it = std::find_if(seen.begin(), seen.end(), [&](const Screen::Seen& s) {
            const auto& weight = s.state["weight"];
            return s.at >= w.at && weight.is_object() &&
                   std::abs(weight.value("grams", -1.0) - w.grams) < 0.005 &&
                   weight.value("stable", !w.stable) == w.stable;
        });
        if (it == seen.end()) {
            ++unseen;
        } else {
            latencies.push_back(Ms(it->at - w.at).count());
        }
    }

    double totalWait = 0;
    std::map<std::string, double> byStep;
    for (const auto& steps : perItem) {
        for (const auto& step : steps) {
            totalWait += step.waitMs;
            byStep[step.name] += step.waitMs;
        }
    }
    const double perItemWait = (totalWait + parcelWaitMs) / items / 1000.0;
    std::printf("station throughput: %d item(s) in one parcel, physical delays x%.2f (%s)\n", items,
                timeScale, RETOUR_ITEM_DELAYS);
    std::printf("software-added wait per item: %.3f s (target < 0.5 s) ratio=%.3f\n", perItemWait,
                perItemWait / 0.5);
    std::printf("  per step and item:");
    for (const auto& [name, ms] : byStep) {
        std::printf(" %s %.1f ms", name.c_str(), ms / items);
    }
    std::printf("; parcel (label scan, close) %.1f ms\n", parcelWaitMs / items);
    std::printf("operator actions per item: %.1f (%d scans/commands for %d item(s), the parcel's included)\n",
                static_cast<double>(actionCount) / items, actionCount, items);
    const double p50 = percentile(latencies, 0.50);
    const double p99 = percentile(latencies, 0.99);
    std::printf(
        "device event -> screen (SSE) latency: p50 %.1f ms, p99 %.1f ms over %zu scale readings (%d not "
        "shown) (target 100 ms) ratio_p50=%.3f ratio_p99=%.3f\n",
        p50, p99, latencies.size(), unseen, p50 / 100.0, p99 / 100.0);
    return latencies.empty() ? 1 : 0;
}
