// The operators file (badge and PIN sign-in), the sign-in lockout, and that no credential is
// repeated in clear by the workflow's messages, audit rows or the log text.
#include "cli/cli.h"
#include "config/config.h"
#include "config/operators.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/station/fixtures.h"
#include "tests/unit/station/workflow/workflow_effects.h"
#include "workflow/workflow.h"

#include <gtest/gtest.h>
#include <sstream>

namespace retour::station {
namespace {

using namespace retour::station::testing;

const std::filesystem::path kExample =
    std::filesystem::path(RETOUR_SOURCE_DIR) / "config/station/operators.example.toml";
const std::filesystem::path kRules = std::filesystem::path(RETOUR_SOURCE_DIR) / "config/rules";

std::string pinLine(const std::string& salt, const std::string& pin)
{
    return "pin_sha256 = \"" + hashPin(salt, pin) + "\"\n";
}

// Two operators: op-0042 (badge BADGE-0042, PIN 2468 with the file's salt) and op-0103 (PIN 9021
// with its own salt).
std::string smallFile()
{
    return "salt = \"s1\"\n"
           "[[operator]]\nid = \"op-0042\"\nname = \"Ana\"\nbadge = \"BADGE-0042\"\n" +
           pinLine("s1", "2468") +
           "[[operator]]\nid = \"op-0103\"\nname = \"Chloe\"\nsalt = \"own\"\nroles = [\"supervisor\"]\n" +
           pinLine("own", "9021");
}

TEST(OperatorDirectory, HashPinIsSha256OfSaltThenPin)
{
    // printf 'abc' | sha256sum
    EXPECT_EQ(hashPin("a", "bc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_NE(hashPin("s1", "2468"), hashPin("s2", "2468"));
}

TEST(OperatorDirectory, ExampleFileLoadsAndResolvesItsDocumentedPins)
{
    auto directory = OperatorDirectory::load(kExample);
    ASSERT_TRUE(directory) << directory.error().message;
    ASSERT_EQ(directory->operators().size(), 3u);
    for (auto [pin, id] :
         {std::pair{"2468", "op-0042"}, std::pair{"1357", "op-0017"}, std::pair{"9021", "op-0103"}}) {
        const auto match = directory->resolve(pin);
        ASSERT_TRUE(match) << pin;
        EXPECT_EQ(match->op->id, id);
        EXPECT_EQ(match->kind, CredentialKind::Pin);
    }
    EXPECT_TRUE(directory->operators()[1].hasRole("supervisor"));
    EXPECT_FALSE(directory->operators()[0].hasRole("supervisor"));
}

TEST(OperatorDirectory, BadgeThenPinElseNobody)
{
    auto directory = OperatorDirectory::parse(smallFile(), "ops.toml");
    ASSERT_TRUE(directory) << directory.error().message;
    const auto badge = directory->resolve("BADGE-0042");
    ASSERT_TRUE(badge);
    EXPECT_EQ(badge->op->id, "op-0042");
    EXPECT_EQ(badge->kind, CredentialKind::Badge);
    const auto pin = directory->resolve("9021");
    ASSERT_TRUE(pin);
    EXPECT_EQ(pin->op->id, "op-0103");
    EXPECT_EQ(pin->op->name, "Chloe");
    EXPECT_FALSE(directory->resolve("0000"));
    EXPECT_FALSE(directory->resolve("op-0042")); // the id is not a credential
    EXPECT_FALSE(directory->resolve("badge-0042"));
    EXPECT_EQ(directory->byBadge("BADGE-0042")->id, "op-0042");
    EXPECT_EQ(directory->byBadge("2468"), nullptr);
}

TEST(OperatorDirectory, APinSharedUnderDifferentSaltsIdentifiesNobody)
{
    const std::string text = "[[operator]]\nid = \"a\"\nsalt = \"x\"\n" + pinLine("x", "1111") +
                             "[[operator]]\nid = \"b\"\nsalt = \"y\"\n" + pinLine("y", "1111");
    auto directory = OperatorDirectory::parse(text, "ops.toml");
    ASSERT_TRUE(directory) << directory.error().message;
    EXPECT_FALSE(directory->resolve("1111"));
}

TEST(OperatorDirectory, BadFilesNameFileLineAndColumn)
{
    const std::string pin = pinLine("s", "1234");
    struct Case
    {
        std::string text;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases{
        {"salt = \"s\"\n[[operator]]\nid = \"a\"\nbadge = \"B\"\ncolour = \"red\"\n", "ops.toml:5:1",
         "unknown key \"colour\""},
        {"[[operator]]\nid = \"a b\"\nbadge = \"B\"\n", "ops.toml:2:6", "may only use letters"},
        {"[[operator]]\nname = \"x\"\nbadge = \"B\"\n", "ops.toml:1:1", "has no id"},
        {"[[operator]]\nid = \"a\"\n", "ops.toml:1:1", "give it a badge"},
        {"[[operator]]\nid = \"a\"\npin_sha256 = \"1234\"\n", "ops.toml:3:14", "64 lowercase hex"},
        {"[[operator]]\nid = \"a\"\n" + pin, "ops.toml:3:14", "needs a salt"},
        {"[[operator]]\nid = \"a\"\nbadge = \"B\"\n[[operator]]\nid = \"a\"\nbadge = \"C\"\n", "ops.toml:5:6",
         "listed twice"},
        {"[[operator]]\nid = \"a\"\nbadge = \"B\"\n[[operator]]\nid = \"b\"\nbadge = \"B\"\n", "ops.toml:6:9",
         "has the badge of a"},
        {"salt = \"s\"\n[[operator]]\nid = \"a\"\n" + pin + "[[operator]]\nid = \"b\"\n" + pin,
         "ops.toml:7:14", "has the PIN of a"},
        {"[[operator]]\nid = \"a\"\nbadge = \"has space\"\n", "ops.toml:3:9", "printable characters"},
        {"[[operator]]\nid = \"a\"\nbadge = \"B\"\nroles = \"supervisor\"\n", "ops.toml:4:9",
         "array of strings"},
        {"salt = \"s\"\n", "ops.toml:1:1", "no operators"},
        {"[[operator]\n", "ops.toml:1:", "fix the TOML syntax"},
    };
    for (const auto& c : cases) {
        auto directory = OperatorDirectory::parse(c.text, "ops.toml");
        ASSERT_FALSE(directory) << c.text;
        EXPECT_TRUE(directory.error().message.starts_with(c.where)) << directory.error().message;
        EXPECT_NE(directory.error().message.find(c.what), std::string::npos) << directory.error().message;
    }
    EXPECT_TRUE(OperatorDirectory::load("/nonexistent/ops.toml")
                    .error()
                    .message.starts_with("/nonexistent/ops.toml:1:1: file not found"));
}

TEST(OperatorDirectory, StationConfigNamesTheFileRelativeToItself)
{
    auto config = parseConfig("[station]\nsite = \"s\"\nid = \"b\"\noperators = \"ops/operators.toml\"\n",
                              "/etc/retour/station.toml");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->operatorsFile, "/etc/retour/ops/operators.toml");
    auto none = parseConfig("[station]\nsite = \"s\"\nid = \"b\"\n", "/etc/retour/station.toml");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->operatorsFile.empty());
}

TEST(SignInGuard, LocksAfterFailuresInARowAndUnlocksLater)
{
    SignInGuard guard(SignInGuard::Settings{3, std::chrono::seconds(60)});
    const SignInGuard::Clock::time_point t0{};
    EXPECT_FALSE(guard.failed(t0));
    guard.succeeded(); // a success starts the count again
    EXPECT_FALSE(guard.failed(t0));
    EXPECT_FALSE(guard.failed(t0));
    EXPECT_EQ(guard.lockedFor(t0).count(), 0);
    EXPECT_TRUE(guard.failed(t0));
    EXPECT_EQ(guard.lockedFor(t0).count(), 60);
    EXPECT_EQ(guard.lockedFor(t0 + std::chrono::milliseconds(59500)).count(), 1);
    EXPECT_EQ(guard.lockedFor(t0 + std::chrono::seconds(60)).count(), 0);
    // After the lockout a failure counts from one again.
    EXPECT_FALSE(guard.failed(t0 + std::chrono::seconds(61)));
    EXPECT_EQ(guard.failures(), 1);
}

TEST(OperatorCommands, HashPinPrintsTheLinesOfTheFile)
{
    std::istringstream in("2468\n");
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(runHashPin(in, out, err, "s1"), 0) << err.str();
    EXPECT_EQ(out.str(), "salt = \"s1\"\n" + pinLine("s1", "2468"));

    std::istringstream again("2468\n");
    std::ostringstream fresh;
    EXPECT_EQ(runHashPin(again, fresh, err, ""), 0);
    EXPECT_EQ(fresh.str().find("2468"), std::string::npos);
    // The printed lines make a file that resolves the PIN.
    auto directory = OperatorDirectory::parse("[[operator]]\nid = \"a\"\n" + fresh.str(), "ops.toml");
    ASSERT_TRUE(directory) << directory.error().message;
    EXPECT_TRUE(directory->resolve("2468"));

    std::istringstream bad("12 34\n");
    std::ostringstream none;
    EXPECT_EQ(runHashPin(bad, none, err, "s1"), 2);
    EXPECT_TRUE(none.str().empty());
}

TEST(OperatorCommands, RedactCredentialHidesSignInCredentialsOnly)
{
    EXPECT_EQ(redactCredential("CMD:SIGNIN:2468"), "CMD:SIGNIN:***");
    EXPECT_EQ(redactCredential("cmd:signin:Badge:77"), "cmd:signin:***");
    EXPECT_EQ(redactCredential("CMD:SIGNOUT"), "CMD:SIGNOUT");
    EXPECT_EQ(redactCredential("CMD:GRADE:0:A"), "CMD:GRADE:0:A");
    EXPECT_EQ(redactCredential("4006381333931"), "4006381333931");
    // A malformed sign-in's error does not repeat it either.
    const auto bad = parseOperatorInput("CMD:SIGNIN:24 68");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().find("24 68"), std::string::npos) << bad.error();
}

// ---- the workflow with an operators file ----

std::string everything(const std::vector<Effect>& commands)
{
    std::string text;
    for (const auto& m : all<OperatorMessage>(commands)) {
        text += m.text + "\n";
    }
    for (const auto& a : all<AuditChange>(commands)) {
        text +=
            a.actor + " " + a.action + " " + a.subject + " " + a.before.dump() + " " + a.after.dump() + "\n";
    }
    return text;
}

class SignInTest : public ::testing::Test
{
protected:
    SignInTest() : directory_(demoDirectory()) {}

