#include "aboutdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

#ifndef PPG_VERSION
#error "PPG_VERSION comes from the CMake project version (top-level CMakeLists.txt)"
#endif
#ifndef PPG_HOMEPAGE_URL
#define PPG_HOMEPAGE_URL "https://www.prisma.io/postgres"
#endif

namespace {
QString programName()
{
    const QString display = QGuiApplication::applicationDisplayName();
    return display.isEmpty() ? AboutDialog::tr("Prisma Postgres Console") : display;
}
} // namespace

QString AboutDialog::versionDetails()
{
    return tr("%1 %2\nQt %3 (built with %4)\n%5, %6")
        .arg(programName(), QStringLiteral(PPG_VERSION), QString::fromLatin1(qVersion()),
            QStringLiteral(QT_VERSION_STR), QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture());
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About %1").arg(programName()));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/ppg-console.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    icon->setAccessibleName(tr("Program icon"));

    const QString url = QStringLiteral(PPG_HOMEPAGE_URL);
    m_text = new QLabel(this);
    m_text->setTextFormat(Qt::RichText);
    m_text->setText(tr("<h2>%1</h2>"
                       "<p>Version %2</p>"
                       "<p>A desktop console for Prisma Postgres: workspaces, projects, databases and connections.</p>"
                       "<p>Built with Qt %3, running on Qt %4.</p>"
                       "<p>Released under the MIT License.</p>"
                       "<p><a href=\"%5\">%5</a></p>")
                        .arg(programName().toHtmlEscaped(), QStringLiteral(PPG_VERSION), QStringLiteral(QT_VERSION_STR),
                            QString::fromLatin1(qVersion()), url.toHtmlEscaped()));
    m_text->setWordWrap(true);
    m_text->setOpenExternalLinks(true);
    // Selectable text and a link reachable with Tab, opened with Enter.
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_text->setMinimumWidth(360);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copyButton = buttons->addButton(tr("&Copy Details"), QDialogButtonBox::ActionRole);
    m_copyButton->setToolTip(tr("Copy the version of the program and of Qt, for a bug report"));
    auto *aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::HelpRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copyButton, &QPushButton::clicked, this, [] { QGuiApplication::clipboard()->setText(versionDetails()); });
    connect(aboutQt, &QPushButton::clicked, this, [this] { QMessageBox::aboutQt(this); });
    buttons->button(QDialogButtonBox::Close)->setDefault(true);

    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addSpacing(12);
    row->addWidget(m_text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}
