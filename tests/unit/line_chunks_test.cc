// NDJSON chunking for the screen (src/screen/line_chunks.h): every line is read once, whole, in order, with
// its absolute number, whatever the chunk size; blank lines, CRLF and an unterminated last line included.
#include "screen/line_chunks.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "test_util.h"

namespace nmscds {
namespace {

struct ReadLine {
  std::string bytes;
  std::uint64_t number = 0;
  bool terminated = true;
};

// Reads `paths` chunk by chunk and numbers the lines as the screen does.
std::vector<std::vector<ReadLine>> ReadAll(const std::vector<std::string>& paths, std::uint64_t chunk_bytes) {
  std::vector<std::uint64_t> sizes;
  for (const std::string& p : paths) sizes.push_back(testing::ReadFile(p).size());
  const std::vector<LineChunk> chunks = PlanChunks(sizes, chunk_bytes);
  std::vector<std::vector<ReadLine>> per_chunk(chunks.size());
  std::vector<std::uint64_t> counts(chunks.size());
  ChunkBuffer buffer;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const int fd = ::open(paths[chunks[i].file].c_str(), O_RDONLY);
    auto n = ReadChunkLines(fd, chunks[i], buffer, 64, [&](const ChunkLine& line) {
      EXPECT_EQ(line.index_in_chunk, per_chunk[i].size());
      // the padding after the line is readable (simdjson reads past the end of a document)
      EXPECT_GE(buffer.size(), static_cast<std::size_t>(line.bytes.data() - buffer.data()) + line.bytes.size() + 64);
      per_chunk[i].push_back(ReadLine{std::string(line.bytes), 0, line.terminated});
    });
    ::close(fd);
    EXPECT_TRUE(n.ok());
    counts[i] = n.ok() ? *n : 0;
  }
  const std::vector<std::uint64_t> first = NumberLines(chunks, counts);
  std::vector<std::vector<ReadLine>> per_file(paths.size());
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    for (std::size_t k = 0; k < per_chunk[i].size(); ++k) {
      per_chunk[i][k].number = first[i] + k;
      per_file[chunks[i].file].push_back(per_chunk[i][k]);
    }
  }
  return per_file;
}

// The lines of `text` as a reader expects them: split at '\n', a trailing '\r' removed, the last line
// unterminated when the text does not end with '\n'.
std::vector<ReadLine> Expected(const std::string& text) {
  std::vector<ReadLine> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::size_t stop = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(start, stop - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(ReadLine{line, lines.size() + 1, nl != std::string::npos});
    start = stop + 1;
  }
  return lines;
}

TEST(LineChunks, EveryLineOnceWholeAndNumberedForAnyChunkSize) {
  std::mt19937 rng(7);
  const std::string dir = testing::MakeTempDir("chunks");
  std::vector<std::string> paths, texts;
  for (int f = 0; f < 4; ++f) {
    std::string text;
    const int lines = f == 3 ? 0 : 40;  // file 3 is empty
    for (int i = 0; i < lines; ++i) {
      const int length = static_cast<int>(rng() % 30);  // blank lines included
      for (int k = 0; k < length; ++k) text += static_cast<char>('a' + rng() % 26);
      text += (rng() % 5 == 0) ? "\r\n" : "\n";
    }
    if (f == 1) text += R"({"resourceType":"Observation","id":"trunc)";  // truncated last line
    paths.push_back(dir + "/f" + std::to_string(f) + ".ndjson");
    texts.push_back(text);
    testing::WriteFile(paths.back(), text);
  }
  for (std::uint64_t chunk : {1u, 2u, 3u, 7u, 16u, 31u, 64u, 1000u, 1u << 20}) {
    const auto got = ReadAll(paths, chunk);
    for (std::size_t f = 0; f < paths.size(); ++f) {
      const auto want = Expected(texts[f]);
      ASSERT_EQ(got[f].size(), want.size()) << "file " << f << " chunk " << chunk;
      for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got[f][i].bytes, want[i].bytes) << "file " << f << " line " << i << " chunk " << chunk;
        EXPECT_EQ(got[f][i].number, want[i].number);
        EXPECT_EQ(got[f][i].terminated, want[i].terminated);
      }
    }
  }
}

TEST(LineChunks, EmptyFileHasNoChunk) {
  EXPECT_TRUE(PlanChunks({0}, 1024).empty());
  const auto chunks = PlanChunks({0, 10, 0, 25}, 10);
  ASSERT_EQ(chunks.size(), 4u);  // file 1: one chunk; file 3: three
  EXPECT_EQ(chunks[0].file, 1u);
  EXPECT_EQ(chunks[3].end, 25u);
}

TEST(LineChunks, UnreadableDescriptorIsAnError) {
  ChunkBuffer buffer;
  auto n = ReadChunkLines(-1, LineChunk{0, 0, 10}, buffer, 64, [](const ChunkLine&) {});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().kind, ErrorKind::kUnreadable);
}

}  // namespace
}  // namespace nmscds
