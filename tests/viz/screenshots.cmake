# The screenshot tests (included by tests/viz.cmake). Coordinates are those of the default
# 1280x800 layout: the state diagram fills the bottom-left, topology the top-left quarter, the
# tabs (hosts, packet inspector, log) the bottom-right. End A of a connection is blue (0072B2),
# end B vermillion (D55E00); data packets 145AC8; drops D7191E; the inspector's lit field FFDC5A.

# Step 12: the client ESTABLISHED (A), the server still SYN-RECEIVED (B), the request in flight.
viz_screenshot(demo_handshake :demo 12 0
  --size 1280 800
  --color 145 672 225 690 0072B2 400
  --color 30 641 112 657 D55E00 400
  --color 0 200 640 450 145AC8 60
  --golden GOLDEN 0.005)

# Step 18: the server's answer dropped: a red cross on the LAN and on the sequence diagram.
viz_screenshot(demo_drop :demo 18 0
  --size 1280 800
  --color 0 200 640 450 D7191E 300
  --color 640 240 1280 460 D7191E 40
  --golden GOLDEN 0.005)

# Step 40: the client in LAST-ACK (A), the server in FIN-WAIT-1 (B).
viz_screenshot(demo_close :demo 40 0
  --size 1280 800
  --color 260 735 340 752 0072B2 400
  --color 30 704 112 720 D55E00 400
  --golden GOLDEN 0.005)

# A scenario with an error: exit 2 and the message (naming the file) on stderr.
viz_screenshot(scenario_error ${CMAKE_CURRENT_SOURCE_DIR}/viz/data/broken.yaml 0 2)

# --step beyond the last step: exit 2, the message names the file and the last step (no clamp).
viz_screenshot(step_beyond_last ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 999999 2)

