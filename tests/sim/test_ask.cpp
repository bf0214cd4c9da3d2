// Teachers' questions (`ask` steps, issue 18): their form errors, located; the Ask event in the
// text and JSON traces; the `about` facts checked against the run; the quiz asking them.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "sim/output.hpp"
#include "sim/quiz.hpp"
#include "test_engine_support.hpp"

namespace netstep::sim {
namespace {

const std::string kHead = R"(netstep: 1
title: ask
options: { isn: zero }
networks:
  - { name: lan, subnet: 192.168.1.0/24, latency: 2ms, bandwidth: 100Mbps }
hosts:
  - { name: laptop, interfaces: [ { network: lan, ip: 192.168.1.10 } ] }
  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }
programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - close:  { socket: conn }
  - host: laptop
    name: browser
    steps:
      - socket:  { as: s, type: tcp }
)";
const std::string kTail = R"(      - connect: { socket: s, to: "web:80" }
      - close:   { socket: s }
)";

// The scenario with `ask` (indented as a step of the browser, line 22 on) before its connect.
std::string with_ask(const std::string& ask) { return kHead + ask + kTail; }

std::string error_of(const std::string& text) {
    try {
        load_scenario_text(text, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

Trace run_text(const std::string& text) { return run_scenario(load_scenario_text(text, "t.yaml")); }

}  // namespace

TEST_CASE("ask: the step is read with its texts per language, its choices in order and its answer") {
    Scenario s = load_scenario_text(with_ask(R"(      - ask:
          question: { en: What does the laptop send?, fr: Qu'envoie le portable ?, it: Cosa invia il portatile? }
          choices: [SYN, { en: "SYN, ACK", fr: "SYN, ACK" }, ACK]
          answer: SYN
          about: next_flags
          socket: s
          explain: The handshake starts.
)"), "t.yaml");
    const auto& ask = std::get<step::Ask>(s.programs[1].steps[1].body);
    CHECK(ask.question.text == "What does the laptop send?");
    CHECK(ask.question.translations.size() == 2);
    REQUIRE(ask.choices.size() == 3);
    CHECK(ask.choices[1].text == "SYN, ACK");
    CHECK(ask.answer == 0);
    CHECK(ask.about == step::Ask::About::NextFlags);
    CHECK(ask.socket == "s");
    REQUIRE(ask.explain);
    CHECK(ask.explain->text == "The handshake starts.");
    CHECK(s.programs[1].steps[1].where.line == 22);
}

TEST_CASE("ask: form errors name the line and column and what was expected") {
    struct Case {
        std::string ask, message;
    };
    const Case cases[] = {
        {"      - ask: { question: Q, choices: [A], answer: A }\n", "t.yaml:22:38: ask: give 2 to 4 choices, got 1"},
        {"      - ask: { question: Q, choices: [A, B, C, D, E], answer: A }\n",
         "t.yaml:22:38: ask: give 2 to 4 choices, got 5"},
        {"      - ask: { question: Q, choices: [A, B, A], answer: A }\n",
         "t.yaml:22:45: ask: the choice 'A' is written twice (the first at line 22)"},
        {"      - ask: { question: Q, choices: [A, B], answer: C }\n",
         "t.yaml:22:54: ask: the answer 'C' is not one of the choices ('A', 'B'): write the English text of one of them"},
        {"      - ask: { question: Q, choices: [A, B], answer: A, about: flags, host: web }\n",
         "t.yaml:22:64: expected next_flags, next_state, ack, seq or local_port, got 'flags'"},
        {"      - ask: { question: Q, choices: [SYN, ACK], answer: SYN, about: next_flags }\n",
         "t.yaml:22:70: ask: about next_flags needs what it is about: 'socket: NAME' (a socket of this program) or 'host: HOST'"},
        {"      - ask: { question: Q, choices: [SYN, ACK], answer: SYN, host: web }\n",
         "t.yaml:22:69: ask: 'socket' and 'host' name what 'about' asks about: give 'about' too"},
        {"      - ask: { question: Q, choices: [SYN, ACK], answer: SYN, about: next_flags, socket: conn }\n",
         "t.yaml:22:90: no socket named 'conn' in program 'browser' (name one with 'as:' in an earlier step)"},
        {"      - ask: { question: Q, choices: [OPEN, CLOSED], answer: OPEN, about: next_state, socket: s }\n",
         "t.yaml:22:62: ask: about next_state, the answer 'OPEN' is not a TCP state"},
        {"      - ask: { question: Q, choices: [x, y], answer: x, about: ack, socket: s }\n",
         "t.yaml:22:54: ask: about ack, the answer 'x' is not a number (0 to 4294967295)"},
        {"      - ask: { question: { fr: Q }, choices: [A, B], answer: A }\n",
         "t.yaml:22:26: ask: question: 'en' is required"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.ask);
        CHECK(error_of(with_ask(c.ask)) == c.message);
    }
    Limits limits;
    std::string big(limits.max_caption_bytes + 1, 'x');
    CHECK(error_of(with_ask("      - ask: { question: Q, choices: [A, " + big + "], answer: A }\n")).find(
              "(Limits::max_caption_bytes)") != std::string::npos);
}

TEST_CASE("ask: the event is in the text and JSON traces, and a right answer passes") {
    Trace t = run_text(with_ask(R"(      - ask:
          question: { en: Which state?, fr: Quel état ? }
          choices: [SYN-SENT, ESTABLISHED]
          answer: SYN-SENT
          about: next_state
          socket: s
)"));
    CHECK(t.failures.empty());
    REQUIRE(t.asks.size() == 1);
    const TraceEvent& e = t.events.at(t.asks[0].step);
    CHECK(e.kind == EventKind::Ask);
    CHECK(t.str(e.text) == "Which state?");
    CHECK(t.caption_text(t.asks[0].step, "fr") == "Quel état ?");
    std::ostringstream text;
    write_text(t, text);
    CHECK(text.str().find("browser asks: Which state? (SYN-SENT / ESTABLISHED; answer: SYN-SENT; about next_state)") !=
          std::string::npos);
    std::ostringstream json;
    write_json(t, json);
    std::istringstream in(json.str());
    Trace back = read_json(in);
    REQUIRE(back.asks.size() == 1);
    CHECK(back.asks[0].step == t.asks[0].step);
    CHECK(back.asks[0].answer == 0);
    CHECK(back.str(back.asks[0].about) == "next_state");
    CHECK(back.str(back.asks[0].where) == "t.yaml:22:9");
    CHECK(back.ask_text(back.asks[0].choices[1], "fr") == "ESTABLISHED");
    CHECK(back.caption_text(back.asks[0].step, "fr") == "Quel état ?");
}

TEST_CASE("ask: an answer that contradicts the trace fails, located, and so does a fact that never comes") {
    Trace wrong = run_text(with_ask(R"(      - ask:
          question: What does web send now?
          choices: [SYN, "SYN, ACK", ACK]
          answer: SYN
          about: next_flags
          host: web
)"));
    REQUIRE(wrong.failures.size() == 1);
    CAPTURE(wrong.failures[0]);
    CHECK(wrong.failures[0].rfind("t.yaml:22:9: ask: the answer \"SYN\" contradicts the trace: web:80 sends SYN+ACK next (step ", 0) == 0);

}

TEST_CASE("ask: the right flags pass, in any spelling, and so does a right ack") {
    Trace flags = run_text(with_ask(R"(      - ask:
          question: What does web send now?
          choices: [SYN, "SYN, ACK", ACK]
          answer: "SYN, ACK"
          about: next_flags
          host: web
      - ask: { question: Ack?, choices: ["0", "1"], answer: "0", about: ack, socket: s }
)"));
    CHECK(flags.failures.empty());
    // The same flags in any order and spelling: "SYN, ACK" is SYN+ACK.

}

TEST_CASE("ask: a fact that never comes after the question fails, located") {
    std::string never = kHead + R"(      - connect: { socket: s, to: "web:80" }
      - close:   { socket: s }
      - sleep: 70s
      - ask: { question: Next?, choices: [SYN, ACK], answer: SYN, about: next_flags, socket: s }
)";
    Trace t = run_text(never);
    REQUIRE(t.failures.size() == 1);
    CAPTURE(t.failures[0]);
    CHECK(t.failures[0].find("t.yaml:25:9: ask: the question is about next_flags but") == 0);
    CHECK(t.failures[0].find("sends no TCP segment after the question") != std::string::npos);
}

TEST_CASE("ask: the quiz asks the teacher's questions at their step, in their language, and fills up with generated ones") {
    Trace t = run_text(with_ask(R"(      - ask:
          question: { en: Which state?, fr: Quel état ?, it: Quale stato? }
          choices: [SYN-SENT, { en: ESTABLISHED, fr: ÉTABLIE }]
          answer: SYN-SENT
          about: next_state
          socket: s
          explain: { en: connect() sends a SYN., fr: connect() envoie un SYN. }
      - ask: { question: Free?, choices: [yes, no], answer: no }
)"));
    auto qs = quiz::generate(t, {.max = 6, .lang = "fr"});
    REQUIRE(qs.size() == 6);
    size_t teacher = 0;
    for (size_t i = 1; i < qs.size(); ++i) CHECK(qs[i - 1].step <= qs[i].step);
    for (const quiz::Question& q : qs) {
        if (!q.teacher) continue;
        ++teacher;
        CHECK(t.events.at(q.step).kind == EventKind::Ask);
        if (q.kind == quiz::Kind::NextState) {
            CHECK(q.prompt == "Quel état ?");
            CHECK(q.choices == std::vector<std::string>{"SYN-SENT", "ÉTABLIE"});
            CHECK(q.answer == 0);
            CHECK(q.explanation == "connect() envoie un SYN.");
            CHECK(t.events.at(q.fact_step).kind == EventKind::StateChange);
        } else {
            CHECK(q.kind == quiz::Kind::Free);
            CHECK(q.prompt == "Free?");
            CHECK(q.answer == 1);
        }
    }
    CHECK(teacher == 2);
    CHECK(quiz::generate(t, {.max = 1}).size() == 2);  // the teacher's questions, always
    CHECK(quiz::generate(t, {.max = 6, .lang = "fr"}) == qs);  // deterministic
}

TEST_CASE("ask: --lang fr translates the generated questions' prompts") {
    Trace t = run_text(with_ask(""));
    auto en = quiz::generate(t, {.max = 6});
    auto fr = quiz::generate(t, {.max = 6, .lang = "fr"});
    REQUIRE(en.size() == fr.size());
    bool port = false;
    for (size_t i = 0; i < en.size(); ++i) {
        CHECK(en[i].choices == fr[i].choices);
        CHECK(en[i].answer == fr[i].answer);
        if (en[i].kind == quiz::Kind::LocalPort) {
            port = true;
            CHECK(fr[i].prompt == "laptop se connecte à web:80. Quel port local l'OS choisira-t-il ?");
        }
    }
    CHECK(port);
}

}  // namespace netstep::sim
