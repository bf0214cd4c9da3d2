// Predict mode (issue 18): the player stops before each question's event, the class's vote
// reveals the answer, the score counts; the band's keys and clicks through real ImGui input; the
// band's place in the layout.
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <variant>
#include <vector>

#include "sim/quiz.hpp"
#include "tests/viz/panel_run.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"
#include "viz/predict.hpp"

using namespace netstep;
using namespace netstep::viz;

namespace {

sim::quiz::Question question(uint32_t step, uint32_t answer, size_t choices = 4) {
    sim::quiz::Question q;
    q.step = step;
    q.prompt = "What happens at step " + std::to_string(step) + "?";
    for (size_t i = 0; i < choices; ++i) q.choices.push_back("choice " + std::to_string(i));
    q.answer = answer;
    q.explanation = "Because (RFC 9293, 3.5).";
    return q;
}

}  // namespace

TEST_CASE("predict: going forward stops at the first open question's gate and answered questions let it pass") {
    Predict p;
    p.reset({question(5, 1), question(9, 0), question(9, 2)});
    CHECK_FALSE(p.gate(0, 20));  // off: nothing stops
    p.set_on(true);
    CHECK(p.gate(0, 20) == 4u);  // the step before the event asked about
    CHECK(p.gate(0, 4) == std::nullopt);
    CHECK(p.gate(4, 5) == 4u);   // at the gate, forward is blocked until the class answers
    CHECK(p.gate(6, 3) == std::nullopt);  // going back never stops
    p.arrive(4);
    REQUIRE(p.current());
    CHECK(p.current()->step == 5);
    CHECK_FALSE(p.revealed());
    CHECK_FALSE(p.answer(4));    // no choice E
    CHECK(p.answer(2));          // wrong
    CHECK_FALSE(p.answer(1));    // voted once
    CHECK(p.revealed());
    CHECK(p.status(0) == Predict::Status::Wrong);
    CHECK(p.chosen(0) == 2u);
    p.arrive(4);                 // stays: the reveal is read before going on
    CHECK(p.current_index() == 0);
    CHECK(p.gate(4, 20) == 8u);  // the first is answered: the next gate
    p.arrive(5);
    CHECK_FALSE(p.current());
    // Two questions about one event: the second comes up once the first is answered.
    p.arrive(8);
    REQUIRE(p.current());
    CHECK(p.current_index() == 1);
    CHECK(p.answer(0));
    CHECK(p.gate(8, 9) == 8u);
    p.arrive(8);
    CHECK(p.current_index() == 2);
    CHECK(p.skip());
    CHECK(p.status(2) == Predict::Status::Skipped);
    CHECK_FALSE(p.gate(8, 20));
    CHECK(p.right() == 1);
    CHECK(p.done() == 3);
    p.set_on(false);
    CHECK_FALSE(p.current());
}

TEST_CASE("predict: a teacher's question stops at its ask step itself") {
    Predict p;
    sim::quiz::Question q = question(7, 0);
    q.teacher = true;  // asked at the Ask event (step 7); its fact comes later
    p.reset({q});
    p.set_on(true);
    CHECK(p.gate(0, 7) == std::nullopt);  // the question itself is shown
    CHECK(p.gate(0, 20) == 7u);
    CHECK(p.gate(7, 8) == 7u);
    p.arrive(7);
    REQUIRE(p.current());
    CHECK(p.answer(0));
    CHECK(p.right() == 1);
    CHECK_FALSE(p.gate(7, 20));
}

#ifdef NETSTEP_EXE
TEST_CASE("predict: playing a real run stops before each question's event and then shows it") {
    test::PanelRun run("default.yaml");
    REQUIRE(run.session.view);
    const TraceView& view = run.view();
    std::vector<sim::quiz::Question> qs = sim::quiz::generate(view.trace(), {.max = 8});
    REQUIRE(qs.size() >= 3);
    Predict p;
    p.reset(qs);
    p.set_on(true);
    Player& player = run.session.player;
    player.go_to(0, view);
    player.speed_index = 3;  // 20 steps/s
    player.play(view);
    for (size_t i = 0; i < qs.size(); ++i) {
        // Play until it stops: at the gate, paused, the question up, its event not yet happened.
        for (int t = 0; t < 10000 && player.playing(); ++t) {
            uint32_t from = player.step();
            player.tick(0.05, view);
            p.follow(player, view, from);
        }
        CHECK_FALSE(player.playing());
        REQUIRE(p.current());
        CHECK(p.current_index() == i);
        CHECK(player.step() == Predict::gate_of(qs[i]));
        // The class is right on even questions: the score follows.
        CHECK(p.answer(i % 2 == 0 ? qs[i].answer : (qs[i].answer + 1) % uint32_t(qs[i].choices.size())));
        // Space plays on: the event itself is shown, then the next question stops it again.
        uint32_t from = player.step();
        player.play(view);
        player.tick(0.05, view);
        p.follow(player, view, from);
        if (i + 1 < qs.size() && qs[i + 1].step == qs[i].step) CHECK(player.step() == from);
        else CHECK(player.step() >= qs[i].step);
    }
    CHECK(p.right() == (qs.size() + 1) / 2);
    CHECK(p.done() == qs.size());
}
#endif

