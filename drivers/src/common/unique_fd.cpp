#include "common/unique_fd.h"

#include <climits>
#include <unistd.h>

namespace retour::drivers::detail {

void UniqueFd::reset(int fd)
{
    if (fd_ >= 0) {
        ::close(fd_); // the descriptor is released even when close() reports an error (Linux)
    }
    fd_ = fd;
}

int pollTimeoutMs(std::chrono::steady_clock::time_point deadline, std::chrono::steady_clock::time_point now)
{
    if (deadline <= now) {
        return 0;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    return left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

} // namespace retour::drivers::detail
