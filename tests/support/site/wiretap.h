#pragma once

#include "retour/link/mqtt_session.h"
#include "tests/support/mosquitto_broker.h"

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace retour::test {

// A subscriber to returns/# with central's account that keeps every message the broker carries
// (retained ones included), for the contract checks (tests/support/contract.h). It reconnects on
// its own when the broker restarts.
// Thread contract: messages() may be called from any thread while the session's thread records.
class Wiretap
{
public:
    Wiretap(const MosquittoBroker& broker, const std::string& clientId);
    ~Wiretap();
    Wiretap(const Wiretap&) = delete;
    Wiretap& operator=(const Wiretap&) = delete;

    bool connected() const { return session_->connected(); }
    // Every message seen so far, topic and payload, in arrival order.
    std::vector<std::pair<std::string, std::string>> messages();

private:
    std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> seen_;
    std::unique_ptr<sync::MqttSession> session_;
};

} // namespace retour::test
