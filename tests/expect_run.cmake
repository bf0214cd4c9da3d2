# One helper of the command-line tests (run_outputs.cmake, run_pcap_link.cmake), with
# -DNETSTEP, -DSCENARIO and -DWORK set and strip_asan.cmake included.
# expect_run(NAME EXIT STDERR_REGEX args...): netstep run SCENARIO args, stdout to ${WORK}/NAME.out.
function(expect_run name exit_code err_regex)
  execute_process(COMMAND ${NETSTEP} run ${SCENARIO} ${ARGN}
                  OUTPUT_FILE ${WORK}/${name}.out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 20)
  strip_asan(err)
  if(NOT rc STREQUAL "${exit_code}" OR NOT err MATCHES "${err_regex}")
    message(FATAL_ERROR "${name}: netstep run ${ARGN}: expected exit ${exit_code} and '${err_regex}', got exit ${rc}: ${err}")
  endif()
endfunction()
