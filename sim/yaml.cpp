#include "sim/yaml.hpp"

#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <new>
#include <unordered_map>

namespace netstep::sim::yaml {

namespace {

size_t utf8_length(unsigned char lead) {
    return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

// libyaml counts characters; the loader reads quoted scalars again from the text, by byte. The
// marks arrive almost always in increasing order, so one cursor walks the text once.
class Offsets {
public:
    Offsets(std::string_view text, size_t base)
        : text_(text), base_(base),
          ascii_(std::all_of(text.begin(), text.end(), [](char c) { return (unsigned char)c < 0x80; })) {}

    size_t byte(size_t index) {
        if (ascii_) return base_ + std::min(index, text_.size());
        if (index < index_) index_ = byte_ = 0;
        while (index_ < index && byte_ < text_.size()) {
            byte_ += utf8_length((unsigned char)text_[byte_]);
            ++index_;
        }
        return base_ + std::min(byte_, text_.size());
    }

    Mark mark(const yaml_mark_t& m) { return {int(m.line), int(m.column), byte(m.index)}; }

private:
    std::string_view text_;
    size_t base_;
    bool ascii_;
    size_t index_ = 0;  // cursor: character index_ starts at byte_
    size_t byte_ = 0;
};

struct Parser {
    yaml_parser_t p;
    explicit Parser(std::string_view text) {
        if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
        yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
        yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);  // not UTF-16: offsets are UTF-8 bytes
    }
    ~Parser() { yaml_parser_delete(&p); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
};

struct Event {
    yaml_event_t e{};
    bool live = false;
    ~Event() {
        if (live) yaml_event_delete(&e);
    }
};

std::string text_of(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

const std::string kNoText;  // the text of a node that is not a scalar

bool is_null_text(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

}  // namespace

Mark mark_at(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    const size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // skipped, as the reader does
    Mark m{0, 0, offset};
    for (size_t i = std::min(bom, offset); i < offset; ++i) {
        if (text[i] == '\n') {
            ++m.line;
            m.column = 0;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            ++m.column;
        }
    }
    return m;
}

Error::Error(Kind kind_, std::string problem_, Mark where_, std::string context_, Mark context_at_)
    : std::runtime_error(problem_), kind(kind_), problem(std::move(problem_)), where(where_),
      context(std::move(context_)), context_at(context_at_) {}

// ---- Node ------------------------------------------------------------------------------------

bool Node::is_null() const { return !doc_ || doc_->data(index_).kind == Document::Kind::Null; }
bool Node::is_scalar() const { return doc_ && doc_->data(index_).kind == Document::Kind::Scalar; }
bool Node::is_list() const { return doc_ && doc_->data(index_).kind == Document::Kind::List; }
bool Node::is_map() const { return doc_ && doc_->data(index_).kind == Document::Kind::Map; }

const std::string& Node::scalar() const { return is_scalar() ? doc_->data(index_).scalar : kNoText; }

Mark Node::mark() const { return doc_ ? doc_->data(index_).mark : Mark{}; }

size_t Node::size() const {
    if (!doc_) return 0;
    const Document::Data& d = doc_->data(index_);
    return d.kind == Document::Kind::Map ? d.count / 2 : d.count;
}

Node Node::item(size_t i) const {
    const Document::Data& d = doc_->data(index_);
    return {doc_, doc_->children_.at(d.first + i)};
}
Node Node::key(size_t i) const {
    const Document::Data& d = doc_->data(index_);
    return {doc_, doc_->children_.at(d.first + 2 * i)};
}
Node Node::value(size_t i) const {
    const Document::Data& d = doc_->data(index_);
    return {doc_, doc_->children_.at(d.first + 2 * i + 1)};
}

// ---- Document --------------------------------------------------------------------------------

Node Document::root() const { return nodes_.empty() ? Node() : Node(this, 0); }

Document Document::parse(std::string_view text, size_t max_nesting) {
    const size_t base = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    std::string_view body = text.substr(base);
    Offsets offsets(body, base);
    Parser parser(body);

    Document doc;
    doc.nodes_.reserve(body.size() / 8);  // a scenario file has about one node per 6-10 bytes
    doc.children_.reserve(body.size() / 8);
    struct Open {
        uint32_t node;
        size_t first_child;  // in pending
        std::string anchor;  // defined when the collection ends (no alias into itself)
    };
    std::vector<Open> open;
    std::vector<uint32_t> pending;  // children of the open collections, in order
    std::unordered_map<std::string, uint32_t> anchors;
    int documents = 0;

    auto fail = [&]() -> Error {
        const yaml_parser_t& p = parser.p;
        if (p.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
        if (p.error == YAML_READER_ERROR) {  // bad UTF-8, a control character: a byte offset
            std::string problem = text_of(reinterpret_cast<const yaml_char_t*>(p.problem));
            size_t offset = std::min(p.problem_offset, body.size());
            auto byte_at = [&](size_t i) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02X", unsigned((unsigned char)body[i]));
                return std::string(hex);
            };
            if (problem.find("trailing UTF-8") != std::string::npos) {
                // libyaml points at the byte after the lead byte (Latin-1 "é" then a quote): point
                // at the character the writer typed.
                for (size_t back = 1; back <= 3 && offset >= back; ++back) {
                    if (((unsigned char)body[offset - back] & 0xC0) == 0xC0) {
                        offset -= back;
                        break;
                    }
                }
                problem = "byte " + byte_at(offset) + " is not a valid UTF-8 character";
            } else if (problem.find("leading UTF-8") != std::string::npos && offset < body.size()) {
                problem = "byte " + byte_at(offset) + " is not a valid UTF-8 character";
            } else if (problem.find("incomplete UTF-8") != std::string::npos && offset < body.size()) {
                problem = "byte " + byte_at(offset) + " at the end of the file is not a whole UTF-8 character";
            } else if (p.problem_value != -1) {
                char hex[24];
                std::snprintf(hex, sizeof hex, " (character 0x%02X)", unsigned(p.problem_value));
                problem += hex;
            }
            if (problem.find("UTF-8") != std::string::npos) problem += ": save the file as UTF-8";
            return Error(Error::Kind::Syntax, problem, mark_at(text, base + offset));
        }
        std::string problem = p.problem ? p.problem : "malformed YAML";
        std::string context = p.context ? p.context : "";
        return Error(Error::Kind::Syntax, problem, offsets.mark(p.problem_mark), context,
                     offsets.mark(p.context_mark));
    };

    // A node starting: the first of a second document is an error; collections may nest deep.
    auto start = [&](Kind kind, const yaml_mark_t& m) -> uint32_t {
        Mark at = offsets.mark(m);
        if (documents > 1) throw Error(Error::Kind::SecondDocument, "a second document", at);
        if (doc.nodes_.size() >= UINT32_MAX - 1) throw Error(Error::Kind::Syntax, "too many nodes", at);
        auto index = uint32_t(doc.nodes_.size());
        doc.nodes_.push_back(Data{kind, at, {}, 0, 0});
        if (!open.empty()) pending.push_back(index);
        return index;
    };

    for (;;) {
        Event ev;
        if (!yaml_parser_parse(&parser.p, &ev.e)) throw fail();
        ev.live = true;
        const yaml_event_t& e = ev.e;
        switch (e.type) {
            case YAML_STREAM_END_EVENT:
                return doc;
            case YAML_DOCUMENT_START_EVENT:
                ++documents;
                break;
            case YAML_SCALAR_EVENT: {
                std::string value(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
                bool null = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !e.data.scalar.tag &&
                            is_null_text(value);
                uint32_t index = start(null ? Kind::Null : Kind::Scalar, e.start_mark);
                doc.nodes_[index].scalar = std::move(value);
                if (e.data.scalar.anchor) anchors[text_of(e.data.scalar.anchor)] = index;
                break;
            }
            case YAML_ALIAS_EVENT: {
                Mark at = offsets.mark(e.start_mark);
                if (documents > 1) throw Error(Error::Kind::SecondDocument, "a second document", at);
                std::string name = text_of(e.data.alias.anchor);
                auto found = anchors.find(name);
                bool inside = std::any_of(open.begin(), open.end(), [&](const Open& o) { return o.anchor == name; });
                if (found == anchors.end() && inside) {
                    throw Error(Error::Kind::Syntax, "alias '*" + name + "' is inside the node anchored '&" + name +
                                                         "' (a node cannot contain itself)",
                                at);
                }
                if (found == anchors.end()) {
                    throw Error(Error::Kind::Syntax, "found undefined alias '*" + name +
                                                         "' (an alias refers to an anchor '&" + name +
                                                         "' written before it)",
                                at);
                }
                if (open.empty()) {  // a document that is only an alias: cannot name an anchor
                    throw Error(Error::Kind::Syntax, "found undefined alias '*" + name + "'", at);
                }
                pending.push_back(found->second);
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
            case YAML_MAPPING_START_EVENT: {
                bool list = e.type == YAML_SEQUENCE_START_EVENT;
                if (open.size() >= max_nesting) {
                    throw Error(Error::Kind::Syntax, "nested too deeply", offsets.mark(e.start_mark));
                }
                uint32_t index = start(list ? Kind::List : Kind::Map, e.start_mark);
                const yaml_char_t* anchor = list ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
                open.push_back({index, pending.size(), text_of(anchor)});
                break;
            }
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT: {
                Open o = std::move(open.back());
                open.pop_back();
                Data& d = doc.nodes_[o.node];
                d.first = uint32_t(doc.children_.size());
                d.count = uint32_t(pending.size() - o.first_child);
                doc.children_.insert(doc.children_.end(), pending.begin() + std::ptrdiff_t(o.first_child),
                                     pending.end());
                pending.resize(o.first_child);
                if (!o.anchor.empty()) anchors[o.anchor] = o.node;
                break;
            }
            default:  // stream start, document end
                break;
        }
    }
}

}  // namespace netstep::sim::yaml
