# `netstep check` ends by itself (issue 14): a FIFO named on the command line is refused by stat,
# never opened (opening it would wait for a writer forever), and so is it by `run`'s loader; a
# file that runs too long is stopped at --timeout (exit 2, saying so); the progress line is on
# standard error only when it is a terminal, never on a pipe, and --quiet silences it.
# -DNETSTEP=... -DSLOW=a scenario of ~5 s -DQUICK=a scenario that passes -DWORK=dir [-DSCRIPT=script]
include(${CMAKE_CURRENT_LIST_DIR}/strip_asan.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# 1. A FIFO: refused at once, by check and by run.
execute_process(COMMAND mkfifo ${WORK}/lesson.yaml RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mkfifo failed")
endif()
execute_process(COMMAND ${NETSTEP} check ${WORK}/lesson.yaml ${QUICK}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 10)
strip_asan(err)
if(NOT rc EQUAL 2 OR NOT out MATCHES "^FAIL ${WORK}/lesson.yaml: not a regular file \\(a FIFO\\)\nPASS [^\n]*\n1 passed, 1 failed\n$")
  message(FATAL_ERROR "check FIFO: exit ${rc}: ${out}${err}")
endif()
execute_process(COMMAND ${NETSTEP} run ${WORK}/lesson.yaml
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 10)
strip_asan(err)
if(NOT rc EQUAL 2 OR NOT err STREQUAL "${WORK}/lesson.yaml: cannot read file: not a regular file (a FIFO)\n")
  message(FATAL_ERROR "run FIFO: exit ${rc}: ${out}${err}")
endif()

# 2. --timeout: a file that runs ~5 s is stopped after 1 s, counted as a failure, exit 2.
string(TIMESTAMP start "%s")
execute_process(COMMAND ${NETSTEP} check ${SLOW} --timeout 1
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 4)
strip_asan(err)
string(TIMESTAMP end "%s")
math(EXPR elapsed "${end} - ${start}")
if(NOT rc EQUAL 2 OR NOT out STREQUAL "FAIL ${SLOW}: stopped after 1 s (--timeout)\n0 passed, 1 failed\n")
  message(FATAL_ERROR "check --timeout 1: exit ${rc} after ${elapsed} s: ${out}${err}")
endif()
if(elapsed GREATER 3)
  message(FATAL_ERROR "check --timeout 1 took ${elapsed} s")
endif()
execute_process(COMMAND ${NETSTEP} check ${QUICK} --timeout 0 ERROR_VARIABLE err RESULT_VARIABLE rc)
strip_asan(err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "check --timeout 0 must be refused: exit ${rc}: ${err}")
endif()

# 3. Progress: nothing on a pipe; "[1/1] FILE" on a terminal (script(1) gives one); --quiet none.
execute_process(COMMAND ${NETSTEP} check ${QUICK} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
strip_asan(err)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "" OR out MATCHES "\\[1/1\\]")
  message(FATAL_ERROR "check to pipes: exit ${rc}, stdout '${out}', stderr '${err}'")
endif()
if(SCRIPT)
  execute_process(COMMAND ${SCRIPT} -qec "${NETSTEP} check ${QUICK}" /dev/null
                  OUTPUT_VARIABLE tty RESULT_VARIABLE rc TIMEOUT 10)
  strip_asan(tty)
  string(ASCII 27 esc)
  string(FIND "${tty}" "\r${esc}[K[1/1] ${QUICK}\r${esc}[KPASS ${QUICK}" at)
  if(NOT rc EQUAL 0 OR at EQUAL -1)
    message(FATAL_ERROR "check on a terminal: exit ${rc}, no progress line: '${tty}'")
  endif()
  execute_process(COMMAND ${SCRIPT} -qec "${NETSTEP} check --quiet ${QUICK}" /dev/null
                  OUTPUT_VARIABLE tty RESULT_VARIABLE rc TIMEOUT 10)
  strip_asan(tty)
  if(NOT rc EQUAL 0 OR tty MATCHES "\\[1/1\\]" OR NOT tty MATCHES "1 passed, 0 failed")
    message(FATAL_ERROR "check --quiet on a terminal: exit ${rc}: '${tty}'")
  endif()
endif()
file(REMOVE_RECURSE ${WORK})
