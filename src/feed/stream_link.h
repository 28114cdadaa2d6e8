#pragma once
// StreamLink: ONE WebSocket session (one run) of a combined-stream connection and its Binance
// protocol state. A reconnect or a rotation makes a new StreamLink (and so a new session and a
// new Beast stream); a link never reconnects.
//
// - Opens `<ws_url>/stream?streams=...` with the leading streams that fit max_url_bytes, and
//   SUBSCRIBEs the rest once the session is streaming. SetStreams() later brings the link to a
//   new stream set with SUBSCRIBE / UNSUBSCRIBE messages of at most max_streams_per_message
//   params each; a change still queued is cancelled instead of being sent and reverted.
// - Control messages leave only through Service(), only while streaming, and only when the
//   MessagePacer allows, with the session's pongs counted in the same window. Each carries a
//   fresh id; its reply ({"result":null,"id":N} or an error) is matched and counted; an error
//   without an id answers the oldest request awaiting one (Binance answers in order, and its
//   futures streams refuse without an id). A request without a reply after reply_timeout makes
//   ReplyOverdue() true (the owner reconnects).
// - A refused SUBSCRIBE (an invalid stream, too many streams) is not the end of it: its streams
//   are kept in refused() and sent again after a jittered backoff (resubscribe_backoff, reset
//   once every refused stream is accepted), a refused batch split in halves each time, so that
//   one bad stream cannot keep the others of its batch out. Streams no longer wanted are
//   forgotten; a stream is never UNSUBSCRIBEd unless it may have been subscribed.
// - Every text frame goes through the connection's StreamParser: klines and tickers go straight
//   to the sink (the hot path: no allocation, no logging), and feed the no-data Watchdog.
// - State for the owner: streaming, first data, ready (data flowing and every first SUBSCRIBE
//   answered, accepted or refused), serverShutdown notice, closed (with the session's close
//   info), the refused streams. Changes worth a decision are signalled through sink.on_change,
//   which must not destroy the link inline (the pool runs its decisions in a posted service
//   pass).
//
// Threading: the io_context thread only. Lifetime: the parser, sink, clock and TLS context must
// outlive the link; the session may outlive it (a graceful Close() finishes on its own) and then
// reports to nobody.

#include <spdlog/logger.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "binance/stream_parser.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/error.h"
#include "feed/message_pacer.h"
#include "feed/stream_watchdog.h"
#include "net/websocket_session.h"

namespace scanner::feed {

struct StreamLinkOptions {
  std::string ws_url;  // base: wss://stream.binance.com:9443 or wss://fstream.binance.com/market
  std::size_t max_url_bytes = 2048;
  std::size_t max_streams_per_message = 100;  // params per SUBSCRIBE / UNSUBSCRIBE
  int max_messages_per_second = 4;            // incl. pongs (see MessagePacer)
  core::Millis pacer_window = 1100;           // 1 s plus a margin for network jitter
  core::Millis stale_after = 90 * core::kSecond;
  core::Millis reply_timeout = 10 * core::kSecond;
  // Delay before a refused SUBSCRIBE is sent again (one delay per round of retries).
  core::BackoffPolicy resubscribe_backoff{
      .initial = 2 * core::kSecond, .max = 5 * core::kMinute, .multiplier = 2.0, .jitter = 0.5};
  net::WsOptions ws{};
};

// Where a link delivers. The functions must outlive the link.
struct StreamLinkSink {
  // Every text frame as received, before parsing (recording); empty: none.
  std::function<void(std::string_view frame)> on_frame;
  std::function<void(const binance::KlineEvent&)> on_kline;
  std::function<void(const binance::TickerEvent&)> on_ticker;
  std::function<void()> on_change;
};

struct StreamLinkCounters {
  std::uint64_t control_messages = 0;    // SUBSCRIBE / UNSUBSCRIBE sent
  std::uint64_t acks = 0;                // {"result":null,"id":N} matched to a request
  std::uint64_t control_errors = 0;      // error replies, and replies to no request of ours
  std::uint64_t refused_subscribes = 0;  // SUBSCRIBE requests Binance refused (of control_errors)
  std::uint64_t resubscribes = 0;        // SUBSCRIBE messages sent again after a refusal
};

class StreamLink : public binance::StreamHandler {
 public:
  // Creates the session and starts it. `streams` must not be empty.
  static core::Result<std::unique_ptr<StreamLink>> Open(
      boost::asio::any_io_executor executor, boost::asio::ssl::context* tls,
      const core::Clock& clock, std::shared_ptr<spdlog::logger> logger,
      const StreamLinkOptions& options, const std::vector<std::string>& streams,
      binance::StreamParser& parser, const StreamLinkSink& sink, std::string name);

