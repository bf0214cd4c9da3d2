// Safe outputs (sim/output.hpp, write_output; issue 14 "unsafe outputs"): regular files replaced
// atomically through an exclusive temporary file, special files written in place, directories
// refused, every failed write an error naming the file and the reason with the old file kept.
// And the scenario loader, which must never block on a FIFO.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"
#include "sim/scenario.hpp"
#include "test_trace_fixture.hpp"

namespace netstep::sim {
namespace {

using namespace fixture;
namespace fs = std::filesystem;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("netstep-output-" + std::to_string(std::random_device{}()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const char* name) const { return (path / name).string(); }
    size_t entries() const { return size_t(std::distance(fs::directory_iterator(path), fs::directory_iterator())); }
};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

TEST_CASE("output: a regular file is replaced through a new temporary file beside it") {
    TempDir dir;
    std::string path = dir.file("out.json");
    write_text_file(path, "old");
    chmod(path.c_str(), 0640);
    std::string temp_seen;
    write_output(path, [&](const OutputFd& out) {
        // The writer's fd is a new, empty, private regular file in the target's directory.
        char link[4096] = {};
        ssize_t n = readlink(("/proc/self/fd/" + std::to_string(out.fd)).c_str(), link, sizeof link - 1);
        REQUIRE(n > 0);
        temp_seen = std::string(link, size_t(n));
        struct stat st {};
        REQUIRE(fstat(out.fd, &st) == 0);
        CHECK(S_ISREG(st.st_mode));
        CHECK(st.st_size == 0);
        CHECK(st.st_nlink == 1);
        CHECK(out.name == path);
        CHECK(read_text(path) == "old");  // untouched until complete
        write_bytes(out, "new", 3);
    });
    CHECK(fs::path(temp_seen).parent_path() == fs::canonical(dir.path));
    CHECK(fs::path(temp_seen).filename().string().starts_with("out.json.tmp-"));
    CHECK(read_text(path) == "new");
    CHECK(dir.entries() == 1);  // no temporary left
    CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write |
                                                                 fs::perms::group_read));  // kept
}

TEST_CASE("output: a symlink planted at the old predictable temporary name is not followed") {
    // The screenshot wrote PATH.tmp-PID with fopen: a symlink there let a PNG overwrite any file.
    TempDir dir;
    std::string victim = dir.file("scenario.yaml");
    write_text_file(victim, "precious");
    std::string path = dir.file("shot.png");
    fs::create_symlink(victim, path + ".tmp-" + std::to_string(getpid()));
    write_output(path, [](const OutputFd& out) { write_bytes(out, "png", 3); });
    CHECK(read_text(victim) == "precious");
    CHECK(read_text(path) == "png");
    CHECK(fs::is_symlink(path + ".tmp-" + std::to_string(getpid())));
}

TEST_CASE("output: through a symlink, the file it names is replaced and the link kept") {
    TempDir dir;
    fs::create_directories(dir.path / "runs");
    std::string target = dir.file("runs/7.pcap"), link = dir.file("latest.pcap");
    write_text_file(target, "old");
    fs::create_symlink("runs/7.pcap", link);
    write_output(link, [](const OutputFd& out) { write_bytes(out, "new", 3); });
    CHECK(fs::is_symlink(link));
    CHECK(read_text(target) == "new");
    CHECK(std::distance(fs::directory_iterator(dir.path / "runs"), fs::directory_iterator()) == 1);
}

TEST_CASE("output: a failing writer leaves the old file and no temporary behind") {
    TempDir dir;
    std::string path = dir.file("out.pcap");
    write_text_file(path, "old");
    CHECK(error_of([&] { write_output(path, [](const OutputFd&) { throw std::runtime_error("boom"); }); }) == "boom");
    CHECK(read_text(path) == "old");
    CHECK(dir.entries() == 1);
}

TEST_CASE("output: a full device is an error naming it, and stays a device") {
    // /dev/full: every write fails with ENOSPC, as on a full disk.
    CHECK(error_of([] { write_pcap(handshake_trace(), "/dev/full"); }) ==
          "cannot write /dev/full: No space left on device");
    CHECK(error_of([] { write_json_file(handshake_trace(), "/dev/full"); }) ==
          "cannot write /dev/full: No space left on device");
    CHECK(fs::is_character_file("/dev/full"));
    write_json_file(handshake_trace(), "/dev/null");  // written in place, not replaced
    write_pcap(handshake_trace(), "/dev/null");
    CHECK(fs::is_character_file("/dev/null"));
}

TEST_CASE("output: a stream stops at the first failed write with its reason") {
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    size_t written = 0;
    std::string error = error_of([&] {
        write_stream({fd, "the test stream"}, [&](std::ostream& out) {
            for (int i = 0; i < 1000; ++i, written += 4096) out << std::string(4096, 'x');
        });
    });
    close(fd);
    CHECK(error == "cannot write the test stream: No space left on device");
    CHECK(written < 4096 * 100);  // stopped early: not the whole trace formatted for nothing
}

TEST_CASE("output: a directory, or a file under a missing directory, is refused") {
    TempDir dir;
    CHECK(error_of([&] { write_json_file(handshake_trace(), dir.path.string()); }) ==
          "cannot write " + dir.path.string() + ": it is a directory");
    CHECK(error_of([&] { write_pcap(handshake_trace(), dir.file("no/such.pcap")); }) ==
          "cannot write " + dir.file("no/such.pcap") +
              ": cannot create a temporary file beside it: No such file or directory");
    CHECK(dir.entries() == 0);
}

TEST_CASE("output: a file size limit (RLIMIT_FSIZE) is a clean error, the old file kept") {
    // Like a full disk for regular files: with SIGXFSZ ignored (as netstep's main does), writes
    // past the limit fail with EFBIG. One process per test case: the limit ends with it.
    TempDir dir;
    std::string json = dir.file("out.json"), pcap = dir.file("out.pcap");
    write_text_file(json, "old json");
    write_text_file(pcap, "old pcap");
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
    rlimit small = old;
    small.rlim_cur = 300;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string json_error = error_of([&] { write_json_file(handshake_trace(), json); });
    std::string pcap_error = error_of([&] { write_pcap(handshake_trace(), pcap); });
    REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
    CHECK(json_error == "cannot write " + json + ": File too large");
    CHECK(pcap_error == "cannot write " + pcap + ": File too large");
    CHECK(read_text(json) == "old json");
    CHECK(read_text(pcap) == "old pcap");
    CHECK(dir.entries() == 2);
}

TEST_CASE("scenario: a FIFO or a device is refused without blocking") {
    TempDir dir;
    std::string fifo = dir.file("lesson.yaml");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(error_of([&] { load_scenario_file(fifo); }) == fifo + ": cannot read file: not a regular file (a FIFO)");
    CHECK(error_of([] { load_scenario_file("/dev/zero"); }) ==
          "/dev/zero: cannot read file: not a regular file (a character device)");
}

}  // namespace
}  // namespace netstep::sim
