// The pure rules of refunds, stock routing, customer message templates and the delivery outbox:
// the refund policy file (first match, the rule recorded, FILE:LINE:COL errors), amounts by grade
// and disposition, HTTP status classes and back-off, templates and RFC 5322 text, CSV quoting.
// Label: unit.
#include "delivery/delivery.h"
#include "notify/templates.h"
#include "refunds/policy.h"
#include "stock/routing.h"
#include "stock/stock.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central {
namespace {

std::filesystem::path writeTemp(const retour::test::TempDir& dir, const std::string& name,
                                std::string_view text)
{
    const auto path = dir.path() / name;
    test::writeFile(path, text);
    return path;
}

Return returnOf(std::string channel, std::vector<std::pair<std::string, double>> lines,
                std::string category = "electronics")
{
    Return ret;
    ret.rmaId = "RMA-1";
    ret.channel = std::move(channel);
    int n = 0;
    for (auto& [sku, price] : lines) {
        ReturnLine line;
        line.lineId = std::to_string(++n);
        line.sku = sku;
        line.category = category;
        line.unitPrice = price;
        ret.lines.push_back(line);
    }
    return ret;
}

Inspection inspected(std::string lineId, std::string grade, std::string disposition,
                     std::string weight = "ok", std::vector<std::string> findings = {})
{
    Inspection i;
    i.inspectionId = "insp-" + lineId;
    i.lineId = std::move(lineId);
    i.grade = std::move(grade);
    i.dispositionCode = std::move(disposition);
    i.weightResult = std::move(weight);
    i.findings = std::move(findings);
    return i;
}

class RefundPolicyTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto loaded = loadRefundPolicy(RETOUR_CENTRAL_CONFIG "/refunds.toml");
        ASSERT_TRUE(loaded) << loaded.error().format();
        policy_ = std::move(*loaded);
    }
    RefundPolicy policy_;
    retour::test::TempDir dir_{"refund-policy"};
};

TEST_F(RefundPolicyTest, ShippedPolicyLoadsWithEveryRule)
{
    EXPECT_EQ(policy_.currency, "EUR");
    EXPECT_EQ(policy_.triggers.size(), 6u);
    EXPECT_EQ(policy_.amounts.size(), 7u);
    EXPECT_NE(policy_.triggers[0].source.find("refunds.toml:"), std::string::npos)
        << policy_.triggers[0].source;
}

TEST_F(RefundPolicyTest, TriggerIsTheFirstMatchByChannelCategoryAndValue)
{
    const TriggerChoice keep = chooseTrigger(policy_, returnOf("portal", {{"SOCKS", 6.5}}));
    EXPECT_EQ(keep.trigger, RefundTrigger::Authorised);
    EXPECT_TRUE(keep.keepItem);
    EXPECT_TRUE(keep.rule.starts_with("keep-low-value @ ")) << keep.rule;

    EXPECT_EQ(chooseTrigger(policy_, returnOf("store", {{"TV", 900}})).trigger, RefundTrigger::DropOff);
    EXPECT_EQ(chooseTrigger(policy_, returnOf("portal", {{"SHIRT", 39}}, "apparel")).trigger,
              RefundTrigger::CarrierScan);
    EXPECT_EQ(chooseTrigger(policy_, returnOf("portal", {{"CABLE", 12}, {"HUB", 30}})).trigger,
              RefundTrigger::Receipt);
    const TriggerChoice late = chooseTrigger(policy_, returnOf("portal", {{"HEAD", 129.9}, {"CASE", 19}}));
    EXPECT_EQ(late.trigger, RefundTrigger::Inspection);
    EXPECT_TRUE(late.rule.starts_with("inspect-the-rest @ ")) << late.rule;
    // Nobody asked for an unannounced return: it waits for a person, whatever it is worth.
    const TriggerChoice unannounced = chooseTrigger(policy_, returnOf("unannounced", {{"HEAD", 129.9}}));
    EXPECT_EQ(unannounced.trigger, RefundTrigger::Review);
    EXPECT_TRUE(unannounced.rule.starts_with("unannounced-manual-review @ ")) << unannounced.rule;
    EXPECT_FALSE(triggerFired(RefundTrigger::Review, ReturnState::Inspected));
    EXPECT_EQ(parseRefundTrigger("review"), RefundTrigger::Review);
    // An empty policy refunds on inspection, by default.
    EXPECT_EQ(chooseTrigger(RefundPolicy{}, returnOf("portal", {{"X", 1}})).rule, "(default)");
}

