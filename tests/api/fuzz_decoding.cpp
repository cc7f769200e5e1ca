// libFuzzer target over every decoder of api/decoding.h and the error envelope: any input must
// give a value or a Protocol error, never a crash, a sanitizer report or an exception.
// Built with clang++ -fsanitize=fuzzer,address,undefined by tests/api/CMakeLists.txt; the seed
// corpus is tests/api/fixtures.
#include "decoding.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

template <class T> void check(const Decoded<T> &r)
{
    if (!r.ok() && (r.error().kind != ApiError::Kind::Protocol || r.error().message.isEmpty()))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    check(Decode::me(body));
    check(Decode::workspacePage(body));
    check(Decode::workspace(body));
    check(Decode::regions(body));
    check(Decode::projectPage(body));
    check(Decode::project(body));
    check(Decode::databasePage(body));
    check(Decode::database(body));
    check(Decode::connectionPage(body));
    check(Decode::connection(body));
    check(Decode::usage(body));
    check(Decode::backups(body));
    ApiError e = ApiError::fromHttpStatus(int(size % 600), {}, {}, {});
    Decode::errorBody(body, e);
    (void)e.userMessage();
    return 0;
}
