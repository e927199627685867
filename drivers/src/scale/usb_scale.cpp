#include "scale/usb_scale.h"

#include "retour/drivers/protocol/hid_scale.h"
#include "usb/open_device.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <libusb.h>
#include <span>
#include <sys/eventfd.h>
#include <unistd.h>

namespace retour::drivers::detail {

namespace {

// A scale that reports only on change may be silent for long: a timeout just resubmits
// (docs/protocols/hid-pos-scale.md §6).
constexpr unsigned kTransferTimeoutMs = 10000;
// How long the reader waits inside libusb per round; bounds how late it notices stop_.
constexpr long kEventRoundUs = 100000;
// Rounds close() waits for a cancelled transfer before giving up on it.
constexpr int kStopRounds = 20;
// Consecutive failed transfers (not timeouts) after which the scale is reported offline.
constexpr int kMaxConsecutiveErrors = 10;

std::string hint(int rc)
{
    switch (rc) {
    case LIBUSB_ERROR_ACCESS:
        return " (give the station user access with a udev rule for this VID:PID)";
    case LIBUSB_ERROR_BUSY:
        return " (another program or kernel driver holds the scale)";
    case LIBUSB_ERROR_NO_DEVICE:
        return " (the scale was unplugged or powered off)";
    default:
        return "";
    }
}

bool sameReading(const Weight& a, const Weight& b)
{
    return a.status == b.status && a.stable == b.stable && a.deviceValue == b.deviceValue &&
           a.deviceUnit == b.deviceUnit && a.grams == b.grams;
}

std::string usbIdText(unsigned vendor, unsigned product)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", vendor & 0xFFFFu, product & 0xFFFFu);
    return text;
}

} // namespace

UsbHidScale::UsbHidScale(DeviceUri uri, unsigned vendor, unsigned product, std::optional<std::string> serial,
                         protocol::StableWeightOptions stable)
    : uri_(std::move(uri)), vendor_(vendor), product_(product), serial_(std::move(serial)), policy_(stable)
{}

UsbHidScale::~UsbHidScale()
{
    close();
}

std::string UsbHidScale::libusbMessage(int rc, const std::string& what) const
{
    return "scale " + uri_.text + ": " + what + ": " + libusb_error_name(rc) + hint(rc);
}

Result<void> UsbHidScale::open()
{
    if (handle_ != nullptr) {
        return {};
    }
    auto opened = openDevice();
    if (!opened) {
        close();
        return opened;
    }
    return {};
}

Result<void> UsbHidScale::openDevice()
{
    const auto fail = [this](int rc, const std::string& what) {
        return std::unexpected(Error{codeForLibusb(rc), libusbMessage(rc, what)});
    };
    if (const int rc = libusb_init(&context_); rc != 0) {
        context_ = nullptr;
        return fail(rc, "libusb_init");
    }

    auto opened = openUsbDevice(context_, vendor_, product_, serial_);
    if (!opened) {
        return std::unexpected(
            Error{opened.error().code, "scale " + uri_.text + ": " + opened.error().message});
    }
    handle_ = opened->handle;
    const int openError = opened->openError;
    libusb_device* device = handle_ != nullptr ? libusb_get_device(handle_) : nullptr;
    const auto bus = device != nullptr ? libusb_get_bus_number(device) : 0;
    const auto address = device != nullptr ? libusb_get_device_address(device) : 0;
    libusb_config_descriptor* config = nullptr;
    if (device != nullptr && libusb_get_active_config_descriptor(device, &config) != 0) {
        config = nullptr;
        libusb_get_config_descriptor(device, 0, &config);
    }

    if (handle_ == nullptr) {
        if (openError != 0) {
            return fail(openError, "open " + usbIdText(vendor_, product_));
        }
        return std::unexpected(Error{
            ErrorCode::NotFound, "scale " + uri_.text + ": no USB device " + usbIdText(vendor_, product_) +
                                     (serial_ ? " with serial " + *serial_ : std::string()) +
                                     " (is the scale plugged in and switched on?)"});
    }

    // Interface 0, alternate setting 0: the HID interface with the interrupt IN endpoint
    // (docs/protocols/hid-pos-scale.md §4).
    bool hid = false;
    if (config != nullptr && config->bNumInterfaces > 0 && config->interface[0].num_altsetting > 0) {
        const libusb_interface_descriptor& alt = config->interface[0].altsetting[0];
        hid = alt.bInterfaceClass == LIBUSB_CLASS_HID;
        for (int e = 0; e < alt.bNumEndpoints; ++e) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[e];
            if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0 &&
                (ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT) {
                endpoint_ = ep.bEndpointAddress;
                packetSize_ = std::clamp(ep.wMaxPacketSize & 0x7FF, 6, static_cast<int>(buffer_.size()));
                break;
            }
        }
    }
    if (config != nullptr) {
        libusb_free_config_descriptor(config);
    }
    if (!hid || endpoint_ == 0) {
        return std::unexpected(
            Error{ErrorCode::NotSupported,
                  "scale " + uri_.text + ": interface 0 of " + usbIdText(vendor_, product_) +
                      " is not a HID interface with an interrupt IN endpoint: not a HID POS "
                      "scale"});
    }

    // Detach only a bound driver: under umockdev detaching fails with LIBUSB_ERROR_OTHER
    // (docs/protocols/testing-without-hardware.md §3), and a failed detach shows up as BUSY from claim
    // anyway.
    if (libusb_kernel_driver_active(handle_, 0) == 1) {
        detached_ = libusb_detach_kernel_driver(handle_, 0) == 0;
    }
    if (const int rc = libusb_claim_interface(handle_, 0); rc != 0) {
        return fail(rc, "claim interface 0");
    }
    claimed_ = true;

    wake_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!wake_) {
        return std::unexpected(errnoError(errno, "scale " + uri_.text + ": eventfd"));
    }
    transfer_ = libusb_alloc_transfer(0);
    if (transfer_ == nullptr) {
        return fail(LIBUSB_ERROR_NO_MEM, "allocate transfer");
    }
    libusb_fill_interrupt_transfer(transfer_, handle_, endpoint_, buffer_.data(), packetSize_,
                                   &UsbHidScale::onTransfer, this, kTransferTimeoutMs);
    stop_ = false;
    staleDiscarded_ = false;
    needClearHalt_ = false;
    offlinePosted_ = false;
    consecutiveErrors_ = 0;
    skipped_ = 0;
    last_.reset();
    policy_.reset();
    if (const int rc = libusb_submit_transfer(transfer_); rc != 0) {
        return fail(rc, "submit interrupt transfer");
    }
    transferActive_ = true;

    char where[48];
    std::snprintf(where, sizeof where, " on usb bus %u address %u", static_cast<unsigned>(bus),
                  static_cast<unsigned>(address));
    description_ = "HID POS scale " + usbIdText(vendor_, product_) + where;
    announce_ = true;
    reader_ = std::thread([this] { readerLoop(); });
    return {};
}

