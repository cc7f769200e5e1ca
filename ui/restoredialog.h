// RestoreDialog: what a restore or a clone needs, in one of three modes (RestorePlan::Mode):
// - NewDatabase: the backup to restore (completed ones, newest first; the picked one first) and
//   the new database's name and region, prefilled (the source's name with the backup's date, its
//   region). The default and safe path: nothing existing changes.
// - InPlace: the backup, what is overwritten and what stays (the plan's consequences), and the
//   database's name typed to confirm; "Restore in Place" stays disabled until it matches.
// - Clone: the new database's name and region, prefilled.
// The plan for a backup comes from `planFor` (RestorePolicy, through the controller), so the
// dialog holds no policy. Only the regions marked available can be picked.
#pragma once

#include "restorepolicy.h"

#include <QDialog>

#include <functional>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

class RestoreDialog : public QDialog
{
    Q_OBJECT
public:
    // The plan for a backup (null for Clone); nullopt when it may not be restored.
    using PlanFor = std::function<std::optional<RestorePlan>(const Backup *backup)>;

    RestoreDialog(RestorePlan::Mode mode, const std::vector<Backup> &backups, const QString &preselectedBackupId,
        PlanFor planFor, QWidget *parent = nullptr);

    // Regions to pick from (the plan's region stays picked when it is among them).
    void setRegions(const std::vector<Region> &regions);
    // The accepted plan (nullopt when none), with the name and region as edited.
    std::optional<RestorePlan> plan() const { return m_plan; }
    QString name() const;
    QString region() const;

    QComboBox *backupCombo() const { return m_backup; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *confirmEdit() const { return m_confirm; }
    QPushButton *okButton() const { return m_ok; }

private:
    void backupChanged();
    void updateOk();

    RestorePlan::Mode m_mode;
    std::vector<Backup> m_backups; // completed ones, as offered by m_backup
    PlanFor m_planFor;
    std::optional<RestorePlan> m_plan;
    bool m_nameEdited = false;
    QComboBox *m_backup = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_region = nullptr;
    QLabel *m_consequences = nullptr;
    QLabel *m_prompt = nullptr;
    QLineEdit *m_confirm = nullptr;
    QPushButton *m_ok = nullptr;
};
