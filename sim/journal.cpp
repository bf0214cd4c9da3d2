// A terminal session written into a scenario's text (sim/journal.hpp).
//
// The edit is made on the text, not by writing the scenario out again: every comment, blank line
// and the order of keys survive. Where things are is read from the YAML parser (sim/yaml.hpp
// gives each node's line, column and byte offset), not guessed from indentation:
//  - a host's terminal program (host: H, name: terminal or terminal-H) that exists: its new
//    steps go after the last line of its last step, at the column of its first step's '-';
//  - otherwise a new program at the end of the top-level `programs:` list, at the column of that
//    list's '-' (a `programs:` with nothing or `[]` gets the program as its first item; a file
//    without `programs:` gets one at its end).
// Program names are unique per host: each host's terminal is named `terminal` (a program named
// `terminal-HOST` is that host's terminal too, for typed_lines()).
// Flow-style lists (`programs: [ {...} ]` with items, `steps: [ ... ]`) are not edited: the
// functions throw std::invalid_argument saying so.
//
// A line is written as `- type: { at: 1.5s, line: "nc server 80" }`: the time in the shortest
// exact unit (model/time.hpp; nanoseconds when the loader would not read that form back), the
// line double-quoted with escapes for '"', '\' and every character YAML would not keep as it is
// (control characters, NEL, the line and paragraph separators, the byte-order mark). A line at
// 0s is written without `at` (the loader refuses `at: 0s`: durations are positive): the terminal
// starts at 0s, so the step is reached at once.
#include "sim/journal.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/yaml.hpp"

namespace netstep::sim {

namespace {

// ---- Writing a line --------------------------------------------------------------------------

// One UTF-8 code point at `i` (advanced past it), or -1 for a malformed sequence.
int32_t next_code_point(std::string_view s, size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + size_t(len) > s.size()) return -1;
    int32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
        unsigned char d = static_cast<unsigned char>(s[i + size_t(k)]);
        if ((d >> 6) != 0x2) return -1;
        cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += size_t(len);
    return cp;
}

constexpr const char* hex = "0123456789ABCDEF";

std::string quoted(std::string_view line) {
    std::string out = "\"";
    for (size_t i = 0; i < line.size();) {
        size_t start = i;
        int32_t cp = next_code_point(line, i);
        if (cp < 0) throw std::invalid_argument("a typed line must be UTF-8 text");
        switch (cp) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\t': out += "\\t"; continue;
            default: break;
        }
        // What YAML keeps as written: printable characters, not line breaks (NEL, LS, PS).
        bool plain = (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
                     (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) || cp >= 0x10000;
        if (cp == 0x2028 || cp == 0x2029) plain = false;
        if (plain) {
            out.append(line, start, i - start);
        } else if (cp < 0x100) {
            out += "\\x";
            out += hex[cp >> 4];
            out += hex[cp & 0xF];
        } else {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 0xF];
        }
    }
    return out + "\"";
}

// The time as the loader reads it back: to_string's shortest unit when it is exact, else ns.
std::string time_text(Instant at) {
    Duration d = at - Instant::zero();
    std::string text = to_string(d);
    if (parse_duration_text(text) != d) text = std::to_string(d.ns) + "ns";
    return text;
}

std::string step_text(const TypedLine& t) {
    if (t.at < Instant::zero()) throw std::invalid_argument("a typed line at a negative time");
    std::string text = "- type: { ";
    if (t.at > Instant::zero()) text += "at: " + time_text(t.at) + ", ";
    switch (t.key) {
        case step::Type::Key::CtrlC: text += "key: ctrl-c"; break;
        case step::Type::Key::CtrlD: text += "key: ctrl-d"; break;
        case step::Type::Key::Line:
            if (t.line.size() > step::kMaxTerminalLine) {
                throw std::invalid_argument("a typed line of " + std::to_string(t.line.size()) +
                                            " bytes: a terminal line holds at most " +
                                            std::to_string(step::kMaxTerminalLine));
            }
            if (t.line.find_first_of("\r\n") != std::string::npos) {
                throw std::invalid_argument("a typed line with a line break");
            }
            text += "line: " + quoted(t.line);
            break;
    }
    return text + " }";
}

