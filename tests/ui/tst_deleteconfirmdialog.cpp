// DeleteConfirmDialog as a user meets it (offscreen widgets, real key events).
#include "deleteconfirmdialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

class TestDeleteConfirmDialog : public QObject
{
    Q_OBJECT
private slots:
    void typedNameEnablesDelete();
    void cancelIsTheDefault();
    void connectionNeedsNoTyping();
    void listsWhatWillGo();
};

void TestDeleteConfirmDialog::typedNameEnablesDelete()
{
    DeleteConfirmDialog dialog(
        QStringLiteral("project"), QStringLiteral("shop-prod"), { QStringLiteral("Database “main”") }, true);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.nameEdit());
    QCOMPARE(dialog.deleteButton()->text(), QStringLiteral("Delete project"));
    QVERIFY(!dialog.deleteButton()->isEnabled());

    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("shop-pro"));
    QVERIFY2(!dialog.deleteButton()->isEnabled(), "a prefix is not the name");
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("d"));
    QVERIFY(dialog.deleteButton()->isEnabled());
    QTest::keyClick(dialog.nameEdit(), Qt::Key_Backspace);
    QVERIFY(!dialog.deleteButton()->isEnabled());
    dialog.nameEdit()->setText(QStringLiteral("SHOP-PROD"));
    QVERIFY2(!dialog.deleteButton()->isEnabled(), "the match is exact");
    dialog.nameEdit()->setText(QStringLiteral("shop-prod"));
    QTest::mouseClick(dialog.deleteButton(), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestDeleteConfirmDialog::cancelIsTheDefault()
{
    DeleteConfirmDialog dialog(QStringLiteral("database"), QStringLiteral("analytics"), {}, true);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.cancelButton()->isDefault());
    QVERIFY(!dialog.deleteButton()->isDefault());
    dialog.nameEdit()->setText(QStringLiteral("analytics"));
    // Enter after typing the name must not delete: Cancel stays the default.
    QTest::keyClick(dialog.nameEdit(), Qt::Key_Return);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestDeleteConfirmDialog::connectionNeedsNoTyping()
{
    DeleteConfirmDialog dialog(QStringLiteral("connection"), QStringLiteral("ci"), {}, false);
    QVERIFY(!dialog.nameEdit());
    QVERIFY(dialog.deleteButton()->isEnabled());
    QCOMPARE(dialog.deleteButton()->text(), QStringLiteral("Delete connection"));
    QVERIFY(dialog.cancelButton()->isDefault());
}

void TestDeleteConfirmDialog::listsWhatWillGo()
{
    DeleteConfirmDialog dialog(QStringLiteral("project"), QStringLiteral("shop"),
        { QStringLiteral("Database “main” with 2 connections"), QStringLiteral("Database “logs”") }, true);
    QString all;
    for (const QLabel *l : dialog.findChildren<QLabel *>())
        all += l->text();
    QVERIFY(all.contains(QStringLiteral("Database “main” with 2 connections")));
    QVERIFY(all.contains(QStringLiteral("Database “logs”")));
    QVERIFY(all.contains(QLatin1String("lose access")));
}

QTEST_MAIN(TestDeleteConfirmDialog)
#include "tst_deleteconfirmdialog.moc"
