// The panels. Each is a struct in the style of imgui_club's MemoryEditor: public options (with
// their defaults), a marked internal-state block, and draw(vm, out) that draws the trace at the
// current step inside the window the app opened, pushing what the user asked for into `out`.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <imgui.h>

#include "model/wire/wire.hpp"
#include "viz/layout.hpp"
#include "sim/journal.hpp"
#include "sim/journey.hpp"
#include "sim/mac_table.hpp"
#include "viz/commands.hpp"
#include "viz/ladder_model.hpp"
#include "viz/terminal_view.hpp"
#include "viz/time_sequence.hpp"
#include "viz/view_model.hpp"

namespace netstep::viz {

// Title, description and the caption in force: the first thing the class reads.
struct HeaderPanel {
    // Internal state (read by tests to click the buttons).
    ImVec2 export_center{}, export_ok_center{}, export_close_center{};
    bool export_shown = false;         // the "Export handout" popup was drawn this frame
    std::array<char, 1024> export_path{};

    void draw(const ViewModel& vm, Commands& out);
    void draw_export(const ViewModel& vm, Commands& out);
};

// Step buttons, speed, breakpoints, the timeline, and the keyboard shortcuts.
struct ControlsPanel {
    // Options.
    bool keyboard = true;              // = true  // shortcuts active (off while typing in a filter)
    // Internal state (read by tests to click the buttons).
    ImVec2 step_forward_center{}, step_back_center{}, play_center{}, keys_help_center{};
    bool keys_help_shown = false;      // the "(?)" beside the step was hovered: the keys are listed
    std::string shown_time;            // the time the last frame showed ("12.004 ms")

    void draw(const ViewModel& vm, Commands& out);
    void handle_keys(const ViewModel& vm, Commands& out) const;

private:
    void draw_buttons(const ViewModel& vm, Commands& out);
    void draw_speed(const ViewModel& vm, Commands& out) const;
    void draw_breakpoints(const ViewModel& vm, Commands& out) const;
    void draw_timeline(const ViewModel& vm, Commands& out) const;
    void draw_panel_keys(const ViewModel& vm) const;
};

// Predict mode's band: the question asked before the next event, its choices A-D, the reveal
// with the rule, the score (viz/predict.hpp holds the state; keys A-D, Esc, P).
struct PredictPanel {
    // Internal state (read by tests to click a choice).
    std::vector<ImVec2> choice_min, choice_max;

    static float height(const FontSizes& sizes);  // the band's height in the layout
    void draw(const ViewModel& vm, Commands& out);
    void handle_keys(const ViewModel& vm, Commands& out) const;
};

// Hosts, routers and networks; packets moving along links; drops as red crosses.
struct TopologyPanel {
    // Options.
    bool show_addresses = true;        // = true  // address under each host name
    bool show_legend = true;           // = true
    bool show_labels = true;           // = true  // "SYN seq=0" beside each moving packet

    void draw(const ViewModel& vm, Commands& out);

