// Orders and catalogue from CSV (see orders.h for the columns). Pure: text in, records or every
// error out.
#include "desk/orders.h"
#include "ledger/model.h"
#include "retour/base/time.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <map>

namespace retour::central {

namespace {

struct Field
{
    std::string text;
    std::int64_t column = 1; // of its first character
};

struct Row
{
    std::int64_t line = 1;
    std::vector<Field> fields;
};

// RFC 4180 rows; a quote left open is reported at the row it began.
std::expected<std::vector<Row>, SourceError> splitCsv(std::string_view text, std::string_view file)
{
    std::vector<Row> rows;
    Row row;
    Field field;
    std::int64_t line = 1;
    std::int64_t column = 1;
    bool quoted = false;
    bool fieldStarted = false;
    std::int64_t quoteLine = 1;
    const auto endField = [&] {
        row.fields.push_back(std::move(field));
        field = Field{};
        fieldStarted = false;
    };
    const auto endRow = [&] {
        endField();
        const bool blank = row.fields.size() == 1 && row.fields[0].text.empty();
        if (!blank) {
            rows.push_back(std::move(row));
        }
        row = Row{};
    };
    row.line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!fieldStarted) {
            field.column = column;
            fieldStarted = true;
        }
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.text += '"';
                    ++i;
                    column += 2;
                    continue;
                }
                quoted = false;
            } else {
                field.text += c;
                if (c == '\n') {
                    ++line;
                    column = 0;
                }
            }
        } else if (c == '"' && field.text.empty()) {
            quoted = true;
            quoteLine = line;
        } else if (c == ',') {
            endField();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            // CRLF: the LF ends the row
        } else if (c == '\n') {
            endRow();
            ++line;
            column = 0;
            row.line = line;
        } else {
            field.text += c;
        }
        ++column;
    }
    if (quoted) {
        return std::unexpected(
            SourceError{std::string(file), quoteLine, 1, "a quoted field is never closed; end it with \""});
    }
    if (fieldStarted || !row.fields.empty()) {
        endRow();
    }
    return rows;
}

std::string trimmed(std::string_view text)
{
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
        return {};
    }
    const auto end = text.find_last_not_of(" \t");
    return std::string(text.substr(begin, end - begin + 1));
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> parseCount(std::string_view text)
{
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
        return std::nullopt;
    }
    return value;
}

// The header: column name → index; unknown and missing columns are errors.
class Header
{
public:
    Header(std::string_view file, std::vector<std::string_view> required,
           std::vector<std::string_view> optional)
        : file_(file), required_(std::move(required)), optional_(std::move(optional))
    {}

    void read(const Row& row, SourceErrors& errors)
    {
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            const std::string name = lower(trimmed(row.fields[i].text));
            const bool known = std::find(required_.begin(), required_.end(), name) != required_.end() ||
                               std::find(optional_.begin(), optional_.end(), name) != optional_.end();
            if (!known) {
                errors.push_back(SourceError{file_, row.line, row.fields[i].column,
                                             "unknown column \"" + name + "\"; the columns are " + names()});
            } else if (!index_.emplace(name, i).second) {
                errors.push_back(SourceError{file_, row.line, row.fields[i].column,
                                             "column \"" + name + "\" appears twice"});
            }
        }
        for (const std::string_view name : required_) {
            if (!index_.contains(std::string(name))) {
                errors.push_back(SourceError{file_, row.line, 1,
                                             "the header has no column \"" + std::string(name) +
                                                 "\"; the columns are " + names()});
            }
        }
    }

    // The field of `name` in `row` (trimmed), or nothing when the column or the field is absent.
    std::optional<Field> get(const Row& row, std::string_view name) const
    {
        const auto it = index_.find(std::string(name));
        if (it == index_.end() || it->second >= row.fields.size()) {
            return std::nullopt;
        }
        Field field = row.fields[it->second];
        field.text = trimmed(field.text);
        return field;
    }

    std::size_t size() const { return index_.size(); }

private:
    std::string names() const
    {
        std::string out;
        for (const auto* list : {&required_, &optional_}) {
            for (const std::string_view name : *list) {
                out += (out.empty() ? "" : ", ") + std::string(name);
            }
        }
        return out;
    }

    std::string file_;
    std::vector<std::string_view> required_, optional_;
    std::map<std::string, std::size_t> index_;
};

// Reads the fields of one row, collecting an error per bad field.
class RowReader
{
public:
    RowReader(std::string_view file, const Header& header, const Row& row, SourceErrors& errors)
        : file_(file), header_(header), row_(row), errors_(errors)
    {}

