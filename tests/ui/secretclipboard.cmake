# Connection strings (issue 8): the secret clipboard (offscreen, plus a second process under
# xvfb-run when it is installed) and the connection-string / rotate dialogs.
# Included from tests/ui/CMakeLists.txt.
ppg_add_test(tst_secretclipboard SOURCES tst_secretclipboard.cpp LIBS ppg_ui LABELS ui TIMEOUT 180)
ppg_add_test(tst_connectionstringdialog SOURCES tst_connectionstringdialog.cpp LIBS ppg_ui LABELS ui TIMEOUT 120)
