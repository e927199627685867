#include "web/web_server.h"

#include "workflow/operator_input.h"

#include <algorithm>
#include <fstream>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sstream>

namespace retour::station::web {

namespace {

// Request bodies are a command or a typed code: anything larger is refused (413) unread.
constexpr std::size_t kMaxBody = 16 * 1024;
// SSE: a comment this often so a vanished browser is noticed and proxies keep the stream open.
constexpr std::chrono::seconds kKeepAlive{10};
// HTTP worker threads: each open /events stream holds one.
constexpr std::size_t kThreads = 16;

void replyError(httplib::Response& res, int status, const std::string& message)
{
    res.status = status;
    res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

std::optional<std::string> readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
}

// The JSON body's string member `key`, or a 400 reply naming what is wrong.
std::optional<std::string> stringMember(const httplib::Request& req, httplib::Response& res, const char* key)
{
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
        replyError(res, 400, "the request body is not JSON");
        return std::nullopt;
    }
    if (!body.is_object() || !body.contains(key) || !body[key].is_string()) {
        replyError(res, 400, std::string("expected a JSON object with a string \"") + key + "\"");
        return std::nullopt;
    }
    return body[key].get<std::string>();
}

std::string sseEvent(const SnapshotHub::Snapshot& snapshot)
{
    return "id: " + std::to_string(snapshot.version) + "\nevent: state\ndata: " + *snapshot.json + "\n\n";
}

} // namespace

bool validCommand(std::string_view command)
{
    if (!command.starts_with("CMD:") || command.size() <= 4 || command.size() > 64) {
        return false;
    }
    return std::all_of(command.begin() + 4, command.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' ||
               c == '_' || c == '-';
    });
}

bool validScanText(std::string_view text)
{
    if (text.empty() || text.size() > 512) {
        return false;
    }
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != 0x1D) || u == 0x7F;
    });
}