void UsbHidScale::close()
{
    if (reader_.joinable()) {
        stop_ = true;
        libusb_interrupt_event_handler(context_);
        reader_.join();
    }
    if (transfer_ != nullptr && !transferActive_) {
        libusb_free_transfer(transfer_);
    }
    // A transfer that would not cancel is left allocated: freeing it while in flight is worse.
    transfer_ = nullptr;
    transferActive_ = false;
    if (handle_ != nullptr) {
        if (claimed_) {
            libusb_release_interface(handle_, 0);
        }
        if (detached_) {
            libusb_attach_kernel_driver(handle_, 0);
        }
        libusb_close(handle_);
    }
    handle_ = nullptr;
    claimed_ = false;
    detached_ = false;
    endpoint_ = 0;
    if (context_ != nullptr) {
        libusb_exit(context_);
        context_ = nullptr;
    }
    wake_.reset();
    std::lock_guard lock(mutex_);
    queue_.clear();
    announce_ = false;
}

Result<void> UsbHidScale::zero()
{
    if (handle_ == nullptr) {
        return std::unexpected(Error{ErrorCode::Disconnected, "scale " + uri_.text + ": not open"});
    }
    // HID 1.11 §7.2.2 SET_REPORT: bmRequestType 0x21 (class, interface, host to device), bRequest
    // 0x09, wValue = report type Output (2) << 8 | report id 2, wIndex = interface 0.
    std::array<unsigned char, 2> report = {0x02, 0x02};
    constexpr unsigned kZeroTimeoutMs = 1000;
    const int rc = libusb_control_transfer(handle_, 0x21, 0x09, 0x0202, 0, report.data(),
                                           static_cast<std::uint16_t>(report.size()), kZeroTimeoutMs);
    if (rc == static_cast<int>(report.size())) {
        return {};
    }
    if (rc == LIBUSB_ERROR_PIPE) {
        return std::unexpected(
            Error{ErrorCode::NotSupported, "scale " + uri_.text +
                                               ": the scale stalled SET_REPORT for the Zero Scale "
                                               "output report (it has none; zero it with its button)"});
    }
    if (rc < 0) {
        return std::unexpected(Error{codeForLibusb(rc), libusbMessage(rc, "SET_REPORT (Zero Scale)")});
    }
    return std::unexpected(Error{ErrorCode::Io, "scale " + uri_.text + ": SET_REPORT sent " +
                                                    std::to_string(rc) + " of 2 bytes"});
}

Clock::time_point UsbHidScale::nextDeadline() const
{
    return announce_ ? Clock::time_point{} : Clock::time_point::max();
}

