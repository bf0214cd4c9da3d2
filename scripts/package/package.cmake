# The Debian package: install rules and CPack (cpack -G DEB in the build directory, or
# scripts/package/build-deb.sh). Included by the top-level CMakeLists.txt in a build with the
# visualizer and without sanitizers or coverage (the default preset).
#
#   /usr/bin/netstep                       the tool
#   /usr/lib/netstep/netstep-view          the viewer, started by `netstep view` (sim/install.hpp)
#   /usr/share/netstep/scenarios/          the classroom scenarios (*.yaml, README.md)
#   /usr/share/doc/netstep/                README.md, docs/*.md, docs/images/, copyright
#   /usr/share/man/man1/netstep.1.gz       docs/netstep.1
#   /usr/share/applications/netstep.desktop, /usr/share/icons/hicolor/{scalable,48x48}/apps/netstep.*
#   /usr/share/bash-completion/completions/netstep

set(_pkg ${CMAKE_CURRENT_LIST_DIR})
set(_gen ${PROJECT_BINARY_DIR}/package)

install(TARGETS netstep RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS netstep-view RUNTIME DESTINATION lib/netstep)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/netstep/scenarios
        FILES_MATCHING PATTERN "*.yaml" PATTERN "README.md")
# The viewer for the browser, when scripts/build-web.sh has built it (`netstep export --web`).
install(FILES ${PROJECT_SOURCE_DIR}/build-web/index.html ${PROJECT_SOURCE_DIR}/build-web/netstep-view.js
              ${PROJECT_SOURCE_DIR}/build-web/netstep-view.wasm DESTINATION ${CMAKE_INSTALL_DATADIR}/netstep/web OPTIONAL)

set(_doc ${CMAKE_INSTALL_DATADIR}/doc/netstep)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${_pkg}/copyright DESTINATION ${_doc})
file(GLOB _docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${_docs} DESTINATION ${_doc}/docs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/images DESTINATION ${_doc}/docs)

# Debian wants man pages and the changelog compressed with gzip -9n (no name, no time stamp).
find_program(NETSTEP_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${_gen}/netstep.1.gz
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
                   COMMAND ${NETSTEP_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/docs/netstep.1 > ${_gen}/netstep.1.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/docs/netstep.1 VERBATIM)
add_custom_command(OUTPUT ${_gen}/changelog.gz
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
                   COMMAND ${NETSTEP_GZIP} -9n -c ${_pkg}/changelog > ${_gen}/changelog.gz
                   DEPENDS ${_pkg}/changelog VERBATIM)
set(_generated ${_gen}/netstep.1.gz ${_gen}/changelog.gz)
# The icon: the hand-drawn SVG, and a 48x48 PNG rendered from it when rsvg-convert is there.
find_program(NETSTEP_RSVG_CONVERT rsvg-convert)
if(NETSTEP_RSVG_CONVERT)
  add_custom_command(OUTPUT ${_gen}/netstep.png
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
                     COMMAND ${NETSTEP_RSVG_CONVERT} -w 48 -h 48 -o ${_gen}/netstep.png ${_pkg}/netstep.svg
                     DEPENDS ${_pkg}/netstep.svg VERBATIM)
  list(APPEND _generated ${_gen}/netstep.png)
  install(FILES ${_gen}/netstep.png DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/48x48/apps)
endif()
add_custom_target(netstep_package_files ALL DEPENDS ${_generated})

install(FILES ${_gen}/netstep.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_gen}/changelog.gz DESTINATION ${_doc})
install(FILES ${_pkg}/netstep.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${_pkg}/netstep.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${_pkg}/netstep.bash-completion DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME netstep)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME netstep)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "netstep maintainers <maintainers@users.noreply.r-seed-9bc38c27.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "educational network protocol simulator and visualizer")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A teacher opens a scenario file in front of a class, and everyone watches, one
step at a time, hosts and their IPv4 addresses, ARP, the TCP three-way
handshake, data and acknowledgements, the teardown and TIME-WAIT, resets and
UDP datagrams. netstep simulates scenarios (TCP as in RFC 9293, UDP, ICMP,
Ethernet and learning switches) on SimGrid and shows them as a text trace,
JSON or pcap, or in a Dear ImGui visualizer (netstep view).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # netstep_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from dpkg-shlibdeps (dpkg-dev)
# The viewer's font (viz loads DejaVu Sans from fonts-dejavu-core) and Mesa's drivers are not
# libraries it links: named here.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core, libgl1-mesa-dri")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "wireshark | tshark, xvfb")
# Directories the package shares with others are not its own (lintian: no /usr/share/man et al.
# owned with other modes); CPack lists only the files and their directories, mode 0755.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)  # the debug info stays in the build tree
set(CPACK_SOURCE_IGNORE_FILES "/build.*/;/\\\\.git")
include(CPack)
