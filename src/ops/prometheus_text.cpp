#include "ops/prometheus_text.h"

#include <cmath>

#include <fmt/format.h>

namespace scanner::ops {
namespace {

void AppendEscaped(std::string& out, std::string_view text, bool escape_quotes) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '"':
        if (escape_quotes) {
          out += "\\\"";
          break;
        }
        [[fallthrough]];
      default: out += c;
    }
  }
}

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    out += fmt::format("{}", static_cast<long long>(value));
  } else {
    out += fmt::format("{}", value);
  }
}

}  // namespace

void PrometheusText::Family(std::string_view name, MetricType type, std::string_view help) {
  family_.assign(name);
  std::string marker = "\n" + family_ + "\n";
  if (("\n" + families_seen_).find(marker) != std::string::npos) return;
  families_seen_ += family_ + "\n";
  text_ += "# HELP ";
  text_ += family_;
  text_ += ' ';
  AppendEscaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += family_;
  text_ += type == MetricType::kCounter ? " counter\n" : " gauge\n";
}

void PrometheusText::Sample(double value, std::initializer_list<Label> labels) {
  Sample("", value, labels);
}

void PrometheusText::Sample(std::string_view name_suffix, double value,
                            std::initializer_list<Label> labels) {
  text_ += family_;
  text_ += name_suffix;
  if (labels.size() > 0) {
    text_ += '{';
    bool first = true;
    for (const Label& label : labels) {
      if (!first) text_ += ',';
      first = false;
      text_ += label.name;
      text_ += "=\"";
      AppendEscaped(text_, label.value, true);
      text_ += '"';
    }
    text_ += '}';
  }
  text_ += ' ';
  AppendValue(text_, value);
  text_ += '\n';
}

void PrometheusText::Counter(std::string_view name, std::string_view help, double value) {
  Family(name, MetricType::kCounter, help);
  Sample(value);
}

void PrometheusText::Gauge(std::string_view name, std::string_view help, double value) {
  Family(name, MetricType::kGauge, help);
  Sample(value);
}

}  // namespace scanner::ops
