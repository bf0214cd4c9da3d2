// The journal (sim/journal.hpp): lines typed into terminals, written into a scenario's text as
// `type` steps and read back by the loader, exactly; the rest of the file as it was.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/journal.hpp"
#include "sim/scenario.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string scenario_file(const std::string& name) { return read_text(std::string(NETSTEP_SOURCE_DIR) + "/scenarios/" + name); }

// Lines no quoting must lose.
std::vector<std::string> awkward() {
    return {
        "ping web",
        "echo \"quoted\" and 'single'",
        "C:\\Users\\laptop\\file \\\\ \\n not a newline",
        "unicode: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE2\x80\xA8 sep \xC2\x85 nel \xEF\xBB\xBF bom",
        "# not a comment",
        "key: value",
        "- leading dash",
        "  leading and trailing spaces  ",
        "tab\there, bell \x07, escape \x1B[0m, del \x7F",
        "{ flow: [1, 2] } & * ! | > % @ `",
        "",
        std::string(step::kMaxTerminalLine, 'x'),
        "null",
        "~",
    };
}

std::vector<TypedLine> lines_for(const std::vector<std::string>& hosts, Instant start) {
    std::vector<TypedLine> out;
    Instant at = start;
    size_t i = 0;
    for (const std::string& text : awkward()) {
        TypedLine t;
        t.host = hosts[i++ % hosts.size()];
        t.at = at;
        t.line = text;
        out.push_back(t);
        at = at + Duration::nanos(1'000'000'001);  // 1.000000001s: nanoseconds matter
    }
    TypedLine c{hosts[0], at, "", step::Type::Key::CtrlC};
    TypedLine d{hosts[0], at + Duration::millis(250), "", step::Type::Key::CtrlD};
    out.push_back(c);
    out.push_back(d);
    return out;
}

// The lines of `all` typed on `host`, in order.
std::vector<TypedLine> of_host(const std::vector<TypedLine>& all, const std::string& host) {
    std::vector<TypedLine> out;
    for (const TypedLine& t : all) {
        if (t.host == host) out.push_back(t);
    }
    return out;
}

std::vector<TypedLine> sorted_by_host(const std::vector<TypedLine>& lines, const std::vector<std::string>& order) {
    std::vector<TypedLine> out;
    for (const std::string& h : order) {
        auto mine = of_host(lines, h);
        out.insert(out.end(), mine.begin(), mine.end());
    }
    return out;
}

// Every comment line of `text` ('#' first on the line).
std::vector<std::string> comments(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        size_t first = line.find_first_not_of(' ');
        if (first != std::string::npos && line[first] == '#') out.push_back(line);
    }
    return out;
}

bool same_steps(const Program& a, const Program& b) {
    if (a.steps.size() != b.steps.size()) return false;
    for (size_t i = 0; i < a.steps.size(); ++i) {
        if (a.steps[i].verb() != b.steps[i].verb() || a.steps[i].where.line != b.steps[i].where.line) return false;
    }
    return true;
}

// add_typed_lines twice on `original`; everything checked.
void round_trip(const std::string& original, const std::vector<std::string>& hosts, const std::string& name) {
    CAPTURE(name);
    const Scenario before = load_scenario_text(original, name);
    std::vector<TypedLine> first = lines_for(hosts, Instant::zero());
    std::string once = add_typed_lines(original, first);
    Scenario after_once;
    REQUIRE_NOTHROW(after_once = load_scenario_text(once, name));
    CHECK(typed_lines(after_once) == sorted_by_host(first, hosts));

    std::vector<TypedLine> second = lines_for(hosts, Instant::zero() + Duration::seconds(100));
    std::string twice = add_typed_lines(once, second);
    Scenario after;
    REQUIRE_NOTHROW(after = load_scenario_text(twice, name));
    std::vector<TypedLine> both;
    for (const std::string& h : hosts) {
        auto a = of_host(first, h), b = of_host(second, h);
        both.insert(both.end(), a.begin(), a.end());
        both.insert(both.end(), b.begin(), b.end());
    }
    CHECK(typed_lines(after) == both);
    // One terminal per host: the second call extended the programs the first made.
    CHECK(after.programs.size() == before.programs.size() + hosts.size());
    // The original text is all there, in order: comments, every other program.
    CHECK(comments(twice).size() >= comments(original).size());
    for (const std::string& c : comments(original)) CHECK(twice.find(c) != std::string::npos);
    for (size_t i = 0; i < before.programs.size(); ++i) {
        CHECK(after.programs[i].name == before.programs[i].name);
        CHECK(after.programs[i].host == before.programs[i].host);
        CHECK(same_steps(after.programs[i], before.programs[i]));
    }
}

