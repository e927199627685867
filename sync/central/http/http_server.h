#pragma once

#include "app/config.h"
#include "http/api.h"
#include "ledger/error.h"

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace httplib {
class Server;
}

namespace retour::central {

// The HTTP transport of the API (cpp-httplib): its own listening thread and worker threads. A
// request becomes an ApiRequest that `post` hands to the central loop, which runs `handle` there
// (the only thread that touches the stores) and passes the response back; a loop that does not
// answer within `timeout` gets a 503. Static files of `[http] web` are served from disk by the
// server's threads (they touch no domain state).
//
// Thread contract: start() and stop() from one thread (the central loop); handle runs on the
// thread that runs the posted tasks.
class HttpServer
{
public:
    using Task = std::function<void()>;
    using Post = std::function<bool(Task)>; // false: the loop refused it (then 503)
    using Handle = std::function<ApiResponse(const ApiRequest&)>;

    HttpServer(HttpConfig config, Post post, Handle handle,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Bind (port 0: any free port) and start serving; returns the port bound.
    Result<int> start();
    // Stop accepting, finish the requests in progress (each waits at most `timeout`), join.
    void stop();

private:
    HttpConfig config_;
    Post post_;
    Handle handle_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
};

} // namespace retour::central
