#pragma once
// Result<T, E>: the outcome of an operation that can fail, either its value (T) or why it failed
// (E), in the manner of C++23's std::expected (GCC 12's C++20 has none). Success is a T;
// failure is made with fail(error), so T and E may be the same type (SqlResult<QString>).
// Operations that have no value to give back return Result<Done, E>:
//     Result<Done, QString> drop() { if (...) return fail(why); return Done{}; }
//     if (const auto r = drop(); !r) qWarning("%s", qPrintable(r.error()));
// The aliases in use: StoreResult<T> (records.h; an API mutation, E = StoreError with the
// status the API answers) and SqlResult<T> (sqlsession.h; E = PostgreSQL's error text).

#include <utility>
#include <variant>

// The value of an operation that has none.
struct Done
{
};

// Why an operation failed, on its way into a Result.
template <typename E> struct [[nodiscard]] Failure
{
    E error;
};

template <typename E> [[nodiscard]] Failure<std::decay_t<E>> fail(E &&error)
{
    return { std::forward<E>(error) };
}

template <typename T, typename E> class [[nodiscard]] Result
{
public:
    Result(const T &value) : m_state(std::in_place_index<0>, value) { }
    Result(T &&value) : m_state(std::in_place_index<0>, std::move(value)) { }
    template <typename F> Result(Failure<F> failure) : m_state(std::in_place_index<1>, std::move(failure.error)) { }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    // The value; only when ok().
    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    // Why it failed; only when !ok().
    const E &error() const { return std::get<1>(m_state); }
    // The failure again, for a caller that passes it on as a Result of another value type.
    Failure<E> failure() const { return { error() }; }

private:
    std::variant<T, E> m_state;
};
