#include "tests/support/fake_transport.h"

#include <algorithm>
#include <stdexcept>

namespace retour::test {

namespace {

sync::Error notConnected(const std::string& what)
{
    return sync::Error{sync::ErrorCode::NotConnected, "fake transport " + what + ": not connected"};
}

// Printable bytes as they are, others as \xNN: payloads and correlation data are compared byte
// for byte, and a failure message must show which byte differs.
std::string printable(const std::string& bytes)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            out += c;
        } else {
            out += "\\x";
            out += hex[b >> 4];
            out += hex[b & 0x0f];
        }
    }
    return out;
}

} // namespace

void PrintTo(const Published& published, std::ostream* out)
{
    *out << "{topic \"" << published.topic << "\", qos " << published.qos << ", retain "
         << (published.retain ? "1" : "0");
    const auto& p = published.properties;
    if (!p.responseTopic.empty()) {
        *out << ", response topic \"" << p.responseTopic << "\"";
    }
    if (!p.correlationData.empty()) {
        *out << ", correlation data \"" << printable(p.correlationData) << "\"";
    }
    if (p.messageExpirySeconds != 0) {
        *out << ", message expiry " << p.messageExpirySeconds << " s";
    }
    *out << ", payload \"" << printable(published.payload) << "\"}";
}

// The component's end: forwards to the script, which holds all state.
class FakeTransport::Session final : public sync::Transport
{
public:
    explicit Session(FakeTransport& script) : script_(&script) {}
    ~Session() override
    {
        if (script_ != nullptr) {
            script_->session_ = nullptr;
            script_->connected_ = false;
        }
    }

    sync::Result<void> start() override
    {
        if (started_ || stopped_) {
            return std::unexpected(
                sync::Error{sync::ErrorCode::Broker, "fake transport start: already started"});
        }
        started_ = true;
        return {};
    }
    void stop() override
    {
        // A clean DISCONNECT: the broker discards the will, and no callback runs any more.
        stopped_ = true;
        if (script_ != nullptr) {
            script_->connected_ = false;
        }
    }

    using Transport::publish;
    sync::Result<int> publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                              const PublishProperties& properties) override
    {
        if (qos < 0 || qos > 2 || topic.empty() || topic.find_first_of("+#") != std::string::npos) {
            return std::unexpected(
                sync::Error{sync::ErrorCode::Broker, "fake transport publish " + topic + ": invalid"});
        }
        if (!connected()) {
            return std::unexpected(notConnected("publish " + topic));
        }
        return script_->accept(Published{topic, payload, qos, retain, properties});
    }

    sync::Result<void> subscribe(const std::string& filter, int qos) override
    {
        if (filter.empty() || qos < 0 || qos > 2) {
            return std::unexpected(
                sync::Error{sync::ErrorCode::Broker, "fake transport subscribe " + filter + ": invalid"});
        }
        auto& subs = subscriptions_;
        auto it = std::find_if(subs.begin(), subs.end(), [&](const auto& s) { return s.first == filter; });
        if (it == subs.end()) {
            subs.emplace_back(filter, qos);
        } else {
            it->second = qos;
        }
        if (connected()) {
            script_->deliverRetained(filter);
        }
        return {};
    }

    bool connected() const override { return script_ != nullptr && !stopped_ && script_->connected_; }
    void detach() { script_ = nullptr; }

    bool started_ = false;
    bool stopped_ = false;
    std::vector<std::pair<std::string, int>> subscriptions_;

private:
    FakeTransport* script_;
};

FakeTransport::~FakeTransport()
{
    // A session that outlives its script must not reach back into it.
    if (session_ != nullptr) {
        session_->detach();
    }
}

sync::TransportFactory FakeTransport::factory()
{
    return [this](sync::MqttOptions options,
                  sync::Transport::Callbacks callbacks) -> sync::Result<std::unique_ptr<sync::Transport>> {
        if (session_ != nullptr) {
            throw std::logic_error("FakeTransport: the previous session is still alive");
        }
        options_ = std::move(options);
        callbacks_ = std::move(callbacks);
        connected_ = false;
        nextMessageId_ = 1;
        unanswered_.clear();
        ++sessionsMade_;
        auto session = std::make_unique<Session>(*this);
        session_ = session.get();
        return session;
    };
}

bool FakeTransport::started() const
{
    return session_ != nullptr && session_->started_;
}

bool FakeTransport::stopped() const
{
    return session_ == nullptr || session_->stopped_;
}

std::vector<std::pair<std::string, int>> FakeTransport::subscriptions() const
{
    return session_ != nullptr ? session_->subscriptions_ : std::vector<std::pair<std::string, int>>{};
}

std::vector<Published> FakeTransport::take()
{
    std::vector<Published> out(published_.begin() + static_cast<std::ptrdiff_t>(taken_), published_.end());
    taken_ = published_.size();
    return out;
}

std::optional<std::string> FakeTransport::retained(const std::string& topic) const
{
    const auto it = retained_.find(topic);
    if (it == retained_.end()) {
        return std::nullopt;
    }
    return it->second;
}

template <class F, class... Args> void FakeTransport::run(const F& callback, Args&&... args)
{
    if (callback && session_ != nullptr && !session_->stopped_) {
        ++callbacksRun_;
        callback(std::forward<Args>(args)...);
    }
}

