#include "profilesdialog.h"

#include "profiledialog.h"
#include "profilestore.h"
#include "profileswatch.h"
#include "session.h"
#include "sessionmanager.h"

#include <QAbstractItemModel>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace {

constexpr int IdRole = Qt::UserRole + 1;

} // namespace

ProfilesDialog::ProfilesDialog(SessionManager *sessions, QWidget *parent) : QDialog(parent), m_sessions(sessions)
{
    setWindowTitle(tr("Profiles"));
    setMinimumSize(560, 340);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Each profile is a service token for one workspace. Tokens are kept in the "
                                "keychain; Ctrl+1…9 open the first nine profiles in this order."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *row = new QHBoxLayout;
    layout->addLayout(row, 1);
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setIconSize(QSize(16, 16));
    m_list->setAlternatingRowColors(true);
    row->addWidget(m_list, 1);

    auto *side = new QVBoxLayout;
    row->addLayout(side);
    m_add = new QPushButton(tr("&Add…"), this);
    m_edit = new QPushButton(tr("&Edit…"), this);
    m_edit->setToolTip(tr("Rename the profile, change its address, colour or token."));
    m_remove = new QPushButton(tr("&Remove…"), this);
    m_up = new QPushButton(tr("Move &up"), this);
    m_up->setToolTip(tr("Alt+Up"));
    m_down = new QPushButton(tr("Move &down"), this);
    m_down->setToolTip(tr("Alt+Down"));
    m_activate = new QPushButton(tr("Make ac&tive"), this);
    for (QPushButton *b : { m_add, m_edit, m_remove, m_up, m_down, m_activate }) {
        b->setAutoDefault(false);
        side->addWidget(b);
    }
    side->addStretch(1);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAccessibleName(tr("Status"));
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_add, &QPushButton::clicked, this, &ProfilesDialog::addProfile);
    connect(m_edit, &QPushButton::clicked, this, &ProfilesDialog::editCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ProfilesDialog::removeCurrent);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrent(+1); });
    connect(m_activate, &QPushButton::clicked, this, &ProfilesDialog::activateCurrent);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] { editCurrent(); });
    connect(m_list, &QListWidget::currentRowChanged, this, &ProfilesDialog::updateButtons);
    connect(new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), this), &QShortcut::activated, this,
        [this] { moveCurrent(-1); });
    connect(new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), this), &QShortcut::activated, this,
        [this] { moveCurrent(+1); });
    m_list->installEventFilter(this); // Delete removes, Enter edits

    // A drop reorders the widget's rows; the store follows once the drop has finished.
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, [this] {
        if (m_rebuilding || m_orderSyncQueued)
            return;
        m_orderSyncQueued = true;
        QMetaObject::invokeMethod(this, &ProfilesDialog::applyDraggedOrder, Qt::QueuedConnection);
    });
    connect(m_sessions->profiles(), &ProfileStore::profilesChanged, this, &ProfilesDialog::rebuild);
    connect(m_sessions->profiles(), &ProfileStore::vaultConnectionsChanged, this, &ProfilesDialog::rebuild);
    connect(m_sessions, &SessionManager::sessionChanged, this, &ProfilesDialog::rebuild);
    connect(m_sessions, &SessionManager::activationFailed, this, [this](const QString &name, const QString &message) {
        m_status->setText(name.isEmpty() ? message : tr("Could not open “%1”: %2").arg(name, message));
    });

    rebuild();
    if (m_list->count() > 0) {
        const Session *s = m_sessions->session();
        selectProfile(s && !s->isTemporary() ? s->profile().id : QString());
        if (m_list->currentRow() < 0)
            m_list->setCurrentRow(0);
    }
    m_list->setFocus();
}

bool ProfilesDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier) {
            if (key->key() == Qt::Key_Delete) {
                removeCurrent();
                return true;
            }
            if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
                editCurrent();
                return true;
            }
        }
    }
    return QDialog::eventFilter(watched, event);
}

QString ProfilesDialog::currentProfileId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(IdRole).toString() : QString();
}

void ProfilesDialog::selectProfile(const QString &id)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(IdRole).toString() == id) {
            m_list->setCurrentRow(i);
            return;
        }
    }
}

