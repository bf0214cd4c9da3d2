// netstep shell's view of a run (sim/shell_session.hpp), on hand-built traces shaped as the
// engine's terminal records them (Prompt, Input, Output events of a terminal program and of the
// commands it starts): what a typed line caused, and whether the terminal waits at its prompt.
#include <doctest/doctest.h>

#include <string>

#include "sim/shell_session.hpp"
#include "sim/trace.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

constexpr uint32_t kLaptop = 0, kWeb = 1;
constexpr uint32_t kTerminal = 0, kPing = 1, kHttpd = 2;

Instant ms(int64_t v) { return Instant::zero() + Duration::millis(v); }

struct Run {
    Trace trace;
    TraceBuilder builder{trace};
    Run() {
        trace.hosts = {TraceHost{"laptop", {}, false}, TraceHost{"web", {}, false}};
        trace.programs = {TraceProgram{"terminal", kLaptop, kNone}, TraceProgram{"ping", kLaptop, kTerminal},
                          TraceProgram{"httpd", kWeb, kNone}};
    }
    void event(Instant at, EventKind kind, uint32_t program, const std::string& text = "", const std::string& text2 = "") {
        TraceEvent e;
        e.time = at;
        e.kind = kind;
        e.program = program;
        if (program != kNone) e.host = trace.programs[program].host;
        if (!text.empty()) e.text = builder.intern(text);
        if (!text2.empty()) e.text2 = builder.intern(text2);
        builder.add_event(e);
    }
};

// The lab's own run: httpd starts, closes at 1s.
void lab(Run& r) {
    r.event(ms(0), EventKind::RunStart, kNone);
    r.event(ms(0), EventKind::ProgramStart, kHttpd);
}

}  // namespace

TEST_CASE("shell session: what a typed line caused") {
    Run before;
    lab(before);
    before.event(ms(1000), EventKind::Call, kHttpd, "close(listener)", "= 0");
    before.event(ms(1000), EventKind::RunEnd, kNone);

    Run run;  // the same, with `ping web` typed at 1s
    lab(run);
    run.event(ms(0), EventKind::ProgramStart, kTerminal);
    run.event(ms(1000), EventKind::Call, kHttpd, "close(listener)", "= 0");
    run.event(ms(1000), EventKind::Prompt, kTerminal, "laptop> ");
    run.event(ms(1000), EventKind::Input, kTerminal, "ping web", "laptop> ");
    run.event(ms(1000), EventKind::ProgramStart, kPing);
    run.event(ms(1002), EventKind::Call, kHttpd, "recv(conn)", "= 0");
    run.event(ms(1004), EventKind::Output, kPing, "Reply from 10.0.0.80: bytes=32 time=4ms TTL=63\n");
    run.event(ms(1004), EventKind::ProgramEnd, kPing, "exit");
    run.event(ms(1004), EventKind::Prompt, kTerminal, "laptop> ");
    run.event(ms(1004), EventKind::RunEnd, kNone);

    std::string text = caused_text(before.trace, run.trace, ms(1000), "laptop");
    CAPTURE(text);
    CHECK(text.find("close(listener)") == std::string::npos);  // at 1s, but the previous run had it
    CHECK(text.find("prompt") == std::string::npos);
    CHECK(text.find("input") == std::string::npos);
    CHECK(text.find("terminal starts") == std::string::npos);
    CHECK(text.find("run ends") == std::string::npos);
    CHECK(text.find("\nReply from 10.0.0.80: bytes=32 time=4ms TTL=63\n") != std::string::npos);  // plain
    CHECK(text.find("  1.000000 laptop ") == 0);
    CHECK(text.find("ping starts\n") != std::string::npos);
    CHECK(text.find("  1.002000 web    ") != std::string::npos);  // another host: a trace line
    CHECK(text.find("ping ends") != std::string::npos);

    // From web's terminal, laptop's terminal output is a trace line with its "| " lines.
    std::string from_web = caused_text(before.trace, run.trace, ms(1000), "web");
    CHECK(from_web.find("| Reply from 10.0.0.80") != std::string::npos);
    CHECK(from_web.find("terminal input: laptop> ping web") != std::string::npos);

    // The first run: everything but its start and end.
    std::string first = caused_text(Trace{}, before.trace, Instant::zero(), "laptop");
    CHECK(first.find("httpd starts") != std::string::npos);
    CHECK(first.find("close(listener) = 0") != std::string::npos);
    CHECK(first.find("run ") == std::string::npos);
}

TEST_CASE("shell session: the terminal waits at its prompt, or a command reads the line") {
    Run none;
    lab(none);
    CHECK(terminal_at_prompt(none.trace, "laptop"));  // no terminal yet

    Run ping;
    lab(ping);
    ping.event(ms(0), EventKind::Prompt, kTerminal, "laptop> ");
    ping.event(ms(0), EventKind::Input, kTerminal, "ping web", "laptop> ");
    ping.event(ms(4), EventKind::Prompt, kTerminal, "laptop> ");
    CHECK(terminal_at_prompt(ping.trace, "laptop"));

    Run nc = Run();
    lab(nc);
    nc.event(ms(0), EventKind::Prompt, kTerminal, "laptop> ");
    nc.event(ms(0), EventKind::Input, kTerminal, "nc web 80", "laptop> ");
    CHECK_FALSE(terminal_at_prompt(nc.trace, "laptop"));
    nc.event(ms(5), EventKind::Input, kTerminal, "GET /");  // to nc: no prompt
    CHECK_FALSE(terminal_at_prompt(nc.trace, "laptop"));
    CHECK(terminal_at_prompt(nc.trace, "web"));
}
