#pragma once

// One table's column-to-member mapping, so that a store names each column once and its SELECT
// list, INSERT placeholders, binds and row reader all follow from it.
#include "ledger/try.h"
#include "storage/sqlite/sqlite_db.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
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

// The integer a one-row query such as `SELECT count(*) ...` answers.
inline Result<std::int64_t> scalar(Database& db, std::string_view sql)
{
    CENTRAL_TRY_ASSIGN(stmt, db.prepare(sql));
    CENTRAL_TRY(stmt.step());
    return stmt.integer(0);
}

// Whether `sql` (SELECT 1 ... WHERE key = ?) finds a row for `key`.
inline Result<bool> exists(Database& db, std::string_view sql, std::string_view key)
{
    CENTRAL_TRY_ASSIGN(stmt, db.prepare(sql));
    stmt.bind(1, key);
    CENTRAL_TRY_ASSIGN(found, stmt.step());
    return found;
}

// A column the struct does not hold (a key its parent already has, an enum the store converts):
// selected and bound as NULL, never read.
struct Unmapped
{};

// A table's columns as its SQL names them and the members of T they map to, in the same order.
// How a member is stored: bool as 0/1, int as integer, double as real (NULL reads as 0), a list of strings or
// a JSON document as JSON text.
template <class T, class... Members> class Columns
{
public:
    // `names`: "a, b, c", one per member (a column of a SELECT may be an expression).
    Columns(std::string_view names, Members... members) : members_(members...)
    {
        // Split at the commas outside parentheses: a column may be an expression, COALESCE(a, b).
        int depth = 0;
        std::string name;
        for (const char c : names) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                names_.push_back(std::move(name));
                name.clear();
            } else if (c != ' ' || !name.empty()) {
                name += c;
            }
        }
        if (!name.empty()) {
            names_.push_back(std::move(name));
        }
        if (names_.size() != sizeof...(Members)) {
            throw std::logic_error("columns and members differ in number: " + list());
        }
    }

    // "a, b, c", in the order read() expects them; `skip` leaves out the first ones (a key the
    // database assigns).
    std::string list(std::size_t skip = 0) const
    {
        std::string out;
        for (std::size_t i = skip; i < names_.size(); ++i) {
            out += i == skip ? "" : ", ";
            out += names_[i];
        }
        return out;
    }

    // "?, ?, ?", one per column of list(skip).
    std::string placeholders(std::size_t skip = 0) const
    {
        std::string out;
        for (std::size_t i = skip; i < names_.size(); ++i) {
            out += i == skip ? "?" : ", ?";
        }
        return out;
    }

    // Binds the columns of list(skip) from `value` to parameters 1, 2, ...
    void bind(Statement& stmt, const T& value, std::size_t skip = 0) const
    {
        std::apply(
            [&](const auto&... member) {
                std::size_t i = 0;
                (bindAt(stmt, i++, skip, value, member), ...);
            },
            members_);
    }

    // The current row, its columns in list() order.
    T read(const Statement& row) const
    {
        T value{};
        std::apply(
            [&](const auto&... member) {
                int i = 0;
                (readOne(row, i++, value, member), ...);
            },
            members_);
        return value;
    }

    // `head (list(skip)) VALUES (placeholders(skip))` with `value` bound; head: "INSERT [OR ...] INTO
    // table". Whether a row was written is db.changes().
    Result<void> insert(Database& db, std::string_view head, const T& value, std::size_t skip = 0) const
    {
        CENTRAL_TRY_ASSIGN(stmt, db.prepare(std::string(head) + " (" + list(skip) + ") VALUES (" +
                                            placeholders(skip) + ")"));
        bind(stmt, value, skip);
        return stmt.run();
    }

    // `SELECT list() <rest>` with `params` bound to parameters 1, 2, ...: every row, or the first.
    template <class... Params>
    Result<std::vector<T>> all(Database& db, std::string_view rest, const Params&... params) const
    {
        CENTRAL_TRY_ASSIGN(stmt, select(db, rest, params...));
        return stmt.all(reader());
    }
    template <class... Params>
    Result<std::optional<T>> first(Database& db, std::string_view rest, const Params&... params) const
    {
        CENTRAL_TRY_ASSIGN(stmt, select(db, rest, params...));
        return stmt.first(reader());
    }

    // A reader for Statement::first/all.
    auto reader() const
    {
        return [this](const Statement& row) { return read(row); };
    }

private:
    template <class... Params>
    Result<Statement> select(Database& db, std::string_view rest, const Params&... params) const
    {
        CENTRAL_TRY_ASSIGN(stmt, db.prepare("SELECT " + list() + " " + std::string(rest)));
        int index = 0;
        (stmt.bind(++index, params), ...);
        return std::move(stmt);
    }

    template <class M>
    static void bindAt(Statement& stmt, std::size_t column, std::size_t skip, const T& value, const M& member)
    {
        if (column >= skip) {
            bindOne(stmt, static_cast<int>(column - skip) + 1, value, member);
        }
    }

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
        } else if constexpr (std::is_same_v<M, double>) {
            field = row.optReal(index).value_or(0);
        } else if constexpr (std::is_same_v<M, bool>) {
            field = row.integer(index) != 0;
        } else if constexpr (std::is_same_v<M, int>) {
            field = static_cast<int>(row.integer(index));
        } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
            field = fromJsonArray(row.text(index));
        } else {
            static_assert(std::is_same_v<M, nlohmann::json>, "a member type Columns does not store");
            field = nlohmann::json::parse(row.text(index), nullptr, false);
        }
    }

    std::vector<std::string> names_;
    std::tuple<Members...> members_;
};

// columns<T>("a, b", &T::a, &T::b).
template <class T, class... Members>
Columns<T, Members...> columns(std::string_view names, Members... members)
{
    return Columns<T, Members...>(names, members...);
}

} // namespace retour::central::sqlite
