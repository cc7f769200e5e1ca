// AboutDialog: Help > About. Shows the program's name and icon, its version (PPG_VERSION, the
// CMake project version), the Qt version it was built with and the one it runs on (qVersion()),
// its licence (MIT) and a link to the project's home page (PPG_HOMEPAGE_URL, set in
// resources/CMakeLists.txt). "Copy details" puts the versions on the clipboard for bug reports;
// "About Qt" opens QMessageBox::aboutQt. No network, no settings; Close (Esc) dismisses it.
#pragma once

#include <QDialog>

class QLabel;
class QPushButton;

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // Plain text: program, version, Qt (built and running), platform. What "Copy details" copies.
    static QString versionDetails();

    QLabel *textLabel() const { return m_text; }
    QPushButton *copyButton() const { return m_copyButton; }

private:
    QLabel *m_text = nullptr;
    QPushButton *m_copyButton = nullptr;
};
