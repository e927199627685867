#include "tests/support/site/wiretap.h"

namespace retour::test {

Wiretap::Wiretap(const MosquittoBroker& broker, const std::string& clientId)
{
    sync::MqttOptions options;
    options.host = broker.host();
    options.port = broker.port();
    options.clientId = clientId;
    options.username = "central";
    options.password = MosquittoBroker::passwordFor("central");
    options.cleanStart = true;
    options.reconnectMin = std::chrono::milliseconds(100);
    options.reconnectMax = std::chrono::milliseconds(500);
    sync::MqttSession::Callbacks callbacks;
    callbacks.onMessage = [this](const std::string& topic, const std::string& payload, bool) {
        const std::lock_guard lock(mutex_);
        seen_.emplace_back(topic, payload);
    };
    session_ = sync::MqttSession::create(options, callbacks).value();
    (void)session_->subscribe("returns/#", 1);
    (void)session_->start();
}

Wiretap::~Wiretap()
{
    session_->stop();
}

std::vector<std::pair<std::string, std::string>> Wiretap::messages()
{
    const std::lock_guard lock(mutex_);
    return seen_;
}

} // namespace retour::test
