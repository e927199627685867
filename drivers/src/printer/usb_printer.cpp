#include "printer/usb_printer.h"

#include "usb/open_device.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <libusb.h>

namespace retour::drivers::detail {

namespace {

using Clock = std::chrono::steady_clock;

// Bulk IN reads ask for this much: a whole ~HS or ~HQES reply fits in one transfer.
constexpr int kReadChunk = 512;
// Bulk OUT writes go in pieces of this size so that a stalled printer is noticed per piece.
constexpr std::size_t kWriteChunk = 4096;
// Control requests (device id, port status) wait at most this long.
constexpr unsigned kControlTimeoutMs = 1000;
// bmRequestType of the printer-class requests: IN, class, interface (Printer Class 1.1 §4.2).
constexpr std::uint8_t kClassInterfaceIn = 0xA1;

unsigned msUntil(Clock::time_point deadline)
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<unsigned>(std::clamp<long long>(left, 1, 600000)); // 0 would mean "forever"
}

std::string usbIdText(unsigned vendor, unsigned product)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", vendor & 0xFFFFu, product & 0xFFFFu);
    return text;
}

} // namespace

// The bulk pipes of the claimed interface as a ZplLink.
class UsbPrinter::BulkLink final : public ZplLink
{
public:
    explicit BulkLink(UsbPrinter& printer) : p_(printer) {}

    Result<void> sendAll(std::string_view bytes, TimePoint deadline) override
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const std::size_t piece = std::min(kWriteChunk, bytes.size() - sent);
            int transferred = 0;
            // libusb takes a non-const buffer for both directions; OUT data is only read.
            auto* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data() + sent));
            const int rc = libusb_bulk_transfer(p_.handle_, p_.outEndpoint_, data, static_cast<int>(piece),
                                                &transferred, msUntil(deadline));
            sent += static_cast<std::size_t>(std::max(transferred, 0));
            if (rc == 0 || (rc == LIBUSB_ERROR_TIMEOUT && Clock::now() < deadline)) {
                continue; // a full buffer NAKs: resume from `sent` (docs/protocols/zpl.md §4)
            }
            const std::string progress =
                " after " + std::to_string(sent) + " of " + std::to_string(bytes.size()) + " bytes";
            if (rc == LIBUSB_ERROR_TIMEOUT) {
                return std::unexpected(
                    Error{ErrorCode::Timeout, p_.label_ + ": the printer stopped taking data" + progress});
            }
            return std::unexpected(p_.usbError(rc, "bulk OUT" + progress));
        }
        return {};
    }

    Result<void> readUntil(std::string& buffer, const std::function<bool(std::string_view)>& done,
                           TimePoint deadline) override
    {
        if (p_.inEndpoint_ == 0) {
            return std::unexpected(
                Error{ErrorCode::NotSupported, p_.label_ + ": unidirectional printer, no replies"});
        }
        std::array<unsigned char, kReadChunk> chunk{};
        while (!done(buffer)) {
            if (Clock::now() >= deadline) {
                return std::unexpected(Error{ErrorCode::Timeout, p_.label_ + ": no complete reply (got " +
                                                                     std::to_string(buffer.size()) +
                                                                     " bytes)"});
            }
            int got = 0;
            const int rc = libusb_bulk_transfer(p_.handle_, p_.inEndpoint_, chunk.data(), kReadChunk, &got,
                                                msUntil(deadline));
            buffer.append(reinterpret_cast<const char*>(chunk.data()),
                          static_cast<std::size_t>(std::max(got, 0)));
            if (rc == 0 || rc == LIBUSB_ERROR_TIMEOUT) {
                continue;
            }
            return std::unexpected(p_.usbError(rc, "bulk IN"));
        }
        return {};
    }

    // Bulk IN data arrives only for a transfer we submit, and readUntil() keeps whole transfers:
    // nothing is left to discard.
    void drainPending() override {}

    const std::string& label() const override { return p_.label_; }

private:
    UsbPrinter& p_;
};

UsbPrinter::UsbPrinter(DeviceUri uri, unsigned vendor, unsigned product, std::optional<std::string> serial,
                       std::chrono::milliseconds timeout)
    : uri_(std::move(uri)), vendor_(vendor), product_(product), serial_(std::move(serial)), timeout_(timeout),
      label_("printer " + uri_.text)
{}

