// Names of timers and timer actions, as the trace prints them.
#include "events.hpp"

namespace netstep {

std::string_view to_string(TimerKind k) {
    switch (k) {
        case TimerKind::Retransmission: return "retransmission";
        case TimerKind::DelayedAck: return "delayed-ack";
        case TimerKind::TimeWait: return "time-wait";
        case TimerKind::Persist: return "persist";
    }
    return "?";
}

std::string_view to_string(TimerAction a) {
    switch (a) {
        case TimerAction::Armed: return "armed";
        case TimerAction::Fired: return "fired";
        case TimerAction::Cancelled: return "cancelled";
    }
    return "?";
}

}  // namespace netstep
