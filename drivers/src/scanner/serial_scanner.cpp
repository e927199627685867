#include "scanner/serial_scanner.h"

namespace retour::drivers::detail {

SerialScanner::SerialScanner(DeviceUri uri, std::string path, SerialSettings line,
                             protocol::SerialScannerOptions options)
    : uri_(std::move(uri)), path_(std::move(path)), line_(line), framer_(std::move(options))
{}

SerialScanner::~SerialScanner()
{
    close();
}

Result<void> SerialScanner::open()
{
    if (link_.isOpen()) {
        return {};
    }
    const std::string label = "scanner " + uri_.text;
    auto fd = openSerialPort(path_, line_, label);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    link_ = StreamLink(std::move(*fd), false, label, path_);
    framer_.reset();
    announce_ = true;
    return {};
}

void SerialScanner::close()
{
    link_.close();
    framer_.reset();
    announce_ = false;
}

Clock::time_point SerialScanner::nextDeadline() const
{
    if (announce_) {
        return Clock::time_point{};
    }
    if (!link_.isOpen()) {
        return Clock::time_point::max();
    }
    return framer_.deadline();
}

std::vector<DeviceEvent> SerialScanner::service(Clock::time_point now)
{
    std::vector<DeviceEvent> events;
    if (!link_.isOpen()) {
        return events;
    }
    if (announce_) {
        events.emplace_back(DeviceOnline{"serial scanner on " + path_});
        announce_ = false;
    }
    input_.clear();
    const auto lost = link_.readAvailable(input_);
    scans_.clear();
    framer_.feed(input_, now, scans_);
    for (auto& scan : scans_) {
        events.emplace_back(std::move(scan));
    }
    if (lost) {
        close();
        events.emplace_back(DeviceOffline{*lost});
        return events;
    }
    if (auto scan = framer_.expire(now)) {
        events.emplace_back(std::move(*scan));
    }
    return events;
}

} // namespace retour::drivers::detail
