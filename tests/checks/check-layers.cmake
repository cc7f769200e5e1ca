# check-layers.cmake: fails when an #include goes the wrong way between the layers
# (docs/ARCHITECTURE.md): ui -> app -> models -> api, and the sandbox apart from them all.
#
#   cmake -DSOURCE_DIR=<repository> -P check-layers.cmake
#
# A quoted include is resolved as the compiler does: a header beside the including file first,
# then by file name to the layer whose folder holds that header. Each
# layer may include its own headers and those of the layers it stands on; ui/ may include of
# api/ only its value types (resources.h, apierror.h, result.h). app/main.cpp, the composition
# root, may include anything. Prints every violation as file:line and exits non-zero.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check-layers: pass -DSOURCE_DIR=<repository>")
endif()

set(layers api models app ui sandbox)
set(allowed_api api)
set(allowed_models api models)
set(allowed_app api models app)
set(allowed_ui models app ui) # plus the value types of api/, below
set(allowed_sandbox sandbox)
set(ui_api_value_types resources.h apierror.h result.h)

# Which layers hold a header of each name.
foreach(layer IN LISTS layers)
  file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}/${layer} ${SOURCE_DIR}/${layer}/*.h)
  foreach(h IN LISTS headers)
    get_filename_component(name ${h} NAME)
    list(APPEND owner_${name} ${layer})
  endforeach()
endforeach()

set(violations 0)
foreach(layer IN LISTS layers)
  file(GLOB_RECURSE sources ${SOURCE_DIR}/${layer}/*.h ${SOURCE_DIR}/${layer}/*.cpp)
  foreach(file IN LISTS sources)
    file(RELATIVE_PATH rel ${SOURCE_DIR} ${file})
    if(rel STREQUAL "app/main.cpp")
      continue() # the composition root sees every layer
    endif()
    file(STRINGS ${file} lines)
    set(n 0)
    foreach(line IN LISTS lines)
      math(EXPR n "${n} + 1")
      if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\"")
        continue()
      endif()
      set(included "${CMAKE_MATCH_1}")
      get_filename_component(name "${included}" NAME)
      get_filename_component(dir ${file} DIRECTORY)
      if(NOT DEFINED owner_${name} OR EXISTS ${dir}/${included})
        continue() # beside the including file, generated (moc), or a test's own header
      endif()
      list(GET owner_${name} 0 owner)
      list(FIND allowed_${layer} ${owner} ok)
      if(ok EQUAL -1 AND layer STREQUAL "ui" AND owner STREQUAL "api")
        list(FIND ui_api_value_types ${name} ok)
      endif()
      if(ok EQUAL -1)
        message("${rel}:${n}: ${layer}/ includes ${name} of ${owner}/")
        math(EXPR violations "${violations} + 1")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations GREATER 0)
  message(FATAL_ERROR "check-layers: ${violations} include(s) go the wrong way (see docs/ARCHITECTURE.md, Layers)")
endif()
message("check-layers: every include goes the right way")
