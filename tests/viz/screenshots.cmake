# The screenshot tests (included by tests/viz.cmake). Coordinates are those of the default
# 1280x800 layout: the state diagram fills the bottom-left, topology the top-left quarter.
# End A of a connection is blue (0072B2), end B vermillion (D55E00); data packets 145AC8;
# drops D7191E.

# Step 12: the client ESTABLISHED (A), the server still SYN-RECEIVED (B), the request in flight.
viz_screenshot(demo_handshake :demo 12 0
  --size 1280 800
  --color 165 670 270 688 0072B2 400
  --color 30 637 135 655 D55E00 400
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
  --color 300 733 405 752 0072B2 400
  --color 30 701 135 719 D55E00 400
  --golden GOLDEN 0.005)

# A scenario with an error: exit 2 and the message (naming the file) on stderr.
viz_screenshot(scenario_error ${CMAKE_CURRENT_SOURCE_DIR}/viz/data/broken.yaml 0 2)

# The real pipeline: the default classroom scenario run by the simulator as a child process.
if(EXISTS ${PROJECT_SOURCE_DIR}/scenarios/default.yaml)
  viz_screenshot(default_scenario ${PROJECT_SOURCE_DIR}/scenarios/default.yaml 8 0
    --size 1280 800
    --color 0 200 640 460 3C465A 300)
endif()
