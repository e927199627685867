// Zero and tare answers as events: each scale protocol (drivers/src/scale/scale_protocol.h) turns
// the reply to its zero / tare command into a ZeroResult / TareResult, refusals with the device's
// reason (docs/protocols/serial-scales.md §1–§4); and the toledo / toledo-continuous URIs reach those
// protocols.
#include "retour/drivers/device.h"
#include "retour/drivers/protocol/sma.h"
#include "retour/drivers/protocol/toledo.h"
#include "scale/scale_protocol.h"

#include <gtest/gtest.h>

namespace retour::drivers::detail {
namespace {

std::vector<ScaleProtocol::Reply> feed(ScaleProtocol& protocol, std::string_view bytes)
{
    std::vector<ScaleProtocol::Reply> out;
    protocol.feed(bytes, out);
    return out;
}

TEST(ScaleControlReplies, MtSicsZeroAndTareRepliesNameTheirOutcome)
{
    auto p = makeMtSicsProtocol();
    EXPECT_EQ(p->tareCommand(false), "T\r\n");
    EXPECT_EQ(p->tareCommand(true), "TAC\r\n");

    auto r = feed(*p, "Z A\r\nZ I\r\nZ +\r\nZI D\r\nT S    100.00 g\r\nT -\r\nTAC A\r\nTI D     1.5 kg\r\n");
    ASSERT_EQ(r.size(), 8u);
    ASSERT_TRUE(r[0].zero);
    EXPECT_TRUE(r[0].zero->ok);
    EXPECT_EQ(r[1].zero->reason, "not executable (balance busy or not stable)");
    EXPECT_EQ(r[2].zero->reason, "above the zero range");
    EXPECT_TRUE(r[3].zero->ok) << "ZI D: zeroed while dynamic";
    ASSERT_TRUE(r[4].tare);
    EXPECT_TRUE(r[4].tare->ok);
    EXPECT_DOUBLE_EQ(*r[4].tare->grams, 100);
    EXPECT_EQ(r[4].tare->deviceUnit, "g");
    EXPECT_FALSE(r[4].weight) << "a tare value is not a reading";
    EXPECT_EQ(r[5].tare->reason, "below the tare range");
    EXPECT_DOUBLE_EQ(*r[6].tare->grams, 0) << "TAC clears the tare";
    EXPECT_DOUBLE_EQ(*r[7].tare->grams, 1500);
    for (const auto& reply : r) {
        EXPECT_TRUE(reply.answer);
        EXPECT_TRUE(reply.problem.empty()) << reply.problem;
    }
}

TEST(ScaleControlReplies, MtSicsGeneralErrorAnswersTheCommandInFlight)
{
    auto p = makeMtSicsProtocol();
    auto r = feed(*p, "ES\r\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].zero) << "no zero in flight: ES is just a problem";

    p->sent(p->zeroCommand());
    r = feed(*p, "EL\r\n");
    ASSERT_TRUE(r[0].zero);
    EXPECT_EQ(r[0].zero->reason, "the balance cannot execute it now (EL)");
    p->sent(p->tareCommand(false));
    r = feed(*p, "ES\r\n");
    ASSERT_TRUE(r[0].tare);
    EXPECT_EQ(r[0].tare->reason, "the balance does not know the command (ES)");
}

TEST(ScaleControlReplies, SmaRepliesAnswerTheCommandsInOrder)
{
    auto p = makeSmaProtocol();
    p->sent(p->pollCommand());
    p->sent(p->zeroCommand());
    p->sent(p->tareCommand(false));
    p->sent(p->zeroCommand());
    p->sent(p->tareCommand(true));
    auto r = feed(
        *p, "\n 1G      12.345 lb\r\nZ1G       0.000 lb\r\n 1N       0.000 lb\r\nE1G       0.000 lb\r\n?\r");
    ASSERT_EQ(r.size(), 5u);
    EXPECT_FALSE(r[0].zero || r[0].tare) << "the poll's reply";
    ASSERT_TRUE(r[0].weight);
    ASSERT_TRUE(r[1].zero);
    EXPECT_TRUE(r[1].zero->ok);
    ASSERT_TRUE(r[2].tare);
    EXPECT_TRUE(r[2].tare->ok);
    EXPECT_FALSE(r[2].tare->grams) << "SMA does not say the tare in its reply";
    ASSERT_TRUE(r[3].zero);
    EXPECT_EQ(r[3].zero->reason, "zero error (status E)");
    ASSERT_TRUE(r[4].tare);
    EXPECT_EQ(r[4].tare->reason, "the scale does not know the command (?)");
}

TEST(ScaleControlReplies, SmaMissedReplyDropsTheOldestCommand)
{
    auto p = makeSmaProtocol();
    p->sent(p->pollCommand());
    p->sent(p->zeroCommand());
    p->missed(); // the poll was never answered
    auto r = feed(*p, "\nT1G       0.000 lb\r");
    ASSERT_TRUE(r[0].zero);
    EXPECT_TRUE(r[0].zero->ok) << "status T is a tare error, not a zero error";
}

TEST(ScaleControlReplies, NciZeroAnswerIsTheStatus)
{
    auto p = makeNciProtocol();
    p->sent(p->zeroCommand());
    p->sent(p->zeroCommand());
    p->sent(p->pollCommand());
    auto r = feed(*p, "\n20\r\x03\n10\r\x03\n0001.00LB\r\n00\r\x03");
    ASSERT_EQ(r.size(), 3u);
    ASSERT_TRUE(r[0].zero);
    EXPECT_TRUE(r[0].zero->ok);
    EXPECT_TRUE(r[0].problem.empty()) << "a status-only zero answer is not a problem";
    ASSERT_TRUE(r[1].zero);
    EXPECT_EQ(r[1].zero->reason, "in motion");
    EXPECT_FALSE(r[2].zero);
    ASSERT_TRUE(r[2].weight);
    EXPECT_TRUE(p->tareCommand(false).empty()) << "NCI has no tare command";
}

TEST(ScaleControlReplies, ToledoDemandZeroAndPoll)
{
    auto p = makeToledoDemandProtocol("lb");
    EXPECT_EQ(p->pollCommand(), "W");
    EXPECT_EQ(p->zeroCommand(), "Z");
    p->sent("W");
    p->sent("Z");
    p->sent("Z");
    auto r = feed(*p, "\x02"
                      "001.00\r\x02?p\r\x02?b\r");
    ASSERT_EQ(r.size(), 3u);
    ASSERT_TRUE(r[0].weight);
    EXPECT_NEAR(r[0].weight->grams, 453.59237, 1e-9);
    ASSERT_TRUE(r[1].zero);
    EXPECT_TRUE(r[1].zero->ok);
    EXPECT_FALSE(r[1].weight);
    ASSERT_TRUE(r[2].zero);
    EXPECT_EQ(r[2].zero->reason, "out of range");
}

TEST(ScaleControlReplies, ToledoContinuousNeedsNoCommands)
{
    auto p = makeToledoContinuousProtocol(false);
    EXPECT_TRUE(p->pollCommand().empty());
    EXPECT_TRUE(p->zeroCommand().empty());
    auto r = feed(*p, "\x02,0 000150\r"); // SWB '0': kg
    ASSERT_EQ(r.size(), 1u);
    ASSERT_TRUE(r[0].weight);
    EXPECT_DOUBLE_EQ(r[0].weight->grams, 1500);
}

TEST(ToledoUris, FactoryTakesTheToledoParametersAndRefusesWhatDoesNotFit)
{
    for (const char* good :
         {"tty:/dev/ttyUSB0?protocol=toledo", "tty:/dev/ttyUSB0?protocol=toledo&unit=kg",
          "tcp:127.0.0.1:4001?protocol=toledo", "tty:/dev/ttyUSB0?protocol=toledo-continuous",
          "tty:/dev/ttyUSB0?protocol=toledo-continuous&checksum=0&mode=stream"}) {
        const auto uri = parseDeviceUri(good);
        ASSERT_TRUE(uri) << good << ": " << uri.error().message;
        EXPECT_TRUE(makeInputDevice(*uri, DeviceContext{})) << good;
    }
    for (const char* bad :
         {"tty:/dev/ttyUSB0?protocol=toledo&unit=furlong", "tty:/dev/ttyUSB0?protocol=toledo&mode=stream",
          "tty:/dev/ttyUSB0?protocol=toledo&checksum=1",
          "tty:/dev/ttyUSB0?protocol=toledo-continuous&mode=poll",
          "tty:/dev/ttyUSB0?protocol=toledo-continuous&checksum=2",
          "tty:/dev/ttyUSB0?protocol=toledo-continuous&unit=kg"}) {
        const auto uri = parseDeviceUri(bad);
        ASSERT_TRUE(uri) << bad;
        const auto device = makeInputDevice(*uri, DeviceContext{});
        ASSERT_FALSE(device) << bad;
        EXPECT_EQ(device.error().code, ErrorCode::InvalidUri) << bad;
    }
}

} // namespace
} // namespace retour::drivers::detail
