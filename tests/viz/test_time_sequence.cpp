// The time-sequence graph (issue 18): its series on real runs (slow start's doubling, the loss,
// the halving; flow control's window closing), and the panel's rectangles and clicks.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <variant>
#include <vector>

#include "tests/viz/panel_run.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"
#include "viz/time_sequence.hpp"

#ifdef NETSTEP_EXE
using namespace netstep;
using namespace netstep::viz;

namespace {

// The direction that carries the data (the most payload).
TimeSequence data_direction(const TraceView& view) {
    std::vector<TsgConnection> cs = tcp_connections(view);
    REQUIRE_FALSE(cs.empty());
    uint32_t c = default_connection(cs, view, kNone);
    REQUIRE(c != kNone);
    const TsgConnection& k = cs[c];
    return k.bytes_ab >= k.bytes_ba ? time_sequence(view, k.a, k.b) : time_sequence(view, k.b, k.a);
}

// Segments sent in bursts a round trip apart: the size of each burst (a gap of 10 ms splits them).
std::vector<int> bursts(const TimeSequence& ts) {
    std::vector<int> out;
    Instant last{};
    for (const TsgSegment& s : ts.segments) {
        if (s.end - s.seq < 100) continue;  // SYN, FIN
        if (out.empty() || (s.time - last).ns > 10'000'000) out.push_back(0);
        ++out.back();
        last = s.time;
    }
    return out;
}

}  // namespace

TEST_CASE("time-sequence: slow start doubles per round trip, the loss is marked, cwnd halves") {
    test::PanelRun run("tcp-slow-start.yaml");
    REQUIRE(run.session.view);
    TimeSequence ts = data_direction(run.view());
    CHECK(run.view().index().host_name(*run.view().index().host_of(ts.from.address)) == "server");
    std::vector<int> b = bursts(ts);
    REQUIRE(b.size() >= 3);
    CHECK(b[0] == 3);
    CHECK(b[1] == 6);
    CHECK(b[2] == 12);
    // One segment lost, sent again: same range, marked.
    auto lost = std::find_if(ts.segments.begin(), ts.segments.end(), [](const TsgSegment& s) { return s.dropped; });
    REQUIRE(lost != ts.segments.end());
    CHECK_FALSE(lost->retransmit);
    CHECK(lost->seq == 16061);  // "I still expect byte 16061"
    auto resent = std::find_if(ts.segments.begin(), ts.segments.end(), [](const TsgSegment& s) { return s.retransmit; });
    REQUIRE(resent != ts.segments.end());
    CHECK(resent->seq == lost->seq);
    CHECK(resent->end == lost->end);
    CHECK(resent->time > lost->time);
    CHECK(std::count_if(ts.segments.begin(), ts.segments.end(), [](const TsgSegment& s) { return s.retransmit; }) == 1);
    // cwnd: 20440 before the loss, ssthresh + 3 segments in fast recovery, then halved.
    auto at = [&](uint32_t value) {
        return std::find_if(ts.cwnd.begin(), ts.cwnd.end(), [&](const TsgCwnd& c) { return c.cwnd == value; });
    };
    REQUIRE(at(4380) != ts.cwnd.end());
    REQUIRE(at(20440) != ts.cwnd.end());
    REQUIRE(at(14600) != ts.cwnd.end());
    auto halved = std::find_if(at(14600), ts.cwnd.end(), [](const TsgCwnd& c) { return c.cwnd == 10220; });
    REQUIRE(halved != ts.cwnd.end());
    CHECK(at(4380) < at(20440));
    CHECK(halved->ssthresh == 10220);
    CHECK(halved->time > resent->time);
    // The ACK line only climbs; the window line stays above it.
    for (size_t i = 1; i < ts.acks.size(); ++i) CHECK(ts.acks[i].ack >= ts.acks[i - 1].ack);
    for (const TsgAck& a : ts.acks) CHECK(a.window_end > a.ack);
    CHECK(ts.max_seq >= 100000);
}

