// RMAs authorised at start from a TOML seed file (see seed.h for the format).
#include "desk/seed.h"

#include "app/toml_reader.h"
#include "ledger/try.h"
#include "retour/contract/message.h"

#include <set>

namespace retour::central {

namespace {

SourceResult<ReturnLine> readLine(const TomlReader& reader, const toml::table& table,
                                  const std::string& where)
{
    if (auto unknown = reader.unknownKey(table,
                                         {"line_id", "sku", "gtin", "description", "category", "quantity",
                                          "unit_price", "expected_weight_g", "serials", "reason"},
                                         where)) {
        return std::unexpected(*unknown);
    }
    ReturnLine line;
    CENTRAL_TRY_ASSIGN(lineId, reader.string(table, "line_id", where));
    line.lineId = lineId;
    CENTRAL_TRY_ASSIGN(sku, reader.string(table, "sku", where));
    line.sku = sku;
    CENTRAL_TRY_ASSIGN(gtin, reader.optString(table, "gtin", where));
    line.gtin = gtin;
    CENTRAL_TRY_ASSIGN(description, reader.string(table, "description", where));
    line.description = description;
    CENTRAL_TRY_ASSIGN(category, reader.string(table, "category", where));
    if (!isKnownCategory(category)) {
        return std::unexpected(
            reader.at(table.get("category")->source(), "unknown category \"" + category + "\" in " + where +
                                                           "; use electronics, apparel or generic"));
    }
    line.category = category;
    CENTRAL_TRY_ASSIGN(quantity, reader.optInteger(table, "quantity", where));
    if (!quantity) {
        return std::unexpected(
            reader.at(table.source(), "missing key \"quantity\" in " + where + "; add quantity = 1"));
    }
    if (*quantity < 1) {
        return std::unexpected(
            reader.at(table.get("quantity")->source(), "quantity in " + where + " must be 1 or more"));
    }
    line.quantity = *quantity;
    CENTRAL_TRY_ASSIGN(unitPrice, reader.optNumber(table, "unit_price", where));
    if (!unitPrice) {
        return std::unexpected(reader.at(table.source(), "missing key \"unit_price\" in " + where +
                                                             "; add unit_price = 0.0 or the price"));
    }
    if (*unitPrice < 0) {
        return std::unexpected(
            reader.at(table.get("unit_price")->source(), "unit_price in " + where + " must not be negative"));
    }
    line.unitPrice = unitPrice;
    CENTRAL_TRY_ASSIGN(weight, reader.optNumber(table, "expected_weight_g", where));
    if (weight && *weight <= 0) {
        return std::unexpected(
            reader.at(table.get("expected_weight_g")->source(), "expected_weight_g in " + where +
                                                                    " must be more than 0 (grams); leave it "
                                                                    "out when unknown"));
    }
    line.expectedWeightG = weight;
    CENTRAL_TRY_ASSIGN(serials, reader.optStringArray(table, "serials", where));
    line.serials = serials.value_or(std::vector<std::string>{});
    CENTRAL_TRY_ASSIGN(reason, reader.string(table, "reason", where));
    line.reason = reason;
    return line;
}

SourceResult<Return> readRma(const TomlReader& reader, const toml::table& table, std::size_t number)
{
    std::string where = "[[rma]] #" + std::to_string(number);
    if (auto unknown = reader.unknownKey(table,
                                         {"rma_id", "channel", "order_id", "customer", "tracking",
                                          "label_barcode", "trade_in_value", "line"},
                                         where)) {
        return std::unexpected(*unknown);
    }
    Return ret;
    CENTRAL_TRY_ASSIGN(rmaId, reader.string(table, "rma_id", where));
    if (!sync::topics::isValidLevel(rmaId)) {
        return std::unexpected(
            reader.at(table.get("rma_id")->source(), "rma_id \"" + rmaId +
                                                         "\" cannot be an MQTT topic level; use letters, "
                                                         "digits and '-' (no '/', '+', '#' or leading '$')"));
    }
    ret.rmaId = rmaId;
    where = "[[rma]] " + rmaId;

    CENTRAL_TRY_ASSIGN(channel, reader.string(table, "channel", where));
    if (!isKnownChannel(channel) || channel == "unannounced") {
        return std::unexpected(reader.at(table.get("channel")->source(),
                                         "unknown channel \"" + channel + "\" in " + where +
                                             "; use portal, customer_service, store, preprinted or tradein"));
    }
    ret.channel = channel;
    CENTRAL_TRY_ASSIGN(orderId, reader.optString(table, "order_id", where));
    if (!orderId && channel != "tradein") {
        return std::unexpected(
            reader.at(table.source(), "missing key \"order_id\" in " + where + "; add order_id = \"…\""));
    }
    ret.orderId = orderId;
    CENTRAL_TRY_ASSIGN(customer, reader.string(table, "customer", where));
    ret.customer = customer;
    CENTRAL_TRY_ASSIGN(tracking, reader.optString(table, "tracking", where));
    ret.tracking = tracking;
    CENTRAL_TRY_ASSIGN(label, reader.optString(table, "label_barcode", where));
    ret.labelBarcode = label.value_or(rmaId);
    if (ret.labelBarcode.empty()) {
        return std::unexpected(
            reader.at(table.get("label_barcode")->source(),
                      "label_barcode in " + where + " is empty; leave it out to use the rma_id"));
    }
    CENTRAL_TRY_ASSIGN(tradeIn, reader.optNumber(table, "trade_in_value", where));
    if (tradeIn && channel != "tradein") {
        return std::unexpected(
            reader.at(table.get("trade_in_value")->source(),
                      "trade_in_value in " + where + " is only for channel \"tradein\"; remove it"));
    }
    if (tradeIn && *tradeIn < 0) {
        return std::unexpected(reader.at(table.get("trade_in_value")->source(),
                                         "trade_in_value in " + where + " must not be negative"));
    }
    ret.tradeInValue = tradeIn;

    const toml::node* lines = table.get("line");
    const toml::array* array = lines != nullptr ? lines->as_array() : nullptr;
    if (lines != nullptr && (array == nullptr || !array->is_array_of_tables())) {
        return std::unexpected(
            reader.at(lines->source(), "\"line\" in " + where + " must be [[rma.line]] tables"));
    }
    if (array == nullptr || array->empty()) {
        return std::unexpected(
            reader.at(table.source(), where + " has no lines; add at least one [[rma.line]]"));
    }
    std::set<std::string, std::less<>> lineIds;
    std::size_t lineNumber = 0;
    for (const toml::node& node : *array) {
        ++lineNumber;
        const std::string lineWhere = "[[rma.line]] #" + std::to_string(lineNumber) + " of " + rmaId;
        CENTRAL_TRY_ASSIGN(line, readLine(reader, *node.as_table(), lineWhere));
        if (!lineIds.insert(line.lineId).second) {
            return std::unexpected(reader.at(node.as_table()->get("line_id")->source(),
                                             "duplicate line_id \"" + line.lineId + "\" in " + rmaId +
                                                 "; give each line its own id"));
        }
        ret.lines.push_back(std::move(line));
    }
    return ret;
}

} // namespace

SourceResult<std::vector<Return>> loadSeed(const std::filesystem::path& file)
{
    const TomlReader reader(file.string());
    CENTRAL_TRY_ASSIGN(root, reader.parse(file));
    if (auto unknown = reader.unknownKey(root, {"rma"}, "the RMA seed file")) {
        return std::unexpected(*unknown);
    }
    std::vector<Return> out;
    const toml::node* rmas = root.get("rma");
    if (rmas == nullptr) {
        return out;
    }
    const toml::array* array = rmas->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
        return std::unexpected(reader.at(rmas->source(), "\"rma\" must be [[rma]] tables"));
    }
    std::set<std::string, std::less<>> ids;
    std::size_t number = 0;
    for (const toml::node& node : *array) {
        ++number;
        CENTRAL_TRY_ASSIGN(rma, readRma(reader, *node.as_table(), number));
        if (!ids.insert(rma.rmaId).second) {
            return std::unexpected(
                reader.at(node.as_table()->get("rma_id")->source(),
                          "duplicate rma_id \"" + rma.rmaId + "\"; each [[rma]] needs its own id"));
        }
        out.push_back(std::move(rma));
    }
    return out;
}

Result<SeedOutcome> applySeed(Store& store, Ledger& ledger, const std::vector<Return>& rmas,
                              std::string_view source, std::string_view at)
{
    SeedOutcome outcome;
    const Audit audit{"seed:" + std::string(source), "authorised from the RMA seed file", std::string(at),
                      std::nullopt};
    CENTRAL_TRY(store.transaction([&]() -> Result<void> {
        for (const Return& rma : rmas) {
            CENTRAL_TRY_ASSIGN(added, ledger.authorise(rma, audit));
            ++(added ? outcome.added : outcome.existing);
        }
        return {};
    }));
    return outcome;
}

} // namespace retour::central
