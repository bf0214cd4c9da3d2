# Every valid file ends by itself, within its limits (issue 14): the examples of the issue, each
# checked with the default limits under a 4 GiB address-space cap (prlimit --as) and a 90 s guard
# (timeout; each takes 0.1 to 12 s alone), must end with the expected exit code and name the
# limit that stopped it.
# Also: netstep run's progress line, on a terminal only.
# -DNETSTEP=... -DPRLIMIT=... -DTIMEOUT=... -DSCRIPT=... -DSLOW=runs-for-seconds.yaml -DWORK=dir
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

set(head "netstep: 1
title: limits
networks:
  - { name: lan, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }
  - { name: core, subnet: 10.9.0.0/24, latency: 1ms, bandwidth: 1Gbps }
hosts:
  - { name: a, interfaces: [ { network: lan, ip: 10.0.0.10, gateway: 10.0.0.1 } ] }
  - { name: b, interfaces: [ { network: lan, ip: 10.0.0.20, gateway: 10.0.0.1 } ] }
  - name: r1
    forwarding: true
    interfaces:
      - { network: lan, ip: 10.0.0.1 }
      - { network: core, ip: 10.9.0.1, gateway: 10.9.0.2 }
  - name: r2
    forwarding: true
    interfaces:
      - { network: core, ip: 10.9.0.2, gateway: 10.9.0.1 }
programs:
")

# case(NAME EXIT REGEX BODY): writes NAME.yaml (head + BODY), runs it, checks exit and stdout+stderr.
function(case name want regex body)
  file(WRITE ${WORK}/${name}.yaml "${head}${body}")
  # netstep check: one line per failure, not the trace (hundreds of MB for some of these).
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${TIMEOUT} 90 ${PRLIMIT} --as=4294967296 ${NETSTEP} check ${WORK}/${name}.yaml --quiet
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  if(NOT rc EQUAL want OR NOT "${out}${err}" MATCHES "${regex}")
    message(SEND_ERROR "${name}: expected exit ${want} and /${regex}/, got exit ${rc} after ${seconds} s:\n${err}\n${out}")
  else()
    message(STATUS "${name}: exit ${rc} after ${seconds} s, as expected")
  endif()
  file(REMOVE ${WORK}/${name}.yaml)
endfunction()

string(REPEAT "x" 1048576 mb)
string(REPEAT "y" 100000 hundred_kb)
string(REPEAT "z" 4096 caption)
string(REPEAT "      - say: *d\n" 5000 aliases)
string(REPEAT "      - send: { socket: s, data: *d }\n" 5000 data_aliases)

# A caption of 1 MB (aliased 5,000 times, or in `repeat: forever`): refused at its line.
case(caption_bomb 2 "caption_bomb.yaml:[0-9]+:[0-9]+: a caption of 1048576 bytes: the limit is 4096 \\(Limits::max_caption_bytes\\)"
"  - host: a
    steps:
      - say: &d \"${mb}\"
${aliases}")

# 100 KB of data aliased 5,000 times (500 MB once expanded): refused at the alias that passes 64 MiB.
case(data_alias_bomb 2 "data_alias_bomb.yaml:[0-9]+:[0-9]+: the file's text comes to more than 64 MiB once its aliases are expanded \\(Limits::max_expanded_bytes\\)"
"  - host: a
    steps:
      - socket: { as: s, type: udp }
      - sendto: { socket: s, to: \"b:9\", data: &d \"${hundred_kb}\" }
${data_aliases}")

# The longest caption allowed, said forever: the text trace's budget.
case(say_forever 1 "say_forever.yaml:[0-9]+:[0-9]+: the run was stopped at [0-9.]+: the trace written out \\(text or JSON\\) would be longer than 512 MiB \\(Limits::max_text_bytes\\)"
"  - host: a
    steps:
      - repeat:
          times: forever
          steps:
            - say: \"${caption}\"
            - sleep: 1ms
")

# netstat with 4,000 sockets open, in a loop: 1,000 rows each, then the text budget.
case(netstat_loop 1 "netstat_loop.yaml:[0-9]+:[0-9]+: the run was stopped at [0-9.]+: the trace written out \\(text or JSON\\) would be longer than 512 MiB \\(Limits::max_text_bytes\\)"
"  - host: a
    steps:
      - repeat:
          times: 4000
          steps:
            - socket: { as: s, type: udp }
            - bind: { socket: s, port: 0 }
      - repeat:
          times: forever
          steps:
            - netstat
            - sleep: 1ms
")

# 10^6 datagrams of 65,507 bytes at once (they were 65 GB): the budget of the trace written out
# (in JSON, two hex digits a byte) comes before that of its memory (1 GiB). (A first datagram
# makes ARP find b first: else the flood would wait in the unresolved queue, 3 packets long.)
case(sendto_flood 1 "sendto_flood.yaml:[0-9]+:[0-9]+: the run was stopped at [0-9.]+: the trace written out \\(text or JSON\\) would be longer than 512 MiB \\(Limits::max_text_bytes\\)"
"  - host: b
    steps:
      - socket: { as: u, type: udp }
      - bind: { socket: u, port: 9 }
      - sleep: 3600s
  - host: a
    steps:
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: \"b:9\", data: \"hi\" }
      - sleep: 10ms
      - repeat:
          times: 1000000
          steps:
            - sendto: { socket: u, to: \"b:9\", bytes: 65507 }
")

# Datagrams circling between two routers whose default routes point at each other (TTL 64).
case(routing_loop 1 "the run was stopped at [0-9.]+: the trace written out \\(text or JSON\\) would be longer than 512 MiB \\(Limits::max_text_bytes\\)"
"  - host: a
    steps:
      - socket: { as: u, type: udp }
      - repeat:
          times: 1000000
          steps:
            - sendto: { socket: u, to: \"192.0.2.1:9\", bytes: 65507 }
            - sleep: 1ms
")

# 19,999 programs forked and alive at once: each one's stack fits the 4 GiB cap.
case(forks 0 "PASS [^\n]*forks.yaml"
"  - host: a
    steps:
      - repeat:
          times: 19999
          steps:
            - fork:
                steps:
                  - sleep: 10s
")

# Loops within loops around `sleep: 0s`: the idle-rounds limit.
case(idle_loops 1 "idle_loops.yaml:[0-9]+:[0-9]+: the run was stopped: p's loops went round 1000000 times in a row"
"  - host: a
    name: p
    steps:
      - repeat: { times: 1000000, steps: [ repeat: { times: 1000000, steps: [ sleep: 0s ] } ] }
")

# 100 clients each blocked in a send of 64 MiB (they held 6.4 GB): bounded by the event limit.
set(clients "")
foreach(i RANGE 1 100)
  string(APPEND clients "  - host: a
    steps:
      - socket: { as: s, type: tcp }
      - connect: { socket: s, to: \"b:80\" }
      - send: { socket: s, bytes: 67108864 }
")
endforeach()
case(blocked_sends 1 "the run was stopped after [0-9]+ turns without ending \\(Limits::max_events\\)"
"  - host: b
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l, backlog: 200 }
      - repeat:
          times: 100
          steps:
            - accept: { socket: l, as: c }
      - sleep: 3600s
${clients}")

# Progress: on a terminal (script gives the run one), not on a pipe, not with --quiet.
if(SCRIPT)
  foreach(quiet "" "--quiet")
    execute_process(COMMAND ${SCRIPT} -qec "${NETSTEP} run ${SLOW} --limit max_events=2000000 ${quiet} > /dev/null"
                            /dev/null
                    RESULT_VARIABLE rc OUTPUT_VARIABLE tty)
    if(quiet STREQUAL "" AND NOT tty MATCHES "s simulated \\([0-9]+% of max_sim_time\\), [0-9]+ events \\([0-9]+%\\), memory [0-9]+ MiB")
      message(SEND_ERROR "no progress line on a terminal: ${tty}")
    elseif(quiet STREQUAL "--quiet" AND tty MATCHES "simulated")
      message(SEND_ERROR "a progress line with --quiet: ${tty}")
    endif()
  endforeach()
  execute_process(COMMAND ${NETSTEP} run ${SLOW} --limit max_events=2000000 OUTPUT_QUIET ERROR_VARIABLE piped)
  if(piped MATCHES "simulated")
    message(SEND_ERROR "a progress line on a pipe: ${piped}")
  endif()
endif()
