#include "photo/sha256.h"

#include "retour/vision/photo_store.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

namespace retour::vision {

namespace {

std::string toHex(const unsigned char* bytes, unsigned int size)
{
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string hex;
    hex.reserve(std::size_t{size} * 2);
    for (unsigned int i = 0; i < size; ++i) {
        hex.push_back(digits[bytes[i] >> 4]);
        hex.push_back(digits[bytes[i] & 0x0f]);
    }
    return hex;
}

} // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()), ok_(false)
{
    ok_ = ctx_ != nullptr && EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) == 1;
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(ctx_);
}

bool Sha256::update(const void* data, std::size_t size)
{
    if (ok_ && size > 0)
        ok_ = EVP_DigestUpdate(ctx_, data, size) == 1;
    return ok_;
}

std::string Sha256::finishHex()
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (!ok_ || EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1) {
        ok_ = false;
        return {};
    }
    ok_ = false; // a finished context cannot be updated again
    return toHex(digest.data(), length);
}

std::string sha256Hex(const void* data, std::size_t size)
{
    Sha256 hash;
    hash.update(data, size);
    return hash.finishHex();
}

std::string sha256OfFile(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return {};
    }
    Sha256 hash;
    std::array<unsigned char, 64 * 1024> buffer{};
    bool ok = true;
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            ok = got == 0;
            break;
        }
        hash.update(buffer.data(), static_cast<std::size_t>(got));
    }
    ::close(fd);
    return ok ? hash.finishHex() : std::string();
}

} // namespace retour::vision
