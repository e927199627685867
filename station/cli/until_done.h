#pragma once

#include "app/station.h"

namespace retour::station {

// `run --exit-when-done`, for the demo and the tests: the run ends once the sim scenario is
// delivered, the bench idle, every label printed and, with waitForAcknowledgements, every event
// acknowledged by central (false only for tests of an offline bench).
RunGoal untilDone(bool waitForAcknowledgements = true);

} // namespace retour::station
