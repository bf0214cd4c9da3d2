// ======================================================================================
// STAND-INS, TO BE DELETED AT MERGE: minimal local versions of functions declared in
// sim/journal.hpp, sim/shell.hpp and sim/shell_text.hpp, implemented for real on other
// branches. They exist only so that the viewer's Terminal panel builds and runs until those
// land (then delete this file; the real ones must be in a library netstep_viz links:
// netstep_trace, or add the library to viz/CMakeLists.txt).
// ======================================================================================
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "sim/journal.hpp"
#include "sim/shell.hpp"
#include "sim/shell_text.hpp"

namespace netstep::sim {

std::string terminal_prompt(ToolStyle style, std::string_view host) {
    if (style == ToolStyle::Windows) return "C:\\Users\\" + std::string(host) + ">";
    return std::string(host) + ":~$ ";
}

namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool top_level_key(const std::string& line) {
    return !line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '-' && line.find(':') != std::string::npos;
}

}  // namespace

// Stand-in: always a new program per host named "terminal" appended to `programs:` (the real
// one extends an existing terminal program and handles several hosts).
std::string add_typed_lines(const std::string& yaml, const std::vector<TypedLine>& lines) {
    if (lines.empty()) return yaml;
    std::vector<std::string> hosts;
    for (const TypedLine& l : lines) {
        if (std::find(hosts.begin(), hosts.end(), l.host) == hosts.end()) hosts.push_back(l.host);
    }
    std::ostringstream programs;
    for (const std::string& host : hosts) {
        programs << "  - host: " << host << "\n    name: " << kTerminalProgram << "\n    steps:\n";
        for (const TypedLine& l : lines) {
            if (l.host != host) continue;
            programs << "      - type: { ";
            if (l.at.ns > 0) programs << "at: " << l.at.ns << "ns, ";  // the parser wants at > 0
            if (l.key == step::Type::Key::Line) programs << "line: " << quoted(l.line);
            else programs << "key: " << (l.key == step::Type::Key::CtrlC ? "ctrl-c" : "ctrl-d");
            programs << " }\n";
        }
    }
    std::vector<std::string> text;
    std::istringstream in(yaml);
    for (std::string line; std::getline(in, line);) text.push_back(line);
    size_t key = text.size();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i].rfind("programs:", 0) == 0) key = i;
    }
    std::ostringstream out;
    if (key == text.size()) {
        out << yaml;
        if (!yaml.empty() && yaml.back() != '\n') out << '\n';
        out << "programs:\n" << programs.str();
        return out.str();
    }
    size_t last = key;
    for (size_t i = key + 1; i < text.size() && !top_level_key(text[i]); ++i) {
        size_t first = text[i].find_first_not_of(' ');
        if (first != std::string::npos && text[i][first] != '#') last = i;
    }
    for (size_t i = 0; i < text.size(); ++i) {
        out << (i == key ? std::string("programs:") : text[i]) << '\n';
        if (i == last) out << programs.str();
    }
    return out.str();
}

namespace shell {

// Stand-in: an unknown first word or a line too long; everything else passes.
std::string check_command(std::string_view line, const std::vector<std::string>&, ToolStyle style) {
    if (line.size() > step::kMaxTerminalLine) return "line too long";
    std::string word(line.substr(0, line.find(' ')));
    if (word.empty()) return "";
    static const char* known[] = {"help", "cls", "clear", "ipconfig", "ip", "ifconfig", "netstat", "ss", "ping",
                                  "traceroute", "tracert", "nc", "socket", "bind", "listen", "accept", "connect",
                                  "send", "recv", "sendto", "recvfrom", "shutdown", "close", "setsockopt", "exit"};
    for (const char* k : known) {
        if (word == k) return "";
    }
    if (style == ToolStyle::Windows)
        return "'" + word + "' is not recognized as an internal or external command,\noperable program or batch file.";
    return word + ": command not found";
}

}  // namespace shell

}  // namespace netstep::sim
