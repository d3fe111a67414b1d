#pragma once
// NDJSON files cut into chunks that threads scan independently (doc/screen.md, "Scan").
//
// A chunk owns the lines whose first byte lies in its nominal byte range [begin, end): a line that crosses
// `end` belongs to this chunk and is read to its end, and the next chunk skips its partial first line. So
// every line is read exactly once, whole, by one chunk, whatever the chunk size. Line numbers are counted
// per chunk; the absolute number of a chunk's first line is the sum of the line counts of the chunks before
// it in the same file, known once they are all read (see NumberLines).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nmscds/status.h"

namespace nmscds {

struct LineChunk {
  std::size_t file = 0;  // index into the file list
  std::uint64_t begin = 0, end = 0;
};

// Chunks of about `target_bytes` for each file (`sizes[i]` bytes); an empty file has no chunk.
std::vector<LineChunk> PlanChunks(const std::vector<std::uint64_t>& sizes, std::uint64_t target_bytes);

// One line of a chunk: its bytes (without the line end; a trailing '\r' is removed), its 0-based number
// within the chunk, and whether it ended with '\n' (false only for a last line cut short at end of file).
struct ChunkLine {
  std::string_view bytes;
  std::uint64_t index_in_chunk = 0;
  bool terminated = true;
};

// The bytes of a chunk. Growing it leaves the new bytes uninitialised, since they are read into at once:
// zero-filling every chunk first cost 3 % of the screen's instructions.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  explicit UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialisation: no zeroing
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using ChunkBuffer = std::vector<char, UninitializedAllocator<char>>;

// Reads the lines of `chunk` from the open file descriptor `fd` into `buffer` (reused between calls; it keeps
// simdjson's padding after every line) and calls `on_line` for each, blank lines included. Returns the
// number of lines of the chunk, or an Error when the file cannot be read.
Result<std::uint64_t> ReadChunkLines(int fd, const LineChunk& chunk, ChunkBuffer& buffer,
                                     std::size_t padding, const std::function<void(const ChunkLine&)>& on_line);

// Absolute 1-based number of the first line of every chunk, from the per-chunk line counts (chunks in
// PlanChunks order).
std::vector<std::uint64_t> NumberLines(const std::vector<LineChunk>& chunks, const std::vector<std::uint64_t>& counts);

}  // namespace nmscds