TEST_F(RefundPolicyTest, TriggerFiresOnceTheReturnHasReachedItsState)
{
    EXPECT_FALSE(triggerFired(RefundTrigger::Receipt, ReturnState::InTransit));
    EXPECT_TRUE(triggerFired(RefundTrigger::Receipt, ReturnState::Received));
    EXPECT_TRUE(triggerFired(RefundTrigger::Receipt, ReturnState::Inspected));
    EXPECT_TRUE(triggerFired(RefundTrigger::CarrierScan, ReturnState::InTransit));
    EXPECT_FALSE(triggerFired(RefundTrigger::Inspection, ReturnState::Received));
    EXPECT_TRUE(triggerFired(RefundTrigger::Authorised, ReturnState::Authorised));
    // Settled returns never fire again.
    EXPECT_FALSE(triggerFired(RefundTrigger::Authorised, ReturnState::Cancelled));
    EXPECT_FALSE(triggerFired(RefundTrigger::Inspection, ReturnState::Refunded));
}

TEST_F(RefundPolicyTest, AmountFollowsGradeAndDispositionPerItem)
{
    const Return ret = returnOf("portal", {{"HEAD", 129.90}, {"CASE", 19.00}});
    const TriggerChoice trigger = chooseTrigger(policy_, ret);
    const RefundDecision decision =
        decideRefund(policy_, ret, {inspected("1", "B", "open_box"), inspected("2", "A", "restock_new")},
                     trigger, ReturnState::Inspected);
    ASSERT_EQ(decision.lines.size(), 2u);
    // 129.90 less 15 % (19.485 → 19.49) = 110.41
    EXPECT_EQ(decision.lines[0].amountCents, 11041);
    EXPECT_TRUE(decision.lines[0].rule.starts_with("open-box-restocking-fee @ "));
    EXPECT_EQ(decision.lines[1].amountCents, 1900);
    EXPECT_EQ(decision.amountCents, 12941);
    EXPECT_EQ(decision.fullCents, 14890);
    EXPECT_EQ(decision.settledState(), ReturnState::PartiallyRefunded);
}

TEST_F(RefundPolicyTest, SuspectContentAndMissingItemsPayNothing)
{
    const Return ret = returnOf("portal", {{"HEAD", 129.90}, {"CASE", 19.00}});
    const RefundDecision decision =
        decideRefund(policy_, ret, {inspected("1", "A", "quarantine", "mismatch", {"weight_mismatch"})},
                     chooseTrigger(policy_, ret), ReturnState::Inspected);
    ASSERT_EQ(decision.lines.size(), 2u);
    EXPECT_EQ(decision.lines[0].amountCents, 0);
    EXPECT_TRUE(decision.lines[0].rule.starts_with("suspect-content @ "));
    EXPECT_EQ(decision.lines[1].rule, "(missing)");
    EXPECT_EQ(decision.amountCents, 0);
    EXPECT_EQ(decision.settledState(), ReturnState::Rejected);
}

TEST_F(RefundPolicyTest, EarlyTriggersRefundTheFullValueAndTradeInsTheirOffer)
{
    const Return ret = returnOf("portal", {{"CABLE", 12}, {"HUB", 30}});
    const RefundDecision decision =
        decideRefund(policy_, ret, {}, chooseTrigger(policy_, ret), ReturnState::Received);
    EXPECT_EQ(decision.amountCents, 4200);
    EXPECT_EQ(decision.settledState(), ReturnState::Refunded);
    EXPECT_NE(decision.lines[0].basis.find("receipt"), std::string::npos);

    Return tradeIn = returnOf("tradein", {{"PHONE", 0}});
    tradeIn.tradeInValue = 80.0;
    EXPECT_EQ(returnValueCents(tradeIn), 8000);
}

