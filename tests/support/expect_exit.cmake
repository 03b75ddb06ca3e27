# Runs CMD with the arguments ARGS (separated by '|', since a ';' would split
# the -D argument itself) and the environment assignment ENV, if given, and
# checks its exit status (EXPECT_STATUS) and that its stderr is one line
# matching EXPECT_STDERR. Usage:
#   cmake -DCMD=exe -DARGS=a|b -DENV=NAME=VALUE -DEXPECT_STATUS=2
#         -DEXPECT_STDERR=regex [-DEXPECT_NO_FILE=path] -P expect_exit.cmake
# With EXPECT_NO_FILE, that file is removed first and must not exist after
# the run (a failed command leaves no partial output behind).
string(REPLACE "|" ";" args "${ARGS}")
if(ENV)
  set(cmd ${CMAKE_COMMAND} -E env ${ENV} ${CMD} ${args})
else()
  set(cmd ${CMD} ${args})
endif()
if(EXPECT_NO_FILE)
  file(REMOVE ${EXPECT_NO_FILE})
endif()
execute_process(COMMAND ${cmd} RESULT_VARIABLE status
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL EXPECT_STATUS)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_STATUS}; stderr: ${err}")
endif()
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 1)
  message(FATAL_ERROR "stderr has ${lines} lines, expected 1: ${err}")
endif()
if(NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr '${err}' does not match '${EXPECT_STDERR}'")
endif()
if(EXPECT_NO_FILE AND EXISTS ${EXPECT_NO_FILE})
  message(FATAL_ERROR "${EXPECT_NO_FILE} exists after the failed run")
endif()
