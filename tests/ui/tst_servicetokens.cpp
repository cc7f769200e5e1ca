// The service-token flows of the window (issue 17), driven as a user drives them (Ctrl+Shift+T,
// the dialog's buttons, Del, Enter), against a real ppg-sandbox over HTTP and a real keychain.
// Each outcome is checked where it lands: the dialog's table, the service's own list, the
// keychain, the settings file, the window's status line.
// - the dialog lists the workspace's tokens (name, value hint, created, "never") and marks the
//   active profile's token; Enter closes it and revokes nothing; a failed list says what to do
//   and Retry lists again;
// - Create Token… makes a token whose value lands in the keychain as a new profile that works
//   (switching to it loads the tree), and the value is on no widget, in no file of the test's
//   config folder, in no log line and not on the clipboard;
// - revoking the token of the active profile (Del) names that profile first, then the other
//   saved profile that uses it; the row goes, and the next refresh of the window shows its
//   "token refused" message (then the failed level's, which says the same);
// - a profile saved without a tokenId gets it when its session is bound (GET /v1/me).
// Modal boxes are answered from the event loop (support/modalanswer.h); any other one fails the
// test instead of hanging it.
#include "await.h"
#include "consoleactions.h"
#include "consolewindow.h"
#include "createservicetokendialog.h"
#include "filescan.h"
#include "keychaincleanup.h"
#include "mainwindow.h"
#include "modalanswer.h"
#include "profilesetup.h"
#include "profilestore.h"
#include "sandboxfaults.h"
#include "sandboxprocess.h"
#include "secretstore.h"
#include "servicetokenmodel.h"
#include "servicetokensdialog.h"
#include "session.h"
#include "sessionmanager.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QToolButton>

#include <functional>
#include <memory>
#include <optional>

namespace {

const QByteArray kTokenA = "ppg-tokens-test-token-a"; // workspace "Alpha"
const QString kKeychainService = QStringLiteral("ppg-console-test-servicetokens");
const QString kProfileA = QStringLiteral("Tokens Alpha");
const QString kRefused
    = QStringLiteral("The service refused this profile's token: edit the profile and paste a valid one.");
constexpr int kLong = 30000; // ms: generous, the machine is shared

#define OPEN_CONSOLE(var, ...)                                                                                         \
    QVERIFY(openConsole(__VA_ARGS__));                                                                                 \
    Console &var = *m_console

struct Console : ConsoleWindow
{
    explicit Console(const QString &ini) : ConsoleWindow(ini, kKeychainService) { model.setLoadingRowDelay(50); }
};

// Every log line of the process while the test runs (debug included), for the secret check.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << message;
    }
    if (g_previousHandler && type != QtDebugMsg) // kept, not printed: the output stays readable
        g_previousHandler(type, context, message);
}

template <class T> T *visibleDialog(QWidget *window)
{
    T *found = nullptr;
    for (T *d : window->findChildren<T *>())
        if (d->isVisible())
            found = d;
    return found;
}

// Everything an item model shows (display, tooltip, status tip, what's this), every row.
void collectModelTexts(const QAbstractItemModel *model, const QModelIndex &parent, QStringList &out)
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        for (int c = 0; c < model->columnCount(parent); ++c) {
            const QModelIndex i = model->index(r, c, parent);
            for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::StatusTipRole),
                     int(Qt::WhatsThisRole), int(Qt::EditRole), int(Qt::AccessibleTextRole) })
                out << i.data(role).toString();
        }
        collectModelTexts(model, model->index(r, 0, parent), out);
    }
    for (int c = 0; c < model->columnCount(parent); ++c)
        out << model->headerData(c, Qt::Horizontal).toString();
}