UsbPrinter::~UsbPrinter()
{
    close();
}

Error UsbPrinter::usbError(int rc, const std::string& what) const
{
    std::string hint;
    if (rc == LIBUSB_ERROR_ACCESS) {
        hint = " (give the station user access with a udev rule for " + usbIdText(vendor_, product_) + ")";
    } else if (rc == LIBUSB_ERROR_NO_DEVICE) {
        hint = " (the printer was unplugged or switched off)";
    } else if (rc == LIBUSB_ERROR_BUSY) {
        hint = " (another program holds the printer: stop CUPS' usb backend or the other station)";
    }
    return Error{codeForLibusb(rc), label_ + ": " + what + ": " + libusb_error_name(rc) + hint};
}

template <class T> Result<T> UsbPrinter::closeOnLoss(Result<T> result)
{
    if (!result && result.error().code == ErrorCode::Disconnected) {
        close(); // re-opened (re-enumerated) by the next call
    }
    return result;
}

Result<void> UsbPrinter::ensureOpen()
{
    if (handle_ != nullptr) {
        return {};
    }
    if (context_ == nullptr) {
        if (const int rc = libusb_init(&context_); rc != 0) {
            context_ = nullptr;
            return std::unexpected(usbError(rc, "libusb_init"));
        }
    }
    // Only a device with a printer-class interface is opened; its endpoints are kept.
    const auto printerInterface = [this](libusb_device* device) {
        libusb_config_descriptor* config = nullptr;
        if (libusb_get_active_config_descriptor(device, &config) != 0 &&
            libusb_get_config_descriptor(device, 0, &config) != 0) {
            return false;
        }
        // The printer-class altsetting: bidirectional (protocol 2) preferred over unidirectional.
        int bestProtocol = 0;
        for (int f = 0; f < config->bNumInterfaces; ++f) {
            const libusb_interface& itf = config->interface[f];
            for (int a = 0; a < itf.num_altsetting; ++a) {
                const libusb_interface_descriptor& alt = itf.altsetting[a];
                if (alt.bInterfaceClass != LIBUSB_CLASS_PRINTER || alt.bInterfaceSubClass != 1 ||
                    (alt.bInterfaceProtocol != 1 && alt.bInterfaceProtocol != 2) ||
                    alt.bInterfaceProtocol <= bestProtocol) {
                    continue;
                }
                unsigned char out = 0;
                unsigned char in = 0;
                for (int e = 0; e < alt.bNumEndpoints; ++e) {
                    const libusb_endpoint_descriptor& ep = alt.endpoint[e];
                    if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) {
                        continue;
                    }
                    if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) {
                        in = in == 0 ? ep.bEndpointAddress : in;
                    } else {
                        out = out == 0 ? ep.bEndpointAddress : out;
                    }
                }
                if (out == 0) {
                    continue;
                }
                bestProtocol = alt.bInterfaceProtocol;
                interface_ = alt.bInterfaceNumber;
                altsetting_ = alt.bAlternateSetting;
                outEndpoint_ = out;
                inEndpoint_ = bestProtocol == 2 ? in : 0;
            }
        }
        libusb_free_config_descriptor(config);
        return bestProtocol != 0;
    };
    auto opened = openUsbDevice(context_, vendor_, product_, serial_, printerInterface);
    if (!opened) {
        return std::unexpected(Error{opened.error().code, label_ + ": " + opened.error().message});
    }
    handle_ = opened->handle;
    const int openError = opened->openError;
    const bool sawPrinterless = opened->rejected;
    if (handle_ == nullptr) {
        if (openError != 0) {
            return std::unexpected(usbError(openError, "open"));
        }
        return std::unexpected(Error{ErrorCode::NotFound,
                                     label_ + ": " +
                                         (sawPrinterless ? "the USB device " + usbIdText(vendor_, product_) +
                                                               " has no printer-class (7) interface"
                                                         : "no USB device " + usbIdText(vendor_, product_) +
                                                               (serial_ ? " with serial " + *serial_ : "")) +
                                         " (is the printer plugged in and switched on?)"});
    }

    // usblp holds the interface when bound; detach it only then (under emulation the detach ioctl
    // is not available, docs/protocols/testing-without-hardware.md §3).
    if (libusb_kernel_driver_active(handle_, interface_) == 1) {
        if (const int rc = libusb_detach_kernel_driver(handle_, interface_); rc != 0) {
            const Error error = usbError(rc, "detaching usblp from interface " + std::to_string(interface_));
            close();
            return std::unexpected(error);
        }
        detached_ = true;
    }
    if (const int rc = libusb_claim_interface(handle_, interface_); rc != 0) {
        const Error error = usbError(rc, "claiming interface " + std::to_string(interface_));
        close();
        return std::unexpected(error);
    }
    if (altsetting_ != 0) {
        if (const int rc = libusb_set_interface_alt_setting(handle_, interface_, altsetting_); rc != 0) {
            const Error error = usbError(rc, "selecting alternate setting " + std::to_string(altsetting_));
            close();
            return std::unexpected(error);
        }
    }

    // GET_DEVICE_ID: wValue = configuration index, wIndex = interface << 8 | altsetting.
    std::array<unsigned char, 1024> reply{};
    const int n =
        libusb_control_transfer(handle_, kClassInterfaceIn, protocol::kUsbPrinterGetDeviceId, 0,
                                static_cast<std::uint16_t>((interface_ << 8) | altsetting_), reply.data(),
                                static_cast<std::uint16_t>(reply.size()), kControlTimeoutMs);
    deviceId_ = {};
    if (n == LIBUSB_ERROR_NO_DEVICE) {
        const Error error = usbError(n, "GET_DEVICE_ID");
        close();
        return std::unexpected(error);
    }
    if (n > 0) {
        if (auto id =
                protocol::parseUsbPrinterDeviceId(std::span(reply.data(), static_cast<std::size_t>(n)))) {
            deviceId_ = std::move(*id);
        }
    }
    if (!deviceId_.commandSet.empty() && !protocol::speaksZpl(deviceId_)) {
        const std::string cmd = deviceId_.commandSet;
        close();
        return std::unexpected(
            Error{ErrorCode::NotSupported, label_ + ": the printer's command set is '" + cmd +
                                               "', not ZPL (set it to ZPL, or use another driver)"});
    }
    return {};
}

