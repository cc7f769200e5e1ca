// loadLevel() and waitForLevel(): wait for one level of a ResourceTreeModel, for tests only.
// waitForLevel() runs the event loop until `parent`'s children are fetched (true), or the level
// failed or `timeoutMs` passed (false). loadLevel() asks for the level first (fetchMore), then
// waits; a level already on its way or in (QAbstractItemModelTester fetches too) is fine.
#pragma once

#include "resourcetreemodel.h"

#include <QPersistentModelIndex>
#include <QTest>

inline bool waitForLevel(const ResourceTreeModel &model, const QModelIndex &parent, int timeoutMs = 20000)
{
    const QPersistentModelIndex p(parent);
    return QTest::qWaitFor(
               [&] {
                   const auto state = model.fetchState(p);
                   return state == ResourceTreeModel::FetchState::Fetched
                       || state == ResourceTreeModel::FetchState::Failed;
               },
               timeoutMs)
        && model.fetchState(p) == ResourceTreeModel::FetchState::Fetched;
}

inline bool loadLevel(ResourceTreeModel &model, const QModelIndex &parent, int timeoutMs = 20000)
{
    model.fetchMore(parent);
    return waitForLevel(model, parent, timeoutMs);
}
