#include "discovery.h"

#include <array>
#include <cstdint>
#include <gtest/gtest.h>

namespace {

using retour::hwconfig::classifyHidDescriptor;

TEST(ClassifyHidDescriptor, ScaleDescriptorStartsWithPage8D)
{
    // Usage Page (0x8D), Usage (Scale Device 0x20), Collection (Application)
    const std::array<std::uint8_t, 6> scale = {0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01};
    const auto hid = classifyHidDescriptor(scale);
    EXPECT_EQ(hid.kind, "scale");
    EXPECT_EQ(hid.driver, "hid-pos-scale");
}

TEST(ClassifyHidDescriptor, TwoByteUsagePageNamesAScanner)
{
    const std::array<std::uint8_t, 5> scanner = {0x06, 0x8C, 0x00, 0x09, 0x02};
    const auto hid = classifyHidDescriptor(scanner);
    EXPECT_EQ(hid.kind, "scanner");
    EXPECT_EQ(hid.driver, "hid-pos-scanner");
}

TEST(ClassifyHidDescriptor, OtherPagesAndBrokenDescriptorsAreNeither)
{
    // Report ID 3 (0x85 0x03) before a Generic Desktop usage page.
    const std::array<std::uint8_t, 4> desktop = {0x85, 0x03, 0x05, 0x01};
    EXPECT_TRUE(classifyHidDescriptor(desktop).kind.empty());
    EXPECT_TRUE(classifyHidDescriptor({}).kind.empty());
    const std::array<std::uint8_t, 1> truncated = {0x06};
    EXPECT_TRUE(classifyHidDescriptor(truncated).kind.empty());
    const std::array<std::uint8_t, 2> longItem = {0xFE, 0x10};
    EXPECT_TRUE(classifyHidDescriptor(longItem).kind.empty());
}

TEST(ClassifyHidDescriptor, ZeroSizeUsagePageIsPageZeroNotAScale)
{
    // Usage Page with no data byte (page 0, HID 1.11), then Usage 0x20 and an application
    // collection: 0x20 on page 0 is no scale, whatever the bytes look like.
    const std::array<std::uint8_t, 5> zeroPage = {0x04, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_TRUE(classifyHidDescriptor(zeroPage).kind.empty());
    // A later Usage Page replaces the empty one before the usage that names the device.
    const std::array<std::uint8_t, 7> replaced = {0x04, 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01};
    EXPECT_EQ(classifyHidDescriptor(replaced).kind, "scale");
}

} // namespace
