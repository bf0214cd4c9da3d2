// The printed topology: a simple layout of its own (the viewer's, panel_topology.cpp, measures
// with ImGui and is not yet apart from its drawing). Networks are bars stacked down the page;
// hosts hang in rows from their network's bar (above the first, below the others, a lone
// network's on both sides); routers sit right of those rows, between the networks they join.
#include <algorithm>
#include <map>

#include "viz/export/export.hpp"

namespace netstep::viz::exporting {

TopologyLayout layout_topology(const sim::Trace& t, double width, double fs, const Strings& text, const Measure& measure) {
    TopologyLayout L;
    L.width = width;
    L.font = fs;
    double line_h = fs * 1.25, pad = fs * 0.6, gap = fs * 1.6, hop = fs * 2.2;  // hop: box to bar
    std::map<std::string, uint32_t> network_of;
    for (uint32_t k = 0; k < t.networks.size(); ++k) network_of[t.networks[k].name] = k;
    size_t n = std::max<size_t>(1, t.networks.size());

    // Each host's box: its name, "router", its addresses.
    std::vector<std::vector<uint32_t>> members(n);
    std::vector<std::vector<uint32_t>> routers(n);  // by the lowest network but one they join
    L.nodes.resize(t.hosts.size());
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const sim::TraceHost& host = t.hosts[h];
        TopoNode& node = L.nodes[h];
        node.host = h;
        node.router = host.forwarding;
        bool named = host.name.find(text.router) != std::string::npos;  // "router (router)": once
        node.lines.push_back(host.name + (host.forwarding && !named ? "  (" + std::string(text.router) + ")" : ""));
        for (const InterfaceConfig& itf : host.interfaces) node.lines.push_back(itf.address.to_string());
        double w = measure(node.lines[0], fs, true);
        for (size_t i = 1; i < node.lines.size(); ++i) w = std::max(w, measure(node.lines[i], fs, false));
        node.box = {0, 0, w + 2 * pad, double(node.lines.size()) * line_h + pad};
        std::vector<uint32_t> nets;
        for (const InterfaceConfig& itf : host.interfaces)
            if (auto it = network_of.find(itf.network); it != network_of.end()) nets.push_back(it->second);
        std::sort(nets.begin(), nets.end());
        if (nets.size() >= 2) routers[std::max<uint32_t>(1, nets[1])].push_back(h);
        else if (nets.size() == 1) members[nets[0]].push_back(h);
    }

    // The networks' labels, at the left end of their bars: the hosts start right of them.
    std::vector<std::string> labels(n);
    double x_start = 0;
    for (uint32_t k = 0; k < t.networks.size(); ++k) {
        const sim::TraceNetwork& net = t.networks[k];
        labels[k] = net.name + "  " + net.subnet.to_string();
        if (net.switched) labels[k] += "  (" + std::string(text.switch_word) + ")";
        x_start = std::max(x_start, measure(labels[k], fs, true) + 2 * pad + gap);
    }
    x_start = std::min(x_start, width * 0.4);

    // Rows of boxes left to right, wrapped at `right` (room kept for routers). A group that needs
    // more than one row gets boxes of one width, so that its columns line up and leave lanes
    // between them for the links of the rows behind.
    auto wraps = [&](const std::vector<uint32_t>& hosts, double right) {
        double total = 0;
        for (uint32_t h : hosts) total += L.nodes[h].box.w() + gap;
        return x_start + total - gap > right;
    };
    auto place_rows = [&](const std::vector<uint32_t>& hosts, double top, double right) {
        double widest = 0;
        for (uint32_t h : hosts) widest = std::max(widest, L.nodes[h].box.w());
        bool wide = wraps(hosts, right);
        double x = x_start, y = top, row_h = 0;
        for (uint32_t h : hosts) {
            Rect& b = L.nodes[h].box;
            double w = wide ? widest : b.w(), hgt = b.h();
            if (x > x_start && x + w > right) {
                x = x_start;
                y += row_h + gap;
                row_h = 0;
            }
            b = {x, y, x + w, y + hgt};
            x += w + gap;
            row_h = std::max(row_h, hgt);
        }
        return hosts.empty() ? top : y + row_h;
    };
    auto routers_width = [&](const std::vector<uint32_t>& rs) {
        double w = 0;
        for (uint32_t h : rs) w += L.nodes[h].box.w() + gap;
        return w;
    };

