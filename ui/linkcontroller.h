// LinkController: opens console links (ConsoleLink, ppg-console://open?profile=…&id=…) in the
// window, and makes them for Copy Link. Opening switches to the link's profile when it is not
// the one open (in All Profiles, a profile of the pool is already on screen), waits for the first
// levels of its tree, loads the whole account when the resource is not listed yet (or only
// remembered from the last run), then selects the resource. It never performs an action.
// The outcome goes to `done` once, in words: no profile of that name, the profile could not be
// opened (keychain, refused token), the resource is not in that profile's account, a listing
// failed, or no answer within a minute. A newer link replaces one still opening ("replaced").
#pragma once

#include "consolelink.h"

#include <QObject>
#include <QPointer>

#include <functional>

class ConsoleCore;
class ResourceTreeView;
class Session;

class LinkController : public QObject
{
    Q_OBJECT
public:
    using Reveal = std::function<bool(const QString &id)>; // selects the row of `id`, opening its way
    LinkController(ConsoleCore *core, ResourceTreeView *tree, Reveal reveal, QObject *parent = nullptr);

    using Done = std::function<void(bool ok, const QString &message)>;
    void open(const ConsoleLink &link, Done done);

    // The link to the row `source` (a source-model index) for the profile whose row it is; empty
    // for a row of no resource, or in a temporary session (it has no saved profile to name).
    QString linkFor(const QModelIndex &source) const;

private:
    void finish(bool ok, const QString &message);
    void whenSessionReady(const QString &profileId);
    void whenTreeReady();
    void select(bool afterLoadingAll);

    ConsoleCore *m_core;
    ResourceTreeView *m_tree;
    Reveal m_reveal;
    ConsoleLink m_link;
    QString m_profileName; // as saved
    Done m_done;
    QPointer<QObject> m_pending; // owns the connections of the link being opened
};
