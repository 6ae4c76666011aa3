# The project's version (project(... VERSION) in the top-level CMakeLists.txt)
# and the git commit it is built from, as the header
# <build>/generated/rollcall/version.h (see version.h.in), through the
# interface library rollcall_version.
#
# The commit is read at every build (cheaply: the header is rewritten only
# when it changes), so an incremental build never reports a stale commit.
# Without git or a .git (a source tarball) it is ROLLCALL_GIT_COMMIT if set
# (e.g. -DROLLCALL_GIT_COMMIT=1a2b3c4d5e6f by a distribution's build), else
# "unknown".
set(ROLLCALL_GIT_COMMIT "" CACHE STRING
    "commit to report when the sources are not a git checkout (empty: unknown)")
set(ROLLCALL_VERSION_HEADER ${PROJECT_BINARY_DIR}/generated/rollcall/version.h)
find_package(Git QUIET)
set(ROLLCALL_VERSION_ARGS
  -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
  -DOUTPUT=${ROLLCALL_VERSION_HEADER}
  -DVERSION=${PROJECT_VERSION}
  -DFALLBACK_COMMIT=${ROLLCALL_GIT_COMMIT}
  -DGIT_EXECUTABLE=${GIT_EXECUTABLE}
  -P ${CMAKE_CURRENT_LIST_DIR}/write_version.cmake)
# Once now, so that the header exists for the first build's dependency scan.
execute_process(COMMAND ${CMAKE_COMMAND} ${ROLLCALL_VERSION_ARGS})
add_custom_target(rollcall_version_header
  COMMAND ${CMAKE_COMMAND} ${ROLLCALL_VERSION_ARGS}
  BYPRODUCTS ${ROLLCALL_VERSION_HEADER}
  COMMENT "Reading the git commit"
  VERBATIM)
add_library(rollcall_version INTERFACE)
target_include_directories(rollcall_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
add_dependencies(rollcall_version rollcall_version_header)
