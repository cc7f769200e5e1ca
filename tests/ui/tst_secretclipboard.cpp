// SecretClipboard: the hint types are on the QMimeData the clipboard holds; the clipboard is
// cleared after the delay only if it still holds our secret; the countdown; clearing on
// destruction. In-process under the offscreen platform, and from a second process over a real X
// server (xvfb-run): this binary re-launches itself as a writer (owns the X clipboard) and a
// reader (asks for the TARGETS like any clipboard manager would).
#include "secretclipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

const QString kSecret = QStringLiteral("postgres://app:p%40ss%3Aw@db.example:5432/postgres?sslmode=require");

QClipboard *clipboard()
{
    return QGuiApplication::clipboard();
}

// --- helper modes for the X11 test ----------------------------------------------------------

// Prints what another X client sees on the clipboard: one "FORMAT <mime>" line per type, the
// hint's value and whether the text matches $PPG_EXPECT_TEXT (never the text itself).
int readerMain(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    if (!data) {
        std::printf("NODATA\n");
        return 0;
    }
    for (const QString &f : data->formats())
        std::printf("FORMAT %s\n", qPrintable(f));
    if (data->hasFormat(QStringLiteral("x-kde-passwordManagerHint")))
        std::printf("HINT %s\n", data->data(QStringLiteral("x-kde-passwordManagerHint")).constData());
    std::printf("TEXT_MATCHES %d\n", data->text() == qEnvironmentVariable("PPG_EXPECT_TEXT") ? 1 : 0);
    std::fflush(stdout);
    return 0;
}

// Owns the clipboard (xcb), runs the reader while the secret is there, then again after the
// 2-second clear. Prints "PHASE 1" / "PHASE 2" and the reader's output.
int writerMain(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    SecretClipboard secret;
    secret.setClearAfter(2);
    secret.copySecret(kSecret);
    qputenv("PPG_EXPECT_TEXT", kSecret.toUtf8());
    int exitCode = 0;
    auto runReader = [&](const char *phase, std::function<void()> next) {
        auto *p = new QProcess(&app);
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(p, &QProcess::finished, &app, [p, phase, next, &exitCode](int code, QProcess::ExitStatus st) {
            std::printf("PHASE %s\n%s", phase, p->readAllStandardOutput().constData());
            if (code != 0 || st != QProcess::NormalExit)
                exitCode = 2;
            // xclip, when installed, is a reader that has nothing to do with Qt.
            const QString xclip = QStandardPaths::findExecutable(QStringLiteral("xclip"));
            if (!xclip.isEmpty()) {
                QProcess x;
                x.start(xclip,
                    { QStringLiteral("-o"), QStringLiteral("-selection"), QStringLiteral("clipboard"),
                        QStringLiteral("-t"), QStringLiteral("TARGETS") });
                // xclip asks us (the owner) for TARGETS: keep serving events while it runs.
                while (!x.waitForFinished(50))
                    QCoreApplication::processEvents();
                for (const QByteArray &line : x.readAllStandardOutput().split('\n')) {
                    if (!line.isEmpty())
                        std::printf("XCLIP %s\n", line.constData());
                }
            }
            std::fflush(stdout);
            p->deleteLater();
            next();
        });
        p->start(QCoreApplication::applicationFilePath(), { QStringLiteral("--x11-reader") });
    };
    runReader("1", [&] { QTimer::singleShot(3500, &app, [&] { runReader("2", [&] { app.exit(exitCode); }); }); });
    QTimer::singleShot(60000, &app, [&] { app.exit(3); });
    return app.exec();
}

} // namespace

class TestSecretClipboard : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void hintTypesOnTheClipboard();
    void clearedWhenUnchanged();
    void othersTextStays();
    void othersTextStaysEvenIfChangedJustBeforeTheEnd();
    void countdownCountsDown();
    void zeroKeepsUntilQuit();
    void newCopyWithZeroStopsTheCountdown();
    void destructionClearsOnlyOurs();
    void secondProcessUnderXvfb();
};

void TestSecretClipboard::init()
{
    clipboard()->clear();
}