    // Internal state: the layout, in pixels from the canvas's top left, recomputed when a new
    // trace is loaded or the canvas or the font changes.
    struct Node {
        ImVec2 at{};                                       // box center
        float link_x = 0;                                  // where its link meets its network's bar
        bool router = false;
        bool on_bar = false;                               // drawn on its bar (a crowded LAN's server)
        bool compact = false;                              // a small box; its address when lit (else in its tooltip)
    };
    struct Bar { float x0 = 0, x1 = 0, y = 0; };           // a network's bar
    // A network of kind: switch is drawn as a switch: a box where its bar would be, one line per
    // port to the host plugged into it, the port's number at the switch's end.
    struct Port {
        uint32_t host = 0, interface = 0;
        uint32_t number = 0;                               // from 1 (sim::switch_ports order)
        ImVec2 at{};                                       // on the switch box's edge
    };
    struct Switch {
        uint32_t network = 0;
        ImVec2 center{}, half{};
        bool two_lines = true;                             // name, then "switch" and subnet; else one
                                                           // line at the left, the ports right of it
                                                           // and their numbers inside (a short panel)
        std::vector<Port> ports;
        const Port* port_of(uint32_t host, uint32_t interface = kNone) const;
    };
    struct Layout {
        std::vector<Node> hosts;
        std::vector<Bar> networks;
        std::vector<Switch> switches;                      // the switched networks' (none in a crowded LAN)
        ImVec2 box_half{}, compact_half{};                 // half sizes of a box and of a compact one
        float marker = 0;                                  // a packet marker's half height (x1.3: width)
        float strip = 0;                                   // a crowded LAN: the left strip's right edge
        uint64_t generation = ~uint64_t(0);
        ImVec2 canvas{};                                   // the size it was computed for
        float font_size = 0;                               // ... and the font
    };
    Layout layout;
    uint32_t hovered_packet = kNone;
    uint32_t hovered_host = kNone;
    uint32_t context_packet = kNone;   // the packet whose what-if menu is open
    // What the last frame drew (read by tests).
    struct LabelBox { uint32_t packet; ImVec2 min, max; };
    std::vector<LabelBox> labels;      // the packet labels
    int unlabeled_packets = 0;         // ... and the packets drawn without one
    struct HostBox { uint32_t host; ImVec2 min, max; ImVec2 name_min, name_max; };
    std::vector<HostBox> host_rects;   // ... the host boxes, and the names in them
    struct Drawn { uint32_t id; ImVec2 min, max; };
    std::vector<Drawn> address_rects;  // ... the address labels (id: the host)
    std::vector<Drawn> marker_rects;   // ... the packet markers (id: the packet)
    std::vector<Drawn> network_rects;  // ... the networks' names (id: the network)
    std::vector<Drawn> switch_rects;   // ... the switches' boxes (id: the network)
    struct PortLine { uint32_t network, host, number; ImVec2 host_end, switch_end; ImVec2 number_min, number_max; };
    std::vector<PortLine> port_lines;  // ... the lines from a switch's ports to the hosts, with the numbers' boxes
    struct CutText { ImVec2 min, max; std::string text; };
    std::vector<CutText> cut_texts;    // ... texts cut with "…": the whole text in a tooltip

private:
    struct Frame;                      // one frame's canvas and what is drawn on it so far
    struct Mark;                       // a packet's marker
    void compute_layout(const ViewModel& vm, ImVec2 canvas);
    void spread_layout(const ViewModel& vm, ImVec2 canvas, const std::vector<std::vector<uint32_t>>& members,
                       const std::vector<uint32_t>& routers);
    std::vector<ImVec2> path_of(const Frame& f, uint32_t packet, uint32_t to) const;
    void crowded_layout(const ViewModel& vm, ImVec2 canvas, std::vector<uint32_t> members);
    void place_switches(const ViewModel& vm, ImVec2 canvas);
    const Switch* switch_of(uint32_t network) const;
    ImVec2 host_end(uint32_t host, ImVec2 port) const;
    void draw_bars(Frame& f) const;
    void draw_switches(const ViewModel& vm, Frame& f);
    void draw_port_line(Frame& f, const Switch& sw, uint32_t host, uint32_t interface);
    void draw_links(Frame& f);
    void draw_hosts(const ViewModel& vm, Frame& f);
    void draw_callouts(Frame& f);
    void draw_network_names(const ViewModel& vm, Frame& f);
    std::vector<Mark> draw_packets(const ViewModel& vm, Frame& f);
    void draw_packet_labels(const ViewModel& vm, Frame& f, const std::vector<Mark>& marks);
    void draw_more_counts(const ViewModel& vm, Frame& f);
    void handle_hover(const ViewModel& vm, const Frame& f, Commands& out);
    void draw_legend(const ViewModel& vm, ImVec2 origin) const;
};

// One lifeline per endpoint (host:port), one arrow per packet hop, sloping by its flight time. ARP
// frames go between hosts: a host's first lifeline (a lifeline of its own when it has none); a
// broadcast fans out to every host of its network.
// Lifelines keep one order for the whole run: by host as the scenario declares them, then by first
// use. When they do not all fit, only those of the connection shown (else of the current packet).
// The selected packet's arrow is lit, and lighter the other hops of its IP datagram (sim::journey).
struct LadderPanel {
    // Options.
    float column_width = 170.0f;       // = 170  // widest gap between lifelines (x1.35 presenter)
    float min_gap = 30.0f;             // = 30   // pixels between two packets sent
    float max_gap = 90.0f;             // = 90   // long waits are compressed to this
    bool auto_scroll = true;           // = true // keep the current step in view
    bool all_lifelines = false;        // = false // every lifeline, scrolling sideways (a checkbox)
    static constexpr size_t kManyLifelines = 6;

