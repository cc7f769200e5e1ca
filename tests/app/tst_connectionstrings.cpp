// ConnectionStrings: every format from fixture strings with hostile passwords, checked against
// libpq's own URI parser (PQconninfoParse) and a real POSIX shell. No test prints a fixture
// password on success; failure messages name the component, not its value.
#include "connectionstrings.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <libpq-fe.h>

#include <map>

using namespace ConnectionStrings;

namespace {

const QString kHostile = QString::fromUtf8("p@ss:w/rd?#%é密");
// What a masked secret looks like on screen: eight bullets (U+2022), whatever its length.
const QString kBullets = QString::fromUtf8("••••••••");
// Everything a password generator might produce, and then some.
const QString kNasty = QString::fromUtf8("p@ss:w/rd?#%é密 !$&'()*+,;=\"\\`[]{}|^<>~%41");

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// What the service sends: each component percent-encoded.
QString serviceUrl(const QString &user, const QString &password, const QString &host = QStringLiteral("db.prisma.io"),
    int port = 5432, const QString &db = QStringLiteral("postgres"),
    const QString &query = QStringLiteral("sslmode=require"))
{
    // Concatenated, not QString::arg(): an encoded password is full of "%3A"-like placeholders.
    return QLatin1String("postgres://") + enc(user) + QLatin1Char(':') + enc(password) + QLatin1Char('@') + host
        + QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + enc(db) + QLatin1Char('?') + query;
}

// libpq's reading of a connection string: keyword -> value (only the ones that are set).
std::map<QString, QString> libpqReads(const QString &conninfo, QString *error = nullptr)
{
    std::map<QString, QString> out;
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (!opts) {
        if (error)
            *error = QStringLiteral("libpq refused the string");
        PQfreemem(err);
        return out;
    }
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (o->val)
            out[QString::fromUtf8(o->keyword)] = QString::fromUtf8(o->val);
    }
    PQconninfoFree(opts);
    return out;
}

// Runs `script` with /bin/sh and returns its stdout.
QString runShell(const QString &script, const QString &workDir = {})
{
    QProcess sh;
    if (!workDir.isEmpty())
        sh.setWorkingDirectory(workDir);
    sh.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), script });
    sh.waitForFinished(10000);
    return QString::fromUtf8(sh.readAllStandardOutput());
}

Connection connectionWith(const QString &direct, const QString &pooled, const QString &accelerate)
{
    Connection c;
    c.id = QStringLiteral("con_1");
    c.name = QStringLiteral("app");
    if (!direct.isNull())
        c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, direct };
    if (!pooled.isNull())
        c.pooled = Endpoint { QStringLiteral("pooled.db.prisma.io"), 5432, pooled };
    if (!accelerate.isNull())
        c.accelerate = Endpoint { QStringLiteral("accelerate.prisma-data.net"), 443, accelerate };
    return c;
}

} // namespace

class TestConnectionStrings : public QObject
{
    Q_OBJECT
private slots:
    void parseDecodesEveryComponent_data();
    void parseDecodesEveryComponent();
    void handWrittenFixture();
    void libpqReadsBackExactly_data();
    void libpqReadsBackExactly();
    void emptyPasswordAndNoPassword();
    void ipv6Host();
    void plusIsNotASpace();
    void queryKeepsOrderAndEscapes();
    void strictParsingRefusesBrokenStrings_data();
    void strictParsingRefusesBrokenStrings();
    void maskedHidesTheSecret_data();
    void maskedHidesTheSecret();
    void dotEnvQuoting();
    void dotEnvLineReadsBackInAShell_data();
    void dotEnvLineReadsBackInAShell();
    void shellQuoting_data();
    void shellQuoting();
    void psqlCommandPassesTheExactUrl();
    void offersEveryFormat();
    void offersForAccelerateOnly();
    void offersForUnparseableString();
    void noStringNoOffers();
    void variableNames();
};

void TestConnectionStrings::parseDecodesEveryComponent_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("db");
    QTest::newRow("plain") << QStringLiteral("app") << QStringLiteral("secret") << QStringLiteral("postgres");
    QTest::newRow("hostile") << QStringLiteral("app") << kHostile << QStringLiteral("postgres");
    QTest::newRow("nasty") << QStringLiteral("us@er:x") << kNasty << QStringLiteral("my/db é");
    QTest::newRow("percent-literal") << QStringLiteral("u") << QStringLiteral("%41%25%") << QStringLiteral("d");
}

