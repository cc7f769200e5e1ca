// CreateResourceDialog: collects what POST /v1/projects, POST /v1/projects/{id}/databases or
// POST /v1/databases/{id}/connections need: a name, and for projects and databases a region
// (from GET /v1/regions/postgres; unavailable regions are shown but cannot be picked) and the
// default-database choice. The Create button is enabled only while the input is valid; the reason
// is shown beside the field.
#pragma once

#include "resources.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

class CreateResourceDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CreateResourceDialog(ResourceKind kind, QWidget *parent = nullptr);

    void setRegions(const std::vector<Region> &regions);
    // Empty when `name` is acceptable, else why not (translated).
    static QString validateName(const QString &name);

    QString name() const;
    QString region() const; // empty: the service's default / the project's
    bool createDatabase() const; // projects
    bool makeDefault() const; // databases
    QPushButton *createButton() const { return m_createButton; }
    QLineEdit *nameEdit() const { return m_nameEdit; }

private:
    void validate();

    ResourceKind m_kind;
    QLineEdit *m_nameEdit;
    QLabel *m_nameProblem;
    QComboBox *m_region = nullptr;
    QCheckBox *m_option = nullptr;
    QPushButton *m_createButton;
};
