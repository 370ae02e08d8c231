// Runs one asynchronous operation while something else happens at a fixed interval: used to send
// SSE keep-alive comments to the client while a provider has not produced its first event.
// Worker thread only (the operation runs on the caller's executor).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

namespace gw::providers {

// Awaits `operation` (spawned on the current executor); every `interval` until it completes,
// awaits `on_tick`. When on_tick returns false (the client is gone), or when the caller is
// cancelled, the operation is cancelled (terminal) and still awaited, so it never outlives what
// it references. `operation` must not throw and its T must be default-constructible.
// interval <= 0 simply awaits the operation.
template <class T>
boost::asio::awaitable<T> AwaitWithTicks(boost::asio::awaitable<T> operation,
                                         std::chrono::milliseconds interval,
                                         std::function<boost::asio::awaitable<bool>()> on_tick) {
  namespace asio = boost::asio;
  if (interval.count() <= 0) {
    T result = co_await std::move(operation);
    co_return result;
  }
  struct State {
    explicit State(const asio::any_io_executor& executor) : tick(executor) {}
    asio::steady_timer tick;
    asio::cancellation_signal cancel;
    std::optional<T> result;
    std::exception_ptr error;
  };
  const auto executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<State>(executor);
  asio::co_spawn(executor, std::move(operation),
                 asio::bind_cancellation_slot(state->cancel.slot(),
                                              [state](std::exception_ptr error, T value) {
                                                state->error = error;
                                                state->result.emplace(std::move(value));
                                                state->tick.cancel();
                                              }));
  bool cancelled = false;
  while (!state->result) {
    state->tick.expires_after(interval);
    // Woken by the interval or by the operation's completion (which cancels the timer).
    const std::tuple<boost::system::error_code> woken =
        co_await state->tick.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)woken;
    if (state->result || cancelled) continue;
    const asio::cancellation_state caller = co_await asio::this_coro::cancellation_state;
    bool client_there = caller.cancelled() == asio::cancellation_type::none;
    if (client_there) {
      const bool delivered = co_await on_tick();
      client_there = delivered;
    }
    if (!client_there) {
      cancelled = true;
      state->cancel.emit(asio::cancellation_type::terminal);
    }
  }
  if (state->error) std::rethrow_exception(state->error);
  co_return std::move(*state->result);
}

}  // namespace gw::providers
