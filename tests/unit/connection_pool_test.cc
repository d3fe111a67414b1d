// The HTTP connection pool (src/server/connection_pool.h): threads on demand up to the maximum, the most
// recently idle thread reused first, a backlog when every thread is busy, and a shutdown that drains it.
#include "server/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

namespace nmscds {
namespace {

// Waits (at most 5 s) until `done` reaches `n`.
void WaitFor(const std::atomic<int>& done, int n) {
  for (int i = 0; i < 5000 && done.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(ConnectionPool, SequentialConnectionsReuseOneThread) {
  ConnectionPool pool(8);
  std::set<std::thread::id> ids;
  for (int i = 0; i < 20; ++i) {
    std::promise<std::thread::id> ran;
    pool.enqueue([&ran] { ran.set_value(std::this_thread::get_id()); });
    ids.insert(ran.get_future().get());
    // the connection is over once its thread is back on the idle list
    for (int wait = 0; wait < 5000 && pool.threads_idle() == 0; ++wait) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ASSERT_EQ(pool.threads_idle(), 1u);
  }
  EXPECT_EQ(pool.threads_started(), 1u);
  EXPECT_EQ(ids.size(), 1u);
}

TEST(ConnectionPool, NeverMoreThreadsThanTheMaximumAndQueuedJobsRunLater) {
  ConnectionPool pool(3);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    pool.enqueue([gate, &done] {
      gate.wait();
      ++done;
    });
  }
  EXPECT_EQ(pool.threads_started(), 3u);
  EXPECT_EQ(done.load(), 0);
  release.set_value();
  WaitFor(done, 10);
  EXPECT_EQ(done.load(), 10);
  EXPECT_EQ(pool.threads_started(), 3u);
}

TEST(ConnectionPool, ShutdownRunsWhatIsQueuedThenJoins) {
  std::atomic<int> done{0};
  {
    ConnectionPool pool(1);
    for (int i = 0; i < 5; ++i) {
      pool.enqueue([&done] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ++done;
      });
    }
    pool.shutdown();
    EXPECT_EQ(done.load(), 5);
    pool.shutdown();  // idempotent; the destructor calls it once more
  }
  EXPECT_EQ(done.load(), 5);
}

TEST(ConnectionPool, IdleThreadsStopOnShutdown) {
  ConnectionPool pool(4);
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) pool.enqueue([&done] { ++done; });
  WaitFor(done, 4);
  pool.shutdown();  // returns: every idle thread was woken and joined
  EXPECT_EQ(done.load(), 4);
}

}  // namespace
}  // namespace nmscds
