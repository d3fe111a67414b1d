#include "screen/line_chunks.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nmscds {

namespace {

constexpr std::size_t kExtendBlock = 64 * 1024;

// Appends up to `length` bytes at `offset`; returns the number read (0 at end of file), or -1.
ssize_t AppendAt(int fd, std::uint64_t offset, std::size_t length, ChunkBuffer& buffer) {
  const std::size_t old = buffer.size();
  buffer.resize(old + length);
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, buffer.data() + old + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      buffer.resize(old);
      return -1;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  buffer.resize(old + got);
  return static_cast<ssize_t>(got);
}

}  // namespace

std::vector<LineChunk> PlanChunks(const std::vector<std::uint64_t>& sizes, std::uint64_t target_bytes) {
  std::vector<LineChunk> chunks;
  if (target_bytes == 0) target_bytes = 1;
  for (std::size_t f = 0; f < sizes.size(); ++f) {
    for (std::uint64_t begin = 0; begin < sizes[f]; begin += target_bytes) {
      chunks.push_back(LineChunk{f, begin, std::min(sizes[f], begin + target_bytes)});
    }
  }
  return chunks;
}

Result<std::uint64_t> ReadChunkLines(int fd, const LineChunk& chunk, ChunkBuffer& buffer, std::size_t padding,
                                     const std::function<void(const ChunkLine&)>& on_line) {
  // The byte before `begin` tells whether a line starts exactly at `begin`.
  const std::uint64_t from = chunk.begin == 0 ? 0 : chunk.begin - 1;
  buffer.clear();
  if (AppendAt(fd, from, static_cast<std::size_t>(chunk.end - from), buffer) < 0) {
    return Error::Unreadable(std::strerror(errno));
  }
  // The last line that starts before `end` is read to its end.
  const bool at_eof = buffer.size() < chunk.end - from;
  while (!at_eof && !buffer.empty() && buffer.back() != '\n') {
    const std::size_t scanned = buffer.size();
    const ssize_t n = AppendAt(fd, from + scanned, kExtendBlock, buffer);
    if (n < 0) return Error::Unreadable(std::strerror(errno));
    if (n == 0) break;
    if (const void* nl = std::memchr(buffer.data() + scanned, '\n', static_cast<std::size_t>(n))) {
      buffer.resize(static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1);
      break;
    }
  }
  const std::size_t data_size = buffer.size();
  buffer.insert(buffer.end(), padding, '\0');  // simdjson reads up to `padding` bytes past the end of a document

  std::size_t cursor = 0;
  if (chunk.begin > 0) {  // skip the end of the line that started in the previous chunk
    const void* nl = std::memchr(buffer.data(), '\n', data_size);
    if (nl == nullptr) return std::uint64_t{0};
    cursor = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
  }
  const std::size_t owned_end = static_cast<std::size_t>(chunk.end - from);  // lines starting before this
  std::uint64_t count = 0;
  while (cursor < data_size && cursor < owned_end) {
    const void* nl = std::memchr(buffer.data() + cursor, '\n', data_size - cursor);
    const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) : data_size;
    std::size_t length = stop - cursor;
    if (length > 0 && buffer[cursor + length - 1] == '\r') --length;
    on_line(ChunkLine{std::string_view(buffer.data() + cursor, length), count, nl != nullptr});
    ++count;
    cursor = stop + 1;
  }
  return count;
}

std::vector<std::uint64_t> NumberLines(const std::vector<LineChunk>& chunks, const std::vector<std::uint64_t>& counts) {
  std::vector<std::uint64_t> first(chunks.size(), 1);
  for (std::size_t i = 1; i < chunks.size(); ++i) {
    if (chunks[i].file == chunks[i - 1].file) first[i] = first[i - 1] + counts[i - 1];
  }
  return first;
}

}  // namespace nmscds
