# Lessons in the browser (issue 19): every classroom scenario exported with `netstep export --web`,
# opened in headless Chromium, stepped with the keyboard; one step's screenshot compared with the
# desktop viewer's (tests/web/browser_test.py). Needs the browser's viewer (scripts/build-web.sh)
# and chromium (scripts/setup-web.sh): skipped without them, except under CI=true, where
# scripts/test.sh builds them first and a missing one fails.
# In the build with the desktop viewer (preset default; not asan: the desktop screenshot it compares with).
find_package(Python3 COMPONENTS Interpreter)
if(NOT TARGET netstep OR NOT TARGET viz_png_check OR NOT TARGET viz_xvfb_exec OR NOT Python3_Interpreter_FOUND)
  return()
endif()
set(WEB_TEST_ARGS --netstep $<TARGET_FILE:netstep> --scenarios ${PROJECT_SOURCE_DIR}/scenarios
                  --work ${CMAKE_CURRENT_BINARY_DIR}/web_lessons
                  --check $<TARGET_FILE:viz_png_check> --xvfb $<TARGET_FILE:viz_xvfb_exec>)
add_test(NAME "web: every lesson opens in headless Chromium at the right step"
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/web/browser_test.py ${WEB_TEST_ARGS})
set_tests_properties("web: every lesson opens in headless Chromium at the right step" PROPERTIES
                     SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS web RUN_SERIAL TRUE)
