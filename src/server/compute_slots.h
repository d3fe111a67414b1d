#pragma once
// Bounds the CPU-bound part of requests (FHIR mapping, engine, cards) to `serve --threads` at once.
//
// Why a gate apart from the HTTP thread pool: cpp-httplib holds one pool thread per open connection, also
// while a keep-alive connection sits idle or a request waits for its FHIR server. Sizing that pool to the
// hardware threads would let two idle EHR connections starve every other caller, so the pool is sized to
// --max-concurrent (plus room to answer 503), and this gate keeps the assessments themselves to --threads.
#include <chrono>
#include <semaphore>

namespace nmscds {

class ComputeSlots {
 public:
  explicit ComputeSlots(int slots) : free_(slots) {}
  ComputeSlots(const ComputeSlots&) = delete;
  ComputeSlots& operator=(const ComputeSlots&) = delete;

  // Holds one slot for its lifetime; `held()` is false when none came free before the deadline.
  class Slot {
   public:
    Slot(ComputeSlots& owner, std::chrono::steady_clock::time_point deadline)
        : owner_(owner), held_(owner.free_.try_acquire_until(deadline)) {}
    ~Slot() {
      if (held_) owner_.free_.release();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    bool held() const { return held_; }

   private:
    ComputeSlots& owner_;
    bool held_;
  };

 private:
  std::counting_semaphore<4096> free_;
};

}  // namespace nmscds