    void draw(const ViewModel& vm, Commands& out);

    // Internal state.
    using Lifeline = viz::Lifeline;
    using Arrow = LadderArrow;
    struct Cache : LadderModel {           // ladder_model(), for one trace
        uint64_t generation = ~uint64_t(0);
    };
    Cache cache;
    // The vertical scale of the lifelines shown: only their packets take room.
    struct Rows {
        std::vector<bool> shown;           // per lifeline
        float scale = 0;                   // font size / 17
        std::vector<float> step_y;         // per step: its y, growing with time (long waits compressed)
        float flight_px = 60.0f;           // y span of a packet with no end
    };
    Rows rows;
    uint32_t last_scrolled_step = kNone;
    uint32_t context_packet = kNone;   // the packet whose what-if menu is open
    // The hops of the selected packet's IP datagram across routers (sim::journey), found again
    // when the selection or the trace changes; empty when it crossed one link only.
    struct Journey {
        uint32_t selected = kNone;
        uint64_t generation = ~uint64_t(0);
        std::vector<uint32_t> packets;     // in hop order
    };
    Journey journey;
    float scroll_x = 0.0f;             // of the diagram, for the lifeline names above it
    // Where the last frame drew things (read by tests to click and to check them).
    std::vector<std::pair<uint32_t, ImVec2>> label_centers;  // packet, its label's center
    std::array<ImVec2, 3> menu_centers{};                     // drop, delay, duplicate
    struct Box { uint32_t id; ImVec2 min, max; };             // id: the lifeline or the packet
    struct Line {
        uint32_t packet; int from, to; ImVec2 a, b;
        bool other_hop = false;            // another hop of the selected packet's datagram: lit lighter
    };
    std::vector<Box> heads, labels;    // name tags, packet labels
    std::vector<Line> lines;           // arrows (their whole path, also while in flight)
    std::vector<Box> times;            // time labels: the now band's (id kNone), then packets' (id: the packet)
    std::string shown_time;            // the now band's label, the controls' time ("12.004 ms")
    ImVec2 view_min{}, view_max{};     // the diagram's visible area

private:
    struct Frame;                      // one frame's columns, the rows in view, what is drawn so far
    struct DrawnArrow;                 // an arrow drawn, with its label's box
    void build(const ViewModel& vm);
    void find_journey(const ViewModel& vm);
    std::vector<bool> lifelines_to_show(const ViewModel& vm, float avail, float min_col) const;
    void layout_rows(const ViewModel& vm, const std::vector<bool>& shown, float scale);
    float y_now(const ViewModel& vm) const;
    Frame place_columns(const ViewModel& vm);
    void draw_heads(const ViewModel& vm, const Frame& f);
    void open_diagram(const ViewModel& vm, Frame& f);
    void keep_in_view(const ViewModel& vm, const Frame& f, float view_h);
    void draw_now(const ViewModel& vm, Frame& f);
    void draw_lifelines(const Frame& f) const;
    void draw_times(const ViewModel& vm, Frame& f);
    std::vector<DrawnArrow> draw_arrows(const ViewModel& vm, const Frame& f);
    void draw_labels(const ViewModel& vm, Frame& f, std::vector<DrawnArrow>& drawn);
    void handle_hover(const ViewModel& vm, const Frame& f, const std::vector<DrawnArrow>& drawn, Commands& out);
};

// The what-if menu for a packet (right-click in the ladder or the topology).
// `centers` (optional) receives the centers of the drop, delay and duplicate items.
void what_if_menu(const ViewModel& vm, uint32_t packet, Commands& out, std::array<ImVec2, 3>* centers = nullptr);

// RFC 9293 Figure 5: the eleven states, the transitions, both ends of a connection lit.
struct StatesPanel {
    // Options.
    bool show_all_labels = false;      // = false // label every transition (busy), not only the last

