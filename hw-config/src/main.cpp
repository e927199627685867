// retour-hw-config: the technician's tool. Find the devices of a bench, read from one, draw test
// charts for cameras, print a test label. Exit status: 0 ok, 1 device or I/O failure, 2 bad usage or
// configuration.
#include "catalogue.h"
#include "discovery.h"
#include "print_command.h"
#include "read_command.h"
#include "test_chart_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

namespace {

using namespace retour::hwconfig;

int runList(const std::string& cataloguePath, bool json)
{
    Catalogue catalogue;
    try {
        catalogue = Catalogue::load(cataloguePath.empty() ? Catalogue::defaultFile()
                                                          : std::filesystem::path(cataloguePath));
    } catch (const std::exception& e) {
        std::cerr << "retour-hw-config: " << e.what() << '\n';
        return 2;
    }
    const auto devices = discoverDevices(catalogue);
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& d : devices) {
            list.push_back({{"uri", d.uri},
                            {"kind", d.kind},
                            {"driver", d.driver},
                            {"name", d.name},
                            {"matched_by", d.matchedBy},
                            {"quirks", d.quirks},
                            {"note", d.note}});
        }
        std::cout << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return 0;
    }
    if (devices.empty()) {
        std::cout << "no devices found (USB, hidraw, input, serial, video)\n";
        return 0;
    }
    for (const auto& d : devices) {
        std::cout << d.uri << "\n    " << d.kind << (d.driver.empty() ? "" : " (" + d.driver + ")") << "  "
                  << d.name << "  [" << d.matchedBy << "]\n";
        if (!d.note.empty())
            std::cout << "    " << d.note << '\n';
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"retour-hw-config: find, read and test the devices of a Retour inspection bench"};
    app.require_subcommand(1);

    bool listJson = false;
    std::string cataloguePath;
    auto* list = app.add_subcommand("list", "Devices found on this machine and the driver each would get");
    list->add_flag("--json", listJson, "Print JSON");
    list->add_option("--catalogue", cataloguePath, "Catalogue of known models (TOML)");

    ReadRequest read;
    auto* readCmd = app.add_subcommand("read", "Open one device (by URI) and print what it sends");
    readCmd->add_option("uri", read.uri, "Device URI, e.g. usb:0922:8003 or evdev:/dev/input/by-id/…")
        ->required();
    readCmd->add_option("--count", read.count, "Stop after N readings (scans, weights, frames)");
    readCmd->add_option("--timeout", read.timeoutSeconds, "Give up after S seconds (default 10)");
    readCmd->add_flag("--json", read.json, "One JSON object per line");
    auto* zeroFlag =
        readCmd->add_flag("--zero", read.zero, "Scales: zero after the first reading (prints the answer)");
    auto* tareFlag =
        readCmd->add_flag("--tare", read.tare, "Scales: tare after the first reading (prints the answer)");
    readCmd->add_flag("--clear-tare", read.clearTare, "Scales: clear the tare after the first reading")
        ->excludes(zeroFlag)
        ->excludes(tareFlag);
    zeroFlag->excludes(tareFlag);

    PrintRequest print;
    auto* printCmd = app.add_subcommand("print", "Check a label printer's status, send a ZPL file, report");
    printCmd
        ->add_option("uri", print.uri,
                     "Printer URI, e.g. tcp:192.0.2.10:9100?protocol=zpl, usb:0a5f:0141, "
                     "usblp:/dev/usb/lp0")
        ->required();
    printCmd->add_option("file", print.file, "ZPL file to print")->required();
    printCmd->add_option("--job-id", print.jobId, "Job id (default: the file name)");
    printCmd->add_flag("--json", print.json, "JSON lines");

    TestChartRequest chart;
    auto* chartCmd = app.add_subcommand("test-chart", "Draw a chart of barcodes for camera tests");
    chartCmd->add_option("--out", chart.out, "Image file to write (PNG)")->required();
    chartCmd->add_option("--code", chart.codes, "TEXT or TEXT:FORMAT (EAN-13, Code 128, QR Code, …)")
        ->required();
    chartCmd->add_option("--caption", chart.caption, "Text printed above the codes");
    chartCmd->add_option("--width", chart.width, "Width in pixels (default 1280)");
    chartCmd->add_option("--height", chart.height, "Height in pixels (default 720)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e);
        return status == 0 ? 0 : 2;
    }
    if (*list)
        return runList(cataloguePath, listJson);
    if (*readCmd)
        return runRead(read, std::cout, std::cerr);
    if (*printCmd)
        return runPrint(print, std::cout, std::cerr);
    return runTestChart(chart, std::cout, std::cerr);
}
