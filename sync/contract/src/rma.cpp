// The RMA document (docs/schemas/rma.json).
#include "retour/contract/rma.h"

#include "codecs.h"

#include <array>

namespace retour::sync {

namespace detail {

namespace {

constexpr std::string_view kRmaSchema = "retour.rma";
constexpr std::array<std::string_view, 6> kChannels{"portal",     "customer_service", "store",
                                                    "preprinted", "unannounced",      "tradein"};

} // namespace

json writeRma(const RmaDocument& rma)
{
    json lines = json::array();
    for (const auto& line : rma.lines) {
        json out = {{"line_id", line.lineId},
                    {"sku", line.sku},
                    {"gtin", orNull(line.gtin)},
                    {"category", line.category},
                    {"quantity", line.quantity},
                    {"unit_price", orNull(line.unitPrice)},
                    {"expected_weight_g", orNull(line.expectedWeightG)},
                    {"reason", orNull(line.reason)}};
        putIfSet(out, "description", line.description);
        putIfSet(out, "serials", line.serials);
        lines.push_back(std::move(out));
    }
    return {{"schema", kRmaSchema},
            {"version", kEventVersion},
            {"rma_id", rma.rmaId},
            {"site", rma.site},
            {"channel", rma.channel},
            {"state", rma.state},
            {"order_id", orNull(rma.orderId)},
            {"customer", orNull(rma.customer)},
            {"tracking", orNull(rma.tracking)},
            {"label_barcode", rma.labelBarcode},
            {"trade_in_value", orNull(rma.tradeInValue)},
            {"lines", std::move(lines)}};
}

RmaDocument readRma(Fields& f)
{
    RmaDocument rma;
    f.constant("schema", kRmaSchema);
    (void)f.integer("version", Integers{.minimum = kEventVersion, .maximum = kEventVersion});
    rma.rmaId = f.string("rma_id", Text{.minLength = 1});
    rma.site = f.string("site", Text{.minLength = 1, .pattern = Pattern::Level});
    rma.channel = f.string("channel", Text{.oneOf = kChannels});
    rma.state = f.string("state");
    rma.orderId = f.nullableString("order_id", Presence::Optional);
    rma.customer = f.nullableString("customer", Presence::Optional);
    rma.tracking = f.nullableString("tracking", Presence::Optional);
    rma.labelBarcode = f.string("label_barcode");
    rma.tradeInValue = f.nullableNumber("trade_in_value", Presence::Optional);
    for (Fields& l : f.objects("lines", Presence::Required)) {
        RmaDocument::Line line;
        line.lineId = l.string("line_id", Text{.minLength = 1});
        line.sku = l.string("sku");
        line.gtin = l.nullableString("gtin", Presence::Optional);
        line.description = l.optionalString("description");
        line.category = l.string("category");
        line.quantity = l.integer("quantity", Integers{.minimum = 1});
        line.unitPrice = l.nullableNumber("unit_price", Presence::Optional);
        line.expectedWeightG = l.nullableNumber("expected_weight_g", Presence::Optional);
        line.serials = l.optionalStrings("serials");
        line.reason = l.nullableString("reason", Presence::Optional);
        rma.lines.push_back(std::move(line));
    }
    return rma;
}

} // namespace detail

nlohmann::json toJson(const RmaDocument& rma)
{
    return detail::writeRma(rma);
}

std::string encodeRma(const RmaDocument& rma)
{
    return detail::dump(detail::writeRma(rma));
}

Result<RmaDocument> decodeRma(std::string_view payload)
{
    // readRma checks schema and version itself: a lookup answer's matches are RMA documents too.
    return detail::decodeMessage(payload, {}, "rma",
                                 [](detail::Fields& fields) { return detail::readRma(fields); });
}

} // namespace retour::sync
