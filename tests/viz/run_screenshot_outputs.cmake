# The screenshot goes through the simulator's one output writer (sim::write_output, issue 14):
# an existing file is replaced whole with no temporary left beside it, a full device is exit 2
# naming it and the reason, and `-` writes the PNG to standard output.
# Variables: XVFB_EXEC NETSTEP WORK
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(png_magic "89504e470d0a1a0a")

# shoot(OUT rc_var err_var [stdout file]): `netstep view :demo --screenshot OUT` under Xvfb.
function(shoot out rc_var err_var stdout_file)
  execute_process(COMMAND ${XVFB_EXEC} 1280x800x24
                          ${NETSTEP} view :demo --screenshot ${out} --step 12 --size 320x240
                  OUTPUT_FILE ${stdout_file} RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

# An old file is replaced by a whole PNG; nothing else is left in the directory.
file(WRITE ${WORK}/shot.png "old")
shoot(${WORK}/shot.png rc err ${WORK}/stdout.txt)
file(READ ${WORK}/shot.png head LIMIT 8 HEX)
if(NOT rc EQUAL 0 OR NOT head STREQUAL png_magic)
  message(FATAL_ERROR "screenshot over an old file: exit ${rc}, starts ${head}: ${err}")
endif()
file(GLOB entries RELATIVE ${WORK} ${WORK}/*)
list(SORT entries)
if(NOT entries STREQUAL "shot.png;stdout.txt")
  message(FATAL_ERROR "files left beside the screenshot: ${entries}")
endif()

# A full device: exit 2 and why.
shoot(/dev/full rc err ${WORK}/stdout.txt)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot write /dev/full: No space left on device")
  message(FATAL_ERROR "screenshot to /dev/full: exit ${rc}: ${err}")
endif()

# `-`: the PNG on standard output.
shoot(- rc err ${WORK}/stdout.png)
file(READ ${WORK}/stdout.png head LIMIT 8 HEX)
if(NOT rc EQUAL 0 OR NOT head STREQUAL png_magic)
  message(FATAL_ERROR "screenshot to -: exit ${rc}, standard output starts ${head}: ${err}")
endif()
file(REMOVE_RECURSE ${WORK})