    // Top down: the first network's hosts, its bar; then for each next network the band of
    // routers reaching up to the bar above (right), its bar, its hosts below it (left).
    // A lone network with more hosts than one row holds: half of them above its bar, half below.
    std::vector<uint32_t> below;
    if (n == 1 && wraps(members[0], width)) {
        size_t half = (members[0].size() + 1) / 2;
        below.assign(members[0].begin() + long(half), members[0].end());
        members[0].resize(half);
    }
    double y = 0;
    std::vector<double> bar_y(n, 0);
    y = place_rows(members[0], 0, width);
    y += members[0].empty() ? fs : hop;
    bar_y[0] = y;
    for (size_t k = 1; k < n; ++k) {
        double band_top = y + hop;
        double rw = routers_width(routers[k]);
        double rx = width - rw + gap, tallest = 0;
        for (uint32_t h : routers[k]) {
            Rect& b = L.nodes[h].box;
            double w = b.w(), hgt = b.h();
            b = {rx, band_top, rx + w, band_top + hgt};
            rx += w + gap;
            tallest = std::max(tallest, hgt);
        }
        // The previous network's hosts (below its bar), left of the routers.
        double hosts_bottom = k >= 2 ? place_rows(members[k - 1], band_top, width - rw) : band_top;
        if (k == 1 || members[k - 1].empty()) hosts_bottom = band_top;
        y = std::max(band_top + tallest, hosts_bottom) + hop;
        bar_y[k] = y;
    }
    if (n >= 2 && !members[n - 1].empty()) y = place_rows(members[n - 1], y + hop, width);
    if (!below.empty()) {  // half a column along: no two links meet the bar at one point
        y = place_rows(below, y + hop, width);
        double shift = (L.nodes[below[0]].box.w() + gap) * 0.5, right = 0;
        for (uint32_t h : below) right = std::max(right, L.nodes[h].box.x1);
        if (right + shift <= width)
            for (uint32_t h : below) L.nodes[h].box.x0 += shift, L.nodes[h].box.x1 += shift;
    }

    for (uint32_t k = 0; k < n && k < t.networks.size(); ++k) {
        const sim::TraceNetwork& net = t.networks[k];
        TopoBar bar{k, 0, width, bar_y[k], labels[k], net.switched, {}};
        double w = measure(bar.label, fs, true) + 2 * pad;
        bar.label_box = {0, bar.y - line_h * 0.5 - pad * 0.5, w, bar.y + line_h * 0.5 + pad * 0.5};
        L.bars.push_back(bar);
    }
    // Links: from a box's edge facing the bar, straight up or down to it; or, when another box is
    // in the way (a row nearer the bar), into the gap between the rows, along it to the lane left of
    // the box's column, and down that lane.
    auto crosses = [&](double x, double ya, double yb, uint32_t self) {
        for (uint32_t o = 0; o < L.nodes.size(); ++o) {
            const Rect& r = L.nodes[o].box;
            if (o != self && r.w() > 0 && x > r.x0 && x < r.x1 && std::max(ya, yb) > r.y0 && std::min(ya, yb) < r.y1) return true;
        }
        return false;
    };
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const TopoNode& node = L.nodes[h];
        for (const InterfaceConfig& itf : t.hosts[h].interfaces) {
            auto it = network_of.find(itf.network);
            if (it == network_of.end()) continue;
            double by = bar_y[it->second];
            double x = (node.box.x0 + node.box.x1) * 0.5;
            if (t.hosts[h].interfaces.size() >= 2) {  // a router's links leave from both sides' thirds
                size_t i = size_t(&itf - t.hosts[h].interfaces.data());
                x = node.box.x0 + node.box.w() * double(i + 1) / double(t.hosts[h].interfaces.size() + 1);
            }
            bool down = by > node.box.y1;
            double edge = down ? node.box.y1 : node.box.y0;
            if (!crosses(x, edge, by, h)) {
                L.links.push_back({{{x, edge}, {x, by}}});
                continue;
            }
            double turn = edge + (down ? gap : -gap) * 0.5, lane = node.box.x0 - gap * 0.5;
            L.links.push_back({{{x, edge}, {x, turn}, {lane, turn}, {lane, by}}});
        }
    }
    L.height = std::max(y, bar_y[n - 1]) + fs;
    return L;
}

}  // namespace netstep::viz::exporting
