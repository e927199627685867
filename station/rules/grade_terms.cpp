#include "rules/grade_terms.h"

#include "config/toml_source.h"

#include <fstream>
#include <sstream>

namespace retour::station {

namespace {

Result<GradeTermTable::Entry> readEntry(const toml::table& table, const std::string& name,
                                        const std::filesystem::path& file)
{
    if (auto ok = located(ErrorCode::Rules, base::TomlReader(file).unknownKey(
                                                table, {"retailer", "amazon", "ebay_id", "ebay"}, name));
        !ok) {
        return std::unexpected(ok.error());
    }
    GradeTermTable::Entry entry;
    auto retailer = located(ErrorCode::Rules, base::TomlReader(file).optString(table, "retailer", name));
    auto amazon = located(ErrorCode::Rules, base::TomlReader(file).optString(table, "amazon", name));
    auto ebay = located(ErrorCode::Rules, base::TomlReader(file).optString(table, "ebay", name));
    auto ebayId = located(ErrorCode::Rules, base::TomlReader(file).optInteger(table, "ebay_id", name));
    for (const auto* failed : {&retailer, &amazon, &ebay}) {
        if (!*failed) {
            return std::unexpected(failed->error());
        }
    }
    if (!ebayId) {
        return std::unexpected(ebayId.error());
    }
    if (*ebayId && (**ebayId < 1000 || **ebayId > 7000)) {
        return std::unexpected(
            located(ErrorCode::Rules,
                    base::TomlReader(file).at(table["ebay_id"].node()->source(),
                                              name + ".ebay_id: an eBay condition id is 1000..7000")));
    }
    entry.retailer = *retailer;
    entry.amazon = *amazon;
    entry.ebay = *ebay;
    if (*ebayId) {
        entry.ebayId = static_cast<int>(**ebayId);
    }
    return entry;
}

template <class T> void apply(T& target, const std::optional<T>& value)
{
    if (value) {
        target = *value;
    }
}

} // namespace

GradeTerms GradeTermTable::terms(char grade, int function, char cosmetic, std::string_view disposition) const
{
    GradeTerms terms;
    terms.retailer = std::string(1, grade);
    for (const Entry* entry :
         {grades_.contains(grade) ? &grades_.at(grade) : nullptr,
          dispositions_.contains(disposition) ? &dispositions_.find(disposition)->second : nullptr}) {
        if (entry != nullptr) {
            apply(terms.retailer, entry->retailer);
            apply(terms.amazon, entry->amazon);
            apply(terms.ebayId, entry->ebayId);
            apply(terms.ebay, entry->ebay);
        }
    }
    terms.ctia = "CTIA functional " + std::to_string(function) + ", cosmetic " + std::string(1, cosmetic);
    return terms;
}

Result<GradeTermTable> parseGradeTerms(std::string_view text, const std::filesystem::path& file)
{
    auto doc = located(ErrorCode::Rules, base::TomlReader(file).parseText(text));
    if (!doc) {
        return std::unexpected(doc.error());
    }
    if (auto ok = located(ErrorCode::Rules,
                          base::TomlReader(file).unknownKey(*doc, {"grade", "disposition"}, "grade terms"));
        !ok) {
        return std::unexpected(ok.error());
    }
    GradeTermTable table;
    for (const std::string section : {"grade", "disposition"}) {
        const toml::node* node = doc->get(section);
        if (node == nullptr) {
            continue;
        }
        const toml::table* entries = node->as_table();
        if (entries == nullptr) {
            return std::unexpected(
                located(ErrorCode::Rules,
                        base::TomlReader(file).at(node->source(), "[" + section + "] must be a table")));
        }
        for (const auto& [key, value] : *entries) {
            const std::string name = section + "." + std::string(key.str());
            const toml::table* entry = value.as_table();
            if (entry == nullptr) {
                return std::unexpected(
                    located(ErrorCode::Rules,
                            base::TomlReader(file).at(value.source(), "[" + name + "] must be a table")));
            }
            if (section == "grade" && (key.str().size() != 1 || key.str()[0] < 'A' || key.str()[0] > 'E')) {
                return std::unexpected(located(
                    ErrorCode::Rules,
                    base::TomlReader(file).at(value.source(), "[" + name + "]: a grade is one of A..E")));
            }
            auto read = readEntry(*entry, name, file);
            if (!read) {
                return std::unexpected(read.error());
            }
            if (section == "grade") {
                table.grades_[key.str()[0]] = *read;
            } else {
                table.dispositions_[std::string(key.str())] = *read;
            }
        }
    }
    return table;
}

Result<GradeTermTable> loadGradeTerms(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in) {
        return fail(ErrorCode::Rules, file.string() + ": cannot read the grade terms file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseGradeTerms(text.str(), file);
}

} // namespace retour::station
