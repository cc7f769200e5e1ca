// The create dialogs: inline validation with the reason beside the field, Create enabled only for
// valid input, unavailable regions visible but not selectable, and one click = one request.
#include "createresourcedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

class TestCreateResourceDialog : public QObject
{
    Q_OBJECT
private slots:
    void validation_data();
    void validation();
    void doubleClickCreatesOnce();
    void unavailableRegionsCannotBePicked();
    void projectDefaults();
};

void TestCreateResourceDialog::validation_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("reason"); // what the user reads beside the field
    QTest::newRow("empty") << QString() << false << QString(); // nothing said before the user types
    QTest::newRow("spaces only") << QStringLiteral("   ") << false << QStringLiteral("Enter a name.");
    QTest::newRow("plain") << QStringLiteral("shop-prod") << true << QString();
    QTest::newRow("unicode") << QStringLiteral("Bücher 本") << true << QString();
    QTest::newRow("100 chars") << QString(100, QLatin1Char('a')) << true << QString();
    QTest::newRow("101 chars") << QString(101, QLatin1Char('a')) << false
                               << QStringLiteral("Use at most 100 characters.");
    QTest::newRow("control char") << QStringLiteral("bad\tname") << false
                                  << QStringLiteral("Control characters are not allowed.");
}

void TestCreateResourceDialog::validation()
{
    QFETCH(QString, typed);
    QFETCH(bool, valid);
    QFETCH(QString, reason);
    for (auto kind : { ResourceKind::Project, ResourceKind::Database, ResourceKind::Connection }) {
        CreateResourceDialog dialog(kind);
        dialog.show();
        bool ascii = true;
        for (QChar ch : typed)
            ascii &= ch.unicode() >= 32 && ch.unicode() < 127;
        if (ascii)
            QTest::keyClicks(dialog.nameEdit(), typed); // as typed, key by key
        else
            dialog.nameEdit()->setText(typed); // QTest cannot type non-ASCII or control keys
        QCOMPARE(dialog.createButton()->isEnabled(), valid);
        // The reason stands beside the field, word for word; a valid or untouched name has none.
        QStringList shown;
        for (const QLabel *l : dialog.findChildren<QLabel *>()) {
            if (l->isVisible() && l->text().endsWith(QLatin1Char('.')))
                shown << l->text();
        }
        if (!valid && !typed.isEmpty()) {
            QVERIFY2(shown.contains(reason), qPrintable(shown.join(QLatin1String(" | "))));
        } else {
            for (const QString &r : { QStringLiteral("Enter a name."), QStringLiteral("Use at most 100 characters."),
                     QStringLiteral("Control characters are not allowed.") })
                QVERIFY2(!shown.contains(r), qPrintable(r));
        }
    }
}

void TestCreateResourceDialog::doubleClickCreatesOnce()
{
    CreateResourceDialog dialog(ResourceKind::Connection);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("ci"));
    QVERIFY(dialog.createButton()->isEnabled());
    QTest::mouseClick(dialog.createButton(), Qt::LeftButton);
    QVERIFY(!dialog.createButton()->isEnabled()); // off at once: a second click cannot send again
    QTest::mouseClick(dialog.createButton(), Qt::LeftButton);
    QTest::keyClick(&dialog, Qt::Key_Return);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(dialog.name(), QStringLiteral("ci"));
}

void TestCreateResourceDialog::unavailableRegionsCannotBePicked()
{
    CreateResourceDialog dialog(ResourceKind::Project);
    Region frankfurt;
    frankfurt.id = QStringLiteral("eu-central-1");
    frankfurt.name = QStringLiteral("Europe (Frankfurt)");
    frankfurt.available = true;
    Region west;
    west.id = QStringLiteral("us-west-1");
    west.name = QStringLiteral("US West");
    west.available = false;
    dialog.setRegions({ frankfurt, west });
    auto *combo = dialog.findChild<QComboBox *>();
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3); // service default + both regions: the unavailable one is shown
    auto *model = qobject_cast<QStandardItemModel *>(combo->model());
    QVERIFY(model->item(1)->isEnabled());
    QVERIFY(!model->item(2)->isEnabled());
    QVERIFY(combo->itemText(2).contains(QStringLiteral("unavailable")));
    combo->setCurrentIndex(1);
    QCOMPARE(dialog.region(), QStringLiteral("eu-central-1"));
}

void TestCreateResourceDialog::projectDefaults()
{
    CreateResourceDialog project(ResourceKind::Project);
    QVERIFY(project.createDatabase()); // a default database, on by default
    CreateResourceDialog database(ResourceKind::Database);
    QVERIFY(!database.makeDefault());
    QCOMPARE(database.region(), QString()); // "same as the project"
}

QTEST_MAIN(TestCreateResourceDialog)
#include "tst_createresourcedialog.moc"
