#include "server/connection_pool.h"

#include <algorithm>
#include <utility>

namespace nmscds {

ConnectionPool::ConnectionPool(std::size_t max_threads) : max_threads_(std::max<std::size_t>(1, max_threads)) {}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::enqueue(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  if (!idle_.empty()) {
    Worker* worker = idle_.back();
    idle_.pop_back();
    worker->job = std::move(fn);
    worker->wake.notify_one();
  } else if (workers_.size() < max_threads_ && !stopping_) {
    auto worker = std::make_unique<Worker>();
    worker->job = std::move(fn);
    worker->thread = std::thread(&ConnectionPool::Loop, this, worker.get());
    workers_.push_back(std::move(worker));
  } else {
    backlog_.push_back(std::move(fn));
  }
}

void ConnectionPool::Loop(Worker* worker) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!worker->job && !backlog_.empty()) {
      worker->job = std::move(backlog_.front());
      backlog_.pop_front();
    }
    if (worker->job) {
      std::function<void()> job = std::move(worker->job);
      worker->job = nullptr;
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    idle_.push_back(worker);
    worker->wake.wait(lock, [&] { return worker->job != nullptr || stopping_; });
    if (!worker->job) {  // woken to stop while idle: leave the idle list
      idle_.erase(std::remove(idle_.begin(), idle_.end(), worker), idle_.end());
    }
  }
}

void ConnectionPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& worker : workers_) {
      worker->wake.notify_one();
      if (worker->thread.joinable()) threads.push_back(std::move(worker->thread));
    }
  }
  for (std::thread& t : threads) t.join();
}

std::size_t ConnectionPool::threads_started() const {
  std::lock_guard lock(mu_);
  return workers_.size();
}

std::size_t ConnectionPool::threads_idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

}  // namespace nmscds
