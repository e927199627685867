// A small stand-in for libFuzzer's main() that needs no clang: it runs one fuzz target
// (LLVMFuzzerTestOneInput) over its seed corpus and then over a fixed number of deterministic
// pseudo-random mutations of those seeds. CI runs every target this way (ctest label "fuzz"); the
// executable is built with AddressSanitizer and UndefinedBehaviorSanitizer when the compiler has
// them, so a crash, an abort or a sanitizer report fails the test.
//
//   retour_fuzz_<target> CORPUS_DIR [--mutations N] [--seed S] [--max-len BYTES]
//   retour_fuzz_<target> FILE…        (replay single inputs, e.g. a crash file)
//
// When an input kills the process, it is written to ./fuzz-crash-<target> (and as hex to stderr)
// so that it can be replayed and added to the corpus as a regression seed.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#if defined(__has_include)
#if __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define RETOUR_HAVE_SANITIZER_API 1
#endif
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

// The input being run, for the crash reporter (a signal handler or a sanitizer's death callback).
// This is a test executable, not library code: one process, one input at a time.
struct Current
{
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    char crashFile[512] = {};
};
Current gCurrent;

void writeAll(int fd, const void* data, std::size_t size)
{
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n <= 0) {
            return;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

// Async-signal-safe: open/write/close only.
void reportCrash()
{
    if (gCurrent.data == nullptr) {
        return;
    }
    const int fd = ::open(gCurrent.crashFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        writeAll(fd, gCurrent.data, gCurrent.size);
        ::close(fd);
    }
    static const char kHead[] = "\n== fuzz input that failed (also written to ";
    writeAll(2, kHead, sizeof kHead - 1);
    writeAll(2, gCurrent.crashFile, std::strlen(gCurrent.crashFile));
    writeAll(2, "):\n", 3);
    static const char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < gCurrent.size; ++i) {
        const char pair[3] = {kHex[gCurrent.data[i] >> 4], kHex[gCurrent.data[i] & 15],
                              (i % 32 == 31) ? '\n' : ' '};
        writeAll(2, pair, 3);
    }
    writeAll(2, "\n", 1);
}

