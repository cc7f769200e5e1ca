// ConsoleLink (issue 18, links): the text Copy Link gives and what ppg-console accepts as its
// argument. Pure: round trips through percent-encoding (spaces, "&", "=", "+", "#", "%", non-ASCII
// names), the shapes accepted, and every malformed link refused with words that say why.
#include "consolelink.h"

#include <QTest>

class TestConsoleLink : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void acceptsCaseAndSlash();
    void refusesMalformed_data();
    void refusesMalformed();
    void looksLikeLink();
};

void TestConsoleLink::roundTrip_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("staging") << QStringLiteral("db_123")
                           << QStringLiteral("ppg-console://open?profile=staging&id=db_123");
    QTest::newRow("space") << QStringLiteral("Local sandbox") << QStringLiteral("proj_a-b")
                           << QStringLiteral("ppg-console://open?profile=Local%20sandbox&id=proj_a-b");
    QTest::newRow("delimiters") << QStringLiteral("a&id=db_evil+b#c%d") << QStringLiteral("con_1")
                                << QStringLiteral("ppg-console://open?profile=a%26id%3Ddb_evil%2Bb%23c%25d&id=con_1");
    QTest::newRow("non-ASCII") << QStringLiteral("Ünïcode 生产") << QStringLiteral("wksp_9")
                               << QStringLiteral("ppg-console://open?profile=%C3%9Cn%C3%AFcode%20%E7%94%9F%E4%BA%A7"
                                                 "&id=wksp_9");
}

void TestConsoleLink::roundTrip()
{
    QFETCH(QString, profile);
    QFETCH(QString, id);
    QFETCH(QString, text);
    const ConsoleLink link { profile, id };
    QCOMPARE(link.toString(), text);
    QString error;
    const auto parsed = ConsoleLink::parse(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->profile, profile);
    QCOMPARE(parsed->id, id);
}

void TestConsoleLink::acceptsCaseAndSlash()
{
    QString error;
    const auto link = ConsoleLink::parse(QStringLiteral("  PPG-Console://OPEN/?id=db_1&profile=p  "), &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->profile, QStringLiteral("p"));
    QCOMPARE(link->id, QStringLiteral("db_1"));
}

void TestConsoleLink::refusesMalformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("says");
    QTest::newRow("other scheme") << QStringLiteral("https://open?profile=p&id=db_1")
                                  << QStringLiteral("not a console link");
    QTest::newRow("other host") << QStringLiteral("ppg-console://delete?profile=p&id=db_1")
                                << QStringLiteral("does not know this kind");
    QTest::newRow("a path") << QStringLiteral("ppg-console://open/db_1?profile=p&id=db_1")
                            << QStringLiteral("does not know this kind");
    QTest::newRow("user info") << QStringLiteral("ppg-console://u:pw@open?profile=p&id=db_1")
                               << QStringLiteral("does not know this kind");
    QTest::newRow("fragment") << QStringLiteral("ppg-console://open?profile=p&id=db_1#x")
                              << QStringLiteral("does not know this kind");
    QTest::newRow("no profile") << QStringLiteral("ppg-console://open?id=db_1") << QStringLiteral("names no profile");
    QTest::newRow("blank profile") << QStringLiteral("ppg-console://open?profile=%20&id=db_1")
                                   << QStringLiteral("names no profile");
    QTest::newRow("no id") << QStringLiteral("ppg-console://open?profile=p") << QStringLiteral("names no resource");
    QTest::newRow("empty id") << QStringLiteral("ppg-console://open?profile=p&id=")
                              << QStringLiteral("names no resource");
    QTest::newRow("two ids") << QStringLiteral("ppg-console://open?profile=p&id=db_1&id=db_2")
                             << QStringLiteral("names its id twice");
    QTest::newRow("an action") << QStringLiteral("ppg-console://open?profile=p&id=db_1&action=delete")
                               << QStringLiteral("carries “action”");
    QTest::newRow("a token") << QStringLiteral("ppg-console://open?profile=p&id=db_1&token=secret")
                             << QStringLiteral("carries “token”");
    QTest::newRow("id with slash") << QStringLiteral("ppg-console://open?profile=p&id=db%2F..%2Fx")
                                   << QStringLiteral("is not a resource id");
    QTest::newRow("control character") << QStringLiteral("ppg-console://open?profile=a%0Ab&id=db_1")
                                       << QStringLiteral("control characters");
    QTest::newRow("not a URL") << QStringLiteral("ppg-console://open?profile=p&id=db_1 x y")
                               << QStringLiteral("not a valid URL");
    QTest::newRow("empty") << QString() << QStringLiteral("not a console link");
}

void TestConsoleLink::refusesMalformed()
{
    QFETCH(QString, text);
    QFETCH(QString, says);
    QString error;
    const auto link = ConsoleLink::parse(text, &error);
    if (link)
        QFAIL(qPrintable(QStringLiteral("accepted: %1 / %2").arg(link->profile, link->id)));
    QVERIFY2(error.contains(says), qPrintable(error));
}

void TestConsoleLink::looksLikeLink()
{
    QVERIFY(ConsoleLink::looksLikeLink(QStringLiteral("ppg-console://open")));
    QVERIFY(ConsoleLink::looksLikeLink(QStringLiteral("PPG-CONSOLE:x")));
    QVERIFY(!ConsoleLink::looksLikeLink(QStringLiteral("ppg-consolex://open")));
    QVERIFY(!ConsoleLink::looksLikeLink(QStringLiteral("--profile")));
}

QTEST_GUILESS_MAIN(TestConsoleLink)
#include "tst_consolelink.moc"
