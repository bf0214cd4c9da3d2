// Predict mode (issue 18): before chosen events the player stops and the class is asked what
// happens next; the questions are sim::quiz's (the answer read from the trace at that step).
// Pure logic, no ImGui: the app feeds it the player's moves, the question band draws it, tests
// drive it with numbers.
//
// A question about the event at step S is asked at S - 1 (its gate): the panels show the moment
// before. Going forward past an open question stops at its gate; answering (A-D) reveals the
// answer and its rule, and the next move forward goes on to the event itself. Esc skips it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/quiz.hpp"
#include "viz/player.hpp"

namespace netstep::viz {

class Predict {
public:
    enum class Status : uint8_t { Open, Right, Wrong, Skipped };

    // --- Actions ---------------------------------------------------------------------------
    void reset(std::vector<sim::quiz::Question> questions);  // a new trace: every question open
    void set_on(bool on);
    // The player moved from `from` to `to`: the step it must stop at (paused) when an open
    // question's gate comes first on the way forward; nothing when it may stay at `to`.
    std::optional<uint32_t> gate(uint32_t from, uint32_t to) const;
    // The player moved, or was stopped, at `step`: the question asked there (an open question
    // whose gate it is), else the one just answered while the step stays; none elsewhere. Not
    // called on frames without a move: a reveal stays until the teacher goes on.
    void arrive(uint32_t step);
    // The app's rule after every move of the player from `from` (a key, a click, playing): at an
    // open question's gate it stops and pauses there, and the question comes up.
    void follow(Player& player, const TraceView& view, uint32_t from);
    bool answer(uint32_t choice);  // reveals the current question; false if none or answered
    bool skip();                   // the current question, unanswered; false if none

    // --- State -----------------------------------------------------------------------------
    bool on() const { return on_; }
    const std::vector<sim::quiz::Question>& questions() const { return questions_; }
    const sim::quiz::Question* current() const;      // the question shown, or none
    size_t current_index() const { return current_; }
    Status status(size_t i) const { return status_[i]; }
    std::optional<uint32_t> chosen(size_t i) const;  // the letter pressed for question i
    bool revealed() const;                            // the current question is answered or skipped
    size_t right() const;                             // questions answered right
    size_t done() const;                              // answered or skipped
    // The step the player stops at: before the event a generated question asks about, at the
    // `ask` step itself for a teacher's question (its fact comes later).
    static uint32_t gate_of(const sim::quiz::Question& q) { return q.teacher ? q.step : q.step > 0 ? q.step - 1 : 0; }
    // The first step that would show the answer: going there from the gate needs a vote.
    static uint32_t answer_step(const sim::quiz::Question& q) { return q.teacher ? q.step + 1 : q.step; }

private:
    static constexpr size_t kNoQuestion = SIZE_MAX;
    bool on_ = false;
    std::vector<sim::quiz::Question> questions_;
    std::vector<Status> status_;
    std::vector<uint32_t> chosen_;
    size_t current_ = kNoQuestion;
    uint32_t current_at_ = 0;  // the step the current question is shown at
};

}  // namespace netstep::viz
