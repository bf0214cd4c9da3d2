// Predict mode's questions (sim/quiz.hpp) on real runs of the lessons: every right answer is
// recomputed here from the trace at the question's step (the packet's own bytes, the state
// change's new state), never through the generator; choices are 2 to 4, distinct, the right one
// among them; the same trace gives the same questions.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "model/wire/wire.hpp"
#include "sim/quiz.hpp"
#include "sim/relative_seq.hpp"
#include "test_engine_support.hpp"

namespace netstep::sim {
namespace {

Trace run_lesson(const std::string& name) {
    std::ifstream in(std::string(NETSTEP_SOURCE_DIR) + "/scenarios/" + name);
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE_FALSE(text.str().empty());
    return run_scenario(load_scenario_text(text.str(), name));
}

std::optional<Ipv4Packet> parse(const Trace& t, uint32_t packet) {
    if (t.arp(t.packets[packet])) return std::nullopt;
    return wire::parse(t.ip_bytes(t.packets[packet])).packet;
}

// The initial sequence number of the direction src > dst: the seq of its first SYN.
uint32_t isn(const Trace& t, Endpoint src, Endpoint dst) {
    std::optional<uint32_t> first;
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        auto p = parse(t, i);
        if (!p || !p->tcp()) continue;
        const TcpSegment& s = *p->tcp();
        if (Endpoint{p->src, s.src_port} != src || Endpoint{p->dst, s.dst_port} != dst) continue;
        if (s.has(tcp_flag::SYN)) return s.seq.value;
        if (!first) first = s.seq.value;
    }
    return first.value_or(0);
}

// What the trace says the answer is, at the question's step.
std::string answer_from_trace(const Trace& t, const quiz::Question& q) {
    const TraceEvent& e = t.events.at(q.step);
    switch (q.kind) {
        case quiz::Kind::NextState:
            REQUIRE(e.kind == EventKind::StateChange);
            return std::string(to_string(e.to));
        case quiz::Kind::LocalPort:
            REQUIRE(e.kind == EventKind::StateChange);
            REQUIRE(e.tuple);
            return std::to_string(e.tuple->local.port);
        case quiz::Kind::DatagramArrives:
            REQUIRE(e.kind == EventKind::PacketSent);
            REQUIRE(e.packet == q.packet);
            return t.packets[q.packet].dropped ? "No, it is lost" : "Yes, it arrives";
        case quiz::Kind::ArpRequest: {  // the frame: an ARP request to nobody in particular
            REQUIRE(e.kind == EventKind::PacketSent);
            REQUIRE(e.packet == q.packet);
            std::optional<ArpPacket> a = t.arp(t.packets[q.packet]);
            REQUIRE(a);
            REQUIRE(a->op == ArpPacket::Op::Request);
            REQUIRE(t.packets[q.packet].to_host == kNone);
            return "An ARP request to every host (broadcast)";
        }
        case quiz::Kind::ArpTarget: {
            REQUIRE(e.kind == EventKind::PacketSent);
            std::optional<ArpPacket> a = t.arp(t.packets.at(q.packet));
            REQUIRE(a);
            return a->target_ip.to_string();
        }
        case quiz::Kind::Ttl: {
            REQUIRE(e.kind == EventKind::PacketSent);
            REQUIRE(e.packet == q.packet);
            auto p = parse(t, q.packet);
            REQUIRE(p);
            return std::to_string(p->ttl);
        }
        case quiz::Kind::IcmpMessage: {
            REQUIRE(e.kind == EventKind::PacketSent);
            REQUIRE(e.packet == q.packet);
            auto p = parse(t, q.packet);
            REQUIRE(p);
            REQUIRE(p->icmp());
            const IcmpMessage& m = *p->icmp();
            if (m.type == 0) return "Echo Reply (type 0)";
            if (m.type == 11) return "Time Exceeded (type 11)";
            if (m.type == 3 && m.code == 3) return "Port Unreachable (type 3, code 3)";
            if (m.type == 3 && m.code == 1) return "Host Unreachable (type 3, code 1)";
            if (m.type == 3 && m.code == 0) return "Net Unreachable (type 3, code 0)";
            FAIL("an ICMP message the quiz does not ask about: type " << int(m.type));
            return "";
        }
        default: break;
    }
    REQUIRE(e.kind == EventKind::PacketSent);
    REQUIRE(e.packet == q.packet);
    auto p = parse(t, q.packet);
    REQUIRE(p);
    REQUIRE(p->tcp());
    const TcpSegment& s = *p->tcp();
    Endpoint src{p->src, s.src_port}, dst{p->dst, s.dst_port};
    if (q.kind == quiz::Kind::NextFlags) return tcp_flags_to_string(s.flags);
    if (q.kind == quiz::Kind::Ack) return std::to_string(s.ack.value - isn(t, dst, src));
    return std::to_string(s.seq.value - isn(t, src, dst));
}

// Every question's form and answer; returns their kinds.
std::multiset<quiz::Kind> check_questions(const Trace& t, const std::vector<quiz::Question>& questions, size_t max) {
    CHECK(questions.size() <= max);
    std::multiset<quiz::Kind> kinds;
    uint32_t last_step = 0;
    for (const quiz::Question& q : questions) {
        CAPTURE(q.prompt);
        CHECK(q.step >= last_step);  // in step order
        last_step = q.step;
        CHECK(q.choices.size() >= 2);
        CHECK(q.choices.size() <= 4);
        CHECK(std::set<std::string>(q.choices.begin(), q.choices.end()).size() == q.choices.size());
        REQUIRE(q.answer < q.choices.size());
        kinds.insert(q.kind);
        if (q.teacher) continue;  // a scenario's own `ask`: checked against the trace by `netstep check`
        CHECK(q.choices[q.answer] == answer_from_trace(t, q));
        CHECK_FALSE(q.prompt.empty());
        CHECK(q.explanation.find("RFC") != std::string::npos);
    }
    return kinds;
}

}  // namespace

