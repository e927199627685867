#include "app/station.h"

#include "app/effect_runner.h"
#include "retour/contract/message.h"
#include "retour/link/outbox.h"
#include "web/ui_bridge.h"
#include "workflow/identify.h"
#include "workflow/operator_input.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace retour::station {

Station::Station(StationConfig config) : config_(std::move(config)) {}

Station::~Station()
{
    if (ui_) {
        ui_->stop();
    }
    if (spooler_) {
        spooler_->stop();
    }
    if (camera_) {
        camera_->stop();
    }
    if (uplink_) {
        uplink_->stop();
    }
}

Result<std::unique_ptr<Station>> Station::create(StationConfig config)
{
    std::unique_ptr<Station> station(new Station(std::move(config)));
    const StationConfig& c = station->config_;

    auto rules = loadRules(c.rulesFile);
    if (!rules) {
        return std::unexpected(rules.error());
    }
    if (!c.checklistsFile.empty()) {
        auto checklists = loadChecklists(c.checklistsFile);
        if (!checklists) {
            return std::unexpected(checklists.error());
        }
        rules->checklists = std::move(*checklists);
    }
    if (!c.gradeTermsFile.empty()) {
        auto terms = loadGradeTerms(c.gradeTermsFile);
        if (!terms) {
            return std::unexpected(terms.error());
        }
        rules->gradeTerms = std::move(*terms);
    }
    station->rules_ = std::make_shared<const RuleSet>(std::move(*rules));

    auto store = Store::open(c.databasePath(), Store::Options{c.site, c.stationId, c.outbox.capacity, 5000});
    if (!store) {
        return std::unexpected(store.error());
    }
    station->store_ = std::move(*store);
    station->counters_ = std::make_unique<BenchCounters>(*station->store_, c.counters);
    auto lastSeq = station->store_->lastLpnSeq();
    if (!lastSeq) {
        return std::unexpected(lastSeq.error());
    }

    const drivers::DeviceContext context{&station->sim_};
    Station* self = station.get();
    for (auto [role, uri, slot, handler] :
         {std::tuple{"scanner", &c.scanner, &station->scanner_,
                     InputSlot::Handler([self](const drivers::DeviceEvent& e) { self->onScanner(e); })},
          std::tuple{"scale", &c.scale, &station->scale_,
                     InputSlot::Handler([self](const drivers::DeviceEvent& e) { self->onScale(e); })}}) {
        if (!*uri) {
            continue;
        }
        auto device = drivers::makeInputDevice(**uri, context);
        if (!device) {
            return fail(ErrorCode::Config,
                        c.file.string() + ": [devices] " + role + ": " + device.error().message);
        }
        *slot = std::make_unique<InputSlot>(role, std::move(*device), handler);
    }
    std::unique_ptr<drivers::LabelPrinter> printer;
    if (c.printer) {
        auto made = drivers::makeLabelPrinter(*c.printer, context);
        if (!made) {
            return fail(ErrorCode::Config, c.file.string() + ": [devices] printer: " + made.error().message);
        }
        printer = std::move(*made);
    }
    station->spooler_ = std::make_unique<LabelSpooler>(station->loop_, *station->store_, std::move(printer));
    std::optional<vision::CameraSource> source;
    if (c.camera) {
        source = cameraSourceFrom(*c.camera);
    }
    station->camera_ =
        std::make_unique<CameraService>(station->loop_, source, c.photoDir(), c.photos.jpegQuality,
                                        [self](PhotoResult result) { self->dispatch(std::move(result)); });

    WorkflowSettings settings;
    settings.stationId = c.stationId;
    settings.operatorId = c.operatorId;
    settings.weight = c.weight;
    settings.photos = c.photos;
    settings.hasScale = c.scale.has_value();
    settings.hasCamera = c.camera.has_value();
    if (!c.operatorsFile.empty()) {
        auto operators = OperatorDirectory::load(c.operatorsFile);
        if (!operators) {
            return std::unexpected(operators.error());
        }
        settings.operators = std::make_shared<const OperatorDirectory>(std::move(*operators));
        station->operators_ = settings.operators;
    }
    WorkflowServices services{[] { return sync::newUuidV7(); }, [] { return nowTimestamp(); },
                              [self](const std::string& lpn) -> std::optional<LpnInfo> {
                                  auto found = self->store_->findLpn(lpn);
                                  if (!found) {
                                      spdlog::warn("store: LPN {} not looked up: {}", lpn,
                                                   found.error().message);
                                      return std::nullopt;
                                  }
                                  return *found;
                              }};
    station->workflow_ =
        std::make_unique<Workflow>(settings, station->rules_, *station->store_, services, *lastSeq);
    EffectRunner::Observer observer;
    if (c.ui) {
        observer.event = [self](const WorkflowEvent& event) { self->ui_->observe(event); };
        observer.effect = [self](const Effect& effect) { self->ui_->observe(effect); };
    }
    station->runner_ = std::make_unique<EffectRunner>(
        EffectRunner::Parts{*station->workflow_, *station->store_, *station->spooler_, *station->camera_,
                            c.operatorId},
        std::move(observer));

    if (c.broker) {
        Uplink::Settings uplink{c.site, c.stationId, *c.broker, c.outbox.window, std::chrono::seconds(30)};
        station->uplink_ = std::make_unique<Uplink>(station->loop_, *station->store_, uplink,
                                                    [self] { return self->deviceStatus(); });
        station->uplink_->onStatusCounters([self] { return toContract(self->counters_->current()); });
        station->spooler_->onEventStored([self] { self->uplink_->pump(); });
    }
    if (c.ui) {
        // Operator input from the HTTP threads enters the loop as scans, like the scanner's.
        station->ui_ = std::make_unique<web::UiBridge>(
            station->loop_,
            web::UiBridge::Parts{c.site, c.stationId, c.operatorId, *station->workflow_, *station->store_,
                                 [self] { return self->uplink_.get(); },
                                 [self] { return self->deviceStatus(); }},
            web::WebSettings{c.ui->host, c.ui->port, web::uiDirectory(c.ui->dir), c.photoDir(), {}},
            [self](std::string text, std::string origin) {
                self->loop_.post([self, text = std::move(text), origin = std::move(origin)] {
                    spdlog::info("{}: \"{}\"", origin, self->loggable(text));
                    self->scanned(ScanInput{text, origin});
                });
            });
        station->ui_->setCounters([self] { return self->counters_->json(); });
        station->ui_->setLabels([self] { return self->spooler_->heldStatus(); });
    }
    return station;
}

