// errno names of the socket errors.
#include "errors.hpp"

#include <array>
#include <utility>

namespace netstep {

namespace {

constexpr std::array<std::pair<Err, std::string_view>, 19> kNames{{
    {Err::ConnRefused, "ECONNREFUSED"},
    {Err::ConnReset, "ECONNRESET"},
    {Err::TimedOut, "ETIMEDOUT"},
    {Err::AddrInUse, "EADDRINUSE"},
    {Err::AddrNotAvail, "EADDRNOTAVAIL"},
    {Err::NotConn, "ENOTCONN"},
    {Err::IsConn, "EISCONN"},
    {Err::HostUnreach, "EHOSTUNREACH"},
    {Err::NetUnreach, "ENETUNREACH"},
    {Err::MsgSize, "EMSGSIZE"},
    {Err::Again, "EAGAIN"},
    {Err::Inval, "EINVAL"},
    {Err::Pipe, "EPIPE"},
    {Err::BadF, "EBADF"},
    {Err::OpNotSupp, "EOPNOTSUPP"},
    {Err::Already, "EALREADY"},
    {Err::DestAddrReq, "EDESTADDRREQ"},
    {Err::ConnAborted, "ECONNABORTED"},
    {Err::MFile, "EMFILE"},
}};

}  // namespace

std::string_view to_string(Err e) {
    for (const auto& [err, name] : kNames) {
        if (err == e) return name;
    }
    return "E?";
}

std::optional<Err> err_from_string(std::string_view text) {
    for (const auto& [err, name] : kNames) {
        if (name == text) return err;
    }
    return std::nullopt;
}

}  // namespace netstep
