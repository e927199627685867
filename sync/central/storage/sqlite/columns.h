#pragma once

// One table's column-to-member mapping, so that a store names each column once and its SELECT
// list, INSERT placeholders, binds and row reader all follow from it.
#include "storage/sqlite/sqlite_db.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace retour::central::sqlite {

// A JSON array of strings stored as text; anything else reads as empty (the column is ours).
inline std::string toJsonArray(const std::vector<std::string>& values)
{
    return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::vector<std::string> fromJsonArray(const std::string& text)
{
    std::vector<std::string> out;
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_array()) {
        for (const auto& element : doc) {
            if (element.is_string()) {
                out.push_back(element.get<std::string>());
            }
        }
    }
    return out;
}

// A column the struct does not hold (a key its parent already has): selected, never read.
struct Unmapped
{};

// How a member is stored: bool as 0/1, int as integer, a list of strings or a JSON document as
// JSON text.
template <class T>
using Member = std::variant<Unmapped, std::string T::*, std::optional<std::string> T::*, std::int64_t T::*,
                            std::optional<std::int64_t> T::*, std::optional<double> T::*, bool T::*, int T::*,
                            std::vector<std::string> T::*, nlohmann::json T::*>;

template <class T> struct Column
{
    std::string_view name;
    Member<T> member;
};

template <class T, std::size_t N> class Columns
{
public:
    constexpr explicit Columns(std::array<Column<T>, N> columns) : columns_(columns) {}

    // "a, b, c", in the order read() expects them; `skip` leaves out the first ones (a key the
    // database assigns).
    std::string list(std::size_t skip = 0) const
    {
        std::string out;
        for (std::size_t i = skip; i < N; ++i) {
            out += i == skip ? "" : ", ";
            out += columns_[i].name;
        }
        return out;
    }

    // "?, ?, ?", one per column of list(skip).
    std::string placeholders(std::size_t skip = 0) const
    {
        std::string out;
        for (std::size_t i = skip; i < N; ++i) {
            out += i == skip ? "?" : ", ?";
        }
        return out;
    }

    // Binds the columns of list(skip) from `value` to parameters 1, 2, ... (an Unmapped one to NULL).
    void bind(Statement& stmt, const T& value, std::size_t skip = 0) const
    {
        for (std::size_t i = skip; i < N; ++i) {
            const int index = static_cast<int>(i - skip) + 1;
            std::visit([&](const auto& member) { bindOne(stmt, index, value, member); }, columns_[i].member);
        }
    }

    // The current row, its columns in list() order.
    T read(const Statement& row) const
    {
        T value{};
        int index = 0;
        for (const Column<T>& column : columns_) {
            std::visit([&](const auto& member) { readOne(row, index, value, member); }, column.member);
            ++index;
        }
        return value;
    }

    // A reader for Statement::first/all.
    auto reader() const
    {
        return [this](const Statement& row) { return read(row); };
    }

private:
    static void bindOne(Statement& stmt, int index, const T&, Unmapped) { stmt.bindNull(index); }
    template <class M> static void bindOne(Statement& stmt, int index, const T& value, M T::*member)
    {
        const M& field = value.*member;
        if constexpr (std::is_same_v<M, bool>) {
            stmt.bind(index, field ? 1 : 0);
        } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
            stmt.bind(index, toJsonArray(field));
        } else if constexpr (std::is_same_v<M, nlohmann::json>) {
            stmt.bind(index, field.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        } else {
            stmt.bind(index, field);
        }
    }

    static void readOne(const Statement&, int, T&, Unmapped) {}
    template <class M> static void readOne(const Statement& row, int index, T& value, M T::*member)
    {
        M& field = value.*member;
        if constexpr (std::is_same_v<M, std::string>) {
            field = row.text(index);
        } else if constexpr (std::is_same_v<M, std::optional<std::string>>) {
            field = row.optText(index);
        } else if constexpr (std::is_same_v<M, std::int64_t>) {
            field = row.integer(index);
        } else if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) {
            field = row.optInteger(index);
        } else if constexpr (std::is_same_v<M, std::optional<double>>) {
            field = row.optReal(index);
        } else if constexpr (std::is_same_v<M, bool>) {
            field = row.integer(index) != 0;
        } else if constexpr (std::is_same_v<M, int>) {
            field = static_cast<int>(row.integer(index));
        } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
            field = fromJsonArray(row.text(index));
        } else {
            field = nlohmann::json::parse(row.text(index), nullptr, false);
        }
    }

    std::array<Column<T>, N> columns_;
};

template <class T, std::size_t N> Columns(std::array<Column<T>, N>) -> Columns<T, N>;

} // namespace retour::central::sqlite
