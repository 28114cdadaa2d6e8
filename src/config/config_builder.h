#pragma once
// Maps a parsed YAML document onto the typed Config: the one place that knows every key.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/interpolation.h"
#include "config/problem_list.h"

namespace scanner::config {

// Reads `root` on top of DefaultConfig(exchange.market). Records every type problem and unknown
// key in `problems`; a value with a problem keeps its default, so the other values can still be
// checked. With `interpolator` null the scalars are taken literally (legacy environment values).
// Range and consistency checks are ValidateConfig's, except the shape of each webhook URL, which
// is checked here, where its position in the file is still known: an https:// URL, and whatever
// `webhook_url_check` (if set) says of it.
using WebhookUrlCheck = std::function<std::optional<std::string>(std::string_view url)>;
Config BuildConfig(const YAML::Node& root, Interpolator* interpolator, ProblemList& problems,
                   const WebhookUrlCheck& webhook_url_check = {});

}  // namespace scanner::config