void TestConnectionStrings::parseDecodesEveryComponent()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, db);
    const auto u = parse(serviceUrl(user, password, QStringLiteral("db.prisma.io"), 5432, db));
    QVERIFY(u);
    QCOMPARE(u->scheme, QStringLiteral("postgres"));
    QCOMPARE(u->user, user);
    QVERIFY2(u->password == password, "password decoded exactly");
    QVERIFY(u->hasPassword);
    QCOMPARE(u->host, QStringLiteral("db.prisma.io"));
    QCOMPARE(u->port, 5432);
    QCOMPARE(u->database, db);
    QCOMPARE(u->sslmode(), QStringLiteral("require"));
    QVERIFY(u->isLibpqUrl());
    // Re-encoded and parsed again: the same components.
    const auto again = parse(u->toString());
    QVERIFY(again);
    QVERIFY2(again->password == password, "password survives toString()");
    QCOMPARE(again->user, user);
    QCOMPARE(again->database, db);
    QCOMPARE(again->toString(), u->toString());
}

void TestConnectionStrings::handWrittenFixture()
{
    // Written by hand, not by QUrl::toPercentEncoding, with lower-case escapes and an escaped
    // unreserved character (%7e), as another encoder might send them.
    const QString s
        = QStringLiteral("postgresql://app%40user:p%40ss%3aw%2frd%3F%23%25%C3%A9%e5%af%86%7e@db.prisma.io:5432/"
                         "postgres?sslmode=require");
    const auto u = parse(s);
    QVERIFY(u);
    QCOMPARE(u->user, QStringLiteral("app@user"));
    QVERIFY(u->password == kHostile + QLatin1Char('~'));
    QCOMPARE(u->toString(),
        QStringLiteral("postgresql://app%40user:p%40ss%3Aw%2Frd%3F%23%25%C3%A9%E5%AF%86~@db.prisma.io:5432/"
                       "postgres?sslmode=require"));
}

void TestConnectionStrings::libpqReadsBackExactly_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("hostile") << kHostile;
    QTest::newRow("nasty") << kNasty;
    QTest::newRow("spaces-and-quotes") << QStringLiteral("a b'c\"d");
}