TEST_F(RefundPolicyTest, BrokenPolicyFilesNameFileLineAndColumn)
{
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"[[trigger]]\nname = \"x\"\ntrigger = \"whenever\"\n", ":3:11: unknown trigger \"whenever\""},
        {"[[trigger]]\nname = \"x\"\nchannel = [\"fax\"]\ntrigger = \"receipt\"\n",
         ":3:11: unknown channel \"fax\""},
        {"[[trigger]]\nname = \"x\"\ntrigger = \"receipt\"\nkeep_item = true\n", ":4:13: keep_item"},
        {"[[amount]]\nname = \"x\"\nrefund = \"fee\"\n",
         ":1:1: [[amount]] #1 has refund = \"fee\" but no fee_percent"},
        {"[[amount]]\nname = \"x\"\nrefund = \"fee\"\nfee_percent = 150\n", ":4:15: fee_percent"},
        {"[[amount]]\nname = \"x\"\nrefund = \"half\"\n", ":3:10: refund in [[amount]] #1 is \"half\""},
        {"currency = \"euro\"\n", ":1:12: currency \"euro\""},
        {"[[amount]]\nname = \"x\"\nrefund = \"full\"\ncolour = 1\n", ":4:1: unknown key \"colour\""},
        {"[[trigger]\n", ":1:"},
    };
    for (const auto& [text, expected] : cases) {
        const auto path = writeTemp(dir_, "bad.toml", text);
        auto loaded = loadRefundPolicy(path);
        ASSERT_FALSE(loaded) << text;
        EXPECT_NE(loaded.error().format().find(path.string() + std::string(expected)), std::string::npos)
            << loaded.error().format();
    }
}

TEST(DeliveryRules, HttpStatusClasses)
{
    EXPECT_EQ(classifyHttpStatus(200), Verdict::Done);
    EXPECT_EQ(classifyHttpStatus(201), Verdict::Done);
    EXPECT_EQ(classifyHttpStatus(503), Verdict::Retry);
    EXPECT_EQ(classifyHttpStatus(500), Verdict::Retry);
    EXPECT_EQ(classifyHttpStatus(429), Verdict::Retry);
    EXPECT_EQ(classifyHttpStatus(408), Verdict::Retry);
    EXPECT_EQ(classifyHttpStatus(422), Verdict::Failed);
    EXPECT_EQ(classifyHttpStatus(404), Verdict::Failed);
    EXPECT_EQ(classifyHttpStatus(302), Verdict::Failed);
}

TEST(DeliveryRules, BackoffDoublesUpToItsCap)
{
    RetryPolicy policy;
    policy.base = std::chrono::milliseconds(500);
    policy.max = std::chrono::milliseconds(3000);
    EXPECT_EQ(backoff(policy, 0).count(), 0);
    EXPECT_EQ(backoff(policy, 1).count(), 500);
    EXPECT_EQ(backoff(policy, 2).count(), 1000);
    EXPECT_EQ(backoff(policy, 3).count(), 2000);
    EXPECT_EQ(backoff(policy, 4).count(), 3000);
    EXPECT_EQ(backoff(policy, 60).count(), 3000);
}

TEST(MessageTemplates, ShippedTemplatesLoadAndFill)
{
    auto templates = loadTemplates(RETOUR_CENTRAL_CONFIG "/templates");
    ASSERT_TRUE(templates) << templates.error().format();
    ASSERT_EQ(templates->size(), messageStages().size());
    const MessageTemplate& refunded = templates->back();
    EXPECT_EQ(refunded.stage, "refunded");
    EXPECT_EQ(fill(refunded.subject, {{"rma_id", "DS-000001"}, {"amount", "110.41"}, {"currency", "EUR"}}),
              "Return DS-000001: refund of 110.41 EUR issued");
}

