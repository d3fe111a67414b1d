#pragma once
// The threads that serve HTTP connections (a cpp-httplib TaskQueue): started on demand up to a maximum, and
// the most recently idle thread takes the next connection.
//
// Why not httplib::ThreadPool: it starts every thread up front and wakes them in turn, so under steady load
// each of the --max-concurrent + overflow threads (72 by default) ends up holding its own allocator heap
// (~1 MB each): resident memory keeps climbing for minutes on a service that needs a handful of threads.
// Last-in-first-out reuse keeps the memory and the caches proportional to the concurrency actually seen.
#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace nmscds {

class ConnectionPool : public httplib::TaskQueue {
 public:
  explicit ConnectionPool(std::size_t max_threads);
  ~ConnectionPool() override;

  // Runs `fn` on an idle thread (the most recent), a new one below the maximum, or else queues it.
  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then stops and joins every thread. Idempotent.
  void shutdown() override;

  std::size_t threads_started() const;
  std::size_t threads_idle() const;

 private:
  struct Worker {
    std::condition_variable wake;
    std::function<void()> job;
    std::thread thread;
  };
  void Loop(Worker* worker);

  const std::size_t max_threads_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;                  // the back is the most recently idle
  std::deque<std::function<void()>> backlog_;  // every thread busy
  bool stopping_ = false;
};

}  // namespace nmscds
