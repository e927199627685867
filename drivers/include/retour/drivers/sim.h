#pragma once

#include "retour/drivers/device.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace retour::drivers {

// A scenario file drives the simulated devices of a bench (sim:scanner?script=FILE,
// sim:scale?script=FILE): one ordered list of steps shared by every sim device naming the same file.
//
//   step_delay_ms = 150          # pause before each step (default 100)
//   [[step]]
//   scan = "RMA-000101"          # the sim scanner reads this text
//   symbology = "Code 128"       # optional
//   [[step]]
//   weigh = 512.0                # grams placed on the sim scale: one in-motion reading, then stable
//   [[step]]
//   clear = true                 # the platter is emptied (stable zero)
//   [[step]]
//   printer = "paper-out"        # a sim:printer?script=FILE changes state: ready, paper-out,
//                                # head-open, paused, ribbon-out (delivered by whichever sim
//                                # scanner or scale services the scenario next)
//   [[step]]
//   note = "free text"           # ignored, for the reader of the file
//
// Step i is delivered only after step i-1 has been delivered and step_delay_ms has passed, so the
// order of the file is the order the station sees, whichever device each step belongs to.
struct SimStep
{
    enum class Target
    {
        Scanner,
        Scale,
        Printer
    } target;
    std::string scanText;
    std::string printerState; // a printer step: the state the printer enters
    std::string symbology;
    double grams = 0;
    int line = 0;       // line in the scenario file, for messages
    bool clear = false; // a `clear` step (stable zero), as opposed to `weigh = 0`
};

struct SimScenario
{
    std::filesystem::path file;
    std::chrono::milliseconds stepDelay{100};
    std::vector<SimStep> steps;
};

// Parse a scenario file; errors name file:line:column and what to do.
Result<SimScenario> loadSimScenario(const std::filesystem::path& file);

// The state a scenario's printer steps set, read by the sim printer playing the same file.
//
// Thread contract: set on the thread servicing the sim input devices, read on the label spooler's
// worker thread; both under the mutex.
class SimPrinterSwitch
{
public:
    void set(std::string state)
    {
        std::lock_guard lock(mutex_);
        state_ = std::move(state);
    }
    // Empty until a printer step has been delivered.
    std::string get() const
    {
        std::lock_guard lock(mutex_);
        return state_;
    }

private:
    mutable std::mutex mutex_;
    std::string state_;
};

// The shared state of all sim devices of one process: the scenarios (by file) and their cursors.
//
// Thread contract: thread-bound, like the devices that use it.
class SimWorld
{
public:
    SimWorld();
    ~SimWorld();
    SimWorld(const SimWorld&) = delete;
    SimWorld& operator=(const SimWorld&) = delete;

    // The cursor over a scenario file, loaded on first use.
    struct Cursor
    {
        SimScenario scenario;
        std::size_t next = 0;              // index of the next step to deliver
        Clock::time_point lastDelivered{}; // when step next-1 was delivered
        std::shared_ptr<SimPrinterSwitch> printer = std::make_shared<SimPrinterSwitch>();
    };
    Result<Cursor*> cursor(const std::filesystem::path& file);

    // True when every loaded scenario has delivered all its steps.
    bool finished() const;
    // Steps delivered / total, over all scenarios.
    std::size_t delivered() const;
    std::size_t total() const;

private:
    std::map<std::filesystem::path, std::unique_ptr<Cursor>> cursors_;
};

} // namespace retour::drivers
