// Low-level readers for scenario files (internal to sim/scenario*.cpp): typed values out of
// YAML nodes (sim/yaml.hpp) — names, integers, durations, bandwidths, loss, addresses, escaped
// data — each failing with a ScenarioError that names file, line and column, what was expected
// and what was found. scenario.cpp builds the structure on top of these.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/yaml.hpp"

namespace netstep::sim::detail {

// ---- Pure text parsers: nullopt when the text is not of that kind ---------------------------

// Decimal digits only (no sign, no spaces), fitting in 64 bits.
std::optional<uint64_t> parse_unsigned(std::string_view text);
// An integer or decimal with a unit ns us ms s ("10ms", "1.5ms"); a whole number of nanoseconds.
std::optional<Duration> parse_duration(std::string_view text);
// An integer or decimal with a unit bps kbps Mbps Gbps; a whole number of bits per second.
std::optional<uint64_t> parse_bandwidth(std::string_view text);
// "10%" or "0.1" (a fraction); not range-checked.
std::optional<double> parse_loss(std::string_view text);
// Letters, digits, '-', '_', '.', starting with a letter or '_': host, network, socket names.
bool is_name(std::string_view text);

// A C escape of scenario data (`data:`, a terminal's quoted text): given the text after its '\',
// the character it stands for and how many characters after the '\' it takes (\r \n \t \\ \"
// \xNN); nullopt when it is none of those.
std::optional<std::pair<char, size_t>> decode_escape(std::string_view after);
// Levenshtein distance.
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word` within a small distance (case-insensitive), if any.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean 'connect'?" for the closest candidate within a small distance, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view separator = ", ");

// ---- Reading nodes ---------------------------------------------------------------------------

// A node with the place it was written (for a missing value, the place of its key).
struct Field {
    yaml::Node node;
    SourceLocation where;
};

// The file being read: locations of nodes, errors, and typed readers.
class Source {
public:
    // `max_expanded`: bytes of text the readers may copy out of the file in all (Limits::
    // max_expanded_bytes): an alias (*a) copies its anchor's text each time it is read, so a
    // small file could otherwise expand to gigabytes.
    Source(std::string file, std::string_view text, size_t max_expanded = SIZE_MAX)
        : file_(std::move(file)), text_(text), max_expanded_(max_expanded) {}

    const FileName& file() const { return file_; }
    SourceLocation at(const yaml::Node& node) const;  // the file alone when the node has no mark
    SourceLocation at_offset(size_t offset) const;    // a byte offset in the text
    Field field(const yaml::Node& node) const { return {node, at(node)}; }
    [[noreturn]] void fail(const SourceLocation& where, const std::string& message) const;
    [[noreturn]] void fail(const Field& field, const std::string& message) const {
        fail(field.where, message);
    }

    // The value as written, for messages: "'ten'", "a mapping", "a list", "nothing".
    static std::string found(const yaml::Node& node);

    // Typed readers: each fails with "expected ..., got ...". `what` names the value in messages.
    std::string text(const Field& f, std::string_view what) const;  // any scalar
    std::string name(const Field& f) const;                         // is_name()
    uint64_t integer(const Field& f, uint64_t min, uint64_t max, std::string_view what) const;
    bool boolean(const Field& f) const;  // true | false
    Duration duration(const Field& f, bool allow_zero, Duration max) const;
    uint64_t bandwidth(const Field& f) const;
    double loss(const Field& f) const;
    Ipv4Address address(const Field& f) const;
    Ipv4Prefix prefix(const Field& f) const;
    // Text with C escapes \r \n \t \\ \" \xNN decoded; a bad escape fails at its own column.
    std::string data(const Field& f) const;

private:
    struct PosChar {
        char c;
        size_t offset;  // in text_; where an error about this character points
    };
    std::vector<PosChar> scalar_chars(const Field& f) const;
    std::vector<PosChar> quoted_chars(size_t open_quote) const;
    std::string decode_escapes(const std::vector<PosChar>& chars, const Field& f) const;

    void count_expanded(const Field& f) const;  // fails past max_expanded_

    FileName file_;
    std::string_view text_;
    size_t max_expanded_ = SIZE_MAX;
    mutable size_t expanded_ = 0;
};

// A mapping whose keys are checked on construction: a key not in `keys` is an error (with a
// suggestion), so is a key written twice. `what` names the mapping in messages ("an interface").
class Map {
public:
    Map(const Source& source, const Field& field, const std::string& what, const std::vector<std::string>& keys);

    const Field& field() const { return field_; }
    bool has(const std::string& key) const { return find(key).has_value(); }
    std::optional<Field> find(const std::string& key) const;
    // Fails with "<owner>: '<key>' is required" (owner may be empty).
    Field require(const std::string& key, const std::string& owner) const;

private:
    const Source& source_;
    Field field_;
    struct Entry {
        std::string key;
        SourceLocation key_at;
        Field value;
    };
    std::vector<Entry> entries_;
};

// The items of a list: fails with "expected a list of <what>, got ..." on anything else.
std::vector<Field> read_list(const Source& source, const Field& f, std::string_view what);

}  // namespace netstep::sim::detail
