// The returns desk wired for `retour-central run` (see desk_runtime.h).
#include "app/desk_runtime.h"

#include "reports/routes.h"

#include <spdlog/spdlog.h>

namespace retour::central {

DeskRuntime::~DeskRuntime()
{
    // The server's threads post into the loop: they stop before what they reach goes.
    if (server) {
        server->stop();
    }
}

Result<std::unique_ptr<DeskRuntime>> startDesk(const Config& config, Store& store, Ledger& ledger,
                                               Publisher& publisher, HttpServer::Post post)
{
    auto runtime = std::make_unique<DeskRuntime>();
    auto storage = openStorage(config.storage(), OpenMode::Attached);
    if (!storage) {
        return std::unexpected(storage.error());
    }
    runtime->storage = std::move(*storage);
    RuleSet rules;
    rules.file = "(no [rules] authorisation file)";
    rules.fallback = RuleOutcome::Review;
    if (config.authorisationRules) {
        auto loaded = loadRules(*config.authorisationRules);
        if (!loaded) {
            return fail(ErrorCode::Invalid, loaded.error().format());
        }
        rules = std::move(*loaded);
        spdlog::info("authorisation rules {} (version \"{}\"): {} rule(s)", rules.file, rules.version,
                     rules.rules.size());
    } else {
        spdlog::warn("no [rules] authorisation file: every return request goes to manual review");
    }
    runtime->rules = std::make_unique<RuleBook>(config.authorisationRules.value_or(""), std::move(rules));
    Desk::Options options;
    options.rmaPrefix = config.rmaPrefix;
    options.published = [&publisher](const Return& ret) {
        if (auto sent = publisher.update(ret); !sent) {
            // Open RMAs are published again on every connection.
            spdlog::warn("RMA {} not published: {}", ret.rmaId, sent.error().message);
        }
    };
    runtime->desk = std::make_unique<Desk>(store, runtime->storage->orders(), ledger, *runtime->rules,
                                           std::move(options));
    if (!config.http) {
        return runtime;
    }
    runtime->api =
        std::make_unique<Api>(*runtime->desk, config.http->token, config.site,
                              [site = config.site](const Return& ret) { return renderLabelPng(ret, site); });
    runtime->api->setExtraRoutes(
        [database = config.storage()](const ApiRequest& request, const std::vector<std::string>& parts) {
            return answerOutcomeRoute(database, request, parts);
        });
    Api* api = runtime->api.get();
    runtime->server = std::make_unique<HttpServer>(
        *config.http, std::move(post), [api](const ApiRequest& request) { return api->handle(request); });
    auto port = runtime->server->start();
    if (!port) {
        return std::unexpected(port.error());
    }
    runtime->port = *port;
    spdlog::info("HTTP API listening on http://{}:{}/api/v1{}", config.http->host, *port,
                 config.http->web ? ", self-service page at /" : "");
    return runtime;
}

} // namespace retour::central
