#pragma once

#include "app/error.h"
#include "web/barcode_sheet.h"
#include "web/snapshot_hub.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace retour::station::web {

struct WebSettings
{
    std::string host = "127.0.0.1";
    int port = 8080;                // 0: an ephemeral port, see WebServer::port()
    std::filesystem::path uiDir;    // the static pages (station/ui)
    std::filesystem::path photoDir; // the photo store (vision::PhotoStore layout)
    // The command sheet (/api/commands, /sheet): every command the rules in force accept; UiBridge
    // fills it from barcodeSheet(rules).
    std::vector<BarcodeSheetEntry> commands;
};

// The operator UI's HTTP side: static pages, GET /api/state, Server-Sent Events at /events, the
// operator's actions (POST /api/action, /api/scan) and photo thumbnails by hash.
//
// Thread contract: start() and stop() from one thread (the station's main/loop thread). The HTTP
// threads never touch domain state: they read the SnapshotHub and hand operator input to
// `submit`, which must be thread-safe (the station posts it into its event loop).
class WebServer
{
public:
    // text: a scan or a command barcode's string, exactly as the scanner would deliver it;
    // source: "ui-action" or "ui-scan".
    using Submit = std::function<void(std::string text, std::string source)>;

    WebServer(WebSettings settings, SnapshotHub& hub, Submit submit);
    ~WebServer();
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    // Bind and serve on a thread. Errors: ErrorCode::Config (address in use, bad address, no UI
    // folder).
    Result<void> start();
    void stop();
    int port() const { return port_; }
    std::string url() const;

private:
    void routes();

    WebSettings settings_;
    SnapshotHub& hub_;
    Submit submit_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

// Input checks shared by the routes (pure, unit-tested).
// A command string as the UI may send it: "CMD:" then 1-60 of [A-Za-z0-9:_-] (workflow/operator_input.h:
// keywords, codes and reasons).
bool validCommand(std::string_view command);
// A typed code: 1-512 bytes, no control characters except GS (0x1D, the GS1 separator).
bool validScanText(std::string_view text);
// A photo's content hash: 64 lowercase hex digits.
bool validPhotoHash(std::string_view hash);

} // namespace retour::station::web