void ProfilesDialog::rebuild()
{
    const QString selected = currentProfileId();
    const int selectedRow = m_list->currentRow();
    const Session *session = m_sessions->session();
    const QString activeId = session && !session->isTemporary() ? session->profile().id : QString();
    m_rebuilding = true;
    m_list->clear();
    const QList<Profile> profiles = m_sessions->profiles()->profiles();
    for (int i = 0; i < profiles.size(); ++i) {
        const Profile &p = profiles.at(i);
        QString where;
        if (m_sessions->hasSessionToken(p.id))
            where = tr("token for this session only");
        else if (p.hasStoredToken)
            where = tr("token in the keychain");
        else
            where = tr("no token stored");
        QString text = p.name;
        if (p.id == activeId)
            text = tr("%1 (active)").arg(p.name);
        if (p.apiUrl != Profile {}.apiUrl)
            text += QStringLiteral("  —  ") + p.apiUrl.toString();
        auto *item = new QListWidgetItem(profileSwatch(p.color), text);
        item->setData(IdRole, p.id);
        item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled);
        const int kept = int(m_sessions->profiles()->vaultConnectionIds(p.id).size());
        QString tip = tr("%1\n%2; %n connection string(s) kept", nullptr, kept).arg(p.apiUrl.toString(), where);
        if (i < 9)
            tip += QLatin1Char('\n') + tr("Ctrl+%1 opens it").arg(i + 1);
        item->setToolTip(tip);
        item->setData(Qt::AccessibleDescriptionRole, where);
        if (p.id == activeId) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        m_list->addItem(item);
    }
    m_rebuilding = false;
    selectProfile(selected);
    if (m_list->currentRow() < 0 && m_list->count() > 0)
        m_list->setCurrentRow(qBound(0, selectedRow, m_list->count() - 1));
    updateButtons();
}

void ProfilesDialog::updateButtons()
{
    const int row = m_list->currentRow();
    const bool has = row >= 0;
    const bool busy = m_confirmation || m_profileDialog;
    m_add->setEnabled(!busy);
    m_edit->setEnabled(has && !busy);
    m_remove->setEnabled(has && !busy);
    m_up->setEnabled(has && row > 0);
    m_down->setEnabled(has && row < m_list->count() - 1);
    const Session *s = m_sessions->session();
    m_activate->setEnabled(has && !(s && !s->isTemporary() && s->profile().id == currentProfileId()));
}

void ProfilesDialog::moveCurrent(int delta)
{
    const int row = m_list->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_list->count())
        return;
    const QString id = currentProfileId();
    m_sessions->profiles()->move(row, to); // profilesChanged rebuilds the list
    selectProfile(id);
}

void ProfilesDialog::applyDraggedOrder()
{
    m_orderSyncQueued = false;
    QStringList wanted;
    for (int i = 0; i < m_list->count(); ++i)
        wanted << m_list->item(i)->data(IdRole).toString();
    ProfileStore *store = m_sessions->profiles();
    for (int target = 0; target < wanted.size(); ++target) {
        const QList<Profile> now = store->profiles();
        int from = -1;
        for (int i = 0; i < now.size(); ++i)
            if (now.at(i).id == wanted.at(target))
                from = i;
        if (from >= 0 && from != target)
            store->move(from, target);
    }
    rebuild(); // in case nothing moved after all: the rows show the store's order again
}

void ProfilesDialog::openProfileDialog(ProfileDialog *dialog)
{
    m_profileDialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (m_profileDialog == dialog)
            m_profileDialog = nullptr;
        if (result == QDialog::Accepted) {
            const Profile p = dialog->profile();
            rebuild();
            selectProfile(p.id);
            m_status->setText(dialog->keptForSessionOnly()
                    ? tr("Saved “%1”; its token is kept for this session only.").arg(p.name)
                    : tr("Saved “%1”.").arg(p.name));
            // A profile edited while active gets its new name, address and token on reopening.
            const Session *s = m_sessions->session();
            if (dialog->keptForSessionOnly() || (s && !s->isTemporary() && s->profile().id == p.id))
                m_sessions->activate(p.id);
        }
        updateButtons();
    });
    updateButtons();
    dialog->open();
}

