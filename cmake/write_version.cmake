# cmake -DSOURCE_DIR=... -DOUTPUT=... -DVERSION=... [-DFALLBACK_COMMIT=...]
#       [-DGIT_EXECUTABLE=...] -P write_version.cmake
# Writes OUTPUT from version.h.in; leaves it untouched when nothing changed.
set(commit "")
if(GIT_EXECUTABLE)
  execute_process(
    COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE failed ERROR_QUIET)
  if(failed)
    set(commit "")
  else()
    # Tracked files edited since the commit: say so.
    execute_process(
      COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
      OUTPUT_VARIABLE changes RESULT_VARIABLE failed ERROR_QUIET)
    if(NOT failed AND NOT changes STREQUAL "")
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
if(commit STREQUAL "")
  set(commit "${FALLBACK_COMMIT}")
endif()
if(commit STREQUAL "")
  set(commit "unknown")
endif()
set(ROLLCALL_VERSION "${VERSION}")
set(ROLLCALL_GIT_COMMIT "${commit}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${OUTPUT} @ONLY)