    void draw(const ViewModel& vm, Commands& out);

    // Internal state: what the last frame showed (read by tests).
    std::array<std::optional<TcpState>, 2> shown{};  // the lit state of end A and end B
    struct Countdown { uint32_t history; std::string text; ImVec2 min, max; };
    std::vector<Countdown> countdowns;                // TIME-WAIT countdowns beside the box
};

// UDP sockets where a scenario has no TCP: datagrams sent, received, lost, ICMP errors received.
struct UdpPanel {
    void draw(const ViewModel& vm, Commands& out);

    // Internal state: the rows the last frame drew (read by tests).
    struct Shown { uint32_t history; UdpCounts counts; };
    std::vector<Shown> shown;
};

// SND.UNA, SND.NXT, SND.WND, cwnd and ssthresh (sending), RCV.NXT and RCV.WND (receiving), ISS,
// IRS, MSS, RTO, SRTT, queues, retransmissions, timers with countdowns.
struct VariablesPanel {
    bool relative = true;              // = true  // sequence numbers relative to the ISN/IRS

    void draw(const ViewModel& vm, Commands& out);

    // Internal state: what the last frame showed (read by tests).
    std::array<std::string, 2> shown_states;          // the State row of end A and end B ("—": none)
    std::vector<std::string> countdowns;              // the running timers' texts, "◷ TIME-WAIT 59.998 s"
};

// Per host: ipconfig (adapters, addresses, masks, gateways) and netstat at the current step.
struct HostsPanel {
    bool only_connection_hosts = false;  // = false // only the hosts of the selected connection

    void draw(const ViewModel& vm, Commands& out);

    // Internal state: the netstat rows the last frame drew (read by tests).
    struct Row { uint32_t host; uint32_t history; std::string state; };
    std::vector<Row> rows;
    std::vector<std::string> macs;     // ... and the MAC addresses listed ("02-4E-..", Linux "02:4e:..")
};

// The time-sequence graph (Stevens, tcptrace) of one direction of one TCP connection: each
// segment a vertical bar from its first to its last byte at the time it was sent (resent ones
// vermillion, lost ones crossed out), the ACK line and the receive window's edge the receiver
// sent back, SND.UNA + cwnd on request; a cursor at the current time, what is still to come
// faded. Wheel: zoom around the mouse; drag: pan; click a segment: select it everywhere.
struct TimeSequencePanel {
    // Options.
    bool show_cwnd = false;            // = false // the congestion window line
    // Internal state.
    uint32_t connection = kNone;       // chosen in the selector (kNone: the selected packet's)
    int direction = -1;                // 0: a -> b, 1: b -> a (-1: the one carrying data)
    uint32_t chosen_for = kNone;       // the selected packet when the user chose (another: follow it)
    bool zoomed = false;
    double view_t0 = 0, view_t1 = 1;   // the visible range, seconds (when zoomed)
    double view_s0 = 0, view_s1 = 1;   // ... and bytes
    struct Cache {
        uint64_t generation = ~uint64_t(0);
        std::vector<TsgConnection> connections;
        uint32_t connection = kNone;
        int direction = -1;
        TimeSequence series;
    };
    Cache cache;
    // What the last frame drew (read by tests).
    struct Bar { uint32_t packet = kNone; ImVec2 min{}, max{}; };
    std::vector<Bar> bars;             // on screen, in the plot
    ImVec2 plot_min{}, plot_max{};     // the plot area
    std::vector<std::pair<ImVec2, ImVec2>> time_labels, seq_labels;  // tick labels' rectangles
    float cursor_x = -1;               // the current time's line (-1: outside)
    uint32_t shown_connection = kNone; // index into cache.connections
    int shown_direction = -1;
    bool no_tcp_shown = false;