void TestSecretClipboard::hintTypesOnTheClipboard()
{
    SecretClipboard secret;
    secret.copySecret(kSecret);
    const QMimeData *data = clipboard()->mimeData();
    QVERIFY(data);
    const QStringList formats = data->formats();
    QVERIFY(formats.contains(QStringLiteral("text/plain")));
    for (const QString &hint : SecretClipboard::hintTypes())
        QVERIFY2(formats.contains(hint), qPrintable(hint));
    QCOMPARE(SecretClipboard::hintTypes(),
        (QStringList { QStringLiteral("x-kde-passwordManagerHint"),
            QStringLiteral("application/x-nspasteboard-concealed-type"),
            QStringLiteral("ExcludeClipboardContentFromMonitorProcessing") }));
    QCOMPARE(data->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
    QVERIFY(data->text() == kSecret);
    QVERIFY(secret.holdsOurSecret());
}

void TestSecretClipboard::clearedWhenUnchanged()
{
    SecretClipboard secret;
    secret.setClearAfter(1);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    secret.copySecret(kSecret);
    QVERIFY(finished.wait(3000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(clipboard()->text().isEmpty());
    QVERIFY(!secret.holdsOurSecret());
    QCOMPARE(secret.secondsLeft(), 0);
}

void TestSecretClipboard::othersTextStays()
{
    SecretClipboard secret;
    secret.setClearAfter(1);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    clipboard()->setText(QStringLiteral("someone else's text"));
    QTest::qWait(1600); // past the moment the timer fires
    QCOMPARE(clipboard()->text(), QStringLiteral("someone else's text"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QVERIFY(!secret.holdsOurSecret());
    secret.clearIfOurs(); // not ours: untouched
    QCOMPARE(clipboard()->text(), QStringLiteral("someone else's text"));
}

void TestSecretClipboard::othersTextStaysEvenIfChangedJustBeforeTheEnd()
{
    // The replacement arrives without a dataChanged we could see (e.g. another process on a
    // platform that does not report it): the tick itself must notice.
    SecretClipboard secret;
    secret.setClearAfter(2);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    secret.copySecret(kSecret);
    QTest::qWait(1200);
    {
        const QSignalBlocker blocker(clipboard()); // hide dataChanged from SecretClipboard
        clipboard()->setText(QStringLiteral("copied later"));
    }
    QVERIFY(finished.wait(3000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(clipboard()->text(), QStringLiteral("copied later"));
}

void TestSecretClipboard::countdownCountsDown()
{
    SecretClipboard secret;
    secret.setClearAfter(2);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    QCOMPARE(secret.secondsLeft(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(countdown.size(), 3, 4000);
    QCOMPARE(countdown.at(0).at(0).toInt(), 2);
    QCOMPARE(countdown.at(1).at(0).toInt(), 1);
    QCOMPARE(countdown.at(2).at(0).toInt(), 0);
    QVERIFY(clipboard()->text().isEmpty());
}

void TestSecretClipboard::zeroKeepsUntilQuit()
{
    SecretClipboard secret;
    secret.setClearAfter(0);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    QTest::qWait(1300);
    QVERIFY(clipboard()->text() == kSecret);
    QCOMPARE(countdown.size(), 0);
    secret.clearIfOurs(); // what aboutToQuit runs
    QVERIFY(clipboard()->text().isEmpty());
}

void TestSecretClipboard::newCopyWithZeroStopsTheCountdown()
{
    SecretClipboard secret;
    secret.setClearAfter(5);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    secret.setClearAfter(0);
    secret.copySecret(kSecret + QLatin1Char('2'));
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QCOMPARE(secret.secondsLeft(), 0);
    QTest::qWait(1300);
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QVERIFY(clipboard()->text() == kSecret + QLatin1Char('2'));
}

void TestSecretClipboard::destructionClearsOnlyOurs()
{
    {
        SecretClipboard secret;
        secret.copySecret(kSecret);
    }
    QVERIFY(clipboard()->text().isEmpty());
    {
        SecretClipboard secret;
        secret.copySecret(kSecret);
        clipboard()->setText(QStringLiteral("mine"));
    }
    QCOMPARE(clipboard()->text(), QStringLiteral("mine"));
}

void TestSecretClipboard::secondProcessUnderXvfb()
{
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (xvfbRun.isEmpty())
        QSKIP("xvfb-run is not installed");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(xvfbRun,
        { QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 640x480x24 -nolisten tcp"),
            QCoreApplication::applicationFilePath(), QStringLiteral("--x11-writer") });
    QVERIFY(p.waitForFinished(90000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    const auto phase2at = out.indexOf(QLatin1String("PHASE 2"));
    QVERIFY2(out.startsWith(QLatin1String("PHASE 1")) && phase2at > 0, qPrintable(out));
    const QString phase1 = out.left(phase2at);
    const QString phase2 = out.mid(phase2at);
    // While the secret is there, another X client sees the text and every hint type.
    QVERIFY2(phase1.contains(QLatin1String("TEXT_MATCHES 1")), qPrintable(phase1));
    QVERIFY2(phase1.contains(QLatin1String("HINT secret")), qPrintable(phase1));
    for (const QString &hint : SecretClipboard::hintTypes())
        QVERIFY2(phase1.contains(QLatin1String("FORMAT ") + hint), qPrintable(hint));
    if (phase1.contains(QLatin1String("XCLIP ")))
        QVERIFY2(phase1.contains(QLatin1String("XCLIP x-kde-passwordManagerHint")), qPrintable(phase1));
    else
        qInfo("xclip is not installed: the TARGETS were read by a second Qt process only");
    // After the clear time, nothing is left for it.
    QVERIFY2(!phase2.contains(QLatin1String("TEXT_MATCHES 1")), qPrintable(phase2));
    QVERIFY2(!phase2.contains(QLatin1String("HINT secret")), qPrintable(phase2));
}

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--x11-reader") == 0)
        return readerMain(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], "--x11-writer") == 0)
        return writerMain(argc, argv);
    QGuiApplication app(argc, argv);
    TestSecretClipboard test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretclipboard.moc"
