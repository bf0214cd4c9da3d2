// Text the engine puts into the trace: quoted payloads and ipconfig (netstat: sim/netstat.hpp).
#include "sim/engine_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

namespace netstep::sim {

std::string quote_bytes(std::span<const uint8_t> bytes, size_t max) {
    std::string body;
    bool cut = false;
    bool after_hex_escape = false;  // "\x12" then '4' would read as one escape: escape the '4' too
    for (uint8_t b : bytes) {
        std::string piece;
        switch (b) {
            case '\r': piece = "\\r"; break;
            case '\n': piece = "\\n"; break;
            case '\t': piece = "\\t"; break;
            case '\\': piece = "\\\\"; break;
            case '"': piece = "\\\""; break;
            default:
                bool printable = b >= 0x20 && b < 0x7f && !(after_hex_escape && std::isxdigit(b));
                if (printable) piece = std::string(1, char(b));
                else piece = fmt::format("\\x{:02x}", b);
        }
        after_hex_escape = piece.size() == 4 && piece[1] == 'x';
        if (body.size() + piece.size() > max) {
            cut = true;
            break;
        }
        body += piece;
    }
    return "\"" + body + "\"" + (cut ? "..." : "");
}

std::string ipconfig_adapter(const InterfaceConfig& itf, size_t i) {
    if (!itf.adapter.empty()) return itf.adapter;
    return i == 0 ? std::string("Ethernet adapter Ethernet") : fmt::format("Ethernet adapter Ethernet {}", i + 1);
}

std::string format_ipconfig(const std::vector<InterfaceConfig>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const InterfaceConfig& itf = interfaces[i];
        if (i > 0) out += "\n";
        out += ipconfig_adapter(itf, i) + ":\n";
        out += "   IPv4 Address. . . : " + itf.address.address.to_string() + "\n";
        out += "   Subnet Mask . . . : " + itf.address.mask().to_string() + "\n";
        out += "   Default Gateway . :";
        if (itf.gateway) out += " " + itf.gateway->to_string();
        if (i + 1 < interfaces.size()) out += "\n";
    }
    return out;
}

// --- ping and traceroute ----------------------------------------------------------------------

namespace {

int64_t micros(Duration d) { return d.ns / 1000; }

// Windows: whole milliseconds, "<1ms" below one; `space`: "<1 ms" as tracert writes it.
std::string windows_ms(Duration d, bool space) {
    int64_t ms = d.ns / 1'000'000;
    if (ms < 1) return space ? "<1 ms" : "<1ms";
    return std::to_string(ms) + (space ? " ms" : "ms");
}

// iputils ping's time=: three significant digits (ping_common.c, gather_statistics).
std::string iputils_ms(Duration d) {
    int64_t t = micros(d);
    if (t >= 100000 - 50) return fmt::format("{}", (t + 500) / 1000);
    if (t >= 10000 - 5) return fmt::format("{}.{:01}", (t + 50) / 1000, ((t + 50) % 1000) / 100);
    if (t >= 1000) return fmt::format("{}.{:02}", (t + 5) / 1000, ((t + 5) % 1000) / 10);
    return fmt::format("{}.{:03}", t / 1000, t % 1000);
}

std::string us3(int64_t us) { return fmt::format("{}.{:03}", us / 1000, us % 1000); }

std::string windows_unreachable(uint8_t code) {
    switch (code) {
        case icmp_code::NET_UNREACHABLE: return "Destination net unreachable.";
        case icmp_code::HOST_UNREACHABLE: return "Destination host unreachable.";
        case icmp_code::PROTOCOL_UNREACHABLE: return "Destination protocol unreachable.";
        case icmp_code::PORT_UNREACHABLE: return "Destination port unreachable.";
        default: return "Destination unreachable.";
    }
}

std::string linux_unreachable(uint8_t code) {
    switch (code) {
        case icmp_code::NET_UNREACHABLE: return "Destination Net Unreachable";
        case icmp_code::HOST_UNREACHABLE: return "Destination Host Unreachable";
        case icmp_code::PROTOCOL_UNREACHABLE: return "Destination Protocol Unreachable";
        case icmp_code::PORT_UNREACHABLE: return "Destination Port Unreachable";
        default: return fmt::format("Dest Unreachable, Bad Code: {}", code);
    }
}

bool is_reply(const ProbeOutcome& p) { return p.answer && p.answer->kind == PingAnswer::Kind::EchoReply; }

}  // namespace

