// The English catalogue gives the console's texts their plural forms ("1 day ago", "2 days
// ago") whatever the system's locale, through installConsoleTranslator() as main() calls it.
// Fails when the catalogue is not installed (the source texts read "1 day(s) ago") or when a
// numerus form is missing.

#include "detailspane.h"
#include "translations.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QTest>

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void englishPlurals_data();
    void englishPlurals();
};

void TestTranslations::initTestCase()
{
    // A locale without a catalogue of its own: the English one is the fallback.
    QLocale::setDefault(QLocale(QLocale::C));
    const QString loaded = installConsoleTranslator(*QCoreApplication::instance());
    QCOMPARE(loaded, QStringLiteral(":/i18n/ppg-console_en.qm"));
}

void TestTranslations::englishPlurals_data()
{
    QTest::addColumn<qint64>("secondsAgo");
    QTest::addColumn<QString>("expected");
    QTest::newRow("1 minute") << qint64(60) << QStringLiteral("1 minute ago");
    QTest::newRow("5 minutes") << qint64(300) << QStringLiteral("5 minutes ago");
    QTest::newRow("1 hour") << qint64(3600) << QStringLiteral("1 hour ago");
    QTest::newRow("1 day") << qint64(86400) << QStringLiteral("1 day ago");
    QTest::newRow("2 days") << qint64(2 * 86400) << QStringLiteral("2 days ago");
    QTest::newRow("3 months") << qint64(90 * 86400) << QStringLiteral("3 months ago");
    QTest::newRow("2 years") << qint64(800 * 86400) << QStringLiteral("2 years ago");
}

void TestTranslations::englishPlurals()
{
    QFETCH(qint64, secondsAgo);
    QFETCH(QString, expected);
    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-02T12:00:00Z"), Qt::ISODate);
    QCOMPARE(DetailsPane::relativeTime(now.addSecs(-secondsAgo), now), expected);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
