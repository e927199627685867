#pragma once

#include "common/unique_fd.h"
#include "printer/zpl_link.h"
#include "retour/drivers/error.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace retour::drivers::detail {

// A client TCP stream with a deadline on every call (non-blocking socket + poll; docs/protocols/zpl.md §3).
// `label` names the peer in messages ("printer tcp:192.0.2.10:9100?protocol=zpl").
//
// Thread contract: not thread-safe; one user at a time.
class TcpConnection final : public ZplLink
{
public:
    // Resolve, connect (every address in turn) and set TCP_NODELAY. Refused or unreachable →
    // Disconnected, no answer by the deadline → Timeout, unknown host → NotFound.
    static Result<TcpConnection> connect(const std::string& host, int port, TimePoint deadline,
                                         std::string label);

    // Write all of `bytes`, resuming partial writes. A peer that closed → Disconnected; a peer that
    // stops reading → Timeout (the message says how much was written).
    Result<void> sendAll(std::string_view bytes, TimePoint deadline) override;

    // Read and append to `buffer` until `done(buffer)` holds. EOF first → Disconnected.
    Result<void> readUntil(std::string& buffer, const std::function<bool(std::string_view)>& done,
                           TimePoint deadline) override;

    // Discard what has already arrived, without waiting.
    void drainPending() override;

    // End our side (FIN) and wait up to `deadline` for the peer to close, so that unread bytes never
    // turn our close into a reset that could discard data still in flight.
    void finish(TimePoint deadline);

    const std::string& label() const override { return label_; }

private:
    TcpConnection(UniqueFd fd, std::string label) : fd_(std::move(fd)), label_(std::move(label)) {}

    UniqueFd fd_;
    std::string label_;
};

} // namespace retour::drivers::detail