// Every text any widget of the application shows or tells: titles, tooltips, labels, fields
// (what they hold and what they display), buttons, combo items, text views, item views' rows,
// actions, the status lines.
QStringList everyWidgetText()
{
    QStringList out;
    for (QWidget *w : QApplication::allWidgets()) {
        out << w->windowTitle() << w->toolTip() << w->statusTip() << w->whatsThis() << w->accessibleName()
            << w->accessibleDescription();
        for (QAction *a : w->actions())
            out << a->text() << a->toolTip() << a->statusTip() << a->whatsThis();
        if (auto *l = qobject_cast<QLabel *>(w))
            out << l->text();
        if (auto *e = qobject_cast<QLineEdit *>(w))
            out << e->text() << e->displayText() << e->placeholderText();
        if (auto *b = qobject_cast<QAbstractButton *>(w))
            out << b->text();
        if (auto *c = qobject_cast<QComboBox *>(w))
            for (int i = 0; i < c->count(); ++i)
                out << c->itemText(i);
        if (auto *t = qobject_cast<QTextEdit *>(w))
            out << t->toPlainText() << t->toHtml();
        if (auto *t = qobject_cast<QPlainTextEdit *>(w))
            out << t->toPlainText();
        if (auto *s = qobject_cast<QStatusBar *>(w))
            out << s->currentMessage();
        if (auto *v = qobject_cast<QAbstractItemView *>(w); v && v->model())
            collectModelTexts(v->model(), v->rootIndex(), out);
    }
    return out;
}

// The row of `dialog`'s table for token `id`, column `column` as shown.
QString cell(ServiceTokensDialog *dialog, const QString &id, int column)
{
    const auto *model = qobject_cast<const ServiceTokenModel *>(dialog->table()->model());
    const int row = model ? model->rowOfToken(id) : -1;
    return row < 0 ? QStringLiteral("<not listed>") : model->index(row, column).data().toString();
}

ServiceTokenModel *tokenModel(ServiceTokensDialog *dialog)
{
    return qobject_cast<ServiceTokenModel *>(dialog->table()->model());
}

} // namespace

class TestServiceTokens : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void tokenIdIsRecordedWhenTheSessionIsBound();
    void listsTheWorkspacesTokensAndMarksTheActiveProfile();
    void aFailedListSaysWhatToDoAndRetryListsAgain();
    void createdTokenBecomesAWorkingProfileAndIsShownNowhere();
    void revokingTheActiveProfilesTokenWarnsAndTheWindowSaysRefused();

private:
    bool openConsole(const QString &profileId = {});
    bool waitForSession(Console &c, const QString &profileId);
    ServiceTokensDialog *openTokensDialog(Console &c);
    std::optional<Profile> saveProfile(const QString &name, const QByteArray &token, QString *why);
    std::vector<ServiceToken> listedByTheService();
    QByteArray keychainToken(Console &c, const QString &profileId);

    QTemporaryDir m_home;
    SandboxProcess m_sandbox;
    std::unique_ptr<ApiClient> m_clientA;
    QObject m_ctx;
    QString m_ini;
    QString m_profileA;
    QString m_workspaceId;
    QString m_tokenIdA; // GET /v1/me credential.id of kTokenA
    std::unique_ptr<Console> m_console;
    std::unique_ptr<UnexpectedModalGuard> m_guard;
};

void TestServiceTokens::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("ppg-console-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_servicetokens"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    m_ini = QSettings().fileName();
    QVERIFY(m_ini.startsWith(m_home.path()));

    SandboxProcess::Options o;
    o.tokens = { QString::fromLatin1(kTokenA) + QStringLiteral("=Alpha") };
    QVERIFY2(m_sandbox.start(o), qPrintable(m_sandbox.errorString()));
    m_clientA = std::make_unique<ApiClient>(m_sandbox.baseUrl(), kTokenA);
    const auto me = await<Me>([&](auto cb) { m_clientA->me(&m_ctx, cb); });
    QVERIFY(me.ok());
    QVERIFY(me.value().workspace);
    m_workspaceId = me.value().workspace->id;
    QCOMPARE(me.value().credential.type, QStringLiteral("service_token"));
    m_tokenIdA = me.value().credential.id;
    QVERIFY(m_tokenIdA.startsWith(QStringLiteral("tok_")));

    QString why;
    const auto a = saveProfile(kProfileA, kTokenA, &why);
    QVERIFY2(a, qPrintable(why));
    m_profileA = a->id;

    // Every log line from here on, debug included, is kept for the secret check.
    QLoggingCategory::setFilterRules(QStringLiteral("ppg.*.debug=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestServiceTokens::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
    if (m_ini.isEmpty())
        return;
    QVERIFY(removeStoredProfileSecrets(m_ini, kKeychainService, kLong));
}

void TestServiceTokens::cleanup()
{
    const QString unexpected = closeConsoleAndGuard(m_console, m_guard);
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected));
}

