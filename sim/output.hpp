// Views of a trace written to files: text (handouts, golden tests), JSON (other tools, and the
// visualizer, which runs `netstep run FILE --json OUT` in a subprocess and reads it back) and
// pcap (Wireshark, sim/output_pcap.hpp: it needs libpcap, which the viewer does not link). The
// formats are documented in output_text.cpp and docs/trace-json.md.
#pragma once
#include <cstddef>
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
// One event's line(s) exactly as write_text prints it ("  0.002000 web    <- ..."), without a
// step column, '\n' included (an Output event: its "| " lines too). For `netstep shell`.
std::string event_line(const TraceIndex& index, uint32_t step);

// --- JSON ------------------------------------------------------------------------------------
void write_json(const Trace& trace, std::ostream& out);
// Reads what write_json wrote. Throws std::runtime_error naming what was expected where
// ("trace JSON: events[3].kind: expected an event kind, got \"sent\"") on malformed input.
Trace read_json(std::istream& in);
void write_json_file(const Trace& trace, const std::string& path);  // with write_output (below)
Trace read_json_file(const std::string& path);                      // runtime_error if unreadable

// --- Files -----------------------------------------------------------------------------------
// One way to write every output (JSON, pcap, the text trace, the viewer's screenshots), so that
// none can be left half-written or written somewhere else (issue 14, "unsafe outputs"):
//  - "-" is standard output, written as it is;
//  - a character device or a FIFO (/dev/null, a pipe made by mkfifo) is opened and written in
//    place, never replaced by a regular file;
//  - a directory, a block device or a socket is refused;
//  - anything else (a regular file, or no file yet) is replaced atomically: a new temporary file
//    beside it made exclusively by mkstemp (O_EXCL: a symlink planted at any name is never
//    followed), every write checked, fsync, close checked, renamed over `path`, then the
//    directory fsynced. Readers never see a half-written file. Through a symlink, the file it
//    names is replaced and the link kept.
// On any error (ENOSPC, EFBIG under RLIMIT_FSIZE, EIO...) the temporary file is removed, the old
// file at `path` is untouched, and std::runtime_error says "cannot write PATH: REASON".
struct OutputFd {
    int fd = -1;
    std::string name;  // what errors call it: the path, or "standard output"
};
// Writes all `size` bytes (partial writes and EINTR retried) or throws "cannot write NAME: ...".
void write_bytes(const OutputFd& out, const void* data, size_t size);
// Gives `fill` a buffered std::ostream on `out`; every write checked as write_bytes does.
void write_stream(const OutputFd& out, const std::function<void(std::ostream&)>& fill);
using OutputWriter = std::function<void(const OutputFd& out)>;
void write_output(const std::string& path, const OutputWriter& write);
// Throws what write_output would say of `path` before writing anything ("cannot write out: it is
// a directory"), so that a command can refuse before a long run rather than after.
void check_output(const std::string& path);
// What a file's st_mode (stat) says it is, for messages: "a FIFO", "a character device",
// "a directory", "a block device", "a socket", "a regular file".
const char* file_kind(unsigned mode);

// What an exception that stopped a command (netstep run, check, the viewer's loading) says to
// its user: std::bad_alloc is named as running out of memory (its what() is only
// "std::bad_alloc"); any other gives its what().
std::string error_message(const std::exception& e);

}  // namespace netstep::sim
