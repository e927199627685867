#pragma once

#include "app/error.h"
#include "workflow/workflow.h"

#include <deque>
#include <functional>
#include <string>

namespace retour::station {

class CameraService;
class LabelSpooler;
class Store;

// Runs the workflow of the bench: hands it an event, executes the effects it answers with (store
// writes, photos, labels, operator messages) and hands it the answers of the store, until none is
// left. A store write that fails stops the answer there: the effects after it are not executed and
// the workflow is told (StoreFailed), so it goes back to where it was and tells the operator
// instead of going on as if the write had been saved.
//
// Thread contract: thread-bound (the station loop).
class EffectRunner
{
public:
    struct Parts
    {
        Workflow& workflow;
        Store& store;
        LabelSpooler& spooler;
        CameraService& camera;
        std::string configuredOperator; // records the parcel's closing (Store::closeParcel actor)
    };
    // Sees each event before the workflow handles it and each effect before it is executed (the
    // operator UI); either may be empty.
    struct Observer
    {
        std::function<void(const WorkflowEvent&)> event;
        std::function<void(const Effect&)> effect;
    };

    EffectRunner(Parts parts, Observer observer = {});

    void dispatch(WorkflowEvent event);

private:
    // Errors: the store write of the effect failed (ErrorCode::Database), its message phrased for
    // the operator. CommitInspection and VoidInspection answer in `answers` instead, failure
    // included.
    Result<void> execute(Effect& effect, std::deque<WorkflowEvent>& answers);

    Parts parts_;
    Observer observer_;
};

// An operator message in the station's log, at its level.
void logOperatorMessage(const OperatorMessage& message);

} // namespace retour::station
