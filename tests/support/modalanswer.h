// Answering the modal dialogs a flow opens with exec() (QMessageBox, a QDialog on the stack), for
// widget tests only. exec() runs its own event loop, so the test cannot answer after the call
// that opens the dialog returns: it arranges the answer beforehand.
//
// answerModal<T>(answer): from now on, every 20 ms, looks at QApplication::activeModalWidget();
// the first visible one of type T is answered once with `answer` (click a button, type a name).
// The returned ModalSeen says whether that happened and keeps what a QMessageBox said (title,
// text, informative text, button texts) for the test to check. It gives up after `timeoutMs`.
//
// UnexpectedModalGuard: closes (Escape) any modal QMessageBox that no answerModal() is waiting
// for and records its text, so a flow that pops an unexpected error box fails the test
// (check `seen` in cleanup) instead of hanging it inside exec().
#pragma once

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QPushButton>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <type_traits>

struct ModalSeen
{
    bool answered = false;
    QString title;
    QString text;
    QString informativeText;
    QStringList buttons;
};

namespace modalanswer_detail {
inline int &pending()
{
    static int n = 0;
    return n;
}
} // namespace modalanswer_detail

template <class T> std::shared_ptr<ModalSeen> answerModal(std::function<void(T *)> answer, int timeoutMs = 60000)
{
    auto seen = std::make_shared<ModalSeen>();
    auto *timer = new QTimer;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    ++modalanswer_detail::pending();
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, clock, seen, answer, timeoutMs] {
        auto *w = qobject_cast<T *>(QApplication::activeModalWidget());
        const bool give_up = clock->elapsed() > timeoutMs;
        if ((!w || !w->isVisible()) && !give_up)
            return;
        timer->stop();
        timer->deleteLater();
        --modalanswer_detail::pending();
        if (give_up && (!w || !w->isVisible()))
            return;
        seen->title = w->windowTitle();
        if constexpr (std::is_base_of_v<QMessageBox, T>) {
            seen->text = w->text();
            seen->informativeText = w->informativeText();
            for (QAbstractButton *b : w->buttons())
                seen->buttons << b->text();
        }
        seen->answered = true;
        answer(w);
    });
    timer->start();
    return seen;
}

// Clicks the button of `box` whose text is `text` (mnemonic ampersands ignored); false if none.
inline bool clickMessageBoxButton(QMessageBox *box, const QString &text)
{
    for (QAbstractButton *b : box->buttons()) {
        if (b->text().remove(QLatin1Char('&')) == QString(text).remove(QLatin1Char('&'))) {
            b->click();
            return true;
        }
    }
    return false;
}

class UnexpectedModalGuard
{
public:
    UnexpectedModalGuard()
    {
        m_timer.setInterval(250);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            if (modalanswer_detail::pending() > 0)
                return;
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || !box->isVisible())
                return;
            seen << box->windowTitle() + QStringLiteral(": ") + box->text() + QStringLiteral(" / ")
                    + box->informativeText();
            box->reject();
        });
        m_timer.start();
    }
    QStringList seen;

private:
    QTimer m_timer;
};

// The end of a widget test function: closes and deletes `console` (anything with a `window`), lets
// the deferred deletions run, and returns the message boxes `guard` caught, in words (empty when
// none), dropping the guard.
template <class Console>
QString closeConsoleAndGuard(std::unique_ptr<Console> &console, std::unique_ptr<UnexpectedModalGuard> &guard)
{
    if (console) {
        console->window.close();
        console.reset();
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    const QStringList seen = guard ? guard->seen : QStringList();
    guard.reset();
    return seen.isEmpty() ? QString() : QStringLiteral("unexpected message box: ") + seen.join(u'|');
}
