#pragma once

#include <expected>
#include <utility>

// Early return of the error of a std::expected, for functions returning a std::expected with the
// same error type. CENTRAL_TRY_ASSIGN(name, expr) binds `name` to the value. Each expansion uses
// its own hidden variable (__COUNTER__), so the macros nest (a lambda inside a CENTRAL_TRY).
#define CENTRAL_CONCAT_INNER(a, b) a##b
#define CENTRAL_CONCAT(a, b) CENTRAL_CONCAT_INNER(a, b)

#define CENTRAL_TRY_IMPL(result, expr)                                                                       \
    do {                                                                                                     \
        auto&& result = (expr);                                                                              \
        if (!result) {                                                                                       \
            return std::unexpected(std::move(result.error()));                                               \
        }                                                                                                    \
    } while (false)
#define CENTRAL_TRY(expr) CENTRAL_TRY_IMPL(CENTRAL_CONCAT(centralTry_, __COUNTER__), expr)

#define CENTRAL_TRY_ASSIGN(name, expr)                                                                       \
    auto name##Result_ = (expr);                                                                             \
    if (!name##Result_) {                                                                                    \
        return std::unexpected(std::move(name##Result_.error()));                                            \
    }                                                                                                        \
    auto& name = *name##Result_
