#!/usr/bin/env bash
# The calibration of the default thresholds: replays the real Binance candles of ../shared/data
# at the default settings (config/default.yaml) and prints the outcome report of each period --
# alerts and messages per symbol-day per interval, median outcomes. The README's calibration
# table comes from this script.
#
#   bench/calibration.sh [BINARY] [CONFIG]    (defaults: build/momentum-scanner, config/default.yaml)
#
# Two regimes, as the defaults must hold in both:
#   busy  klines/2021-04: 12 USDT pairs, 2021-04-02 .. 2021-05-14, 1m (5m, 15m, 1h made from it)
#   calm  ohlcv/*_2018:   BTCUSDT and ETHUSDT, 1000 bars of each interval ending 2018-06-18
# Replay reads the symbol and interval from a file's name (SYMBOL-INTERVAL-YYYY-MM.csv), so the
# files are linked under such names into a scratch folder first.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$here/build/momentum-scanner}"
config="${2:-$here/config/default.yaml}"
data="${SCANNER_SHARED_DATA:-$here/../shared/data}"
intervals=(1m 5m 15m 1h)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/busy" "$scratch/calm"
for file in "$data"/klines/2021-04/*_2021-04.csv; do
  name="$(basename "$file" .csv)"               # BTCUSDT_1m_2021-04
  IFS=_ read -r symbol interval month <<<"$name"
  [[ " ${intervals[*]} " == *" $interval "* ]] && ln -s "$file" "$scratch/busy/$symbol-$interval-$month.csv"
done
for symbol in BTCUSDT ETHUSDT; do
  for interval in "${intervals[@]}"; do
    ln -s "$data/ohlcv/${symbol}_${interval}_2018.csv" "$scratch/calm/$symbol-$interval-2018-06.csv"
  done
done

for period in busy calm; do
  echo "== $period: $(ls "$scratch/$period" | wc -l) series"
  "$binary" replay --config "$config" "$scratch/$period"/*.csv 2>&1 >/dev/null |
    sed -n '/^alerts:/p; /^outcomes:/,$p'
done
