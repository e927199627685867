// Refunds, stock and customer messages wired for `retour-central run` (see outcomes.h).
#include "outcomes/outcomes.h"

#include "notify/messages.h"
#include "retour/contract/message.h"
#include "stock/stock.h"

#include <spdlog/spdlog.h>

namespace retour::central {

Outcomes::Outcomes(std::unique_ptr<Storage> storage) : storage_(std::move(storage)) {}

Outcomes::~Outcomes()
{
    if (worker_) {
        worker_->stop();
    }
}

Result<std::unique_ptr<Outcomes>> Outcomes::start(const Config& config, std::function<void()> wake)
{
    if (!config.refunds && !config.stock && !config.messages) {
        return std::unique_ptr<Outcomes>();
    }
    auto storage = openStorage(config.storage(), OpenMode::Attached);
    if (!storage) {
        return std::unexpected(storage.error());
    }
    std::unique_ptr<Outcomes> outcomes(new Outcomes(std::move(*storage)));
    CurlSenderOptions sender;
    sender.timeout = std::chrono::milliseconds(config.delivery.timeoutMs);
    sender.connectTimeout = std::min(sender.timeout, std::chrono::milliseconds(3000));
    if (config.refunds) {
        auto policy = loadRefundPolicy(config.refunds->policy);
        if (!policy) {
            return fail(ErrorCode::Invalid, policy.error().format());
        }
        spdlog::info(
            "refund policy {} (version \"{}\"): {} trigger rule(s), {} amount rule(s); payments to {}",
            policy->file, policy->version, policy->triggers.size(), policy->amounts.size(),
            config.refunds->paymentUrl);
        sender.bearerToken = config.refunds->token;
        outcomes->refunds_ =
            std::make_unique<Refunds>(std::move(*policy), config.refunds->paymentUrl, *outcomes->storage_);
    }
    if (config.stock) {
        RoutingTable routing = defaultRoutingTable();
        if (config.stock->routing) {
            auto loaded = loadRoutingTable(*config.stock->routing);
            if (!loaded) {
                return fail(ErrorCode::Invalid, loaded.error().format());
            }
            routing = std::move(*loaded);
        }
        spdlog::info("stock ledger: routing {} ({} rule(s)){}", routing.file, routing.rules.size(),
                     config.stock->webhook ? ", movements to " + *config.stock->webhook : std::string());
        outcomes->stock_ =
            std::make_unique<StockLedger>(std::move(routing), config.stock->webhook, *outcomes->storage_);
    }
    if (config.messages) {
        auto templates = loadTemplates(config.messages->templates);
        if (!templates) {
            return fail(ErrorCode::Invalid, templates.error().format());
        }
        spdlog::info("customer messages: {} template(s) from {}, sent through {}", templates->size(),
                     config.messages->templates.string(), config.messages->smtpUrl);
        sender.mailFrom = config.messages->from;
        outcomes->messages_ = std::make_unique<Messages>(*config.messages, std::move(*templates), config.site,
                                                         *outcomes->storage_);
    }
    RetryPolicy retry;
    retry.maxAttempts = config.delivery.maxAttempts;
    retry.base = std::chrono::milliseconds(config.delivery.backoffMs);
    retry.max = std::chrono::milliseconds(config.delivery.backoffMaxMs);
    outcomes->worker_ =
        std::make_unique<DeliveryWorker>(config.storage(), retry, makeCurlSender(sender), std::move(wake));
    outcomes->worker_->start();
    return outcomes;
}

std::vector<std::string> Outcomes::catchUp()
{
    const std::string now = sync::formatTimestamp(std::chrono::system_clock::now());
    std::vector<std::string> changed;
    bool queued = false;
    auto keep = [&](Result<std::vector<std::string>> ids, std::string_view what, bool queues) {
        if (!ids) {
            spdlog::error("{}: {} (tried again at the next pass)", what, ids.error().message);
            return;
        }
        queued = queued || (queues && !ids->empty());
        changed.insert(changed.end(), ids->begin(), ids->end());
    };
    if (refunds_) {
        keep(refunds_->settle(now), "refund answers", false);
        keep(refunds_->decide(now), "refund decisions", true);
    }
    if (stock_) {
        auto added = stock_->catchUp(now);
        if (!added) {
            spdlog::error("stock movements: {} (tried again at the next pass)", added.error().message);
        }
        queued = queued || (added && *added > 0);
    }
    if (messages_) {
        auto added = messages_->catchUp(now);
        if (!added) {
            spdlog::error("customer messages: {} (tried again at the next pass)", added.error().message);
        }
        queued = queued || (added && *added > 0);
    }
    if (queued) {
        worker_->wake();
    }
    return changed;
}

} // namespace retour::central
