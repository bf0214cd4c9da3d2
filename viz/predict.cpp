// Predict mode: the questions' gates, answers and the score.
#include "viz/predict.hpp"

#include <algorithm>

namespace netstep::viz {

void Predict::reset(std::vector<sim::quiz::Question> questions) {
    questions_ = std::move(questions);
    status_.assign(questions_.size(), Status::Open);
    chosen_.assign(questions_.size(), UINT32_MAX);
    current_ = kNoQuestion;
}

void Predict::set_on(bool on) {
    on_ = on;
    if (!on) current_ = kNoQuestion;
}

std::optional<uint32_t> Predict::gate(uint32_t from, uint32_t to) const {
    if (!on_ || to <= from) return std::nullopt;
    std::optional<uint32_t> stop;
    for (size_t i = 0; i < questions_.size(); ++i) {
        const sim::quiz::Question& q = questions_[i];
        // The event it asks about would be shown (from < shown <= to): stop before it.
        uint32_t shown = answer_step(q);
        if (status_[i] != Status::Open || shown <= from || shown > to) continue;
        uint32_t at = std::max(from, gate_of(q));
        if (!stop || at < *stop) stop = at;
    }
    return stop;
}

void Predict::arrive(uint32_t step) {
    if (!on_) return;
    for (size_t i = 0; i < questions_.size(); ++i) {
        if (status_[i] == Status::Open && gate_of(questions_[i]) == step) {
            current_ = i;  // the first in step order (flags before a number of the same segment)
            current_at_ = step;
            return;
        }
    }
    if (current_ != kNoQuestion && current_at_ == step) return;  // the reveal stays while the step does
    current_ = kNoQuestion;
}

void Predict::follow(Player& player, const TraceView& view, uint32_t from) {
    if (!on_) return;
    uint32_t to = player.step();
    if (auto stop = gate(from, to)) {
        player.pause();
        player.go_to(*stop, view);
        arrive(*stop);
    } else if (to != from) {
        arrive(to);
    }
}

bool Predict::answer(uint32_t choice) {
    if (current_ == kNoQuestion || status_[current_] != Status::Open) return false;
    const sim::quiz::Question& q = questions_[current_];
    if (choice >= q.choices.size()) return false;
    chosen_[current_] = choice;
    status_[current_] = choice == q.answer ? Status::Right : Status::Wrong;
    return true;
}

bool Predict::skip() {
    if (current_ == kNoQuestion || status_[current_] != Status::Open) return false;
    status_[current_] = Status::Skipped;
    return true;
}

const sim::quiz::Question* Predict::current() const {
    return current_ == kNoQuestion ? nullptr : &questions_[current_];
}

std::optional<uint32_t> Predict::chosen(size_t i) const {
    if (i >= chosen_.size() || chosen_[i] == UINT32_MAX) return std::nullopt;
    return chosen_[i];
}

bool Predict::revealed() const { return current_ != kNoQuestion && status_[current_] != Status::Open; }

size_t Predict::right() const { return size_t(std::count(status_.begin(), status_.end(), Status::Right)); }

size_t Predict::done() const {
    return size_t(std::count_if(status_.begin(), status_.end(), [](Status s) { return s != Status::Open; }));
}

}  // namespace netstep::viz
