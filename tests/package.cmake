# The package's parts that need no root (scripts/test-package.sh builds, installs and removes the
# .deb itself): `netstep --version` is the project's VERSION, and the man page (docs/netstep.1)
# and the bash completion list every subcommand and option that --help lists.
if(NOT TARGET netstep)
  return()
endif()
add_test(NAME "package: netstep --version is the project's version"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DVERSION=${PROJECT_VERSION}
                 -DMAN_PAGE=${PROJECT_SOURCE_DIR}/docs/netstep.1 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_version.cmake)
add_test(NAME "package: the man page and bash completion list every option of --help"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DMAN_PAGE=${PROJECT_SOURCE_DIR}/docs/netstep.1
                 -DCOMPLETION=${PROJECT_SOURCE_DIR}/scripts/package/netstep.bash-completion
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_man_page.cmake)
add_test(NAME "package: the bash completion completes subcommands, options and values"
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_completion.sh ${PROJECT_SOURCE_DIR}/scripts/package/netstep.bash-completion)
