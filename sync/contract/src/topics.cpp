// Topic names of the wire contract (docs/architecture.md "Contract over MQTT", message.h).
#include "retour/contract/message.h"

#include <string>
#include <string_view>

namespace retour::sync::topics {

namespace {

constexpr std::string_view kRoot = "returns/v1/";

std::string join(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (std::string_view part : parts) {
        out += part;
    }
    return out;
}

} // namespace

std::string event(std::string_view site, std::string_view station, std::string_view type)
{
    return join({kRoot, site, "/", station, "/evt/", type});
}

std::string ack(std::string_view site, std::string_view station)
{
    return join({kRoot, site, "/", station, "/ack"});
}

std::string status(std::string_view site, std::string_view station)
{
    return join({kRoot, site, "/", station, "/status"});
}

std::string rma(std::string_view site, std::string_view rmaId)
{
    return join({kRoot, site, "/rma/", rmaId});
}

std::string allEvents(std::string_view site)
{
    return join({kRoot, site, "/+/evt/#"});
}

std::string allRmas(std::string_view site)
{
    return join({kRoot, site, "/rma/+"});
}

std::string request(std::string_view site, std::string_view station, std::string_view name)
{
    return join({kRoot, site, "/", station, "/req/", name});
}

std::string command(std::string_view site, std::string_view station, std::string_view name)
{
    return join({kRoot, site, "/", station, "/cmd/", name});
}

std::string allRequests(std::string_view site)
{
    return join({kRoot, site, "/+/req/#"});
}

std::string centralStatus(std::string_view site)
{
    return join({kRoot, site, "/central/status"});
}

bool isValidLevel(std::string_view level)
{
    if (level.empty() || level.front() == '$') {
        return false;
    }
    return level.find_first_of(std::string_view("/+#\0", 4)) == std::string_view::npos;
}

bool parseEventTopic(std::string_view topic, EventTopic& out)
{
    // returns / v1 / <site> / <station> / evt / <type>: exactly six levels.
    std::string_view levels[6];
    std::size_t count = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = topic.find('/', start);
        if (count == 6) {
            return false; // more than six levels
        }
        levels[count++] = topic.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    if (count != 6 || levels[0] != "returns" || levels[1] != "v1" || levels[4] != "evt") {
        return false;
    }
    if (!isValidLevel(levels[2]) || !isValidLevel(levels[3]) || !isValidLevel(levels[5])) {
        return false;
    }
    out.site = levels[2];
    out.station = levels[3];
    out.type = levels[5];
    return true;
}

} // namespace retour::sync::topics
