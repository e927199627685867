// Typed readers of event bodies (docs/messages.md "Uplink: business events").
#include "ledger/event_data.h"

#include <limits>

namespace retour::central {

namespace {

using nlohmann::json;

// Reads fields of one JSON object and keeps the first problem; later reads after a problem
// return empty values, so a decoder reads everything and checks once.
class FieldReader
{
public:
    FieldReader(const json* object, std::string path, std::optional<std::string>* error)
        : object_(object), path_(std::move(path)), error_(error)
    {}

    // A nested object; `required` false and absent/null: a reader over nothing (all reads empty).
    FieldReader object(const char* key, bool required)
    {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) {
                problem(key, "missing");
            }
            return FieldReader(nullptr, path_ + "." + key, error_);
        }
        if (!value->is_object()) {
            problem(key, "must be an object");
            return FieldReader(nullptr, path_ + "." + key, error_);
        }
        return FieldReader(value, path_ + "." + key, error_);
    }

    std::string string(const char* key)
    {
        auto value = optString(key);
        if (!value) {
            if (find(key) == nullptr) {
                problem(key, "missing");
            }
            return {};
        }
        if (value->empty()) {
            problem(key, "must not be empty");
        }
        return std::move(*value);
    }

    std::optional<std::string> optString(const char* key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_string()) {
            problem(key, "must be a string");
            return std::nullopt;
        }
        return value->get<std::string>();
    }

    std::optional<double> optNumber(const char* key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number()) {
            problem(key, "must be a number");
            return std::nullopt;
        }
        return value->get<double>();
    }

    std::optional<std::int64_t> optInteger(const char* key)
    {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (value->is_number_unsigned() &&
            value->get<std::uint64_t>() <=
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return static_cast<std::int64_t>(value->get<std::uint64_t>());
        }
        if (!value->is_number_integer() || value->is_number_unsigned()) {
            problem(key, "must be an integer");
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    }

    std::vector<std::string> stringArray(const char* key)
    {
        std::vector<std::string> out;
        const json* value = find(key);
        if (value == nullptr) {
            return out;
        }
        if (!value->is_array()) {
            problem(key, "must be an array of strings");
            return out;
        }
        for (const json& element : *value) {
            if (!element.is_string()) {
                problem(key, "must be an array of strings");
                return {};
            }
            out.push_back(element.get<std::string>());
        }
        return out;
    }

    // The elements of an array of objects (absent or null: none).
    std::vector<FieldReader> objectArray(const char* key)
    {
        std::vector<FieldReader> out;
        const json* value = find(key);
        if (value == nullptr) {
            return out;
        }
        if (!value->is_array()) {
            problem(key, "must be an array");
            return out;
        }
        for (std::size_t i = 0; i < value->size(); ++i) {
            const json& element = (*value)[i];
            const std::string where = path_ + "." + key + "[" + std::to_string(i) + "]";
            if (!element.is_object()) {
                if (!*error_) {
                    *error_ = where + ": must be an object";
                }
                return {};
            }
            out.emplace_back(&element, where, error_);
        }
        return out;
    }

private:
    // nullptr when absent or null (docs/messages.md writes optional values as null).
    const json* find(const char* key) const
    {
        if (object_ == nullptr) {
            return nullptr;
        }
        const auto it = object_->find(key);
        if (it == object_->end() || it->is_null()) {
            return nullptr;
        }
        return &*it;
    }

    void problem(const char* key, std::string_view what)
    {
        if (!*error_) {
            *error_ = path_ + "." + key + ": " + std::string(what);
        }
    }

    const json* object_;
    std::string path_;
    std::optional<std::string>* error_;
};

Error invalid(const std::string& message)
{
    return Error{ErrorCode::Invalid, message};
}

} // namespace

Result<ParcelReceived> decodeParcelReceived(const json& data)
{
    std::optional<std::string> error;
    FieldReader body(&data, "data", &error);
    ParcelReceived out;
    out.parcelId = body.string("parcel_id");
    out.rmaId = body.optString("rma_id");
    if (out.rmaId && out.rmaId->empty()) {
        out.rmaId.reset();
    }
    out.identifiedBy = body.optString("identified_by");
    out.scanned = body.optString("scanned");
    out.operatorId = body.optString("operator");
    out.channel = body.optString("channel");
    out.label = body.optString("label");
    if (out.label && out.label->empty()) {
        out.label.reset();
    }
    if (error) {
        return std::unexpected(invalid(*error));
    }
    return out;
}