std::optional<Profile> TestServiceTokens::saveProfile(const QString &name, const QByteArray &token, QString *why)
{
    Profile profile;
    profile.name = name;
    profile.apiUrl = m_sandbox.baseUrl();
    return saveTestProfile(m_ini, kKeychainService, profile, token, why, kLong);
}

bool TestServiceTokens::openConsole(const QString &profileId)
{
    if (!m_guard)
        m_guard = std::make_unique<UnexpectedModalGuard>();
    m_console.reset();
    m_console = std::make_unique<Console>(m_ini);
    Console &c = *m_console;
    c.window.show();
    c.window.activateWindow();
    const QString id = profileId.isEmpty() ? m_profileA : profileId;
    c.sessions.activate(id);
    if (!waitForSession(c, id)) {
        qWarning("the first levels did not load");
        return false;
    }
    if (!QTest::qWaitForWindowActive(&c.window)) {
        qWarning("the window is not active: shortcuts would not reach it");
        return false;
    }
    return true;
}

bool TestServiceTokens::waitForSession(Console &c, const QString &profileId)
{
    return QTest::qWaitFor(
        [&] {
            const Session *s = c.sessions.session();
            return s && s->profile().id == profileId
                && c.model.fetchState(QModelIndex()) == ResourceTreeModel::FetchState::Fetched
                && c.model.rowCount() > 0;
        },
        kLong);
}

