// The SQLite backend of ReportStore: the reports' figures over the ledger, orders and refunds.
#include "ledger/try.h"
#include "storage/sqlite/columns.h"
#include "storage/sqlite/stores.h"

namespace retour::central::sqlite {

namespace {

KeyCount readKeyCount(const Statement& row)
{
    return KeyCount{row.text(0), row.integer(1)};
}

// A row of a key and two figures (reasons, SKUs, refund states).
template <class T> T readKeyTwoCounts(const Statement& row)
{
    return T{row.text(0), row.integer(1), row.integer(2)};
}

// The line's price and serials are NULL (0, none) when the inspection names no line.
const auto kFacts = columns<InspectionFacts>(
    "i.inspection_id, i.rma_id, i.station, COALESCE(i.operator, ''), COALESCE(i.confirmed_at, "
    "e.occurred_at), "
    "i.disposition_code, i.weight_result, i.findings, i.item_serial, COALESCE(l.unit_price, 0), l.serials, "
    "l.sku, i.item_sku",
    &InspectionFacts::inspectionId, &InspectionFacts::rmaId, &InspectionFacts::station,
    &InspectionFacts::operatorId, &InspectionFacts::at, &InspectionFacts::dispositionCode,
    &InspectionFacts::weightResult, &InspectionFacts::findings, &InspectionFacts::itemSerial,
    &InspectionFacts::unitPrice, &InspectionFacts::shippedSerials, &InspectionFacts::lineSku,
    &InspectionFacts::itemSku);

class SqliteReportStore final : public ReportStore
{
public:
    explicit SqliteReportStore(Database& db) : db_(db) {}

    Result<std::vector<KeyCount>> returnsByChannel(std::string_view since) override;
    Result<std::vector<KeyCount>> returnsByState(std::string_view since) override;
    Result<std::vector<ReasonCount>> reasons(std::string_view since) override;
    Result<std::vector<SkuReturns>> returnsBySku(std::string_view since) override;
    Result<std::vector<KeyCount>> inspectionsByGrade(std::string_view since) override;
    Result<std::vector<KeyCount>> inspectionsByDisposition(std::string_view since) override;
    Result<std::vector<InspectionFacts>> inspectionFacts(std::string_view since) override;
    Result<std::vector<RefundTotal>> refundTotals(std::string_view since) override;

private:
    // The rows of `sql`, whose one parameter is the report's start.
    template <class Read>
    Result<std::vector<Statement::Row<Read>>> rowsSince(std::string_view sql, std::string_view since,
                                                        Read read)
    {
        CENTRAL_TRY_ASSIGN(stmt, db_.prepare(sql));
        stmt.bind(1, since);
        return stmt.all(read);
    }

    Result<std::vector<KeyCount>> keyCounts(std::string_view sql, std::string_view since)
    {
        return rowsSince(sql, since, readKeyCount);
    }

    Database& db_;
};

} // namespace

Result<std::vector<KeyCount>> SqliteReportStore::returnsByChannel(std::string_view since)
{
    return keyCounts(
        "SELECT channel, COUNT(*) FROM returns WHERE created_at >= ? GROUP BY channel ORDER BY channel",
        since);
}

Result<std::vector<KeyCount>> SqliteReportStore::returnsByState(std::string_view since)
{
    return keyCounts(
        "SELECT state, COUNT(*) FROM returns WHERE created_at >= ? GROUP BY state ORDER BY state", since);
}

Result<std::vector<ReasonCount>> SqliteReportStore::reasons(std::string_view since)
{
    return rowsSince("SELECT COALESCE(l.reason, '(none)'), COUNT(*), SUM(l.quantity) "
                     "FROM return_lines l JOIN returns r ON r.rma_id = l.rma_id "
                     "WHERE r.created_at >= ? GROUP BY 1 ORDER BY 3 DESC, 1",
                     since, readKeyTwoCounts<ReasonCount>);
}

Result<std::vector<SkuReturns>> SqliteReportStore::returnsBySku(std::string_view since)
{
    return rowsSince("SELECT o.sku, o.ordered, COALESCE(r.returned, 0) FROM "
                     "(SELECT sku, SUM(quantity) AS ordered FROM order_lines GROUP BY sku) o "
                     "LEFT JOIN (SELECT l.sku, SUM(l.quantity) AS returned FROM return_lines l "
                     "JOIN returns x ON x.rma_id = l.rma_id WHERE x.state NOT IN ('cancelled', "
                     "'rejected', 'expired') AND x.created_at >= ? GROUP BY l.sku) r "
                     "ON r.sku = o.sku ORDER BY o.sku",
                     since, readKeyTwoCounts<SkuReturns>);
}

Result<std::vector<KeyCount>> SqliteReportStore::inspectionsByGrade(std::string_view since)
{
    return keyCounts("SELECT grade, COUNT(*) FROM inspections i JOIN events e ON e.event_id = i.event_id "
                     "WHERE e.occurred_at >= ? GROUP BY grade ORDER BY grade",
                     since);
}

Result<std::vector<KeyCount>> SqliteReportStore::inspectionsByDisposition(std::string_view since)
{
    return keyCounts("SELECT disposition_code, COUNT(*) FROM inspections i JOIN events e "
                     "ON e.event_id = i.event_id WHERE e.occurred_at >= ? "
                     "GROUP BY disposition_code ORDER BY disposition_code",
                     since);
}

Result<std::vector<InspectionFacts>> SqliteReportStore::inspectionFacts(std::string_view since)
{
    return rowsSince("SELECT " + kFacts.list() +
                         " FROM inspections i JOIN events e ON e.event_id = i.event_id "
                         "LEFT JOIN return_lines l ON l.rma_id = i.rma_id AND l.line_id = i.line_id "
                         "WHERE e.occurred_at >= ? ORDER BY 5",
                     since, kFacts.reader());
}

Result<std::vector<RefundTotal>> SqliteReportStore::refundTotals(std::string_view since)
{
    return rowsSince("SELECT state, COUNT(*), SUM(amount_cents) FROM refunds "
                     "WHERE decided_at >= ? GROUP BY state ORDER BY state",
                     since, readKeyTwoCounts<RefundTotal>);
}

std::unique_ptr<ReportStore> reportStore(Database& db)
{
    return std::make_unique<SqliteReportStore>(db);
}

} // namespace retour::central::sqlite
