#pragma once

#include "common/unique_fd.h"
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/weight_policy.h"
#include "retour/drivers/scale_control.h"

#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

struct libusb_context;
struct libusb_device_handle;
struct libusb_transfer;

namespace retour::drivers::detail {

// A USB HID POS scale (usage page 0x8D) read with libusb: usb:VID:PID[?serial=…]
// (docs/protocols/hid-pos-scale.md). Open: own libusb context, device by VID:PID (and serial), kernel driver
// detached only if bound, interface 0 claimed, interrupt IN endpoint from the config descriptor. A private
// reader thread runs libusb's event loop with one interrupt transfer in flight; it throws the first (stale)
// report away, parses the others, applies the stable-weight policy (stable=device|agree|both), drops repeats
// of the last reading (scales report every few ms) and hands Weights to the owner through a queue and an
// eventfd (fd()). A read timeout is not a disconnect (docs/protocols/hid-pos-scale.md §6);
// LIBUSB_ERROR_NO_DEVICE is. Reports that are not scale data (other ids, 2-byte reports of some Mettler
// Toledo models) are skipped.
//
// zero() sends the Zero Scale output report (report 2, bit 1) as a HID SET_REPORT control transfer,
// which works whether or not the scale has an interrupt OUT endpoint (docs/protocols/hid-pos-scale.md §4); a
// scale without that report stalls it and zero() says so.
//
// Thread contract: thread-bound (InputDevice); the reader thread touches only the transfer, the
// queue (under mutex_) and the eventfd.
class UsbHidScale final : public InputDevice, public ScaleControl
{
public:
    UsbHidScale(DeviceUri uri, unsigned vendor, unsigned product, std::optional<std::string> serial,
                protocol::StableWeightOptions stable = {});
    ~UsbHidScale() override;

    const DeviceUri& uri() const override { return uri_; }
    DeviceKind kind() const override { return DeviceKind::Scale; }
    Result<void> open() override;
    void close() override;
    bool isOpen() const override { return handle_ != nullptr; }
    int fd() const override { return wake_.get(); }
    Clock::time_point nextDeadline() const override;
    std::vector<DeviceEvent> service(Clock::time_point now) override;

    Result<void> zero() override;

    // Reports that could not be parsed since open() (for diagnostics).
    std::size_t skippedReports() const { return skipped_.load(); }

private:
    Result<void> openDevice();
    void readerLoop();
    static void onTransfer(libusb_transfer* transfer);
    void handleTransfer(libusb_transfer* transfer);      // reader thread
    void deliver(const unsigned char* data, int length); // reader thread
    bool submit();                // reader thread (and open() before the thread starts)
    void post(DeviceEvent event); // reader thread
    std::string libusbMessage(int rc, const std::string& what) const;

    DeviceUri uri_;
    unsigned vendor_;
    unsigned product_;
    std::optional<std::string> serial_;
    std::string description_;

    libusb_context* context_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    libusb_transfer* transfer_ = nullptr;
    unsigned char endpoint_ = 0;
    int packetSize_ = 6;
    bool detached_ = false;
    bool claimed_ = false;
    bool announce_ = false;
    std::array<unsigned char, 64> buffer_{};

    UniqueFd wake_; // eventfd: readable when queue_ has events
    std::thread reader_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> transferActive_{false};
    std::atomic<std::size_t> skipped_{0};
    std::mutex mutex_;
    std::deque<DeviceEvent> queue_; // guarded by mutex_

    // Reader-thread state (reset by open() before the thread starts).
    bool staleDiscarded_ = false;
    bool needClearHalt_ = false;
    bool offlinePosted_ = false;
    int consecutiveErrors_ = 0;
    std::optional<Weight> last_;
    protocol::StableWeightPolicy policy_; // stable=… URI parameters (weight_policy.h)
};

} // namespace retour::drivers::detail
