#pragma once

// A loopback listener that plays a Zebra on port 9100 for tests (docs/protocols/zpl.md §2–§4): it records
// the bytes of every connection and answers ~HS (and, when scripted, ~HQES) with a scripted status.
// Used by the ZPL driver tests (zpl_printer_test.cpp) and the technician's print command tests.
//
// Thread contract: construct, query and destroy from one test thread; the listener runs on its own.

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace retour::test {

using namespace std::chrono_literals;

// ~HS replies (three STX…ETX strings, ZPL II ~HS) in each state a job can meet.
const std::string kReady = "\x02"
                           "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
                           "\x02"
                           "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                           "\x02"
                           "1234,0\x03\r\n";
const std::string kPaperOut = "\x02"
                              "030,1,1,1218,000,0,0,0,000,0,0,0\x03\r\n"
                              "\x02"
                              "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                              "\x02"
                              "1234,0\x03\r\n";
const std::string kHqesReady = "\x02\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         0 00000000 00000000\r\n"
                               "    WARNINGS:       0 00000000 00000000\r\n\x03\r\n";
const std::string kHqesCutter = "\x02\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         1 00000000 00000008\r\n"
                                "    WARNINGS:       0 00000000 00000000\r\n\x03\r\n";
const std::string kHeadOpen = "\x02"
                              "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
                              "\x02"
                              "001,0,1,0,1,2,6,0,00000000,1,000\x03\r\n"
                              "\x02"
                              "1234,0\x03\r\n";

const std::string kPaused = "\x02"
                            "030,0,1,1218,000,0,0,0,000,0,0,0\x03\r\n"
                            "\x02"
                            "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                            "\x02"
                            "1234,0\x03\r\n";
const std::string kRibbonOut = "\x02"
                               "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
                               "\x02"
                               "001,0,0,1,1,2,6,0,00000000,1,000\x03\r\n"
                               "\x02"
                               "1234,0\x03\r\n";
const std::string kBufferFull = "\x02"
                                "030,0,0,1218,000,1,0,0,000,0,0,0\x03\r\n"
                                "\x02"
                                "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
                                "\x02"
                                "1234,0\x03\r\n";

// A fake printer on 127.0.0.1:<free port>. Each accepted connection takes the next behaviour.
class FakeZebra
{
public:
    enum class Mode
    {
        Answer, // answer ~HS with `reply`, then record everything until the client closes
        Close,  // close at once
        Silent, // never answer; record until the client closes
    };
    struct Behaviour
    {
        Mode mode;
        std::string reply;
        std::string hqes{}; // the ~HQES answer; empty: ~HQES is ignored (older firmware)
    };

    explicit FakeZebra(std::vector<Behaviour> script) : script_(std::move(script))
    {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        EXPECT_EQ(::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(listen_, 8), 0);
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }

    ~FakeZebra()
    {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }

    int port() const { return port_; }
    std::string uri(int timeoutMs = 3000) const
    {
        return "tcp:127.0.0.1:" + std::to_string(port_) +
               "?protocol=zpl&timeout_ms=" + std::to_string(timeoutMs);
    }

    // The bytes received on each finished connection, in order.
    std::vector<std::string> received()
    {
        std::lock_guard lock(mutex_);
        return received_;
    }

    // Waits until `n` connections are finished (the listener records after the client's close).
    std::vector<std::string> waitForConnections(std::size_t n)
    {
        const auto giveUp = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < giveUp) {
            {
                std::lock_guard lock(mutex_);
                if (received_.size() >= n) {
                    return received_;
                }
            }
            std::this_thread::sleep_for(5ms);
        }
        return received();
    }

private:
    bool readable(int fd, int ms)
    {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }

    void run()
    {
        std::size_t index = 0;
        while (!stop_) {
            if (!readable(listen_, 20)) {
                continue;
            }
            const int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                continue;
            }
            const Behaviour b = index < script_.size() ? script_[index] : Behaviour{Mode::Close, ""};
            ++index;
            std::string bytes;
            if (b.mode != Mode::Close) {
                bool answered = false;
                bool answeredHqes = false;
                while (!stop_) {
                    if (!readable(fd, 20)) {
                        continue;
                    }
                    char chunk[65536];
                    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                    if (n <= 0) {
                        break;
                    }
                    bytes.append(chunk, static_cast<std::size_t>(n));
                    if (!answered && bytes.find("~HS") != std::string::npos && b.mode != Mode::Silent) {
                        answered = true;
                        ::send(fd, b.reply.data(), b.reply.size(), MSG_NOSIGNAL);
                    }
                    if (!answeredHqes && bytes.find("~HQES") != std::string::npos && !b.hqes.empty()) {
                        answeredHqes = true;
                        ::send(fd, b.hqes.data(), b.hqes.size(), MSG_NOSIGNAL);
                    }
                }
            }
            ::close(fd);
            std::lock_guard lock(mutex_);
            received_.push_back(bytes);
        }
    }

    std::vector<Behaviour> script_;
    int listen_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> received_;
};

} // namespace retour::test
