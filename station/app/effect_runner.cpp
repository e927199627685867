#include "app/effect_runner.h"

#include "devices/camera_service.h"
#include "devices/label_spooler.h"
#include "store/store.h"

#include <spdlog/spdlog.h>

namespace retour::station {

namespace {

// A failed write: logged as an alarm, and its sentence for the operator.
std::unexpected<Error> notSaved(std::string what, const Error& error)
{
    spdlog::error("operator: ALARM: {}: {}", what, error.message);
    return fail(ErrorCode::Database, what + ": " + error.message);
}

} // namespace

void logOperatorMessage(const OperatorMessage& message)
{
    switch (message.level) {
    case MessageLevel::Info:
        spdlog::info("operator: {}", message.text);
        break;
    case MessageLevel::Warning:
        spdlog::warn("operator: {}", message.text);
        break;
    case MessageLevel::Error:
        spdlog::error("operator: {}", message.text);
        break;
    }
}

EffectRunner::EffectRunner(Parts parts, Observer observer)
    : parts_(std::move(parts)), observer_(std::move(observer))
{}

void EffectRunner::dispatch(WorkflowEvent event)
{
    std::deque<WorkflowEvent> events;
    events.push_back(std::move(event));
    while (!events.empty()) {
        if (observer_.event) {
            observer_.event(events.front());
        }
        auto effects = parts_.workflow.handle(events.front());
        events.pop_front();
        for (std::size_t i = 0; i < effects.size(); ++i) {
            if (observer_.effect) {
                observer_.effect(effects[i]);
            }
            if (auto ok = execute(effects[i], events); !ok) {
                // Before any other answer: the workflow goes back before it goes on.
                events.push_front(StoreFailed{i, ok.error().message});
                break;
            }
        }
    }
}

Result<void> EffectRunner::execute(Effect& effect, std::deque<WorkflowEvent>& answers)
{
    Store& store = parts_.store;
    return std::visit(
        Overloaded{
            [](const OperatorMessage& message) -> Result<void> {
                logOperatorMessage(message);
                return {};
            },
            [&](const OpenParcel& open) -> Result<void> {
                if (auto ok = store.createParcel(open.parcel); !ok) {
                    return notSaved("parcel " + open.parcel.scanned + " not saved", ok.error());
                }
                return {};
            },
            [&](const CapturePhoto& capture) -> Result<void> {
                parts_.camera.capture(capture.inspectionId, capture.view);
                return {};
            },
            [&](const CommitInspection& commit) -> Result<void> {
                auto ok = store.confirmItem(commit.inspection, commit.label);
                answers.push_back(CommitResult{commit.inspection.inspectionId, ok.has_value(),
                                               ok ? std::string{} : ok.error().message});
                return {};
            },
            [&](PrintLabel& print) -> Result<void> {
                parts_.spooler.enqueue(std::move(print.label));
                return {};
            },
            [&](ReprintLabel& reprint) -> Result<void> {
                if (auto ok =
                        store.addReprint(reprint.label, reprint.originalJobId, parts_.workflow.operatorId());
                    !ok) {
                    return notSaved("reprint of " + reprint.label.lpn + " not queued", ok.error());
                }
                parts_.spooler.enqueue(std::move(reprint.label));
                return {};
            },
            [&](const VoidInspection& voided) -> Result<void> {
                auto ok = store.voidInspection(voided.inspectionId, voided.operatorId, voided.at);
                if (ok) {
                    parts_.spooler.drop(voided.inspectionId);
                }
                answers.push_back(
                    VoidResult{voided.inspectionId, ok.has_value(), ok ? std::string{} : ok.error().message});
                return {};
            },
            [&](const AuditChange& change) -> Result<void> {
                if (auto ok = store.recordChange(change.actor, change.action, change.subject, change.before,
                                                 change.after);
                    !ok) {
                    return notSaved(change.action + " of " + change.subject + " not recorded", ok.error());
                }
                return {};
            },
            [&](const CloseParcel& close) -> Result<void> {
                nlohmann::json missing = nlohmann::json::array();
                for (const auto& line : close.missing) {
                    missing.push_back(
                        {{"line_id", line.lineId}, {"sku", line.sku}, {"missing", line.missing}});
                }
                if (auto ok = store.closeParcel(close.parcelId, close.findings, missing, close.closedAt,
                                                parts_.configuredOperator);
                    !ok) {
                    return notSaved("parcel " + close.parcelId + " not closed", ok.error());
                }
                return {};
            },
        },
        effect);
}

} // namespace retour::station
