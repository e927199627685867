#include "retour/drivers/protocol/keyboard_wedge.h"

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>
#include <vector>

namespace retour::drivers::protocol {
namespace {

using namespace std::chrono_literals;
using TimePoint = KeyboardWedgeDecoder::TimePoint;

// Builds the evdev stream a wedge scanner produces: press/release pairs, each followed by SYN_REPORT.
class Keys
{
public:
    Keys& down(std::uint16_t code) { return add(EV_KEY, code, 1).syn(); }
    Keys& up(std::uint16_t code) { return add(EV_KEY, code, 0).syn(); }
    Keys& tap(std::uint16_t code) { return down(code).up(code); }
    Keys& shifted(std::uint16_t code, std::uint16_t shift = KEY_LEFTSHIFT)
    {
        return down(shift).tap(code).up(shift);
    }
    Keys& ctrl(std::uint16_t code) { return down(KEY_LEFTCTRL).tap(code).up(KEY_LEFTCTRL); }
    Keys& altCode(std::initializer_list<std::uint16_t> keypad)
    {
        down(KEY_LEFTALT);
        for (const auto k : keypad) {
            tap(k);
        }
        return up(KEY_LEFTALT);
    }
    Keys& syn() { return add(EV_SYN, SYN_REPORT, 0); }
    Keys& dropped() { return add(EV_SYN, SYN_DROPPED, 0); }
    Keys& add(std::uint16_t type, std::uint16_t code, std::int32_t value)
    {
        events.push_back(KeyEvent{type, code, value});
        return *this;
    }
    // Lower-case letters and digits of the main block.
    Keys& text(std::string_view s)
    {
        for (const char c : s) {
            tap(codeOf(c));
        }
        return *this;
    }
    static std::uint16_t codeOf(char c)
    {
        constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz";
        constexpr std::uint16_t letterCodes[] = {
            KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
            KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
        if (const auto i = letters.find(c); i != std::string_view::npos) {
            return letterCodes[i];
        }
        if (c == '0') {
            return KEY_0;
        }
        if (c >= '1' && c <= '9') {
            return static_cast<std::uint16_t>(KEY_1 + (c - '1'));
        }
        ADD_FAILURE() << "no key for " << c;
        return KEY_RESERVED;
    }

    std::vector<KeyEvent> events;
};

// Feeds all events at one instant and collects the scans.
std::vector<Scan> decode(KeyboardWedgeDecoder& decoder, const Keys& keys, TimePoint at = TimePoint{} + 1h)
{
    std::vector<Scan> scans;
    for (const auto& e : keys.events) {
        if (auto scan = decoder.feed(e, at)) {
            scans.push_back(*scan);
        }
    }
    return scans;
}

std::vector<Scan> decode(const Keys& keys, KeyboardWedgeOptions options = {})
{
    KeyboardWedgeDecoder decoder(std::move(options));
    return decode(decoder, keys);
}

TEST(KeyboardWedge, LowerCaseDigitsAndEnter)
{
    const auto scans = decode(Keys().text("abc0123456789").tap(KEY_ENTER));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "abc0123456789");
    EXPECT_EQ(scans[0].raw, "abc0123456789");
    EXPECT_EQ(scans[0].aimId, "");
    EXPECT_EQ(scans[0].symbology, "");
}

TEST(KeyboardWedge, BothShiftKeys)
{
    Keys keys;
    keys.shifted(KEY_A)
        .shifted(KEY_B, KEY_RIGHTSHIFT)
        .text("c")
        .shifted(KEY_1)
        .shifted(KEY_2, KEY_RIGHTSHIFT);
    keys.tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "ABc!@");
}

TEST(KeyboardWedge, ShiftHeldAcrossSeveralKeys)
{
    Keys keys;
    keys.down(KEY_LEFTSHIFT).tap(KEY_R).tap(KEY_M).tap(KEY_A).tap(KEY_MINUS).up(KEY_LEFTSHIFT).text("42");
    keys.tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "RMA_42");
}

TEST(KeyboardWedge, FullUsPunctuationTable)
{
    Keys keys;
    for (const auto code :
         {KEY_MINUS, KEY_EQUAL, KEY_LEFTBRACE, KEY_RIGHTBRACE, KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE,
          KEY_BACKSLASH, KEY_COMMA, KEY_DOT, KEY_SLASH, KEY_SPACE}) {
        keys.tap(static_cast<std::uint16_t>(code));
    }
    for (const auto code :
         {KEY_1,         KEY_2,          KEY_3,     KEY_4,         KEY_5,     KEY_6,         KEY_7,
          KEY_8,         KEY_9,          KEY_0,     KEY_MINUS,     KEY_EQUAL, KEY_LEFTBRACE, KEY_RIGHTBRACE,
          KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE, KEY_BACKSLASH, KEY_COMMA, KEY_DOT,       KEY_SLASH}) {
        keys.shifted(static_cast<std::uint16_t>(code));
    }
    keys.tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    // "]" shifted is "}" (barcode-server's table had "{" there: docs/protocols/scanners.md §1).
    EXPECT_EQ(scans[0].text, "-=[];'`\\,./ !@#$%^&*()_+{}:\"~|<>?");
}

