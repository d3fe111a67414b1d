#pragma once
// The accept queue of a cpp-httplib server.
//
// Why: Debian's cpp-httplib is built with CPPHTTPLIB_LISTEN_BACKLOG 5, so a burst of more than five
// connections (an EHR's parallel calls, or our own parallel prefetch fetches against a test FHIR server) has
// its SYNs dropped and waits out a 1 s retransmission: longer than the whole 500 ms budget. On Linux a
// second listen() on a listening socket resizes its queue, which is what Raise() does.
#include <httplib.h>

#include <memory>

namespace nmscds {

class ListenBacklog {
 public:
  // Installs socket options (SO_REUSEADDR) that also record the listening socket.
  explicit ListenBacklog(httplib::Server& http);
  // After bind: the accept queue becomes SOMAXCONN. False when no listening socket was recorded.
  bool Raise() const;

 private:
  std::shared_ptr<int> fd_ = std::make_shared<int>(-1);
};

}  // namespace nmscds
