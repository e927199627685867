# ctest helper: run COMMAND (a ;-list), require exit status STATUS and every regular expression of
# EXPECT (a ;-list, matched in order against stdout+stderr).
#   cmake -DCOMMAND=... -DSTATUS=0 -DEXPECT=... -P run_and_expect.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
set(all "${out}${err}")
if(NOT "${status}" STREQUAL "${STATUS}")
    message(FATAL_ERROR "exit status ${status}, expected ${STATUS}\n${all}")
endif()
set(rest "${all}")
foreach(pattern IN LISTS EXPECT)
    string(REGEX MATCH "${pattern}.*" tail "${rest}")
    if(tail STREQUAL "")
        message(FATAL_ERROR "missing (in order): ${pattern}\n--- output ---\n${all}")
    endif()
    string(REGEX REPLACE "^${pattern}" "" rest "${tail}")
endforeach()