extern "C" void onSignal(int sig)
{
    reportCrash();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void run(const Bytes& input)
{
    // Copy into an exactly sized heap block so that AddressSanitizer sees reads past the end.
    auto* copy = static_cast<std::uint8_t*>(std::malloc(std::max<std::size_t>(input.size(), 1)));
    if (!input.empty()) {
        std::memcpy(copy, input.data(), input.size());
    }
    gCurrent.data = copy;
    gCurrent.size = input.size();
    LLVMFuzzerTestOneInput(input.empty() ? nullptr : copy, input.size());
    gCurrent.data = nullptr;
    std::free(copy);
}

// xorshift64*: deterministic across platforms, so a failing mutation can be found again.
class Rng
{
public:
    explicit Rng(std::uint64_t seed) : state_(seed == 0 ? 0x9E3779B97F4A7C15ull : seed) {}
    std::uint64_t next()
    {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1Dull;
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

private:
    std::uint64_t state_;
};

// Bytes that matter to the parsers under test: framing (STX ETX CR LF GS), separators, digits,
// report ids, boundaries.
constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x0A, 0x0D, 0x1D, 0x1E, 0x20,
                                         '%',  ',',  '-',  '.',  '0',  '1',  '9',  ':',  ';',  '=',
                                         '?',  '&',  ']',  'C',  'd',  0x38, 0x39, 0x7F, 0x80, 0xFF};

Bytes mutate(const std::vector<Bytes>& seeds, Rng& rng, std::size_t maxLen)
{
    Bytes out = seeds[rng.below(seeds.size())];
    const std::size_t rounds = 1 + rng.below(4);
    for (std::size_t r = 0; r < rounds; ++r) {
        switch (rng.below(9)) {
        case 0: // flip one bit
            if (!out.empty()) {
                out[rng.below(out.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
            }
            break;
        case 1: // random byte
            if (!out.empty()) {
                out[rng.below(out.size())] = static_cast<std::uint8_t>(rng.next());
            }
            break;
        case 2: // interesting byte
            if (!out.empty()) {
                out[rng.below(out.size())] = kInteresting[rng.below(sizeof kInteresting)];
            }
            break;
        case 3: // insert bytes
        {
            const std::size_t at = rng.below(out.size() + 1);
            const std::size_t n = 1 + rng.below(8);
            for (std::size_t i = 0; i < n; ++i) {
                out.insert(out.begin() + static_cast<std::ptrdiff_t>(at),
                           rng.below(2) ? kInteresting[rng.below(sizeof kInteresting)]
                                        : static_cast<std::uint8_t>(rng.next()));
            }
            break;
        }
        case 4: // erase a range
            if (!out.empty()) {
                const std::size_t at = rng.below(out.size());
                const std::size_t n = 1 + rng.below(std::min<std::size_t>(out.size() - at, 16));
                out.erase(out.begin() + static_cast<std::ptrdiff_t>(at),
                          out.begin() + static_cast<std::ptrdiff_t>(at + n));
            }
            break;
        case 5: // duplicate a range
            if (!out.empty()) {
                const std::size_t at = rng.below(out.size());
                const std::size_t n = 1 + rng.below(std::min<std::size_t>(out.size() - at, 32));
                const Bytes piece(out.begin() + static_cast<std::ptrdiff_t>(at),
                                  out.begin() + static_cast<std::ptrdiff_t>(at + n));
                out.insert(out.begin() + static_cast<std::ptrdiff_t>(rng.below(out.size() + 1)),
                           piece.begin(), piece.end());
            }
            break;
        case 6: // splice with another seed
        {
            const Bytes& other = seeds[rng.below(seeds.size())];
            const std::size_t keep = rng.below(out.size() + 1);
            const std::size_t from = rng.below(other.size() + 1);
            out.resize(keep);
            out.insert(out.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
            break;
        }
        case 7: // truncate
            out.resize(rng.below(out.size() + 1));
            break;
        default: // a digit run changes (lengths, counts, values)
            if (!out.empty()) {
                const std::size_t at = rng.below(out.size());
                for (std::size_t i = at; i < out.size() && i < at + 4; ++i) {
                    out[i] = static_cast<std::uint8_t>('0' + rng.below(10));
                }
            }
            break;
        }
        if (out.size() > maxLen) {
            out.resize(maxLen);
        }
    }
    return out;
}

Bytes readFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::filesystem::path> paths;
    std::size_t mutations = 20000;
    std::uint64_t seed = 1;
    std::size_t maxLen = 4096;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--mutations" || arg == "--seed" || arg == "--max-len") && i + 1 < argc) {
            const auto value = std::strtoull(argv[++i], nullptr, 10);
            (arg == "--mutations" ? mutations : arg == "--seed" ? seed : maxLen) = value;
        } else {
            paths.emplace_back(arg);
        }
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR|FILE… [--mutations N] [--seed S] [--max-len BYTES]\n",
                     argv[0]);
        return 2;
    }
    const std::string name = std::filesystem::path(argv[0]).filename().string();
    std::snprintf(gCurrent.crashFile, sizeof gCurrent.crashFile, "fuzz-crash-%s", name.c_str());
#ifdef RETOUR_HAVE_SANITIZER_API
    __sanitizer_set_death_callback(reportCrash);
#endif
    for (const int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) {
        std::signal(sig, onSignal);
    }

    std::vector<Bytes> seeds;
    for (const auto& path : paths) {
        if (std::filesystem::is_directory(path)) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::directory_iterator(path)) {
                if (entry.is_regular_file()) {
                    files.push_back(entry.path());
                }
            }
            std::sort(files.begin(), files.end()); // the same order on every machine
            for (const auto& file : files) {
                seeds.push_back(readFile(file));
            }
        } else if (std::filesystem::is_regular_file(path)) {
            seeds.push_back(readFile(path));
            mutations = 0; // replaying given files
        } else {
            std::fprintf(stderr, "%s: %s is neither a corpus directory nor a file\n", name.c_str(),
                         path.c_str());
            return 2;
        }
    }
    if (seeds.empty()) {
        std::fprintf(stderr, "%s: the corpus is empty\n", name.c_str());
        return 2;
    }

    const auto start = std::chrono::steady_clock::now();
    for (const auto& input : seeds) {
        run(input);
    }
    run({}); // the empty input
    Rng rng(seed);
    for (std::size_t i = 0; i < mutations; ++i) {
        run(mutate(seeds, rng, maxLen));
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf("%s: %zu seeds + %zu mutations (seed %llu) ran clean in %lld ms\n", name.c_str(),
                seeds.size(), mutations, static_cast<unsigned long long>(seed), static_cast<long long>(ms));
    return 0;
}
