# The capture of a scenario (--pcap: pcapng) must open in tshark with no malformed packet and no
# checksum error, and hold as many packets as the trace sent.
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${NETSTEP} run ${SCENARIO} --pcap ${WORK}/out.pcapng OUTPUT_FILE ${WORK}/out.txt RESULT_VARIABLE rc)
if(rc GREATER 1)
  message(FATAL_ERROR "netstep run failed (exit ${rc})")
endif()
execute_process(COMMAND ${TSHARK} -n -r ${WORK}/out.pcapng
                -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
                -Y "_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0"
                OUTPUT_VARIABLE bad ERROR_VARIABLE err RESULT_VARIABLE trc)
if(NOT trc EQUAL 0)
  message(FATAL_ERROR "tshark could not read ${WORK}/out.pcapng: ${err}")
endif()
if(NOT bad STREQUAL "")
  message(FATAL_ERROR "tshark finds bad packets in the pcap of ${SCENARIO}:\n${bad}")
endif()
