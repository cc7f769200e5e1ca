# Profile dialogs (issue 5). Keychain tests need an unlocked gnome-keyring on the session bus, as
# `./dev test` provides; tst_profiledialog_nokeychain points itself at a dead bus instead.
# tst_profilesdialog always writes and checks profiles.png (the README's): into PPG_SCREENSHOT_DIR when
# it is set, else into screenshots/ in the build folder. With PPG_SCREENSHOT_DIR set,
# tst_profiledialog writes profile.png there too.
ppg_add_test(tst_profiledialog SOURCES tst_profiledialog.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 300)
ppg_add_test(tst_profiledialog_nokeychain SOURCES tst_profiledialog_nokeychain.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 300)
ppg_add_test(tst_profilesdialog SOURCES tst_profilesdialog.cpp LIBS ppg_ui LABELS "ui;keychain" TIMEOUT 120)
target_compile_definitions(tst_profilesdialog PRIVATE PPG_SCREENSHOT_DEFAULT_DIR="${CMAKE_BINARY_DIR}/screenshots")
