// The YAML document reader (sim/yaml.hpp, on libyaml): structure, nothing vs text, anchors,
// marks (line, column in characters, byte offset), one document, and its errors.
#include <doctest/doctest.h>

#include <string>

#include "sim/scenario.hpp"
#include "sim/yaml.hpp"

using netstep::sim::yaml::Document;
using netstep::sim::yaml::Error;
using netstep::sim::yaml::Node;

namespace {

Error error_of(const std::string& text, size_t max_nesting = 1000) {
    try {
        Document::parse(text, max_nesting);
    } catch (const Error& e) {
        return e;
    }
    FAIL("no error for: " << text);
    return Error(Error::Kind::Syntax, "", {});
}

std::string scenario_error(const std::string& text) {
    try {
        netstep::sim::load_scenario_text(text, "t.yaml");
    } catch (const netstep::sim::ScenarioError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("yaml: mappings keep their order and their duplicates: lists their items") {
    Document d = Document::parse("b: 1\na: [x, 'y', {k: v}]\nb: 2\n");
    Node root = d.root();
    REQUIRE(root.is_map());
    REQUIRE(root.size() == 3);
    CHECK(root.key(0).scalar() == "b");
    CHECK(root.key(1).scalar() == "a");
    CHECK(root.key(2).scalar() == "b");
    CHECK(root.value(2).scalar() == "2");
    Node list = root.value(1);
    REQUIRE(list.is_list());
    REQUIRE(list.size() == 3);
    CHECK(list.item(0).scalar() == "x");
    CHECK(list.item(1).scalar() == "y");
    CHECK(list.item(2).is_map());
    CHECK(list.item(2).value(0).scalar() == "v");
    CHECK(root.value(0).size() == 0);  // a scalar has no children
}

TEST_CASE("yaml: plain null, ~ and nothing are null: quoted ones are text") {
    Document d = Document::parse("a:\nb: ~\nc: null\nd: NULL\ne: 'null'\nf: \"\"\ng: nil\n");
    Node r = d.root();
    REQUIRE(r.size() == 7);
    for (size_t i = 0; i < 4; ++i) {
        CAPTURE(r.key(i).scalar());
        CHECK(r.value(i).is_null());
        CHECK(r.value(i).scalar().empty());
    }
    CHECK(r.value(4).is_scalar());
    CHECK(r.value(4).scalar() == "null");
    CHECK(r.value(5).is_scalar());
    CHECK(r.value(5).scalar().empty());
    CHECK(r.value(6).scalar() == "nil");
    CHECK(Node().is_null());
    CHECK(Node().mark().line == -1);
}

TEST_CASE("yaml: an empty text, or only comments, has no root") {
    CHECK(Document::parse("").root().is_null());
    CHECK(Document::parse("# nothing\n\n").root().is_null());
    CHECK(Document::parse("---\n").root().is_null());
}

TEST_CASE("yaml: an alias is the anchored node itself") {
    Document d = Document::parse("link: &fast { latency: 1ms }\nother: *fast\nlist: [&n 3, *n]\n");
    Node r = d.root();
    CHECK(r.value(1).is_map());
    CHECK(r.value(1).value(0).scalar() == "1ms");
    CHECK(r.value(1).mark().line == 0);  // where the anchored node was written
    CHECK(r.value(2).item(1).scalar() == "3");
}

TEST_CASE("yaml: an alias to an unknown anchor, or into its own collection, is an error") {
    Error e = error_of("a: *nowhere\n");
    CHECK(e.problem.find("undefined alias '*nowhere'") != std::string::npos);
    CHECK(e.where.line == 0);
    CHECK(e.where.column == 3);
    // The anchor is defined once its collection ends: no cycle can be built.
    CHECK(error_of("a: &loop [1, *loop]\n").problem ==
          "alias '*loop' is inside the node anchored '&loop' (a node cannot contain itself)");
}

TEST_CASE("yaml: marks give line and column in characters and the byte offset") {
    // "é" is two bytes: the column after it counts one character, the offset two bytes.
    std::string text = "say: \"é\"\nx: {k: 'v'}\n";
    Document d = Document::parse(text);
    Node r = d.root();
    CHECK(r.mark().line == 0);
    CHECK(r.mark().column == 0);
    Node k = r.value(1).value(0);
    CHECK(k.mark().line == 1);
    CHECK(k.mark().column == 7);
    CHECK(text[k.mark().offset] == '\'');
    CHECK(r.value(1).mark().column == 3);  // a flow mapping starts at its brace

    std::string wide = "a: \"éé\"\nb: \"x\"\n";
    Document w = Document::parse(wide);
    CHECK(w.root().value(1).mark().offset == wide.find("\"x\""));
}

TEST_CASE("yaml: a byte-order mark is skipped, and offsets still point into the text") {
    std::string text = "\xEF\xBB\xBFnetstep: 1\nname: \"n\"\n";
    Document d = Document::parse(text);
    CHECK(d.root().key(0).scalar() == "netstep");
    CHECK(d.root().key(0).mark().column == 0);
    CHECK(text[d.root().value(1).mark().offset] == '"');
}

TEST_CASE("yaml: a second document is refused where its first node starts") {
    Error e = error_of("a: 1\n---\nb: 2\n");
    CHECK(e.kind == Error::Kind::SecondDocument);
    CHECK(e.where.line == 2);
    CHECK(e.where.column == 0);
    // Only comments after an end marker is still one document.
    CHECK(Document::parse("a: 1\n...\n# the end\n").root().is_map());
}

TEST_CASE("yaml: syntax errors say what was expected and what was being read") {
    Error e = error_of("a: [1, 2\nb: 3\n");
    CHECK(e.kind == Error::Kind::Syntax);
    CHECK(e.problem == "did not find expected ',' or ']'");
    CHECK(e.context == "while parsing a flow sequence");
    CHECK(e.context_at.line == 0);
    CHECK(e.context_at.column == 3);

    Error tab = error_of("a:\n\t- b\n");
    CHECK(tab.problem.find("cannot start any token") != std::string::npos);
    CHECK(tab.where.line == 1);
}

TEST_CASE("yaml: bad bytes are located errors, not replaced") {
    Error e = error_of("a: 1\nb: x\xFFy\n");
    CHECK(e.problem == "byte 0xFF is not a valid UTF-8 character: save the file as UTF-8");
    CHECK(e.where.line == 1);
    CHECK(e.where.column == 4);
    CHECK(e.where.offset == 9);

    // Latin-1 "é" (0xE9) then a quote: the error is at the "é", not at the quote.
    Error latin1 = error_of("a: \"caf\xE9\"\n");
    CHECK(latin1.problem == "byte 0xE9 is not a valid UTF-8 character: save the file as UTF-8");
    CHECK(latin1.where.column == 7);

    Error cut = error_of("a: caf\xC3");
    CHECK(cut.problem == "byte 0xC3 at the end of the file is not a whole UTF-8 character: save the file as UTF-8");
    CHECK(cut.where.column == 6);

    Error control = error_of(std::string("a: \x01\n"));
    CHECK(control.problem == "control characters are not allowed (character 0x01)");
    CHECK(control.where.column == 3);
}

TEST_CASE("yaml: nesting is bounded, and the error points at the level too deep") {
    CHECK(Document::parse("[[[[x]]]]").root().item(0).item(0).item(0).item(0).scalar() == "x");
    Error e = error_of("[[[[x]]]]", 3);
    CHECK(e.problem == "nested too deeply");
    CHECK(e.where.column == 3);
    // Deep nesting far beyond the limit costs nothing: the error comes at the limit.
    std::string deep(200000, '[');
    CHECK(error_of(deep).where.column == 1000);
}

TEST_CASE("yaml: scenario errors from the reader carry file, line and column") {
    CHECK(scenario_error("netstep: 1\ntitle: \"caf\xE9\"\n") ==
          "t.yaml:2:12: invalid YAML: byte 0xE9 is not a valid UTF-8 character: save the file as UTF-8");
    CHECK(scenario_error("netstep: 1\nhosts:\n  - name: a\n   bad: 1\n") ==
          "t.yaml:4:4: invalid YAML: did not find expected '-' indicator (while parsing a block collection started "
          "at line 3, column 3)");
    CHECK(scenario_error("netstep: 1\nprograms:\n  - host: a\n    steps:\n      - sleep: 1s\n     - sleep: 2s\n") ==
          "t.yaml:6:6: invalid YAML: did not find expected key (while parsing a block mapping started at line 3, "
          "column 5)");
}
