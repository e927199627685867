#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace retour::drivers {

// Typed events every driver emits (docs/architecture.md "Devices").

// One GS1 application identifier and its data, e.g. {"01", "09521234543213"} (docs/protocols/scanners.md §5).
struct Gs1Element
{
    std::string ai;
    std::string value;
};

struct Scan
{
    std::string text;      // decoded data, AIM prefix removed; GS (0x1D) kept as FNC1 separator
    std::string symbology; // "EAN-13", "Code 128", "GS1-128", "QR", … or "" when unknown
    std::string aimId;     // "]E0", "]C1", … when the scanner sent one, else ""
    std::string raw;       // the bytes as received, after transport framing
    // GS1 element string parsed into AIs, in order, when the data is GS1 (protocol/gs1.h); empty
    // otherwise and when malformed.
    std::vector<Gs1Element> gs1{};
    // Why data announced as GS1 (AIM ]C1 ]d2 ]Q3 ]e0 …, or a leading GS) is malformed; "" when fine.
    std::string gs1Error{};
};

enum class WeightStatus
{
    Stable,    // a valid reading the scale calls stable (includes stable at zero)
    InMotion,  // platter still moving: wait
    UnderZero, // negative reading (grams < 0)
    Overload,  // over the capacity of the scale
    NeedsZero, // the scale asks to be re-zeroed
    NeedsCalibration,
    Fault,
};
const char* toString(WeightStatus status);

struct Weight
{
    double grams = 0; // converted from the device unit
    bool stable = false;
    WeightStatus status = WeightStatus::InMotion;
    double deviceValue = 0; // the value in the device's own unit
    std::string deviceUnit; // "g", "kg", "oz", "lb", …
};

struct PrinterStatus
{
    bool ready = false;
    bool paperOut = false;
    bool ribbonOut = false;
    bool headOpen = false;
    bool paused = false;
    bool bufferFull = false;
    int formatsInBuffer = 0;
    std::string detail; // human-readable summary of what is wrong, empty when ready
};

struct DeviceOnline
{
    std::string description; // "Dymo M10 on usb 1-2", "127.0.0.1:9100"
};

struct DeviceOffline
{
    std::string reason;
};

// The scale's answer to a zero command (MT-SICS Z / ZI, SMA Z, NCI Z, Toledo Z): ok, or the
// device's reason for refusing ("in motion", "above the zero range", …).
struct ZeroResult
{
    bool ok = false;
    std::string reason; // "" when ok
};

// The scale's answer to a tare command (MT-SICS T / TI / TAC, SMA T / C): ok with the tare now
// held (0 after clearing; nullopt when the protocol does not say), or the device's reason.
struct TareResult
{
    bool ok = false;
    std::optional<double> grams; // the tare weight in grams
    double deviceValue = 0;      // in the device's unit, when grams is set
    std::string deviceUnit;      // "g", "kg", "lb", … when grams is set
    std::string reason;          // "" when ok
};

// A label job finished (printed or refused). jobId is the caller's idempotency key.
struct PrintResult
{
    std::string jobId;
    bool printed = false;
    std::string reason; // why it was not printed
};

using DeviceEvent = std::variant<Scan, Weight, PrinterStatus, DeviceOnline, DeviceOffline, PrintResult,
                                 ZeroResult, TareResult>;

} // namespace retour::drivers
