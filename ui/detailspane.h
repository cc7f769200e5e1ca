// DetailsPane: every field the API gave for the selected row (ids, status, region, created time
// in local time, default flag, endpoints host:port, parent). Never shows a secret.
#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;
class ResourceTreeModel;
class QModelIndex;

class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);

    // Shows the resource behind `index` of `model` (a source-model index), or an empty state.
    void show(const ResourceTreeModel *model, const QModelIndex &index);

private:
    void addRow(const QString &label, const QString &value);
    void clearRows();

    QLabel *m_title;
    QFormLayout *m_form;
};