// ---- Finding places in the text --------------------------------------------------------------

struct Text {
    const std::string& s;
    std::vector<size_t> line_starts;  // byte offset of each line

    explicit Text(const std::string& text) : s(text) {
        line_starts.push_back(0);
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\n') line_starts.push_back(i + 1);
        }
    }
    size_t lines() const { return line_starts.size(); }
    std::string_view line(size_t n) const {
        size_t start = line_starts[n];
        size_t end = n + 1 < lines() ? line_starts[n + 1] - 1 : s.size();
        if (end > start && s[end - 1] == '\r') --end;
        return std::string_view(s).substr(start, end - start);
    }
    size_t line_of(size_t offset) const {
        return size_t(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin()) - 1;
    }
    // Offset just past line n (after its '\n'; the end of the text for the last line).
    size_t after_line(size_t n) const { return n + 1 < lines() ? line_starts[n + 1] : s.size(); }
};

yaml::Node find_key(const yaml::Node& map, std::string_view key) {
    if (!map.is_map()) return {};
    for (size_t i = 0; i < map.size(); ++i) {
        if (map.key(i).is_scalar() && map.key(i).scalar() == key) return map.value(i);
    }
    return {};
}

// The key node itself (for where `programs:` is written).
yaml::Node find_key_node(const yaml::Node& map, std::string_view key) {
    if (!map.is_map()) return {};
    for (size_t i = 0; i < map.size(); ++i) {
        if (map.key(i).is_scalar() && map.key(i).scalar() == key) return map.key(i);
    }
    return {};
}

// Every node's offset, and for each node the largest offset in its subtree.
struct Offsets {
    std::vector<size_t> all;  // sorted
    void collect(const yaml::Node& n, size_t depth = 0) {
        if (n.mark().line < 0 || depth > 1000) return;
        all.push_back(n.mark().offset);
        if (n.is_list()) {
            for (size_t i = 0; i < n.size(); ++i) collect(n.item(i), depth + 1);
        } else if (n.is_map()) {
            for (size_t i = 0; i < n.size(); ++i) {
                collect(n.key(i), depth + 1);
                collect(n.value(i), depth + 1);
            }
        }
    }
    static size_t last_in(const yaml::Node& n, size_t depth = 0) {
        size_t last = n.mark().line < 0 ? 0 : n.mark().offset;
        if (depth > 1000) return last;
        if (n.is_list()) {
            for (size_t i = 0; i < n.size(); ++i) last = std::max(last, last_in(n.item(i), depth + 1));
        } else if (n.is_map()) {
            for (size_t i = 0; i < n.size(); ++i) {
                last = std::max(last, last_in(n.key(i), depth + 1));
                last = std::max(last, last_in(n.value(i), depth + 1));
            }
        }
        return last;
    }
};

bool blank_or_comment(std::string_view line, size_t max_comment_indent) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) return true;
    // A '#' indented deeper than the item may be a line of a block scalar (`say: |`): content.
    return line[first] == '#' && first <= max_comment_indent;
}

// The line after which text following `item` (a list item whose '-' is at column `dash`) goes:
// its last line, before the comments and blank lines that precede what comes next.
size_t end_line_of(const Text& text, const Offsets& offsets, const yaml::Node& item, size_t dash) {
    size_t last = Offsets::last_in(item);
    size_t last_line = text.line_of(last);
    auto next = std::upper_bound(offsets.all.begin(), offsets.all.end(), last);
    size_t boundary = next == offsets.all.end() ? text.lines() : text.line_of(*next);
    size_t line = boundary;
    while (line > last_line + 1 && blank_or_comment(text.line(line - 1), dash)) --line;
    return std::max(line == 0 ? 0 : line - 1, last_line);
}

// The column of the '-' of a block list item (the node starts after "- ").
size_t dash_column(const Text& text, const yaml::Node& item) {
    std::string_view line = text.line(size_t(item.mark().line));
    size_t col = std::min(size_t(item.mark().offset - text.line_starts[size_t(item.mark().line)]), line.size());
    while (col > 0) {
        --col;
        if (line[col] == '-') return col;
    }
    return 0;
}

