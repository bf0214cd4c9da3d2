// Views of a trace written to files: text (handouts, golden tests), JSON (other tools, and the
// visualizer, which runs `netstep run FILE --json OUT` in a subprocess and reads it back) and
// pcap (Wireshark, sim/output_pcap.hpp: it needs libpcap, which the viewer does not link). The
// formats are documented in output_text.cpp and docs/trace-json.md.
#pragma once
#include <exception>
#include <functional>
#include <iosfwd>
#include <string>

#include "sim/trace.hpp"
#include "sim/trace_index.hpp"

namespace netstep::sim {

// --- Text ------------------------------------------------------------------------------------
// The whole trace: a header (title, profile, seed, networks, hosts), one line per event, and the
// outcome. Deterministic: the same trace gives the same bytes.
struct TextOptions {
    // Each event's line starts with its step (its index in Trace::events): the numbers
    // `netstep view --step N` and the viewer use. Every event prints exactly one line.
    bool steps = false;
};
void write_text(const Trace& trace, std::ostream& out, const TextOptions& options = {});
// One event without time and host, as write_text prints it ("browser: connect(s, web:80) = 0");
// an Output event gives its first line only. For event lists in the visualizer.
std::string describe_event(const TraceIndex& index, uint32_t step);

// --- JSON ------------------------------------------------------------------------------------
void write_json(const Trace& trace, std::ostream& out);
// Reads what write_json wrote. Throws std::runtime_error naming what was expected where
// ("trace JSON: events[3].kind: expected an event kind, got \"sent\"") on malformed input.
Trace read_json(std::istream& in);
void write_json_file(const Trace& trace, const std::string& path);  // atomically
Trace read_json_file(const std::string& path);                      // runtime_error if unreadable

// --- Files -----------------------------------------------------------------------------------
// Calls write(temp_path) to fill a new temporary file in the same directory as `path`, then
// renames it to `path`: readers never see a half-written file. On any exception the temporary
// file is removed and the exception propagates (the old file at `path`, if any, is untouched).
using FileWriter = std::function<void(const std::string& temp_path)>;
void write_file_atomically(const std::string& path, const FileWriter& write);

// What an exception that stopped a command (netstep run, check, the viewer's loading) says to
// its user: std::bad_alloc is named as running out of memory (its what() is only
// "std::bad_alloc"); any other gives its what().
std::string error_message(const std::exception& e);

}  // namespace netstep::sim
