// tst_fuzzymatch: the command palette's matcher (app/fuzzymatch.h), pure: which texts match, which
// letters are reported as matched (the palette bolds them), and the order it ranks candidates in.
#include "fuzzymatch.h"

#include <QTest>

#include <algorithm>

class TestFuzzyMatch : public QObject
{
    Q_OBJECT
private slots:
    void matchesInOrderIgnoringCase_data();
    void matchesInOrderIgnoringCase();
    void positionsOfTheMatchedLetters_data();
    void positionsOfTheMatchedLetters();
    void ranking_data();
    void ranking();
};

void TestFuzzyMatch::matchesInOrderIgnoringCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("matches");
    QTest::newRow("empty pattern") << "shop-prod"
                                   << "" << true;
    QTest::newRow("run") << "shop-prod"
                         << "prod" << true;
    QTest::newRow("case") << "shop-prod"
                          << "SHOP" << true;
    QTest::newRow("scattered") << "New database in shop-prod"
                               << "ndbsp" << true;
    QTest::newRow("out of order") << "shop-prod"
                                  << "dorp" << false;
    QTest::newRow("missing letter") << "shop-prod"
                                    << "shopx" << false;
    QTest::newRow("longer than text") << "ci"
                                      << "cicd" << false;
    QTest::newRow("non-ASCII folded") << "Ärger-DB"
                                      << "ärger" << true;
    QTest::newRow("id") << "db_01HZX3Q8"
                        << "01hzx" << true;
}

void TestFuzzyMatch::matchesInOrderIgnoringCase()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    QFETCH(bool, matches);
    QCOMPARE(FuzzyMatch::score(text, pattern) >= 0, matches);
}

void TestFuzzyMatch::positionsOfTheMatchedLetters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QList<int>>("positions");
    QTest::newRow("run") << "shop-prod"
                         << "prod" << QList<int> { 5, 6, 7, 8 };
    // A run that starts a word rather than the first run.
    QTest::newRow("run at a word") << "prodshop prod"
                                   << "prod" << QList<int> { 0, 1, 2, 3 };
    QTest::newRow("later run at a word") << "reprod prod"
                                         << "prod" << QList<int> { 7, 8, 9, 10 };
    // Initials: "nd" takes the D of "database", not the d of "New".
    QTest::newRow("initials") << "New database in shop-prod"
                              << "nd" << QList<int> { 0, 4 };
    QTest::newRow("words") << "Show backups of main"
                           << "sbm" << QList<int> { 0, 5, 16 };
    QTest::newRow("camel") << "ConnectionString"
                           << "cs" << QList<int> { 0, 10 };
}

void TestFuzzyMatch::positionsOfTheMatchedLetters()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    QFETCH(QList<int>, positions);
    QList<int> got;
    QVERIFY(FuzzyMatch::score(text, pattern, &got) >= 0);
    QCOMPARE(got, positions);
    // Each reported letter is the pattern's, in order.
    for (int i = 0; i < got.size(); ++i)
        QCOMPARE(FuzzyMatch::fold(text[got[i]]), FuzzyMatch::fold(pattern[i]));
}

void TestFuzzyMatch::ranking_data()
{
    // Candidates listed best first for the pattern.
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("bestFirst");
    QTest::newRow("start of text beats a later word") << "shop" << QStringList { "shop-prod", "my shop", "workshop" };
    QTest::newRow("a run beats scattered letters") << "prod" << QStringList { "shop-prod", "p-r-o-d" };
    QTest::newRow("shorter first among equals") << "reporting" << QStringList { "reporting", "reporting-archive-2023" };
    QTest::newRow("initials beat letters inside words") << "nd" << QStringList { "New database in blog", "Send it" };
    QTest::newRow("word starts beat inner letters") << "sb" << QStringList { "Show backups", "jobs board" };
}

void TestFuzzyMatch::ranking()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, bestFirst);
    for (int i = 0; i + 1 < bestFirst.size(); ++i) {
        const int a = FuzzyMatch::score(bestFirst[i], pattern);
        const int b = FuzzyMatch::score(bestFirst[i + 1], pattern);
        QVERIFY2(a >= 0 && b >= 0, qPrintable(bestFirst.join(u',')));
        QVERIFY2(a > b,
            qPrintable(QStringLiteral("\"%1\" (%2) should rank above \"%3\" (%4) for \"%5\"")
                           .arg(bestFirst[i])
                           .arg(a)
                           .arg(bestFirst[i + 1])
                           .arg(b)
                           .arg(pattern)));
    }
}

QTEST_APPLESS_MAIN(TestFuzzyMatch)
#include "tst_fuzzymatch.moc"
