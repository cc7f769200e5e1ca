# Connect snippets (issue 18) checked by the real tools, offline: node-postgres connects to a
# sandbox with its snippet, Prisma's schema engine (WebAssembly) validates the schema snippet. The
# npm packages are pinned in tests/snippets/package-lock.json (`./dev` runs npm ci there).
# Included from tests/e2e/CMakeLists.txt.
ppg_add_test(tst_snippettools SOURCES tst_snippettools.cpp LIBS ppg_app Qt6::Network LABELS e2e TIMEOUT 180)
target_compile_definitions(tst_snippettools PRIVATE PPG_SNIPPETS_DIR="${PROJECT_SOURCE_DIR}/tests/snippets")
