# `netstep quiz`: the answer key (--show), a quiz answered right from --answers, bad answers and
# the end of input on standard input, and the errors (a missing file, a language it does not have).
if(NOT TARGET netstep)
  return()
endif()
add_test(NAME "quiz: answer key, answers, bad input, errors"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIOS=${PROJECT_SOURCE_DIR}/scenarios
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/quiz -P ${CMAKE_CURRENT_SOURCE_DIR}/run_quiz.cmake)
