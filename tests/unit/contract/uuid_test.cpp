// UUIDv7 (RFC 9562 §5.7, §6.2 method 3).
#include "retour/contract/message.h"

#include <chrono>
#include <cstdint>
#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace retour::sync {
namespace {

using namespace std::chrono;

std::uint64_t hexField(const std::string& uuid, std::size_t pos, std::size_t len)
{
    return std::stoull(uuid.substr(pos, len), nullptr, 16);
}

std::uint64_t embeddedMillis(const std::string& uuid)
{
    return (hexField(uuid, 0, 8) << 16) | hexField(uuid, 9, 4);
}

TEST(UuidV7, Format)
{
    const std::string id = newUuidV7();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(isUuid(id));
    for (std::size_t i : {8u, 13u, 18u, 23u}) {
        EXPECT_EQ(id[i], '-') << id;
    }
    for (char c : id) {
        EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    }
}

TEST(UuidV7, VersionAndVariantBits)
{
    for (int i = 0; i < 1000; ++i) {
        const std::string id = newUuidV7();
        EXPECT_EQ(id[14], '7') << id;                     // version 0b0111
        EXPECT_EQ(hexField(id, 19, 1) >> 2, 0b10u) << id; // variant 0b10
    }
}

TEST(UuidV7, EmbedsTheUnixMilliseconds)
{
    const auto t = sys_days{2026y / November / 26} + 11h + 29min + 56s + 123ms;
    const std::string id = newUuidV7(time_point_cast<system_clock::duration>(t));
    EXPECT_EQ(embeddedMillis(id),
              static_cast<std::uint64_t>(duration_cast<milliseconds>(t.time_since_epoch()).count()));
    EXPECT_EQ(id.substr(0, 13), "01a2179e-8b9b") << id;
}

TEST(UuidV7, NowIsCloseToTheClock)
{
    const auto before = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    const std::string id = newUuidV7();
    const auto after = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    EXPECT_GE(embeddedMillis(id), static_cast<std::uint64_t>(before));
    EXPECT_LE(embeddedMillis(id), static_cast<std::uint64_t>(after));
}

TEST(UuidV7, SortsByTimeAcrossMilliseconds)
{
    const auto base = system_clock::time_point{} + 1'700'000'000'000ms;
    std::string previous = newUuidV7(base);
    for (int i = 1; i < 100; ++i) {
        const std::string next = newUuidV7(base + milliseconds(i));
        EXPECT_LT(previous, next);
        previous = next;
    }
}

TEST(UuidV7, SortsByTimeWithinAMillisecond)
{
    // Method 3: 12 bits of sub-millisecond time, so 1 µs steps (> 244 ns) keep the order.
    const auto base = system_clock::time_point{} + 1'700'000'000'000ms;
    std::string previous = newUuidV7(base);
    for (int i = 1; i < 1000; ++i) {
        const std::string next = newUuidV7(base + microseconds(i));
        EXPECT_LT(previous, next) << i;
        previous = next;
    }
}

TEST(UuidV7, SuccessiveIdsFromTheClockNeverGoBackInTime)
{
    std::string previous = newUuidV7();
    for (int i = 0; i < 2000; ++i) {
        const std::string next = newUuidV7();
        EXPECT_LE(embeddedMillis(previous), embeddedMillis(next));
        previous = next;
    }
}

TEST(UuidV7, UniqueAcrossThreads)
{
    std::mutex mutex;
    std::set<std::string> seen;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<std::string> mine;
            for (int i = 0; i < 5000; ++i) {
                mine.push_back(newUuidV7());
            }
            std::lock_guard lock(mutex);
            seen.insert(mine.begin(), mine.end());
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(seen.size(), 20000u);
}

TEST(Uuid, Recognises)
{
    EXPECT_TRUE(isUuid("01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f"));
    EXPECT_TRUE(isUuid("01937B2E-8F3A-7C41-9D2E-5A6B7C8D9E0F"));
    EXPECT_TRUE(isUuid("00000000-0000-0000-0000-000000000000"));
    EXPECT_FALSE(isUuid(""));
    EXPECT_FALSE(isUuid("01937b2e8f3a7c419d2e5a6b7c8d9e0f"));
    EXPECT_FALSE(isUuid("01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0"));
    EXPECT_FALSE(isUuid("01937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0ff"));
    EXPECT_FALSE(isUuid("01937b2e_8f3a-7c41-9d2e-5a6b7c8d9e0f"));
    EXPECT_FALSE(isUuid("g1937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0f"));
    EXPECT_FALSE(isUuid("{1937b2e-8f3a-7c41-9d2e-5a6b7c8d9e0}"));
}

} // namespace
} // namespace retour::sync