TEST_CASE("predict: the band sits under the controls and pushes the panels down (1280x800 and presenter)") {
    for (bool presenter : {false, true}) {
        const FontSizes& s = presenter ? kPresenterSizes : kNormalSizes;
        for (BigPanel big : {BigPanel::Topology, BigPanel::Sequence}) {
            Layout off = compute_layout(ImVec2(1280, 800), s, presenter, big);
            Layout on = compute_layout(ImVec2(1280, 800), s, presenter, big, PredictPanel::height(s));
            CHECK_FALSE(off.question.shown());
            REQUIRE(on.question.shown());
            CHECK(on.question.pos.y == doctest::Approx(on.controls.pos.y + on.controls.size.y));
            CHECK(on.question.size.x == doctest::Approx(1280));
            const Rect& body = presenter ? on.ladder.shown() ? on.ladder : on.topology : on.topology;
            CHECK(body.pos.y == doctest::Approx(on.question.pos.y + on.question.size.y));
            CHECK(body.pos.y + body.size.y <= 800.5f);
            CHECK(body.size.y >= 220.0f);  // the diagrams keep room to be read
        }
    }
}

#ifdef NETSTEP_EXE
TEST_CASE("predict: keys A-D answer and Esc skips and P toggles - a click votes - once revealed the letters do nothing") {
    test::PanelRun run("default.yaml");
    REQUIRE(run.session.view);
    Predict p;
    p.reset(sim::quiz::generate(run.view().trace(), {.max = 8}));
    p.set_on(true);
    REQUIRE(!p.questions().empty());
    const sim::quiz::Question& first = p.questions()[0];
    run.session.player.go_to(Predict::gate_of(first), run.view());
    p.arrive(run.session.player.step());
    REQUIRE(p.current() == &p.questions()[0]);
    PredictPanel band;
    ImVec2 size(1280, PredictPanel::height(kNormalSizes) + 20);
    auto draw = [&](const ViewModel& vm0, Commands& out) {
        ViewModel& vm = const_cast<ViewModel&>(vm0);
        vm.predict = &p;
        band.draw(vm, out);
        band.handle_keys(vm, out);
    };
    run.frame(size, {}, draw);
    REQUIRE(band.choice_min.size() == first.choices.size());
    for (size_t i = 0; i + 1 < band.choice_min.size(); ++i) CHECK(band.choice_max[i].x < band.choice_min[i + 1].x);
    auto press = [&](int key) {
        Commands a = run.frame(size, [key](ImGuiIO& io) { io.KeysDown[key] = true; }, draw);
        Commands b = run.frame(size, [key](ImGuiIO& io) { io.KeysDown[key] = false; }, draw);
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    Commands c = press(GLFW_KEY_B);
    REQUIRE(c.size() == 1);
    REQUIRE(std::holds_alternative<cmd::Answer>(c[0]));
    CHECK(std::get<cmd::Answer>(c[0]).choice == 1);
    c = press(GLFW_KEY_ESCAPE);
    REQUIRE(c.size() == 1);
    CHECK(std::holds_alternative<cmd::SkipQuestion>(c[0]));
    c = press(GLFW_KEY_P);
    REQUIRE(c.size() == 1);
    CHECK(std::holds_alternative<cmd::TogglePredict>(c[0]));
    // A click on the last choice votes for it.
    size_t last = first.choices.size() - 1;
    ImVec2 at((band.choice_min[last].x + band.choice_max[last].x) * 0.5f, (band.choice_min[last].y + band.choice_max[last].y) * 0.5f);
    Commands clicked;
    for (const test::Input& input : test::click_frames(at, 0)) {
        Commands out = run.frame(size, input, draw);
        clicked.insert(clicked.end(), out.begin(), out.end());
    }
    REQUIRE(clicked.size() == 1);
    REQUIRE(std::holds_alternative<cmd::Answer>(clicked[0]));
    CHECK(std::get<cmd::Answer>(clicked[0]).choice == last);
    // Revealed: the letters vote no more (P still toggles the mode).
    REQUIRE(p.answer(first.answer));
    CHECK(press(GLFW_KEY_A).empty());
    CHECK(press(GLFW_KEY_ESCAPE).empty());
    CHECK(press(GLFW_KEY_P).size() == 1);
}
#endif