bool validPhotoHash(std::string_view hash)
{
    return hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

WebServer::WebServer(WebSettings settings, SnapshotHub& hub, Submit submit)
    : settings_(std::move(settings)), hub_(hub), submit_(std::move(submit))
{}

WebServer::~WebServer()
{
    stop();
}

std::string WebServer::url() const
{
    return "http://" + settings_.host + ":" + std::to_string(port_) + "/";
}

Result<void> WebServer::start()
{
    if (!std::filesystem::is_directory(settings_.uiDir)) {
        return fail(ErrorCode::Config, "ui: the UI folder " + settings_.uiDir.string() +
                                           " does not exist (set [ui] dir or --ui-dir)");
    }
    server_ = std::make_unique<httplib::Server>();
    server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    server_->set_payload_max_length(kMaxBody);
    // Events and answers are small: without TCP_NODELAY each waits for the browser's delayed ACK
    // (about 40 ms), which the operator would feel on every action.
    server_->set_tcp_nodelay(true);
    server_->set_read_timeout(5, 0);
    server_->set_write_timeout(5, 0);
    server_->set_file_extension_and_mimetype_mapping("js", "text/javascript");
    server_->set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
    routes();
    if (!server_->set_mount_point("/", settings_.uiDir.string())) {
        return fail(ErrorCode::Config, "ui: cannot serve the UI folder " + settings_.uiDir.string());
    }
    if (settings_.port == 0) {
        port_ = server_->bind_to_any_port(settings_.host);
    } else {
        port_ = server_->bind_to_port(settings_.host, settings_.port) ? settings_.port : -1;
    }
    if (port_ <= 0) {
        port_ = 0;
        return fail(ErrorCode::Config, "ui: cannot listen on " + settings_.host + ":" +
                                           std::to_string(settings_.port) +
                                           " (address in use or not local; set [ui] listen)");
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    return {};
}

void WebServer::stop()
{
    hub_.close();
    if (server_) {
        server_->stop();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

void WebServer::routes()
{
    auto& s = *server_;
    s.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            spdlog::warn("ui: {} {}: {}", req.method, req.path, what);
            replyError(res, 500, what);
        });
    s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (res.body.empty()) {
            const std::string what = res.status == 404   ? "no such page: " + req.path
                                     : res.status == 413 ? "request body too large"
                                                         : "bad request";
            replyError(res, res.status, what);
        }
    });

    s.Get("/api/state", [this](const httplib::Request&, httplib::Response& res) {
        const auto snapshot = hub_.current();
        res.set_header("Cache-Control", "no-store");
        res.set_content(*snapshot.json, "application/json");
    });

    nlohmann::json commands = nlohmann::json::array();
    for (const auto& entry : settings_.commands) {
        commands.push_back({{"group", entry.group}, {"code", entry.code}, {"label", entry.label}});
    }
    s.Get("/api/commands", [sheet = nlohmann::json{{"commands", commands}}.dump()](const httplib::Request&,
                                                                                   httplib::Response& res) {
        res.set_content(sheet, "application/json");
    });

    s.Get("/events", [this](const httplib::Request& req, httplib::Response& res) {
        std::uint64_t seen = 0;
        if (const auto last = req.get_header_value("Last-Event-ID"); !last.empty()) {
            seen = std::strtoull(last.c_str(), nullptr, 10);
        }
        res.set_header("Cache-Control", "no-store");
        res.set_header("X-Accel-Buffering", "no");
        res.set_chunked_content_provider(
            "text/event-stream", [this, seen, first = true](std::size_t, httplib::DataSink& sink) mutable {
                if (first) {
                    first = false;
                    // The current state at once, unless the client already has it (a reconnect).
                    std::string hello = "retry: 1000\n\n";
                    const auto now = hub_.current();
                    if (now.version != seen) {
                        hello += sseEvent(now);
                        seen = now.version;
                    }
                    return sink.write(hello.data(), hello.size());
                }
                const auto next = hub_.waitNewer(seen, kKeepAlive);
                if (hub_.closed() || !sink.is_writable()) {
                    sink.done();
                    return false;
                }
                if (!next.json) {
                    static constexpr char ping[] = ": keep-alive\n\n";
                    return sink.write(ping, sizeof ping - 1);
                }
                seen = next.version;
                const std::string text = sseEvent(next);
                return sink.write(text.data(), text.size());
            });
    });

    s.Post("/api/action", [this](const httplib::Request& req, httplib::Response& res) {
        const auto command = stringMember(req, res, "command");
        if (!command) {
            return;
        }
        if (!validCommand(*command)) {
            replyError(res, 400, "not a command: expected \"CMD:\" and up to 60 of A-Z a-z 0-9 : _ -");
            return;
        }
        submit_(*command, "ui-action");
        res.status = 202;
        res.set_content(nlohmann::json{{"accepted", redactCredential(*command)}}.dump(), "application/json");
    });

    s.Post("/api/scan", [this](const httplib::Request& req, httplib::Response& res) {
        const auto text = stringMember(req, res, "text");
        if (!text) {
            return;
        }
        if (!validScanText(*text)) {
            replyError(res, 400, "a code is 1-512 characters without control characters");
            return;
        }
        submit_(*text, "ui-scan");
        res.status = 202;
        res.set_content(nlohmann::json{{"accepted", redactCredential(*text)}}.dump(), "application/json");
    });

    // Photos by content hash only (vision::PhotoStore: <root>/<2 hex>/<sha256>[.thumb].jpg): the
    // name is checked before it becomes a path, so nothing outside the store can be named.
    s.Get(R"(/api/photo/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string hash = req.matches[1];
        if (!validPhotoHash(hash)) {
            replyError(res, 400, "a photo is named by its SHA-256 (64 lowercase hex digits)");
            return;
        }
        const bool full = req.has_param("full");
        const auto dir = settings_.photoDir / hash.substr(0, 2);
        auto bytes = full ? std::nullopt : readFile(dir / (hash + ".thumb.jpg"));
        if (!bytes) {
            bytes = readFile(dir / (hash + ".jpg"));
        }
        if (!bytes) {
            replyError(res, 404, "no photo " + hash);
            return;
        }
        res.set_header("Cache-Control", "max-age=86400, immutable");
        res.set_content(std::move(*bytes), "image/jpeg");
    });

    s.Get("/sheet", [this](const httplib::Request&, httplib::Response& res) {
        auto page = readFile(settings_.uiDir / "sheet.html");
        if (!page) {
            replyError(res, 404, "sheet.html missing from " + settings_.uiDir.string());
            return;
        }
        res.set_content(std::move(*page), "text/html; charset=utf-8");
    });
}

} // namespace retour::station::web
