// Drawing the layouts with cairo: PDF pages (A4, numbered), one SVG or PNG drawing. Black and
// white proof: a lost packet is a dashed line ending in an X, a broadcast's other copies are
// dotted, captions are boxed in grey; colour only repeats what the label says.
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "viz/export/export.hpp"

namespace netstep::viz::exporting {

namespace {

constexpr const char* kFont = "DejaVu Sans";  // fonts-dejavu-core: French and Italian letters, arrows
constexpr double kPngScale = 2.0;             // PNG pixels per point

struct Rgb { double r, g, b; };
// The viewer's palette (theme.hpp), darker for paper.
Rgb kind_color(PacketKind k) {
    switch (k) {
        case PacketKind::Syn: return {0.08, 0.47, 0.16};
        case PacketKind::SynAck: return {0.0, 0.38, 0.27};
        case PacketKind::Fin: return {0.75, 0.38, 0.0};
        case PacketKind::Rst: return {0.75, 0.08, 0.1};
        case PacketKind::Data: return {0.06, 0.3, 0.7};
        case PacketKind::Ack: return {0.3, 0.3, 0.3};
        case PacketKind::Udp: return {0.45, 0.18, 0.62};
        case PacketKind::Icmp: return {0.6, 0.46, 0.0};
        case PacketKind::Arp: return {0.0, 0.45, 0.55};
        case PacketKind::Other: break;
    }
    return {0, 0, 0};
}

void set_rgb(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// Unhinted metrics on every surface and in the measure: widths measured once fit when drawn at any
// scale (hinted advances are rounded to the pixels of the surface they are measured on).
void unhinted(cairo_t* cr) {
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void font(cairo_t* cr, double size, bool bold, bool italic = false) {
    cairo_select_font_face(cr, kFont, italic ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// Text with its top left at (x, y).
void text_at(cairo_t* cr, double x, double y, const std::string& s) {
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    cairo_move_to(cr, x, y + fe.ascent);
    cairo_show_text(cr, s.c_str());
}

double text_width(cairo_t* cr, const std::string& s) {
    cairo_text_extents_t te;
    cairo_text_extents(cr, s.c_str(), &te);
    return te.x_advance;
}

// Cut to `width` with "…", keeping the end after the last ':' (a port) whole when it can.
std::string fit(cairo_t* cr, const std::string& s, double width) {
    if (text_width(cr, s) <= width) return s;
    size_t colon = s.rfind(':');
    std::string tail = colon != std::string::npos ? s.substr(colon) : "";
    std::string head = s.substr(0, s.size() - tail.size());
    while (!head.empty()) {
        head.pop_back();
        while (!head.empty() && (uint8_t(head.back()) & 0xC0) == 0x80) head.pop_back();  // a whole UTF-8 letter
        if (text_width(cr, head + "…" + tail) <= width) return head + "…" + tail;
    }
    return "…" + tail;
}

// The surfaces: each writes its bytes into `out`.
cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

struct Surface {
    cairo_surface_t* s = nullptr;
    cairo_t* cr = nullptr;
    Format format;
    std::string* out;
    Surface(Format f, double w, double h, std::string* bytes, const std::string& title) : format(f), out(bytes) {
        switch (f) {
            case Format::Pdf:
                s = cairo_pdf_surface_create_for_stream(append, out, w, h);
                // Fixed dates: the same input gives the same bytes.
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00");
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00");
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title.c_str());
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "netstep");
                break;
            case Format::Svg:
                s = cairo_svg_surface_create_for_stream(append, out, w, h);
                break;
            case Format::Png:
                s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(std::ceil(w * kPngScale)), int(std::ceil(h * kPngScale)));
                break;
        }
        cr = cairo_create(s);
        unhinted(cr);
        if (f == Format::Png) cairo_scale(cr, kPngScale, kPngScale);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    Surface(const Surface&) = delete;
    Surface& operator=(const Surface&) = delete;
    void next_page() {
        cairo_show_page(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    void finish() {
        cairo_status_t st = cairo_status(cr);
        cairo_destroy(cr);
        cr = nullptr;
        if (format == Format::Png && st == CAIRO_STATUS_SUCCESS) st = cairo_surface_write_to_png_stream(s, append, out);
        cairo_surface_finish(s);
        if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
        cairo_surface_destroy(s);
        s = nullptr;
        if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(st));
    }
    ~Surface() {
        if (cr) cairo_destroy(cr);
        if (s) cairo_surface_destroy(s);
    }
};

// cairo's own measure (the toy font API, as drawn).
Measure cairo_measure() {
    auto surface = std::shared_ptr<cairo_surface_t>(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1), cairo_surface_destroy);
    auto cr = std::shared_ptr<cairo_t>(cairo_create(surface.get()), cairo_destroy);
    unhinted(cr.get());
    return [surface, cr](std::string_view text, double size, bool bold) {
        font(cr.get(), size, bold);
        return text_width(cr.get(), std::string(text));
    };
}

//-----------------------------------------------------------------------------
// The sequence diagram
//-----------------------------------------------------------------------------

void dash(cairo_t* cr, std::initializer_list<double> d) { cairo_set_dash(cr, d.size() ? std::data(d) : nullptr, int(d.size()), 0); }

// A rectangle filled with grey `fill`, outlined in grey `stroke` `width` wide (captions, labels).
void grey_box(cairo_t* cr, const Rect& r, double fill, double stroke, double width) {
    cairo_rectangle(cr, r.x0, r.y0, r.w(), r.h());
    cairo_set_source_rgb(cr, fill, fill, fill);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, stroke, stroke, stroke);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

// Lifeline names at (x0, y): boxed, cut to their column. Returns the height taken.
double draw_names(cairo_t* cr, const LadderLayout& L, double x0, double y) {
    double fs = L.font, h = fs * 1.9;
    double col_w = L.columns.size() >= 2 ? L.columns[1].x - L.columns[0].x : L.width - L.left;
    font(cr, fs, true);
    for (const LadderColumn& c : L.columns) {
        std::string name = fit(cr, c.name, col_w - fs);
        double w = text_width(cr, name);
        double x = x0 + c.x - w * 0.5;
        cairo_rectangle(cr, x - fs * 0.4, y, w + fs * 0.8, h - fs * 0.3);
        cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        text_at(cr, x, y + fs * 0.3, name);
    }
    return h;
}

void arrow_head(cairo_t* cr, Point from, Point to, double size) {
    double dx = to.x - from.x, dy = to.y - from.y, len = std::hypot(dx, dy);
    if (len < 1) return;
    dx /= len;
    dy /= len;
    Point base{to.x - dx * size, to.y - dy * size};
    cairo_move_to(cr, to.x, to.y);
    cairo_line_to(cr, base.x - dy * size * 0.4, base.y + dx * size * 0.4);
    cairo_line_to(cr, base.x + dy * size * 0.4, base.y - dx * size * 0.4);
    cairo_close_path(cr);
    cairo_fill(cr);
}

// The part [page.y0, page.y1] of the diagram, its top at (x0, y0).
void draw_ladder_body(cairo_t* cr, const LadderLayout& L, LadderPage page, double x0, double y0) {
    double fs = L.font;
    cairo_save(cr);
    cairo_rectangle(cr, x0 - fs, y0, L.width + 2 * fs, page.y1 - page.y0);
    cairo_clip(cr);
    cairo_translate(cr, x0, y0 - page.y0);
    // Lifelines.
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 0.8);
    for (const LadderColumn& c : L.columns) {
        cairo_move_to(cr, c.x, page.y0);
        cairo_line_to(cr, c.x, page.y1);
    }
    cairo_stroke(cr);
    // Times.
    font(cr, fs * 0.9, false);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (const LadderTime& t : L.times) text_at(cr, 0, t.y - fs * 0.5, t.text);
    // Captions: grey boxes with italic text, in the notes column with a dotted leader from the
    // last lifeline at their step; else across the lifelines, under the arrows in flight.
    for (const LadderCaption& c : L.captions) {
        if (c.box.x0 >= L.notes_x && !L.columns.empty()) {
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_line_width(cr, 0.6);
            dash(cr, {1.0, 1.5});
            cairo_move_to(cr, L.columns.back().x + fs * 0.6, c.anchor_y);
            cairo_line_to(cr, c.box.x0, c.anchor_y);
            cairo_stroke(cr);
            dash(cr, {});
        }
        grey_box(cr, c.box, 0.95, 0.35, 0.6);
        cairo_set_source_rgb(cr, 0, 0, 0);
        font(cr, fs, false, true);
        double y = c.box.y0 + fs * 0.3;
        for (const std::string& line : c.lines) {
            text_at(cr, c.box.x0 + fs * 0.5, y, line);
            y += fs * 1.3;
        }
    }
    // Arrows.
    for (const LadderArrowShape& a : L.arrows) {
        set_rgb(cr, a.taken ? kind_color(a.kind) : Rgb{0.55, 0.55, 0.55});
        cairo_set_line_width(cr, a.main ? 1.1 : 0.7);
        if (a.dropped) dash(cr, {3.0, 2.0});
        else if (!a.main || !a.taken) dash(cr, {0.8, 1.6});
        else dash(cr, {});
        cairo_move_to(cr, a.from.x, a.from.y);
        cairo_line_to(cr, a.to.x, a.to.y);
        cairo_stroke(cr);
        dash(cr, {});
        if (a.dropped) {
            double r = fs * 0.5;
            cairo_set_line_width(cr, 1.6);
            cairo_move_to(cr, a.to.x - r, a.to.y - r);
            cairo_line_to(cr, a.to.x + r, a.to.y + r);
            cairo_move_to(cr, a.to.x - r, a.to.y + r);
            cairo_line_to(cr, a.to.x + r, a.to.y - r);
            cairo_stroke(cr);
        } else {
            arrow_head(cr, a.from, a.to, fs * 0.8);
        }
    }
    // Labels, on a white ground.
    font(cr, fs, true);
    for (const LadderArrowShape& a : L.arrows) {
        if (!a.label_box) continue;
        const Rect& r = *a.label_box;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, r.x0, r.y0, r.w(), r.h());
        cairo_fill(cr);
        set_rgb(cr, kind_color(a.kind));
        text_at(cr, r.x0 + 1.5, r.y0 + fs * 0.05, a.label);
    }
    cairo_restore(cr);
}

//-----------------------------------------------------------------------------
// The topology
//-----------------------------------------------------------------------------

// The layout scaled by `k`, its top left at (x0, y0).
void draw_topology(cairo_t* cr, const TopologyLayout& T, double x0, double y0, double k) {
    double fs = T.font, pad = fs * 0.6, line_h = fs * 1.25;
    cairo_save(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, k, k);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.0);
    for (const TopoLink& l : T.links) {
        if (l.points.size() < 2) continue;
        cairo_move_to(cr, l.points[0].x, l.points[0].y);
        for (size_t i = 1; i < l.points.size(); ++i) cairo_line_to(cr, l.points[i].x, l.points[i].y);
        cairo_stroke(cr);
        const Point& b = l.points.back();
        cairo_arc(cr, b.x, b.y, 1.8, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    for (const TopoBar& b : T.bars) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, b.switched ? 2.0 : 3.0);
        if (b.switched) dash(cr, {6.0, 2.0});  // a switch: dashed (its ports are the links)
        cairo_move_to(cr, b.x0, b.y);
        cairo_line_to(cr, b.x1, b.y);
        cairo_stroke(cr);
        dash(cr, {});
        grey_box(cr, b.label_box, 1.0, 0.1, 0.8);
        font(cr, fs, true);
        text_at(cr, b.label_box.x0 + pad, b.label_box.y0 + pad * 0.5, b.label);
    }
    for (const TopoNode& n : T.nodes) {
        const Rect& r = n.box;
        if (r.w() <= 0) continue;
        cairo_rectangle(cr, r.x0, r.y0, r.w(), r.h());
        cairo_set_source_rgb(cr, n.router ? 0.88 : 0.96, n.router ? 0.88 : 0.96, n.router ? 0.88 : 0.96);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, n.router ? 1.6 : 0.9);
        cairo_stroke(cr);
        double y = r.y0 + pad * 0.5;
        for (size_t i = 0; i < n.lines.size(); ++i) {
            font(cr, fs, i == 0);
            text_at(cr, r.x0 + pad, y, n.lines[i]);
            y += line_h;
        }
    }
    cairo_restore(cr);
}