TEST_CASE("quiz: default.yaml, the handshake and the first data ACK, answers from the trace") {
    Trace t = run_lesson("default.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {});
    REQUIRE(questions.size() == 6);
    std::multiset<quiz::Kind> kinds = check_questions(t, questions, 6);
    CHECK(kinds.count(quiz::Kind::LocalPort) == 1);
    CHECK(kinds.count(quiz::Kind::NextFlags) >= 2);
    CHECK(kinds.count(quiz::Kind::Ack) >= 1);
    // The first question: the port laptop's connect() gets, among the server's and a well-known one.
    CHECK(questions[0].kind == quiz::Kind::LocalPort);
    CHECK(questions[0].prompt == "laptop connects to web:80. Which local port will the OS pick?");
    CHECK(std::count(questions[0].choices.begin(), questions[0].choices.end(), "80") == 1);
    // The SYN+ACK's ack number: ISN + 1.
    auto ack = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) { return q.kind == quiz::Kind::Ack; });
    REQUIRE(ack != questions.end());
    CHECK(ack->choices[ack->answer] == "1");
    CHECK(ack->explanation.find("RFC 9293 §3.5") != std::string::npos);

    // More questions on request, each still right; fewer when asked.
    check_questions(t, quiz::generate(t, {.max = 100}), 100);
    CHECK(quiz::generate(t, {.max = 100}).size() > 6);
    CHECK(quiz::generate(t, {.max = 2}).size() == 2);
}

TEST_CASE("quiz: the same trace gives the same questions, the seed shuffles the choices") {
    Trace t = run_lesson("default.yaml");
    std::vector<quiz::Question> a = quiz::generate(t, {.max = 100});
    CHECK(a == quiz::generate(t, {.max = 100}));
    // Another seed (the choices' order is seeded from it) reorders some question's choices.
    bool differs = false;
    for (uint64_t seed = 2; seed < 10 && !differs; ++seed) {
        Trace other = t;
        other.seed = seed;
        std::vector<quiz::Question> b = quiz::generate(other, {.max = 100});
        REQUIRE(b.size() == a.size());
        for (size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].choices[a[i].answer] == b[i].choices[b[i].answer]);  // the same right answer
            differs = differs || a[i].choices != b[i].choices;
        }
    }
    CHECK(differs);
}

