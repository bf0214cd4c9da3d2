// Milestones of the viewer's start-up, printed on stderr (NETSTEP_VIZ_TIMING=1): wall
// milliseconds since the process started (what the user waits) and CPU milliseconds (what the
// work costs, whatever the machine's load).
#pragma once

namespace netstep::viz {

struct Timing {
    bool on = false;
    double start = 0.0;  // the process's start, in seconds since boot
    void begin();        // start = when this process was started
    void mark(const char* what) const;
};

}  // namespace netstep::viz
