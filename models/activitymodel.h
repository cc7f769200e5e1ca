// ActivityModel: every operation the console sent (create, delete, rotate, …), newest last, with
// its state, duration and, on failure, the server's message and hint. Running operations that
// carry an ApiCall can be cancelled. A list model for the activity dock.
#pragma once

#include "apierror.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>

#include <vector>

class ApiCall;

class ActivityModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class State { Running, Succeeded, Failed, Cancelled };
    Q_ENUM(State)
    enum Column { DescriptionColumn, StateColumn, DurationColumn, MessageColumn, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, CancellableRole, ErrorKindRole };

    explicit ActivityModel(QObject *parent = nullptr);

    // Records a new running operation; returns its id. `call` (may be null) makes it cancellable.
    int start(const QString &description, ApiCall *call = nullptr);
    void attachCall(int id, ApiCall *call);
    void succeed(int id, const QString &note = {});
    void fail(int id, const ApiError &error);
    // Cancels the running operation in `row` (its ApiCall then reports Cancelled).
    bool cancel(int row);
    int runningCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        int id;
        QString description;
        State state = State::Running;
        QDateTime started;
        QElapsedTimer clock;
        qint64 durationMs = -1;
        QString message;
        QString hint;
        ApiError::Kind errorKind = ApiError::Kind::None;
        QPointer<ApiCall> call;
    };
    int rowOf(int id) const;
    void changed(int row);

    std::vector<Entry> m_entries;
    int m_nextId = 1;
};
