# Every file in scenarios/ is a test: its text trace must match the golden transcript beside it
# (scenarios/NAME.trace.txt), its expectations must hold (`netstep check`), a second run must be
# byte-identical (text, JSON, pcap), and tshark must read its pcap without a warning.
if(NOT TARGET netstep)
  return()
endif()
file(GLOB SCENARIO_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
find_program(TSHARK tshark)
foreach(scn ${SCENARIO_FILES})
  get_filename_component(name ${scn} NAME_WE)
  add_test(NAME "golden: ${name}"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${scn}
                   -DGOLDEN=${PROJECT_SOURCE_DIR}/scenarios/${name}.trace.txt
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.cmake)
  add_test(NAME "check: ${name}" COMMAND netstep check ${scn})
  add_test(NAME "determinism: ${name}"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${scn}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/determinism/${name}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/run_determinism.cmake)
  if(TSHARK)
    add_test(NAME "tshark: ${name}"
             COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${scn} -DTSHARK=${TSHARK}
                     -DWORK=${CMAKE_CURRENT_BINARY_DIR}/tshark/${name}
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/run_tshark.cmake)
  endif()
endforeach()
if(NOT TSHARK)
  message(WARNING "tshark not found: the pcap tests are skipped (scripts/setup.sh installs it)")
endif()

# The scenario index (scenarios/README.md) is generated from the files: it must be up to date.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME "scenario index is up to date"
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/scenario-index.py --check)
endif()

# The loader's test fixtures are scenarios too: their expectations must hold when run.
add_test(NAME "check: test fixtures" COMMAND netstep check ${PROJECT_SOURCE_DIR}/tests/data/scenarios)

# `check` lists every failure of a scenario, each on its own line naming file, line and column
# (not the first one and "(and 1 more)"); the scenario still counts once.
add_test(NAME "check: every failure listed"
         COMMAND netstep check ${PROJECT_SOURCE_DIR}/tests/data/check/two-failures.yaml)
set_tests_properties("check: every failure listed" PROPERTIES PASS_REGULAR_EXPRESSION
  "FAIL [^\n]*two-failures.yaml: [^\n]*two-failures.yaml:18:9: second: connect\\(s, a:81\\) returned ECONNREFUSED, expected ok\nFAIL [^\n]*two-failures.yaml: [^\n]*two-failures.yaml:13:9: first: connect\\(s, b:80\\) returned ECONNREFUSED, expected ok\n0 passed, 1 failed")

# Out of memory is an error with exit 2 and a message, not an abort (std::bad_alloc caught).
# Not under ASan: its shadow memory needs far more address space than the cap allows.
find_program(PRLIMIT prlimit)
find_program(SCRIPT script)
if(PRLIMIT AND NOT NETSTEP_SANITIZE)
  add_test(NAME "check: out of memory is exit 2"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DPRLIMIT=${PRLIMIT}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/oom -P ${CMAKE_CURRENT_SOURCE_DIR}/run_oom.cmake)
endif()

# Every valid file ends by itself within its limits (issue 14): the issue's examples under a
# 4 GiB address-space cap; the run's progress line. Not under ASan (its shadow memory needs the
# address space; the runs are minutes there).
find_program(TIMEOUT timeout)
if(PRLIMIT AND TIMEOUT AND NOT NETSTEP_SANITIZE)
  add_test(NAME "run: every file ends within its limits"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DPRLIMIT=${PRLIMIT} -DTIMEOUT=${TIMEOUT}
                   -DSCRIPT=${SCRIPT} -DSLOW=${PROJECT_SOURCE_DIR}/tests/data/check/runs-for-seconds.yaml
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/limits -P ${CMAKE_CURRENT_SOURCE_DIR}/run_limits.cmake)
  set_tests_properties("run: every file ends within its limits" PROPERTIES TIMEOUT 600)
endif()

# Safe outputs (issue 14): full device, RLIMIT_FSIZE (prlimit --fsize, not an address-space cap:
# fine under ASan), device nodes and FIFOs written in place, `-` for --json and --pcap.
add_test(NAME "run: outputs are safe"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DPRLIMIT=${PRLIMIT}
                 -DSCENARIO=${PROJECT_SOURCE_DIR}/scenarios/default.yaml
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/outputs -P ${CMAKE_CURRENT_SOURCE_DIR}/run_outputs.cmake)
set_tests_properties("run: outputs are safe" PROPERTIES TIMEOUT 60)

# `check` ends by itself: a FIFO refused, --timeout, progress on a terminal only.
add_test(NAME "check: bounded (FIFO, --timeout, progress)"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCRIPT=${SCRIPT}
                 -DSLOW=${PROJECT_SOURCE_DIR}/tests/data/check/runs-for-seconds.yaml
                 -DQUICK=${PROJECT_SOURCE_DIR}/scenarios/default.yaml
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/check_bounded -P ${CMAKE_CURRENT_SOURCE_DIR}/run_check_bounded.cmake)
set_tests_properties("check: bounded (FIFO, --timeout, progress)" PROPERTIES TIMEOUT 60)
