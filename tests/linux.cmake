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
# explains).
set(linux_matches
  "i_syn_timeout both"
  "h_rto both"
  "n_duplicate both"
  "m_tail_loss S>C"
  "j_bulk S>C"
  "j_bulk C>S 17"
  "k_zero_window C>S 29"
  "k_zero_window S>C 67"
  "l_fast_retransmit S>C 39"
  "l_fast_retransmit C>S 28"
  "o_sockopt_rcvbuf S>C 15"
  "o_sockopt_rcvbuf C>S 7")
foreach(entry ${linux_matches})
  string(REPLACE " " ";" parts "${entry}")
  list(GET parts 0 name)
  list(GET parts 1 dir)
  list(LENGTH parts nparts)
  set(first "")
  set(label "${name} ${dir}")
  if(nparts GREATER 2)
    list(GET parts 2 n)
    set(first --first ${n})
    set(label "${name} ${dir} first ${n}")
  endif()
  if(dir STREQUAL "both")
    set(direction --per-direction)
  else()
    set(direction --direction ${dir})
  endif()
  add_test(NAME "linux: ${label}"
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/compare-linux.py --netstep $<TARGET_FILE:netstep>
                   --times --at-client 20 --summary ${direction} ${first}
                   --run ${PROJECT_SOURCE_DIR}/tests/data/linux/${name}.yaml
                   ${PROJECT_SOURCE_DIR}/tests/data/captures/linux/${name}.pcap)
  set_tests_properties("linux: ${label}" PROPERTIES TIMEOUT 120 LABELS linux)
endforeach()