std::vector<DeviceEvent> UsbHidScale::service(Clock::time_point /*now*/)
{
    std::vector<DeviceEvent> events;
    if (handle_ == nullptr) {
        return events;
    }
    if (announce_) {
        events.emplace_back(DeviceOnline{description_});
        announce_ = false;
    }
    std::uint64_t counter = 0;
    [[maybe_unused]] const auto n = ::read(wake_.get(), &counter, sizeof counter);
    std::deque<DeviceEvent> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(queue_);
    }
    for (auto& event : pending) {
        const bool offline = std::holds_alternative<DeviceOffline>(event);
        events.push_back(std::move(event));
        if (offline) {
            close();
            break;
        }
    }
    return events;
}

void UsbHidScale::readerLoop()
{
    bool cancelRequested = false;
    int stopRounds = 0;
    while (true) {
        if (stop_) {
            if (!transferActive_ || stopRounds++ >= kStopRounds) {
                return;
            }
            if (!cancelRequested) {
                // Cancelled from this thread, so no callback can resubmit behind our back.
                libusb_cancel_transfer(transfer_);
                cancelRequested = true;
            }
        }
        timeval tv{0, kEventRoundUs};
        const int rc = libusb_handle_events_timeout_completed(context_, &tv, nullptr);
        if (rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED && rc != LIBUSB_ERROR_TIMEOUT) {
            post(DeviceOffline{libusbMessage(rc, "USB event handling failed")});
            return;
        }
        if (needClearHalt_ && !stop_) {
            needClearHalt_ = false;
            libusb_clear_halt(handle_, endpoint_);
            if (!transferActive_) {
                transferActive_ = submit();
            }
        }
    }
}

void UsbHidScale::onTransfer(libusb_transfer* transfer)
{
    static_cast<UsbHidScale*>(transfer->user_data)->handleTransfer(transfer);
}

void UsbHidScale::handleTransfer(libusb_transfer* transfer)
{
    switch (transfer->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        consecutiveErrors_ = 0;
        deliver(transfer->buffer, transfer->actual_length);
        break;
    case LIBUSB_TRANSFER_TIMED_OUT:
        break; // no news from the scale is not a disconnect (docs/protocols/hid-pos-scale.md §6)
    case LIBUSB_TRANSFER_CANCELLED:
        transferActive_ = false;
        return;
    case LIBUSB_TRANSFER_NO_DEVICE:
        transferActive_ = false;
        post(DeviceOffline{"scale " + uri_.text + " was unplugged or powered off (LIBUSB_ERROR_NO_DEVICE)"});
        return;
    case LIBUSB_TRANSFER_STALL:
        transferActive_ = false;
        needClearHalt_ = true; // cleared and resubmitted by readerLoop, outside the callback
        return;
    case LIBUSB_TRANSFER_ERROR:
    case LIBUSB_TRANSFER_OVERFLOW:
        if (++consecutiveErrors_ >= kMaxConsecutiveErrors) {
            transferActive_ = false;
            post(DeviceOffline{"scale " + uri_.text + ": " + std::to_string(consecutiveErrors_) +
                               " transfers in a row failed; re-plug the scale"});
            return;
        }
        break;
    }
    if (stop_) {
        transferActive_ = false;
        return;
    }
    transferActive_ = submit();
}

bool UsbHidScale::submit()
{
    const int rc = libusb_submit_transfer(transfer_);
    if (rc == 0) {
        return true;
    }
    if (rc == LIBUSB_ERROR_NO_DEVICE) {
        post(DeviceOffline{"scale " + uri_.text + " was unplugged or powered off (LIBUSB_ERROR_NO_DEVICE)"});
    } else {
        post(DeviceOffline{libusbMessage(rc, "resubmitting the interrupt transfer")});
    }
    return false;
}

void UsbHidScale::deliver(const unsigned char* data, int length)
{
    if (length <= 0) {
        return;
    }
    if (!staleDiscarded_) {
        staleDiscarded_ = true; // the first report after open is stale (usbscale WEIGH_COUNT 2;
                                // docs/protocols/hid-pos-scale.md §4)
        return;
    }
    auto weight = protocol::parseHidScaleReport(std::span(data, static_cast<std::size_t>(length)));
    if (!weight) {
        ++skipped_;
        return;
    }
    Weight reading = policy_.apply(std::move(*weight));
    if (last_ && sameReading(*last_, reading)) {
        return;
    }
    last_ = reading;
    post(std::move(reading));
}

void UsbHidScale::post(DeviceEvent event)
{
    if (std::holds_alternative<DeviceOffline>(event)) {
        if (offlinePosted_) {
            return;
        }
        offlinePosted_ = true;
    }
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(event));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_.get(), &one, sizeof one);
}

} // namespace retour::drivers::detail
