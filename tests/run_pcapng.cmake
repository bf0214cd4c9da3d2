# The captures of one scenario, as tshark reads them (issue 16):
#  - `--pcap out.pcapng` opens with nothing on standard error; it holds as many frames as the text
#    trace shows packets sent ("->"), each on the interface of its network (frame.interface_name is
#    the network's name, frame.interface_description its name and subnet, as the text trace's
#    header lists them) at the time its first bit went on the wire, in that order: the JSON trace's
#    packets (network, sent_ns), sorted by sent_ns then sent_step;
#  - `--pcap-link NETWORK=FILE` for every network opens with nothing on standard error, and holds
#    exactly the frames of that interface in the pcapng (the records byte for byte, as tshark
#    exports them from the pcapng to a nanosecond pcap);
#  - where nothing was lost (no packet dropped, no retransmission in the text trace), tshark's TCP
#    analysis finds no retransmission, out-of-order segment, duplicate ACK or lost segment on any
#    one link (-DMISREAD=ON: a scenario whose TCP Wireshark misreads, not checked so).
#    The whole pcapng is checked so too when a single network carries frames: tshark 4.0 analyses
#    TCP across interfaces, so a routed connection's two hops look like retransmissions there.
# -DNETSTEP=... -DTSHARK=... -DSCENARIO=... -DWORK=dir [-DMISREAD=ON] [-DCAPINFOS=...]
include(${CMAKE_CURRENT_LIST_DIR}/strip_asan.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
get_filename_component(name ${SCENARIO} NAME_WE)
set(analysis "tcp.analysis.retransmission || tcp.analysis.out_of_order || tcp.analysis.duplicate_ack || tcp.analysis.lost_segment")

# tshark(OUT ERR args...): runs tshark; fails unless it exits 0 with nothing on standard error
# but the notice it prints when run as root.
function(tshark out_var)
  execute_process(COMMAND ${TSHARK} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REGEX REPLACE "Running as user \"root\" and group \"root\"\\. This could be dangerous\\.\r?\n?" "" err "${err}")
  if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
    message(FATAL_ERROR "${name}: tshark ${ARGN}: exit ${rc}, standard error:\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# 1. The text trace: the networks in its header ("network office: 192.168.1.0/24, ..."), and the
#    packets sent ("  0.014011 laptop  -> ...").
execute_process(COMMAND ${NETSTEP} run ${SCENARIO} OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
if(rc GREATER 1)
  message(FATAL_ERROR "netstep run ${SCENARIO} failed (exit ${rc}): ${err}")
endif()
string(REGEX MATCHALL "\nnetwork [^:\n]+: [0-9./]+" network_lines "${text}")
set(networks "")
set(descriptions "")
set(links "")
foreach(line ${network_lines})
  string(REGEX REPLACE "^\nnetwork ([^:]+): ([0-9./]+)$" "\\1" network "${line}")
  string(REGEX REPLACE "^\nnetwork ([^:]+): ([0-9./]+)$" "\\1 \\2" description "${line}")
  list(LENGTH networks i)
  list(APPEND networks "${network}")
  list(APPEND descriptions "${description}")
  list(APPEND links --pcap-link "${network}=${WORK}/link${i}.pcap")
endforeach()
list(LENGTH networks network_count)
if(network_count EQUAL 0)
  message(FATAL_ERROR "${name}: no network in the text trace's header")
endif()
string(REGEX MATCHALL "\n *[0-9]+\\.[0-9]+ [^ \n]+ +-> " sent_lines "${text}")
list(LENGTH sent_lines sent_count)
set(lossless TRUE)
if(MISREAD OR text MATCHES "\\(dropped: " OR text MATCHES " retransmits: ")
  set(lossless FALSE)
endif()

# 2. Every capture at once.
execute_process(COMMAND ${NETSTEP} run ${SCENARIO} --pcap ${WORK}/out.pcapng ${links} --json ${WORK}/out.json
                OUTPUT_FILE ${WORK}/out.txt ERROR_VARIABLE err RESULT_VARIABLE rc)
strip_asan(err)
if(rc GREATER 1 OR NOT err STREQUAL "")
  message(FATAL_ERROR "netstep run ${SCENARIO} --pcap ... ${links} failed (exit ${rc}): ${err}")
endif()

# 3. The pcapng: each frame on its network's interface, in order, at its time. The JSON's packets
#    ({"from_host":0,"to_host":1,"network":0,"from_interface":0,"sent_ns":10000000,
#    "arrives_ns":12005760,"sent_step":16,...}) as "sent_ns,sent_step,network", in time order.
file(READ ${WORK}/out.json json)
string(REGEX MATCHALL "\"network\":[0-9]+,\"from_interface\":[0-9]+,\"sent_ns\":[0-9]+,\"arrives_ns\":[0-9]+,\"sent_step\":[0-9]+"
       packet_fields "${json}")
set(packets "")
foreach(p ${packet_fields})
  string(REGEX REPLACE "^\"network\":([0-9]+),.*\"sent_ns\":([0-9]+),.*\"sent_step\":([0-9]+)$" "\\2,\\3,\\1" p "${p}")
  list(APPEND packets "${p}")
endforeach()
list(SORT packets COMPARE NATURAL)
list(LENGTH packets packet_count)
if(NOT packet_count EQUAL sent_count)
  message(FATAL_ERROR "${name}: the JSON trace has ${packet_count} packets, the text trace shows ${sent_count} sent")
endif()
tshark(frames -r ${WORK}/out.pcapng -T fields -E separator=, -e frame.interface_id -e frame.interface_name
       -e frame.interface_description -e frame.time_epoch)
string(REGEX MATCHALL "[^\n]+" frame_lines "${frames}")
list(LENGTH frame_lines frame_count)
if(NOT frame_count EQUAL sent_count)
  message(FATAL_ERROR "${name}: the pcapng holds ${frame_count} frames, the text trace shows ${sent_count} packets sent")
endif()
set(used_interfaces "")
set(i 0)
foreach(line ${frame_lines})
  string(REPLACE "," ";" fields "${line}")
  list(LENGTH fields field_count)
  if(NOT field_count EQUAL 4)
    message(FATAL_ERROR "${name}: frame ${i}: expected id,name,description,time, got '${line}'")
  endif()
  list(GET fields 0 id)
  list(GET fields 1 if_name)
  list(GET fields 2 if_description)
  list(GET fields 3 epoch)
  if(id GREATER_EQUAL network_count)
    message(FATAL_ERROR "${name}: frame ${i} is on interface ${id}, and there are ${network_count} networks")
  endif()
  list(GET networks ${id} network)
  list(GET descriptions ${id} description)
  if(NOT if_name STREQUAL network OR NOT if_description STREQUAL description)
    message(FATAL_ERROR "${name}: frame ${i}: interface ${id} is '${if_name}' ('${if_description}'), expected '${network}' ('${description}')")
  endif()
  # frame.time_epoch "2.004018240" in nanoseconds, against the packet's sent_ns and network.
  if(NOT epoch MATCHES "^([0-9]+)\\.([0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])$")
    message(FATAL_ERROR "${name}: frame ${i}: time '${epoch}' is not in nanoseconds")
  endif()
  math(EXPR epoch_ns "${CMAKE_MATCH_1} * 1000000000 + ${CMAKE_MATCH_2}")  # decimal: no octal in math()
  list(GET packets ${i} packet)
  if(NOT "${epoch_ns},${id}" MATCHES "^[0-9]+,[0-9]+$" OR NOT packet MATCHES "^${epoch_ns},[0-9]+,${id}$")
    message(FATAL_ERROR "${name}: frame ${i} is at ${epoch_ns} ns on interface ${id}; the packet sent then is (sent_ns,sent_step,network) ${packet}")
  endif()
  list(APPEND used_interfaces ${id})
  math(EXPR i "${i} + 1")
endforeach()
list(REMOVE_DUPLICATES used_interfaces)
list(LENGTH used_interfaces used_count)

# capinfos (Wireshark's file summary): one interface per network, frames in time order.
if(CAPINFOS)
  execute_process(COMMAND ${CAPINFOS} ${WORK}/out.pcapng OUTPUT_VARIABLE info ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT info MATCHES "\nNumber of interfaces in file: ${network_count}\n"
     OR (frame_count GREATER 0 AND NOT info MATCHES "\nStrict time order: +True\n"))
    message(FATAL_ERROR "${name}: capinfos (exit ${rc}) expected ${network_count} interfaces, frames in time order:\n${info}${err}")
  endif()
endif()

# 4. Each --pcap-link file: that interface's frames, and no TCP analysis flag where nothing was lost.
set(i 0)
foreach(network ${networks})
  set(link ${WORK}/link${i}.pcap)
  tshark(flagged -r ${link} -Y "${analysis}")
  if(lossless AND NOT flagged STREQUAL "")
    message(FATAL_ERROR "${name}: nothing was lost, yet tshark's TCP analysis flags frames on network ${network}:\n${flagged}")
  endif()
  tshark(ignored -r ${WORK}/out.pcapng -Y "frame.interface_id == ${i}" -F nsecpcap -w ${WORK}/interface${i}.pcap)
  # The records after the 24-byte file header (tshark writes its own snapshot length); the magic
  # and link type of the headers.
  file(READ ${link} link_records OFFSET 24 HEX)
  file(READ ${WORK}/interface${i}.pcap interface_records OFFSET 24 HEX)
  if(NOT link_records STREQUAL interface_records)
    message(FATAL_ERROR "${name}: --pcap-link ${network} differs from interface ${i} of the pcapng")
  endif()
  file(READ ${link} link_magic LIMIT 4 HEX)
  file(READ ${link} link_type OFFSET 20 LIMIT 4 HEX)
  file(READ ${WORK}/interface${i}.pcap interface_type OFFSET 20 LIMIT 4 HEX)
  if(NOT link_magic STREQUAL "4d3cb2a1" OR NOT link_type STREQUAL interface_type)
    message(FATAL_ERROR "${name}: --pcap-link ${network}: magic ${link_magic}, link type ${link_type} (the pcapng's: ${interface_type})")
  endif()
  math(EXPR i "${i} + 1")
endforeach()

# 5. The whole pcapng, when one network carries every frame (else see 4, per link).
if(lossless AND used_count LESS_EQUAL 1)
  tshark(flagged -r ${WORK}/out.pcapng -Y "${analysis}")
  if(NOT flagged STREQUAL "")
    message(FATAL_ERROR "${name}: nothing was lost, yet tshark's TCP analysis flags frames of the pcapng:\n${flagged}")
  endif()
endif()
file(REMOVE_RECURSE ${WORK})
