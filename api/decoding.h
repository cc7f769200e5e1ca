// Decoding of Management API replies (nlohmann_json) into the structs of resources.h.
//
// Each function takes the raw body of a 2xx reply and returns either the value or an ApiError of
// kind Protocol whose message names the offending field (e.g. "data[2].createdAt: missing").
// Required fields (as the SDK's types say) must be present with the right JSON type; a nullable
// field may be absent or null; unknown fields are ignored; unknown enum values are kept as text;
// deprecated fields are read only when their replacement carries nothing. The list decoders
// (*Page) clear every connection string (stripConnectionStrings(), resources.h): a list never
// carries a secret, even when a deprecated field (apiKeys[], connectionString) had one.
// Never throws, never crashes on any input (fuzzed by tests/api/fuzz_decoding.cpp).
// decodeErrorBody() reads the error envelope `{"error": {"code","message","hint"?}}` of any status.
#pragma once

#include "apierror.h"
#include "resources.h"

#include <QByteArray>

#include "result.h"

template <class T> using Decoded = Result<T>;

namespace Decode {
Decoded<Me> me(const QByteArray &body);
Decoded<Page<Workspace>> workspacePage(const QByteArray &body);
Decoded<Workspace> workspace(const QByteArray &body);
Decoded<std::vector<Region>> regions(const QByteArray &body);
Decoded<Page<Project>> projectPage(const QByteArray &body);
Decoded<Project> project(const QByteArray &body);
Decoded<Page<Database>> databasePage(const QByteArray &body);
Decoded<Database> database(const QByteArray &body);
Decoded<Page<Connection>> connectionPage(const QByteArray &body);
Decoded<Connection> connection(const QByteArray &body);
Decoded<Usage> usage(const QByteArray &body);
Decoded<BackupList> backups(const QByteArray &body);
Decoded<Subscription> subscription(const QByteArray &body);
Decoded<Page<ServiceToken>> serviceTokenPage(const QByteArray &body);
// The 201 answer of POST .../service-tokens: `value` is required here.
Decoded<ServiceToken> issuedServiceToken(const QByteArray &body);

// Fills code/message/hint of `error` from an error envelope; leaves them alone if the body is
// not one (a proxy's HTML page, an empty 502).
void errorBody(const QByteArray &body, ApiError &error);
} // namespace Decode