TEST(KeyboardWedge, CapsLockTogglesLettersOnly)
{
    Keys keys;
    keys.tap(KEY_CAPSLOCK)
        .text("ab1")
        .shifted(KEY_C)
        .shifted(KEY_2)
        .tap(KEY_CAPSLOCK)
        .text("d")
        .tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "AB1c@d");
}

TEST(KeyboardWedge, KeypadDigitsAndOperators)
{
    Keys keys;
    for (const auto code : {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8,
                            KEY_KP9, KEY_KPDOT, KEY_KPSLASH, KEY_KPASTERISK, KEY_KPMINUS, KEY_KPPLUS}) {
        keys.tap(static_cast<std::uint16_t>(code));
    }
    keys.tap(KEY_KPENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "0123456789./*-+");
}

TEST(KeyboardWedge, GsAsCtrlRightBracket)
{
    Keys keys;
    keys.text("0109521234543213").ctrl(KEY_RIGHTBRACE).text("10abc").tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "0109521234543213\x1d"
                             "10abc");
}

TEST(KeyboardWedge, CtrlLettersGiveControlCodes)
{
    Keys keys;
    keys.ctrl(KEY_D)
        .ctrl(KEY_LEFTBRACE)
        .down(KEY_RIGHTCTRL)
        .tap(KEY_BACKSLASH)
        .up(KEY_RIGHTCTRL)
        .tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "\x04\x1b\x1c");
}

TEST(KeyboardWedge, GsAsAltNumpadCode)
{
    Keys keys;
    keys.text("01").altCode({KEY_KP0, KEY_KP0, KEY_KP2, KEY_KP9}).text("21").tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "01\x1d"
                             "21");
}

TEST(KeyboardWedge, AltNumpadAboveAsciiIsUtf8)
{
    Keys keys;
    keys.altCode({KEY_KP0, KEY_KP2, KEY_KP3, KEY_KP3}).altCode({KEY_KP6, KEY_KP5}).tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "\xc3\xa9"
                             "A"); // é, A
}

TEST(KeyboardWedge, GsAsConfiguredSubstitute)
{
    KeyboardWedgeOptions options;
    options.gsSubstitute = "<GS>";
    Keys keys;
    keys.text("01").shifted(KEY_COMMA).shifted(KEY_G).shifted(KEY_S).shifted(KEY_DOT).text("21");
    keys.tap(KEY_ENTER);
    const auto scans = decode(keys, options);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "01\x1d"
                             "21");
    EXPECT_EQ(scans[0].raw, "01<GS>21"); // raw keeps what was typed
}

TEST(KeyboardWedge, AimPrefixIsSplitOff)
{
    Keys keys;
    keys.tap(KEY_RIGHTBRACE)
        .shifted(KEY_C)
        .text("1")
        .text("0109521234543213")
        .ctrl(KEY_RIGHTBRACE)
        .text("10lot7");
    keys.tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].aimId, "]C1");
    EXPECT_EQ(scans[0].symbology, "GS1-128");
    EXPECT_EQ(scans[0].text, "0109521234543213\x1d"
                             "10lot7");
    EXPECT_EQ(scans[0].raw, "]C10109521234543213\x1d"
                            "10lot7");
}

TEST(KeyboardWedge, AimParsingCanBeSwitchedOff)
{
    KeyboardWedgeOptions options;
    options.parseAim = false;
    Keys keys;
    keys.tap(KEY_RIGHTBRACE).shifted(KEY_E).text("04006381333931").tap(KEY_ENTER);
    const auto scans = decode(keys, options);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "]E04006381333931");
    EXPECT_EQ(scans[0].aimId, "");
}

TEST(KeyboardWedge, TabTerminator)
{
    KeyboardWedgeOptions options;
    options.terminator = KeyboardWedgeOptions::Terminator::Tab;
    Keys keys;
    keys.text("ab").tap(KEY_ENTER).text("c").tap(KEY_TAB).text("d").tap(KEY_TAB);
    const auto scans = decode(keys, options);
    ASSERT_EQ(scans.size(), 2u);
    EXPECT_EQ(scans[0].text, "ab\rc"); // Enter is data when Tab ends the scan
    EXPECT_EQ(scans[1].text, "d");
}

