#include "retour/link/transport.h"

namespace retour::sync {

void Transport::Callbacks::deliver(const Message& message) const
{
    if (onMessageWithProperties) {
        onMessageWithProperties(message);
    } else if (onMessage) {
        onMessage(message.topic, message.payload, message.retained);
    }
}

Result<int> Transport::reply(const Message& request, const std::string& payload)
{
    if (request.responseTopic.empty()) {
        return std::unexpected(Error{ErrorCode::Malformed, "mqtt reply to " + request.topic +
                                                               ": the request names no response topic"});
    }
    PublishProperties properties;
    properties.correlationData = request.correlationData;
    return publish(request.responseTopic, payload, 1, false, properties);
}

} // namespace retour::sync
