# Connection strings (issue 8): formats, quoting and masking; the .env writer.
# Included from tests/app/CMakeLists.txt.
ppg_add_test(tst_connectionstrings SOURCES tst_connectionstrings.cpp
             LIBS ppg_app PostgreSQL::PostgreSQL LABELS unit TIMEOUT 60)
ppg_add_test(tst_envfile SOURCES tst_envfile.cpp LIBS ppg_app LABELS unit TIMEOUT 60)