TEST_CASE("quiz: udp-loss, the lost datagram nobody notices") {
    Trace t = run_lesson("udp-loss.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {.max = 100});
    std::multiset<quiz::Kind> kinds = check_questions(t, questions, 100);
    REQUIRE(kinds.count(quiz::Kind::DatagramArrives) >= 1);
    auto lost = std::find_if(questions.begin(), questions.end(), [&](const quiz::Question& q) {
        return q.kind == quiz::Kind::DatagramArrives && t.packets[q.packet].dropped;
    });
    REQUIRE(lost != questions.end());
    CHECK(lost->choices.size() == 2);
    CHECK(lost->explanation.find("RFC 768") != std::string::npos);
}

// Its second connection starts from an ISN that is not 0: numbers are relative, and say so.
TEST_CASE("quiz: tcp-errors-refused, the RST of a closed port, relative numbers") {
    Trace t = run_lesson("tcp-errors-refused.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {.max = 100});
    check_questions(t, questions, 100);
    auto ack = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) { return q.kind == quiz::Kind::Ack; });
    REQUIRE(ack != questions.end());
    CHECK(ack->choices[ack->answer] == "1");
    CHECK(ack->explanation.find("relative to each side's ISN") != std::string::npos);
    auto rst = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) {
        return q.kind == quiz::Kind::NextFlags && q.choices[q.answer].find("RST") != std::string::npos;
    });
    REQUIRE(rst != questions.end());
    CHECK(rst->explanation.find("RFC 9293 §3.5.2") != std::string::npos);
}

TEST_CASE("quiz: profiles-linux, Linux's port range, delayed ACKs") {
    Trace t = run_lesson("profiles-linux.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {.max = 100});
    check_questions(t, questions, 100);
    auto port = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) { return q.kind == quiz::Kind::LocalPort; });
    REQUIRE(port != questions.end());
    CHECK(port->explanation.find("ip_local_port_range, 32768-60999") != std::string::npos);
}

TEST_CASE("quiz: the teardown of tcp-close-time-wait, states and the FIN's numbers") {
    Trace t = run_lesson("tcp-close-time-wait.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {.max = 100});
    std::multiset<quiz::Kind> kinds = check_questions(t, questions, 100);
    CHECK(kinds.count(quiz::Kind::NextState) >= 4);
    CHECK(kinds.count(quiz::Kind::Seq) >= 1);
    auto time_wait = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) {
        return q.kind == quiz::Kind::NextState && q.choices[q.answer] == "TIME-WAIT";
    });
    CHECK(time_wait != questions.end());
}

TEST_CASE("quiz: ip-ping-traceroute, ARP for the gateway, the TTL, echo reply and time exceeded") {
    Trace t = run_lesson("ip-ping-traceroute.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {});
    REQUIRE(questions.size() == 6);
    std::multiset<quiz::Kind> kinds = check_questions(t, questions, 6);
    CHECK(kinds.count(quiz::Kind::ArpTarget) == 1);
    CHECK(kinds.count(quiz::Kind::Ttl) == 2);  // a router forwarding, tracert's next probe
    CHECK(kinds.count(quiz::Kind::IcmpMessage) == 2);
    // The laptop asks for the gateway's MAC, not for the server's: the server's address is a choice.
    CHECK(questions[0].kind == quiz::Kind::ArpTarget);
    CHECK(questions[0].choices[questions[0].answer] == "192.168.1.1");
    CHECK(std::count(questions[0].choices.begin(), questions[0].choices.end(), "10.0.0.80") == 1);
    auto exceeded = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) {
        return q.kind == quiz::Kind::IcmpMessage && q.choices[q.answer] == "Time Exceeded (type 11)";
    });
    REQUIRE(exceeded != questions.end());
    CHECK(exceeded->explanation.find("RFC 1812 §5.3.1") != std::string::npos);
    CHECK(exceeded->prompt == "What does router1 send back to laptop?");
    auto forward = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) {
        return q.kind == quiz::Kind::Ttl && q.prompt.find("forwards") != std::string::npos;
    });
    REQUIRE(forward != questions.end());
    CHECK(forward->choices[forward->answer] == "63");
    CHECK(std::count(forward->choices.begin(), forward->choices.end(), "64") == 1);  // as it came
    // In French: the prompts, the ARP choices.
    std::vector<quiz::Question> fr = quiz::generate(t, {.lang = "fr"});
    REQUIRE(fr.size() == questions.size());
    CHECK(fr[0].prompt == "laptop a un paquet pour 10.0.0.80. De qui sa requête ARP demande-t-elle l'adresse MAC ?");
    for (size_t i = 0; i < fr.size(); ++i) CHECK(fr[i].answer == questions[i].answer);
}

