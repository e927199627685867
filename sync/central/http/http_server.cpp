// cpp-httplib under the API (see http_server.h for the threading).
#include "http/http_server.h"

#include <future>
#include <httplib.h>
#include <spdlog/spdlog.h>

namespace retour::central {

HttpServer::HttpServer(HttpConfig config, Post post, Handle handle, std::chrono::milliseconds timeout)
    : config_(std::move(config)), post_(std::move(post)), handle_(std::move(handle)), timeout_(timeout)
{}

HttpServer::~HttpServer()
{
    stop();
}

Result<int> HttpServer::start()
{
    server_ = std::make_unique<httplib::Server>();
    server_->set_payload_max_length(8 * 1024 * 1024);
    // Small JSON answers must leave at once: with Nagle on, each one waits for the client's delayed
    // ACK (about 40 ms on Linux). Integrations keep their connection open for many requests.
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    const auto serve = [this](const httplib::Request& in, httplib::Response& out) {
        ApiRequest request;
        request.method = in.method;
        request.path = in.path;
        for (const auto& [key, value] : in.params) {
            request.query.emplace(key, value);
        }
        request.authorization = in.get_header_value("Authorization");
        request.body = in.body;
        auto promise = std::make_shared<std::promise<ApiResponse>>();
        auto future = promise->get_future();
        const bool posted =
            post_([this, promise, request = std::move(request)] { promise->set_value(handle_(request)); });
        ApiResponse response{503, "application/json",
                             R"({"error":{"status":503,"message":"the central loop is busy; try again"}})"};
        if (posted && future.wait_for(timeout_) == std::future_status::ready) {
            response = future.get();
        }
        out.status = response.status;
        out.set_content(response.body, response.contentType.c_str());
    };
    server_->Get("/api/.*", serve);
    server_->Post("/api/.*", serve);
    if (config_.web) {
        if (!server_->set_mount_point("/", config_.web->string())) {
            return fail(ErrorCode::NotFound, "[http] web " + config_.web->string() + " cannot be served");
        }
    }
    int port = config_.port;
    if (port == 0) {
        port = server_->bind_to_any_port(config_.host);
        if (port < 0) {
            return fail(ErrorCode::Invalid, "cannot listen on " + config_.host + " (any port)");
        }
    } else if (!server_->bind_to_port(config_.host, port)) {
        return fail(ErrorCode::Invalid, "cannot listen on " + config_.host + ":" + std::to_string(port) +
                                            " (in use, or not an address of this machine)");
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    return port;
}

void HttpServer::stop()
{
    if (server_) {
        server_->stop();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

} // namespace retour::central