    void SetUp() override
    {
        auto rules = loadRules(kRules / "disposition.toml");
        ASSERT_TRUE(rules.has_value()) << rules.error().message;
        auto operators = OperatorDirectory::parse(smallFile(), "ops.toml");
        ASSERT_TRUE(operators) << operators.error().message;
        WorkflowSettings settings;
        settings.stationId = "bench-01";
        settings.operatorId = "operator";
        settings.hasCamera = false;
        settings.operators = std::make_shared<const OperatorDirectory>(std::move(*operators));
        settings.signInGuard = {5, std::chrono::seconds(60)};
        WorkflowServices services{[this] { return "id-" + std::to_string(++ids_); },
                                  [] { return std::string("2026-11-26T11:29:56.123Z"); },
                                  {},
                                  [this] { return now_; }};
        workflow_ = std::make_unique<Workflow>(settings, std::make_shared<RuleSet>(std::move(*rules)),
                                               directory_, services, 0);
    }

    std::vector<Effect> scan(std::string text) { return workflow_->handle(ScanInput{std::move(text), ""}); }

    MemoryRmaDirectory directory_;
    std::unique_ptr<Workflow> workflow_;
    SignInGuard::Clock::time_point now_{};
    int ids_ = 0;
};

TEST_F(SignInTest, APinSignsInItsOperatorByIdAndIsNeverRepeated)
{
    const auto out = scan("CMD:SIGNIN:9021");
    EXPECT_TRUE(workflow_->signedIn());
    EXPECT_EQ(workflow_->operatorId(), "op-0103");
    const auto audit = all<AuditChange>(out);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "operator.signed_in");
    EXPECT_EQ(audit[0].actor, "op-0103");
    EXPECT_EQ(audit[0].after["operator"], "op-0103");
    EXPECT_EQ(audit[0].after["by"], "pin");
    EXPECT_NE(everything(out).find("operator op-0103 (Chloe) signed in"), std::string::npos);
    EXPECT_EQ(everything(out).find("9021"), std::string::npos) << everything(out);

