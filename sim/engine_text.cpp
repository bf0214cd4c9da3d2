// Text the engine puts into the trace: quoted payloads and ipconfig (netstat: sim/netstat.hpp).
#include "sim/engine_text.hpp"

#include <algorithm>
#include <cctype>
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

std::string format_ipconfig(const std::vector<InterfaceConfig>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const InterfaceConfig& itf = interfaces[i];
        if (i > 0) out += "\n";
        std::string adapter = itf.adapter.empty()
                                  ? (i == 0 ? std::string("Ethernet adapter Ethernet")
                                            : fmt::format("Ethernet adapter Ethernet {}", i + 1))
                                  : itf.adapter;
        out += adapter + ":\n";
        out += "   IPv4 Address. . . : " + itf.address.address.to_string() + "\n";
        out += "   Subnet Mask . . . : " + itf.address.mask().to_string() + "\n";
        out += "   Default Gateway . :";
        if (itf.gateway) out += " " + itf.gateway->to_string();
        if (i + 1 < interfaces.size()) out += "\n";
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
