#include "discovery.h"

#include <array>
#include <cstdint>
#include <gtest/gtest.h>

namespace {

using retour::hwconfig::hidUsagePage;

TEST(HidUsagePage, ScaleDescriptorStartsWithPage8D)
{
    // Usage Page (0x8D), Usage (Scale Device 0x20), Collection (Application)
    const std::array<std::uint8_t, 6> scale = {0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_EQ(hidUsagePage(scale), 0x8D);
}

TEST(HidUsagePage, TwoByteUsagePage)
{
    const std::array<std::uint8_t, 5> scanner = {0x06, 0x8C, 0x00, 0x09, 0x02};
    EXPECT_EQ(hidUsagePage(scanner), 0x8C);
}

TEST(HidUsagePage, SkipsItemsBeforeTheUsagePage)
{
    // Report ID 3 (0x85 0x03) before the usage page.
    const std::array<std::uint8_t, 4> descriptor = {0x85, 0x03, 0x05, 0x01};
    EXPECT_EQ(hidUsagePage(descriptor), 0x01);
}

TEST(HidUsagePage, TruncatedOrEmptyDescriptorGivesNothing)
{
    EXPECT_EQ(hidUsagePage({}), std::nullopt);
    const std::array<std::uint8_t, 1> truncated = {0x06};
    EXPECT_EQ(hidUsagePage(truncated), std::nullopt);
    const std::array<std::uint8_t, 2> longItem = {0xFE, 0x10};
    EXPECT_EQ(hidUsagePage(longItem), std::nullopt);
}

} // namespace
