#pragma once
// The configuration a key falls back to when it is absent.

#include <cstddef>
#include <string_view>

#include "config/config.h"
#include "core/market.h"

namespace scanner::config {

// Binance's public endpoints and per-connection limits for the market.
inline constexpr std::string_view kSpotRestUrl = "https://api.binance.com";
inline constexpr std::string_view kSpotWsUrl = "wss://stream.binance.com:9443";
inline constexpr std::string_view kUsdmRestUrl = "https://fapi.binance.com";
// USDⓈ-M market data is served on the routed /market path; the bare host sends no klines.
inline constexpr std::string_view kUsdmWsUrl = "wss://fstream.binance.com/market";
// Binance's public data dumps (both markets; the path says which), for `download`.
inline constexpr std::string_view kVisionUrl = "https://data.binance.vision";
inline constexpr int kMaxStreamsPerConnection = 1024;  // Binance's hard cap on both markets
inline constexpr int kSpotMaxStreamsPerConnection = 1024;
inline constexpr int kUsdmMaxStreamsPerConnection = 200;  // sources disagree (1024|200): be safe
// Binance drops a connection above 5 (spot) or 10 (USDⓈ-M) messages per second; stay under.
inline constexpr int kSpotMessagesPerSecondLimit = 5;
inline constexpr int kUsdmMessagesPerSecondLimit = 10;
inline constexpr int kSpotDefaultMessagesPerSecond = 4;
inline constexpr int kUsdmDefaultMessagesPerSecond = 8;

// alerts.outcome.horizons: each at most this many bars after the alert's (an alert stays tracked
// until its last horizon), and at most this many horizons (each is a figure of the outcome line).
inline constexpr int kMaxOutcomeHorizon = 1000;
inline constexpr std::size_t kMaxOutcomeHorizons = 10;
// alerts.discord.chart.bars: enough to show the move's context, few enough to stay legible at
// 800 px (and to keep the windows small).
inline constexpr int kMinChartBars = 10;
inline constexpr int kMaxChartBars = 300;

// Every key at its default for `market` (config_keys.h). No secrets: webhook lists are empty.
Config DefaultConfig(core::Market market);

// The exclusive upper bound for streams.max_messages_per_second on `market`.
int MessagesPerSecondLimit(core::Market market);

}  // namespace scanner::config
