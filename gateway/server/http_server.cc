#include "gateway/server/http_server.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "base/json/json_writer.h"
#include "gateway/server/http_session.h"
#include "gateway/server/log.h"

namespace gw::server {

namespace asio = boost::asio;
using asio::ip::tcp;

void Worker::BeginShutdown() {
  shutting_down = true;
  timer_anchor.Stop();
  if (acceptor) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
  for (auto& connection : connections) {
    if (!connection.busy) connection.cancel.emit(asio::cancellation_type::terminal);
  }
}

void Worker::CancelAll() {
  shutting_down = true;
  for (auto& connection : connections) {
    // Only a response under way is cut at the socket: what it would write next (a chunk, a
    // keep-alive) must not hold the shutdown. A request without an answer yet keeps its socket
    // for the short 503 its handler sends once the cancellation reaches the upstream call.
    if (connection.socket != nullptr && connection.answering) {
      boost::system::error_code ignored;
      connection.socket->shutdown(tcp::socket::shutdown_both, ignored);
      connection.socket->close(ignored);
    }
    connection.cancel.emit(asio::cancellation_type::terminal);
  }
}

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

tcp::endpoint ResolveListen(const config::ListenAddress& listen) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(listen.host, ec);
  if (!ec) return {address, listen.port};
  asio::io_context io;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(listen.host, std::to_string(listen.port), ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen host \"" + listen.host + "\": " + ec.message());
  }
  return results.begin()->endpoint();
}

tcp::acceptor OpenAcceptor(asio::io_context& io, const tcp::endpoint& endpoint) {
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.set_option(ReusePort(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + ec.message());
  }
  return acceptor;
}

void SpawnSession(Worker& worker, tcp::socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto entry = worker.connections.emplace(worker.connections.end());
  asio::co_spawn(worker.io, RunSession(std::move(socket), worker, *entry),
                 asio::bind_cancellation_slot(
                     entry->cancel.slot(), [&worker, entry](std::exception_ptr error) {
                       worker.connections.erase(entry);
                       if (error) LogError(worker.service, "session ended by an exception");
                     }));
}

asio::awaitable<void> AcceptLoop(Worker& worker) {
  asio::steady_timer backoff(worker.io);
  while (!worker.shutting_down) {
    auto [ec, socket] = co_await worker.acceptor->async_accept(kNoThrow);
    if (worker.shutting_down) break;
    if (ec) {
      // Out of descriptors or a transient network error: wait a little instead of spinning.
      LogError(worker.service, "accept failed: " + ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    SpawnSession(worker, std::move(socket));
  }
}

}  // namespace

struct HttpServer::Impl {
  config::ServerConfig config;
  HandlerFactory factory;
  std::string service;
  std::optional<asio::ssl::context> tls;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::atomic<bool> accepting{false};
  bool stopped = false;

  std::mutex mutex;
  std::condition_variable all_done;
  int running = 0;

  void LoadTls();
  void LogListening() const;
  bool WaitForWorkers(std::chrono::milliseconds timeout);
};

void HttpServer::Impl::LoadTls() {
  if (!config.tls) return;
  tls.emplace(asio::ssl::context::tls_server);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  tls->use_certificate_chain_file(config.tls->cert_file, ec);
  if (ec) {
    throw std::runtime_error("cannot load TLS certificate " + config.tls->cert_file + ": " +
                             ec.message());
  }
  tls->use_private_key_file(config.tls->key_file, asio::ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("cannot load TLS key " + config.tls->key_file + ": " + ec.message());
  }
}

void HttpServer::Impl::LogListening() const {
  std::string line = "{\"event\":\"listening\",\"service\":";
  json::AppendJsonString(line, service);
  line.append(",\"host\":");
  json::AppendJsonString(line, config.listen.host);
  line.append(",\"port\":").append(std::to_string(port));
  line.append(",\"workers\":").append(std::to_string(workers.size()));
  line.append(",\"tls\":").append(tls ? "true" : "false").append("}");
  LogJsonLine(line);
}

bool HttpServer::Impl::WaitForWorkers(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex);
  return all_done.wait_for(lock, timeout, [this] { return running == 0; });
}

HttpServer::HttpServer(config::ServerConfig config, HandlerFactory factory,
                       std::string service_name)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->factory = std::move(factory);
  impl_->service = std::move(service_name);
}

HttpServer::~HttpServer() { Shutdown(std::chrono::milliseconds(0)); }

void HttpServer::Start() {
  Impl& impl = *impl_;
  impl.LoadTls();
  unsigned count = impl.config.workers;
  if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
  tcp::endpoint endpoint = ResolveListen(impl.config.listen);
  for (unsigned i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->config = &impl.config;
    worker->service = impl.service;
    worker->tls = impl.tls ? &*impl.tls : nullptr;
    worker->handler = impl.factory(worker->io, static_cast<int>(i));
    worker->acceptor.emplace(OpenAcceptor(worker->io, endpoint));
    // Port 0: the first listener picks the port, the others join it through SO_REUSEPORT.
    if (i == 0) endpoint.port(worker->acceptor->local_endpoint().port());
    impl.workers.push_back(std::move(worker));
  }
  impl.port = endpoint.port();
  impl.running = static_cast<int>(count);
  for (auto& worker_ptr : impl.workers) {
    Worker& worker = *worker_ptr;
    asio::co_spawn(worker.io, AcceptLoop(worker), [&worker](std::exception_ptr error) {
      if (error) LogError(worker.service, "accept loop ended by an exception");
    });
    worker.timer_anchor.Start([&worker] { worker.handler->Tick(); });
    impl.threads.emplace_back([&impl, &worker] {
      worker.io.run();
      std::lock_guard lock(impl.mutex);
      if (--impl.running == 0) impl.all_done.notify_all();
    });
  }
  impl.accepting = true;
  impl.LogListening();
}

uint16_t HttpServer::port() const { return impl_->port; }
int HttpServer::worker_count() const { return static_cast<int>(impl_->workers.size()); }
bool HttpServer::accepting() const { return impl_->accepting; }

void HttpServer::Shutdown(std::chrono::milliseconds grace) {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  impl.accepting = false;
  for (auto& worker : impl.workers) {
    asio::post(worker->io, [w = worker.get()] { w->BeginShutdown(); });
  }
  if (!impl.WaitForWorkers(grace)) {
    LogError(impl.service, "shutdown grace period over: cancelling the requests still running");
    for (auto& worker : impl.workers) {
      asio::post(worker->io, [w = worker.get()] { w->CancelAll(); });
    }
    if (!impl.WaitForWorkers(std::chrono::seconds(5))) {
      for (auto& worker : impl.workers) worker->io.stop();
    }
  }
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
  impl.workers.clear();
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a vanished peer is an error code, not a process kill
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

}  // namespace gw::server
