# Captures (issue 16): for every file in scenarios/, `--pcap` (pcapng, one interface per network)
# and `--pcap-link` (one network, classic pcap) as tshark reads them (run_pcapng.cmake); the
# --pcap-link command line (run_pcap_link.cmake). The pcap writers' bytes are read back by the
# unit tests (tests/sim/test_output_pcap.cpp).
if(NOT TARGET netstep)
  return()
endif()
add_test(NAME "pcap-link: command line"
         COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DSCENARIO=${PROJECT_SOURCE_DIR}/scenarios/ip-router.yaml
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/pcap_link -P ${CMAKE_CURRENT_SOURCE_DIR}/run_pcap_link.cmake)
set_tests_properties("pcap-link: command line" PROPERTIES TIMEOUT 120)

find_program(TSHARK tshark)
if(NOT TSHARK)
  return()  # scenarios.cmake warns
endif()
# A simultaneous open (RFC 9293 3.5): each side's SYN-ACK repeats the sequence number of its SYN,
# which Wireshark calls a retransmission although nothing was sent twice.
set(wireshark_misreads tcp-open-simultaneous)
find_program(CAPINFOS capinfos)  # Wireshark's, beside tshark
file(GLOB pcap_scenarios CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
foreach(scn ${pcap_scenarios})
  get_filename_component(name ${scn} NAME_WE)
  set(misread OFF)
  if(name IN_LIST wireshark_misreads)
    set(misread ON)
  endif()
  add_test(NAME "pcapng: ${name}"
           COMMAND ${CMAKE_COMMAND} -DNETSTEP=$<TARGET_FILE:netstep> -DTSHARK=${TSHARK} -DSCENARIO=${scn}
                   -DMISREAD=${misread} -DCAPINFOS=${CAPINFOS} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/pcapng/${name}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/run_pcapng.cmake)
  set_tests_properties("pcapng: ${name}" PROPERTIES TIMEOUT 300)
endforeach()
