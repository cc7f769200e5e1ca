#include "translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <QTranslator>

QString installConsoleTranslator(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    const QString name = QStringLiteral("ppg-console");
    const QString dir = QStringLiteral(":/i18n");
    if (translator->load(QLocale(), name, QStringLiteral("_"), dir)
        || translator->load(name + QStringLiteral("_en"), dir)) {
        QCoreApplication::installTranslator(translator);
        return translator->filePath();
    }
    delete translator;
    return {};
}
