# The linux profile against the real kernel under loss, delay and a slow reader (issue 17): each
# exchange of tests/data/captures/linux/ made by scripts/linux-loss-capture.sh runs as the
# scenario of the same name in tests/data/linux/, and scripts/compare-linux.py compares the
# segments (flags, seq, ack, length, window) and the gaps between them, within max(5 ms, 5%)
# plus the kernel's timer slack, as a capture on the client's side sees them (--at-client 20:
# 20 ms each way). Listed: what matches today, per direction ("both" or C>S / S>C); the README
# of the captures says what still differs and why.
if(NOT TARGET netstep)
  return()
endif()
find_program(TSHARK tshark)
find_package(Python3 COMPONENTS Interpreter)
if(NOT TSHARK OR NOT Python3_Interpreter_FOUND)
  return()  # scenarios.cmake warns about tshark
endif()
# "NAME DIR N": only the first N segments of that direction (up to a difference the README
# explains). "no-slack": the gaps within max(5 ms, 5%) alone, without the timer slack: the
# timers fire where the kernel's timer wheel fired them (the linux profile's KernelClock).
# "rounds=A:B": the data segments sent per round trip, rounds A to B (--rounds: the window's
# growth over a long transfer, CUBIC's after a loss).
set(linux_matches
  "i_syn_timeout both no-slack"
  "h_rto both no-slack"
  "n_duplicate both no-slack"
  "m_tail_loss S>C no-slack"
  "j_bulk S>C"
  "j_bulk C>S 17"
  "k_zero_window C>S 43"
  "k_zero_window S>C 80"
  "k2_slow_reader C>S 7"
  "k2_slow_reader S>C 51"
  "l_fast_retransmit S>C 39 no-slack"
  "l_fast_retransmit C>S 28"
  "o_sockopt_rcvbuf S>C 15"
  "o_sockopt_rcvbuf C>S 7"
  "p_cubic S>C rounds=8:19")
foreach(entry ${linux_matches})
  string(REPLACE " " ";" parts "${entry}")
  list(GET parts 0 name)
  list(GET parts 1 dir)
  set(first "")
  set(slack "")
  set(rounds "")
  set(label "${name} ${dir}")
  list(REMOVE_AT parts 0 1)  # what is left: N, no-slack, rounds=A:B
  set(rest ${parts})
  foreach(word ${rest})
    if(word STREQUAL "no-slack")
      set(slack --no-slack)
      string(APPEND label " no-slack")
    elseif(word MATCHES "^rounds=(.*)$")
      set(rounds --rounds ${CMAKE_MATCH_1})
      string(APPEND label " rounds ${CMAKE_MATCH_1}")
    else()
      set(first --first ${word})
      string(APPEND label " first ${word}")
    endif()
  endforeach()
  if(rounds)
    set(direction ${rounds})  # per round trip, instead of segment by segment
  elseif(dir STREQUAL "both")
    set(direction --per-direction)
  else()
    set(direction --direction ${dir})
  endif()
  add_test(NAME "linux: ${label}"
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/compare-linux.py --netstep $<TARGET_FILE:netstep>
                   --times ${slack} --at-client 20 --summary ${direction} ${first}
                   --run ${PROJECT_SOURCE_DIR}/tests/data/linux/${name}.yaml
                   ${PROJECT_SOURCE_DIR}/tests/data/captures/linux/${name}.pcap)
  set_tests_properties("linux: ${label}" PROPERTIES TIMEOUT 120 LABELS linux)
endforeach()
