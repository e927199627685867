// A second writer of a station's database for the fault tests: appends events through the real
// sync::Outbox, each in one transaction with a domain row (fault_items), exactly as the station
// commits an inspection. Prints every committed event id on stdout, stops at the first failure.
//
//   fault_outbox_tool DB SITE STATION COUNT [MAX_PAGES]
//
// MAX_PAGES sets PRAGMA max_page_count, so SQLite fails with its real SQLITE_FULL once the file
// would grow past it. Exit status: 0 all appended, 3 the database was full, 1 another failure.
#include "retour/link/outbox.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sqlite3.h>
#include <string>

namespace {

bool exec(sqlite3* db, const std::string& sql)
{
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5 || argc > 6) {
        std::cerr << "usage: fault_outbox_tool DB SITE STATION COUNT [MAX_PAGES]\n";
        return 2;
    }
    const std::string site = argv[2];
    const std::string station = argv[3];
    const long count = std::strtol(argv[4], nullptr, 10);
    sqlite3* db = nullptr;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        std::cerr << "error: open " << argv[1] << ": " << sqlite3_errmsg(db) << "\n";
        return 1;
    }
    sqlite3_busy_timeout(db, 10000);
    // The station's pragmas (station store: WAL, FULL on confirming commits).
    if (!exec(db, "PRAGMA journal_mode=WAL") || !exec(db, "PRAGMA synchronous=FULL") ||
        (argc == 6 && !exec(db, std::string("PRAGMA max_page_count=") + argv[5])) ||
        !exec(db, "CREATE TABLE IF NOT EXISTS fault_items (event_id TEXT PRIMARY KEY, n INTEGER NOT NULL)")) {
        std::cerr << "error: set-up: " << sqlite3_errmsg(db) << "\n";
        return 1;
    }
    retour::sync::Outbox outbox(db, 1000000);
    if (auto ok = outbox.ensureSchema(); !ok) {
        std::cerr << "error: " << ok.error().message << "\n";
        return 1;
    }
    const std::string padding(400, 'p');
    for (long i = 0; i < count; ++i) {
        if (!exec(db, "BEGIN IMMEDIATE")) {
            std::cerr << "error: begin: " << sqlite3_errmsg(db) << "\n";
            return sqlite3_errcode(db) == SQLITE_FULL ? 3 : 1;
        }
        auto event =
            outbox.enqueue(site, station, retour::sync::event_type::LabelPrinted,
                           {{"lpn", "LPN-" + station + "-" + std::to_string(i)}, {"job_id", padding}});
        bool ok = event.has_value();
        std::string why = ok ? "" : event.error().message;
        if (ok) {
            ok = exec(db, "INSERT INTO fault_items (event_id, n) VALUES ('" + event->eventId + "', " +
                              std::to_string(i) + ")");
            why = ok ? "" : sqlite3_errmsg(db);
        }
        if (ok) {
            ok = exec(db, "COMMIT");
            why = ok ? "" : sqlite3_errmsg(db);
        }
        if (!ok) {
            const bool full =
                sqlite3_extended_errcode(db) == SQLITE_FULL || why.find("full") != std::string::npos;
            exec(db, "ROLLBACK");
            std::cerr << "error: event " << i << " not committed: " << why << "\n";
            sqlite3_close(db);
            return full ? 3 : 1;
        }
        std::cout << event->eventId << "\n";
    }
    std::cout.flush();
    sqlite3_close(db);
    return 0;
}