TEST(MessageTemplates, UnknownPlaceholderAndMissingSubjectAreRefusedWithTheirPlace)
{
    auto unknown = parseTemplate("received", "t.txt", "Subject: Hi {rma_id}\n\nDear {first_name},\n");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().format().substr(0, 12), "t.txt:3:6: u");
    auto noSubject = parseTemplate("received", "t.txt", "Hello\n\nbody\n");
    ASSERT_FALSE(noSubject);
    EXPECT_EQ(noSubject.error().line, 1);
    auto noBlank = parseTemplate("received", "t.txt", "Subject: x\nbody\n");
    ASSERT_FALSE(noBlank);
    EXPECT_EQ(noBlank.error().line, 2);
}

TEST(MessageTemplates, MailHasCrlfLinesAndNoInjectedHeaders)
{
    MailMessage mail{"returns@example.com",
                     "ada@example.com",
                     "Return X\r\nBcc: evil@example.com",
                     "a\nb\r\nc",
                     "id@x",
                     "Thu, 26 Nov 2026 12:00:00 +0000"};
    const std::string text = formatMail(mail);
    EXPECT_NE(text.find("Subject: Return XBcc: evil@example.com\r\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
    EXPECT_NE(text.find("\r\n\r\na\r\nb\r\nc\r\n"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
}

TEST(StockRouting, DispositionsRouteByTheShippedTable)
{
    auto table = loadRoutingTable(RETOUR_CENTRAL_CONFIG "/routing.toml");
    ASSERT_TRUE(table) << table.error().format();
    EXPECT_EQ(chooseRoute(*table, "restock_new", "A", "electronics").route, "pick_face");
    EXPECT_EQ(chooseRoute(*table, "open_box", "B", "electronics").route, "outlet");
    EXPECT_EQ(chooseRoute(*table, "refurbish", "C", "electronics").route, "refurbisher");
    const RouteChoice vendor = chooseRoute(*table, "return_to_vendor", "D", "electronics");
    EXPECT_EQ(vendor.route, "vendor");
    EXPECT_EQ(vendor.condition, "defective");
    EXPECT_TRUE(vendor.rule.starts_with("vendor-returns @ ")) << vendor.rule;
    EXPECT_EQ(chooseRoute(*table, "teleport", "A", "generic").rule, "(default)");
    // The built-in table says the same as the shipped file.
    const RoutingTable builtIn = defaultRoutingTable();
    for (const char* code : {"restock_new", "open_box", "resale_second_hand", "refurbish", "return_to_vendor",
                             "recycle", "quarantine"}) {
        EXPECT_EQ(chooseRoute(builtIn, code, "A", "generic").route,
                  chooseRoute(*table, code, "A", "generic").route)
            << code;
    }
}

TEST(StockRouting, BrokenRoutingFileNamesItsPlace)
{
    retour::test::TempDir dir("routing");
    const auto path = writeTemp(dir, "routing.toml", "[[route]]\nname = \"x\"\nroute = \"outlet\"\n");
    auto table = loadRoutingTable(path);
    ASSERT_FALSE(table);
    EXPECT_NE(table.error().format().find(path.string() + ":1:1: missing key \"condition\" in [[route]] #1"),
              std::string::npos)
        << table.error().format();
}

TEST(StockCsv, FieldsAreQuotedPerRfc4180)
{
    EXPECT_EQ(csvField("A-01"), "A-01");
    EXPECT_EQ(csvField("a,b"), "\"a,b\"");
    EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    StockMovement m;
    m.id = 7;
    m.eventId = "e1";
    m.kind = "restocked";
    m.sku = "HEAD,BT";
    m.fromLocation = "bench:bench-01";
    m.toLocation = "A-01";
    m.condition = "new";
    m.station = "bench-01";
    m.at = "2026-11-26T11:29:56.123Z";
    const std::string csv = movementsCsv({m});
    EXPECT_TRUE(csv.starts_with("id,at,kind,sku,from_location,to_location,condition,quantity,"));
    EXPECT_NE(csv.find("\r\n7,2026-11-26T11:29:56.123Z,restocked,\"HEAD,BT\",bench:bench-01,A-01,new,1,"),
              std::string::npos)
        << csv;
}

} // namespace
} // namespace retour::central