    void bad(std::string_view column, std::string message)
    {
        const auto field = header_.get(row_, column);
        errors_.push_back(SourceError{file_, row_.line, field ? field->column : 1,
                                      std::string(column) + ": " + std::move(message)});
        ok_ = false;
    }

    std::string required(std::string_view column)
    {
        auto field = header_.get(row_, column);
        if (!field || field->text.empty()) {
            bad(column, "missing; every row needs it");
            return {};
        }
        return field->text;
    }

    std::optional<std::string> optional(std::string_view column)
    {
        auto field = header_.get(row_, column);
        if (!field || field->text.empty()) {
            return std::nullopt;
        }
        return field->text;
    }

    std::optional<double> number(std::string_view column, bool needed)
    {
        const auto text = needed ? std::optional(required(column)) : optional(column);
        if (!text || text->empty()) {
            return std::nullopt;
        }
        auto value = parseNumber(*text);
        if (!value) {
            bad(column, "\"" + *text + "\" is not a number >= 0 (write e.g. 129.90)");
        }
        return value;
    }

    bool ok() const { return ok_; }
    std::int64_t line() const { return row_.line; }

private:
    std::string file_;
    const Header& header_;
    const Row& row_;
    SourceErrors& errors_;
    bool ok_ = true;
};

// The rows of a file whose header `header` accepts (it learns the columns' places).
ImportResult<std::vector<Row>> readTable(std::string_view text, std::string_view file, Header& header)
{
    auto rows = splitCsv(text, file);
    if (!rows) {
        return std::unexpected(SourceErrors{rows.error()});
    }
    if (rows->empty()) {
        return std::unexpected(SourceErrors{
            SourceError{std::string(file), 1, 1, "empty file; the first row names the columns"}});
    }
    SourceErrors errors;
    header.read(rows->front(), errors);
    if (!errors.empty()) {
        return std::unexpected(std::move(errors));
    }
    return std::move(*rows);
}

std::vector<std::string> splitSerials(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find(';', start);
        const std::string serial =
            trimmed(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (!serial.empty()) {
            out.push_back(serial);
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return out;
}

} // namespace

std::optional<std::int64_t> parseTime(std::string_view text)
{
    const auto at = base::parseTimestamp(text, base::TimestampForm::DateTimeOrDate);
    if (!at) {
        return std::nullopt;
    }
    return std::chrono::floor<std::chrono::seconds>(*at).time_since_epoch().count();
}

std::optional<std::string> checkCatalogueItem(const CatalogueItem& item)
{
    if (item.sku.empty()) {
        return "sku: missing";
    }
    if (item.description.empty()) {
        return "description: missing";
    }
    if (!isKnownCategory(item.category)) {
        return "category: \"" + item.category + "\" is not electronics, apparel or generic";
    }
    if (item.price && !(*item.price >= 0)) {
        return "price: must be >= 0";
    }
    if (item.expectedWeightG && !(*item.expectedWeightG > 0)) {
        return "expected_weight_g: must be > 0";
    }
    return std::nullopt;
}

std::optional<std::string> checkOrder(const Order& order)
{
    if (order.orderId.empty()) {
        return "order_id: missing";
    }
    if (order.email.find('@') == std::string::npos) {
        return "email: \"" + order.email + "\" is not an e-mail address";
    }
    if (!parseTime(order.orderedAt)) {
        return "ordered_at: \"" + order.orderedAt + "\" is not a date (2026-11-26 or 2026-11-26T10:00:00Z)";
    }
    if (order.deliveredAt && !parseTime(*order.deliveredAt)) {
        return "delivered_at: \"" + *order.deliveredAt +
               "\" is not a date (2026-11-26 or 2026-11-26T10:00:00Z)";
    }
    if (order.lines.empty()) {
        return "lines: an order needs at least one line";
    }
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        const OrderLine& line = order.lines[i];
        const std::string where = "lines[" + std::to_string(i) + "].";
        if (line.lineId.empty()) {
            return where + "line_id: missing";
        }
        if (line.sku.empty()) {
            return where + "sku: missing";
        }
        if (line.quantity < 1) {
            return where + "quantity: must be >= 1";
        }
        if (!(line.unitPrice >= 0)) {
            return where + "unit_price: must be >= 0";
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (order.lines[j].lineId == line.lineId) {
                return where + "line_id: \"" + line.lineId + "\" appears twice in order " + order.orderId;
            }
        }
    }
    return std::nullopt;
}

