// What the user asked for, as values: panels push commands, the app applies them after drawing
// (Lager style: draw(const model&) dispatches actions, it never mutates the model).
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/journal.hpp"
#include "viz/i18n.hpp"
#include "viz/player.hpp"

namespace netstep::viz {

enum class Fault { Drop, Delay, Duplicate };

// Presenter mode on a small screen shows one big panel (and a companion beside it): which one.
enum class BigPanel { Topology, Sequence, States, Variables, Details, Terminal };  // Details: hosts, packet, log, MAC table
constexpr int kBigPanelCount = 6;

namespace cmd {
struct GoTo { uint32_t step = 0; };
struct StepBy { int delta = 0; };
struct JumpPacket { int dir = 1; };          // next (1) / previous (-1) packet sent
struct JumpState { int dir = 1; };           // next / previous state change
struct TogglePlay {};
struct SetSpeed { int index = kDefaultSpeed; };
struct SetBreakpoints { Breakpoints value; };
struct SelectPacket { uint32_t packet = 0; bool go_to_sent = false; bool show_inspector = true; };
struct SelectConnection { uint32_t history = 0; };
struct WhatIf { uint32_t packet = 0; Fault fault = Fault::Drop; };
struct Revert {};                            // back to the scenario before any what-if
struct Open { std::string path; };
struct Reload {};
struct Screenshot {};
struct TogglePresenter {};
struct SetLanguage { Language lang = Language::En; };
struct ShowPanel { BigPanel panel = BigPanel::Topology; };  // presenter mode on a small screen
struct Type { sim::TypedLine line; };        // into a host's terminal: the journal, then a rerun
struct SaveScenario { std::string path; };   // the scenario as shown (faults, typed lines)
struct ExportHandout { std::string path; };  // the run as shown, as a printable PDF handout (viz/export/)
struct TogglePredict {};                     // predict mode on/off (key P)
struct Answer { uint32_t choice = 0; };      // the class's vote for the question shown (A-D)
struct SkipQuestion {};                      // Esc: the question shown, unanswered
}  // namespace cmd

using Command = std::variant<cmd::GoTo, cmd::StepBy, cmd::JumpPacket, cmd::JumpState, cmd::TogglePlay,
                             cmd::SetSpeed, cmd::SetBreakpoints, cmd::SelectPacket, cmd::SelectConnection,
                             cmd::WhatIf, cmd::Revert, cmd::Open, cmd::Reload, cmd::Screenshot,
                             cmd::TogglePresenter, cmd::SetLanguage, cmd::ShowPanel, cmd::Type,
                             cmd::SaveScenario, cmd::ExportHandout, cmd::TogglePredict, cmd::Answer, cmd::SkipQuestion>;
using Commands = std::vector<Command>;

}  // namespace netstep::viz

namespace netstep::viz {

// Applies the commands that only move the player (step, jumps, play, speed, breakpoints);
// returns false for the others, which the app handles (selection, files, presenter...).
bool apply_to_player(const Command& command, Player& player, const TraceView& view);

}  // namespace netstep::viz
