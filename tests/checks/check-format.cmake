# check-format.cmake: fails when a C++ file of the project differs from what clang-format makes
# of it with the repository's .clang-format.
#
#   cmake -DSOURCE_DIR=<repository> -DCLANG_FORMAT=<clang-format> -P check-format.cmake
#
# Fix with: clang-format -i $(git ls-files '*.cpp' '*.h')
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR OR NOT CLANG_FORMAT)
  message(FATAL_ERROR "check-format: pass -DSOURCE_DIR=<repository> -DCLANG_FORMAT=<clang-format>; "
                      "clang-format was not found (./dev deps installs it)")
endif()
set(files)
foreach(dir api models app ui sandbox tests)
  file(GLOB_RECURSE found ${SOURCE_DIR}/${dir}/*.cpp ${SOURCE_DIR}/${dir}/*.h)
  list(FILTER found EXCLUDE REGEX "/node_modules/")
  list(APPEND files ${found})
endforeach()
list(LENGTH files count)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror --style=file ${files}
                WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE rc ERROR_VARIABLE out OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  string(REGEX MATCHALL "[^\n]*: error: code should be clang-formatted[^\n]*" problems "${out}")
  list(REMOVE_DUPLICATES problems)
  list(LENGTH problems bad)
  foreach(p IN LISTS problems)
    message("${p}")
  endforeach()
  message(FATAL_ERROR "check-format: unformatted code (above) among ${count} files; "
                      "run: clang-format -i $(git ls-files '*.cpp' '*.h')")
endif()
message("check-format: ${count} files formatted")
