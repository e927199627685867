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
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace retour::station {

class EffectRunner;
namespace web {
class UiBridge;
}

class Station;

// What a run waits for before it ends by itself (`run --exit-when-done`, the demo and the tests:
// cli/until_done.h). Without one a run ends at a signal or at its timeout, with status 0.
struct RunGoal
{
    // What is still pending, in one line; empty once the goal is reached. Polled on the loop every
    // 200 ms: the run then ends with status 0, logging `reached`; at the timeout or a signal it
    // ends with status 1, logging what is still pending.
    std::function<std::string(const Station&)> pending;
    std::string reached;
};

struct RunOptions
{
    std::optional<RunGoal> goal;
    std::optional<std::chrono::seconds> timeout;
    // Where signals arrive (a signalfd for SIGINT/SIGTERM, blocked by main), or -1.
    int signalFd = -1;
};

// The bench program: composes the store, rules, workflow, devices, printer and camera workers and
// the MQTT uplink around one event loop, and runs the workflow (EffectRunner).
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

    // What the bench holds, for a RunGoal.
    const drivers::SimWorld& sim() const { return sim_; }
    const Workflow& workflow() const { return *workflow_; }
    const CameraService& camera() const { return *camera_; }
    Store& store() const { return *store_; }
    const Uplink* uplink() const { return uplink_.get(); }

private:
    explicit Station(StationConfig config);

    void dispatch(WorkflowEvent event);
    void onScanner(const drivers::DeviceEvent& event);
    // A scan into the workflow, after asking central about an unknown parcel (Uplink::lookup).
    void scanned(ScanInput scan);
    void releaseHeldScans();
    // A scan as the log may show it: no sign-in credential, a badge as its operator.
    std::string loggable(const std::string& text) const;
    // CMD:CAMERA: the code under the camera, read in a fresh still, becomes a scan.
    void readWithCamera();
    void cameraRead(const CameraCodes& result);
    // A message of the station's own (not the workflow's), shown and logged like the workflow's.
    void say(MessageLevel level, std::string text);
    void onScale(const drivers::DeviceEvent& event);
    std::map<std::string, std::string> deviceStatus() const;
    void checkGoal(const RunGoal& goal);

    StationConfig config_;
    EventLoop loop_;
    drivers::SimWorld sim_;
    std::unique_ptr<Store> store_;
    std::shared_ptr<const RuleSet> rules_;
    std::shared_ptr<const OperatorDirectory> operators_; // [station] operators; null: none
    std::unique_ptr<BenchCounters> counters_;            // [counters], from the store
    std::unique_ptr<Workflow> workflow_;
    std::unique_ptr<EffectRunner> runner_;
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
