// ConnectionStringDialog and RotateConfirmDialog as a user meets them (offscreen widgets).
#include "connectionstringdialog.h"
#include "connectiontester.h"
#include "requiredtool.h"
#include "rotateconfirmdialog.h"
#include "secretclipboard.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using ConnectionStrings::Format;

namespace {

const QString kPassword = QString::fromUtf8("p@ss:w/rd?#%é密");

QString encodedPassword()
{
    return QString::fromLatin1(QUrl::toPercentEncoding(kPassword));
}

Connection fixture(bool withAccelerate = true)
{
    Connection c;
    c.id = QStringLiteral("con_1");
    c.name = QStringLiteral("app");
    const QString direct = QLatin1String("postgres://app:") + encodedPassword()
        + QLatin1String("@db.prisma.io:5432/postgres?sslmode=require");
    const QString pooled = QLatin1String("postgres://app:") + encodedPassword()
        + QLatin1String("@pooled.db.prisma.io:5432/postgres?sslmode=require");
    c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, direct };
    c.pooled = Endpoint { QStringLiteral("pooled.db.prisma.io"), 5432, pooled };
    if (withAccelerate)
        c.accelerate = Endpoint { QStringLiteral("accelerate.prisma-data.net"), 443,
            QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=APIKEY123") };
    return c;
}

bool containsSecret(const QString &s)
{
    return s.contains(kPassword) || s.contains(encodedPassword()) || s.contains(QLatin1String("APIKEY123"));
}

} // namespace

class TestConnectionStringDialog : public QObject
{
    Q_OBJECT
private slots:
    void maskedByDefaultAndRevealToggle();
    void pickerOffersEveryFormat();
    void copyUsesTheSecretClipboard();
    void testNotOfferedForAccelerate();
    void writeEnvFile();
    void writeEnvFileWarnsWhenGitDoesNotIgnoreIt();
    void noConnectionString();
    void rotateConfirmation();
};

void TestConnectionStringDialog::maskedByDefaultAndRevealToggle()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("Connection “app”"), fixture(), &clipboard);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!dialog.isRevealed());
    QVERIFY2(!containsSecret(dialog.field()->text()), "the widget holds only the masked form");
    QVERIFY(dialog.field()->text().contains(QString::fromUtf8(":••••••••@db.prisma.io"))); // eight bullets
    QVERIFY(dialog.field()->text().contains(QLatin1String("db.prisma.io")));
    QVERIFY(dialog.field()->isReadOnly());
    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton);
    QVERIFY(dialog.isRevealed());
    QVERIFY(dialog.field()->text().contains(encodedPassword()));
    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton);
    QVERIFY(!containsSecret(dialog.field()->text()));
    // Every format, masked.
    for (int i = 0; i < dialog.formatPicker()->count(); ++i) {
        dialog.formatPicker()->setCurrentIndex(i);
        QVERIFY2(!containsSecret(dialog.field()->text()), qPrintable(dialog.formatPicker()->itemText(i)));
    }
    // The note about "only now".
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("intro"))->text().contains(QLatin1String("only now")));
}

void TestConnectionStringDialog::pickerOffersEveryFormat()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), fixture(), &clipboard);
    // Direct, Pooled, Accelerate, .env, psql; then the snippets (tst_connectdialogsnippets): three
    // Prisma ORM files and node-postgres (no Alchemy without the project's and database's ids).
    QCOMPARE(dialog.formatPicker()->count(), 9);
    QVERIFY(dialog.selectFormat(Format::DotEnv));
    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton);
    QVERIFY(dialog.field()->text().startsWith(QLatin1String("DATABASE_URL=\"postgres://app:")));
    QVERIFY(dialog.selectFormat(Format::Psql));
    QVERIFY(dialog.field()->text().startsWith(QLatin1String("psql \"postgres://app:")));
    ConnectionStringDialog noAccelerate(QStringLiteral("x"), fixture(false), &clipboard);
    QCOMPARE(noAccelerate.formatPicker()->count(), 8);
    QVERIFY(!noAccelerate.selectFormat(Format::Accelerate));
}

void TestConnectionStringDialog::copyUsesTheSecretClipboard()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), fixture(), &clipboard);
    QVERIFY(dialog.selectFormat(Format::Pooled));
    QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    QVERIFY(data);
    QVERIFY(data->text().contains(QLatin1String("@pooled.db.prisma.io")));
    QVERIFY(data->text().contains(encodedPassword()));
    QVERIFY(data->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("cleared in 30")));
    QVERIFY(!dialog.isRevealed()); // copying does not reveal
    clipboard.clearIfOurs();
}

