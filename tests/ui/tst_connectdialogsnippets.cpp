// The Connect dialog's snippets as a user meets them (offscreen widgets): the multi-line view with
// the masked code and where it goes, Show, Copy and Ctrl+C through the secret clipboard, the
// Alchemy snippets only with the resource ids. Then the README's screenshots of the dialog with the
// Prisma ORM client and the Alchemy snippet, light and dark (connect-prisma-*.png,
// connect-alchemy-*.png), written to PPG_SCREENSHOT_DIR when set, else screenshots/ in the build
// folder, and checked: size, drawn content, background, no password.
#include "colorscheme.h"
#include "connectionstringdialog.h"
#include "imagechecks.h"
#include "secretclipboard.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTest>
#include <QUrl>

using ConnectionStrings::Format;

namespace {

const QString kPassword = QString::fromUtf8("p@ss:w/rd?#%é密");

QString encodedPassword()
{
    return QString::fromLatin1(QUrl::toPercentEncoding(kPassword));
}

Connection fixture()
{
    Connection c;
    c.id = QStringLiteral("con_7Hq2");
    c.name = QStringLiteral("web-app");
    c.database = ResourceRef { QStringLiteral("db_9Kx4"), QStringLiteral("production") };
    const QString direct = QLatin1String("postgres://app:") + encodedPassword()
        + QLatin1String("@db.prisma.io:5432/postgres?sslmode=require");
    c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, direct };
    return c;
}

ConnectSnippets::Context context()
{
    return { QStringLiteral("Acme"), QStringLiteral("proj_3Fw8"), QStringLiteral("shop-prod"),
        QStringLiteral("db_9Kx4") };
}

bool containsSecret(const QString &s)
{
    return s.contains(kPassword) || s.contains(encodedPassword());
}

} // namespace

class TestConnectDialogSnippets : public QObject
{
    Q_OBJECT
private slots:
    void snippetsInTheMultiLineViewMasked();
    void snippetCopiedAsASecret();
    void ctrlCInTheViewCopiesAsASecret();
    void snippetWithoutPasswordHasNothingToShow();
    void alchemyOnlyWithTheIds();
    void screenshot_data();
    void screenshot();
};

void TestConnectDialogSnippets::snippetsInTheMultiLineViewMasked()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("Connection “web-app”"), fixture(), &clipboard, nullptr,
        ConnectionStringDialog::Source::Vault, context());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // A one-line form: the field, no multi-line view.
    QVERIFY(dialog.field()->isVisible());
    QVERIFY(!dialog.snippetView()->isVisible());

    QVERIFY(dialog.selectFormat(Format::NodePostgres));
    QVERIFY(!dialog.field()->isVisible());
    QVERIFY(dialog.snippetView()->isVisible());
    QVERIFY(dialog.snippetView()->isReadOnly());
    QVERIFY2(dialog.field()->text().isEmpty(), "the hidden field keeps nothing");
    const QString masked = dialog.snippetView()->toPlainText();
    QVERIFY2(!containsSecret(masked), "the view holds only the masked code");
    QVERIFY(masked.contains(QString::fromUtf8("postgres://app:••••••••@db.prisma.io:5432/postgres?sslmode=require&"
                                              "uselibpqcompat=true")));
    QVERIFY(masked.contains(QLatin1String("new Client({")));
    QVERIFY(dialog.hintLabel()->isVisible());
    QVERIFY(dialog.hintLabel()->text().contains(QLatin1String("npm install pg")));

    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton);
    QVERIFY(dialog.snippetView()->toPlainText().contains(encodedPassword()));
    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton);
    QCOMPARE(dialog.snippetView()->toPlainText(), masked);

    // Every format: neither widget holds the secret while hidden; back to a URL, the view is empty.
    for (int i = 0; i < dialog.formatPicker()->count(); ++i) {
        dialog.formatPicker()->setCurrentIndex(i);
        QVERIFY2(!containsSecret(dialog.field()->text()), qPrintable(dialog.formatPicker()->itemText(i)));
        QVERIFY2(!containsSecret(dialog.snippetView()->toPlainText()), qPrintable(dialog.formatPicker()->itemText(i)));
    }
    QVERIFY(dialog.selectFormat(Format::Direct));
    QVERIFY(dialog.snippetView()->toPlainText().isEmpty());
    QVERIFY(!dialog.hintLabel()->isVisible());
}

void TestConnectDialogSnippets::snippetCopiedAsASecret()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(
        QStringLiteral("x"), fixture(), &clipboard, nullptr, ConnectionStringDialog::Source::Vault, context());
    QVERIFY(dialog.selectFormat(Format::NodePostgres));
    QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    QVERIFY(data);
    QVERIFY(data->text().startsWith(QLatin1String("import { Client } from \"pg\";\n")));
    QVERIFY(data->text().contains(encodedPassword()));
    QVERIFY(data->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("cleared in 30")));
    QVERIFY(!dialog.isRevealed());
    QVERIFY(!containsSecret(dialog.snippetView()->toPlainText()));
    clipboard.clearIfOurs();
}

