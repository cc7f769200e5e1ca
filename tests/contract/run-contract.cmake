# Runs the contract test (see CMakeLists.txt): tsc, then node --test on the compiled JavaScript.
# -DNODE=<node> -DSOURCE_DIR=<tests/contract> -DOUT_DIR=<build folder for the .js files>
if(NOT NODE OR NODE MATCHES "NOTFOUND$")
  message(FATAL_ERROR "tst_contract needs Node.js (v20 or later): install nodejs and npm, then reconfigure")
endif()
if(NOT EXISTS "${SOURCE_DIR}/node_modules/typescript/bin/tsc"
   OR NOT EXISTS "${SOURCE_DIR}/node_modules/@prisma/management-api-sdk/package.json")
  message(FATAL_ERROR "tst_contract: the npm packages are missing; run `npm ci --prefix ${SOURCE_DIR}` (./dev test does)")
endif()
if(NOT DEFINED ENV{PPG_SANDBOX_BIN})
  message(FATAL_ERROR "tst_contract: PPG_SANDBOX_BIN is not set")
endif()

# The compiled files are ES modules that import the SDK: give their folder a package.json
# ("type": "module") and a node_modules link to the installed packages.
file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")
file(WRITE "${OUT_DIR}/package.json" "{\"type\": \"module\", \"private\": true}\n")
file(CREATE_LINK "${SOURCE_DIR}/node_modules" "${OUT_DIR}/node_modules" SYMBOLIC)

message(STATUS "tsc --strict against @prisma/management-api-sdk's types")
execute_process(
  COMMAND "${NODE}" "${SOURCE_DIR}/node_modules/typescript/bin/tsc" -p "${SOURCE_DIR}/tsconfig.json" --outDir "${OUT_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tst_contract: tsc failed (${rc})")
endif()

execute_process(
  COMMAND "${NODE}" --test --test-reporter=spec "${OUT_DIR}/contract.test.js"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tst_contract: node --test failed (${rc})")
endif()
