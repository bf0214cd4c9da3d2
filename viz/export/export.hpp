// Handouts and slides: the sequence diagram, the topology and a printable handout, as PDF (A4
// pages), SVG or PNG, drawn with cairo from a trace.
//
// The layouts are pure functions returning what goes where, in points (1/72 inch); unit tests
// check them. render.cpp draws them. The ladder's lifelines and arrows come from
// ladder_model() (viz/ladder_model.hpp) and its labels from TraceView, as in the viewer.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viz/i18n.hpp"
#include "viz/trace_view.hpp"

namespace netstep::viz::exporting {

struct Point { double x = 0, y = 0; };
struct Rect {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double w() const { return x1 - x0; }
    double h() const { return y1 - y0; }
    bool overlaps(const Rect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// The width of `text` in points at font size `size` (cairo's own in render.cpp).
using Measure = std::function<double(std::string_view text, double size, bool bold)>;
Measure estimate_measure();  // about 0.56 em per character: for tests without cairo

// Text cut into lines no wider than `width` (at spaces; a word too long stays whole).
std::vector<std::string> wrap_text(std::string_view text, double width, double size, bool bold, const Measure& m);

// A4 portrait, in points.
struct PageSize {
    double w = 595.276, h = 841.890;
    double margin = 40;
};

// --- The sequence diagram ----------------------------------------------------------------------

struct LadderOptions {
    uint32_t from = 0, to = kNone;     // the steps drawn (to: kNone, the last)
    double width = 515;                // the drawing's width
    double page_height = 0;            // a page's room for the diagram; 0: one tall drawing
    double first_page_height = 0;      // the first page's room, when it differs (a handout's page 1)
    double font = 7.5;                 // labels and names
    Language lang = Language::En;      // the captions' language
};

struct LadderColumn {
    std::string name;                  // "laptop:49152"
    uint32_t host = kNone;
    double x = 0;
};

struct LadderArrowShape {
    uint32_t packet = 0;
    Point from, to;                    // sent, arrived (or where it was lost)
    PacketKind kind = PacketKind::Other;
    bool dropped = false;              // lost: a dashed line ending in an X
    bool main = true;                  // carries the label (a broadcast's other copies do not)
    bool taken = true;                 // false: reached a card that ignored it (dotted)
    std::string label;                 // TraceView's label: "SYN seq=0", "ACK ack=1"
    std::optional<Rect> label_box;     // where its label goes (main arrows)
};

struct LadderCaption {
    uint32_t step = 0;
    std::vector<std::string> lines;    // the say: text, wrapped to the width
    Rect box;                          // in the notes column, or across the lifelines
    double anchor_y = 0;               // its step's row (a leader from the lifelines to a note)
};

struct LadderTime {
    std::string text;                  // "12.004 ms"
    double y = 0;
};

struct LadderPage { double y0 = 0, y1 = 0; };  // the part of the drawing on one page

struct LadderLayout {
    uint32_t from = 0, to = 0;         // the steps drawn
    double width = 0, height = 0;      // the whole drawing (below the names)
    double left = 0;                   // the time column's width
    double notes_x = 0;                // the notes column's left edge (the width: none)
    double font = 0;
    std::vector<LadderColumn> columns;
    std::vector<LadderArrowShape> arrows;  // in packet order
    std::vector<LadderCaption> captions;   // in step order
    std::vector<LadderTime> times;
    std::vector<LadderPage> pages;     // one when page_height is 0
};

// Throws std::invalid_argument naming the problem for a bad step range.
LadderLayout layout_ladder(const TraceView& view, const LadderOptions& options, const Measure& measure);

// --- The topology ------------------------------------------------------------------------------

struct TopoNode {
    uint32_t host = 0;
    Rect box;
    std::vector<std::string> lines;    // the name, then its addresses ("192.168.1.10/24")
    bool router = false;               // forwards packets (drawn with a double border)
};

struct TopoBar {
    uint32_t network = 0;
    double x0 = 0, x1 = 0, y = 0;
    std::string label;                 // "lan 192.168.1.0/24", "+ switch"
    bool switched = false;             // drawn with a switch box on it
    Rect label_box;
};

// A host's box to its network's bar: straight down (or up), or, from a row behind another row,
// into the lane left of its column and along it, so that no link crosses a box.
struct TopoLink { std::vector<Point> points; };

struct TopologyLayout {
    double width = 0, height = 0;
    double font = 0;
    std::vector<TopoNode> nodes;
    std::vector<TopoBar> bars;
    std::vector<TopoLink> links;
};

// Networks as bars stacked down the page; hosts in rows beside their network's bar (above the
// first, below the others; a lone network's on both sides), routers between the networks they
// join. No two boxes overlap, and no link crosses a box.
TopologyLayout layout_topology(const sim::Trace& trace, double width, double font, const Strings& text,
                               const Measure& measure);

// --- Files -------------------------------------------------------------------------------------

enum class Format { Pdf, Svg, Png };
// By the file's extension; nullopt when it is none of .pdf, .svg, .png.
std::optional<Format> format_of(std::string_view path);

struct ExportOptions {
    uint32_t from = 0, to = kNone;
    Language lang = Language::En;
};

// The files' bytes, written by the caller (sim::write_output). Throws std::invalid_argument
// for a bad range or format, std::runtime_error when cairo fails. PDF: A4 pages with page
// numbers; SVG and PNG: one drawing, as tall as it needs.
std::string export_ladder(const TraceView& view, Format format, const ExportOptions& options);
std::string export_topology(const TraceView& view, Format format, const ExportOptions& options);
// Title, description, topology, the sequence diagram and the captions; A4 PDF only.
std::string export_handout(const TraceView& view, const ExportOptions& options);

}  // namespace netstep::viz::exporting
