// The player's share of the commands: pure, so tests drive it exactly as the app does.
#include "viz/commands.hpp"

#include <type_traits>

namespace netstep::viz {

namespace {

void jump(Player& player, const TraceView& view, std::optional<uint32_t> to) {
    if (!to) return;
    player.pause();
    player.go_to(*to, view);
}

}  // namespace

bool apply_to_player(const Command& command, Player& player, const TraceView& view) {
    return std::visit(
        [&](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            const sim::TraceIndex& index = view.index();
            uint32_t at = player.step();
            if constexpr (std::is_same_v<T, cmd::GoTo>) {
                jump(player, view, c.step);
            } else if constexpr (std::is_same_v<T, cmd::StepBy>) {
                player.pause();
                player.step_by(c.delta, view);
            } else if constexpr (std::is_same_v<T, cmd::JumpPacket>) {
                jump(player, view, c.dir > 0 ? index.next_step(at, sim::EventKind::PacketSent)
                                             : index.prev_step(at, sim::EventKind::PacketSent));
            } else if constexpr (std::is_same_v<T, cmd::JumpState>) {
                jump(player, view, c.dir > 0 ? index.next_step(at, sim::StepKind::StateChange)
                                             : index.prev_step(at, sim::StepKind::StateChange));
            } else if constexpr (std::is_same_v<T, cmd::TogglePlay>) {
                player.toggle_play(view);
            } else if constexpr (std::is_same_v<T, cmd::SetSpeed>) {
                player.speed_index = c.index;
            } else if constexpr (std::is_same_v<T, cmd::SetBreakpoints>) {
                player.breakpoints = c.value;
            } else {
                return false;
            }
            return true;
        },
        command);
}

}  // namespace netstep::viz
