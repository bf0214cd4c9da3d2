# `netstep run --pcap-link NETWORK=FILE` on the command line (issue 16): a network the scenario
# does not have is an error naming those it has, before the run; NETWORK=FILE is required; two
# outputs cannot share a file or standard output; `-` is standard output; --help says that --pcap
# writes pcapng whatever the extension.
# -DNETSTEP=... -DSCENARIO=scenarios/ip-router.yaml (networks office and servers) -DWORK=dir
include(${CMAKE_CURRENT_LIST_DIR}/strip_asan.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)

function(expect_empty name)
  file(SIZE ${WORK}/${name}.out size)
  if(NOT size EQUAL 0)
    message(FATAL_ERROR "${name}: the run went ahead (${size} bytes on standard output)")
  endif()
endfunction()

string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" scenario_re "${SCENARIO}")

# 1. An unknown network: exit 2 before the run, naming the networks there are; no file written.
expect_run(unknown 2
  "^netstep run: --pcap-link lan=${WORK}/lan\\.pcap: ${scenario_re} has no network 'lan'; its networks: office, servers\n$"
  --pcap-link lan=${WORK}/lan.pcap)
expect_empty(unknown)
if(EXISTS ${WORK}/lan.pcap)
  message(FATAL_ERROR "unknown: ${WORK}/lan.pcap was written")
endif()

# 2. Not NETWORK=FILE.
foreach(bad office =out.pcap office=)
  expect_run(malformed 2 "^netstep run: --pcap-link ${bad}: expected NETWORK=FILE, e\\.g\\. office=office\\.pcap\n$"
             --pcap-link ${bad})
  expect_empty(malformed)
endforeach()

# 3. Two outputs, one file; two outputs, standard output; the scenario itself.
expect_run(same 2 "^netstep run: --pcap-link office and --pcap-link servers name the same file\n$"
           --pcap-link office=${WORK}/a.pcap --pcap-link servers=${WORK}/a.pcap)
expect_run(same_pcap 2 "^netstep run: --pcap and --pcap-link office name the same file\n$"
           --pcap ${WORK}/a.pcap --pcap-link office=${WORK}/a.pcap)
expect_run(both_stdout 2 "^netstep run: --pcap - and --pcap-link servers=- both write to standard output: choose one\n$"
           --pcap - --pcap-link servers=-)
expect_run(scenario 2 "^netstep run: --pcap-link office=${scenario_re} is the scenario file itself: refusing to overwrite it\n$"
           --pcap-link office=${SCENARIO})

# 4. `-`: the classic pcap on standard output, no text trace, the same bytes as the file.
expect_run(link_file 0 "^$" --pcap-link office=${WORK}/office.pcap --pcap-link servers=${WORK}/servers.pcap
           --pcap ${WORK}/all.pcapng)
expect_run(link_stdout 0 "^$" --pcap-link office=-)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/office.pcap ${WORK}/link_stdout.out RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "--pcap-link office=- wrote something else than the pcap on standard output")
endif()
file(READ ${WORK}/office.pcap magic LIMIT 4 HEX)
file(READ ${WORK}/all.pcapng block_type LIMIT 4 HEX)
if(NOT magic STREQUAL "4d3cb2a1" OR NOT block_type STREQUAL "0a0d0d0a")
  message(FATAL_ERROR "--pcap-link starts ${magic} (expected a nanosecond pcap, 4d3cb2a1), --pcap ${block_type} (a pcapng section header, 0a0d0d0a)")
endif()
# Both links' frames, and no more, are the pcapng's (the records only: no file header each).
file(SIZE ${WORK}/office.pcap office_size)
file(SIZE ${WORK}/servers.pcap servers_size)
if(office_size LESS_EQUAL 24 OR servers_size LESS_EQUAL 24)
  message(FATAL_ERROR "a --pcap-link file of ip-router is empty: office ${office_size} bytes, servers ${servers_size}")
endif()

# 5. The help says what --pcap writes.
execute_process(COMMAND ${NETSTEP} run --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
string(REGEX REPLACE "[ \n]+" " " help "${help}")
if(NOT help MATCHES "always pcapng \\(whatever the extension\\)" OR NOT help MATCHES "--pcap-link")
  message(FATAL_ERROR "netstep run --help does not say that --pcap writes pcapng:\n${help}")
endif()
file(REMOVE_RECURSE ${WORK})
