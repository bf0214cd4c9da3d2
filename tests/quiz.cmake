# `netstep quiz`: the answer key (--show), a quiz answered right from --answers, bad answers and
# the end of input on standard input, and the errors (a missing file, a language it does not have).
if(NOT TARGET netstep)
  return()
endif()
add_test(NAME "quiz: answer key, answers, bad input, errors"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIOS=${PROJECT_SOURCE_DIR}/scenarios
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/quiz -P ${CMAKE_CURRENT_SOURCE_DIR}/run_quiz.cmake)

# Every classroom scenario: questions, each right by the trace (tests/sim/test_quiz.cpp), one
# process per scenario (SimGrid: one engine per process).
if(TARGET sim_tests)
  file(GLOB QUIZ_SCENARIOS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
  foreach(file ${QUIZ_SCENARIOS})
    get_filename_component(name ${file} NAME)
    add_test(NAME "quiz: questions right on ${name}"
             COMMAND sim_tests "-tc=quiz: each classroom scenario with packets gives right questions")
    set_tests_properties("quiz: questions right on ${name}" PROPERTIES ENVIRONMENT "NETSTEP_QUIZ_SCENARIO=${name}"
                         FAIL_REGULAR_EXPRESSION "test cases: +0 [|]")
  endforeach()
endif()