const char* const kLab =
    "# A lab: hosts and a network, nothing running. Explore it from a terminal.\n"
    "netstep: 1\n"
    "title: lab\n"
    "networks:\n"
    "  - { name: lan, subnet: 192.168.1.0/24, latency: 2ms, bandwidth: 100Mbps }\n"
    "hosts:\n"
    "  - name: laptop   # the student's\n"
    "    interfaces:\n"
    "      - { network: lan, ip: 192.168.1.10 }\n"
    "  - name: web\n"
    "    interfaces:\n"
    "      - { network: lan, ip: 192.168.1.20 }\n"
    "# the end of the file\n";

}  // namespace

TEST_CASE("journal: a typed line is written exactly") {
    std::string out = add_typed_lines(kLab, {{"laptop", Instant::zero() + Duration::millis(1500), "nc server 80"},
                                             {"laptop", Instant::zero() + Duration::nanos(1'000'000'001), "a\"b\\c"},
                                             {"laptop", Instant::zero() + Duration::millis(250), "", step::Type::Key::CtrlD}});
    CHECK(out.find("      - type: { at: 1.5s, line: \"nc server 80\" }\n") != std::string::npos);
    CHECK(out.find("      - type: { at: 1.000000001s, line: \"a\\\"b\\\\c\" }\n") != std::string::npos);
    CHECK(out.find("      - type: { at: 250ms, key: ctrl-d }\n") != std::string::npos);
    CHECK(out.find("programs:\n  - host: laptop\n    name: terminal\n    steps:\n") != std::string::npos);
    CHECK(out.rfind(kLab, 0) == 0);  // appended: the file before it untouched
}

TEST_CASE("journal: round trip on a lab without programs") {
    round_trip(kLab, {"laptop"}, "lab.yaml");
    round_trip(kLab, {"web", "laptop"}, "lab.yaml");
}

TEST_CASE("journal: round trip with an empty programs list") {
    std::string lab = kLab;
    round_trip(lab + "programs: []   # none yet\n", {"laptop", "web"}, "lab.yaml");
    // `programs:` with nothing does not load (the loader wants a list), but the journal fills it.
    for (std::string empty : {"programs:\n", "programs: ~\n# after\n", "programs: null   # none\n"}) {
        std::vector<TypedLine> lines = lines_for({"laptop", "web"}, Instant::zero());
        std::string out = add_typed_lines(lab + empty, lines);
        Scenario s;
        REQUIRE_NOTHROW(s = load_scenario_text(out, "lab.yaml"));
        CHECK(typed_lines(s) == sorted_by_host(lines, {"laptop", "web"}));
        CHECK(s.programs.size() == 2);
    }
    // No newline at the end of the file.
    round_trip(lab + "programs: []", {"web"}, "lab.yaml");
    // Windows line endings.
    std::string crlf;
    for (char c : std::string(kLab) + "programs:\n  - host: web\n    steps:\n      - sleep: 1s\n") {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    round_trip(crlf, {"web", "laptop"}, "lab.yaml");
    std::string no_newline = kLab;
    no_newline.pop_back();
    round_trip(no_newline, {"laptop"}, "lab.yaml");
}

TEST_CASE("journal: round trip on the scenarios") {
    struct Case {
        const char* file;
        std::vector<std::string> hosts;
    };
    for (const Case& c : {Case{"default.yaml", {"laptop"}}, Case{"default.yaml", {"web", "laptop"}},
                          Case{"ip-router.yaml", {}}, Case{"udp-dns.yaml", {}}, Case{"tcp-close-time-wait.yaml", {}},
                          Case{"basics-socket.yaml", {}}}) {
        std::string text = scenario_file(c.file);
        std::vector<std::string> hosts = c.hosts;
        if (hosts.empty()) {
            Scenario s = load_scenario_text(text, c.file);
            for (const Host& h : s.hosts) hosts.push_back(h.name);
        }
        round_trip(text, hosts, c.file);
    }
}

TEST_CASE("journal: round trip on every scenario and test fixture") {
    namespace fs = std::filesystem;
    for (const char* dir : {"/scenarios", "/tests/data/scenarios", "/tests/data/shell"}) {
        for (const auto& entry : fs::directory_iterator(std::string(NETSTEP_SOURCE_DIR) + dir)) {
            if (entry.path().extension() != ".yaml") continue;
            std::string text = read_text(entry.path().string());
            Scenario s = load_scenario_text(text, entry.path().filename().string());
            std::vector<std::string> hosts;
            for (const Host& h : s.hosts) {
                if (hosts.size() < 2) hosts.push_back(h.name);
            }
            round_trip(text, hosts, entry.path().filename().string());
        }
    }
}

TEST_CASE("journal: an existing terminal program is extended") {
    std::string lab = std::string(kLab) +
                      "programs:\n"
                      "  - host: web\n"
                      "    name: httpd\n"
                      "    steps:\n"
                      "      - sleep: 1s\n"
                      "  - host: laptop\n"
                      "    name: terminal\n"
                      "    steps:\n"
                      "        - type: ipconfig\n"
                      "        - say: |\n"
                      "            a block scalar\n"
                      "            # that is not a comment\n"
                      "        # a comment after the steps\n"
                      "\n"
                      "  # before the next program\n"
                      "  - host: web\n"
                      "    name: other\n"
                      "    steps: [ { sleep: 2s } ]\n";
    std::string out = add_typed_lines(lab, {{"laptop", Instant::zero() + Duration::seconds(3), "ping web"}});
    Scenario s = load_scenario_text(out, "lab.yaml");
    REQUIRE(s.programs.size() == 3);
    REQUIRE(s.programs[1].steps.size() == 3);
    CHECK(std::get<step::Say>(s.programs[1].steps[1].body).text == "a block scalar\n# that is not a comment\n");
    auto lines = typed_lines(s);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == TypedLine{"laptop", Instant::zero(), "ipconfig"});
    CHECK(lines[1] == TypedLine{"laptop", Instant::zero() + Duration::seconds(3), "ping web"});
    CHECK(out.find("            # that is not a comment\n        - type: { at: 3s, line: \"ping web\" }\n") !=
          std::string::npos);
    // web's terminal: named "terminal" too (program names are unique per host).
    out = add_typed_lines(out, {{"web", Instant::zero() + Duration::seconds(4), "netstat"}});
    s = load_scenario_text(out, "lab.yaml");
    REQUIRE(s.programs.size() == 4);
    CHECK(s.programs[3].name == "terminal");
    CHECK(s.programs[3].host == "web");
    CHECK(typed_lines(s).back() == TypedLine{"web", Instant::zero() + Duration::seconds(4), "netstat"});
}

TEST_CASE("journal: what cannot be written is refused") {
    CHECK_THROWS_AS(add_typed_lines(kLab, {{"laptop", Instant::zero(), "two\nlines"}}), std::invalid_argument);
    CHECK_THROWS_AS(add_typed_lines(kLab, {{"laptop", Instant::zero(), "bad \xFF utf-8"}}), std::invalid_argument);
    CHECK_THROWS_AS(add_typed_lines(kLab, {{"laptop", Instant::zero(), std::string(step::kMaxTerminalLine + 1, 'x')}}),
                    std::invalid_argument);
    CHECK(add_typed_lines(kLab, {}) == kLab);
}