    void draw(const ViewModel& vm, Commands& out);

private:
    void draw_selectors(const ViewModel& vm);
    void draw_plot(const ViewModel& vm, Commands& out);
};

// The MAC address table of each switch (a network of kind: switch) at the current step, as the
// `mac_table` step computes it (sim::mac_table_at): MAC, port, host behind it, learned at, age;
// the row learned at this step lit. A run without a switch: one line says so.
struct MacTablePanel {
    void draw(const ViewModel& vm, Commands& out);

    // Internal state: the tables of the step drawn (a replay of the switch's frames, once a step).
    struct Cache {
        uint64_t generation = ~uint64_t(0);
        uint32_t step = kNone;
        std::vector<std::vector<sim::MacTableEntry>> tables;  // per switch, in `switches` order
    };
    Cache cache;
    // What the last frame showed (read by tests).
    struct Row {
        uint32_t network = 0;
        std::string mac, port, host, learned, age;  // as drawn: "02:00:00:00:00:10", "1", "laptop"
        bool lit = false;                           // learned at this step
    };
    std::vector<Row> rows;
    std::vector<uint32_t> switches;    // the switched networks, in order
    bool no_switch_shown = false;      // the run has none: the one line was drawn
};

// The selected packet layer by layer, with the real bytes; the field under the mouse lit in both.
// Above them, when the packet's IP datagram crossed routers, its journey: one row per hop (link,
// hosts, Ethernet source and destination, IP source and destination, TTL), the hop shown lit, the
// columns that change from hop to hop (the MACs, the TTL) highlighted; a click selects a hop.
struct InspectorPanel {
    int bytes_per_row = 8;             // = 8
    std::string pinned_field;          // = ""   // lit as if hovered: "tcp.flags", "ipv4.ttl" (screenshots)

    void draw(const ViewModel& vm, Commands& out);

    // Internal state.
    uint32_t cached_packet = kNone;
    uint64_t cached_generation = ~uint64_t(0);
    std::vector<wire::WireField> fields;
    std::vector<sim::JourneyHop> journey;  // the packet's datagram, hop by hop (sim::journey)
    int hovered_field = -1;            // from the previous frame (fields or bytes)
    int pinned = -1;                   // pinned_field's index in `fields` (-1: none)
    int scrolled_to = -1;              // the pinned field the list was last scrolled to
    int hex_scrolled_to = -1;          // ... and the bytes
    // What the last frame drew of the journey (read by tests): its rows, as drawn, and which
    // columns were highlighted because their value changes from one hop to the next.
    struct JourneyRow {
        uint32_t packet = kNone;
        std::string link, hosts, ethernet, ip, ttl;  // "office", "laptop → router", "02:..:10 → 02:..:01"
        bool selected = false;                       // the hop shown: its row lit
        ImVec2 min{}, max{};                         // the row on screen (to click it)
    };
    std::vector<JourneyRow> journey_rows;
    struct JourneyChanges { bool ethernet = false, ip = false, ttl = false; };
    JourneyChanges journey_changes;

private:
    void draw_journey(const ViewModel& vm, uint32_t packet, Commands& out);
};

// The field a selector names: "LAYER.NAME" or "NAME", case, spaces, '-' and '_' ignored; NAME may
// be a prefix ("tcp.seq") or initials ("ipv4.ttl"). -1 when none matches.
int find_field(const std::vector<wire::WireField>& fields, const std::string& selector);
// The packet the inspector shows at `step` when none is selected: the one of that step's event,
// else the last one sent at or before it (kNone before the first).
uint32_t packet_at_or_before(const TraceView& view, uint32_t step);

// Every event, filterable; the current step highlighted and kept in view; click to go there.
struct LogPanel {
    // Options (the filter checkboxes).
    bool packets = true, states = true, timers = true, calls = true, captions = true, other = true;
    bool only_errors = false;
    std::array<char, 96> search{};

