// Every piece of UI text, in English, French and Italian. A panel reads `vm.text.xxx`; no string
// shown to the user is written anywhere else. Protocol names (SYN, ESTABLISHED, SND.NXT) are not
// translated: students meet them in that form in the RFC and in Wireshark.
#pragma once
#include <string>
#include <string_view>

namespace netstep::viz {

enum class Language { En, Fr, It };

// Each table sets its strings by name (i18n.cpp); French and Italian start from English.
struct Strings {
    // Windows.
    const char* topology = "?";
    const char* ladder = "?";
    const char* states = "?";
    const char* variables = "?";
    const char* hosts = "?";
    const char* inspector = "?";
    const char* log = "?";
    // Controls.
    const char* play = "?";
    const char* pause = "?";
    const char* first_step = "?";
    const char* last_step = "?";
    const char* step_back = "?";
    const char* step_forward = "?";
    const char* prev_packet = "?";
    const char* next_packet = "?";
    const char* prev_state = "?";
    const char* next_state = "?";
    const char* step = "?";            // "step"
    const char* speed = "?";
    const char* steps_per_second = "?";  // "steps/s"
    const char* real_time = "?";
    const char* slow_motion = "?";
    const char* breakpoints = "?";
    const char* stop_on_state = "?";
    const char* stop_on_errors = "?";
    const char* open = "?";
    const char* reload = "?";
    const char* presenter = "?";
    const char* language = "?";
    const char* screenshot_saved = "?";
    const char* keys_help = "?";
    // Presenter mode on a small screen: the big panel's names beside their keys 1-5.
    const char* big_topology = "?";
    const char* big_sequence = "?";
    const char* big_states = "?";
    const char* big_variables = "?";
    const char* big_details = "?";     // hosts, packet, log, MAC table (the tabs)
    const char* big_terminal = "?";
    // Topology and legend.
    const char* legend_data = "?";
    const char* legend_ack = "?";
    const char* legend_dropped = "?";
    const char* router = "?";
    const char* more_packets = "?";    // "+%d more": packets in flight whose label found no room
    // Exports (handouts and slides, viz/export/).
    const char* page = "?";            // "Page 2 / 5"
    const char* captions_title = "?";  // the handout's list of what the teacher says
    const char* handout_saved = "?";   // the viewer's menu: "Handout written: %s"
    const char* export_handout = "?";  // the menu item
    const char* close = "?";
    // Ladder and what-if.
    const char* no_packets = "?";
    const char* all_lifelines = "?";   // the checkbox: every lifeline, not only the connection's
    const char* what_if = "?";
    const char* drop_packet = "?";
    const char* delay_packet = "?";
    const char* duplicate_packet = "?";
    const char* revert = "?";
    const char* modified = "?";
    // State diagram and variables.
    const char* no_connection = "?";
    const char* end_a = "?";
    const char* end_b = "?";
    const char* variable = "?";
    const char* not_armed = "?";
    const char* fires_in = "?";
    const char* timers = "?";
    const char* relative_seq = "?";    // the checkbox: sequence numbers relative to ISS/IRS
    const char* send_queue = "?";
    const char* recv_queue = "?";
    const char* retransmits = "?";
    const char* delayed_ack = "?";     // the timer
    const char* persist = "?";         // the timer
    // Hosts.
    const char* adapter = "?";
    const char* ipv4_address = "?";
    const char* subnet_mask = "?";
    const char* default_gateway = "?";
    const char* physical_address = "?";  // the interface's MAC address (ipconfig /all)
    const char* proto = "?";
    const char* local_address = "?";
    const char* foreign_address = "?";
    const char* state = "?";
    const char* no_sockets = "?";
    const char* closed = "?";          // netstat: the program has called close() on it
    const char* closed_help = "?";     // ... its tooltip
    const char* connection_gone = "?"; // variables: the connection is over, nothing left
    // The MAC table panel (a switch's table at the step).
    // The time-sequence graph (sequence number against time, one direction of a connection).
    const char* time_sequence = "?";   // the tab
    const char* tsg_no_tcp = "?";      // the run has no TCP connection
    const char* tsg_data = "?";        // legend: a data segment
    const char* tsg_resent = "?";      // ... a retransmission
    const char* tsg_lost = "?";        // ... a segment lost on the way
    const char* tsg_ack = "?";         // ... the ACK line
    const char* tsg_window = "?";      // ... ACK + receive window
    const char* tsg_show_cwnd = "?";   // the checkbox (the line: SND.UNA + cwnd)
    const char* tsg_reset = "?";       // the button: back to the whole graph
    const char* tsg_help = "?";        // tooltip: wheel to zoom, drag to pan, click a segment
    const char* mac_table = "?";       // the tab
    const char* no_switch = "?";       // the run has no switch (one line)
    const char* switch_word = "?";     // "switch" (the box in the topology, the panel's heading)
    const char* mac_table_help = "?";  // one line: what the table is
    const char* mac_table_empty = "?"; // a switch that knows no address
    const char* mac_col = "?";
    const char* port_col = "?";
    const char* host_col = "?";
    const char* learned_col = "?";
    const char* age_col = "?";
    const char* learned_now = "?";     // beside the row learned at this step
    // UDP (the space of the state diagram when a scenario has no TCP).
    const char* udp_sockets = "?";
    const char* no_udp = "?";
    const char* socket_col = "?";
    const char* sent = "?";
    const char* received = "?";
    const char* lost = "?";
    const char* icmp_errors = "?";
    const char* udp_help = "?";
    // Inspector.
    const char* select_packet = "?";
    const char* field = "?";
    const char* value = "?";
    const char* bytes = "?";
    const char* dropped_because = "?";
    const char* journey = "?";         // the section: the hops of one IP datagram across routers
    const char* journey_lit = "?";     // beside it: what the lit columns mean
    const char* journey_help = "?";    // its tooltip: what changes, what stays, click a hop
    const char* hop_col = "?";         // the column: the hop's number, its link, from -> to
    const char* lost_here = "?";       // a hop dropped on its link (its ✗'s tooltip): the journey ends there
    // Predict mode (the question band).
    const char* predict = "?";          // the checkbox and the band's heading
    const char* predict_help = "?";     // its tooltip
    const char* predict_question = "?"; // "Question %zu of %zu"
    const char* predict_vote = "?";     // how to answer
    const char* predict_right = "?";
    const char* predict_wrong = "?";
    const char* predict_skipped = "?";
    const char* predict_go_on = "?";    // after the reveal: how to see the event
    const char* predict_score = "?";    // "Score: %zu right of %zu"
    const char* predict_next = "?";     // "Next question at step %zu ..."
    const char* predict_done = "?";     // every question asked
    const char* predict_none = "?";     // the run gives no question
    // Log.
    const char* filter = "?";
    const char* packets = "?";
    const char* state_changes = "?";
    const char* timers_filter = "?";
    const char* calls = "?";
    const char* captions = "?";
    const char* errors = "?";
    // Terminal.
    const char* terminal = "?";
    const char* terminal_host = "?";       // the host selector's label
    const char* terminal_running = "?";    // the input's hint while a command runs
    const char* terminal_help = "?";       // the input's tooltip: Enter, history, keys
    const char* terminal_demo = "?";       // the demo trace cannot be run again
    const char* terminal_rerunning = "?";  // the input's hint while the scenario runs again
    const char* discard_later = "?";       // "Typing here discards %d later commands."
    const char* discard_later_one = "?";   // ... one later command
    const char* save_scenario = "?";       // the button, the popup's title
    const char* save = "?";
    const char* cancel = "?";
    const char* ok = "?";
    const char* saved_to = "?";            // "Saved to" PATH
    // Loading.
    const char* scenario_error = "?";
    const char* loading = "?";
};

Strings strings_for(Language lang);
// A state change's cause ("rcv FIN", "close", "2MSL timeout") in the language; a cause it does
// not know is shown as the trace has it.
std::string translate_cause(std::string_view cause, Language lang);
// "fr", "fr_FR.UTF-8", "it_IT" -> Fr/It; anything else English.
Language language_from(std::string_view code);
const char* language_code(Language lang);  // "en", "fr", "it"

}  // namespace netstep::viz