void TestConnectDialogSnippets::ctrlCInTheViewCopiesAsASecret()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(
        QStringLiteral("x"), fixture(), &clipboard, nullptr, ConnectionStringDialog::Source::Vault, context());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.selectFormat(Format::NodePostgres));
    QTest::mouseClick(dialog.showToggle(), Qt::LeftButton); // revealed: a plain copy would leak it
    QGuiApplication::clipboard()->clear();
    dialog.snippetView()->setFocus();
    dialog.snippetView()->selectAll();
    QTest::keySequence(dialog.snippetView(), QKeySequence::Copy);
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    QVERIFY(data);
    QVERIFY(data->text().contains(encodedPassword()));
    QVERIFY2(data->hasFormat(QStringLiteral("x-kde-passwordManagerHint")), "Ctrl+C goes through the secret clipboard");
    clipboard.clearIfOurs();
}

void TestConnectDialogSnippets::snippetWithoutPasswordHasNothingToShow()
{
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(
        QStringLiteral("x"), fixture(), &clipboard, nullptr, ConnectionStringDialog::Source::Vault, context());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.selectFormat(Format::PrismaSchema));
    QCOMPARE(dialog.snippetView()->toPlainText(), ConnectSnippets::prismaSchema());
    QVERIFY(!dialog.showToggle()->isEnabled());
    QVERIFY(dialog.hintLabel()->text().contains(QLatin1String("prisma/schema.prisma")));
    QVERIFY(dialog.testButton()->isEnabled()); // tests the kept string the .env line holds
    QVERIFY(dialog.selectFormat(Format::NodePostgres));
    QVERIFY(dialog.showToggle()->isEnabled());
}

void TestConnectDialogSnippets::alchemyOnlyWithTheIds()
{
    SecretClipboard clipboard;
    ConnectionStringDialog without(QStringLiteral("x"), fixture(), &clipboard);
    QVERIFY(!without.selectFormat(Format::Alchemy));
    QVERIFY(without.selectFormat(Format::PrismaClient));
    ConnectionStringDialog with(
        QStringLiteral("x"), fixture(), &clipboard, nullptr, ConnectionStringDialog::Source::Vault, context());
    QVERIFY(with.selectFormat(Format::Alchemy));
    const QString code = with.snippetView()->toPlainText();
    QVERIFY(code.contains(QLatin1String("WorkspaceRef(\"Acme\")")));
    QVERIFY(code.contains(QLatin1String("project: \"proj_3Fw8\",\n  database: \"db_9Kx4\",\n  name: \"web-app\",")));
    QVERIFY(with.selectFormat(Format::AlchemyHyperdrive));
    QVERIFY(
        with.snippetView()->toPlainText().contains(QLatin1String("origin: connection.connectionString.unencrypted")));
}

void TestConnectDialogSnippets::screenshot_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("file");
    QTest::newRow("prisma light") << int(Format::PrismaClient) << false << QStringLiteral("connect-prisma-light.png");
    QTest::newRow("prisma dark") << int(Format::PrismaClient) << true << QStringLiteral("connect-prisma-dark.png");
    QTest::newRow("alchemy light") << int(Format::Alchemy) << false << QStringLiteral("connect-alchemy-light.png");
    QTest::newRow("alchemy dark") << int(Format::Alchemy) << true << QStringLiteral("connect-alchemy-dark.png");
}

void TestConnectDialogSnippets::screenshot()
{
    QFETCH(int, format);
    QFETCH(bool, dark);
    QFETCH(QString, file);
    const QString dir = qEnvironmentVariableIsEmpty("PPG_SCREENSHOT_DIR") ? QStringLiteral(PPG_SCREENSHOT_DEFAULT_DIR)
                                                                          : qEnvironmentVariable("PPG_SCREENSHOT_DIR");
    QVERIFY(QDir().mkpath(dir));
    applyColorScheme(dark ? QStringLiteral("dark") : QStringLiteral("light"));
    SecretClipboard clipboard;
    ConnectionStringDialog dialog(QStringLiteral("Connection “web-app”"), fixture(), &clipboard, nullptr,
        ConnectionStringDialog::Source::Vault, context());
    QVERIFY(dialog.selectFormat(Format(format)));
    const QSize size(760, 520);
    dialog.resize(size);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::qWait(50);
    QCOMPARE(dialog.size(), size); // the layout fits in it
    const QString path = QDir(dir).filePath(file);
    QFile::remove(path);
    QVERIFY2(dialog.grab().save(path), qPrintable(path));

    const QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path));
    const ImageStats stats = imageStats(image);
    qInfo("%s: %s", qPrintable(file), qPrintable(stats.describe()));
    QCOMPARE(image.size(), size);
    QVERIFY2(stats.colours >= 100, qPrintable(stats.describe()));
    if (dark)
        QVERIFY2(stats.backgroundLuminance < 0.3, qPrintable(stats.describe()));
    else
        QVERIFY2(stats.backgroundLuminance > 0.7, qPrintable(stats.describe()));
    // The code view is drawn in full: no scroll bar, as a reader of the README sees all of it.
    QVERIFY(!dialog.snippetView()->verticalScrollBar()->isVisible());
    QVERIFY(!dialog.snippetView()->horizontalScrollBar()->isVisible());
    QVERIFY(!containsSecret(dialog.snippetView()->toPlainText()));
}

QTEST_MAIN(TestConnectDialogSnippets)
#include "tst_connectdialogsnippets.moc"
