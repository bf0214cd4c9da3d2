# netstep --version prints "netstep VERSION" (the CMake project's VERSION), exit 0; the man
# page's title line names the same version. -DNETSTEP, -DVERSION, -DMAN_PAGE.
execute_process(COMMAND ${NETSTEP} --version OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 20)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "netstep ${VERSION}\n")
  message(FATAL_ERROR "netstep --version: expected 'netstep ${VERSION}' and exit 0, got exit ${rc}: '${out}' ${err}")
endif()
file(STRINGS ${MAN_PAGE} th REGEX "^\\.TH ")
if(NOT th MATCHES "\"netstep ${VERSION}\"")
  message(FATAL_ERROR "${MAN_PAGE}: the .TH line should name \"netstep ${VERSION}\": ${th}")
endif()
message(STATUS "netstep --version: netstep ${VERSION}")