// Ctrl+Shift+T in the window, as the user presses it; the dialog once its list is in.
ServiceTokensDialog *TestServiceTokens::openTokensDialog(Console &c)
{
    if (!c.window.isActiveWindow()) {
        c.window.activateWindow();
        if (!QTest::qWaitForWindowActive(&c.window))
            return nullptr;
    }
    if (!c.window.actions()->serviceTokens->isEnabled())
        return nullptr;
    QTest::keyClick(&c.window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    ServiceTokensDialog *dialog = nullptr;
    const bool listed = QTest::qWaitFor(
        [&] {
            dialog = visibleDialog<ServiceTokensDialog>(&c.window);
            return dialog && !dialog->busyBar()->isVisible() && tokenModel(dialog)->rowCount() > 0;
        },
        kLong);
    return listed ? dialog : nullptr;
}

std::vector<ServiceToken> TestServiceTokens::listedByTheService()
{
    auto page = await<Page<ServiceToken>>(
        [&](auto cb) { m_clientA->listServiceTokens(m_workspaceId, PageRequest {}, &m_ctx, cb); });
    return page.ok() ? page.value().items : std::vector<ServiceToken> {};
}

QByteArray TestServiceTokens::keychainToken(Console &c, const QString &profileId)
{
    QByteArray out;
    bool done = false;
    QObject ctx;
    c.secrets.read(SecretStore::tokenKey(profileId), &ctx, [&](const QByteArray &secret, const KeychainError &e) {
        if (e.ok())
            out = secret;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, kLong))
        qWarning("the keychain did not answer");
    return out;
}

// --- tokenId at bind ---------------------------------------------------------------------------

void TestServiceTokens::tokenIdIsRecordedWhenTheSessionIsBound()
{
    QString why;
    const auto saved = saveProfile(QStringLiteral("Bound later"), kTokenA, &why);
    QVERIFY2(saved, qPrintable(why));
    QVERIFY(saved->tokenId.isEmpty());
    const QString key = QStringLiteral("profiles/%1/tokenId").arg(saved->id);
    QVERIFY(!QSettings(m_ini, QSettings::IniFormat).contains(key));

    OPEN_CONSOLE(c, saved->id);
    QTRY_COMPARE_WITH_TIMEOUT(c.profiles.profile(saved->id)->tokenId, m_tokenIdA, kLong);
    // In the settings file, as a later run reads it.
    QCOMPARE(QSettings(m_ini, QSettings::IniFormat).value(key).toString(), m_tokenIdA);
    QVERIFY(c.profiles.profile(saved->id)->hasStoredToken);

    // The same id again is no change: nothing is written, nobody is told.
    QFile ini(m_ini);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray before = ini.readAll();
    ini.close();
    QSignalSpy changed(&c.profiles, &ProfileStore::profilesChanged);
    QVERIFY(c.profiles.setTokenId(saved->id, m_tokenIdA));
    QVERIFY(changed.isEmpty());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QCOMPARE(ini.readAll(), before);
}

// --- the list ----------------------------------------------------------------------------------

void TestServiceTokens::listsTheWorkspacesTokensAndMarksTheActiveProfile()
{
    auto elsewhere = await<ServiceToken>(
        [&](auto cb) { m_clientA->createServiceToken(m_workspaceId, QStringLiteral("listed-elsewhere"), &m_ctx, cb); });
    QVERIFY(elsewhere.ok());
    const QString elsewhereId = elsewhere.value().id;

    OPEN_CONSOLE(c);
    QTRY_COMPARE_WITH_TIMEOUT(c.profiles.profile(m_profileA)->tokenId, m_tokenIdA, kLong);
    auto *dialog = openTokensDialog(c);
    QVERIFY(dialog);
    QVERIFY2(dialog->windowTitle().contains(QStringLiteral("Alpha")), qPrintable(dialog->windowTitle()));

    // The rows are the service's list, in its order, as it names and hints them.
    const std::vector<ServiceToken> listed = listedByTheService();
    QVERIFY(listed.size() >= 2);
    ServiceTokenModel *model = tokenModel(dialog);
    QCOMPARE(model->rowCount(), int(listed.size()));
    for (int row = 0; row < int(listed.size()); ++row) {
        const ServiceToken &t = listed[size_t(row)];
        QCOMPARE(model->index(row, 0).data(ServiceTokenModel::IdRole).toString(), t.id);
        QCOMPARE(cell(dialog, t.id, ServiceTokenModel::NameColumn), t.name);
        QCOMPARE(cell(dialog, t.id, ServiceTokenModel::HintColumn), t.valueHint);
        QCOMPARE(cell(dialog, t.id, ServiceTokenModel::CreatedColumn),
            QLocale().toString(t.createdAt.toLocalTime(), QLocale::ShortFormat));
        QCOMPARE(cell(dialog, t.id, ServiceTokenModel::ExpiresColumn), QStringLiteral("never"));
    }
    QCOMPARE(cell(dialog, elsewhereId, ServiceTokenModel::NameColumn), QStringLiteral("listed-elsewhere"));
    QCOMPARE(cell(dialog, m_tokenIdA, ServiceTokenModel::NameColumn), QStringLiteral("Sandbox service token"));

    // The active profile's token is marked first, then any other saved profile using it; the other
    // token is nobody's here.
    QStringList users { QStringLiteral("this profile") };
    for (const Profile &p : c.profiles.profiles())
        if (p.id != m_profileA && p.tokenId == m_tokenIdA)
            users << QStringLiteral("“%1”").arg(p.name);
    QCOMPARE(cell(dialog, m_tokenIdA, ServiceTokenModel::UsedByColumn), users.join(QStringLiteral(", ")));
    QVERIFY(model->index(model->rowOfToken(m_tokenIdA), 0).data(ServiceTokenModel::UsedByActiveRole).toBool());
    QCOMPARE(cell(dialog, elsewhereId, ServiceTokenModel::UsedByColumn), QString());

    // Enter on a selected row is not destructive: the dialog closes, both tokens stay.
    dialog->selectToken(elsewhereId);
    QCOMPARE(dialog->selectedTokenId(), elsewhereId);
    dialog->table()->setFocus();
    QTest::keyClick(dialog->table(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!visibleDialog<ServiceTokensDialog>(&c.window), kLong);
    QCOMPARE(listedByTheService().size(), listed.size());
}

void TestServiceTokens::aFailedListSaysWhatToDoAndRetryListsAgain()
{
    OPEN_CONSOLE(c);
    // Every answer a 503 from now on: the list fails after the client's retries.
    QVERIFY(setSandboxFaults(m_sandbox.baseUrl(), QJsonObject { { QStringLiteral("rate5xx"), 1.0 } }));
    QTest::keyClick(&c.window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    ServiceTokensDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleDialog<ServiceTokensDialog>(&c.window)) != nullptr, kLong);
    QVERIFY(dialog->busyBar()->isVisible() || dialog->retryButton()->isVisible()); // progress while listing
    QTRY_VERIFY_WITH_TIMEOUT(dialog->retryButton()->isVisible(), kLong);
    const QString failure = dialog->statusLabel()->text();
    QVERIFY2(failure.startsWith(QStringLiteral("The service tokens could not be listed:")), qPrintable(failure));
    QVERIFY2(failure.endsWith(QStringLiteral("Choose Retry to list them again.")), qPrintable(failure));
    QVERIFY(!dialog->busyBar()->isVisible());
    QCOMPARE(tokenModel(dialog)->rowCount(), 0);

    // The service is back: Retry lists the tokens.
    QVERIFY(clearSandboxFaults(m_sandbox.baseUrl()));
    QTest::mouseClick(dialog->retryButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(tokenModel(dialog)->rowCount() > 0 && !dialog->busyBar()->isVisible(), kLong);
    QVERIFY(!dialog->retryButton()->isVisible());
    QCOMPARE(tokenModel(dialog)->rowCount(), int(listedByTheService().size()));
    QVERIFY2(dialog->statusLabel()->text().endsWith(QStringLiteral("service tokens.")),
        qPrintable(dialog->statusLabel()->text()));
}

// --- create ------------------------------------------------------------------------------------

void TestServiceTokens::createdTokenBecomesAWorkingProfileAndIsShownNowhere()
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    OPEN_CONSOLE(c);
    auto *dialog = openTokensDialog(c);
    QVERIFY(dialog);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    CreateServiceTokenDialog *ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = visibleDialog<CreateServiceTokenDialog>(&c.window)) != nullptr, kLong);
    QVERIFY(!ask->createButton()->isEnabled()); // no name yet

    // The token's name; the profile's name follows it until edited, and must be unique.
    QTest::keyClicks(ask->tokenNameEdit(), QStringLiteral("ci"));
    QCOMPARE(ask->profileNameEdit()->text(), QStringLiteral("ci"));
    ask->profileNameEdit()->selectAll();
    QTest::keyClicks(ask->profileNameEdit(), kProfileA.toLower());
    QVERIFY(!ask->createButton()->isEnabled());
    QVERIFY2(ask->problemLabel()->text().contains(QStringLiteral("already exists")),
        qPrintable(ask->problemLabel()->text()));
    ask->profileNameEdit()->selectAll();
    QTest::keyClicks(ask->profileNameEdit(), QStringLiteral("staging-ci"));
    QTest::keyClicks(ask->tokenNameEdit(), QString(300, u'x'));
    QVERIFY(!ask->createButton()->isEnabled()); // over 255 characters
    ask->tokenNameEdit()->setText(QStringLiteral("ci"));
    QCOMPARE(ask->profileNameEdit()->text(), QStringLiteral("staging-ci")); // edited: no longer follows
    QToolButton *green = nullptr;
    for (QToolButton *b : ask->findChildren<QToolButton *>())
        if (b->accessibleName() == QStringLiteral("Colour #2e7d32"))
            green = b;
    QVERIFY(green);
    QTest::mouseClick(green, Qt::LeftButton);
    QVERIFY(ask->createButton()->isEnabled());
    QTest::mouseClick(ask->createButton(), Qt::LeftButton);

    const QString done = QStringLiteral("Token “ci” created and saved as profile “staging-ci”");
    QTRY_COMPARE_WITH_TIMEOUT(dialog->statusLabel()->text(), done, kLong);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->busyBar()->isVisible(), kLong);

    // The new profile: same API URL, the colour asked, the token's id, its value in the keychain.
    const auto profile = c.profiles.findByName(QStringLiteral("staging-ci"));
    QVERIFY(profile);
    QVERIFY(profile->hasStoredToken);
    QCOMPARE(profile->apiUrl, m_sandbox.baseUrl());
    QCOMPARE(profile->color, QColor(0x2e, 0x7d, 0x32));
    std::optional<ServiceToken> ci;
    for (const ServiceToken &t : listedByTheService())
        if (t.name == QStringLiteral("ci"))
            ci = t;
    QVERIFY(ci);
    QCOMPARE(profile->tokenId, ci->id);
    QCOMPARE(cell(dialog, ci->id, ServiceTokenModel::NameColumn), QStringLiteral("ci"));
    QCOMPARE(dialog->selectedTokenId(), ci->id);
    const QByteArray value = keychainToken(c, profile->id);
    QVERIFY2(value.startsWith("ppg_sandbox_st_"), "the keychain holds a sandbox token (not printed)");
    QCOMPARE(ci->valueHint, QString(u'…' + QString::fromLatin1(value.right(4))));

    // The value is nowhere to be seen: not on a widget, not in a file, not in a log, not on the
    // clipboard. The random part alone is looked for too (the prefix is public).
    const QString full = QString::fromLatin1(value);
    const QString secretPart = QString::fromLatin1(value.mid(int(qstrlen("ppg_sandbox_st_"))));
    QVERIFY(secretPart.size() >= 40);
    const QStringList texts = everyWidgetText();
    QVERIFY(texts.contains(done)); // the walk does see the dialog
    for (const QString &text : texts)
        QVERIFY2(!text.contains(full) && !text.contains(secretPart), "a widget shows the token's value");
    const QList<FileContent> files = readFilesBelow(m_home.path());
    bool sawTokenId = false;
    for (const FileContent &f : files) {
        QVERIFY2(!f.content.contains(value) && !f.content.contains(secretPart.toLatin1()), qPrintable(f.path));
        sawTokenId = sawTokenId || f.content.contains(ci->id.toLatin1());
    }
    QVERIFY2(sawTokenId, "the settings file records the profile's tokenId");
    {
        QMutexLocker lock(&g_logMutex);
        QVERIFY2(!g_log.isEmpty(), "log lines were captured");
        QVERIFY(std::any_of(g_log.cbegin(), g_log.cend(), [&](const QString &l) { return l.contains(ci->id); }));
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(full) && !line.contains(secretPart), "a log line holds the token's value");
    }
    QVERIFY(!QGuiApplication::clipboard()->text().contains(secretPart));

    // The value works: switching to the new profile loads the tree with it.
    c.sessions.activate(profile->id);
    QVERIFY(waitForSession(c, profile->id));
    QTRY_VERIFY_WITH_TIMEOUT(!visibleDialog<ServiceTokensDialog>(&c.window), kLong); // it was the old session's
    QCOMPARE(c.model.workspace(c.model.index(0, 0))->id, m_workspaceId);
}