void UsbPrinter::close()
{
    if (handle_ != nullptr) {
        libusb_release_interface(handle_, interface_);
        if (detached_) {
            libusb_attach_kernel_driver(handle_, interface_); // give the printer back to usblp
            detached_ = false;
        }
        libusb_close(handle_);
        handle_ = nullptr;
    }
    if (context_ != nullptr) {
        libusb_exit(context_);
        context_ = nullptr;
    }
}

std::optional<protocol::PortStatus> UsbPrinter::portStatus()
{
    unsigned char byte = 0;
    const int n =
        libusb_control_transfer(handle_, kClassInterfaceIn, protocol::kUsbPrinterGetPortStatus, 0,
                                static_cast<std::uint16_t>(interface_ << 8), &byte, 1, kControlTimeoutMs);
    if (n != 1) {
        return std::nullopt;
    }
    return protocol::parsePortStatus(byte);
}

Result<PrinterStatus> UsbPrinter::queryStatus()
{
    if (auto opened = ensureOpen(); !opened) {
        return std::unexpected(opened.error());
    }
    const auto port = portStatus();
    if (inEndpoint_ == 0) {
        if (!port) {
            return std::unexpected(
                Error{ErrorCode::NotSupported, label_ + ": unidirectional printer without GET_PORT_STATUS: "
                                                        "its state cannot be known"});
        }
        return protocol::toPrinterStatus(*port);
    }
    BulkLink link(*this);
    auto status = queryZplStatus(link, timeout_, hqes_);
    if (status && port) {
        protocol::mergePortStatus(*status, *port);
    }
    return closeOnLoss(std::move(status));
}

Result<PrinterStatus> UsbPrinter::status()
{
    return queryStatus();
}

Result<void> UsbPrinter::print(const LabelJob& job)
{
    if (printed_.alreadyPrinted(job)) {
        return {}; // already printed by this printer: a retry must not give a second label
    }
    const auto status = queryStatus();
    BulkLink link(*this);
    if (auto printed = printWhenReady(link, job, status, timeout_); !printed) {
        return closeOnLoss(std::move(printed));
    }
    printed_.remember(job);
    return {};
}

} // namespace retour::drivers::detail
