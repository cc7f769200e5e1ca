#include "colorscheme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <initializer_list>
#include <utility>

void applyColorScheme(const QString &scheme)
{
    if (scheme != QLatin1String("light") && scheme != QLatin1String("dark"))
        return;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (scheme == QLatin1String("light")) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(45, 47, 51), base(30, 31, 34), text(225, 227, 230), disabled(120, 122, 126);
    for (auto [role, colour] : std::initializer_list<std::pair<QPalette::ColorRole, QColor>> {
             { QPalette::Window, window }, { QPalette::WindowText, text }, { QPalette::Base, base },
             { QPalette::AlternateBase, window }, { QPalette::ToolTipBase, base }, { QPalette::ToolTipText, text },
             { QPalette::Text, text }, { QPalette::Button, window }, { QPalette::ButtonText, text },
             { QPalette::Highlight, QColor(49, 130, 206) }, { QPalette::HighlightedText, Qt::white },
             { QPalette::Link, QColor(99, 179, 237) }, { QPalette::PlaceholderText, disabled } })
        p.setColor(role, colour);
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    QApplication::setPalette(p);
}
