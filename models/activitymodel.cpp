#include "activitymodel.h"

#include "apicall.h"

#include <QLocale>

ActivityModel::ActivityModel(QObject *parent) : QAbstractListModel(parent) { }

int ActivityModel::start(const QString &description, ApiCall *call)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    Entry e;
    e.id = m_nextId++;
    e.description = description;
    e.started = QDateTime::currentDateTime();
    e.clock.start();
    e.call = call;
    m_entries.push_back(std::move(e));
    endInsertRows();
    return m_entries.back().id;
}

void ActivityModel::attachCall(int id, ApiCall *call)
{
    if (const int row = rowOf(id); row >= 0) {
        m_entries[size_t(row)].call = call;
        changed(row);
    }
}

void ActivityModel::succeed(int id, const QString &note)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Entry &e = m_entries[size_t(row)];
    e.state = State::Succeeded;
    e.durationMs = e.clock.elapsed();
    e.message = note;
    e.call = nullptr;
    changed(row);
}

void ActivityModel::fail(int id, const ApiError &error)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Entry &e = m_entries[size_t(row)];
    e.state = error.kind == ApiError::Kind::Cancelled ? State::Cancelled : State::Failed;
    e.durationMs = e.clock.elapsed();
    e.message = error.kind == ApiError::Kind::Cancelled ? tr("Cancelled") : error.userMessage();
    e.hint = error.hint;
    e.errorKind = error.kind;
    e.call = nullptr;
    changed(row);
}

bool ActivityModel::cancel(int row)
{
    if (row < 0 || row >= int(m_entries.size()))
        return false;
    Entry &e = m_entries[size_t(row)];
    if (e.state != State::Running || !e.call)
        return false;
    e.call->cancel();
    return true;
}

int ActivityModel::runningCount() const
{
    return int(
        std::count_if(m_entries.begin(), m_entries.end(), [](const Entry &e) { return e.state == State::Running; }));
}

int ActivityModel::rowOf(int id) const
{
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].id == id)
            return int(i);
    return -1;
}

void ActivityModel::changed(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DescriptionColumn:
        return tr("Operation");
    case StateColumn:
        return tr("State");
    case DurationColumn:
        return tr("Duration");
    case MessageColumn:
        return tr("Details");
    default:
        return {};
    }
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &e = m_entries[size_t(index.row())];
    if (role == StateRole)
        return QVariant::fromValue(e.state);
    if (role == CancellableRole)
        return e.state == State::Running && e.call;
    if (role == ErrorKindRole)
        return int(e.errorKind);
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return e.hint.isEmpty() ? e.message : e.message + QLatin1Char('\n') + e.hint;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case DescriptionColumn:
        return e.description;
    case StateColumn:
        switch (e.state) {
        case State::Running:
            return tr("Running…");
        case State::Succeeded:
            return tr("Done");
        case State::Failed:
            return tr("Failed");
        case State::Cancelled:
            return tr("Cancelled");
        }
        return {};
    case DurationColumn:
        if (e.durationMs < 0)
            return tr("started %1").arg(QLocale().toString(e.started.time(), QLocale::ShortFormat));
        return e.durationMs < 1000 ? tr("%1 ms").arg(e.durationMs) : tr("%1 s").arg(e.durationMs / 1000.0, 0, 'f', 1);
    case MessageColumn:
        return e.message;
    default:
        return {};
    }
}
