// The session: loading, what-if and reload (see session.hpp).
#include "viz/session.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/install.hpp"
#include "sim/output.hpp"
#ifndef NETSTEP_WEB
#include "viz/export/export.hpp"
#endif
#include "viz/whatif.hpp"

namespace netstep::viz {

namespace {

std::vector<std::string> list_scenarios(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int64_t file_mtime(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return 0;
    return int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

Session::Session(std::string exe, std::string file, uint32_t step)
    : netstep_exe(std::move(exe)), original_file(file), current_file(std::move(file)), first_step(step) {}

Session::~Session() {
    if (pending_) finish_load(*pending_);  // reaps the child, removes its files
    std::error_code ec;
    for (const std::string& copy : copies) {
        std::filesystem::remove(copy, ec);
        std::filesystem::remove(std::filesystem::path(copy).parent_path(), ec);  // only once empty
    }
}

void Session::load(const std::string& file, bool keep_step) { load(start_load(netstep_exe, file), keep_step); }

void Session::load(PendingLoad pending, bool keep_step) {
    uint32_t step = keep_step ? player.step() : first_step;
    std::string file = pending.file;
    if (file == original_file) original_mtime = file_mtime(original_file);  // before the run reads it
    LoadResult r = finish_load(pending);
    if (!r.trace) {  // the previous trace stays on screen, under the error
        error = r.error.empty() ? "netstep run " + file + " failed" : r.error;
        return;
    }
    error.clear();
    view.reset();
    trace = std::move(r.trace);
    view = std::make_unique<TraceView>(*trace);
    ++generation;
    current_file = file;
    selection = {};
    player.pause();
    player.go_to(step, *view);
    std::string dir = std::filesystem::path(original_file).parent_path().string();
    scenarios = list_scenarios(original_file == ":demo" ? sim::scenarios_dir() : dir.empty() ? "." : dir);
}

std::string Session::edited_text() const {
    std::string text = read_text(original_file);
    for (const std::string& entry : faults) text = add_fault(text, entry);
    return journal.empty() ? text : sim::add_typed_lines(text, journal);
}

std::string Session::write_copy() {
    if (file_mtime(original_file) != 0) original_mtime = file_mtime(original_file);  // the copy reads it now
    std::string copy = write_scenario_copy(original_file, edited_text());
    if (std::find(copies.begin(), copies.end(), copy) == copies.end()) copies.push_back(copy);
    return copy;
}

bool Session::rerun() {
    poll(true);  // a typed line's run first
    uint64_t before = generation;
    if (faults.empty() && journal.empty()) load(original_file, true);
    else load(write_copy(), true);
    return generation != before;
}

// A lesson in the browser is one recorded run: no simulator to run it again (viz/web).
#ifdef NETSTEP_WEB
constexpr const char* kReadOnly = "open this lesson in netstep to change it";
#endif

bool Session::what_if(uint32_t packet, Fault fault) {
#ifdef NETSTEP_WEB
    (void)packet;
    (void)fault;
    error = kReadOnly;
    return false;
#endif
    poll(true);
    if (!view || original_file == ":demo" || packet >= view->trace().packets.size()) return false;
    faults.push_back(fault_entry(*view, packet, fault));
    if (rerun()) return true;
    faults.pop_back();
    return false;
}

size_t Session::lines_after(Instant at) const {
    return size_t(std::count_if(journal.begin(), journal.end(), [&](const sim::TypedLine& l) { return l.at > at; }));
}

bool Session::type(const sim::TypedLine& line) {
    uint64_t before = generation;
    return begin_type(line) && poll(true) && generation != before;
}

bool Session::begin_type(const sim::TypedLine& line) {
#ifdef NETSTEP_WEB
    (void)line;
    error = kReadOnly;
    return false;
#endif
    poll(true);  // one run at a time
    if (!view || original_file == ":demo") return false;
    pending_before_ = journal;
    std::erase_if(journal, [&](const sim::TypedLine& l) { return l.at > line.at; });
    journal.push_back(line);
    pending_step_ = player.step();
    pending_line_ = line;
    pending_ = start_load(netstep_exe, write_copy());
    return true;
}

// The step where the new run shows `line` typed (its Input event): a terminal echoes what is typed
// at once; from there the class watches what it caused. `from` if there is none.
uint32_t Session::typed_step(const sim::TypedLine& line, uint32_t from) const {
    const sim::Trace& t = view->trace();
    for (uint32_t i = from; i < t.events.size() && t.events[i].time <= line.at; ++i) {
        const sim::TraceEvent& e = t.events[i];
        if (e.kind == sim::EventKind::Input && e.time == line.at && e.host < t.hosts.size() &&
            t.hosts[e.host].name == line.host)
            return i;
    }
    return from;
}

bool Session::poll(bool wait) {
    if (!pending_ || (!wait && !load_done(*pending_))) return false;
    PendingLoad p = std::move(*pending_);
    pending_.reset();
    uint64_t before = generation;
    load(std::move(p), true);
    if (generation == before) {  // the run failed: its error shown, the journal as it was
        journal = std::move(pending_before_);
        return true;
    }
    // The line echoed (the step typed at, even if the user stepped meanwhile, then its Input), and
    // playing on: the class sees what the command caused.
    player.go_to(typed_step(pending_line_, std::min(pending_step_, view->last_step())), *view);
    player.play(*view);
    return true;
}

void Session::revert() {
    poll(true);
    faults.clear();
    journal.clear();
    load(original_file, true);
}

bool Session::save_as(const std::string& path, std::string& error) const {
    if (original_file == ":demo") {
        error = "the demo trace has no scenario file";
        return false;
    }
    std::string text = edited_text();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out) out << text;
    if (!out || !out.flush()) {
        error = "cannot write " + path;
        return false;
    }
    return true;
}

std::string Session::default_save_path() const { return beside_original("-session.yaml"); }
std::string Session::default_handout_path() const { return beside_original("-handout.pdf"); }

bool Session::export_handout(const std::string& path, Language lang, std::string& error) const {
#ifndef NETSTEP_WEB
    if (!view) {
        error = "no run to export";
        return false;
    }
    try {
        std::string pdf = exporting::export_handout(*view, {.lang = lang});
        sim::write_output(path, [&](const sim::OutputFd& out) { sim::write_bytes(out, pdf.data(), pdf.size()); });
        return true;
    } catch (const std::exception& e) {
        error = sim::error_message(e);
        return false;
    }
#else
    (void)path;
    (void)lang;
    error = "open this lesson in netstep to export it";
    return false;
#endif
}

// "<stem><suffix>" beside the original, or in the current directory when that is not writable.
std::string Session::beside_original(const std::string& suffix) const {
    namespace fs = std::filesystem;
    fs::path original(original_file == ":demo" ? "demo.yaml" : original_file);
    std::string name = original.stem().string() + suffix;
    fs::path dir = original.parent_path();
    if (access(dir.empty() ? "." : dir.c_str(), W_OK) == 0) return (dir / name).string();
    return (fs::current_path() / name).string();
}

void Session::open(const std::string& path) {
    poll(true);
    original_file = path;
    original_mtime = 0;
    faults.clear();
    journal.clear();
    load(path, false);
}

// The edits (faults, journal) are kept: they apply to the new text.
bool Session::reload_if_changed() {
    if (original_file == ":demo") return false;
    int64_t m = file_mtime(original_file);
    if (m == 0 || m == original_mtime) return false;
    original_mtime = m;
    rerun();
    return true;
}

}  // namespace netstep::viz
