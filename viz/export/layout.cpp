// The printed sequence diagram: columns, arrows, labels, captions and page breaks, in points.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "viz/export/export.hpp"
#include "viz/ladder_model.hpp"

namespace netstep::viz::exporting {

Measure estimate_measure() {
    return [](std::string_view text, double size, bool bold) {
        size_t chars = 0;
        for (unsigned char c : text) chars += (c & 0xC0) != 0x80;  // UTF-8: count code points
        return double(chars) * size * (bold ? 0.6 : 0.56);
    };
}

std::vector<std::string> wrap_text(std::string_view text, double width, double size, bool bold, const Measure& m) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {  // each paragraph (a newline ends one)
        size_t end = std::min(text.find('\n', start), text.size());
        std::string_view para = text.substr(start, end - start);
        std::string line;
        size_t i = 0;
        while (i < para.size()) {
            size_t sp = std::min(para.find(' ', i), para.size());
            std::string_view word = para.substr(i, sp - i);
            std::string tried = line.empty() ? std::string(word) : line + " " + std::string(word);
            if (!line.empty() && m(tried, size, bold) > width) {
                lines.push_back(line);
                line = std::string(word);
            } else {
                line = tried;
            }
            i = sp + 1;
        }
        lines.push_back(line);
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

namespace {

// Where a label goes: above its arrow (else below), at the middle or further along, clear of
// `taken` (the viewer's rule, panel_ladder.cpp's label_spot); else above the middle regardless.
Rect label_spot(Point from, Point to, double w, double h, double x_min, double x_max, const std::vector<Rect>& taken) {
    auto at = [&](double along, bool above) {
        double cx = from.x + (to.x - from.x) * along, cy = from.y + (to.y - from.y) * along;
        double x = std::clamp(cx - w * 0.5, x_min, std::max(x_min, x_max - w));
        double y = above ? cy - h - 0.5 : cy + 0.5;
        return Rect{x, y, x + w, y + h};
    };
    auto clear = [&](const Rect& r) { return std::none_of(taken.begin(), taken.end(), [&](const Rect& o) { return o.overlaps(r); }); };
    for (bool above : {true, false}) {
        for (double along : {0.5, 0.3, 0.7, 0.18, 0.82}) {
            Rect r = at(along, above);
            if (clear(r)) return r;
        }
    }
    // Paper has no hover: a crowded flight's label one or two lines off its arrow, not on another.
    for (double off : {1.0, -1.0, 2.0, -2.0}) {
        for (double along : {0.5, 0.3, 0.7}) {
            Rect r = at(along, off < 0);
            double dy = (off < 0 ? off + 1.0 : off) * h;
            r.y0 += off < 0 ? -h + dy : dy;
            r.y1 += off < 0 ? -h + dy : dy;
            if (clear(r)) return r;
        }
    }
    return at(0.5, true);
}

}  // namespace

LadderLayout layout_ladder(const TraceView& view, const LadderOptions& o, const Measure& measure) {
    const sim::Trace& t = view.trace();
    if (t.events.empty()) throw std::invalid_argument("the run has no steps to draw");
    uint32_t last = view.last_step();
    uint32_t to = o.to == kNone ? last : o.to;
    if (o.from > last) throw std::invalid_argument("--from " + std::to_string(o.from) + " is past the last step (" + std::to_string(last) + ")");
    if (to > last) throw std::invalid_argument("--to " + std::to_string(to) + " is past the last step (" + std::to_string(last) + ")");
    if (o.from > to) throw std::invalid_argument("--from " + std::to_string(o.from) + " is after --to " + std::to_string(to));

    LadderLayout L;
    L.from = o.from;
    L.to = to;
    L.font = o.font;
    L.width = o.width;
    double fs = o.font, line_h = fs * 1.3;
    LadderModel model = ladder_model(view);

    // The lifelines of the arrows sent in the range (all when none is).
    std::vector<bool> shown(model.lifelines.size(), false);
    bool any = false;
    for (const LadderArrow& a : model.arrows) {
        uint32_t s = t.packets[a.packet].sent_step;
        if (s < L.from || s > L.to) continue;
        shown[size_t(a.from)] = shown[size_t(a.to)] = any = true;
    }
    if (!any) shown.assign(shown.size(), true);

    // Columns: the time column, then the lifelines, evenly.
    std::string widest_time = view.format_time(t.events[L.to].time);
    L.left = measure(widest_time, fs, false) + fs;
    std::vector<int> column(model.lifelines.size(), -1);
    int columns = 0;
    for (size_t c = 0; c < shown.size(); ++c)
        if (shown[c]) column[c] = columns++;
    // Captions in a column of notes right of the lifelines when each lifeline keeps 150 points
    // (two, on A4): beside the arrows, never over them. Else across the lifelines, with room made.
    double span = L.width - L.left;
    double notes_w = std::min(span * 0.32, span - 150.0 * double(std::max(1, columns)));
    if (notes_w < 110) notes_w = 0;
    L.notes_x = notes_w > 0 ? L.width - notes_w : L.width;
    double lanes_right = notes_w > 0 ? L.notes_x - fs * 1.5 : L.width;
    double col_w = (lanes_right - L.left) / double(std::max(1, columns));
    for (size_t c = 0; c < shown.size(); ++c) {
        if (column[c] < 0) continue;
        L.columns.push_back({model.lifelines[c].name, model.lifelines[c].host, L.left + col_w * (double(column[c]) + 0.5)});
    }

    // Rows: the viewer's scale (ladder_rows), in points; then room made for each caption (in the
    // notes column: only what it needs to start at its own step, below the caption before it).
    LadderScale scale{.top = 0, .gap_min = float(fs * 1.9), .gap_max = float(fs * 5.5)};
    std::vector<float> rows = ladder_rows(t, model, shown, scale);
    std::vector<double> y(t.events.size(), 0.0);
    double shift = fs - rows[L.from];
    double caption_w = notes_w > 0 ? notes_w : L.width - L.left;
    double notes_bottom = -1e9;
    for (uint32_t s = L.from; s < t.events.size(); ++s) {
        y[s] = rows[s] + shift;
        if (s <= L.to && t.events[s].kind == sim::EventKind::Caption) {
            LadderCaption c{s, wrap_text(t.caption_text(s, language_code(o.lang)), caption_w - fs, fs, false, measure), {}, 0};
            double h = double(c.lines.size()) * line_h + fs * 0.6;
            if (notes_w > 0) {
                double top = y[s] - fs * 0.7;
                if (top < notes_bottom + fs * 0.6) {
                    shift += notes_bottom + fs * 0.6 - top;
                    y[s] = rows[s] + shift;
                    top = y[s] - fs * 0.7;
                }
                c.box = {L.notes_x, top, L.width, top + h};
                notes_bottom = c.box.y1;
            } else {
                c.box = {L.left, y[s] + fs * 0.4, L.width, y[s] + fs * 0.4 + h};
                shift += h + fs * 0.8;
            }
            c.anchor_y = y[s];
            L.captions.push_back(std::move(c));
        }
    }

    // Arrows, then their labels (clear of the captions, the times and each other).
    std::vector<Rect> taken;
    for (const LadderCaption& c : L.captions) taken.push_back(c.box);
    std::string last_time;
    double last_time_y = -1e9;
    for (const LadderArrow& a : model.arrows) {
        const sim::TracePacket& p = t.packets[a.packet];
        if (p.sent_step < L.from || p.sent_step > L.to || column[size_t(a.from)] < 0 || column[size_t(a.to)] < 0) continue;
        double y0 = y[p.sent_step];
        double y1 = a.end_step != kNone && a.end_step < t.events.size() ? y[a.end_step] : y0 + scale.flight();
        double x0 = L.left + col_w * (column[size_t(a.from)] + 0.5), x1 = L.left + col_w * (column[size_t(a.to)] + 0.5);
        LadderArrowShape shape{a.packet, {x0, y0}, {x1, y1}, view.packet(a.packet).kind, p.dropped, a.main, a.taken,
                               view.packet(a.packet).label, std::nullopt};
        if (p.dropped) {  // the X where it was lost: part of the way, as the viewer draws it
            double k = std::clamp(view.progress(a.packet, t.events[std::min<size_t>(a.end_step, last)].time), 0.2, 0.8);
            shape.to = {x0 + (x1 - x0) * k, y0 + (y1 - y0) * k};
            taken.push_back({shape.to.x - fs, shape.to.y - fs, shape.to.x + fs, shape.to.y + fs});  // no label on the X
        }
        L.arrows.push_back(std::move(shape));
        std::string time = view.format_time(t.events[p.sent_step].time);
        if (time != last_time && y0 - last_time_y >= fs * 1.1) {
            L.times.push_back({time, y0});
            taken.push_back({0, y0 - fs * 0.5, L.left - fs * 0.5, y0 + fs * 0.5});
            last_time = time;
            last_time_y = y0;
        }
    }
    for (LadderArrowShape& s : L.arrows) {
        if (!s.main) continue;
        double w = measure(s.label, fs, true) + 3, h = fs * 1.2;
        Rect r = label_spot(s.from, s.to, w, h, L.left, lanes_right, taken);
        s.label_box = r;
        taken.push_back(r);
    }

    double bottom = L.arrows.empty() && L.captions.empty() ? y[L.to] : 0.0;  // no trailing rows of timers: paper
    for (const LadderArrowShape& s : L.arrows) bottom = std::max({bottom, s.from.y, s.to.y, s.label_box ? s.label_box->y1 : 0.0});
    for (const LadderCaption& c : L.captions) bottom = std::max(bottom, c.box.y1);
    L.height = bottom + fs * 1.5;

    // Pages: cut where no arrow, label or caption crosses, as low as the page allows.
    double first_room = o.first_page_height > 0 ? o.first_page_height : o.page_height;
    if (o.page_height <= 0 || L.height <= first_room) {
        L.pages.push_back({0, L.height});
        return L;
    }
    auto crosses = [&](double cut, bool arrows) {
        for (const LadderCaption& c : L.captions)
            if (c.box.y0 - 1 < cut && cut < c.box.y1 + 1) return true;
        if (!arrows) return false;
        for (const LadderArrowShape& s : L.arrows) {
            double lo = std::min(s.from.y, s.to.y) - fs * 1.3, hi = std::max(s.from.y, s.to.y);
            if (s.label_box) hi = std::max(hi, s.label_box->y1);
            if (lo < cut && cut < hi) return true;
        }
        return false;
    };
    double start = 0;
    double content = L.height - fs * 1.5;  // below it only the padding: no page of its own
    while (content - start > (L.pages.empty() ? first_room : o.page_height)) {
        double room = L.pages.empty() ? first_room : o.page_height;
        double limit = start + room, cut = -1;
        for (bool strict : {true, false}) {
            for (double c = limit; c > start + room * 0.4 && cut < 0; c -= 1.0)
                if (!crosses(c, strict)) cut = c;
            if (cut >= 0) break;
        }
        if (cut < 0) cut = limit;
        L.pages.push_back({start, cut});
        start = cut;
    }
    L.pages.push_back({start, std::min(L.height, start + (L.pages.empty() ? first_room : o.page_height))});
    return L;
}

}  // namespace netstep::viz::exporting