TEST_CASE("time-sequence: flow control closes the window onto the ACK line") {
    test::PanelRun run("tcp-data-flow-control.yaml");
    REQUIRE(run.session.view);
    TimeSequence ts = data_direction(run.view());
    CHECK(run.view().index().host_name(*run.view().index().host_of(ts.from.address)) == "laptop");
    REQUIRE_FALSE(ts.acks.empty());
    auto closed = std::find_if(ts.acks.begin(), ts.acks.end(), [](const TsgAck& a) { return a.window_end == a.ack && a.ack > 1; });
    REQUIRE(closed != ts.acks.end());
    CHECK(closed->ack == 65536);  // the laptop's whole buffer sent, acknowledged, unread
    // Before it the window was open; after it, it opens again (the reader reads).
    CHECK(ts.acks.front().window_end > ts.acks.front().ack);
    CHECK(std::any_of(closed, ts.acks.end(), [](const TsgAck& a) { return a.window_end > a.ack; }));
    CHECK(ts.cwnd.empty() == false);
}

TEST_CASE("time-sequence: a trace without TCP has no connection") {
    test::PanelRun run("udp-dns.yaml");
    REQUIRE(run.session.view);
    std::vector<TsgConnection> cs = tcp_connections(run.view());
    CHECK(cs.empty());
    CHECK(default_connection(cs, run.view(), kNone) == kNone);
}
namespace {

// No two labels overlap; each lies inside the window.
void check_labels(const std::vector<std::pair<ImVec2, ImVec2>>& labels, ImVec2 window) {
    for (size_t i = 0; i < labels.size(); ++i) {
        CHECK(labels[i].first.x >= 0);
        CHECK(labels[i].first.y >= 0);
        CHECK(labels[i].second.x <= window.x);
        CHECK(labels[i].second.y <= window.y);
        for (size_t j = i + 1; j < labels.size(); ++j) {
            bool apart = labels[i].second.x <= labels[j].first.x || labels[j].second.x <= labels[i].first.x ||
                         labels[i].second.y <= labels[j].first.y || labels[j].second.y <= labels[i].first.y;
            CHECK(apart);
        }
    }
}

// The panel in the tabs' rectangle (less the tab bar) at 1280x800, normal or presenter mode.
void check_layout(bool presenter) {
    test::PanelRun run("tcp-slow-start.yaml");
    REQUIRE(run.session.view);
    if (presenter) {  // presenter mode's body font, as the app builds it
        ImGuiIO& io = ImGui::GetIO();
        if (ImFont* big = io.Fonts->AddFontFromFileTTF("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", kPresenterSizes.body)) {
            unsigned char* pixels = nullptr;
            int w = 0, h = 0;
            io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
            run.fonts.body = big;
        }
    }
    Layout l = compute_layout(ImVec2(1280, 800), presenter ? kPresenterSizes : kNormalSizes, presenter, BigPanel::Details);
    REQUIRE(l.tabs.shown());
    float fs = presenter ? kPresenterSizes.body : kNormalSizes.body;
    ImVec2 size(l.tabs.size.x, l.tabs.size.y - fs * 2.0f);
    TimeSequencePanel panel;
    auto draw = [&](const ViewModel& vm, Commands& out) { panel.draw(vm, out); };
    TimeSequence ts = data_direction(run.view());
    uint32_t step = ts.segments[ts.segments.size() / 2].step;
    run.at(step, size, draw);
    CAPTURE(presenter);
    REQUIRE_FALSE(panel.no_tcp_shown);
    CHECK(panel.plot_min.x > 0);
    CHECK(panel.plot_min.y > fs);                // below the selectors
    CHECK(panel.plot_max.x < size.x);
    CHECK(panel.plot_max.y < size.y);
    CHECK(panel.plot_max.x - panel.plot_min.x > size.x * 0.6f);
    CHECK(panel.plot_max.y - panel.plot_min.y > size.y * 0.4f);
    CHECK(panel.time_labels.size() >= 3);
    CHECK(panel.seq_labels.size() >= 3);
    check_labels(panel.time_labels, size);
    check_labels(panel.seq_labels, size);
    for (const auto& t : panel.time_labels) CHECK(t.first.y >= panel.plot_max.y);   // under the plot
    for (const auto& s : panel.seq_labels) CHECK(s.second.x <= panel.plot_min.x);   // left of it
    // Every segment a bar inside the plot; the cursor inside it too.
    CHECK(panel.bars.size() == ts.segments.size());
    for (const auto& b : panel.bars) {
        CHECK(b.min.x >= panel.plot_min.x - 3);
        CHECK(b.max.x <= panel.plot_max.x + 3);
        CHECK(b.min.y >= panel.plot_min.y);
        CHECK(b.max.y <= panel.plot_max.y);
    }
    CHECK(panel.cursor_x > panel.plot_min.x);
    CHECK(panel.cursor_x < panel.plot_max.x);
}

}  // namespace