bool is_flow(const Text& text, const yaml::Node& n) {
    return n.mark().offset < text.s.size() && (text.s[n.mark().offset] == '[' || text.s[n.mark().offset] == '{');
}

struct Insert {
    size_t offset;
    std::string text;
    size_t order;  // for inserts at one offset: in the order made
};

// The value written after `key:` is nothing, `~`, `null` or `[]` (a list with no item yet):
// the edit that removes it, leaving the rest of the line (a comment), and the offset after the
// line, where the items go. Empty optional when the value is something else.
std::optional<size_t> clear_empty_value(const Text& text, const yaml::Node& key, const yaml::Node& value,
                                        std::vector<std::pair<size_t, size_t>>& removals) {
    if (value.is_list() && value.size() == 0 && is_flow(text, value)) {
        size_t open = value.mark().offset;
        size_t close = text.s.find(']', open);
        if (close == std::string::npos) return std::nullopt;
        if (text.line_of(close) != text.line_of(open)) return std::nullopt;
        removals.push_back({open, close + 1});
        return text.after_line(text.line_of(close));
    }
    if (!value.is_null()) return std::nullopt;
    size_t key_line = text.line_of(key.mark().offset);
    if (value.mark().line >= 0 && text.line_of(value.mark().offset) == key_line) {
        std::string_view rest = std::string_view(text.s).substr(value.mark().offset);
        for (std::string_view token : {"null", "Null", "NULL", "~"}) {
            if (rest.starts_with(token)) {
                removals.push_back({value.mark().offset, value.mark().offset + token.size()});
                break;
            }
        }
    }
    return text.after_line(key_line);
}

std::string indent(size_t n) { return std::string(n, ' '); }

}  // namespace

bool is_terminal_program(std::string_view name, std::string_view host) {
    return name == kTerminalProgram ||
           (name.size() == std::string_view(kTerminalProgram).size() + 1 + host.size() &&
            name.starts_with(kTerminalProgram) && name[std::string_view(kTerminalProgram).size()] == '-' &&
            name.ends_with(host));
}