    // Parcels opened afterwards carry the id, not the PIN.
    const auto open = all<OpenParcel>(scan("RMA-000101"));
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].parcel.operatorId, "op-0103");
}

TEST_F(SignInTest, ABadgeSignsInWithOrWithoutTheCommand)
{
    auto out = scan("CMD:SIGNIN:BADGE-0042");
    EXPECT_EQ(workflow_->operatorId(), "op-0042");
    EXPECT_EQ(all<AuditChange>(out).at(0).after["by"], "badge");
    scan("CMD:SIGNOUT");
    EXPECT_EQ(workflow_->operatorId(), "operator");
    out = scan("BADGE-0042"); // the badge itself, scanned at an idle bench
    EXPECT_TRUE(workflow_->signedIn());
    EXPECT_EQ(workflow_->operatorId(), "op-0042");
    EXPECT_EQ(all<OpenParcel>(out).size(), 0u);
}

TEST_F(SignInTest, AnUnknownCredentialIsRefusedAndAuditedWithoutIt)
{
    const auto out = scan("CMD:SIGNIN:777777");
    EXPECT_FALSE(workflow_->signedIn());
    EXPECT_EQ(workflow_->operatorId(), "operator");
    const auto messages = all<OperatorMessage>(out);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].level, MessageLevel::Warning);
    EXPECT_EQ(messages[0].text, "sign-in ignored: unknown badge or PIN");
    const auto audit = all<AuditChange>(out);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "operator.sign_in_failed");
    EXPECT_EQ(audit[0].actor, "operator");
    EXPECT_EQ(audit[0].after["attempts"], 1);
    EXPECT_EQ(everything(out).find("777777"), std::string::npos) << everything(out);
    // The id of an operator is not a credential either.
    scan("CMD:SIGNIN:op-0042");
    EXPECT_FALSE(workflow_->signedIn());
}