TEST_CASE("time-sequence: the plot, its ticks and bars fit the tabs at 1280x800") { check_layout(false); }
TEST_CASE("time-sequence: ... and in presenter mode (the tabs as the big panel)") { check_layout(true); }

TEST_CASE("time-sequence: a click on a bar selects its packet, the wheel zooms, a drag pans, reset undoes them") {
    test::PanelRun run("tcp-slow-start.yaml");
    REQUIRE(run.session.view);
    TimeSequencePanel panel;
    auto draw = [&](const ViewModel& vm, Commands& out) { panel.draw(vm, out); };
    ImVec2 size(640, 420);
    TimeSequence ts = data_direction(run.view());
    run.at(ts.segments.back().step, size, draw);
    // The retransmission: vermillion, apart from the others in time.
    auto resent = std::find_if(ts.segments.begin(), ts.segments.end(), [](const TsgSegment& s) { return s.retransmit; });
    REQUIRE(resent != ts.segments.end());
    auto bar = std::find_if(panel.bars.begin(), panel.bars.end(), [&](const auto& b) { return b.packet == resent->packet; });
    REQUIRE(bar != panel.bars.end());
    ImVec2 at((bar->min.x + bar->max.x) * 0.5f, (bar->min.y + bar->max.y) * 0.5f);
    Commands all;
    for (const test::Input& input : test::click_frames(at, 0))
        for (const Command& c : run.frame(size, input, draw)) all.push_back(c);
    REQUIRE(all.size() == 1);
    const auto* select = std::get_if<cmd::SelectPacket>(&all[0]);
    REQUIRE(select);
    CHECK(select->packet == resent->packet);
    CHECK_FALSE(select->show_inspector);
    // The wheel over the plot: a narrower time range, fewer bars drawn wide apart.
    double before = panel.view_t1 - panel.view_t0;
    ImVec2 mid((panel.plot_min.x + panel.plot_max.x) * 0.5f, (panel.plot_min.y + panel.plot_max.y) * 0.5f);
    run.frame(size, [&](ImGuiIO& io) { io.MousePos = mid; io.MouseWheel = 2; }, draw);
    run.frame(size, [&](ImGuiIO& io) { io.MouseWheel = 0; }, draw);
    CHECK(panel.zoomed);
    CHECK(panel.view_t1 - panel.view_t0 < before * 0.7);
    // A drag pans: the range keeps its width and moves.
    double width = panel.view_t1 - panel.view_t0, t0 = panel.view_t0;
    run.frame(size, [&](ImGuiIO& io) { io.MouseDown[0] = true; }, draw);
    for (int i = 1; i <= 4; ++i) run.frame(size, [&, i](ImGuiIO& io) { io.MousePos = ImVec2(mid.x - 20.0f * float(i), mid.y); }, draw);
    run.frame(size, [&](ImGuiIO& io) { io.MouseDown[0] = false; }, draw);
    CHECK(panel.view_t0 > t0);
    CHECK(panel.view_t1 - panel.view_t0 == doctest::Approx(width));
    panel.zoomed = false;
    run.frame(size, {}, draw);
    CHECK(panel.view_t1 - panel.view_t0 == doctest::Approx(before));
}
#endif
