#include "scale/serial_scale.h"

#include <algorithm>

namespace retour::drivers::detail {

namespace {

bool sameReading(const Weight& a, const Weight& b)
{
    return a.status == b.status && a.stable == b.stable && a.deviceValue == b.deviceValue &&
           a.deviceUnit == b.deviceUnit && a.grams == b.grams;
}

} // namespace

SerialScale::SerialScale(DeviceUri uri, SerialScaleOptions options, ProtocolFactory factory)
    : uri_(std::move(uri)), options_(std::move(options)), factory_(std::move(factory)), protocol_(factory_()),
      policy_(options_.stable), label_("scale " + uri_.text)
{}

SerialScale::~SerialScale()
{
    close();
}

Result<void> SerialScale::open()
{
    if (link_.isOpen()) {
        return {};
    }
    const bool tcp = !options_.host.empty();
    if (tcp) {
        auto fd =
            connectTcp(options_.host, options_.port, static_cast<int>(options_.replyTimeout.count()), label_);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        link_ = StreamLink(std::move(*fd), true, label_, options_.host + ":" + std::to_string(options_.port));
    } else {
        auto fd = openSerialPort(options_.path, options_.line, label_);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        link_ = StreamLink(std::move(*fd), false, label_, options_.path);
    }
    description_ = std::string(protocol_->name()) + " scale on " + link_.where();
    protocol_->reset();
    policy_.reset();
    online_ = false;
    awaiting_ = false;
    missed_ = 0;
    last_.reset();
    input_.clear();
    problems_ = 0;
    lastProblem_.clear();
    const auto now = Clock::now();
    nextPoll_ = now;
    phase_ = Phase::Poll;
    if (const std::string identify = protocol_->identifyCommand(); !identify.empty()) {
        phase_ = Phase::Identify;
        if (auto sent = send(identify, now); !sent) {
            close();
            return sent;
        }
    }
    return {};
}

void SerialScale::close()
{
    link_.close();
    awaiting_ = false;
    online_ = false;
}

Result<void> SerialScale::send(const std::string& command, Clock::time_point now)
{
    auto written = link_.write(command);
    if (!written) {
        return written;
    }
    if (!command.empty()) {
        protocol_->sent(command);
    }
    awaiting_ = true;
    sentAt_ = now;
    return {};
}

Clock::time_point SerialScale::nextDeadline() const
{
    if (!link_.isOpen()) {
        return Clock::time_point::max();
    }
    if (awaiting_) {
        return sentAt_ + options_.replyTimeout;
    }
    return nextPoll_;
}

Result<void> SerialScale::zero()
{
    return control(protocol_->zeroCommand(), "zeroed");
}

Result<void> SerialScale::tare(bool clear)
{
    return control(protocol_->tareCommand(clear), clear ? "have its tare cleared" : "tared");
}

Result<void> SerialScale::control(const std::string& command, std::string_view what)
{
    if (!link_.isOpen()) {
        return std::unexpected(Error{ErrorCode::Disconnected, label_ + ": not open"});
    }
    if (command.empty()) {
        return std::unexpected(Error{ErrorCode::NotSupported, label_ + ": a " + protocol_->name() +
                                                                  " scale cannot be " + std::string(what) +
                                                                  " by the host"});
    }
    // The reply is a well-formed answer like any other; in poll mode it may stand in for the poll
    // reply it overtakes, which only makes the next poll come sooner. The protocol keeps the
    // commands in flight, so the reply that answers this one becomes a ZeroResult / TareResult.
    if (auto written = link_.write(command); !written) {
        return written;
    }
    protocol_->sent(command);
    if (options_.stream && phase_ == Phase::Poll) {
        return link_.write(protocol_->streamCommand()); // a command ends SIR / R: start the stream again
    }
    return {};
}

void SerialScale::lose(std::string reason, std::vector<DeviceEvent>& events)
{
    close();
    events.emplace_back(DeviceOffline{std::move(reason)});
}

void SerialScale::handle(const ScaleProtocol::Reply& reply, Clock::time_point now,
                         std::vector<DeviceEvent>& events)
{
    if (!reply.problem.empty()) {
        ++problems_;
        lastProblem_ = reply.problem;
    }
    if (!reply.answer) {
        return;
    }
    if (reply.identity && !reply.identity->empty() && !online_) {
        description_ += " (" + *reply.identity + ")";
    }
    if (!online_) {
        online_ = true;
        events.emplace_back(DeviceOnline{description_});
    }
    missed_ = 0;
    if (options_.stream && phase_ == Phase::Poll) {
        sentAt_ = now; // the stream is alive: restart its watchdog
    } else {
        awaiting_ = false;
        nextPoll_ = std::max(now, sentAt_ + options_.pollInterval);
    }
    if (reply.zero) {
        events.emplace_back(*reply.zero);
    }
    if (reply.tare) {
        events.emplace_back(*reply.tare);
    }
    if (reply.weight) {
        Weight weight = policy_.apply(*reply.weight);
        if (!last_ || !sameReading(*last_, weight)) {
            last_ = weight;
            events.emplace_back(std::move(weight));
        }
    }
}

std::vector<DeviceEvent> SerialScale::service(Clock::time_point now)
{
    std::vector<DeviceEvent> events;
    if (!link_.isOpen()) {
        return events;
    }
    input_.clear();
    const auto lost = link_.readAvailable(input_);
    replies_.clear();
    protocol_->feed(input_, replies_);
    for (const auto& reply : replies_) {
        handle(reply, now, events);
    }
    if (lost) {
        lose(*lost, events);
        return events;
    }

    if (awaiting_ && now >= sentAt_ + options_.replyTimeout) {
        awaiting_ = false;
        protocol_->missed();
        nextPoll_ = now;
        if (++missed_ >= options_.maxMissed) {
            const bool streaming = options_.stream && phase_ == Phase::Poll;
            const std::string what = phase_ == Phase::Identify ? " requests"
                                     : streaming               ? " periods"
                                                               : " polls";
            lose(label_ + (streaming ? ": the stream from the scale on " : ": no answer from the scale on ") +
                     link_.where() + (streaming ? " stopped (" : " (") + std::to_string(missed_) + what +
                     " in a row, " + std::to_string(options_.replyTimeout.count()) +
                     " ms each; switched off, asleep, or wrong baud rate / frame?)",
                 events);
            return events;
        }
    }
    if (!awaiting_ && now >= nextPoll_) {
        std::string command;
        if (phase_ == Phase::Identify) {
            phase_ = Phase::Poll; // answered or not: the scale is polled from now on
        }
        if (options_.stream) {
            command = protocol_->streamCommand();
        } else {
            command = protocol_->pollCommand();
        }
        if (auto sent = send(command, now); !sent) {
            lose(sent.error().message, events);
        }
    }
    return events;
}

} // namespace retour::drivers::detail
