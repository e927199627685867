#include "workflow/operator_input.h"

#include <gtest/gtest.h>

namespace retour::station {
namespace {

TEST(OperatorInput, EveryCommandRoundTripsThroughItsCanonicalText)
{
    for (const char* text :
         {"CMD:ACCEPT", "CMD:SKIP", "CMD:GRADE:0:A", "CMD:GRADE:3:D", "CMD:OVERRIDE:C:hidden_damage",
          "CMD:CHECK:powers_on:YES", "CMD:CHECK:stains:NO", "CMD:CHECK:make-up:NA",
          "CMD:SKIPPHOTO:item_too_large", "CMD:SKIPPHOTO:back:label_pii", "CMD:CONFIRM", "CMD:NEXT",
          "CMD:UNDO", "CMD:REPRINT", "CMD:CANCEL", "CMD:CLOSE", "CMD:SIGNIN:OP-0042", "CMD:SIGNOUT"}) {
        const auto parsed = parseOperatorInput(text);
        ASSERT_TRUE(parsed) << text << ": " << parsed.error();
        EXPECT_EQ(formatOperatorInput(*parsed), text);
    }
}

TEST(OperatorInput, KeywordsAndAnswersIgnoreCaseCodesAreLowerCased)
{
    const auto check = parseOperatorInput("cmd:check:Tags_Attached:y");
    ASSERT_TRUE(check);
    const auto& c = std::get<cmd::Check>(*check);
    EXPECT_EQ(c.item, "tags_attached");
    EXPECT_EQ(c.answer, cmd::Answer::Yes);
    const auto grade = parseOperatorInput("CMD:grade:1:b");
    ASSERT_TRUE(grade);
    EXPECT_EQ(std::get<cmd::Grade>(*grade).cosmetic, 'B');
}

TEST(OperatorInput, SignInKeepsTheCredentialAsScanned)
{
    const auto parsed = parseOperatorInput("CMD:SIGNIN:Badge:77:aB");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(std::get<cmd::SignIn>(*parsed).credential, "Badge:77:aB");
}

TEST(OperatorInput, MalformedCommandsSayTheGrammar)
{
    for (const char* text :
         {"CMD:GRADE:4:A", "CMD:GRADE:0:E", "CMD:GRADE:0", "CMD:OVERRIDE:F:x", "CMD:OVERRIDE:B",
          "CMD:OVERRIDE:B:has space", "CMD:CHECK:powers_on:maybe", "CMD:CHECK:powers_on", "CMD:SKIPPHOTO",
          "CMD:SKIPPHOTO:a:b:c", "CMD:UNDO:1", "CMD:SIGNIN", "CMD:SIGNIN:"}) {
        const auto parsed = parseOperatorInput(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().find("use CMD:"), std::string::npos) << parsed.error();
    }
    const auto unknown = parseOperatorInput("CMD:DANCE");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().find("unknown command \"CMD:DANCE\""), std::string::npos);
    EXPECT_FALSE(parseOperatorInput("4006381333931"));
}

TEST(OperatorInput, TokensAreShortLowerCaseWords)
{
    EXPECT_TRUE(validToken("hidden_damage"));
    EXPECT_TRUE(validToken("r2-data"));
    EXPECT_FALSE(validToken(""));
    EXPECT_FALSE(validToken("Upper"));
    EXPECT_FALSE(validToken(std::string(41, 'a')));
}

} // namespace
} // namespace retour::station
