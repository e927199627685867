#pragma once

#include <chrono>

namespace retour::drivers::detail {

// Owns one file descriptor and closes it. Thread contract: like an int, not shared.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other) {
            reset(other.release());
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release()
    {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// Milliseconds from `now` until `deadline` for poll(): 0 when passed, rounded up, capped at INT_MAX.
int pollTimeoutMs(std::chrono::steady_clock::time_point deadline, std::chrono::steady_clock::time_point now);

} // namespace retour::drivers::detail