TEST(KeyboardWedge, TabIsDataWithEnterTerminator)
{
    const auto scans = decode(Keys().text("a").tap(KEY_TAB).text("b").tap(KEY_ENTER));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "a\tb");
}

TEST(KeyboardWedge, TwoScansBackToBackAndLoneEnter)
{
    const auto scans = decode(
        Keys().tap(KEY_ENTER).text("first").tap(KEY_ENTER).tap(KEY_KPENTER).text("second").tap(KEY_KPENTER));
    ASSERT_EQ(scans.size(), 2u);
    EXPECT_EQ(scans[0].text, "first");
    EXPECT_EQ(scans[1].text, "second");
}

TEST(KeyboardWedge, BackspaceDeletes)
{
    const auto scans = decode(Keys().text("abx").tap(KEY_BACKSPACE).text("c").tap(KEY_ENTER));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "abc");
}

TEST(KeyboardWedge, AutorepeatAndMiscEventsAreIgnored)
{
    Keys keys;
    keys.add(EV_MSC, MSC_SCAN, 0x70004)
        .add(EV_KEY, KEY_A, 1)
        .add(EV_KEY, KEY_A, 2)
        .add(EV_KEY, KEY_A, 0)
        .syn();
    keys.tap(KEY_F1).tap(KEY_ENTER);
    const auto scans = decode(keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "a");
}

TEST(KeyboardWedge, SynDroppedDiscardsThePartialScan)
{
    KeyboardWedgeDecoder decoder;
    Keys keys;
    keys.text("lost").down(KEY_LEFTSHIFT).dropped();
    // Events until the next SYN_REPORT are part of the broken packet.
    keys.add(EV_KEY, KEY_Z, 1).add(EV_KEY, KEY_Z, 0).syn();
    keys.up(KEY_LEFTSHIFT).text("kept").tap(KEY_ENTER);
    const auto scans = decode(decoder, keys);
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "kept"); // and not "KEPT": the dropped shift state was reset
}

TEST(KeyboardWedge, IdleGapEndsAScanWithoutTerminator)
{
    KeyboardWedgeOptions options;
    options.idleGap = 80ms;
    KeyboardWedgeDecoder decoder(options);
    const TimePoint t0 = TimePoint{} + 10s;
    EXPECT_EQ(decoder.deadline(), TimePoint::max());
    EXPECT_FALSE(decode(decoder, Keys().text("12"), t0).size());
    EXPECT_EQ(decoder.deadline(), t0 + 80ms);
    EXPECT_FALSE(decoder.expire(t0 + 79ms));
    EXPECT_FALSE(decode(decoder, Keys().text("3"), t0 + 79ms).size()); // a key moves the deadline
    EXPECT_EQ(decoder.deadline(), t0 + 159ms);
    EXPECT_FALSE(decoder.expire(t0 + 158ms));
    const auto scan = decoder.expire(t0 + 159ms);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->text, "123");
    EXPECT_EQ(decoder.deadline(), TimePoint::max());
    EXPECT_FALSE(decoder.expire(t0 + 1h));
}

TEST(KeyboardWedge, IdleGapZeroDisablesIt)
{
    KeyboardWedgeOptions options;
    options.idleGap = 0ms;
    KeyboardWedgeDecoder decoder(options);
    decode(decoder, Keys().text("12"));
    EXPECT_EQ(decoder.deadline(), TimePoint::max());
    EXPECT_FALSE(decoder.expire(TimePoint::max() - 1h));
    EXPECT_EQ(decoder.pending(), "12");
}

TEST(KeyboardWedge, ResetForgetsEverything)
{
    KeyboardWedgeDecoder decoder;
    decode(decoder, Keys().down(KEY_LEFTSHIFT).text("ab"));
    decoder.reset();
    const auto scans = decode(decoder, Keys().text("c").tap(KEY_ENTER));
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].text, "c");
}

TEST(KeyboardWedge, MakeScanReplacesEverySubstitute)
{
    KeyboardWedgeOptions options;
    options.gsSubstitute = "~";
    const Scan scan = makeScan("]d2~0109521234543213~10A~", options);
    EXPECT_EQ(scan.aimId, "]d2");
    EXPECT_EQ(scan.symbology, "GS1 DataMatrix");
    EXPECT_EQ(scan.text, "\x1d"
                         "0109521234543213\x1d"
                         "10A\x1d");
}

} // namespace
} // namespace retour::drivers::protocol