  StreamLink(const StreamLink&) = delete;
  StreamLink& operator=(const StreamLink&) = delete;
  // Stops the session unless Close() already ended it gracefully.
  ~StreamLink() override;

  // Brings the subscriptions to `streams` (queued; sent by Service()).
  void SetStreams(const std::vector<std::string>& streams);
  // Sends the control messages the pacer allows at `now`; returns the next time it needs a
  // pass (a pacing slot or a reply deadline), Watchdog::kNever when none.
  core::Millis Service(core::Millis now);

  // Graceful close (close frame); the link is then finished for its owner.
  void Close();
  // Immediate stop.
  void Stop();

  bool streaming() const { return streaming_ && !closed_; }
  bool closed() const { return closed_; }
  const net::WsCloseInfo& close_info() const { return close_info_; }
  bool has_data() const { return has_data_; }
  // Data flows and every stream's first SUBSCRIBE has been sent and answered (a refused stream
  // counts as answered: its retries do not hold the link back).
  bool ready() const;
  // Streams Binance refused to SUBSCRIBE on this link and that are still wanted and not
  // subscribed: stream -> when first refused. No data comes for them until a retry succeeds.
  const std::map<std::string, core::Millis>& refused() const { return refused_; }
  bool shutdown_notice() const { return shutdown_notice_; }
  core::Millis opened_at() const { return opened_at_; }
  core::Millis connected_at() const { return connected_at_; }  // 0 before streaming
  bool Stale(core::Millis now) const { return streaming() && watchdog_.Tripped(now); }
  core::Millis WatchdogDeadline() const {
    return streaming() ? watchdog_.Deadline() : Watchdog::kNever;
  }
  bool ReplyOverdue(core::Millis now) const;
  std::uint64_t pongs() const { return session_->stats().pongs_out; }
  const StreamLinkCounters& counters() const { return counters_; }
  const std::string& name() const { return name_; }

  // StreamHandler (called by the parser).
  void OnKline(const binance::KlineEvent& event) override;
  void OnTicker(const binance::TickerEvent& event) override;
  void OnControlReply(const binance::ControlReply& reply) override;
  void OnServerShutdown(core::Millis event_time) override;

 private:
  enum class Method { kSubscribe, kUnsubscribe };
  struct Queued {
    Method method;
    std::vector<std::string> streams;
    bool retry = false;  // a refused SUBSCRIBE sent again (never merged with new streams)
  };
  struct Awaiting {
    Method method;
    std::vector<std::string> streams;
    core::Millis sent_at = 0;
    bool retry = false;
  };

  StreamLink(const core::Clock& clock, std::shared_ptr<spdlog::logger> logger,
             const StreamLinkOptions& options, binance::StreamParser& parser,
             const StreamLinkSink& sink, std::string name);

  void OnMessage(std::string_view frame);
  void OnState(net::WsState state);
  void OnClosed(const net::WsCloseInfo& info);
  void Enqueue(Method method, std::string stream);
  // Drops `stream` from a queued message of `method`; true when it was there.
  bool Unqueue(Method method, const std::string& stream);
  void SendFront(core::Millis now);
  void MarkData();
  // Binance refused `request`: its streams still wanted wait for the next round of retries.
  void OnRefused(Awaiting request, const binance::ControlReply& reply, core::Millis now);
  // Binance accepted `request`.
  void OnAccepted(const Awaiting& request);
  // Queues the refused batches still wanted, each split in halves.
  void Resubscribe();
  // A SUBSCRIBE carrying `stream` awaits its reply.
  bool AwaitingSubscribe(const std::string& stream) const;

  const core::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  const StreamLinkOptions& options_;
  binance::StreamParser& parser_;
  const StreamLinkSink& sink_;
  const std::string name_;

  std::shared_ptr<net::WebSocketSession> session_;
  // Held weakly by the session's callbacks: they do nothing once the link is gone.
  std::shared_ptr<StreamLink*> self_;
  MessagePacer pacer_;
  Watchdog watchdog_;
  std::set<std::string> requested_;  // in the URL, or SUBSCRIBEd (queued or sent), not dropped
  std::deque<Queued> queue_;
  std::map<std::int64_t, Awaiting> awaiting_;
  std::map<std::string, core::Millis> refused_;     // see refused()
  std::vector<std::vector<std::string>> to_retry_;  // refused batches, for the next round
  core::Millis resubscribe_at_ = Watchdog::kNever;  // the next round, kNever: none due
  core::Backoff resubscribe_backoff_;
  std::int64_t next_id_ = 1;
  core::Millis opened_at_ = 0;
  core::Millis connected_at_ = 0;
  bool streaming_ = false;
  bool closed_ = false;
  bool closing_ = false;
  bool has_data_ = false;
  bool shutdown_notice_ = false;
  net::WsCloseInfo close_info_;
  StreamLinkCounters counters_;
};

}  // namespace scanner::feed
