#pragma once
// A small streaming JSON writer with the exact layout of interfaces.md §5.1: member order as written,
// minimal string escaping, numbers as shortest decimals, 2-space indentation with "": "" and empty
// containers as [] / {} (pretty), or no insignificant whitespace (compact).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nmscds/fixed.h"

namespace nmscds {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty) : pretty_(pretty) { out_.reserve(16 * 1024); }

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Number(Fixed value, int max_decimals = 6);
  void Int(std::int64_t value);
  void Bool(bool value);

  // Convenience: Key + value.
  void Member(std::string_view key, std::string_view value) { Key(key), String(value); }
  void Member(std::string_view key, const char* value) { Key(key), String(value); }
  void Member(std::string_view key, const std::string& value) { Key(key), String(value); }
  void MemberInt(std::string_view key, std::int64_t value) { Key(key), Int(value); }
  void MemberBool(std::string_view key, bool value) { Key(key), Bool(value); }
  void MemberNumber(std::string_view key, Fixed value) { Key(key), Number(value); }

  // The document; the pretty layout ends with a newline.
  std::string Finish();

 private:
  void BeforeValue();
  void Indent();
  std::string out_;
  std::vector<bool> has_elements_;  // one per open container
  bool pretty_;
  bool after_key_ = false;
};

// Appends `s` as a JSON string literal (with quotes) to `out`.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace nmscds