Result<Inspection> decodeInspectionCompleted(const json& data)
{
    std::optional<std::string> error;
    FieldReader body(&data, "data", &error);
    Inspection in;
    in.inspectionId = body.string("inspection_id");
    in.parcelId = body.string("parcel_id");
    in.reportedRma = body.optString("rma_id");
    if (in.reportedRma && in.reportedRma->empty()) {
        in.reportedRma.reset();
    }
    in.lineId = body.optString("line_id");
    in.channel = body.optString("channel");
    in.identifiedBy = body.optString("identified_by");

    FieldReader item = body.object("item", false);
    in.sku = item.optString("sku");
    in.gtin = item.optString("gtin");
    in.serial = item.optString("serial");
    in.category = item.optString("category");
    in.description = item.optString("description");

    FieldReader weight = body.object("weight", false);
    in.measuredG = weight.optNumber("measured_g");
    in.expectedG = weight.optNumber("expected_g");
    in.toleranceG = weight.optNumber("tolerance_g");
    in.weightResult = weight.optString("result").value_or("not_checked");
    if (in.weightResult != "ok" && in.weightResult != "mismatch" && in.weightResult != "not_checked" &&
        !error) {
        error = "data.weight.result: \"" + in.weightResult + "\" is not ok, mismatch or not_checked";
    }

    for (FieldReader& photo : body.objectArray("photos")) {
        Photo p;
        p.sha256 = photo.string("sha256");
        p.view = photo.optString("view");
        p.bytes = photo.optInteger("bytes");
        p.width = photo.optInteger("width");
        p.height = photo.optInteger("height");
        in.photos.push_back(std::move(p));
    }
    in.photoMissingReason = body.optString("photo_missing_reason");
    in.findings = body.stringArray("findings");

    FieldReader grade = body.object("grade", true);
    in.gradeFunction = grade.optInteger("function");
    in.gradeCosmetic = grade.optString("cosmetic");
    in.grade = grade.string("grade");

    FieldReader disposition = body.object("disposition", true);
    in.dispositionCode = disposition.string("code");
    in.dispositionLocation = disposition.optString("location");
    in.dispositionRule = disposition.optString("rule");

    in.lpn = body.optString("lpn");
    in.operatorId = body.optString("operator");
    in.confirmedAt = body.optString("confirmed_at");
    if (error) {
        return std::unexpected(invalid(*error));
    }
    return in;
}

Result<ParcelClosed> decodeParcelClosed(const json& data)
{
    std::optional<std::string> error;
    FieldReader body(&data, "data", &error);
    ParcelClosed out;
    out.parcelId = body.string("parcel_id");
    out.rmaId = body.optString("rma_id");
    if (out.rmaId && out.rmaId->empty()) {
        out.rmaId.reset();
    }
    out.closedAt = body.optString("closed_at");
    out.operatorId = body.optString("operator");
    auto lines = [&](const char* key) {
        std::vector<ParcelClosed::Line> read;
        for (FieldReader& line : body.objectArray(key)) {
            ParcelClosed::Line l;
            l.lineId = line.optString("line_id");
            l.sku = line.string("sku");
            l.quantity = line.optInteger("quantity").value_or(1);
            if (l.quantity < 1 && !error) {
                error = std::string("data.") + key + ": quantity must be at least 1";
            }
            read.push_back(std::move(l));
        }
        return read;
    };
    auto items = [&](const char* key) {
        std::vector<ParcelClosed::Item> read;
        for (FieldReader& item : body.objectArray(key)) {
            ParcelClosed::Item i;
            i.inspectionId = item.string("inspection_id");
            i.lineId = item.optString("line_id");
            i.sku = item.optString("sku");
            read.push_back(std::move(i));
        }
        return read;
    };
    out.expected = lines("expected");
    out.missing = lines("missing");
    out.found = items("found");
    out.extra = items("extra");
    out.findings = body.stringArray("findings");
    if (error) {
        return std::unexpected(invalid(*error));
    }
    return out;
}

} // namespace retour::central
