// The sequence (ladder) diagram without a screen: its lifelines, one arrow per packet hop, and
// the y of each step. The viewer's ladder (panel_ladder.cpp) and the printed one
// (viz/export/) draw this one model. Pure logic: no ImGui, no cairo.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "viz/trace_view.hpp"

namespace netstep::viz {

// One lifeline per endpoint (host:port); a host's own for routers and ARP.
struct Lifeline { std::string name; uint32_t host = kNone; };

// One arrow per host a frame reached: a broadcast (or a frame a switch flooded) fans out to
// every other host of its network; the main arrow (to the host it is for) carries the label.
struct LadderArrow {
    uint32_t packet = 0;
    int from = 0, to = 0;                  // lifelines
    uint32_t flow = 0;
    uint32_t end_step = kNone;             // its arrival (a broadcast's first), or the drop
    bool main = true;                      // the label's; the others are drawn only beside it
    bool taken = true;                     // false: the card ignored it (a flooded unicast, not its MAC)
};

struct LadderModel {
    std::vector<Lifeline> lifelines;       // in their order on screen: by host as declared, then first use
    std::vector<LadderArrow> arrows;       // in packet order, the main arrow first
    std::vector<uint32_t> packet_flow;     // per packet, its flow
    // Conversations: protocol and both endpoints, lower first; an ICMP error joins the
    // datagram it quotes; an ARP request and its reply (sim::kArpProtocol, sender and target
    // IP) are one. Value: the flow's index.
    std::map<std::tuple<uint8_t, Endpoint, Endpoint>, uint32_t> flows;
    double typical_flight = 1e6;           // ns: the median flight time sets the vertical scale
};

LadderModel ladder_model(const TraceView& view);

// The vertical scale: gaps between steps, in the drawing's unit.
struct LadderScale {
    float top = 0;                         // the first step's y
    float gap_min = 30, gap_max = 90;      // between two packets sent; a long wait compressed to gap_max
    float flight() const { return gap_min * 2.2f; }  // a typical flight's height
};

// Each step's y: time compressed (long waits to gap_max), and room for every packet sent
// between the lifelines shown (`shown`, per lifeline); the others' packets take none.
std::vector<float> ladder_rows(const sim::Trace& t, const LadderModel& m, const std::vector<bool>& shown,
                               const LadderScale& scale);

}  // namespace netstep::viz