//-----------------------------------------------------------------------------
// Pages
//-----------------------------------------------------------------------------

struct Paper {
    PageSize page;
    Strings text;
    std::string title;
    int pages = 1;
    int number = 1;
};

void footer(cairo_t* cr, const Paper& p) {
    font(cr, 8, false);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    std::string left = fit(cr, p.title, p.page.w * 0.6);
    text_at(cr, p.page.margin, p.page.h - p.page.margin * 0.6, left);
    std::string n = std::string(p.text.page) + " " + std::to_string(p.number) + " / " + std::to_string(p.pages);
    text_at(cr, p.page.w - p.page.margin - text_width(cr, n), p.page.h - p.page.margin * 0.6, n);
}

double heading(cairo_t* cr, double x, double y, const std::string& s, double size) {
    font(cr, size, true);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, x, y, s);
    return size * 1.6;
}

// The legend under a ladder's heading: what a dashed line and a dotted one mean.
double legend(cairo_t* cr, const Strings& text, double x, double y, double fs) {
    font(cr, fs * 0.9, false);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.1);
    double mid = y + fs * 0.55;
    dash(cr, {3.0, 2.0});
    cairo_move_to(cr, x, mid);
    cairo_line_to(cr, x + fs * 3, mid);
    cairo_stroke(cr);
    dash(cr, {});
    double r = fs * 0.4, cx = x + fs * 3;
    cairo_move_to(cr, cx - r, mid - r);
    cairo_line_to(cr, cx + r, mid + r);
    cairo_move_to(cr, cx - r, mid + r);
    cairo_line_to(cr, cx + r, mid - r);
    cairo_stroke(cr);
    text_at(cr, x + fs * 4, y, text.legend_dropped);
    return fs * 1.6;
}

