// describe(): a KeychainError as "Kind: detail" for test output (QVERIFY2 messages), for tests
// only. `detail` never holds a secret (see keychainerror.h).
#pragma once

#include "keychainerror.h"

#include <QString>

inline QString describe(const KeychainError &e)
{
    return QString::fromLatin1(KeychainError::kindName(e.kind)) + QStringLiteral(": ") + e.detail;
}
