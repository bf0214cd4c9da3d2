# netstep shell's errors: an unknown --host and a --save that is the scenario itself are exit 2
# with a message, before any prompt; a line that makes the run fail (over a limit) is dropped
# with a message and the session goes on.
function(expect_exit code)
  execute_process(COMMAND ${NETSTEP} ${ARGN} INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL ${code})
    message(FATAL_ERROR "netstep ${ARGN}: exit ${rc}, expected ${code}:\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()
expect_exit(2 shell ${SCENARIO} --host nosuch)
if(NOT err MATCHES "--host nosuch: no such host")
  message(FATAL_ERROR "unknown host: ${err}")
endif()
expect_exit(2 shell ${SCENARIO} --save ${SCENARIO})
if(NOT err MATCHES "refusing to overwrite it")
  message(FATAL_ERROR "--save onto the scenario: ${err}")
endif()
# A line longer than a terminal holds is refused, not journaled; then a run over max_events.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
string(REPEAT "x" 4096 long)
file(WRITE ${WORK}/input "${long}\nipconfig\n")
execute_process(COMMAND ${NETSTEP} shell ${SCENARIO} --limit max_events=5 INPUT_FILE ${WORK}/input
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT out MATCHES "a terminal line holds at most 4095 \\(the line is not kept\\)")
  message(FATAL_ERROR "a long line:\n${out}\n${err}")
endif()
