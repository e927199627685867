#pragma once

#include "retour/drivers/events.h"

#include <cstddef>
#include <deque>

namespace retour::drivers::protocol {

// When a reading counts as stable (issue: "accept a reading only when the device says stable, or
// when N readings agree within a window"). Set per device by URI parameters
// stable=device|agree|both&agree_count=N&agree_window_g=G.
struct StableWeightOptions
{
    enum class Mode
    {
        Device, // the scale's own stable flag (default)
        Agree,  // the last agreeCount readings lie within agreeWindowGrams; the device flag is
                // ignored (scales whose flag is unreliable, or that never send one)
        Both,   // the device says stable and the last agreeCount readings agree
    };
    Mode mode = Mode::Device;
    std::size_t agreeCount = 3;    // ≥ 1
    double agreeWindowGrams = 2.0; // max − min of the last readings, ≥ 0
};

// Applies the policy to a stream of readings. Readings in an error state (under zero, overload,
// needs zero or calibration, fault) pass through unchanged, never stable, and restart the agreement
// window. Otherwise the returned reading has stable and status (Stable / InMotion) set by the policy;
// grams and the device value and unit are never changed. Pure: no clock, no I/O.
//
// Thread contract: thread-bound (one per device).
class StableWeightPolicy
{
public:
    explicit StableWeightPolicy(StableWeightOptions options = {});

    Weight apply(Weight reading);
    void reset();

    const StableWeightOptions& options() const { return options_; }

private:
    bool agree() const;

    StableWeightOptions options_;
    std::deque<double> recent_; // grams of the last readings, at most agreeCount
};

} // namespace retour::drivers::protocol
