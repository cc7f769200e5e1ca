# Connection strings (issue 8): the secret clipboard (offscreen, plus a second process under
# xvfb-run when it is installed) and the connection-string / rotate dialogs.
# Included from tests/ui/CMakeLists.txt.
ppg_add_test(tst_secretclipboard SOURCES tst_secretclipboard.cpp LIBS ppg_ui LABELS ui TIMEOUT 180)
ppg_add_test(tst_connectionstringdialog SOURCES tst_connectionstringdialog.cpp LIBS ppg_ui LABELS ui TIMEOUT 120)
# Connect snippets (issue 18): the multi-line view, masking, copy as a secret, and the README's
# screenshots of the dialog (light and dark) into PPG_SCREENSHOT_DIR or screenshots/ here.
ppg_add_test(tst_connectdialogsnippets SOURCES tst_connectdialogsnippets.cpp LIBS ppg_ui LABELS ui TIMEOUT 120)
target_compile_definitions(tst_connectdialogsnippets PRIVATE PPG_SCREENSHOT_DEFAULT_DIR="${CMAKE_BINARY_DIR}/screenshots")
