// ProfileColorPicker: the row of colour swatches a profile is given its accent colour with (no
// colour, the eight palette colours, and "Other…" that opens a QColorDialog). Used by ProfileDialog
// and CreateServiceTokenDialog, so both offer the same colours the same way. Keyboard: each swatch
// is a checkable tool button with an accessible name ("Colour #c62828", "No colour").
#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QToolButton;

class ProfileColorPicker : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileColorPicker(QWidget *parent = nullptr);

    // The accent colours offered as swatches.
    static QList<QColor> palette();

    QColor color() const { return m_color; } // invalid: none
    void setColor(const QColor &color); // any colour; one outside the palette checks "Other…"
    // The first button of the row, for a label's buddy.
    QAbstractButton *firstButton() const;

Q_SIGNALS:
    void colorChanged(const QColor &color);

private:
    void chooseOther();
    void updateSwatches();

    QColor m_color;
    QButtonGroup *m_swatches;
    QToolButton *m_noColor;
    QToolButton *m_otherColor;
};
