// Writing files atomically: a temporary file beside the target, renamed over it when complete.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>
#include <stdexcept>

#include "sim/output.hpp"

namespace netstep::sim {

namespace {

// Creates an empty, uniquely named file in the directory of `path`; returns its name.
std::string make_temp_beside(const std::string& path) {
    std::string pattern = path + ".tmp-XXXXXX";
    int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("cannot create a file beside " + path + ": " + std::strerror(errno));
    fchmod(fd, 0644);  // mkstemp makes it private; traces are for sharing
    close(fd);
    return pattern;
}

}  // namespace

void write_file_atomically(const std::string& path, const FileWriter& write) {
    std::string temp = make_temp_beside(path);
    try {
        write(temp);
        if (std::rename(temp.c_str(), path.c_str()) != 0) {
            throw std::runtime_error("cannot rename " + temp + " to " + path + ": " + std::strerror(errno));
        }
    } catch (...) {
        std::remove(temp.c_str());
        throw;
    }
}

std::string error_message(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) {
        return "out of memory (std::bad_alloc): the scenario needs more memory than the system gives";
    }
    return e.what();
}

}  // namespace netstep::sim
