// ServiceTokenModel: one workspace's service tokens as a table, for the Service Tokens dialog.
//
// Columns: Name; Value hint (the service's non-secret `valueHint`); Created (local time); Expires
// (local time, "never" when the service gives no expiry); Used by (the saved profiles that use the
// token, by Profile::tokenId and API URL, see ServiceTokenPolicy: "this profile" for the active
// one, first). Rows keep the service's order (newest first). The rows come from
// GET /v1/workspaces/{workspaceId}/service-tokens (AccountQueries::serviceTokens) through
// setTokens(); a token's value is never kept (cleared on the way in). "Used by" follows the
// profile store: it is recomputed when profilesChanged() is emitted (a tokenId recorded later).
// No requests, no errors of its own.
#pragma once

#include "profile.h"
#include "resources.h"

#include <QAbstractTableModel>
#include <QList>
#include <QUrl>

#include <vector>

class ProfileStore;

class ServiceTokenModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, HintColumn, CreatedColumn, ExpiresColumn, UsedByColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, // QString: the token's id ("tok_…")
        UsedByActiveRole, // bool: the active profile uses this token
    };

    // `profiles` (not owned) says which profile uses which token.
    explicit ServiceTokenModel(ProfileStore *profiles, QObject *parent = nullptr);

    // The service the tokens belong to (the session's API URL) and the active profile's id (empty
    // for a temporary session): what "Used by" compares with.
    void setSession(const QUrl &apiUrl, const QString &activeProfileId);
    // Replaces the rows (values, if any, are dropped).
    void setTokens(std::vector<ServiceToken> tokens);
    // Removes the token's row (after it was revoked); false when it is not listed.
    bool removeToken(const QString &id);

    int rowOfToken(const QString &id) const; // -1 when not listed
    const ServiceToken *token(int row) const; // nullptr for a bad row
    // The saved profiles that use the token of `row` (the active one first).
    QList<Profile> usersOf(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void reloadProfiles();
    QString usedByText(int row) const;

    ProfileStore *m_profiles;
    QList<Profile> m_profileList; // cached: ProfileStore re-reads its file on each call
    QUrl m_apiUrl;
    QString m_activeProfileId;
    std::vector<ServiceToken> m_tokens;
};
