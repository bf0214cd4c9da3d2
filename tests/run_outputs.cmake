# Safe outputs of `netstep run` (issue 14, "unsafe outputs"): a full device or disk is exit 2 with
# a message naming the file and the reason, the old file untouched and no temporary left; device
# nodes and FIFOs are written in place, never replaced; a directory is refused before the run;
# `-` is standard output for --json and --pcap alike, and not for both.
# -DNETSTEP=... -DSCENARIO=... -DWORK=dir [-DPRLIMIT=...]
include(${CMAKE_CURRENT_LIST_DIR}/strip_asan.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)

# Only these names in WORK: no temporary file left beside a target.
function(expect_entries)
  file(GLOB entries RELATIVE ${WORK} ${WORK}/*)
  list(SORT entries)
  set(expected ${ARGN})
  list(SORT expected)
  if(NOT entries STREQUAL expected)
    message(FATAL_ERROR "files in ${WORK}: expected '${expected}', found '${entries}'")
  endif()
endfunction()

function(expect_kind path test_flag what)
  execute_process(COMMAND test ${test_flag} ${path} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${path} is no longer ${what}")
  endif()
endfunction()

# 1. The text trace, JSON and pcap onto a full device (/dev/full: ENOSPC on every write).
execute_process(COMMAND ${NETSTEP} run ${SCENARIO} OUTPUT_FILE /dev/full ERROR_VARIABLE err RESULT_VARIABLE rc)
strip_asan(err)
if(NOT rc EQUAL 2 OR NOT err STREQUAL "netstep run: cannot write the trace to standard output: No space left on device\n")
  message(FATAL_ERROR "trace to /dev/full: exit ${rc}: ${err}")
endif()
expect_run(full_pcap 2 "^netstep run: cannot write /dev/full: No space left on device\n$" --pcap /dev/full)
expect_run(full_json 2 "^netstep run: cannot write /dev/full: No space left on device\n$" --json /dev/full)
expect_kind(/dev/full -c "a character device")

# 2. Device nodes are written in place, not replaced by a regular file.
expect_run(null 0 "^$" --json /dev/null --pcap /dev/null)
expect_kind(/dev/null -c "a character device")

# 3. A FIFO is written in place: a reader (cat, in the same pipeline) gets the whole output.
execute_process(COMMAND mkfifo ${WORK}/fifo RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mkfifo failed")
endif()
foreach(option json pcap)
  # netstep's stdout (its short text trace) goes to cat's stdin, which cat does not read.
  execute_process(COMMAND ${NETSTEP} run ${SCENARIO} --${option} ${WORK}/fifo
                  COMMAND cat ${WORK}/fifo
                  OUTPUT_FILE ${WORK}/from-fifo.${option} RESULTS_VARIABLE rcs ERROR_VARIABLE err TIMEOUT 20)
  strip_asan(err)
  if(NOT rcs STREQUAL "0;0")
    message(FATAL_ERROR "--${option} to a FIFO: exits ${rcs}: ${err}")
  endif()
  expect_kind(${WORK}/fifo -p "a FIFO")
endforeach()
file(READ ${WORK}/from-fifo.json json LIMIT 40)
if(NOT json MATCHES "\"format\": \"netstep-trace\"")
  message(FATAL_ERROR "the JSON read from the FIFO starts '${json}'")
endif()
# The pcap through the FIFO is the same as written to a file.
expect_run(pcap_file 0 "^$" --pcap ${WORK}/run.pcap)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/run.pcap ${WORK}/from-fifo.pcap RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "the pcap read from the FIFO differs from the file's")
endif()

# 4. `-` is standard output for --pcap as for --json (no text trace then); not both.
expect_run(pcap_stdout 0 "^$" --pcap -)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/run.pcap ${WORK}/pcap_stdout.out RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "--pcap - wrote something else than the pcap on standard output")
endif()
expect_run(both_stdout 2 "^netstep run: --pcap - and --json - both write to standard output: choose one\n$"
           --pcap - --json -)

# 5. A directory is refused before the run: nothing on standard output.
file(MAKE_DIRECTORY ${WORK}/dir)
expect_run(dir_json 2 "^netstep run: cannot write ${WORK}/dir: it is a directory\n$" --json ${WORK}/dir)
file(SIZE ${WORK}/dir_json.out size)
if(NOT size EQUAL 0)
  message(FATAL_ERROR "--json DIR: the run went ahead before refusing")
endif()

# 6. A file size limit (prlimit --fsize: EFBIG, as a full disk for regular files): exit 2, the old
#    files intact, no temporary left. netstep ignores SIGXFSZ, which would kill it mid-file.
if(PRLIMIT)
  file(REMOVE ${WORK}/fifo ${WORK}/from-fifo.json ${WORK}/from-fifo.pcap ${WORK}/run.pcap)
  file(REMOVE_RECURSE ${WORK}/dir)
  file(GLOB outs ${WORK}/*.out)
  file(REMOVE ${outs})
  file(WRITE ${WORK}/old.json "old json\n")
  file(WRITE ${WORK}/old.pcap "old pcap\n")
  foreach(option json pcap)
    execute_process(COMMAND ${PRLIMIT} --fsize=100 ${NETSTEP} run ${SCENARIO} --${option} ${WORK}/old.${option}
                    OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 20)
    strip_asan(err)
    if(NOT rc EQUAL 2 OR NOT err STREQUAL "netstep run: cannot write ${WORK}/old.${option}: File too large\n")
      message(FATAL_ERROR "--${option} past RLIMIT_FSIZE: exit ${rc}: ${err}")
    endif()
    file(READ ${WORK}/old.${option} kept)
    if(NOT kept STREQUAL "old ${option}\n")
      message(FATAL_ERROR "--${option} past RLIMIT_FSIZE: the old file was changed")
    endif()
  endforeach()
  expect_entries(old.json old.pcap)
endif()
file(REMOVE_RECURSE ${WORK})
