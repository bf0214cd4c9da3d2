# `netstep export`: handouts, ladders and topologies (PDF, SVG, PNG), their content, same bytes
# twice, the errors; every classroom scenario exports a handout (tests/run_export.cmake).
if(NOT TARGET netstep)
  return()
endif()
add_test(NAME "export: handout, ladder, topology, determinism, errors"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIOS=${PROJECT_SOURCE_DIR}/scenarios
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/export -P ${CMAKE_CURRENT_SOURCE_DIR}/run_export.cmake)
set_tests_properties("export: handout, ladder, topology, determinism, errors" PROPERTIES TIMEOUT 300)
