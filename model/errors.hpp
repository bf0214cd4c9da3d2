// Errors a program sees, named as the errno values of Berkeley sockets.
// (Enumerators avoid the E-prefix because <cerrno> defines those names as macros.)
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace netstep {

enum class Err : uint8_t {
    ConnRefused,   // ECONNREFUSED
    ConnReset,     // ECONNRESET
    TimedOut,      // ETIMEDOUT
    AddrInUse,     // EADDRINUSE
    AddrNotAvail,  // EADDRNOTAVAIL
    NotConn,       // ENOTCONN
    IsConn,        // EISCONN
    HostUnreach,   // EHOSTUNREACH
    NetUnreach,    // ENETUNREACH
    MsgSize,       // EMSGSIZE
    Again,         // EAGAIN (a timeout on recv/recvfrom)
    Inval,         // EINVAL
    Pipe,          // EPIPE (send after the connection was shut down for writing)
    BadF,          // EBADF (socket already closed)
    OpNotSupp,     // EOPNOTSUPP (listen on UDP...)
    Already,       // EALREADY
    DestAddrReq,   // EDESTADDRREQ (send on an unconnected UDP socket)
    ConnAborted,   // ECONNABORTED
    MFile,         // EMFILE (too many sockets: an explicit limit)
};

std::string_view to_string(Err e);                     // "ECONNREFUSED"
std::optional<Err> err_from_string(std::string_view);  // inverse of to_string

}  // namespace netstep
