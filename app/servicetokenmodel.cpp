#include "servicetokenmodel.h"

#include "profilestore.h"
#include "servicetokenpolicy.h"

#include <QFont>
#include <QLocale>

ServiceTokenModel::ServiceTokenModel(ProfileStore *profiles, QObject *parent)
    : QAbstractTableModel(parent), m_profiles(profiles)
{
    connect(m_profiles, &ProfileStore::profilesChanged, this, &ServiceTokenModel::reloadProfiles);
    m_profileList = m_profiles->profiles();
}

void ServiceTokenModel::setSession(const QUrl &apiUrl, const QString &activeProfileId)
{
    m_apiUrl = apiUrl;
    m_activeProfileId = activeProfileId;
    reloadProfiles();
}

void ServiceTokenModel::reloadProfiles()
{
    m_profileList = m_profiles->profiles();
    if (!m_tokens.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ServiceTokenModel::setTokens(std::vector<ServiceToken> tokens)
{
    for (ServiceToken &t : tokens)
        stripConnectionStrings(t); // a listed token has no value; make sure none is kept
    beginResetModel();
    m_tokens = std::move(tokens);
    endResetModel();
}

bool ServiceTokenModel::removeToken(const QString &id)
{
    const int row = rowOfToken(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_tokens.erase(m_tokens.begin() + row);
    endRemoveRows();
    return true;
}

int ServiceTokenModel::rowOfToken(const QString &id) const
{
    for (size_t i = 0; i < m_tokens.size(); ++i)
        if (m_tokens[i].id == id)
            return int(i);
    return -1;
}

const ServiceToken *ServiceTokenModel::token(int row) const
{
    return row >= 0 && row < rowCount() ? &m_tokens[size_t(row)] : nullptr;
}

QList<Profile> ServiceTokenModel::usersOf(int row) const
{
    const ServiceToken *t = token(row);
    if (!t)
        return {};
    const RevokeImpact impact = ServiceTokenPolicy::impactOfRevoking(m_profileList, m_activeProfileId, m_apiUrl, t->id);
    QList<Profile> users = impact.others;
    if (impact.active)
        users.prepend(*impact.active);
    return users;
}

QString ServiceTokenModel::usedByText(int row) const
{
    QStringList names;
    for (const Profile &p : usersOf(row))
        names << (p.id == m_activeProfileId ? tr("this profile") : tr("“%1”").arg(p.name));
    return names.join(QStringLiteral(", "));
}

int ServiceTokenModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tokens.size());
}

int ServiceTokenModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServiceTokenModel::data(const QModelIndex &index, int role) const
{
    const ServiceToken *t = index.isValid() ? token(index.row()) : nullptr;
    if (!t)
        return {};
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return t->name;
        case HintColumn:
            return t->valueHint;
        case CreatedColumn:
            return t->createdAt.isValid() ? locale.toString(t->createdAt.toLocalTime(), QLocale::ShortFormat)
                                          : QString();
        case ExpiresColumn:
            return t->expiresAt.isValid() ? locale.toString(t->expiresAt.toLocalTime(), QLocale::ShortFormat)
                                          : tr("never");
        case UsedByColumn:
            return usedByText(index.row());
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == UsedByColumn) {
            const QList<Profile> users = usersOf(index.row());
            if (users.isEmpty())
                return tr("No saved profile of this console uses this token (as far as it knows).");
            QStringList names;
            for (const Profile &p : users)
                names << tr("“%1”").arg(p.name);
            return users.size() == 1
                ? tr("Used by the profile %1: revoking the token stops it.").arg(names.first())
                : tr("Used by the profiles %1: revoking the token stops them.").arg(names.join(QStringLiteral(", ")));
        }
        if (index.column() == HintColumn)
            return tr("The end of the token's value, as the service shows it. The value itself is shown only once, "
                      "when the token is created.");
        break;
    case Qt::FontRole:
        if (data(index, UsedByActiveRole).toBool()) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case IdRole:
        return t->id;
    case UsedByActiveRole: {
        const QList<Profile> users = usersOf(index.row());
        return !m_activeProfileId.isEmpty() && !users.isEmpty() && users.first().id == m_activeProfileId;
    }
    default:
        break;
    }
    return {};
}

QVariant ServiceTokenModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case HintColumn:
        return tr("Value hint");
    case CreatedColumn:
        return tr("Created");
    case ExpiresColumn:
        return tr("Expires");
    case UsedByColumn:
        return tr("Used by");
    }
    return {};
}
