# Connection strings (issue 8): Test connection against the sandbox's real PostgreSQL, before and
# after a rotate. Included from tests/e2e/CMakeLists.txt.
ppg_add_test(tst_connectiontester SOURCES tst_connectiontester.cpp
             LIBS ppg_app Qt6::Network LABELS e2e TIMEOUT 300)
