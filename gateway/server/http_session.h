// Runs one accepted client connection (hop 2 of the data path): reads requests with deadlines
// and size limits, hands each to the worker's RequestHandler, writes the answers, keeps the
// connection alive between requests, writes the access log. Worker thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "gateway/server/worker.h"

namespace gw::server {

// `connection` is the session's entry in worker.connections; the session erases nothing, the
// caller removes the entry when the returned awaitable completes.
boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket, Worker& worker,
                                        LiveConnection& connection);

}  // namespace gw::server
