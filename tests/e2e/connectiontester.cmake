# Connection strings (issue 8): Test connection against the sandbox's real PostgreSQL, before and
# after a rotate. Included from tests/e2e/CMakeLists.txt. Its worker runs on Qt's thread pool: label
# threads, so ./dev test --tsan runs it under ThreadSanitizer (tests/CMakeLists.txt: ppg_thread_tests).
ppg_add_test(tst_connectiontester SOURCES tst_connectiontester.cpp
             LIBS ppg_app Qt6::Network LABELS "e2e;threads" TIMEOUT 300)
