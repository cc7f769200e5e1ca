#include "profilecolorpicker.h"

#include "profileswatch.h"

#include <QButtonGroup>
#include <QColorDialog>
#include <QHBoxLayout>
#include <QToolButton>

ProfileColorPicker::ProfileColorPicker(QWidget *parent)
    : QWidget(parent)
    , m_swatches(new QButtonGroup(this))
    , m_noColor(new QToolButton(this))
    , m_otherColor(new QToolButton(this))
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    m_swatches->setExclusive(true);
    m_noColor->setCheckable(true);
    m_noColor->setIcon(profileSwatch(QColor(), 18, true));
    m_noColor->setToolTip(tr("No colour"));
    m_noColor->setAccessibleName(tr("No colour"));
    m_swatches->addButton(m_noColor, -1);
    row->addWidget(m_noColor);
    const QList<QColor> colors = palette();
    for (int i = 0; i < colors.size(); ++i) {
        auto *b = new QToolButton(this);
        b->setCheckable(true);
        b->setIcon(profileSwatch(colors.at(i), 18));
        b->setToolTip(colors.at(i).name());
        b->setAccessibleName(tr("Colour %1").arg(colors.at(i).name()));
        m_swatches->addButton(b, i);
        row->addWidget(b);
    }
    m_otherColor->setText(tr("&Other…"));
    m_otherColor->setCheckable(true);
    m_otherColor->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_swatches->addButton(m_otherColor, -2);
    row->addWidget(m_otherColor);
    row->addStretch(1);
    connect(m_swatches, &QButtonGroup::idClicked, this, [this](int id) {
        if (id == -2) {
            chooseOther();
            return;
        }
        setColor(id >= 0 ? palette().value(id) : QColor());
    });
    updateSwatches();
}

QList<QColor> ProfileColorPicker::palette()
{
    return { QColor(0xc6, 0x28, 0x28), QColor(0xef, 0x6c, 0x00), QColor(0xf9, 0xa8, 0x25), QColor(0x2e, 0x7d, 0x32),
        QColor(0x00, 0x83, 0x8f), QColor(0x15, 0x65, 0xc0), QColor(0x6a, 0x1b, 0x9a), QColor(0x6d, 0x4c, 0x41) };
}

QAbstractButton *ProfileColorPicker::firstButton() const
{
    return m_noColor;
}

void ProfileColorPicker::setColor(const QColor &color)
{
    const bool changed = color != m_color;
    m_color = color;
    updateSwatches();
    if (changed)
        Q_EMIT colorChanged(m_color);
}

void ProfileColorPicker::updateSwatches()
{
    const int index = m_color.isValid() ? int(palette().indexOf(m_color)) : -1;
    if (!m_color.isValid()) {
        m_noColor->setChecked(true);
        m_otherColor->setIcon(QIcon());
    } else if (index >= 0) {
        m_swatches->button(index)->setChecked(true);
        m_otherColor->setIcon(QIcon());
    } else {
        m_otherColor->setChecked(true);
        m_otherColor->setIcon(profileSwatch(m_color, 18));
    }
}

void ProfileColorPicker::chooseOther()
{
    auto *picker = new QColorDialog(m_color.isValid() ? m_color : palette().first(), this);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setWindowTitle(tr("Profile colour"));
    connect(picker, &QColorDialog::colorSelected, this, &ProfileColorPicker::setColor);
    connect(picker, &QDialog::rejected, this, &ProfileColorPicker::updateSwatches);
    picker->open();
}