# The real pipeline: the default classroom scenario run by the simulator as a child process.
if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/default.yaml)
  viz_screenshot(default_scenario ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 8 0
    --size 1280 800
    --color 0 200 640 460 3C465A 300)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/default.yaml)
  # The packet inspector (--inspect-field): the SYN+ACK of step 24 (after the ARP exchange) with its TCP flags lit, in the
  # field list (a whole row) and in the hex dump (its byte); without the option, nothing is lit.
  viz_screenshot_with(inspector ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 24 0 "--inspect-field tcp.flags"
    --size 1280 800
    --color 780 575 1250 690 FFDC5A 4000
    --color 780 690 1050 790 FFDC5A 200
    --golden GOLDEN 0.005)
  viz_screenshot(inspector_none ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 24 0
    --size 1280 800
    --no-color 780 575 1280 800 FFDC5A)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/scale-busy-server.yaml)
  # 51 hosts on one LAN: the server (end B) on the bar at the left; the client of the connection
  # shown (pc24, end A: the ARP exchanges came first) lit in the last column above the bar, where the crowded layout puts it
  # (boxes piled up or clamped to the edges would not be there).
  # The sequence diagram shows only the lifelines of that connection and of the last packet (a
  # checkbox brings back the 51): the server's, web:80 (B), at the left, pc24's (A) at the right.
  viz_screenshot(scale_busy_server ${PROJECT_SOURCE_DIR}/scenarios/scale-busy-server.yaml 200 0
    --size 1280 800
    --color 70 310 160 350 D55E00 150
    --color 540 256 600 276 0072B2 100
    --color 640 250 960 290 D55E00 300
    --color 960 250 1280 290 0072B2 300
    --golden GOLDEN 0.005)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/default.yaml)
  # Presenter mode at 1280x800: the big panel (key 1, the topology: the SYN+ACK on its way, in its
  # color) and beside it the state diagram, large: SYN-SENT lit blue (A), SYN-RECEIVED vermillion
  # (B); the row of panel keys with "1 Topology" lit (3C465A).
  viz_screenshot_with(presenter ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 24 0 "--presenter"
    --size 1280 800
    --color 0 280 790 720 006E50 300
    --color 1125 488 1250 532 0072B2 2500
    --color 825 488 948 532 D55E00 2500
    --color 555 158 677 182 3C465A 1000
    --golden GOLDEN 0.005)
  # ... with --inspect-field: the tabs as the big panel (key 5), the TCP flags lit in the field
  # list and in the hex dump (byte 0x2f: after the 14-byte Ethernet header); the state diagram still
  # beside them, nothing lit there.
  viz_screenshot_with(presenter_inspector ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 24 0 "--presenter --inspect-field tcp.flags"
    --size 1280 800
    --color 10 470 760 505 FFDC5A 8000
    --color 355 680 410 720 FFDC5A 400
    --color 1125 488 1250 532 0072B2 2500
    --no-color 795 250 1280 800 FFDC5A
    --golden GOLDEN 0.005)
  # Presenter mode at 1280x800, key 6: the laptop's terminal big (a console, 0C0C0C, with the
  # prompt in light gray CCCCCC on its last row), the topology beside it, "6 Terminal" lit. No
  # golden: what the terminal prints comes with the engine's terminal.
  viz_screenshot_env(presenter_terminal ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 17 0 "NETSTEP_VIZ_PANEL=6" "--presenter"
    --size 1280 800
    --color 20 340 720 740 0C0C0C 200000
    --color 20 745 400 785 CCCCCC 100
    --color 1155 158 1262 182 3C465A 1000
    --color 745 300 1280 600 0072B2 1000)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/tcp-close-time-wait.yaml)
  # Presenter mode at 1280x800, four hosts on one LAN: two above the bar, two below, each address
  # (283C6E) beside its own link, none running into the next (they once overlapped in one row).
  viz_screenshot_with(presenter_four_hosts ${PROJECT_SOURCE_DIR}/scenarios/tcp-close-time-wait.yaml 10 0 "--presenter"
    --size 1280 800
    --color 270 458 425 492 283C6E 150
    --color 560 458 715 492 283C6E 150
    --color 270 548 425 582 283C6E 150
    --color 560 548 715 582 283C6E 150
    --golden GOLDEN 0.005)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/scale-busy-server.yaml)
  # Presenter mode at 1280x800, the lab: pc50 (end A) lit at the bottom of the last column, its name
  # and address in its color in the strip under the server's (no room beside its box).
  viz_screenshot_with(presenter_lab ${PROJECT_SOURCE_DIR}/scenarios/scale-busy-server.yaml 700 0 "--presenter"
    --size 1280 800
    --color 688 683 762 717 0072B2 150
    --color 15 575 210 605 0072B2 300
    --golden GOLDEN 0.005)
endif()

# The viewer never crashes (issue 14). A caption of 17,000 characters and a host and program
# named with 20,000 aborted on ImGui's 16-bit vertex indices: now drawn clamped and cut with "…"
# (viz/text.hpp). A scenario's caption is now at most 4096 bytes (Limits::max_caption_bytes):
# here a title of 17,000 and a caption of 4096 (tests/viz/test_robust.cpp draws longer ones from
# JSON). The caption band (FFF4BE) is there, with text on it (141419).
viz_screenshot(long_caption ${CMAKE_CURRENT_SOURCE_DIR}/viz/data/long-caption.yaml 2 0
  --size 1280 800
  --color 10 40 1270 100 FFF4BE 5000
  --color 10 40 1270 100 141419 500)
