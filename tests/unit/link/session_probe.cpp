// A station-like MQTT client for tests that must kill a client abruptly (the will): connects with
// MqttSession, prints "connected" once the broker accepted it, then waits to be killed.
//   link_session_probe HOST PORT USER PASSWORD CLIENT_ID WILL_TOPIC WILL_PAYLOAD
#include "retour/link/mqtt_session.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s HOST PORT USER PASSWORD CLIENT_ID WILL_TOPIC WILL_PAYLOAD\n",
                     argv[0]);
        return 2;
    }
    retour::sync::MqttOptions options;
    options.host = argv[1];
    options.port = std::atoi(argv[2]);
    options.username = argv[3];
    options.password = argv[4];
    options.clientId = argv[5];
    options.willTopic = argv[6];
    options.willPayload = argv[7];
    retour::sync::MqttSession::Callbacks callbacks;
    callbacks.onConnection = [](bool connected, const std::string& reason) {
        std::printf("%s %s\n", connected ? "connected" : "disconnected", reason.c_str());
        std::fflush(stdout);
    };
    auto session = retour::sync::MqttSession::create(options, callbacks);
    if (!session) {
        std::fprintf(stderr, "%s\n", session.error().message.c_str());
        return 1;
    }
    if (auto started = (*session)->start(); !started) {
        std::fprintf(stderr, "%s\n", started.error().message.c_str());
        return 1;
    }
    while (true) {
        ::pause();
    }
}