void ProfilesDialog::addProfile()
{
    if (m_profileDialog || m_confirmation)
        return;
    Profile p;
    const QList<QColor> palette = ProfileDialog::palette();
    const QList<Profile> existing = m_sessions->profiles()->profiles();
    for (const QColor &c : palette) {
        if (std::none_of(existing.cbegin(), existing.cend(), [&](const Profile &e) { return e.color == c; })) {
            p.color = c;
            break;
        }
    }
    openProfileDialog(new ProfileDialog(m_sessions, p, this));
}

void ProfilesDialog::editCurrent()
{
    if (m_profileDialog || m_confirmation)
        return;
    const auto p = m_sessions->profiles()->profile(currentProfileId());
    if (!p)
        return;
    openProfileDialog(new ProfileDialog(m_sessions, *p, this));
}

void ProfilesDialog::activateCurrent()
{
    const auto p = m_sessions->profiles()->profile(currentProfileId());
    if (!p)
        return;
    m_status->setText(tr("Opening “%1”…").arg(p->name));
    m_sessions->activate(p->id);
}

void ProfilesDialog::removeCurrent()
{
    if (m_profileDialog || m_confirmation)
        return;
    const auto p = m_sessions->profiles()->profile(currentProfileId());
    if (!p)
        return;
    const int kept = int(m_sessions->profiles()->vaultConnectionIds(p->id).size());
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Remove profile"), tr("Remove the profile “%1”?").arg(p->name),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmRemoveProfile"));
    box->setInformativeText(
        tr("Its service token and the %n connection string(s) kept for it are deleted from the keychain. "
           "The workspace, its projects and databases are not affected.",
            nullptr, kept));
    QPushButton *remove = box->addButton(tr("Remove “%1”").arg(p->name), QMessageBox::DestructiveRole);
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation = box;
    connect(box, &QDialog::finished, this, [this, box, remove, id = p->id, name = p->name] {
        if (m_confirmation == box)
            m_confirmation = nullptr;
        updateButtons();
        if (box->clickedButton() == remove)
            removeProfile(id, name, false);
    });
    updateButtons();
    box->open();
}

void ProfilesDialog::removeProfile(const QString &id, const QString &name, bool evenIfKeychainFails)
{
    m_status->setText(tr("Removing “%1” and its secrets…").arg(name));
    m_remove->setEnabled(false);
    m_sessions->removeProfile(
        id, this,
        [this, id, name](bool removed, const KeychainError &error) {
            updateButtons();
            if (removed) {
                m_status->setText(error.ok()
                        ? tr("Removed “%1” and its secrets.").arg(name)
                        : tr("Removed “%1”; its secrets could not be deleted from the keychain: %2")
                              .arg(name, error.userMessage()));
                return;
            }
            m_status->setText(tr("“%1” was not removed: %2").arg(name, error.userMessage()));
            if (!m_sessions->profiles()->profile(id))
                return;
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Remove profile"),
                tr("The keychain could not delete the secrets of “%1”.").arg(name), QMessageBox::NoButton, this);
            box->setObjectName(QStringLiteral("confirmRemoveProfileAnyway"));
            box->setInformativeText(error.userMessage() + QStringLiteral("\n\n")
                + tr("Remove the profile anyway? Its token and kept connection strings stay in "
                     "the keychain until you delete them there."));
            QPushButton *anyway = box->addButton(tr("Remove anyway"), QMessageBox::DestructiveRole);
            QPushButton *cancel = box->addButton(QMessageBox::Cancel);
            box->setDefaultButton(cancel);
            box->setEscapeButton(cancel);
            box->setAttribute(Qt::WA_DeleteOnClose);
            m_confirmation = box;
            connect(box, &QDialog::finished, this, [this, box, anyway, id, name] {
                if (m_confirmation == box)
                    m_confirmation = nullptr;
                updateButtons();
                if (box->clickedButton() == anyway)
                    removeProfile(id, name, true);
            });
            updateButtons();
            box->open();
        },
        evenIfKeychainFails);
}
