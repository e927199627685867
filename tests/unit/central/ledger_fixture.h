#pragma once

// A ledger on a fresh SQLite file with its ingest, and station events sent to it as the broker
// hands them over: the set-up the ledger and outcomes tests share.
#include "desk/seed.h"
#include "ledger/ingest.h"
#include "retour/contract/message.h"
#include "tests/unit/central/fixtures.h"

#include <gtest/gtest.h>

namespace retour::central::test {

inline constexpr std::string_view kSite = "demo-site";

class LedgerTest : public ::testing::Test
{
protected:
    explicit LedgerTest(std::string_view dirPrefix) : dir_(dirPrefix) {}

    // Storage, ledger and ingest on dir_/central.db; `seeded`: with the RMAs of kSeed.
    void openLedger(bool seeded)
    {
        auto store = openSqliteStorage(dir_ / "central.db", OpenMode::ReadWrite);
        ASSERT_TRUE(store) << store.error().message;
        storage_ = std::move(*store);
        store_ = &storage_->ledger();
        ledger_ = std::make_unique<Ledger>(*store_);
        ingest_ = std::make_unique<Ingest>(std::string(kSite), *store_, *ledger_);
        if (seeded) {
            writeFile(dir_ / "rmas.toml", kSeed);
            auto rmas = loadSeed(dir_ / "rmas.toml");
            ASSERT_TRUE(rmas) << rmas.error().format();
            ASSERT_TRUE(applySeed(*store_, *ledger_, *rmas, "rmas.toml", "2026-11-26T10:00:00.000Z"));
        }
    }

    // Another connection to the same file, as `run` gives each concern its own.
    std::unique_ptr<Storage> attach()
    {
        auto attached = openSqliteStorage(dir_ / "central.db", OpenMode::Attached);
        EXPECT_TRUE(attached) << attached.error().message;
        return attached ? std::move(*attached) : nullptr;
    }

    static std::string topic(std::string_view type, std::string_view station = "bench-01")
    {
        return sync::topics::event(kSite, station, type);
    }

    // A bench-01 event of `type` with `data`, received at `receivedAt`.
    Result<IngestResult> deliver(std::string_view type, nlohmann::json data, std::string eventId,
                                 std::string_view receivedAt)
    {
        return ingest_->handle(
            topic(type), eventBody(type, std::move(data), "bench-01", kSite, std::move(eventId)), receivedAt);
    }

    retour::test::TempDir dir_;
    std::unique_ptr<Storage> storage_;
    Store* store_ = nullptr;
    std::unique_ptr<Ledger> ledger_;
    std::unique_ptr<Ingest> ingest_;
};

} // namespace retour::central::test
