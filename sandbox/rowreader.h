#pragma once
// Reading rows of a query result into plain structs by column name.
//
// A Columns<Row> pairs each result column (by the name the SELECT gives it, an alias where two
// tables share one, e.g. `w.name AS workspace_name`) with the Row member it fills. RowReader
// finds each name's position in the result once per result set, then fills every row from
// those positions: neither the order of the SELECT's columns nor the order of the struct's
// members matters. Members are QString (SQL NULL reads as a null QString), qint64 or bool.
// Errors: of() reports a column the result lacks (a SELECT that disagrees with its Columns).

#include "result.h"

#include <QList>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QString>
#include <QVariant>

// Reads a column's value into a member: QString (SQL NULL reads as a null QString), qint64, bool.
inline void readInto(QString &out, const QVariant &v)
{
    out = v.isNull() ? QString() : v.toString();
}
inline void readInto(qint64 &out, const QVariant &v)
{
    out = v.toLongLong();
}
inline void readInto(bool &out, const QVariant &v)
{
    out = v.toBool();
}

template <typename Row> struct Column
{
    const char *name; // the result column's name
    void (*set)(Row &row, const QVariant &value); // field<&Row::member>
};

// The setter of `Member` (a pointer to a data member) for a Column: {"name", field<&Row::name>}.
template <auto Member, typename Row> void field(Row &row, const QVariant &value)
{
    readInto(row.*Member, value);
}

template <typename Row> using Columns = QList<Column<Row>>;

template <typename Row> class RowReader
{
public:
    // The reader of `record`'s rows (a QSqlQuery's record() once executed), or the error naming
    // the first column of `columns` that the result does not have.
    static Result<RowReader, QString> of(const QSqlRecord &record, const Columns<Row> &columns)
    {
        RowReader reader;
        reader.m_columns = columns;
        reader.m_positions.reserve(columns.size());
        for (const Column<Row> &c : columns) {
            const int at = record.indexOf(QString::fromLatin1(c.name));
            if (at < 0)
                return fail(QStringLiteral("the result has no column %1").arg(QLatin1String(c.name)));
            reader.m_positions.append(at);
        }
        return reader;
    }

    // The query's current row.
    Row read(const QSqlQuery &query) const
    {
        Row row;
        for (qsizetype i = 0; i < m_columns.size(); ++i)
            m_columns.at(i).set(row, query.value(m_positions.at(i)));
        return row;
    }

private:
    Columns<Row> m_columns;
    QList<int> m_positions; // m_columns[i] is the result's column m_positions[i]
};