int FakeTransport::accept(Published published)
{
    const int id = nextMessageId_;
    nextMessageId_ = nextMessageId_ == 65535 ? 1 : nextMessageId_ + 1;
    if (published.retain) {
        storeRetained(published.topic, published.payload);
    }
    published_.push_back(std::move(published));
    if (pubackMode_ == Puback::Immediate) {
        run(callbacks_.onPublished, id, true, 0);
    } else {
        unanswered_.emplace(id, sent_++);
    }
    return id;
}

void FakeTransport::storeRetained(const std::string& topic, const std::string& payload)
{
    if (payload.empty()) {
        retained_.erase(topic);
    } else {
        retained_[topic] = payload;
    }
}

void FakeTransport::connect(bool sessionPresent)
{
    if (session_ == nullptr || !session_->started_ || session_->stopped_) {
        throw std::logic_error("FakeTransport::connect: no started session");
    }
    connected_ = true;
    run(callbacks_.onConnection, true,
        std::string("connected to the fake transport") +
            (sessionPresent ? " (session present)" : " (new session)"));
    // The session re-subscribes on every CONNACK; the broker answers each with its retained messages.
    for (const auto& [filter, qos] : subscriptions()) {
        deliverRetained(filter);
    }
}

void FakeTransport::refuse(const std::string& reason)
{
    connected_ = false;
    run(callbacks_.onConnection, false, "the fake transport refused the connection: " + reason);
}

void FakeTransport::drop(const std::string& reason)
{
    const bool was = connected_;
    connected_ = false;
    unanswered_.clear();
    if (was && !options_.willTopic.empty() && options_.willRetain) {
        storeRetained(options_.willTopic, options_.willPayload);
    }
    if (was) {
        run(callbacks_.onConnection, false, reason);
    }
}

std::vector<int> FakeTransport::unanswered() const
{
    std::vector<std::pair<std::size_t, int>> byOrder;
    for (const auto& [id, order] : unanswered_) {
        byOrder.emplace_back(order, id);
    }
    std::sort(byOrder.begin(), byOrder.end());
    std::vector<int> ids;
    for (const auto& entry : byOrder) {
        ids.push_back(entry.second);
    }
    return ids;
}

bool FakeTransport::puback(int messageId, int reasonCode)
{
    if (unanswered_.erase(messageId) == 0) {
        return false;
    }
    run(callbacks_.onPublished, messageId, reasonCode < 0x80, reasonCode);
    return true;
}

std::size_t FakeTransport::pubackAll(int reasonCode)
{
    const auto ids = unanswered();
    for (const int id : ids) {
        puback(id, reasonCode);
    }
    return ids.size();
}

bool FakeTransport::subscribed(const std::string& topic) const
{
    const auto subs = subscriptions();
    return std::any_of(subs.begin(), subs.end(), [&](const auto& s) { return matches(s.first, topic); });
}

bool FakeTransport::deliver(sync::Transport::Message message)
{
    if (!connected_ || session_ == nullptr || session_->stopped_ || !subscribed(message.topic)) {
        return false;
    }
    ++callbacksRun_;
    callbacks_.deliver(message);
    return true;
}

bool FakeTransport::deliver(const std::string& topic, const std::string& payload)
{
    sync::Transport::Message message;
    message.topic = topic;
    message.payload = payload;
    return deliver(std::move(message));
}

void FakeTransport::retain(const std::string& topic, const std::string& payload)
{
    storeRetained(topic, payload);
    (void)deliver(topic, payload);
}

void FakeTransport::deliverRetained(const std::string& filter)
{
    for (const auto& [topic, payload] : retained_) {
        if (matches(filter, topic)) {
            sync::Transport::Message message;
            message.topic = topic;
            message.payload = payload;
            message.retained = true;
            (void)deliver(std::move(message));
        }
    }
}

bool FakeTransport::matches(const std::string& filter, const std::string& topic)
{
    std::string_view f = filter;
    if (f.starts_with("$share/")) {
        const auto slash = f.find('/', 7);
        if (slash == std::string_view::npos) {
            return false;
        }
        f.remove_prefix(slash + 1);
    }
    std::string_view t = topic;
    // Wildcards do not match topics that start with '$' (MQTT v5 §4.7.2).
    if (!t.empty() && t.front() == '$' && !f.empty() && (f.front() == '+' || f.front() == '#')) {
        return false;
    }
    while (true) {
        const auto fEnd = f.find('/');
        const auto fLevel = f.substr(0, fEnd);
        if (fLevel == "#") {
            return true;
        }
        const auto tEnd = t.find('/');
        const auto tLevel = t.substr(0, tEnd);
        if (fLevel != "+" && fLevel != tLevel) {
            return false;
        }
        if (fEnd == std::string_view::npos || tEnd == std::string_view::npos) {
            // "a/#" also matches "a" (the parent level).
            return fEnd == tEnd || (tEnd == std::string_view::npos && f.substr(fEnd + 1) == "#");
        }
        f.remove_prefix(fEnd + 1);
        t.remove_prefix(tEnd + 1);
    }
}

} // namespace retour::test
