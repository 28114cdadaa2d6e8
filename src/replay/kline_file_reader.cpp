#include "replay/kline_file_reader.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace scanner::replay {
namespace {

constexpr std::size_t kBinanceColumns = 12;
constexpr std::size_t kMaxColumns = kBinanceColumns;
// Milliseconds reach 1e14 only in the year 5138; microseconds pass it from 1973 on.
constexpr std::int64_t kMicrosecondsFrom = 100'000'000'000'000;

constexpr std::string_view kColumnNames[kBinanceColumns] = {
    // Binance's names, as in the header of its futures files.
    "open_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "close_time",
    "quote_volume",
    "count",
    "taker_buy_volume",
    "taker_buy_quote_volume",
    "ignore"};

// Column names of the simple layout where they differ from the Binance one.
std::string_view ColumnName(KlineFileReader::Layout layout, std::size_t column) {
  if (layout == KlineFileReader::Layout::kSimple && column == 6) return "quote_volume";
  return kColumnNames[column];
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsBlank(std::string_view text) { return Trim(text).empty(); }

// Splits on ',' into at most kMaxColumns fields; returns the full column count.
std::size_t SplitFields(std::string_view line, std::array<std::string_view, kMaxColumns>& fields) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::size_t stop = comma == std::string_view::npos ? line.size() : comma;
    if (count < kMaxColumns) fields[count] = Trim(line.substr(start, stop - start));
    ++count;
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

core::Millis ToMillis(std::int64_t timestamp) {
  return timestamp >= kMicrosecondsFrom ? timestamp / 1000 : timestamp;
}

// A first line is a header when its first field does not even start like a number.
bool LooksLikeHeader(std::string_view first_field) {
  if (first_field.empty()) return true;
  const char c = first_field.front();
  return !(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.';
}

std::string Quoted(std::string_view field) {
  constexpr std::size_t kShown = 40;
  if (field.size() <= kShown) return fmt::format("\"{}\"", field);
  return fmt::format("\"{}...\"", field.substr(0, kShown));
}

}  // namespace

core::Result<std::unique_ptr<KlineFileReader>> KlineFileReader::Open(const std::string& path,
                                                                     core::Interval interval,
                                                                     IssueLog& issues) {
  auto lines = LineReader::Open(path);
  if (!lines) return std::unexpected(lines.error());
  return std::unique_ptr<KlineFileReader>(
      new KlineFileReader(path, interval, issues, std::move(*lines)));
}

KlineFileReader::KlineFileReader(std::string path, core::Interval interval, IssueLog& issues,
                                 std::unique_ptr<LineReader> lines)
    : path_(std::move(path)), interval_(interval), issues_(issues), lines_(std::move(lines)) {}

void KlineFileReader::Report(std::uint64_t line, IssueKind kind, std::string detail) {
  issues_.Add(ReadIssue{path_, line, kind, std::move(detail)});
}

std::optional<FileBar> KlineFileReader::Next() {
  while (!finished_) {
    auto next = lines_->Next();
    if (!next) {
      Report(last_line_ + 1, IssueKind::kUnreadable,
             fmt::format("{}; the rest of the file is skipped", next.error().message));
      finished_ = true;
      break;
    }
    if (!*next) {
      finished_ = true;
      break;
    }
    const LineReader::Line& line = **next;
    last_line_ = line.number;
    if (line.too_long) {
      Report(line.number, IssueKind::kLineTooLong,
             fmt::format("longer than {} bytes", LineReader::kMaxLineLength));
      ++rows_skipped_;
      continue;
    }
    if (IsBlank(line.text)) continue;
    if (!seen_content_) {
      seen_content_ = true;
      std::array<std::string_view, kMaxColumns> fields;
      const std::size_t count = SplitFields(line.text, fields);
      if (LooksLikeHeader(fields[0])) {
        has_header_ = true;
        if (count == kBinanceColumns) {
          layout_ = Layout::kBinance;
          columns_ = count;
        } else if (count == 6 || count == 7) {
          layout_ = Layout::kSimple;
          columns_ = count;
        } else {
          Report(line.number, IssueKind::kColumnCount,
                 fmt::format("header has {} columns; expected 12 (Binance klines) or 6-7 "
                             "(open_time,open,high,low,close,volume[,quote_volume])",
                             count));
        }
        continue;
      }
    }
    std::optional<core::Bar> bar = ParseRow(line);
    if (!bar) {
      ++rows_skipped_;
      continue;
    }
    if (has_last_ && bar->open_time <= last_open_time_) {
      const bool duplicate = bar->open_time == last_open_time_;
      Report(line.number, duplicate ? IssueKind::kDuplicate : IssueKind::kOutOfOrder,
             fmt::format("open time {} ({}) {} the bar of line {}; row skipped", bar->open_time,
                         core::FormatIsoUtc(bar->open_time), duplicate ? "repeats" : "is before",
                         last_bar_line_));
      ++rows_skipped_;
      continue;
    }
    has_last_ = true;
    last_open_time_ = bar->open_time;
    last_bar_line_ = line.number;
    ++bars_read_;
    return FileBar{*bar, line.number};
  }
  return std::nullopt;
}

std::optional<core::Bar> KlineFileReader::ParseRow(const LineReader::Line& line) {
  std::array<std::string_view, kMaxColumns> fields;
  const std::size_t count = SplitFields(line.text, fields);
  if (layout_ == Layout::kUnknown) {
    if (count == kBinanceColumns) {
      layout_ = Layout::kBinance;
    } else if (count == 6 || count == 7) {
      layout_ = Layout::kSimple;
    } else {
      Report(line.number, IssueKind::kColumnCount,
             fmt::format("{} columns; expected 12 (Binance klines) or 6-7 "
                         "(open_time,open,high,low,close,volume[,quote_volume])",
                         count));
      return std::nullopt;
    }
    columns_ = count;
  }
  if (count != columns_) {
    Report(line.number, IssueKind::kColumnCount,
           fmt::format("{} columns; expected {} like the rest of the file", count, columns_));
    return std::nullopt;
  }

  // Integers first, then decimals; the first field that fails is reported.
  const auto integer = [&](std::size_t column) -> std::optional<std::int64_t> {
    std::optional<std::int64_t> value = ParseInt(fields[column]);
    if (!value) {
      Report(line.number, IssueKind::kNotNumeric,
             fmt::format("column {} ({}): {} is not an integer", column + 1,
                         ColumnName(layout_, column), Quoted(fields[column])));
    }
    return value;
  };
  const auto decimal = [&](std::size_t column, bool positive) -> std::optional<double> {
    std::optional<double> value = ParseDouble(fields[column]);
    if (!value) {
      Report(line.number, IssueKind::kNotNumeric,
             fmt::format("column {} ({}): {} is not a number", column + 1,
                         ColumnName(layout_, column), Quoted(fields[column])));
      return std::nullopt;
    }
    if (!std::isfinite(*value) || (positive ? *value <= 0 : *value < 0)) {
      Report(line.number, IssueKind::kBadValue,
             fmt::format("column {} ({}): {} must be {}", column + 1, ColumnName(layout_, column),
                         Quoted(fields[column]), positive ? "above 0" : "0 or more"));
      return std::nullopt;
    }
    return value;
  };

  core::Bar bar;
  bar.closed = true;
  const std::optional<std::int64_t> open_time = integer(0);
  if (!open_time) return std::nullopt;
  bar.open_time = ToMillis(*open_time);
  if (bar.open_time < 0) {
    Report(line.number, IssueKind::kBadValue,
           fmt::format("column 1 (open_time): {} is before 1970", *open_time));
    return std::nullopt;
  }
  if (interval_.BarOpenFor(bar.open_time) != bar.open_time) {
    Report(line.number, IssueKind::kBadValue,
           fmt::format("column 1 (open_time): {} is not the open time of a {} bar (wrong "
                       "interval, or a corrupt row)",
                       *open_time, interval_.Name()));
    return std::nullopt;
  }
  const core::Millis expected_close = interval_.BarCloseFor(bar.open_time);

  std::optional<double> values[5];
  for (std::size_t column = 1; column <= 5; ++column) {
    values[column - 1] = decimal(column, column <= 4);
    if (!values[column - 1]) return std::nullopt;
  }
  bar.open = *values[0];
  bar.high = *values[1];
  bar.low = *values[2];
  bar.close = *values[3];
  bar.volume = *values[4];

  if (layout_ == Layout::kBinance) {
    const std::optional<std::int64_t> close_time = integer(6);
    if (!close_time) return std::nullopt;
    bar.close_time = ToMillis(*close_time);
    const std::optional<double> quote_volume = decimal(7, false);
    if (!quote_volume) return std::nullopt;
    bar.quote_volume = *quote_volume;
    const std::optional<std::int64_t> trades = integer(8);
    if (!trades) return std::nullopt;
    bar.trades = *trades;
    if (bar.close_time != expected_close) {
      Report(line.number, IssueKind::kBadValue,
             fmt::format("close_time {} does not end a {} bar opening at {} (expected {})",
                         bar.close_time, interval_.Name(), bar.open_time, expected_close));
      return std::nullopt;
    }
  } else {
    bar.close_time = expected_close;
    if (columns_ == 7) {
      const std::optional<double> quote_volume = decimal(6, false);
      if (!quote_volume) return std::nullopt;
      bar.quote_volume = *quote_volume;
    } else {
      bar.quote_volume = bar.volume * bar.close;
    }
  }
  return bar;
}

}  // namespace scanner::replay