std::map<std::string, std::string> Station::deviceStatus() const
{
    std::map<std::string, std::string> devices;
    if (scanner_) {
        devices["scanner"] = scanner_->online() ? "online" : "offline";
    }
    if (scale_) {
        devices["scale"] = scale_->online() ? "online" : "offline";
    }
    if (spooler_->status() != "none") {
        devices["printer"] = spooler_->status();
    }
    if (camera_->configured()) {
        devices["camera"] = camera_->status();
    }
    return devices;
}

void Station::dispatch(WorkflowEvent event)
{
    runner_->dispatch(std::move(event));
    if (uplink_) {
        uplink_->pump();
    }
    if (ui_) {
        ui_->publish();
    }
}

void Station::onScanner(const drivers::DeviceEvent& event)
{
    if (const auto* scan = std::get_if<drivers::Scan>(&event)) {
        spdlog::info("scan: \"{}\"{}", loggable(scan->text),
                     scan->symbology.empty() ? "" : " (" + scan->symbology + ")");
        scanned(ScanInput{scan->text, scan->symbology});
    } else if (std::holds_alternative<drivers::DeviceOffline>(event)) {
        spdlog::warn("operator: scanner offline: scans are not received until it is back");
    }
}

void Station::say(MessageLevel level, std::string text)
{
    Effect message = OperatorMessage{level, std::move(text)};
    if (ui_) {
        ui_->observe(message);
    }
    logOperatorMessage(std::get<OperatorMessage>(message));
    if (ui_) {
        ui_->publish();
    }
}

void Station::readWithCamera()
{
    if (!camera_->configured()) {
        say(MessageLevel::Warning, "no camera on this bench: type the code instead");
        return;
    }
    say(MessageLevel::Info, "reading the code under the camera");
    cameraPending_ = true;
    camera_->readCodes([this](CameraCodes result) {
        cameraPending_ = false;
        cameraRead(result);
        releaseHeldScans();
    });
}

void Station::cameraRead(const CameraCodes& result)
{
    if (!result.failure.empty()) {
        say(MessageLevel::Warning, "the camera cannot read: " + result.failure + "; type the code instead");
        return;
    }
    std::vector<const vision::DecodedCode*> distinct;
    for (const auto& code : result.codes) {
        if (std::none_of(distinct.begin(), distinct.end(),
                         [&](const vision::DecodedCode* seen) { return seen->text == code.text; })) {
            distinct.push_back(&code);
        }
    }
    if (distinct.empty()) {
        say(MessageLevel::Warning,
            "the camera sees no code: hold the label flat under the camera, a hand's width closer, and "
            "try again");
        return;
    }
    if (distinct.size() > 1) {
        std::string list;
        for (const auto* code : distinct) {
            list += (list.empty() ? "" : ", ") + ("\"" + code->text + "\" (" + code->format + ")");
        }
        say(MessageLevel::Warning, "the camera sees " + std::to_string(distinct.size()) + " codes (" + list +
                                       "): cover all but the one you mean and try again, or type it");
        return;
    }
    spdlog::info("camera: \"{}\" ({})", distinct.front()->text, distinct.front()->format);
    scanned(ScanInput{distinct.front()->text, distinct.front()->format});
}

