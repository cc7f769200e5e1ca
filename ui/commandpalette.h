// CommandPalette: one box that finds any loaded resource and any action (Ctrl+K, Ctrl+Shift+P).
// A frameless popup at the top of the window: a search field over the best matches of a
// CommandPaletteIndex (app/), best first, the matched letters in bold. Up and Down (and Page Up,
// Page Down) move in the list while the focus stays in the field; Enter or a click chooses, Esc or
// a click elsewhere closes. Choosing closes the palette and reports the hit (chosen()); the window
// runs it with the existing actions, so every flow keeps one code path. The list holds at most
// kMaxRows rows; each keystroke asks the index once (see its header for the cost).
#pragma once

#include "commandpaletteindex.h"

#include <QFrame>

class QLabel;
class QLineEdit;
class QListView;
class PaletteListModel;

class CommandPalette : public QFrame
{
    Q_OBJECT
public:
    static constexpr int kMaxRows = 50;

    // `index` is not owned; the palette's parent is `window`, over which it opens.
    CommandPalette(CommandPaletteIndex *index, QWidget *window);
    ~CommandPalette() override;

    // Opens the palette over its window holding `text` (selected, so typing replaces it).
    void popup(const QString &text = QString());
    // Searches again for the text held (the index changed).
    void refresh();
    QLineEdit *field() const { return m_field; }
    QListView *list() const { return m_list; }
    // The hits shown, best first.
    QList<CommandPaletteIndex::Hit> hits() const;
    // The text of the shown row `row`, and the positions of its matched characters.
    QString rowText(int row) const;
    QList<int> rowMatches(int row) const;

Q_SIGNALS:
    void chosen(const CommandPaletteIndex::Hit &hit);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void choose(int row);

    CommandPaletteIndex *m_index;
    QLineEdit *m_field;
    QListView *m_list;
    QLabel *m_count;
    PaletteListModel *m_model;
};