void TestConnectionStrings::libpqReadsBackExactly()
{
    QFETCH(QString, password);
    const QString user = QStringLiteral("role@x:y");
    const QString db = QStringLiteral("shop/db");
    const QString original = serviceUrl(user, password, QStringLiteral("db.prisma.io"), 6543, db,
        QStringLiteral("sslmode=verify-full&application_name=my%20app"));
    const auto u = parse(original);
    QVERIFY(u);
    // Every URL the console hands out: canonical, and the ones inside the .env line and psql.
    const Connection c = connectionWith(original, original, {});
    const auto all = offers(c);
    QCOMPARE(all.size(), size_t(4));
    QStringList urls { u->toString(), canonical(original) };
    for (const Offer &o : all)
        urls << o.url;
    for (const QString &url : urls) {
        QString error;
        const auto opts = libpqReads(url, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(opts.at(QStringLiteral("user")), user);
        QVERIFY2(opts.at(QStringLiteral("password")) == password, "libpq reads the exact password");
        QCOMPARE(opts.at(QStringLiteral("host")), QStringLiteral("db.prisma.io"));
        QCOMPARE(opts.at(QStringLiteral("port")), QStringLiteral("6543"));
        QCOMPARE(opts.at(QStringLiteral("dbname")), db);
        QCOMPARE(opts.at(QStringLiteral("sslmode")), QStringLiteral("verify-full"));
        QCOMPARE(opts.at(QStringLiteral("application_name")), QStringLiteral("my app"));
    }
    // And the original, as the service sent it, reads the same (the fixture is sound).
    QVERIFY(libpqReads(original).at(QStringLiteral("password")) == password);
}

void TestConnectionStrings::emptyPasswordAndNoPassword()
{
    const auto empty = parse(QStringLiteral("postgres://u:@h/db"));
    QVERIFY(empty);
    QVERIFY(empty->hasPassword);
    QVERIFY(empty->password.isEmpty());
    QCOMPARE(empty->toString(), QStringLiteral("postgres://u:@h/db"));
    const auto none = parse(QStringLiteral("postgres://u@h/db"));
    QVERIFY(none);
    QVERIFY(!none->hasPassword);
    QCOMPARE(none->toString(), QStringLiteral("postgres://u@h/db"));
    QCOMPARE(none->toMaskedString(), QStringLiteral("postgres://u@h/db"));
    const auto bare = parse(QStringLiteral("postgres://h"));
    QVERIFY(bare);
    QCOMPARE(bare->toString(), QStringLiteral("postgres://h"));
}

void TestConnectionStrings::ipv6Host()
{
    const auto u = parse(QStringLiteral("postgres://u:p%40@[::1]:5432/db?sslmode=disable"));
    QVERIFY(u);
    QCOMPARE(u->host, QStringLiteral("::1"));
    QCOMPARE(u->toString(), QStringLiteral("postgres://u:p%40@[::1]:5432/db?sslmode=disable"));
    QCOMPARE(libpqReads(u->toString()).at(QStringLiteral("host")), QStringLiteral("::1"));
}

void TestConnectionStrings::plusIsNotASpace()
{
    const auto u = parse(QStringLiteral("postgres://u:a+b%2Bc@h/db"));
    QVERIFY(u);
    QVERIFY(u->password == QStringLiteral("a+b+c"));
    QVERIFY(libpqReads(u->toString()).at(QStringLiteral("password")) == QStringLiteral("a+b+c"));
}

void TestConnectionStrings::queryKeepsOrderAndEscapes()
{
    const auto u = parse(
        QStringLiteral("postgres://u:p@h/db?sslmode=require&options=-c%20search_path%3Da%26b&connect_timeout=5"));
    QVERIFY(u);
    QCOMPARE(u->query.size(), 3);
    QCOMPARE(u->query.at(0).first, QStringLiteral("sslmode"));
    QCOMPARE(u->query.at(1).second, QStringLiteral("-c search_path=a&b"));
    QCOMPARE(u->query.at(2).first, QStringLiteral("connect_timeout"));
    const auto opts = libpqReads(u->toString());
    QCOMPARE(opts.at(QStringLiteral("options")), QStringLiteral("-c search_path=a&b"));
    QCOMPARE(opts.at(QStringLiteral("connect_timeout")), QStringLiteral("5"));
    QCOMPARE(opts.at(QStringLiteral("sslmode")), QStringLiteral("require"));
}

void TestConnectionStrings::strictParsingRefusesBrokenStrings_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << QString();
    QTest::newRow("not-a-url") << QStringLiteral("host=h user=u password=secret");
    QTest::newRow("stray-percent") << QStringLiteral("postgres://u:p%zz@h/db");
    QTest::newRow("raw-hash") << QStringLiteral("postgres://u:p#w@h/db");
    QTest::newRow("multi-host") << QStringLiteral("postgres://u:p@h1:5432,h2:5433/db");
    QTest::newRow("nul") << QStringLiteral("postgres://u:p%00@h/db");
}

void TestConnectionStrings::strictParsingRefusesBrokenStrings()
{
    QFETCH(QString, input);
    QString error;
    QVERIFY(!parse(input, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(QLatin1String("secret")) && !error.contains(QLatin1String("p%zz")),
        "the reason never quotes the input");
    QCOMPARE(canonical(input), input); // offered unchanged
}

void TestConnectionStrings::maskedHidesTheSecret_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected");
    QTest::newRow("hostile")
        << serviceUrl(QStringLiteral("app"), kHostile) << kHostile
        << QStringLiteral("postgres://app:%1@db.prisma.io:5432/postgres?sslmode=require").arg(kBullets);
    QTest::newRow("query-password") << QStringLiteral("postgres://u@h/db?password=s3cr3t&sslmode=require")
                                    << QStringLiteral("s3cr3t")
                                    << QStringLiteral("postgres://u@h/db?password=%1&sslmode=require").arg(kBullets);
    QTest::newRow("accelerate")
        << QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=eyJhbGciOiJIUzI1NiJ9.abc-def_123")
        << QStringLiteral("eyJhbGciOiJIUzI1NiJ9")
        << QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=%1").arg(kBullets);
    QTest::newRow("unparseable") << QStringLiteral("postgres://u:s3cr3t@h1,h2/db") << QStringLiteral("s3cr3t")
                                 << QStringLiteral("postgres://%1").arg(kBullets);
}