ImportResult<std::vector<CatalogueItem>> parseCatalogueCsv(std::string_view text, std::string_view file)
{
    Header header(file, {"sku", "description", "category"},
                  {"gtin", "price", "expected_weight_g", "returnable"});
    auto rows = readTable(text, file, header);
    if (!rows) {
        return std::unexpected(std::move(rows.error()));
    }
    SourceErrors errors;
    std::vector<CatalogueItem> items;
    std::map<std::string, std::int64_t> seen;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const Row& row = (*rows)[r];
        RowReader reader(file, header, row, errors);
        CatalogueItem item;
        item.sku = reader.required("sku");
        item.description = reader.required("description");
        item.category = lower(reader.required("category"));
        if (!item.category.empty() && !isKnownCategory(item.category)) {
            reader.bad("category", "\"" + item.category + "\" is not electronics, apparel or generic");
        }
        item.gtin = reader.optional("gtin");
        item.price = reader.number("price", false);
        item.expectedWeightG = reader.number("expected_weight_g", false);
        if (const auto returnable = reader.optional("returnable")) {
            const std::string value = lower(*returnable);
            if (value == "true" || value == "yes" || value == "1") {
                item.returnable = true;
            } else if (value == "false" || value == "no" || value == "0") {
                item.returnable = false;
            } else {
                reader.bad("returnable", "\"" + *returnable + "\" is not true or false");
            }
        }
        if (!item.sku.empty()) {
            if (const auto [it, added] = seen.emplace(item.sku, row.line); !added) {
                reader.bad("sku", "\"" + item.sku + "\" is already on line " + std::to_string(it->second));
            }
        }
        if (reader.ok()) {
            items.push_back(std::move(item));
        }
    }
    if (!errors.empty()) {
        return std::unexpected(std::move(errors));
    }
    return items;
}

ImportResult<std::vector<Order>> parseOrdersCsv(std::string_view text, std::string_view file)
{
    Header header(file, {"order_id", "email", "ordered_at", "line_id", "sku", "quantity", "unit_price"},
                  {"customer", "delivered_at", "serials"});
    auto rows = readTable(text, file, header);
    if (!rows) {
        return std::unexpected(std::move(rows.error()));
    }
    SourceErrors errors;
    std::vector<Order> orders;
    std::map<std::string, std::size_t> index;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const Row& row = (*rows)[r];
        RowReader reader(file, header, row, errors);
        Order order;
        order.orderId = reader.required("order_id");
        order.email = lower(reader.required("email"));
        if (!order.email.empty() && order.email.find('@') == std::string::npos) {
            reader.bad("email", "\"" + order.email + "\" is not an e-mail address");
        }
        order.orderedAt = reader.required("ordered_at");
        if (!order.orderedAt.empty() && !parseTime(order.orderedAt)) {
            reader.bad("ordered_at",
                       "\"" + order.orderedAt + "\" is not a date (2026-11-26 or 2026-11-26T10:00:00Z)");
        }
        order.customer = reader.optional("customer");
        order.deliveredAt = reader.optional("delivered_at");
        if (order.deliveredAt && !parseTime(*order.deliveredAt)) {
            reader.bad("delivered_at",
                       "\"" + *order.deliveredAt + "\" is not a date (2026-11-26 or 2026-11-26T10:00:00Z)");
        }
        OrderLine line;
        line.lineId = reader.required("line_id");
        line.sku = reader.required("sku");
        const std::string quantity = reader.required("quantity");
        if (!quantity.empty()) {
            if (const auto count = parseCount(quantity)) {
                line.quantity = *count;
            } else {
                reader.bad("quantity", "\"" + quantity + "\" is not a whole number >= 1");
            }
        }
        line.unitPrice = reader.number("unit_price", true).value_or(0);
        if (const auto serials = reader.optional("serials")) {
            line.serials = splitSerials(*serials);
        }
        if (!reader.ok()) {
            continue;
        }
        const auto [it, added] = index.emplace(order.orderId, orders.size());
        if (added) {
            order.lines.push_back(std::move(line));
            orders.push_back(std::move(order));
            continue;
        }
        Order& existing = orders[it->second];
        if (existing.email != order.email) {
            reader.bad("email",
                       "\"" + order.email + "\" differs from the earlier rows of order " + order.orderId);
        } else if (existing.orderedAt != order.orderedAt) {
            reader.bad("ordered_at", "differs from the earlier rows of order " + order.orderId);
        } else if (existing.deliveredAt != order.deliveredAt) {
            reader.bad("delivered_at", "differs from the earlier rows of order " + order.orderId);
        } else if (std::any_of(existing.lines.begin(), existing.lines.end(),
                               [&](const OrderLine& l) { return l.lineId == line.lineId; })) {
            reader.bad("line_id", "\"" + line.lineId + "\" appears twice in order " + order.orderId);
        } else {
            existing.lines.push_back(std::move(line));
        }
    }
    if (!errors.empty()) {
        return std::unexpected(std::move(errors));
    }
    return orders;
}

} // namespace retour::central
