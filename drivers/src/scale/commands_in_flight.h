#pragma once

#include <cstddef>
#include <deque>

namespace retour::drivers::detail {

// The commands a scale has been sent and not yet answered, oldest first, for protocols whose
// replies do not name their command (SMA, NCI, Toledo demand): each reply answers the oldest.
//
// Thread contract: thread-bound (one per device).
class CommandsInFlight
{
public:
    enum class Command
    {
        Poll,
        Zero,
        Tare,
        ClearTare,
    };

    // Bounded: a scale that answers nothing is declared offline long before, so the oldest are
    // dropped rather than kept forever.
    void sent(Command command)
    {
        if (commands_.size() >= kMax) {
            commands_.pop_front();
        }
        commands_.push_back(command);
    }

    // The command the next reply answers (Poll when none is known: a streamed reading).
    Command answered()
    {
        if (commands_.empty()) {
            return Command::Poll;
        }
        const Command command = commands_.front();
        commands_.pop_front();
        return command;
    }

    void missed()
    {
        if (!commands_.empty()) {
            commands_.pop_front();
        }
    }

    void clear() { commands_.clear(); }

private:
    static constexpr std::size_t kMax = 8;
    std::deque<Command> commands_;
};

} // namespace retour::drivers::detail
