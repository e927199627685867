#pragma once

#include "app/event_loop.h"
#include "config/config.h"
#include "devices/camera_service.h"
#include "devices/input_slot.h"
#include "devices/label_spooler.h"
#include "retour/drivers/sim.h"
#include "store/counters.h"
#include "store/store.h"
#include "uplink/uplink.h"
#include "workflow/workflow.h"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>

namespace retour::station {

namespace web {
class UiBridge;
}

struct RunOptions
{
    // Exit 0 once the sim scenario is delivered, the bench idle, every label printed and every
    // event acknowledged; exit 1 at the timeout saying what is still pending.
    bool exitWhenDone = false;
    std::optional<std::chrono::seconds> timeout;
    // Where signals arrive (a signalfd for SIGINT/SIGTERM, blocked by main), or -1.
    int signalFd = -1;
    // With exitWhenDone: also wait until central acknowledged every event (false only for tests
    // of an offline bench).
    bool waitForAcknowledgements = true;
};

// The bench program: composes the store, rules, workflow, devices, printer and camera workers and
// the MQTT uplink around one event loop, and executes the workflow's commands.
//
// Thread contract: create() and run() on the main thread, which becomes the loop thread.
class Station
{
public:
    // Opens the store, loads the rules and creates the devices. Errors: ErrorCode::Config / Rules
    // (exit status 2) or Database / Device.
    static Result<std::unique_ptr<Station>> create(StationConfig config);
    ~Station();

    // Returns the process exit status.
    int run(const RunOptions& options);

private:
    explicit Station(StationConfig config);

    void dispatch(WorkflowEvent event);
    void execute(Effect& command, std::deque<WorkflowEvent>& followUps);
    void onScanner(const drivers::DeviceEvent& event);
    // A scan into the workflow, after asking central about an unknown parcel (Uplink::lookup).
    void scanned(ScanInput scan);
    // A scan as the log may show it: no sign-in credential, a badge as its operator.
    std::string loggable(const std::string& text) const;
    // CMD:CAMERA: the code under the camera, read in a fresh still, becomes a scan.
    void readWithCamera();
    void cameraRead(const CameraCodes& result);
    // A message of the station's own (not the workflow's), shown and logged like the workflow's.
    void say(MessageLevel level, std::string text);
    void onScale(const drivers::DeviceEvent& event);
    nlohmann::json deviceStatus() const;
    bool done(std::string& pending, bool waitForAcknowledgements) const;
    void checkDone(bool waitForAcknowledgements);

    StationConfig config_;
    EventLoop loop_;
    drivers::SimWorld sim_;
    std::unique_ptr<Store> store_;
    std::shared_ptr<const RuleSet> rules_;
    std::shared_ptr<const OperatorDirectory> operators_; // [station] operators; null: none
    std::unique_ptr<BenchCounters> counters_;            // [counters], from the store
    std::unique_ptr<Workflow> workflow_;
    std::unique_ptr<InputSlot> scanner_;
    std::unique_ptr<InputSlot> scale_;
    std::unique_ptr<LabelSpooler> spooler_;
    std::unique_ptr<CameraService> camera_;
    std::unique_ptr<Uplink> uplink_;
    std::unique_ptr<web::UiBridge> ui_; // the operator UI ([ui]), or null
    int exitCode_ = 0;
    bool lookupPending_ = false;
    bool cameraPending_ = false; // CMD:CAMERA: a still being read
    std::deque<ScanInput> heldScans_;
};

} // namespace retour::station