void TestConnectionStringDialog::testNotOfferedForAccelerate()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), fixture(), &clipboard);
    QVERIFY(dialog.selectFormat(Format::Accelerate));
    QVERIFY(!dialog.testButton()->isEnabled());
    QVERIFY(dialog.selectFormat(Format::Direct));
    QVERIFY(dialog.testButton()->isEnabled());
}

void TestConnectionStringDialog::writeEnvFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral(".env"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# my app\nexport DATABASE_URL=old\nPORT=3000\n");
    f.close();
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), fixture(), &clipboard);
    dialog.setEnvFileChooser([path] { return path; });
    QVERIFY(dialog.selectFormat(Format::Pooled)); // writes the URL of the chosen format
    QSignalSpy written(&dialog, &ConnectionStringDialog::envFileWritten);
    QTest::mouseClick(dialog.envButton(), Qt::LeftButton);
    QCOMPARE(written.size(), 1);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    QVERIFY(content.startsWith("# my app\nexport DATABASE_URL=\"postgres://app:" + encodedPassword().toLatin1()
        + "@pooled.db.prisma.io:5432/postgres?sslmode=require\"\nPORT=3000\n"));
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("Replaced DATABASE_URL")));
    QVERIFY(!containsSecret(dialog.statusLabel()->text()));
}

void TestConnectionStringDialog::writeEnvFileWarnsWhenGitDoesNotIgnoreIt()
{
    PPG_REQUIRE_TOOL(gitProgram, "git", "git");
    QTemporaryDir repo;
    QProcess git;
    git.setWorkingDirectory(repo.path());
    git.start(gitProgram, { QStringLiteral("init"), QStringLiteral("-q") });
    QVERIFY(git.waitForFinished(20000));
    QCOMPARE(git.exitCode(), 0);
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), fixture(), &clipboard);
    const QString path = repo.filePath(QStringLiteral(".env"));
    dialog.setEnvFileChooser([path] { return path; });
    QTest::mouseClick(dialog.envButton(), Qt::LeftButton);
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("Created")));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusLabel()->text().contains(QLatin1String("git does not ignore")), 20000);
    QVERIFY(!containsSecret(dialog.statusLabel()->text()));
}

void TestConnectionStringDialog::noConnectionString()
{
    Connection c;
    c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, {} };
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("x"), c, &clipboard, nullptr, ConnectionStringDialog::Source::Vault);
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(!dialog.testButton()->isEnabled());
    QVERIFY(!dialog.envButton()->isEnabled());
    QVERIFY(dialog.field()->text().isEmpty());
}

void TestConnectionStringDialog::rotateConfirmation()
{
    RotateConfirmDialog dialog(QStringLiteral("app"), QStringLiteral("shop"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.cancelButton()->isDefault());
    QVERIFY(!dialog.rotateButton()->isDefault());
    QVERIFY(dialog.rotateButton()->text().contains(QLatin1String("Rotate")));
    // What the dialog shows, word for word (not what its text helpers return).
    QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("question"))->text(),
        QStringLiteral("<b>Rotate the credentials of the connection “app” to “shop”?</b>"));
    const QString consequences = dialog.findChild<QLabel *>(QStringLiteral("consequences"))->text();
    QVERIFY2(consequences.contains(QLatin1String("The service issues a new password and revokes the old one.")),
        qPrintable(consequences));
    QVERIFY(consequences.contains(QLatin1String("old connection string will fail")));
    QVERIFY(consequences.contains(QLatin1String("The new connection string is shown only once")));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("question"))->isVisible());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("consequences"))->isVisible());
    QTest::keyClick(&dialog, Qt::Key_Return); // Enter cancels
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    RotateConfirmDialog again(QStringLiteral("app"));
    again.show();
    QCOMPARE(again.findChild<QLabel *>(QStringLiteral("question"))->text(),
        QStringLiteral("<b>Rotate the credentials of the connection “app”?</b>"));
    QTest::mouseClick(again.rotateButton(), Qt::LeftButton);
    QCOMPARE(again.result(), int(QDialog::Accepted));
}

QTEST_MAIN(TestConnectionStringDialog)
#include "tst_connectionstringdialog.moc"