constexpr double kNamesGap = 2;

// The ladder's pages, from the current page (at `top` on it): a heading on the first, the names
// on each.
void ladder_pages(Surface& s, Paper& p, const LadderLayout& L, const std::string& head, double top) {
    cairo_t* cr = s.cr;
    double x0 = p.page.margin;
    for (size_t i = 0; i < L.pages.size(); ++i) {
        if (i > 0) {
            footer(cr, p);
            s.next_page();
            ++p.number;
        }
        double y = i == 0 ? top : p.page.margin;
        if (i == 0) {
            y += heading(cr, x0, y, head, 12);
            y += legend(cr, p.text, x0, y, L.font);
        }
        y += draw_names(cr, L, x0, y) + kNamesGap;
        draw_ladder_body(cr, L, L.pages[i], x0, y);
    }
}

// The room on a page for the diagram: all but the margins, the names, the footer; the first
// page also holds a heading and the legend.
double ladder_room(const PageSize& page, double fs) {
    return page.h - 2 * page.margin - fs * 1.9 - kNamesGap - 12 * 1.6 - fs * 1.6 - 10;
}

std::string range_text(const LadderLayout& L, const TraceView& view, const Strings& text) {
    if (L.from == 0 && L.to == view.last_step()) return text.ladder;
    return std::string(text.ladder) + " (" + text.step + " " + std::to_string(L.from) + "–" + std::to_string(L.to) + ")";
}

