# Connect snippets (issue 18): Prisma ORM, node-postgres and Alchemy code built from a kept
# connection string, compared with the guides' text. Included from tests/app/CMakeLists.txt.
ppg_add_test(tst_connectsnippets SOURCES tst_connectsnippets.cpp LIBS ppg_app LABELS unit TIMEOUT 60)
