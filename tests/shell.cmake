# `netstep shell`: a session from a command file against its golden output
# (tests/data/shell/NAME.commands -> NAME.txt; UPDATE=1 rewrites it), a saved session that replays
# the shell's last run, and the shell in a real terminal (tmux).
if(NOT TARGET netstep)
  return()
endif()
set(SHELL_DATA ${PROJECT_SOURCE_DIR}/tests/data/shell)
add_test(NAME "shell: golden lab session"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> "-DARGS=shell|${SHELL_DATA}/lab.yaml"
                 -DINPUT=${SHELL_DATA}/lab.commands -DGOLDEN=${SHELL_DATA}/lab.txt
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.cmake)
add_test(NAME "shell: golden lab session from web"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> "-DARGS=shell|${SHELL_DATA}/lab.yaml|--host|web"
                 -DINPUT=${SHELL_DATA}/lab-save.commands -DGOLDEN=${SHELL_DATA}/lab-web.txt
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.cmake)
add_test(NAME "shell: --save replays the last run"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${SHELL_DATA}/lab.yaml
                 -DINPUT=${SHELL_DATA}/lab-save.commands -DWORK=${CMAKE_CURRENT_BINARY_DIR}/shell-save
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_shell_save.cmake)
add_test(NAME "shell: errors"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${SHELL_DATA}/lab.yaml
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/shell-errors
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_shell_errors.cmake)
find_program(TMUX tmux)
if(TMUX)
  add_test(NAME "shell: in a terminal (tmux)"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DTMUX=${TMUX}
                   -DSCENARIO=${SHELL_DATA}/lab.yaml -P ${CMAKE_CURRENT_SOURCE_DIR}/run_shell_tmux.cmake)
  set_tests_properties("shell: in a terminal (tmux)" PROPERTIES TIMEOUT 120)
else()
  message(WARNING "tmux not found: the terminal test of netstep shell is skipped (scripts/setup.sh installs it)")
endif()
