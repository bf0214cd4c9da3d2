# One screenshot test: run `netstep view FILE --screenshot OUT --step N` under Xvfb, check the
# exit code, then (when the run should succeed) check the PNG's content.
# Variables: XVFB_EXEC NETSTEP CHECK FILE STEP EXPECTED_EXIT OUT GOLDEN CHECKS (checker arguments;
# the word GOLDEN in them is replaced by the golden image's path) VIEW_ARGS (more `view` options)
# VIEW_ENV (environment variables for the viewer).
get_filename_component(out_dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${out_dir})
file(REMOVE ${OUT})
separate_arguments(view_args UNIX_COMMAND "${VIEW_ARGS}")
# Under a fresh Xvfb of its own (viz_xvfb_exec: it picks a free display without racing the other
# tests, and stops its server whatever happens).
# VIEW_ENV (optional): NAME=VALUE pairs for the viewer's environment (NETSTEP_VIZ_PANEL=6).
set(env_prefix "")
if(VIEW_ENV)
  separate_arguments(view_env UNIX_COMMAND "${VIEW_ENV}")
  set(env_prefix ${CMAKE_COMMAND} -E env ${view_env})
endif()
execute_process(COMMAND ${env_prefix} ${XVFB_EXEC} 1280x800x24
                        ${NETSTEP} view ${FILE} --screenshot ${OUT} --step ${STEP} --size 1280x800 ${view_args}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("netstep view exit ${rc}\n${err}")
if(NOT rc EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "netstep view ${FILE}: exit ${rc}, expected ${EXPECTED_EXIT}")
endif()
if(NOT EXPECTED_EXIT EQUAL 0)
  if(err STREQUAL "")
    message(FATAL_ERROR "a failed run must say why on stderr")
  endif()
  get_filename_component(name ${FILE} NAME)
  string(FIND "${err}" "${name}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the error message should name the scenario file ${name}")
  endif()
  return()
endif()
list(TRANSFORM CHECKS REPLACE "^GOLDEN$" "${GOLDEN}")
execute_process(COMMAND ${CHECK} ${OUT} ${CHECKS} RESULT_VARIABLE crc)
if(NOT crc EQUAL 0)
  message(FATAL_ERROR "screenshot ${OUT} failed its checks")
endif()
