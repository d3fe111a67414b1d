#include "server/listen_backlog.h"

#include <sys/socket.h>

namespace nmscds {

ListenBacklog::ListenBacklog(httplib::Server& http) {
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second `serve` share the
  // port silently instead of failing with "in use". The last socket recorded is the one that bound.
  http.set_socket_options([fd = fd_](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    *fd = sock;
  });
}

bool ListenBacklog::Raise() const { return *fd_ >= 0 && ::listen(*fd_, SOMAXCONN) == 0; }

}  // namespace nmscds
