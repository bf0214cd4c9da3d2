# Visualizer tests (label "viz").
#  - viz_tests: the player, the trace view, what-if edits, and the controls driven through ImGui
#    input in a headless ImGui context (no window, no GL).
#  - viz_screenshot_*: the real `netstep view ... --screenshot` under its own Xvfb (viz_xvfb_exec:
#    race-free in parallel, never leaves a server behind), the PNG checked for content (colors
#    where the layout puts them) and against a golden image with a tolerance.
file(GLOB VIZ_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/viz/*.cpp)
add_executable(viz_tests ${VIZ_TEST_SOURCES})
target_link_libraries(viz_tests PRIVATE netstep_viz doctest::doctest)
target_compile_definitions(viz_tests PRIVATE NETSTEP_TEST_SCENARIOS="${PROJECT_SOURCE_DIR}/scenarios"
                                             NETSTEP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(TARGET netstep)  # the session tests run the simulator as the viewer does
  target_compile_definitions(viz_tests PRIVATE NETSTEP_EXE="$<TARGET_FILE:netstep>")
  add_dependencies(viz_tests netstep)
endif()
doctest_discover_tests(viz_tests TEST_PREFIX "viz: " PROPERTIES LABELS viz FAIL_REGULAR_EXPRESSION "test cases: +0 [|]")

find_program(XVFB Xvfb)
if(TARGET netstep AND XVFB)
  add_executable(viz_png_check ${CMAKE_CURRENT_SOURCE_DIR}/viz/tools/png_check.cpp)
  target_link_libraries(viz_png_check PRIVATE PkgConfig::IMGUI)  # -lstb: stb_image's implementation
  add_executable(viz_xvfb_exec ${CMAKE_CURRENT_SOURCE_DIR}/viz/tools/xvfb_exec.cpp)

  set(VIZ_GOLDEN_DIR ${CMAKE_CURRENT_SOURCE_DIR}/golden/viz)
  set(VIZ_SHOT_DIR ${CMAKE_CURRENT_BINARY_DIR}/viz_shots)
  # viz_screenshot(NAME FILE STEP EXPECTED_EXIT [checker arguments...])
  # viz_screenshot_with(NAME FILE STEP EXPECTED_EXIT "more view options" [checker arguments...])
  function(viz_screenshot_with name file step expected_exit view_args)
    add_test(NAME viz_screenshot_${name}
             COMMAND ${CMAKE_COMMAND} -DXVFB_EXEC=$<TARGET_FILE:viz_xvfb_exec> -DNETSTEP=$<TARGET_FILE:netstep>
                     -DCHECK=$<TARGET_FILE:viz_png_check> -DFILE=${file} -DSTEP=${step}
                     -DEXPECTED_EXIT=${expected_exit} -DOUT=${VIZ_SHOT_DIR}/${name}.png
                     -DGOLDEN=${VIZ_GOLDEN_DIR}/${name}.png "-DCHECKS=${ARGN}" "-DVIEW_ARGS=${view_args}"
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/viz/run_screenshot.cmake)
    set_tests_properties(viz_screenshot_${name} PROPERTIES LABELS viz TIMEOUT 120)
  endfunction()
  # viz_screenshot_env(NAME FILE STEP EXPECTED_EXIT "NAME=VALUE..." "more view options" [checker arguments...])
  function(viz_screenshot_env name file step expected_exit view_env view_args)
    add_test(NAME viz_screenshot_${name}
             COMMAND ${CMAKE_COMMAND} -DXVFB_EXEC=$<TARGET_FILE:viz_xvfb_exec> -DNETSTEP=$<TARGET_FILE:netstep>
                     -DCHECK=$<TARGET_FILE:viz_png_check> -DFILE=${file} -DSTEP=${step}
                     -DEXPECTED_EXIT=${expected_exit} -DOUT=${VIZ_SHOT_DIR}/${name}.png
                     -DGOLDEN=${VIZ_GOLDEN_DIR}/${name}.png "-DCHECKS=${ARGN}" "-DVIEW_ARGS=${view_args}"
                     "-DVIEW_ENV=${view_env}" -P ${CMAKE_CURRENT_SOURCE_DIR}/viz/run_screenshot.cmake)
    set_tests_properties(viz_screenshot_${name} PROPERTIES LABELS viz TIMEOUT 120)
  endfunction()
  function(viz_screenshot name file step expected_exit)
    viz_screenshot_with(${name} ${file} ${step} ${expected_exit} "" ${ARGN})
  endfunction()
  include(${CMAKE_CURRENT_SOURCE_DIR}/viz/screenshots.cmake)

  # The screenshot through the one safe output writer (sim::write_output): replace, /dev/full, -.
  add_test(NAME viz_screenshot_outputs
           COMMAND ${CMAKE_COMMAND} -DXVFB_EXEC=$<TARGET_FILE:viz_xvfb_exec> -DNETSTEP=$<TARGET_FILE:netstep>
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/viz_shot_outputs
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/viz/run_screenshot_outputs.cmake)
  set_tests_properties(viz_screenshot_outputs PROPERTIES LABELS viz TIMEOUT 120)
endif()

# --size is bounded (a screenshot's pixels are held twice: 16384x16384 ran out of memory): a
# usage error naming the bounds, before any window or run.
if(TARGET netstep)
  foreach(size 16384x16384 100x100 1280x800x2)
    add_test(NAME viz_size_bounds_${size}
             COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:netstep> view ${PROJECT_SOURCE_DIR}/scenarios/default.yaml --screenshot ${CMAKE_CURRENT_BINARY_DIR}/viz_shots/size.png --step 1 --size ${size}"
                     -DEXPECTED_EXIT=2 "-DEXPECTED_ERROR=--size ${size}: expected WIDTHxHEIGHT from 320x200 to 7680x4320"
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/viz/run_exit.cmake)
    set_tests_properties(viz_size_bounds_${size} PROPERTIES LABELS viz)
  endforeach()
endif()
