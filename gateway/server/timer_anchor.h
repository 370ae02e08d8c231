// Keeps one timer of a worker's io_context always due within kPeriod, so that the deadlines of
// reads and writes (seconds away) are never the earliest timer: Asio re-arms its timerfd (one
// timerfd_settime syscall) whenever a newly started wait becomes the earliest, which on a
// lightly loaded worker is every read and write. Costs one wake-up per period, which also runs
// the worker's periodic `on_tick` work. Worker thread only (Start before the worker runs, Stop
// from its thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

namespace gw::server {

class TimerAnchor {
 public:
  static constexpr std::chrono::milliseconds kPeriod{250};

  explicit TimerAnchor(boost::asio::io_context& io) : timer_(io) {}

  // `on_tick` (may be empty) runs on the worker's thread at every period.
  void Start(std::function<void()> on_tick = {}) {
    on_tick_ = std::move(on_tick);
    Arm();
  }
  // Ends the cycle (the io_context can then run out of work and return).
  void Stop() {
    stopped_ = true;
    timer_.cancel();
  }

 private:
  void Arm() {
    if (stopped_) return;
    timer_.expires_after(kPeriod);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_) return;
      if (on_tick_) on_tick_();
      Arm();
    });
  }

  boost::asio::steady_timer timer_;
  std::function<void()> on_tick_;
  bool stopped_ = false;
};

}  // namespace gw::server
