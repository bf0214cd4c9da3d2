// A read-only YAML document for scenario files, built from libyaml's events (the C library
// behind PyYAML's CLoader): one flat table of nodes, each with the line, column and byte offset
// where it was written. Internal to sim/scenario*.cpp.
//
// What it keeps of YAML 1.1: scalars as text (the loader types them), lists, mappings in the
// order written (duplicates kept: the loader reports them), anchors and aliases (an alias is
// the anchored node itself). Plain "", "~", "null", "Null" and "NULL" are nothing (null). Tags
// are ignored. One document: a second one is an error that says where it starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::sim::yaml {

// Where a node was written: 0-based line and column (in characters); byte offset in the text.
struct Mark {
    int line = -1;  // -1: not written (a default Node)
    int column = -1;
    size_t offset = 0;
};

// The line and column (in characters; a leading byte-order mark not counted) of a byte offset.
Mark mark_at(std::string_view text, size_t offset);

// Malformed YAML: libyaml's message ("did not find expected key"), with what it was reading
// ("while parsing a block mapping", and where that started) when it says. Or a second document.
struct Error : std::runtime_error {
    enum class Kind { Syntax, SecondDocument };
    Error(Kind kind, std::string problem, Mark where, std::string context = {}, Mark context_at = {});
    Kind kind;
    std::string problem;
    Mark where;
    std::string context;  // may be empty
    Mark context_at;
    bool bad_escape() const {  // "found unknown escape character", "...expected hexdecimal number"
        return problem.find("escape") != std::string::npos || problem.find("hexdecimal") != std::string::npos;
    }
};

class Document;

// A node of a Document (which must outlive it), or nothing.
class Node {
public:
    Node() = default;  // nothing, written nowhere

    bool is_null() const;
    bool is_scalar() const;
    bool is_list() const;
    bool is_map() const;
    const std::string& scalar() const;  // "" unless is_scalar()
    Mark mark() const;
    size_t size() const;  // items of a list, pairs of a mapping, else 0

    Node item(size_t i) const;   // of a list
    Node key(size_t i) const;    // of a mapping, in the order written
    Node value(size_t i) const;  // of a mapping

private:
    friend class Document;
    Node(const Document* document, uint32_t index) : doc_(document), index_(index) {}
    const Document* doc_ = nullptr;
    uint32_t index_ = 0;
};

class Document {
public:
    // Parses the first document of `text` (UTF-8; a leading byte-order mark is skipped). Throws
    // Error on malformed YAML, on a second document, on an alias to an unknown anchor, and on
    // collections nested deeper than `max_nesting`.
    static Document parse(std::string_view text, size_t max_nesting = 1000);

    Node root() const;  // nothing for an empty file

private:
    friend class Node;
    enum class Kind : uint8_t { Null, Scalar, List, Map };
    struct Data {
        Kind kind = Kind::Null;
        Mark mark;
        std::string scalar;
        uint32_t first = 0;  // in children_: list items, or key, value, key, value...
        uint32_t count = 0;  // children
    };
    const Data& data(uint32_t index) const { return nodes_[index]; }

    std::vector<Data> nodes_;
    std::vector<uint32_t> children_;
};

}  // namespace netstep::sim::yaml
