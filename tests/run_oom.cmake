# netstep run on a valid 15 MB file under a 100 MiB address-space cap (prlimit --as): the loader
# runs out of memory; the run must end with exit 2 and say so, not abort on std::bad_alloc.
# -DNETSTEP=... -DPRLIMIT=... -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
string(REPEAT "a" 15000000 caption)
file(WRITE ${WORK}/big.yaml "netstep: 1
title: big
networks:
  - { name: lan, subnet: 192.168.1.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }
programs:
  - host: web
    steps:
      - say: ${caption}
")
execute_process(COMMAND ${PRLIMIT} --as=104857600 ${NETSTEP} run ${WORK}/big.yaml
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
file(REMOVE ${WORK}/big.yaml)
if(NOT rc EQUAL 2 OR NOT err MATCHES "out of memory \\(std::bad_alloc\\)")
  message(FATAL_ERROR "expected exit 2 and 'out of memory (std::bad_alloc)', got exit ${rc}: ${err}")
endif()
