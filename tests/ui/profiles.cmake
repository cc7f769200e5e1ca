# Profile dialogs (issue 5). Keychain tests need an unlocked gnome-keyring on the session bus, as
# `./dev test` provides; tst_profiledialog_nokeychain points itself at a dead bus instead.
# With PPG_SCREENSHOT_DIR set, tst_profilesdialog / tst_profiledialog write profiles.png / profile.png there.
ppg_add_test(tst_profiledialog SOURCES tst_profiledialog.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 300)
ppg_add_test(tst_profiledialog_nokeychain SOURCES tst_profiledialog_nokeychain.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 300)
ppg_add_test(tst_profilesdialog SOURCES tst_profilesdialog.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 120)
