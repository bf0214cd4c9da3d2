// The result of a socket call: done (with a value), would block (the shell decides how to wait,
// then calls again with the same arguments), or failed with an errno.
#pragma once
#include <utility>
#include <variant>

#include "errors.hpp"

namespace netstep {

enum class CallStatus { Ok, WouldBlock, Error };

template <class T = std::monostate>
struct CallResult {
    CallStatus status = CallStatus::Ok;
    T value{};
    Err err{};

    static CallResult ok(T v = T{}) { return {CallStatus::Ok, std::move(v), {}}; }
    static CallResult would_block() { return {CallStatus::WouldBlock, T{}, {}}; }
    static CallResult error(Err e) { return {CallStatus::Error, T{}, e}; }

    bool is_ok() const { return status == CallStatus::Ok; }
    bool would_block_now() const { return status == CallStatus::WouldBlock; }
    bool is_error() const { return status == CallStatus::Error; }
};

}  // namespace netstep