std::string Station::loggable(const std::string& text) const
{
    if (operators_) {
        if (const auto* op = operators_->byBadge(text)) {
            return "<badge of " + op->id + ">";
        }
    }
    return redactCredential(text);
}

void Station::scanned(ScanInput scan)
{
    // Scans wait in order while central is asked about an unknown one or the camera reads.
    if (lookupPending_ || cameraPending_) {
        heldScans_.push_back(std::move(scan));
        return;
    }
    if (scan.text == kCameraReadInput) {
        readWithCamera();
        return;
    }
    // A parcel scan the RMA cache does not know: ask central first when it can answer (an RMA
    // created after the last push, one this bench never received, the return of a pre-printed
    // label or of an SSCC), else go on as unannounced or as a return created at the bench.
    if (uplink_ && uplink_->canLookup() && workflow_->state() == Workflow::State::Idle &&
        !scan.text.starts_with("CMD:") && !(operators_ && operators_->byBadge(scan.text) != nullptr)) {
        const Identification id = identifyParcel(scan.text, *store_, workflow_->rules().preprintedLabel);
        if (!id.lookupKey.empty()) {
            lookupPending_ = true;
            uplink_->lookup(id.lookupKey, id.lookupValue, std::chrono::milliseconds(1500),
                            [this, scan = std::move(scan)](std::vector<Rma>) {
                                lookupPending_ = false;
                                dispatch(scan);
                                releaseHeldScans();
                            });
            return;
        }
    }
    dispatch(std::move(scan));
}

void Station::releaseHeldScans()
{
    // Scans made while central was asked or the camera read wait for it, in order.
    while (!lookupPending_ && !cameraPending_ && !heldScans_.empty()) {
        ScanInput next = std::move(heldScans_.front());
        heldScans_.pop_front();
        scanned(std::move(next));
    }
}

void Station::onScale(const drivers::DeviceEvent& event)
{
    if (const auto* weight = std::get_if<drivers::Weight>(&event)) {
        dispatch(
            WeightInput{weight->grams, weight->stable && weight->status == drivers::WeightStatus::Stable});
    } else if (std::holds_alternative<drivers::DeviceOffline>(event)) {
        dispatch(DeviceAvailability{DeviceAvailability::Device::Scale, false});
    } else if (std::holds_alternative<drivers::DeviceOnline>(event)) {
        dispatch(DeviceAvailability{DeviceAvailability::Device::Scale, true});
    }
}

void Station::checkGoal(const RunGoal& goal)
{
    if (goal.pending(*this).empty()) {
        spdlog::info("{}", goal.reached);
        exitCode_ = 0;
        loop_.quit();
        return;
    }
    loop_.after(std::chrono::milliseconds(200), [this, &goal] { checkGoal(goal); });
}

int Station::run(const RunOptions& options)
{
    if (options.signalFd >= 0) {
        loop_.addSource(EventLoop::Source{
            [fd = options.signalFd] { return fd; }, nullptr,
            [this, fd = options.signalFd, goal = options.goal.has_value()](EventLoop::Clock::time_point) {
                signalfd_siginfo info{};
                if (::read(fd, &info, sizeof info) == sizeof info) {
                    spdlog::info("signal {}: stopping", info.ssi_signo);
                }
                exitCode_ = goal ? 1 : 0;
                loop_.quit();
            }});
    }
    for (auto* slot : {scanner_.get(), scale_.get()}) {
        if (slot != nullptr) {
            slot->attach(loop_);
        }
    }
    if (!scanner_) {
        spdlog::warn("no scanner configured: nothing can be identified");
    }
    spdlog::info("station {} of {} ready; rules {} ({} rules); {}", config_.stationId, config_.site,
                 config_.rulesFile.string(), rules_->rules.size(), workflow_->prompt());
    spooler_->loadPending();
    if (ui_) {
        if (auto ok = ui_->start(); !ok) {
            spdlog::error("{}", ok.error().message);
            return 2;
        }
    }
    if (uplink_) {
        if (auto ok = uplink_->start(); !ok) {
            spdlog::warn("sync: {}; the station keeps working offline", ok.error().message);
        }
    } else {
        spdlog::warn("sync: no [broker] configured: the station works offline and keeps every event queued");
    }
    if (options.goal) {
        loop_.after(std::chrono::milliseconds(200), [this, &goal = *options.goal] { checkGoal(goal); });
    }
    if (options.timeout) {
        loop_.after(*options.timeout, [this, &options] {
            if (!options.goal) {
                spdlog::info("ran for {} s: stopping", options.timeout->count());
                exitCode_ = 0;
            } else {
                spdlog::error("timeout after {} s; still pending: {}", options.timeout->count(),
                              options.goal->pending(*this));
                exitCode_ = 1;
            }
            loop_.quit();
        });
    }
    loop_.run();
    if (ui_) {
        ui_->stop();
    }
    spooler_->stop();
    camera_->stop();
    if (uplink_) {
        uplink_->stop();
    }
    return exitCode_;
}

} // namespace retour::station
