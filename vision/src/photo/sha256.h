#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

struct evp_md_ctx_st;

namespace retour::vision {

// Incremental SHA-256 over OpenSSL EVP, for hashing a file in chunks.
//
// Thread contract: one object per thread; distinct objects are independent.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    // False once OpenSSL has failed; the digest is then empty.
    bool update(const void* data, std::size_t size);
    // Lower-case hex digest, or "" if OpenSSL failed at any step.
    std::string finishHex();

private:
    evp_md_ctx_st* ctx_;
    bool ok_;
};

// SHA-256 (hex) of a file's content, or "" when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

} // namespace retour::vision