viz_screenshot(long_host_name ${CMAKE_CURRENT_SOURCE_DIR}/viz/data/long-host-name.yaml 8 0
  --size 1280 800
  --color 0 200 640 450 141419 300)

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/link-switch.yaml)
  # A switch (kind: switch), step 20: the switch a dark box (3C465A) below its four hosts, a line
  # to each; the scenario opens on the MAC table tab, web's row (learned from its ARP reply at this
  # instant) lit (FFDC5A). docs/images/link-switch-table.png is this picture.
  viz_screenshot(link_switch_table ${PROJECT_SOURCE_DIR}/scenarios/link-switch.yaml 20 0
    --size 1280 800
    --color 180 365 460 415 3C465A 6000
    --color 780 640 1170 664 FFDC5A 3000
    --golden GOLDEN 0.005)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/link-router-mac.yaml)
  # One packet's journey (issue 16), step 31: the router has sent the laptop's SYN on to the
  # server. The inspector's journey table has its two hops: the Ethernet and TTL columns lit
  # (FFDC5A: they change at every hop), the IP column not (the addresses stay), hop 2's row (the
  # packet shown) lit blue (CDE1FA); the TTL field lit below. docs/images/link-router-journey.png
  # is this picture.
  viz_screenshot_with(link_router_journey ${PROJECT_SOURCE_DIR}/scenarios/link-router-mac.yaml 31 0 "--inspect-field ipv4.ttl"
    --size 1280 800
    --color 910 624 1055 706 FFDC5A 6000
    --color 1165 624 1193 706 FFDC5A 1000
    --no-color 1062 624 1158 706 FFDC5A
    --color 1062 668 1158 706 CDE1FA 1500
    --golden GOLDEN 0.005)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/tcp-slow-start.yaml)
  # The time-sequence graph (issue 18), tcp-slow-start at step 400 (NETSTEP_VIZ_TAB opens its tab):
  # the server's segments as data-blue bars (145AC8) climbing in bursts of 3, 6, 12, the lost one
  # crossed out (D7191E), its resend vermillion (D55E00), the ACK line (141419), the window's edge
  # dashed bluish green (009E73), the cursor orange (E69F00) near the right edge, at 0.476 s.
  viz_screenshot_env(time_sequence ${PROJECT_SOURCE_DIR}/scenarios/tcp-slow-start.yaml 400 0 "NETSTEP_VIZ_TAB=time-sequence" ""
    --size 1280 800
    --color 845 570 1265 770 145AC8 150
    --color 845 600 1265 770 D7191E 20
    --color 845 600 1265 770 D55E00 12
    --color 845 600 1265 770 009E73 150
    --color 1200 600 1265 760 E69F00 200
    --no-color 845 600 1180 760 E69F00
    --golden GOLDEN 0.005)
  # ... in presenter mode at 1280x800: the tabs as the big panel (key 5), the graph large.
  # docs/images/time-sequence.png is this picture.
  viz_screenshot_env(presenter_time_sequence ${PROJECT_SOURCE_DIR}/scenarios/tcp-slow-start.yaml 400 0 "NETSTEP_VIZ_TAB=time-sequence" "--presenter"
    --size 1280 800
    --color 80 395 770 755 145AC8 600
    --color 80 395 770 755 D7191E 60
    --color 80 395 770 755 D55E00 25
    --color 80 395 770 755 009E73 600
    --color 690 390 740 745 E69F00 600
    --golden GOLDEN 0.005)
endif()

if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/default.yaml)
  # Predict mode (issue 18), default.yaml: at step 23 the band (E8F0FC) under the controls asks
  # "What does web:80 send to laptop:61402 now?", A-D unanswered (no green, no vermillion border).
  viz_screenshot_with(predict_question ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 23 0 "--predict"
    --size 1280 800
    --color 0 190 1280 320 E8F0FC 60000
    --no-color 0 230 1280 280 009E73
    --no-color 0 230 1280 280 D7191E
    --golden GOLDEN 0.005)
  # ... at step 19, the class voted B (ACK) for "What does laptop:61402 send now?": B framed
  # vermillion (D7191E) with ✗, the right answer D (SYN) framed bluish green (009E73) with ✓, the
  # rule (RFC 9293 §3.5) below. docs/images/predict.png is this picture.
  viz_screenshot_env(predict_reveal ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 19 0 "NETSTEP_VIZ_ANSWER=B" "--predict"
    --size 1280 800
    --color 335 233 632 276 D7191E 600
    --color 962 233 1260 276 009E73 600
    --no-color 20 233 320 276 009E73
    --golden GOLDEN 0.005)
endif()
