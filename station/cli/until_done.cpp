#include "cli/until_done.h"

#include "retour/link/outbox.h"

#include <string>
#include <vector>

namespace retour::station {

RunGoal untilDone(bool waitForAcknowledgements)
{
    auto pending = [waitForAcknowledgements](const Station& station) {
        std::vector<std::string> parts;
        const auto& sim = station.sim();
        if (!sim.finished()) {
            parts.push_back("scenario " + std::to_string(sim.delivered()) + "/" +
                            std::to_string(sim.total()) + " steps delivered");
        }
        const Workflow& workflow = station.workflow();
        if (!workflow.idle()) {
            parts.push_back(std::string("workflow ") + toString(workflow.state()) + " (" + workflow.prompt() +
                            ")");
        }
        if (station.camera().inFlight() > 0) {
            parts.push_back(std::to_string(station.camera().inFlight()) + " photo(s) being taken");
        }
        const auto labels = station.store().pendingLabelCount();
        if (!labels || *labels > 0) {
            parts.push_back((labels ? std::to_string(*labels) : std::string("?")) + " label(s) not printed");
        }
        const auto stats = station.store().outbox().stats();
        if (waitForAcknowledgements && (!stats || stats->pending > 0)) {
            const Uplink* uplink = station.uplink();
            std::string broker = !uplink               ? "no [broker] configured"
                                 : uplink->connected() ? "broker connected"
                                                       : "broker unreachable";
            parts.push_back((stats ? std::to_string(stats->pending) : std::string("?")) +
                            " event(s) not acknowledged by central (" + broker + ")");
        }
        std::string text;
        for (const auto& part : parts) {
            text += (text.empty() ? "" : "; ") + part;
        }
        return text;
    };
    return RunGoal{pending,
                   "done: scenario delivered, bench idle, every label printed, every event acknowledged"};
}

} // namespace retour::station