// The captions, as a list: time, then the text, wrapped; a page break between two of them.
struct CaptionItem { std::string time; std::vector<std::string> lines; };
std::vector<CaptionItem> caption_items(const TraceView& view, const ExportOptions& o, double width, const Measure& m) {
    std::vector<CaptionItem> items;
    const sim::Trace& t = view.trace();
    uint32_t to = o.to == kNone ? view.last_step() : o.to;
    for (uint32_t s = o.from; s <= to && s < t.events.size(); ++s) {
        if (t.events[s].kind != sim::EventKind::Caption) continue;
        items.push_back({view.format_time(t.events[s].time), wrap_text(t.caption_text(s, language_code(o.lang)), width, 9.5, false, m)});
    }
    return items;
}

constexpr double kCaptionFont = 9.5, kCaptionLine = 9.5 * 1.35;

// The list's time column: its widest time, and a gap.
double time_column(const TraceView& view, const Measure& m) {
    const sim::Trace& t = view.trace();
    double w = 0;
    for (uint32_t s = 0; s < t.events.size(); ++s)
        if (t.events[s].kind == sim::EventKind::Caption) w = std::max(w, m(view.format_time(t.events[s].time), kCaptionFont, true));
    return w + kCaptionFont;
}

// Page breaks of the caption list: the items on each page.
std::vector<std::pair<size_t, size_t>> caption_pages(const std::vector<CaptionItem>& items, double first_room, double room) {
    std::vector<std::pair<size_t, size_t>> pages;
    size_t start = 0;
    double used = 0, have = first_room;
    for (size_t i = 0; i < items.size(); ++i) {
        double h = double(items[i].lines.size()) * kCaptionLine + kCaptionFont * 0.6;
        if (used + h > have && i > start) {
            pages.push_back({start, i});
            start = i;
            used = 0;
            have = room;
        }
        used += h;
    }
    if (start < items.size()) pages.push_back({start, items.size()});
    return pages;
}

}  // namespace

