#ifndef NMSCDS_COMMON_SORT_H_
#define NMSCDS_COMMON_SORT_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace nmscds {

// Stable sort of heavy records (report items holding strings and vectors) by a key computed once per record.
// std::stable_sort on the records would recompute the key in every comparison and move each record
// O(n log n) times; here the keys are sorted with the index as tie-break, and each record moves at most once.
// `key(record)` may return views into the record: they are used only before any record moves.
template <typename T, typename KeyFn>
void StableSortByKey(std::vector<T>& records, KeyFn key) {
  using Key = decltype(key(records.front()));
  std::vector<std::pair<Key, std::uint32_t>> keys;
  keys.reserve(records.size());
  for (std::uint32_t i = 0; i < records.size(); ++i) keys.emplace_back(key(records[i]), i);
  if (std::is_sorted(keys.begin(), keys.end())) return;
  std::sort(keys.begin(), keys.end());
  std::vector<T> sorted;
  sorted.reserve(records.size());
  for (const auto& k : keys) sorted.push_back(std::move(records[k.second]));
  records.swap(sorted);
}

}  // namespace nmscds

#endif  // NMSCDS_COMMON_SORT_H_