ToolStyle tool_style(std::string_view profile) { return profile == "linux" ? ToolStyle::Linux : ToolStyle::Windows; }

std::string named_address(ToolStyle style, const std::string& name, Ipv4Address address) {
    if (style == ToolStyle::Windows) return name.empty() ? address.to_string() : fmt::format("{} [{}]", name, address.to_string());
    return fmt::format("{} ({})", name.empty() ? address.to_string() : name, address.to_string());
}

std::string ping_header(ToolStyle style, const std::string& name, Ipv4Address address, size_t data_bytes) {
    if (style == ToolStyle::Windows) {
        return fmt::format("Pinging {} with {} bytes of data:", named_address(style, name, address), data_bytes);
    }
    return fmt::format("PING {} {}({}) bytes of data.", named_address(style, name, address), data_bytes, data_bytes + 28);
}

std::string ping_line(ToolStyle style, uint16_t sequence, const ProbeOutcome& probe, size_t data_bytes) {
    const auto& a = probe.answer;
    if (style == ToolStyle::Windows) {
        if (!a) return "Request timed out.";
        std::string from = a->from.to_string();
        switch (a->kind) {
            case PingAnswer::Kind::EchoReply:
                return fmt::format("Reply from {}: bytes={} time={} TTL={}", from, a->data_bytes,
                                   windows_ms(probe.rtt, false), a->ttl);
            case PingAnswer::Kind::TimeExceeded: return fmt::format("Reply from {}: TTL expired in transit.", from);
            case PingAnswer::Kind::Unreachable: return fmt::format("Reply from {}: {}", from, windows_unreachable(a->code));
        }
        return "";
    }
    if (!a) return "";
    std::string from = a->from.to_string();
    switch (a->kind) {
        case PingAnswer::Kind::EchoReply:
            return fmt::format("{} bytes from {}: icmp_seq={} ttl={} time={} ms", a->data_bytes + 8, from, sequence,
                               a->ttl, iputils_ms(probe.rtt));
        case PingAnswer::Kind::TimeExceeded: return fmt::format("From {} icmp_seq={} Time to live exceeded", from, sequence);
        case PingAnswer::Kind::Unreachable:
            return fmt::format("From {} icmp_seq={} {}", from, sequence, linux_unreachable(a->code));
    }
    (void)data_bytes;
    return "";
}