std::optional<Format> format_of(std::string_view path) {
    auto ends = [&](std::string_view ext) {
        if (path.size() <= ext.size()) return false;
        std::string_view tail = path.substr(path.size() - ext.size());
        return std::equal(tail.begin(), tail.end(), ext.begin(), [](char a, char b) { return std::tolower(uint8_t(a)) == b; });
    };
    if (ends(".pdf")) return Format::Pdf;
    if (ends(".svg")) return Format::Svg;
    if (ends(".png")) return Format::Png;
    return std::nullopt;
}

std::string export_ladder(const TraceView& view, Format format, const ExportOptions& o) {
    Measure m = cairo_measure();
    PageSize page;
    Paper p{page, strings_for(o.lang), view.trace().title, 1, 1};
    LadderOptions lo{.from = o.from, .to = o.to, .width = page.w - 2 * page.margin, .page_height = 0, .lang = o.lang};
    if (format == Format::Pdf) lo.page_height = ladder_room(page, lo.font);
    LadderLayout L = layout_ladder(view, lo, m);
    std::string out;
    std::string head = p.title.empty() ? range_text(L, view, p.text) : p.title + " — " + range_text(L, view, p.text);
    if (format == Format::Pdf) {
        Surface s(format, page.w, page.h, &out, p.title);
        p.pages = int(L.pages.size());
        ladder_pages(s, p, L, head, page.margin);
        footer(s.cr, p);
        s.finish();
        return out;
    }
    // One drawing: heading, legend, names, the whole diagram.
    double top = page.margin * 0.5 + 12 * 1.6 + L.font * 1.6, names = L.font * 1.9 + kNamesGap;
    Surface s(format, page.w, top + names + L.height + page.margin * 0.5, &out, p.title);
    double y = page.margin * 0.5;
    y += heading(s.cr, page.margin, y, head, 12);
    y += legend(s.cr, p.text, page.margin, y, L.font);
    y += draw_names(s.cr, L, page.margin, y) + kNamesGap;
    draw_ladder_body(s.cr, L, L.pages.front(), page.margin, y);
    s.finish();
    return out;
}

std::string export_topology(const TraceView& view, Format format, const ExportOptions& o) {
    Measure m = cairo_measure();
    PageSize page;
    Strings text = strings_for(o.lang);
    double width = page.w - 2 * page.margin;
    TopologyLayout T = layout_topology(view.trace(), width, 9, text, m);
    std::string out;
    std::string head = view.trace().title.empty() ? text.topology : view.trace().title + " — " + text.topology;
    if (format == Format::Pdf) {
        Surface s(format, page.w, page.h, &out, view.trace().title);
        double y = page.margin + heading(s.cr, page.margin, page.margin, head, 12) + 6;
        double room = page.h - y - page.margin * 1.5;
        draw_topology(s.cr, T, page.margin, y, std::min(1.0, room / std::max(1.0, T.height)));
        Paper p{page, text, view.trace().title, 1, 1};
        footer(s.cr, p);
        s.finish();
        return out;
    }
    double top = page.margin * 0.5 + 12 * 1.6;
    Surface s(format, page.w, top + T.height + page.margin * 0.5, &out, view.trace().title);
    heading(s.cr, page.margin, page.margin * 0.5, head, 12);
    draw_topology(s.cr, T, page.margin, top, 1.0);
    s.finish();
    return out;
}