std::string add_typed_lines(const std::string& yaml, const std::vector<TypedLine>& lines) {
    if (lines.empty()) return yaml;
    const yaml::Document doc = yaml::Document::parse(yaml);
    const yaml::Node root = doc.root();
    if (!root.is_map()) throw std::invalid_argument("not a scenario: expected a mapping at the top");
    const Text text(yaml);
    if (is_flow(text, root)) throw std::invalid_argument("a scenario written in flow style ({...}) cannot be edited");
    Offsets offsets;
    offsets.collect(root);
    std::sort(offsets.all.begin(), offsets.all.end());

    // Each host's lines, hosts in the order they first appear.
    std::vector<std::string> hosts;
    std::map<std::string, std::vector<std::string>> step_lines;
    for (const TypedLine& t : lines) {
        if (!step_lines.count(t.host)) hosts.push_back(t.host);
        step_lines[t.host].push_back(step_text(t));
    }

    std::vector<Insert> inserts;
    std::vector<std::pair<size_t, size_t>> removals;  // [begin, end) byte ranges
    auto add = [&](size_t offset, std::string s) { inserts.push_back({offset, std::move(s), inserts.size()}); };

    const yaml::Node programs_key = find_key_node(root, "programs");
    const yaml::Node programs = find_key(root, "programs");
    std::map<std::string, yaml::Node> terminal_of;  // host -> its terminal program's node
    if (programs.is_list()) {
        for (size_t i = 0; i < programs.size(); ++i) {
            const yaml::Node p = programs.item(i);
            const yaml::Node host = find_key(p, "host"), name = find_key(p, "name");
            if (!host.is_scalar() || !name.is_scalar()) continue;
            if (is_terminal_program(name.scalar(), host.scalar()) && !terminal_of.count(host.scalar())) {
                terminal_of[host.scalar()] = p;
            }
        }
    }

    // Existing terminals: their steps extended.
    std::vector<std::string> new_programs;  // hosts without a terminal yet
    for (const std::string& host : hosts) {
        auto found = terminal_of.find(host);
        if (found == terminal_of.end()) {
            new_programs.push_back(host);
            continue;
        }
        const yaml::Node program = found->second;
        const yaml::Node steps = find_key(program, "steps");
        std::string body;
        if (steps.is_list() && steps.size() > 0) {
            if (is_flow(text, steps)) {
                throw std::invalid_argument("the terminal program of " + host +
                                            " writes its steps in flow style ([...]): write them as a block list");
            }
            size_t dash = dash_column(text, steps.item(0));
            for (const std::string& s : step_lines[host]) body += indent(dash) + s + "\n";
            size_t after = end_line_of(text, offsets, steps.item(steps.size() - 1), dash);
            size_t at = text.after_line(after);
            if (at == yaml.size() && !yaml.empty() && yaml.back() != '\n') body = "\n" + body;
            add(at, body);
        } else {
            const yaml::Node steps_key = find_key_node(program, "steps");
            if (steps_key.mark().line < 0) {
                throw std::invalid_argument("the terminal program of " + host + " has no 'steps:'");
            }
            auto at = clear_empty_value(text, steps_key, steps, removals);
            if (!at) throw std::invalid_argument("the terminal program of " + host + ": cannot read its steps");
            size_t col = size_t(steps_key.mark().column);
            for (const std::string& s : step_lines[host]) body += indent(col + 2) + s + "\n";
            if (*at == yaml.size() && !yaml.empty() && yaml.back() != '\n') body = "\n" + body;
            add(*at, body);
        }
    }

    if (!new_programs.empty()) {
        size_t dash = 2;
        std::optional<size_t> at;
        std::string head;  // "programs:\n" when the file has none
        if (programs.is_list() && programs.size() > 0) {
            if (is_flow(text, programs)) {
                throw std::invalid_argument("the programs are written in flow style ([...]): write them as a block list");
            }
            dash = dash_column(text, programs.item(0));
            size_t after = end_line_of(text, offsets, programs.item(programs.size() - 1), dash);
            at = text.after_line(after);
        } else if (programs_key.mark().line >= 0) {
            at = clear_empty_value(text, programs_key, programs, removals);
            if (!at) throw std::invalid_argument("cannot read the scenario's 'programs:'");
        } else {
            at = yaml.size();
            head = "\nprograms:\n";
        }
        std::string body = head;
        for (const std::string& host : new_programs) {
            std::string name = kTerminalProgram;
            body += indent(dash) + "- host: " + host + "\n";
            body += indent(dash + 2) + "name: " + name + "\n";
            body += indent(dash + 2) + "steps:\n";
            for (const std::string& s : step_lines[host]) body += indent(dash + 4) + s + "\n";
        }
        if (*at == yaml.size() && !yaml.empty() && yaml.back() != '\n') body = "\n" + body;
        add(*at, body);
    }

    // Apply from the end: removals and inserts never overlap (a removal is inside a line, an
    // insert at the start of a line).
    std::string out = yaml;
    std::sort(removals.begin(), removals.end());
    std::stable_sort(inserts.begin(), inserts.end(), [](const Insert& a, const Insert& b) {
        return a.offset != b.offset ? a.offset > b.offset : a.order > b.order;
    });
    // Merge into one descending list of edits.
    struct Edit {
        size_t begin, end;
        std::string text;
    };
    std::vector<Edit> edits;
    for (const auto& [b, e] : removals) edits.push_back({b, e, ""});
    for (const Insert& i : inserts) edits.push_back({i.offset, i.offset, i.text});
    std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.text);
    return out;
}

std::vector<TypedLine> typed_lines(const Scenario& scenario) {
    std::vector<TypedLine> out;
    for (const Program& p : scenario.programs) {
        if (!is_terminal_program(p.name, p.host)) continue;
        Instant previous = Instant::zero();
        for (const Step& s : p.steps) {
            const auto* type = std::get_if<step::Type>(&s.body);
            if (!type) continue;
            TypedLine t;
            t.host = p.host;
            t.at = type->at ? Instant::zero() + *type->at : previous;
            t.key = type->key;
            if (type->key == step::Type::Key::Line) t.line = type->line;
            previous = t.at;
            out.push_back(std::move(t));
        }
    }
    return out;
}

}  // namespace netstep::sim
