// Writing outputs safely (sim/output.hpp, "Files"): standard output, special files in place, and
// everything else through an exclusive temporary file renamed over the target when complete.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <ostream>
#include <stdexcept>
#include <streambuf>

#include "sim/output.hpp"

namespace netstep::sim {

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& reason) {
    throw std::runtime_error("cannot write " + name + ": " + reason);
}

// A std::streambuf over a file descriptor: a 64 KiB buffer drained with write_bytes. The first
// error is kept (std::ostream swallows what a streambuf throws) and rethrown by write_stream.
class FdStreamBuf : public std::streambuf {
public:
    explicit FdStreamBuf(const OutputFd& out) : out_(out) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
    std::exception_ptr error() const { return error_; }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        if (error_) return false;
        try {
            write_bytes(out_, pbase(), size_t(pptr() - pbase()));
        } catch (...) {
            error_ = std::current_exception();
            return false;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return true;
    }

    OutputFd out_;
    std::array<char, 65536> buffer_{};
    std::exception_ptr error_;
};

// Character devices and FIFOs are written where they are (renaming a file over /dev/null or a
// named pipe would replace it): no temporary, no fsync (EINVAL on most of them).
void write_in_place(const std::string& path, const OutputWriter& write) {
    int fd = open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) fail(path, std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        close(fd);  // replaced between stat and open: never write into a regular file in place
        fail(path, "it changed while being opened");
    }
    try {
        write({fd, path});
    } catch (...) {
        close(fd);
        throw;
    }
    if (close(fd) != 0) fail(path, std::strerror(errno));
}

// Best effort: the rename is durable once the directory is on disk. Its failure is not reported
// (the new file is in place already; saying "cannot write" now would be wrong).
void sync_directory_of(const std::string& path) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) dir = ".";
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

void write_replacing(const std::string& path, mode_t mode, const OutputWriter& write) {
    // mkostemp opens with O_CREAT | O_EXCL: a name planted beforehand (a symlink to the scenario)
    // makes it try another name, never follow it.
    std::string temp = path + ".tmp-XXXXXX";
    int fd = mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
    try {
        (void)fchmod(fd, mode);  // mkstemp makes it 0600; traces are for sharing
        write({fd, path});
        if (fsync(fd) != 0) fail(path, std::strerror(errno));
        int closed = close(fd);
        fd = -1;
        if (closed != 0) fail(path, std::strerror(errno));
        if (std::rename(temp.c_str(), path.c_str()) != 0) {
            fail(path, "cannot rename " + temp + " to it: " + std::strerror(errno));
        }
    } catch (...) {
        if (fd >= 0) close(fd);
        unlink(temp.c_str());
        throw;
    }
    sync_directory_of(path);
}

}  // namespace

void write_bytes(const OutputFd& out, const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::write(out.fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(out.name, std::strerror(errno));
        if (n == 0) fail(out.name, "nothing was written");
        p += n;
        size -= size_t(n);
    }
}

void write_stream(const OutputFd& out, const std::function<void(std::ostream&)>& fill) {
    FdStreamBuf buffer(out);
    std::ostream stream(&buffer);
    stream.exceptions(std::ios::badbit);  // stop at the first failed write, not at the end
    try {
        fill(stream);
        stream.flush();
    } catch (...) {  // std::ios_base::failure (not caught by type: GCC bug 66145), or fill's own
        if (buffer.error()) std::rethrow_exception(buffer.error());
        throw;
    }
    if (buffer.error()) std::rethrow_exception(buffer.error());
    if (!stream) fail(out.name, "the output stream failed");
}

void check_output(const std::string& path) {
    struct stat st {};
    if (path == "-" || stat(path.c_str(), &st) != 0) return;  // missing: mkostemp will say why
    if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        fail(path, std::string("it is ") + file_kind(st.st_mode));
    }
}

void write_output(const std::string& path, const OutputWriter& write) {
    if (path == "-") {
        write({STDOUT_FILENO, "standard output"});
        return;
    }
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) {
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_in_place(path, write);
        if (!S_ISREG(st.st_mode)) fail(path, std::string("it is ") + file_kind(st.st_mode));
        // A symlink to a file (latest.pcap -> runs/7.pcap, /dev/stdout redirected to a file):
        // the file it names is replaced, the link kept (renaming over /dev/stdout would replace it).
        struct stat link {};
        if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
            std::unique_ptr<char, decltype(&std::free)> target(realpath(path.c_str(), nullptr), &std::free);
            if (!target) fail(path, std::strerror(errno));
            return write_replacing(target.get(), st.st_mode & 0777, write);
        }
        return write_replacing(path, st.st_mode & 0777, write);  // keeps the old file's permissions
    }
    write_replacing(path, 0644, write);
}

const char* file_kind(unsigned mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

std::string error_message(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) {
        return "out of memory (std::bad_alloc): the scenario needs more memory than the system gives";
    }
    return e.what();
}

}  // namespace netstep::sim