    void draw(const ViewModel& vm, Commands& out);

    // Internal state: the steps passing the filter, rebuilt when the filter or trace changes.
    std::vector<uint32_t> rows;
    std::string rows_key;
    uint32_t last_scrolled_step = kNone;

private:
    bool passes(const ViewModel& vm, uint32_t step) const;
    std::string filter_key(const ViewModel& vm) const;
};

// A host's command prompt: the trace's terminal of the chosen host at the current step (what it
// printed, the prompt it waits at) and an input row. A line typed becomes a `type` step in the
// scenario at the current step's time (cmd::Type: the session's journal, then a rerun). A line
// the shell would refuse (sim::shell::check_command) is answered here, as a local message that
// never enters the journal and vanishes on the next step change or trace loaded.
struct TerminalPanel {
    // Options.
    size_t max_lines = 2000;           // = 2000 // of the screen kept (the newest)

    void draw(const ViewModel& vm, Commands& out);
    // Ctrl+S (whatever has the keyboard): true when the save popup was asked for.
    bool handle_keys();

    // Internal state.
    std::string host;                  // chosen in the selector ("": the default, see host_index)
    std::array<char, 4097> input{};    // the line being typed (a terminal line holds 4095 bytes)
    std::vector<std::string> history;  // lines entered, oldest first
    int history_pos = -1;              // browsing with Up/Down (-1: a new line)
    std::vector<std::string> local;    // local messages (refused lines), until the step or trace changes
    uint64_t local_generation = 0;
    uint32_t local_step = kNone;
    uint32_t local_host = kNone;
    std::optional<sim::TypedLine> confirm;  // waiting for OK / Cancel (it discards later lines)
    size_t confirm_discards = 0;
    bool confirm_open = false;         // OpenPopup on the next draw
    bool save_requested = false;       // Ctrl+S or the button: open the save popup
    std::array<char, 1024> save_path{};
    bool focus_input = false;          // give the input the keyboard on the next frame
    struct Cache {
        uint64_t generation = ~uint64_t(0);
        TerminalEvents events;             // of events.host, in that trace
        uint32_t step = kNone;
        TerminalScreen screen;             // at that step
    };
    Cache cache;
    size_t last_line_count = 0;        // to scroll to the bottom when the screen grows
    uint32_t last_step_drawn = kNone;
    // What the last frame showed (read by tests).
    uint32_t shown_host = kNone;
    std::vector<std::string> shown_lines;        // the screen, then the local messages
    std::optional<std::string> shown_prompt;     // the input row's prompt (nullopt: a command runs)
    ImVec2 screen_min{}, screen_max{};           // the console's text area
    ImVec2 input_min{}, input_max{};             // the input field
    ImVec2 save_center{}, ok_center{}, cancel_center{};  // the button, the confirmation's buttons
    ImVec2 save_ok_center{};                     // the save popup's Save button
    bool confirm_shown = false;                  // the confirmation popup was drawn
    bool save_shown = false;                     // the save popup was drawn

    uint32_t host_index(const ViewModel& vm) const;  // the host shown

private:
    void submit(const ViewModel& vm, const sim::TypedLine& line, Commands& out);
    void draw_popups(const ViewModel& vm, Commands& out);
};

}  // namespace netstep::viz