std::string ping_statistics(ToolStyle style, const std::string& name, Ipv4Address address,
                            const std::vector<ProbeOutcome>& probes, Duration elapsed) {
    size_t sent = probes.size();
    size_t replies = 0, errors = 0;
    int64_t min = 0, max = 0, sum = 0, sum2 = 0;
    for (const ProbeOutcome& p : probes) {
        if (!p.answer) continue;
        if (!is_reply(p)) {
            ++errors;
            continue;
        }
        int64_t t = micros(p.rtt);
        if (replies == 0 || t < min) min = t;
        if (replies == 0 || t > max) max = t;
        sum += t;
        sum2 += t * t;
        ++replies;
    }
    std::string out = "\n";
    if (style == ToolStyle::Windows) {
        // Windows counts every reply as received, an error report too ("TTL expired in transit").
        size_t received = replies + errors;
        size_t lost = sent - received;
        out += fmt::format("Ping statistics for {}:\n", address.to_string());
        out += fmt::format("    Packets: Sent = {}, Received = {}, Lost = {} ({}% loss),", sent, received, lost,
                           sent ? lost * 100 / sent : 0);
        if (replies > 0) {
            auto ms = [](int64_t us) { return us / 1000; };
            out += "\nApproximate round trip times in milli-seconds:\n";
            out += fmt::format("    Minimum = {}ms, Maximum = {}ms, Average = {}ms", ms(min), ms(max),
                               ms(sum / int64_t(replies)));
        }
        return out;
    }
    out += fmt::format("--- {} ping statistics ---\n", name.empty() ? address.to_string() : name);
    double loss = sent ? double(sent - replies) * 100.0 / double(sent) : 0.0;
    out += fmt::format("{} packets transmitted, {} received", sent, replies);
    if (errors > 0) out += fmt::format(", +{} errors", errors);
    out += fmt::format(", {:g}% packet loss, time {}ms", loss, (elapsed.ns + 500'000) / 1'000'000);
    if (replies > 0) {
        int64_t n = int64_t(replies);
        int64_t avg = sum / n;
        int64_t var = sum2 / n - avg * avg;
        auto mdev = int64_t(std::sqrt(double(var < 0 ? 0 : var)));
        out += fmt::format("\nrtt min/avg/max/mdev = {}/{}/{}/{} ms", us3(min), us3(avg), us3(max), us3(mdev));
    }
    return out;
}

std::string traceroute_header(ToolStyle style, const std::string& name, Ipv4Address address, uint32_t max_hops,
                              size_t packet_bytes) {
    if (style == ToolStyle::Windows) {
        return fmt::format("Tracing route to {}\nover a maximum of {} hops:\n", named_address(style, name, address),
                           max_hops);
    }
    return fmt::format("traceroute to {}, {} hops max, {} byte packets", named_address(style, name, address), max_hops,
                       packet_bytes);
}

std::string traceroute_line(ToolStyle style, uint32_t hop, const std::vector<ProbeOutcome>& probes,
                            const std::string& name) {
    std::optional<PingAnswer> who;
    for (const ProbeOutcome& p : probes)
        if (p.answer && !who) who = p.answer;
    if (style == ToolStyle::Windows) {
        std::string out = fmt::format("{:3}", hop);
        if (who && who->kind == PingAnswer::Kind::Unreachable) {
            return out + fmt::format("  {}  reports: {}", named_address(style, name, who->from), windows_unreachable(who->code));
        }
        for (const ProbeOutcome& p : probes) out += p.answer ? fmt::format("{:>9}", windows_ms(p.rtt, true)) : "     *   ";
        out += who ? "  " + named_address(style, name, who->from) : "  Request timed out.";
        return out;
    }
    std::string out = fmt::format("{:2} ", hop);
    bool named = false;
    for (const ProbeOutcome& p : probes) {
        if (!p.answer) {
            out += " *";
            continue;
        }
        if (!named) {
            out += " " + named_address(style, name, p.answer->from);
            named = true;
        }
        out += fmt::format("  {:.3f} ms", double(p.rtt.ns) / 1e6);
        if (p.answer->kind == PingAnswer::Kind::Unreachable) {
            out += p.answer->code == icmp_code::NET_UNREACHABLE    ? " !N"
                   : p.answer->code == icmp_code::HOST_UNREACHABLE ? " !H"
                   : p.answer->code == icmp_code::PORT_UNREACHABLE ? ""
                                                                   : fmt::format(" !<{}>", p.answer->code);
        }
    }
    return out;
}

Bytes filler_bytes(size_t n, size_t offset) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz";
    Bytes b(n);
    size_t done = std::min(n, kAlphabet.size());
    for (size_t i = 0; i < done; ++i) b[i] = uint8_t(kAlphabet[(offset + i) % kAlphabet.size()]);
    while (done < n) {  // whole alphabets so far: copied after themselves, the pattern goes on
        size_t chunk = std::min(done, n - done);
        std::copy_n(b.begin(), chunk, b.begin() + ptrdiff_t(done));
        done += chunk;
    }
    return b;
}

}  // namespace netstep::sim