TEST_CASE("quiz: udp-closed-port, the ARP broadcast and ICMP port unreachable") {
    Trace t = run_lesson("udp-closed-port.yaml");
    std::vector<quiz::Question> questions = quiz::generate(t, {.max = 100});
    std::multiset<quiz::Kind> kinds = check_questions(t, questions, 100);
    CHECK(kinds.count(quiz::Kind::ArpRequest) == 1);
    auto port = std::find_if(questions.begin(), questions.end(), [](const quiz::Question& q) { return q.kind == quiz::Kind::IcmpMessage; });
    REQUIRE(port != questions.end());
    CHECK(port->choices[port->answer] == "Port Unreachable (type 3, code 3)");
    CHECK(std::count(port->choices.begin(), port->choices.end(), "TCP RST") == 1);
}

// Predict mode works on every classroom scenario: each one where packets move gives questions,
// each right by the trace. SimGrid runs one engine per process: tests/quiz.cmake runs this case
// once per file of scenarios/ with NETSTEP_QUIZ_SCENARIO set (default.yaml when it is not).
// (The labs, lab-*.yaml, send nothing until the class types commands: no question there.)
TEST_CASE("quiz: each classroom scenario with packets gives right questions") {
    const char* name = std::getenv("NETSTEP_QUIZ_SCENARIO");
    std::string file = name && *name ? name : "default.yaml";
    CAPTURE(file);
    Trace t = run_lesson(file);
    std::vector<quiz::Question> questions = quiz::generate(t, {});
    if (file.rfind("lab-", 0) == 0 && t.packets.empty()) {
        CHECK(questions.empty());
        return;
    }
    REQUIRE_FALSE(t.packets.empty());
    CHECK(!questions.empty());
    check_questions(t, questions, 6);
    check_questions(t, quiz::generate(t, {.max = 100}), 100);
}

TEST_CASE("quiz: in French and Italian the prompts and the explanations too with the same answers") {
    Trace t = run_lesson("default.yaml");
    std::vector<quiz::Question> en = quiz::generate(t, {.max = 100});
    for (const char* lang : {"fr", "it"}) {
        CAPTURE(lang);
        std::vector<quiz::Question> other = quiz::generate(t, {.max = 100, .lang = lang});
        REQUIRE(other.size() == en.size());
        for (size_t i = 0; i < en.size(); ++i) {
            CAPTURE(en[i].explanation);
            CHECK(other[i].answer == en[i].answer);
            CHECK(other[i].prompt != en[i].prompt);
            CHECK(other[i].explanation != en[i].explanation);
            CHECK(other[i].explanation.find("RFC") != std::string::npos);  // the rule's reference kept
        }
    }
    // `netstep quiz`'s own words.
    CHECK(quiz::text("it", "Score: {0}/{1}") == "Punteggio: {0}/{1}");
    CHECK(quiz::text("fr", "Why: {0}") == "Pourquoi : {0}");
    CHECK(quiz::text("fr", "no such text") == "no such text");
}

TEST_CASE("quiz: a trace without packets gives no question") {
    Trace t;
    CHECK(quiz::generate(t, {}).empty());
}

}  // namespace netstep::sim

namespace netstep::sim {

// The ISN rule shared by the viewer and the quiz (sim/relative_seq.hpp).
TEST_CASE("relative seq: each direction from its SYN, or from its first segment mid-connection") {
    const Endpoint a{*Ipv4Address::parse("192.168.1.10"), 49152}, b{*Ipv4Address::parse("192.168.1.20"), 80};
    RelativeSeq relative;
    CHECK(relative.seq(a, b, 1000) == 1000);  // nothing seen: the raw number
    relative.see(b, a, false, 500);           // mid-connection: its first segment
    relative.see(a, b, true, 1000);           // the SYN carries the ISN (RFC 9293 §3.4)
    relative.see(a, b, false, 1001);
    CHECK(relative.isn(a, b) == 1000u);
    CHECK(relative.isn(b, a) == 500u);
    CHECK(relative.seq(a, b, 1001) == 1);
    CHECK(relative.ack(b, a, 1030) == 30);  // b's ack counts a's bytes
    CHECK(relative.ack(a, b, 501) == 1);
    relative.see(b, a, true, 7);  // a later SYN of that direction sets its ISN
    CHECK(relative.isn(b, a) == 7u);
    CHECK(relative.seq(a, b, 999) == 0xffffffffu);  // modulo 2^32 (RFC 9293 §3.4)
}

}  // namespace netstep::sim