TEST_F(SignInTest, FiveFailuresInARowLockSignInForAMinute)
{
    std::string said;
    for (int i = 0; i < 4; ++i) {
        said += everything(scan("CMD:SIGNIN:000" + std::to_string(i)));
    }
    const auto fifth = scan("CMD:SIGNIN:0004");
    said += everything(fifth);
    ASSERT_EQ(all<AuditChange>(fifth).size(), 1u);
    EXPECT_EQ(all<AuditChange>(fifth)[0].after["locked"], true);
    EXPECT_NE(said.find("sign-in locked for 60 s after 5 failed attempts"), std::string::npos) << said;

    // Locked: even the right PIN is refused, and nothing is audited per attempt.
    now_ += std::chrono::seconds(20);
    const auto locked = scan("CMD:SIGNIN:2468");
    said += everything(locked);
    EXPECT_FALSE(workflow_->signedIn());
    EXPECT_TRUE(all<AuditChange>(locked).empty());
    EXPECT_NE(everything(locked).find("try again in 40 s"), std::string::npos) << everything(locked);

    now_ += std::chrono::seconds(41);
    scan("CMD:SIGNIN:2468");
    EXPECT_TRUE(workflow_->signedIn());
    EXPECT_EQ(workflow_->operatorId(), "op-0042");
    for (const char* pin : {"0000", "0001", "0002", "0003", "0004", "2468"}) {
        EXPECT_EQ(said.find(pin), std::string::npos) << pin << " in: " << said;
    }
}

TEST_F(SignInTest, WithoutAnOperatorsFileTheCredentialIsTheId)
{
    auto rules = loadRules(kRules / "disposition.toml");
    ASSERT_TRUE(rules);
    WorkflowSettings settings;
    settings.stationId = "bench-01";
    settings.operatorId = "operator";
    Workflow legacy(settings, std::make_shared<RuleSet>(std::move(*rules)), directory_,
                    WorkflowServices{[] { return std::string("id"); }, [] { return std::string("t"); }}, 0);
    legacy.handle(ScanInput{"CMD:SIGNIN:anything-1", ""});
    EXPECT_EQ(legacy.operatorId(), "anything-1");
    // A scan that is not a command stays an identifier.
    legacy.handle(ScanInput{"CMD:SIGNOUT", ""});
    legacy.handle(ScanInput{"BADGE-0042", ""});
    EXPECT_FALSE(legacy.signedIn());
}

} // namespace
} // namespace retour::station
