// await(): runs the event loop until an ApiClient call delivers its Result, for tests only.
// `start` receives the callback to pass to the client; gives up after `timeoutMs` with a Timeout
// error, so a hung call fails the test instead of hanging it.
#pragma once

#include "apiclient.h"

#include <QEventLoop>
#include <QTimer>

#include <optional>

template <class T, class Start> Result<T> await(Start start, int timeoutMs = 60000)
{
    std::optional<Result<T>> out;
    QEventLoop loop;
    start([&out, &loop](Result<T> r) {
        out.emplace(std::move(r));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        return ApiError::timeout();
    return std::move(*out);
}