std::string export_handout(const TraceView& view, const ExportOptions& o) {
    Measure m = cairo_measure();
    PageSize page;
    const sim::Trace& t = view.trace();
    Paper p{page, strings_for(o.lang), t.title, 1, 1};
    double width = page.w - 2 * page.margin;
    TopologyLayout T = layout_topology(t, width, 9, p.text, m);
    double time_w = time_column(view, m);
    std::vector<CaptionItem> items = caption_items(view, o, width - time_w, m);
    std::vector<std::string> title = wrap_text(t.title.empty() ? t.file : t.title, width, 18, true, m);
    std::vector<std::string> description = wrap_text(t.description, width, 10, false, m);

    // Page 1: title, description, topology (scaled to what is left, at most half the page), and
    // the sequence diagram below it when a third of the page is left for it.
    double topo_y = page.margin + double(title.size()) * 18 * 1.3 + 6 + double(description.size()) * 10 * 1.4 + 14 + 13 * 1.6;
    double room = std::min(page.h - topo_y - page.margin * 1.5, page.h * 0.5);
    double k = std::min(1.0, room / std::max(1.0, T.height));
    double ladder_y = topo_y + T.height * k + 18;
    LadderOptions lo{.from = o.from, .to = o.to, .width = width, .page_height = ladder_room(page, 7.5), .lang = o.lang};
    double first = lo.page_height - (ladder_y - page.margin);
    bool shared = first >= page.h / 3;
    if (shared) lo.first_page_height = first;
    LadderLayout L = layout_ladder(view, lo, m);

    std::string out;
    Surface s(Format::Pdf, page.w, page.h, &out, t.title);
    cairo_t* cr = s.cr;
    double y = page.margin;
    cairo_set_source_rgb(cr, 0, 0, 0);
    font(cr, 18, true);
    for (const std::string& line : title) {
        text_at(cr, page.margin, y, line);
        y += 18 * 1.3;
    }
    y += 6;
    font(cr, 10, false);
    for (const std::string& line : description) {
        text_at(cr, page.margin, y, line);
        y += 10 * 1.4;
    }
    y += 14;
    y += heading(cr, page.margin, y, p.text.topology, 13);
    double caption_room = page.h - 2 * page.margin - 13 * 1.6 - 10;
    std::vector<std::pair<size_t, size_t>> cpages = caption_pages(items, caption_room, caption_room);
    p.pages = (shared ? 0 : 1) + int(L.pages.size()) + int(cpages.size());
    draw_topology(cr, T, page.margin, y, k);

    // The sequence diagram.
    if (!shared) {
        footer(cr, p);
        s.next_page();
        ++p.number;
    }
    ladder_pages(s, p, L, range_text(L, view, p.text), shared ? ladder_y : page.margin);
    footer(cr, p);

    // The captions in order.
    for (size_t i = 0; i < cpages.size(); ++i) {
        s.next_page();
        ++p.number;
        double cy = page.margin;
        if (i == 0) cy += heading(cr, page.margin, cy, p.text.captions_title, 13);
        for (size_t j = cpages[i].first; j < cpages[i].second; ++j) {
            font(cr, kCaptionFont, true);
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            text_at(cr, page.margin, cy, items[j].time);
            font(cr, kCaptionFont, false);
            cairo_set_source_rgb(cr, 0, 0, 0);
            for (const std::string& line : items[j].lines) {
                text_at(cr, page.margin + time_w, cy, line);
                cy += kCaptionLine;
            }
            cy += kCaptionFont * 0.6;
        }
        footer(cr, p);
    }
    s.finish();
    return out;
}

}  // namespace netstep::viz::exporting
