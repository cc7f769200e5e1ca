// Result<T>: the outcome of one API call, either a value or an ApiError (never both, never neither).
#pragma once

#include "apierror.h"

#include <utility>
#include <variant>

// The value of a call that answers with no body (DELETE -> 204).
struct Done
{
};

template <class T> class Result
{
public:
    Result(T value) : m_v(std::move(value)) { }
    Result(ApiError error) : m_v(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<T>(m_v); }
    T &value() { return std::get<T>(m_v); }
    T takeValue() { return std::move(std::get<T>(m_v)); }
    const ApiError &error() const
    {
        static const ApiError none;
        return ok() ? none : std::get<ApiError>(m_v);
    }

private:
    std::variant<T, ApiError> m_v;
};
