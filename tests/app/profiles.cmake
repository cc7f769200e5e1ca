# Profiles, sessions and the connection-string vault (issue 5). Keychain tests need an unlocked
# gnome-keyring on the session bus, as `./dev test` provides; tst_sessionmanager also starts a sandbox.
ppg_add_test(tst_connectionvault SOURCES tst_connectionvault.cpp LIBS ppg_app LABELS keychain TIMEOUT 120)
ppg_add_test(tst_sessionmanager SOURCES tst_sessionmanager.cpp LIBS ppg_app LABELS "keychain;e2e" TIMEOUT 300)