void TestConnectionStrings::maskedHidesTheSecret()
{
    QFETCH(QString, url);
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    const QString m = masked(url);
    QCOMPARE(m, expected);
    QVERIFY(!m.contains(secret));
    QVERIFY(!m.contains(enc(secret)));
    QCOMPARE(maskDots(), kBullets); // eight U+2022, as the user sees them
}

void TestConnectionStrings::dotEnvQuoting()
{
    QCOMPARE(dotEnvValue(QStringLiteral("postgres://u:p%40@h/db?sslmode=require")),
        QStringLiteral("\"postgres://u:p%40@h/db?sslmode=require\""));
    QCOMPARE(dotEnvValue(QStringLiteral("a\"b\\c$d`e")), QStringLiteral("\"a\\\"b\\\\c\\$d\\`e\""));
    QCOMPARE(dotEnvValue(QStringLiteral("line1\nline2")), QStringLiteral("\"line1\\nline2\""));
    QCOMPARE(dotEnvLine(QStringLiteral("x")), QStringLiteral("DATABASE_URL=\"x\""));
    QCOMPARE(dotEnvLine(QStringLiteral("x"), QStringLiteral("DIRECT_URL")), QStringLiteral("DIRECT_URL=\"x\""));
    // A canonical URL never needs an escape, whatever the password.
    const QString url = canonical(serviceUrl(QStringLiteral("app"), kNasty));
    QCOMPARE(dotEnvValue(url), QLatin1Char('"') + url + QLatin1Char('"'));
}

void TestConnectionStrings::dotEnvLineReadsBackInAShell_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("canonical-hostile") << canonical(serviceUrl(QStringLiteral("app"), kNasty));
    QTest::newRow("raw-specials") << QString::fromUtf8("a\"b\\c$HOME`id`'d é密 !x");
}

void TestConnectionStrings::dotEnvLineReadsBackInAShell()
{
    // POSIX shell double quotes treat \" \\ \$ \` exactly as the .env convention does, so
    // `. file` is an independent reader of the line.
    QFETCH(QString, value);
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("x.env")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(dotEnvLine(value).toUtf8() + '\n');
    f.close();
    const QString out = runShell(QStringLiteral(". ./x.env; printf %s \"$DATABASE_URL\""), dir.path());
    QVERIFY2(out == value, "the shell reads the .env value back exactly");
}

void TestConnectionStrings::shellQuoting_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("url") << QStringLiteral("postgres://u:p%40@h/db?sslmode=require&x=1")
                         << QStringLiteral("\"postgres://u:p%40@h/db?sslmode=require&x=1\"");
    QTest::newRow("dollar") << QStringLiteral("a$b") << QStringLiteral("'a$b'");
    QTest::newRow("single-quote-and-dollar") << QStringLiteral("it's $x") << QStringLiteral("'it'\\''s $x'");
    QTest::newRow("bang") << QStringLiteral("a!b") << QStringLiteral("'a!b'");
    QTest::newRow("single-quote-only") << QStringLiteral("it's") << QStringLiteral("\"it's\"");
}

void TestConnectionStrings::shellQuoting()
{
    QFETCH(QString, value);
    QFETCH(QString, quoted);
    QCOMPARE(shellQuote(value), quoted);
    QCOMPARE(runShell(QStringLiteral("printf %s ") + quoted), value);
}

void TestConnectionStrings::psqlCommandPassesTheExactUrl()
{
    const QString url = canonical(serviceUrl(QStringLiteral("app"), kNasty));
    const QString cmd = psqlCommand(url);
    QCOMPARE(cmd, QStringLiteral("psql \"%1\"").arg(url));
    // The shell hands psql exactly the URL: replace psql by printf.
    const QString out = runShell(QStringLiteral("psql() { printf %s \"$1\"; }; ") + cmd);
    QVERIFY2(out == url, "the shell passes the URL unchanged");
    QVERIFY(libpqReads(out).at(QStringLiteral("password")) == kNasty);
}

