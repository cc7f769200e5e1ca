// SecretClipboard: the hint types are on the QMimeData the clipboard holds; the clipboard is
// cleared after the delay only if it still holds our secret; the countdown; clearing on
// destruction. In-process under the offscreen platform, and from a second process over a real X
// server (xvfb-run): this binary re-launches itself as a writer (owns the X clipboard) and a
// reader (asks for the TARGETS like any clipboard manager would), and xclip as a reader that has
// nothing to do with Qt. The countdown runs on a short tick (setTickInterval) and the tests wait for
// its signals or for a timer that fires after the ticks, never for a guessed wall-clock time.
#include "requiredtool.h"
#include "secretclipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <functional>

using namespace std::chrono_literals;

namespace {

const QString kSecret = QStringLiteral("postgres://app:p%40ss%3Aw@db.example:5432/postgres?sslmode=require");
constexpr std::chrono::milliseconds kTick = 100ms; // one countdown "second" in these tests

// The hint types as other programs look for them (not as SecretClipboard lists them).
const QStringList kHintTypes { QStringLiteral("x-kde-passwordManagerHint"),
    QStringLiteral("application/x-nspasteboard-concealed-type"),
    QStringLiteral("ExcludeClipboardContentFromMonitorProcessing") };

// Runs the event loop until `ticks` steps of `secret`'s countdown have surely passed, measured by a
// timer of this thread that is due half a tick after them: Qt fires a thread's timers in the order
// they are due, so every tick due before it has run when it fires, however loaded the machine.
void waitPastTicks(const SecretClipboard &secret, int ticks)
{
    QTimer sentinel;
    sentinel.setSingleShot(true);
    sentinel.setTimerType(Qt::PreciseTimer);
    QEventLoop loop;
    QObject::connect(&sentinel, &QTimer::timeout, &loop, &QEventLoop::quit);
    sentinel.start(secret.tickInterval() * ticks + secret.tickInterval() / 2);
    loop.exec();
}

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

// Owns the clipboard (xcb), runs the reader while the secret is there, then lets the countdown run
// (two ticks of 100 ms) and runs the reader again once it has cleared the clipboard. Prints
// "PHASE 1" / "PHASE 2", the reader's output, and xclip's ("XCLIP-MISSING" without xclip).
int writerMain(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    SecretClipboard secret;
    secret.setClearAfter(2);
    secret.setTickInterval(std::chrono::hours(1)); // no tick before the first reader has looked
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
            if (xclip.isEmpty())
                std::printf("XCLIP-MISSING\n");
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
    runReader("1", [&] {
        QObject::connect(
            &secret, &SecretClipboard::finished, &app,
            [&](bool clearedByUs) {
                if (!clearedByUs)
                    exitCode = 4;
                runReader("2", [&] { app.exit(exitCode); });
            },
            Qt::SingleShotConnection);
        secret.setTickInterval(kTick); // restarts the countdown's timer: two ticks, then the clear
    });
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
    void defaults();
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
    for (const QString &hint : kHintTypes)
        QVERIFY2(formats.contains(hint), qPrintable(hint));
    QCOMPARE(SecretClipboard::hintTypes(),
        (QStringList { QStringLiteral("x-kde-passwordManagerHint"),
            QStringLiteral("application/x-nspasteboard-concealed-type"),
            QStringLiteral("ExcludeClipboardContentFromMonitorProcessing") }));
    QCOMPARE(data->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
    QVERIFY(data->text() == kSecret);
    QVERIFY(secret.holdsOurSecret());
}

void TestSecretClipboard::defaults()
{
    SecretClipboard secret;
    QCOMPARE(secret.clearAfter(), 30); // the clipboard is cleared after 30 seconds...
    QCOMPARE(secret.tickInterval(), std::chrono::milliseconds(1000)); // ...of 1000 ms each
}

void TestSecretClipboard::clearedWhenUnchanged()
{
    SecretClipboard secret;
    secret.setTickInterval(kTick);
    secret.setClearAfter(3);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    // Not before its time: after two of the three ticks the secret is still there.
    // (One signal at a time: QSignalSpy::wait() returns before the next tick can run.)
    while (countdown.size() < 3) // 3, 2, 1
        QVERIFY(countdown.wait(20000));
    QCOMPARE(countdown.size(), 3);
    QCOMPARE(countdown.last().at(0).toInt(), 1);
    QVERIFY(clipboard()->text() == kSecret);
    QVERIFY(finished.isEmpty());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(clipboard()->text().isEmpty());
    QVERIFY(!secret.holdsOurSecret());
    QCOMPARE(secret.secondsLeft(), 0);
}

void TestSecretClipboard::othersTextStays()
{
    SecretClipboard secret;
    secret.setTickInterval(kTick);
    secret.setClearAfter(1);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    clipboard()->setText(QStringLiteral("someone else's text"));
    waitPastTicks(secret, 2); // past the moment the timer would have fired
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
    secret.setTickInterval(kTick);
    secret.setClearAfter(2);
    QSignalSpy finished(&secret, &SecretClipboard::finished);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    QVERIFY(countdown.wait(20000)); // the first tick: one left, the next one is the end
    QCOMPARE(countdown.last().at(0).toInt(), 1);
    {
        const QSignalBlocker blocker(clipboard()); // hide dataChanged from SecretClipboard
        clipboard()->setText(QStringLiteral("copied later"));
    }
    QVERIFY(finished.isEmpty());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(clipboard()->text(), QStringLiteral("copied later"));
}

void TestSecretClipboard::countdownCountsDown()
{
    SecretClipboard secret;
    secret.setTickInterval(kTick);
    secret.setClearAfter(2);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    QCOMPARE(secret.secondsLeft(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(countdown.size(), 3, 20000);
    QCOMPARE(countdown.at(0).at(0).toInt(), 2);
    QCOMPARE(countdown.at(1).at(0).toInt(), 1);
    QCOMPARE(countdown.at(2).at(0).toInt(), 0);
    QVERIFY(clipboard()->text().isEmpty());
    waitPastTicks(secret, 2);
    QCOMPARE(countdown.size(), 3); // and then it is silent
}

void TestSecretClipboard::zeroKeepsUntilQuit()
{
    SecretClipboard secret;
    secret.setTickInterval(kTick);
    secret.setClearAfter(0);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    waitPastTicks(secret, 3);
    QVERIFY(clipboard()->text() == kSecret);
    QCOMPARE(countdown.size(), 0);
    secret.clearIfOurs(); // what aboutToQuit runs
    QVERIFY(clipboard()->text().isEmpty());
}

void TestSecretClipboard::newCopyWithZeroStopsTheCountdown()
{
    SecretClipboard secret;
    secret.setTickInterval(kTick);
    secret.setClearAfter(5);
    QSignalSpy countdown(&secret, &SecretClipboard::countdown);
    secret.copySecret(kSecret);
    secret.setClearAfter(0);
    secret.copySecret(kSecret + QLatin1Char('2'));
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QCOMPARE(secret.secondsLeft(), 0);
    waitPastTicks(secret, 6); // past the end of the first copy's countdown
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
    PPG_REQUIRE_TOOL(xvfbRun, "xvfb-run", "xvfb");
    PPG_REQUIRE_TOOL(xclip, "xclip", "xclip"); // the writer runs it as a reader outside Qt
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
    for (const QString &hint : kHintTypes)
        QVERIFY2(phase1.contains(QLatin1String("FORMAT ") + hint), qPrintable(hint));
    // And so does xclip, which has nothing to do with Qt.
    QVERIFY2(!out.contains(QLatin1String("XCLIP-MISSING")), qPrintable(out));
    for (const QString &hint : kHintTypes)
        QVERIFY2(phase1.contains(QLatin1String("XCLIP ") + hint), qPrintable(phase1));
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
