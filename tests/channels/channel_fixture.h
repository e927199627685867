#pragma once

#include "bench_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace retour::test {

// One site for a return channel end to end, every part a separate process: a real mosquitto,
// retour-central with its HTTP API, authorisation rules, refund policy, stock routing and e-mail
// templates of the repository, retour-station driven by the simulated scanner and scale
// (BenchFixture), the payment service (tests/support/site/payment_service.py, which also takes the
// stock webhook) and the SMTP sink (tests/support/site/smtp_sink.py). Each test has its own
// directories and ports, so the channel tests run in parallel.
//
// The catalogue has a shirt (apparel, 39.00), headphones (electronics, 129.90) and a carry case
// (generic, 19.00), each with its GTIN and expected weight; an order is imported per test.
class ChannelTest : public ::testing::Test
{
protected:
    void SetUp() override;
    void TearDown() override;

    struct Item
    {
        std::string sku, gtin;
        double grams;
    };
    static const Item kShirt, kHeadphones, kCase, kUnknown;

    // A staff (or portal) call to central's API; the body is parsed JSON.
    nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body = {},
                        int expected = 200);
    // An order of one line of `item`, ordered today, by `email`.
    void importOrder(const std::string& orderId, const std::string& email, const Item& item);
    // POST /api/v1/returns/{rma}/events.
    nlohmann::json parcelEvent(const std::string& rma, const std::string& kind, const std::string& actor);

    // One parcel at the bench: the label scanned, the item scanned and weighed, graded, confirmed,
    // taken off the scale, the parcel closed. `rmas`: how many RMAs the station must hold first.
    void inspectAtBench(const std::string& label, const Item& item, int rmas,
                        const std::string& grade = "CMD:GRADE:0:A");

    // A value from central's database (its own read-only connection).
    std::string query(const std::string& sql);
    std::string stateOf(const std::string& rma);
    bool waitForState(const std::string& rma, const std::string& state);

    // What the payment service received and paid: refunds (key refund-<rma>) or stock movements
    // (key stock-…).
    std::vector<nlohmann::json> paid(const std::string& keyPrefix);
    bool waitForPayment(const std::string& rma);
    // The e-mails the SMTP sink accepted for `rma` (subject line contains it), in arrival order.
    std::vector<std::string> mails(const std::string& rma);
    bool waitForMails(const std::string& rma, std::size_t count);
    // Every mail of `rma` went to `email` from returns@example.com, each subject once, and these
    // subjects are among them (a stage the ledger passes within one batch, e.g. inspected right
    // before refunded, may be told or not).
    void expectMails(const std::string& rma, const std::string& email,
                     const std::vector<std::string>& subjects);

    std::string centralLog();

    // Central's seed: one return unrelated to the test, so the stations' RMA cache is never empty.
    BenchFixture bench_{fixtures::text("rmas/channels.toml"), ""};

private:
    std::filesystem::path payDir_, mailDir_;
    std::optional<ChildProcess> payment_, smtp_;
    int httpPort_ = 0;
};

} // namespace retour::test
