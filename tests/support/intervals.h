#pragma once
// I("5m"): an interval by name, for tests that spell many of them.

#include <string_view>

#include "core/interval.h"

namespace scanner::support {

inline core::Interval I(std::string_view name) { return *core::Interval::Parse(name); }

}  // namespace scanner::support