void TestConnectionStrings::offersEveryFormat()
{
    const QString direct = serviceUrl(QStringLiteral("app"), kHostile);
    const QString pooled = serviceUrl(QStringLiteral("app"), kHostile, QStringLiteral("pooled.db.prisma.io"));
    const QString accelerate = QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=KEY.abc_def-1");
    const auto all = offers(connectionWith(direct, pooled, accelerate));
    QCOMPARE(all.size(), size_t(5));
    QCOMPARE(all[0].format, Format::Direct);
    QCOMPARE(all[1].format, Format::Pooled);
    QCOMPARE(all[2].format, Format::Accelerate);
    QCOMPARE(all[3].format, Format::DotEnv);
    QCOMPARE(all[4].format, Format::Psql);
    QCOMPARE(all[0].text, canonical(direct));
    QCOMPARE(all[1].text, canonical(pooled));
    QCOMPARE(all[2].text, accelerate);
    QCOMPARE(all[3].text, QStringLiteral("DATABASE_URL=\"%1\"").arg(canonical(direct)));
    QCOMPARE(all[3].url, canonical(direct));
    QCOMPARE(all[4].text, QStringLiteral("psql \"%1\"").arg(canonical(direct)));
    QCOMPARE(
        all[0].masked, QStringLiteral("postgres://app:%1@db.prisma.io:5432/postgres?sslmode=require").arg(kBullets));
    QCOMPARE(all[3].masked, QStringLiteral("DATABASE_URL=\"%1\"").arg(all[0].masked));
    QCOMPARE(all[4].masked, QStringLiteral("psql \"%1\"").arg(all[0].masked));
    QVERIFY(all[0].testable && all[1].testable && !all[2].testable && all[3].testable && all[4].testable);
    for (const Offer &o : all) {
        QVERIFY(!o.label.isEmpty());
        QVERIFY2(!o.masked.contains(QLatin1String("KEY")) && !o.masked.contains(enc(kHostile)), "masked is clean");
        QVERIFY(o.masked.contains(kBullets));
    }
}

void TestConnectionStrings::offersForAccelerateOnly()
{
    const QString accelerate = QStringLiteral("prisma+postgres://accelerate.prisma-data.net/?api_key=KEY");
    const auto all = offers(connectionWith({}, {}, accelerate));
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].format, Format::Accelerate);
    QCOMPARE(all[1].format, Format::DotEnv);
    QCOMPARE(all[1].text, QStringLiteral("DATABASE_URL=\"%1\"").arg(accelerate));
    QVERIFY(!all[1].testable);
}

void TestConnectionStrings::offersForUnparseableString()
{
    const QString odd = QStringLiteral("postgres://u:s3cr3t@h1:5432,h2:5432/db?sslmode=require");
    const auto all = offers(connectionWith(odd, {}, {}));
    QCOMPARE(all.size(), size_t(2)); // direct, .env; no psql for a string we cannot read
    QCOMPARE(all[0].text, odd);
    QVERIFY(!all[0].masked.contains(QLatin1String("s3cr3t")));
    QVERIFY(!all[1].masked.contains(QLatin1String("s3cr3t")));
    QCOMPARE(all[1].text, QStringLiteral("DATABASE_URL=\"%1\"").arg(odd));
}

void TestConnectionStrings::noStringNoOffers()
{
    Connection c;
    c.direct = Endpoint { QStringLiteral("db.prisma.io"), 5432, {} };
    c.pooled = Endpoint { QStringLiteral("pooled.db.prisma.io"), 5432, {} };
    QVERIFY(offers(c).empty());
    QVERIFY(offers(Connection {}).empty());
}

void TestConnectionStrings::variableNames()
{
    QVERIFY(isValidVariableName(QStringLiteral("DATABASE_URL")));
    QVERIFY(isValidVariableName(QStringLiteral("_x1")));
    QVERIFY(!isValidVariableName(QStringLiteral("1X")));
    QVERIFY(!isValidVariableName(QStringLiteral("A-B")));
    QVERIFY(!isValidVariableName(QStringLiteral("A B")));
    QVERIFY(!isValidVariableName(QString()));
}

QTEST_GUILESS_MAIN(TestConnectionStrings)
#include "tst_connectionstrings.moc"
