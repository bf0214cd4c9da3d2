// Low-level readers for scenario files: see scenario_yaml.hpp.
#include "sim/scenario_yaml.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <locale>
#include <sstream>

#include <fmt/format.h>

namespace netstep::sim::detail {

namespace {

constexpr size_t kNoOffset = std::numeric_limits<size_t>::max();

struct Unit {
    std::string_view name;
    uint64_t scale;
};

constexpr std::array<Unit, 4> kDurationUnits{{{"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}}};
constexpr std::array<Unit, 4> kBandwidthUnits{
    {{"bps", 1}, {"kbps", 1'000}, {"Mbps", 1'000'000}, {"Gbps", 1'000'000'000}}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
    return out;
}

// Length of the leading "digits[.digits]"; 0 when the text does not start with a number.
size_t number_length(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == 0) return 0;
    if (i < text.size() && text[i] == '.') {
        size_t j = i + 1;
        while (j < text.size() && is_digit(text[j])) ++j;
        if (j == i + 1) return 0;  // "1." is not a number
        i = j;
    }
    return i;
}

// "1.5" times `scale`, exactly; nullopt when it is not a whole number or overflows.
std::optional<uint64_t> scale_decimal(std::string_view number, uint64_t scale) {
    size_t dot = number.find('.');
    auto whole = parse_unsigned(number.substr(0, dot));
    if (!whole) return std::nullopt;
    unsigned __int128 value = static_cast<unsigned __int128>(*whole) * scale;
    if (dot != std::string_view::npos) {
        std::string_view fraction = number.substr(dot + 1);
        while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
        if (fraction.size() > 18) return std::nullopt;
        unsigned __int128 digits = fraction.empty() ? 0 : *parse_unsigned(fraction);
        unsigned __int128 denominator = 1;
        for (size_t i = 0; i < fraction.size(); ++i) denominator *= 10;
        unsigned __int128 scaled = digits * scale;
        if (scaled % denominator != 0) return std::nullopt;
        value += scaled / denominator;
    }
    if (value > std::numeric_limits<uint64_t>::max()) return std::nullopt;
    return static_cast<uint64_t>(value);
}

template <size_t N>
std::optional<uint64_t> parse_with_unit(std::string_view text, const std::array<Unit, N>& units) {
    size_t length = number_length(text);
    if (length == 0) return std::nullopt;
    std::string_view unit = text.substr(length);
    for (const Unit& u : units) {
        if (u.name == unit) return scale_decimal(text.substr(0, length), u.scale);
    }
    return std::nullopt;
}

// A number with no unit: "10", "1.5".
bool is_bare_number(std::string_view text) {
    return !text.empty() && number_length(text) == text.size();
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A decimal number as a double, whole text or nothing. Not std::from_chars: the web build's libc++
// (Emscripten 3.1.6) has it for integers only. The "C" locale: a dot, whatever the user's locale.
std::optional<double> to_double(std::string_view text) {
    std::istringstream in{std::string(text)};
    in.imbue(std::locale::classic());
    double value = 0;
    if (!(in >> value) || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    return value;
}

}  // namespace

// ---- Pure text parsers -----------------------------------------------------------------------

std::optional<uint64_t> parse_unsigned(std::string_view text) {
    if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<Duration> parse_duration(std::string_view text) {
    auto ns = parse_with_unit(text, kDurationUnits);
    if (!ns || *ns > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return Duration::nanos(int64_t(*ns));
}

std::optional<uint64_t> parse_bandwidth(std::string_view text) {
    return parse_with_unit(text, kBandwidthUnits);
}

std::optional<double> parse_loss(std::string_view text) {
    // A percentage only: a bare 10 (10%? 1000%?) and 0.1 (10%? 0.1%?) are ambiguous.
    if (text.empty() || text.back() != '%') return std::nullopt;
    text.remove_suffix(1);
    if (!is_bare_number(text)) return std::nullopt;
    std::optional<double> value = to_double(text);
    if (!value) return std::nullopt;
    return *value / 100.0;
}

bool is_name(std::string_view text) {
    if (text.empty() || !(is_letter(text[0]) || text[0] == '_')) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return is_letter(c) || is_digit(c) || c == '-' || c == '_' || c == '.';
    });
}

size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions.
    const size_t width = b.size() + 1;
    std::vector<size_t> d((a.size() + 1) * width);
    auto at = [&](size_t i, size_t j) -> size_t& { return d[i * width + j]; };
    for (size_t i = 0; i <= a.size(); ++i) at(i, 0) = i;
    for (size_t j = 0; j <= b.size(); ++j) at(0, j) = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(a.size(), b.size());
}

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
    // Case-insensitive; close enough means at most 1 edit for short words, 2 or 3 for longer ones.
    std::string needle = lower(word);
    size_t threshold = needle.size() <= 3 ? 1 : needle.size() <= 8 ? 2 : 3;
    const std::string* best = nullptr;
    size_t best_distance = threshold + 1;
    for (const std::string& candidate : candidates) {
        size_t distance = edit_distance(needle, lower(candidate));
        if (distance < best_distance && distance < needle.size()) {
            best = &candidate;
            best_distance = distance;
        }
    }
    if (!best) return std::nullopt;
    return *best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best = closest(word, candidates);
    return best ? "; did you mean " + quoted(*best) + "?" : "";
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const std::string& word : words) {
        if (!out.empty()) out += separator;
        out += word;
    }
    return out;
}

// ---- Source ----------------------------------------------------------------------------------

SourceLocation Source::at(const yaml::Node& node) const {
    yaml::Mark mark = node.mark();
    if (mark.line < 0) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
}

SourceLocation Source::at_offset(size_t offset) const {
    yaml::Mark m = yaml::mark_at(text_, offset);  // columns in characters, as the reader's
    return {file_, m.line + 1, m.column + 1};
}

void Source::fail(const SourceLocation& where, const std::string& message) const {
    throw ScenarioError(where, message);
}

std::string Source::found(const yaml::Node& node) {
    if (node.is_null()) return "nothing";
    if (node.is_map()) return "a mapping";
    if (node.is_list()) return "a list";
    const std::string& text = node.scalar();
    constexpr size_t kShown = 40;
    return text.size() <= kShown ? quoted(text) : quoted(text.substr(0, kShown) + "...");
}

void Source::count_expanded(const Field& f) const {
    expanded_ += f.node.scalar().size();
    if (expanded_ > max_expanded_) {
        fail(f, "the file's text comes to more than " + size_text(max_expanded_) +
                    " once its aliases are expanded (Limits::max_expanded_bytes)");
    }
}

std::string Source::text(const Field& f, std::string_view what) const {
    if (!f.node.is_scalar()) fail(f, "expected " + std::string(what) + ", got " + found(f.node));
    count_expanded(f);
    return f.node.scalar();
}

std::string Source::name(const Field& f) const {
    std::string text = this->text(f, "a name");
    if (!is_name(text)) {
        fail(f, "expected a name (letters, digits, '-', '_' or '.', starting with a letter), got " +
                    found(f.node));
    }
    return text;
}

uint64_t Source::integer(const Field& f, uint64_t min, uint64_t max, std::string_view what) const {
    auto value = parse_unsigned(f.node.is_scalar() ? f.node.scalar() : std::string());
    std::string range = max == std::numeric_limits<uint64_t>::max()
                            ? " of at least " + std::to_string(min)
                            : " from " + std::to_string(min) + " to " + std::to_string(max);
    if (!value) fail(f, "expected " + std::string(what) + range + ", got " + found(f.node));
    if (*value < min || *value > max) fail(f, "expected " + std::string(what) + range + ", got " + found(f.node));
    return *value;
}

bool Source::boolean(const Field& f) const {
    std::string text = f.node.is_scalar() ? lower(f.node.scalar()) : std::string();
    if (text == "true") return true;
    if (text == "false") return false;
    fail(f, "expected true or false, got " + found(f.node));
}

Duration Source::duration(const Field& f, bool allow_zero, Duration max) const {
    std::string text = f.node.is_scalar() ? f.node.scalar() : std::string();
    auto value = parse_duration(text);
    if (!value) {
        if (!text.empty() && text[0] == '-' && parse_duration(text.substr(1))) {
            fail(f, "expected a duration like 10ms, got " + found(f.node) + ": a duration cannot be negative");
        }
        std::string hint = is_bare_number(text) ? ": add a unit (ns us ms s)" : "";
        fail(f, "expected a duration like 10ms, got " + found(f.node) + hint);
    }
    if (value->ns == 0 && !allow_zero) fail(f, "expected a duration greater than zero, got " + found(f.node));
    if (*value > max) {
        fail(f, "duration " + found(f.node) + " is longer than the limit of " + to_string(max) +
                    " (Limits::max_sim_time)");
    }
    return *value;
}

uint64_t Source::bandwidth(const Field& f) const {
    std::string text = f.node.is_scalar() ? f.node.scalar() : std::string();
    auto value = parse_bandwidth(text);
    if (!value) {
        std::string hint = is_bare_number(text) ? ": add a unit (bps kbps Mbps Gbps)" : "";
        fail(f, "expected a bandwidth like 100Mbps, got " + found(f.node) + hint);
    }
    if (*value == 0) fail(f, "expected a bandwidth greater than zero, got " + found(f.node));
    return *value;
}

double Source::loss(const Field& f) const {
    std::string text = f.node.is_scalar() ? f.node.scalar() : std::string();
    auto value = parse_loss(text);
    if (!value && is_bare_number(text)) {
        // A bare number once meant a fraction (0.1 = 10%); say what to write instead.
        double number = to_double(text).value_or(0.0);
        std::string hint = "write the loss as a percentage: " + text + "%";
        if (number > 0.0 && number <= 1.0) {
            hint = fmt::format("write the loss as a percentage: {:g}% ({} as a fraction) or {}%", number * 100.0, text, text);
        }
        fail(f, "expected a loss as a percentage like 10%, got " + found(f.node) + ": " + hint);
    }
    if (!value) fail(f, "expected a loss as a percentage like 10%, got " + found(f.node));
    if (*value < 0.0 || *value > 1.0) fail(f, "expected a loss from 0% to 100%, got " + found(f.node));
    return *value;
}

Ipv4Address Source::address(const Field& f) const {
    auto value = Ipv4Address::parse(f.node.is_scalar() ? f.node.scalar() : std::string());
    if (!value) fail(f, "expected an IPv4 address like 192.168.1.10, got " + found(f.node));
    return *value;
}

Ipv4Prefix Source::prefix(const Field& f) const {
    auto value = Ipv4Prefix::parse(f.node.is_scalar() ? f.node.scalar() : std::string());
    if (!value) fail(f, "expected a subnet like 192.168.1.0/24, got " + found(f.node));
    return *value;
}

// ---- Data: C escapes, with the column of a bad one --------------------------------------------

std::string Source::data(const Field& f) const {
    if (!f.node.is_scalar()) fail(f, "expected text, got " + found(f.node));
    count_expanded(f);
    return decode_escapes(scalar_chars(f), f);
}

// The characters of a scalar as YAML reads them, before C escapes, each with its offset in the
// text. Quoted scalars are read again from the text (the YAML reader has decoded YAML escapes,
// and "\xE9" there is a Unicode character, not a byte); a plain scalar on one line maps to the
// text directly; anything else (block scalars) points at the scalar's start.
std::vector<Source::PosChar> Source::scalar_chars(const Field& f) const {
    const std::string& value = f.node.scalar();
    yaml::Mark mark = f.node.mark();
    if (mark.line >= 0 && mark.offset < text_.size()) {
        size_t pos = mark.offset;
        if (text_[pos] == '"' || text_[pos] == '\'') return quoted_chars(pos);
        if (value.find('\n') == std::string::npos && text_.compare(pos, value.size(), value) == 0) {
            std::vector<PosChar> chars;
            for (size_t i = 0; i < value.size(); ++i) chars.push_back({value[i], pos + i});
            return chars;
        }
    }
    std::vector<PosChar> chars;
    for (char c : value) chars.push_back({c, kNoOffset});
    return chars;
}

// A quoted flow scalar starting at `open_quote`: '' in single quotes is one quote; a backslash in
// double quotes keeps the next character (so \" does not end the string); line breaks fold to a
// space (an empty line to a newline), and a backslash at the end of a line joins the lines.
std::vector<Source::PosChar> Source::quoted_chars(size_t open_quote) const {
    const char quote = text_[open_quote];
    std::vector<PosChar> chars;
    size_t i = open_quote + 1;
    auto skip_indent = [&] {
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    };
    auto at_line_break = [&](size_t k) { return k < text_.size() && (text_[k] == '\n' || text_[k] == '\r'); };
    auto skip_line_break = [&] {
        if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
        ++i;
    };
    while (i < text_.size()) {
        char c = text_[i];
        if (c == quote) {
            if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
                chars.push_back({'\'', i});
                i += 2;
                continue;
            }
            break;
        }
        if (quote == '"' && c == '\\' && at_line_break(i + 1)) {  // escaped line break: join
            ++i;
            skip_line_break();
            skip_indent();
            continue;
        }
        if (quote == '"' && c == '\\' && i + 1 < text_.size()) {
            chars.push_back({c, i});
            chars.push_back({text_[i + 1], i + 1});
            i += 2;
            continue;
        }
        if (at_line_break(i)) {
            size_t break_at = i;
            while (!chars.empty() && (chars.back().c == ' ' || chars.back().c == '\t')) chars.pop_back();
            size_t breaks = 0;
            while (at_line_break(i)) {
                ++breaks;
                skip_line_break();
                skip_indent();
            }
            if (breaks == 1) chars.push_back({' ', break_at});
            for (size_t k = 1; k < breaks; ++k) chars.push_back({'\n', break_at});
            continue;
        }
        chars.push_back({c, i});
        ++i;
    }
    return chars;
}

std::optional<std::pair<char, size_t>> decode_escape(std::string_view after) {
    if (after.empty()) return std::nullopt;
    switch (after[0]) {
        case 'r': return std::pair{'\r', size_t(1)};
        case 'n': return std::pair{'\n', size_t(1)};
        case 't': return std::pair{'\t', size_t(1)};
        case '\\': return std::pair{'\\', size_t(1)};
        case '"': return std::pair{'"', size_t(1)};
        case 'x':
            if (after.size() >= 3 && is_hex(after[1]) && is_hex(after[2])) {
                return std::pair{char(hex_value(after[1]) * 16 + hex_value(after[2])), size_t(3)};
            }
            return std::nullopt;
        default: return std::nullopt;
    }
}

std::string Source::decode_escapes(const std::vector<PosChar>& chars, const Field& f) const {
    auto where = [&](size_t k) { return chars[k].offset == kNoOffset ? f.where : at_offset(chars[k].offset); };
    std::string out;
    for (size_t k = 0; k < chars.size(); ++k) {
        if (chars[k].c != '\\') {
            out += chars[k].c;
            continue;
        }
        if (k + 1 == chars.size()) fail(where(k), R"(a '\' ends the data; write '\\' for a backslash)");
        std::string after;
        for (size_t j = k + 1; j < chars.size() && j < k + 4; ++j) after += chars[j].c;
        if (auto e = decode_escape(after)) {
            out += e->first;
            k += e->second;
            continue;
        }
        std::string escape;
        size_t length = chars[k + 1].c == 'x' ? 4 : 2;
        for (size_t j = k; j < chars.size() && j < k + length; ++j) escape += chars[j].c;
        fail(where(k), "bad escape '" + escape + R"(' in data; use \r \n \t \\ \" or \xNN)");
    }
    return out;
}

// ---- Map and list ----------------------------------------------------------------------------

Map::Map(const Source& source, const Field& field, const std::string& what, const std::vector<std::string>& keys)
    : source_(source), field_(field) {
    if (!field.node.is_map()) {
        source.fail(field, "expected a mapping for " + what + " (" + join(keys) + "), got " +
                               Source::found(field.node));
    }
    entries_.reserve(field.node.size());
    for (size_t i = 0; i < field.node.size(); ++i) {
        const yaml::Node key_node = field.node.key(i), value = field.node.value(i);
        SourceLocation key_at = source.at(key_node);
        if (!key_node.is_scalar()) source.fail(key_at, "expected a key, got " + Source::found(key_node));
        const std::string& key = key_node.scalar();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            std::string hint = did_you_mean(key, keys);
            source.fail(key_at, quoted(key) + " is not a key of " + what +
                                    (hint.empty() ? " (expected " + join(keys) + ")" : hint));
        }
        for (const Entry& earlier : entries_) {
            if (earlier.key != key) continue;
            source.fail(key_at, "duplicate key " + quoted(key) + " (first written at line " +
                                    std::to_string(earlier.key_at.line) + ")");
        }
        SourceLocation value_at = value.is_null() ? key_at : source.at(value);
        entries_.push_back({key, key_at, Field{value, value_at}});
    }
}

std::optional<Field> Map::find(const std::string& key) const {
    for (const Entry& entry : entries_) {
        if (entry.key == key) return entry.value;
    }
    return std::nullopt;
}

Field Map::require(const std::string& key, const std::string& owner) const {
    if (auto value = find(key)) return *value;
    source_.fail(field_, (owner.empty() ? "" : owner + ": ") + quoted(key) + " is required");
}

std::vector<Field> read_list(const Source& source, const Field& f, std::string_view what) {
    if (!f.node.is_list()) {
        source.fail(f, "expected a list of " + std::string(what) + ", got " + Source::found(f.node));
    }
    std::vector<Field> items;
    items.reserve(f.node.size());
    for (size_t i = 0; i < f.node.size(); ++i) items.push_back(source.field(f.node.item(i)));
    return items;
}

}  // namespace netstep::sim::detail
