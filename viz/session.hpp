// What the viewer shows and where it comes from: the trace of a scenario file (run by the
// simulator as a child process), the player stepping through it and the selection; "what if"
// copies of the scenario, lines typed into hosts' terminals (the journal), and reloading when the
// file changes on disk. No window, no ImGui: the app draws it, tests drive it.
//
// What-if faults and typed lines are both edits of the original scenario's text, kept apart and
// applied together on every run (the faults, then the journal's `type` steps): a fault then a
// typed line keeps the fault, and typing at an earlier step drops only later lines.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/journal.hpp"
#include "viz/commands.hpp"
#include "viz/loader.hpp"
#include "viz/player.hpp"
#include "viz/trace_view.hpp"
#include "viz/view_model.hpp"

namespace netstep::viz {

class Session {
public:
    Session(std::string netstep_exe, std::string file, uint32_t first_step);
    ~Session();  // removes the what-if copies it wrote
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // --- Actions ---------------------------------------------------------------------------
    // Reads a run started with start_load(); keep_step: stay at the current step (else the first).
    void load(PendingLoad pending, bool keep_step);
    void load(const std::string& file, bool keep_step);
    // Re-runs the scenario with a fault on that packet, at the same step; false if it cannot.
    bool what_if(uint32_t packet, Fault fault);
    // A line (or ctrl-c / ctrl-d) typed into `line.host`'s terminal at `line.at`: journal lines
    // after that time are dropped, the line added, the scenario run again at the same step; then
    // the player plays forward from it. False (the journal as it was) if the run fails.
    bool type(const sim::TypedLine& line);
    // The same without waiting: the run starts (false if it cannot), poll() ends it.
    bool begin_type(const sim::TypedLine& line);
    // Ends a run begun by begin_type() once the simulator has exited (wait: without waiting for
    // it); true when one ended (then see type()'s result in `generation` and `journal`).
    bool poll(bool wait = false);
    bool busy() const { return pending_.has_value(); }  // a typed line's run is under way
    // Journal lines typed after `at` (typing at `at` would discard them).
    size_t lines_after(Instant at) const;
    void revert();                                    // back to the file (no faults, no journal), same step
    bool reload() { return rerun(); }                 // the file read again, the edits kept, same step
    // The scenario as shown (the file with the what-if faults and the typed lines).
    std::string edited_text() const;
    // Writes edited_text() to `path`; false with `error` set if it cannot.
    bool save_as(const std::string& path, std::string& error) const;
    // Where "Save as scenario" proposes to write: beside the original, "<stem>-session.yaml", or
    // in the current directory when that directory is not writable.
    std::string default_save_path() const;
    // The run as shown as a printable handout (viz/export/, A4 PDF) in `lang`; false with `error`
    // set if it cannot be drawn or written. Where it proposes to write: as default_save_path(),
    // "<stem>-handout.pdf".
    bool export_handout(const std::string& path, Language lang, std::string& error) const;
    std::string default_handout_path() const;
    void open(const std::string& path);              // another scenario, from its first step
    // Reloads (same step) when the scenario file's modification time changed since last seen.
    bool reload_if_changed();

    // --- State (read by the app and by tests) ----------------------------------------------
    std::string netstep_exe;
    std::unique_ptr<sim::Trace> trace;
    std::unique_ptr<TraceView> view;
    uint64_t generation = 0;           // +1 per trace loaded
    Player player;
    Selection selection;
    std::string original_file;         // the scenario the user opened
    std::string current_file;          // it, or a what-if copy of it
    std::vector<std::string> scenarios;  // the .yaml files beside it
    std::string error;                 // the last run's error, empty when it succeeded
    int64_t original_mtime = 0;        // of original_file when last loaded or checked
    uint32_t first_step = 0;
    std::vector<std::string> copies;   // what-if scenario files written (removed at the end)
    std::vector<std::string> faults;   // what-if fault entries added to the original, in order
    std::vector<sim::TypedLine> journal;  // lines typed into terminals, in the order typed
    std::string saved_to;              // the last "Save as scenario" path (empty: none)

    bool modified() const { return current_file != original_file; }

private:
    std::string beside_original(const std::string& suffix) const;
    bool rerun();  // runs edited_text() (the file itself when there are no edits), same step
    std::string write_copy();  // edited_text() into the what-if copy; its path
    std::optional<PendingLoad> pending_;         // begin_type()'s run
    std::vector<sim::TypedLine> pending_before_; // the journal before it (restored if it fails)
    uint32_t pending_step_ = 0;                  // the step it was typed at
    sim::TypedLine pending_line_;                // the line typed
    uint32_t typed_step(const sim::TypedLine& line, uint32_t from) const;
};

// Nanoseconds since the epoch of a file's last modification (0 if it cannot be read).
int64_t file_mtime(const std::string& path);

}  // namespace netstep::viz
