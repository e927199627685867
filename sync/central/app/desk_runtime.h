#pragma once

#include "app/config.h"
#include "desk/desk.h"
#include "http/api.h"
#include "http/http_server.h"
#include "ledger/publisher.h"
#include "storage/storage.h"

#include <memory>

namespace retour::central {

// The returns desk as `retour-central run` serves it: its Storage beside the ledger's, the rules in
// force, the desk, the API and the HTTP server, built on the central loop's thread.
//
// Thread contract: thread-bound (the central loop); the server's threads only post into it.
struct DeskRuntime
{
    std::unique_ptr<Storage> storage; // the desk's own connection: its orders
    std::unique_ptr<RuleBook> rules;
    std::unique_ptr<Desk> desk;
    std::unique_ptr<Api> api;
    std::unique_ptr<HttpServer> server;
    int port = 0;

    ~DeskRuntime();
};

// Open, load the rules (an error names FILE:LINE:COL), and start listening when [http] is set.
Result<std::unique_ptr<DeskRuntime>> startDesk(const Config& config, Store& store, Ledger& ledger,
                                               Publisher& publisher, HttpServer::Post post);

} // namespace retour::central
