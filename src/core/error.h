#pragma once
// Error values crossing module boundaries: no exceptions leave a module.

#include <expected>
#include <string>
#include <utility>

namespace scanner::core {

struct Error {
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// Success or an Error, for calls that produce nothing.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

}  // namespace scanner::core