// --- revoke ------------------------------------------------------------------------------------

void TestServiceTokens::revokingTheActiveProfilesTokenWarnsAndTheWindowSaysRefused()
{
    // A token of its own, used by two saved profiles.
    auto doomed = await<ServiceToken>(
        [&](auto cb) { m_clientA->createServiceToken(m_workspaceId, QStringLiteral("doomed"), &m_ctx, cb); });
    QVERIFY(doomed.ok());
    const QString doomedId = doomed.value().id;
    QString why;
    const auto twin = saveProfile(QStringLiteral("Doomed twin"), doomed.value().value, &why);
    QVERIFY2(twin, qPrintable(why));
    const auto active = saveProfile(QStringLiteral("Doomed"), doomed.value().value, &why);
    QVERIFY2(active, qPrintable(why));
    doomed.value().value.fill('\0');

    // Each has been opened once, so each knows its token.
    OPEN_CONSOLE(c, twin->id);
    QTRY_COMPARE_WITH_TIMEOUT(c.profiles.profile(twin->id)->tokenId, doomedId, kLong);
    c.sessions.activate(active->id);
    QVERIFY(waitForSession(c, active->id));
    QTRY_COMPARE_WITH_TIMEOUT(c.profiles.profile(active->id)->tokenId, doomedId, kLong);

    auto *dialog = openTokensDialog(c);
    QVERIFY(dialog);
    QCOMPARE(cell(dialog, doomedId, ServiceTokenModel::UsedByColumn), QStringLiteral("this profile, “Doomed twin”"));

    // Del on the selected row asks first, naming the active profile first, then the other one.
    auto box = answerModal<QMessageBox>(
        [](QMessageBox *b) { QVERIFY(clickMessageBoxButton(b, QStringLiteral("Revoke the Token of This Profile"))); });
    dialog->selectToken(doomedId);
    dialog->table()->setFocus();
    QTest::keyClick(dialog->table(), Qt::Key_Delete);
    QTRY_VERIFY_WITH_TIMEOUT(box->answered, kLong);
    QVERIFY2(box->title.contains(QStringLiteral("“doomed”")), qPrintable(box->title));
    QVERIFY2(box->text.startsWith(QStringLiteral("The profile you are using, “Doomed”,")), qPrintable(box->text));
    QVERIFY2(box->text.contains(QStringLiteral("stops working")), qPrintable(box->text));
    QVERIFY2(!box->text.contains(QStringLiteral("Doomed twin")), qPrintable(box->text));
    QVERIFY2(box->informativeText.startsWith(QStringLiteral("The saved profile “Doomed twin” uses this token too")),
        qPrintable(box->informativeText));

    // After the service's 204 the row goes; the service lists it no more; the profiles stay.
    QTRY_COMPARE_WITH_TIMEOUT(tokenModel(dialog)->rowOfToken(doomedId), -1, kLong);
    QVERIFY2(dialog->statusLabel()->text().startsWith(QStringLiteral("Service token “doomed” revoked.")),
        qPrintable(dialog->statusLabel()->text()));
    for (const ServiceToken &t : listedByTheService())
        QVERIFY(t.id != doomedId);
    QVERIFY(c.profiles.profile(active->id));
    QVERIFY(c.profiles.profile(twin->id));

    // The active profile's next request is refused, and the window says so: "token refused"
    // (ConsoleCore::unauthorized), then the failed level's own words, which say it too.
    dialog->reject();
    QTRY_VERIFY_WITH_TIMEOUT(!visibleDialog<ServiceTokensDialog>(&c.window), kLong);
    c.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&c.window));
    QVERIFY(c.window.actions()->refresh->isEnabled());
    QStringList shown;
    QObject scope;
    connect(c.window.statusBar(), &QStatusBar::messageChanged, &scope, [&shown](const QString &m) { shown << m; });
    QTest::keyClick(&c.window, Qt::Key_F5);
    QTRY_VERIFY2_WITH_TIMEOUT(shown.contains(kRefused), qPrintable(shown.join(u'|')), kLong);
    QTRY_VERIFY2_WITH_TIMEOUT(c.window.statusBar()->currentMessage().contains(QStringLiteral("token was refused")),
        qPrintable(c.window.statusBar()->currentMessage()), kLong);
    QVERIFY2(c.window.statusBar()->currentMessage().contains(QStringLiteral("paste a valid service token")),
        qPrintable(c.window.statusBar()->currentMessage()));
}

QTEST_MAIN(TestServiceTokens)
#include "tst_servicetokens.moc"
