#pragma once

#include "retour/drivers/device.h"
#include "retour/drivers/sim.h"

#include <filesystem>
#include <memory>
#include <set>
#include <string>

namespace retour::drivers::detail {

// A simulated scanner or scale driven by a scenario file (sim.h). No fd (fd() = -1): the owner
// calls service() at nextDeadline(), when this device's next step is due. A step for another device
// blocks this one (strict file order). Thread contract: thread-bound, like the SimWorld it uses.
class SimInputDevice : public InputDevice
{
public:
    SimInputDevice(DeviceUri uri, SimWorld& world, std::filesystem::path script, SimStep::Target target);

    const DeviceUri& uri() const override { return uri_; }
    DeviceKind kind() const override;
    Result<void> open() override;
    void close() override;
    bool isOpen() const override { return cursor_ != nullptr; }
    int fd() const override { return -1; }
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

protected:
    virtual void deliver(const SimStep& step, std::vector<DeviceEvent>& events) = 0;

private:
    bool nextStepIsMine() const;

    DeviceUri uri_;
    SimWorld& world_;
    std::filesystem::path script_;
    SimStep::Target target_;
    SimWorld::Cursor* cursor_ = nullptr;
    bool announce_ = false;
};

// sim:scanner?script=FILE: each scan step becomes a Scan (an AIM prefix in the text is split off;
// symbology = overrides the name).
class SimScanner final : public SimInputDevice
{
public:
    SimScanner(DeviceUri uri, SimWorld& world, std::filesystem::path script);

protected:
    void deliver(const SimStep& step, std::vector<DeviceEvent>& events) override;
};

// sim:scale?script=FILE: weigh gives one in-motion reading, then the stable one; clear a stable 0.
class SimScale final : public SimInputDevice
{
public:
    SimScale(DeviceUri uri, SimWorld& world, std::filesystem::path script);

protected:
    void deliver(const SimStep& step, std::vector<DeviceEvent>& events) override;
};

// sim:printer?out=DIR[&status=ready|paper-out|head-open|paused|ribbon-out][&script=FILE]: the state
// follows the printer steps of FILE once one is delivered (sim.h). Writes each job's ZPL to
// DIR/<job id>.zpl (temporary file + rename, so a reader never sees half a label). A job id already
// printed by this object or already present in DIR is not written again. Thread contract: not
// thread-safe (LabelPrinter).
class SimPrinter final : public LabelPrinter
{
public:
    // `scenario`, when given, is the switch of a scenario file whose printer steps override `state`.
    SimPrinter(DeviceUri uri, std::filesystem::path out, PrinterStatus state,
               std::shared_ptr<SimPrinterSwitch> scenario = nullptr);

    const DeviceUri& uri() const override { return uri_; }
    Result<PrinterStatus> status() override { return current(); }
    Result<void> print(const LabelJob& job) override;

private:
    PrinterStatus current() const;

    DeviceUri uri_;
    std::filesystem::path out_;
    PrinterStatus state_;
    std::shared_ptr<SimPrinterSwitch> scenario_;
    std::set<std::string> printed_;
};

// The printer state named by a sim:printer status= value; nullopt when unknown.
std::optional<PrinterStatus> simPrinterState(std::string_view name);

} // namespace retour::drivers::detail
