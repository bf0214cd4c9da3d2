// Colors and sizes: a light, high-contrast theme that survives a classroom projector.
#pragma once
#include <imgui.h>

#include "model/tcp_state.hpp"
#include "viz/trace_view.hpp"

namespace netstep::viz::theme {

constexpr ImU32 rgb(int r, int g, int b, int a = 255) {
    return ImU32(r) | (ImU32(g) << 8) | (ImU32(b) << 16) | (ImU32(a) << 24);
}

// Packets, by kind (the legend shows the same).
constexpr ImU32 packet_color(PacketKind k) {
    switch (k) {
        case PacketKind::Syn: return rgb(30, 150, 50);      // green
        case PacketKind::SynAck: return rgb(0, 110, 80);    // dark green
        case PacketKind::Fin: return rgb(235, 120, 0);      // orange
        case PacketKind::Rst: return rgb(215, 25, 30);      // red
        case PacketKind::Data: return rgb(20, 90, 200);     // blue
        case PacketKind::Ack: return rgb(110, 110, 110);    // gray
        case PacketKind::Udp: return rgb(140, 60, 190);     // purple
        case PacketKind::Icmp: return rgb(215, 170, 0);     // yellow (dark enough on white)
        case PacketKind::Arp: return rgb(0, 140, 170);      // teal: the link layer
        case PacketKind::Other: break;
    }
    return rgb(0, 0, 0);
}

constexpr ImU32 kInk = rgb(20, 20, 25);             // text and outlines
constexpr ImU32 kMuted = rgb(120, 120, 130);        // secondary lines
constexpr ImU32 kFaint = rgb(205, 208, 215);        // grid, inactive arrows
constexpr ImU32 kPaper = rgb(255, 255, 255);
constexpr ImU32 kNetwork = rgb(60, 70, 90);         // network bars
constexpr ImU32 kHostFill = rgb(236, 242, 252);
constexpr ImU32 kRouterFill = rgb(255, 243, 214);
constexpr ImU32 kDrop = rgb(215, 25, 30);
constexpr ImU32 kNow = rgb(255, 200, 0, 90);        // the current step's band
constexpr ImU32 kSelected = rgb(0, 0, 0);
constexpr ImU32 kCaptionBg = rgb(255, 244, 190);
constexpr ImU32 kHighlight = rgb(255, 220, 90);     // inspector: field under the mouse
constexpr ImU32 kJourneyRow = rgb(205, 225, 250);   // inspector: the hop shown in the journey table
constexpr ImU32 kJourney = rgb(0, 0, 0, 70);        // ladder: the other hops of the selected datagram
// The two ends of the selected connection (Okabe-Ito blue and vermillion: colorblind-safe).
constexpr ImU32 kEndA = rgb(0, 114, 178);
constexpr ImU32 kEndB = rgb(213, 94, 0);

inline ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace netstep::viz::theme
