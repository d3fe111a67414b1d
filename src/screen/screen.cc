// `nmscds screen` (screen.h): input listing, the two passes, the §10 lines.
#include "screen/screen.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/json_writer.h"
#include "nmscds_version.h"
#include "engine/engine.h"
#include "fhir/fhir_json.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"
#include "screen/scan.h"

namespace nmscds {

namespace {

namespace fs = std::filesystem;

// §5.8 order of the decision codes (by_decision).
constexpr std::string_view kDecisions[] = {"malignant_hyperthermia_protocol", "not_applicable", "contraindicated",
                                           "not_indicated", "insufficient_data", "consider"};
constexpr std::size_t kPatientsPerBlock = 64;

Error CannotRead(const std::string& path, const std::string& why) { return Error::Unreadable(path + ": " + why); }

// An open file; closed on destruction.
struct Fd {
  int fd = -1;
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The type of a file (§7.3): the resourceType of its first non-empty line. When that line is not readable
// (it is reported as malformed by the scan), the first readable line's type is used, up to kTypeProbeLines
// lines; "" when no line names a type (every non-empty line is then malformed) or the file has none.
constexpr int kTypeProbeLines = 1000;
Result<std::string> FileType(int fd, const std::string& path, std::uint64_t size) {
  simdjson::dom::parser parser;
  std::string pending;  // the current line so far
  int probed = 0;
  auto probe = [&](std::string_view line) -> std::optional<std::string> {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return std::nullopt;
    ++probed;
    simdjson::dom::object obj;
    if (parser.parse(line.data(), line.size(), true).get(obj) != simdjson::SUCCESS) return std::nullopt;
    std::string_view type = fhir::StringMember(obj, "resourceType");
    if (type.empty()) return std::nullopt;
    return std::string(type);
  };
  char buf[65536];
  for (std::uint64_t offset = 0; offset < size && probed < kTypeProbeLines;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(offset));
    if (n < 0) return CannotRead(path, std::strerror(errno));
    if (n == 0) break;
    offset += static_cast<std::uint64_t>(n);
    std::string_view block(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = block.find('\n')) != std::string_view::npos && probed < kTypeProbeLines;) {
      pending.append(block.substr(0, nl));
      if (auto type = probe(pending)) return *type;
      pending.clear();
      block.remove_prefix(nl + 1);
    }
    pending.append(block);
  }
  if (probed < kTypeProbeLines) {
    if (auto type = probe(pending)) return *type;  // a last line without a line end
  }
  return std::string();
}

// What pass 2 produces for a block of patients, written in block order by the calling thread.
struct BlockResult {
  std::string out;
  std::vector<std::string> diagnostics;
  ScreenSummary counts;  // the patient and decision counts of the block
  std::array<std::uint64_t, std::size(kDecisions)> decisions{};
  bool done = false;
};

// A patient of pass 2: its records, grouped (GroupShard).
struct PatientRef {
  std::string_view id;
  const PatientRecord* begin = nullptr;
  const PatientRecord* end = nullptr;
  std::uint32_t data_errors = 0;
  bool recent = false;
};

// Everything pass 2 reads (shared, read-only).
struct AssessContext {
  const KnowledgeBase* kb;
  const ScreenOptions* options;
  const std::vector<ScreenInput::File>* files;
  const std::vector<LineChunk>* chunks;
  const std::vector<std::uint64_t>* first_line;  // absolute number of each chunk's first line
  const std::unordered_map<std::string, KeptLine>* medications;
  bool medication_files = false;
  const std::function<void(const Report&)>& on_report;
};

std::string Location(const AssessContext& a, const KeptLine& k) {
  const LineChunk& c = (*a.chunks)[k.chunk];
  return fmt::format("{}:{}", (*a.files)[c.file].path, (*a.first_line)[k.chunk] + k.index);
}

// One patient through the FHIR mapping and the engine; appends its §10 line when it is written.
void AssessPatient(const AssessContext& a, const PatientRef& p, simdjson::dom::parser& parser, std::string& buffer,
                   PatientScan& scan, BlockResult& block) {
  ReadPatientRecords(p.begin, p.end, scan);  // in file then line order
  std::vector<KeptLine>& lines = scan.lines;
  const std::vector<MappedLine>& mapped = scan.mapped;
  const std::size_t own_lines = lines.size();
  // The Medication resources its medications reference (each once).
  std::unordered_set<std::string_view> seen;
  for (std::string_view id : scan.medication_refs) {
    if (!seen.insert(id).second) continue;
    auto it = a.medications->find(std::string(id));
    if (it != a.medications->end()) lines.push_back(it->second);
  }
  buffer.clear();
  buffer.push_back('[');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) buffer.push_back(',');
    buffer.append(lines[i].bytes);
  }
  buffer.push_back(']');
  const std::size_t length = buffer.size();
  buffer.resize(length + simdjson::SIMDJSON_PADDING);
  simdjson::dom::array resources;
  if (parser.parse(buffer.data(), length, false).get(resources) != simdjson::SUCCESS) {
    // Every line was parsed alone in pass 1: a failure here is ours.
    ++block.counts.patients_failed;
    block.diagnostics.push_back(fmt::format("nmscds: internal error: patient {}: its kept lines do not parse", p.id));
    return;
  }
  BulkPatient bulk;
  bulk.patient_id = p.id;
  bulk.t0 = a.options->t0;
  bulk.medication_files = a.medication_files;
  std::size_t origin = 0;
  for (simdjson::dom::element e : resources) {
    simdjson::dom::object obj;
    if (e.get(obj) == simdjson::SUCCESS) {
      bulk.resources.push_back(BulkResource{obj, origin, lines[origin].bytes});
    }
    ++origin;
  }
  // The mapped Observations in their places among the patient's own lines (origins after the lines').
  std::size_t before = 0;
  for (std::size_t j = 0; j < mapped.size(); ++j) {
    while (before < own_lines && InFileOrder(lines[before], mapped[j])) ++before;
    bulk.mapped.push_back(BulkMapped{mapped[j].observation, before, lines.size() + j});
  }
  std::vector<BulkSkipped> skipped;
  Result<Case> c = ReadFhirBulkPatient(bulk, *a.kb, skipped);
  std::uint32_t data_errors = scan.data_errors;
  for (const BulkSkipped& s : skipped) {
    ++data_errors;
    ++block.counts.malformed_lines;
    const KeptLine where = s.origin < lines.size() ? lines[s.origin]
                                                   : KeptLine{mapped[s.origin - lines.size()].chunk,
                                                              mapped[s.origin - lines.size()].index, {}};
    block.diagnostics.push_back(fmt::format("nmscds: invalid input: {}: {}: {}", Location(a, where),
                                            s.issue.location, s.issue.message));
  }
  if (!c) {
    ++block.counts.patients_failed;
    block.diagnostics.push_back(
        fmt::format("nmscds: internal error: patient {} cannot be assessed: {}", p.id, c.error().message));
    return;
  }
  // The screen fields only, unless the caller wants each full report (the same rules either way).
  ScreenAssessment r;
  if (a.on_report) {
    const Report report = RunEngine(*c, *a.kb);
    a.on_report(report);
    r = ScreenAssessmentOf(report);
  } else {
    r = RunEngineForScreen(*c, *a.kb);
  }
  ++block.counts.patients_screened;

  const std::string& suspicion = r.suspicion;
  const std::string& decision = r.dantrolene_decision;
  const std::string& fn = r.fn_status;
  const bool presumed = r.fn_presumed;
  if (suspicion == "high") ++block.counts.suspicion_high;
  else if (suspicion == "possible") ++block.counts.suspicion_possible;
  else ++block.counts.suspicion_unlikely;
  for (std::size_t i = 0; i < std::size(kDecisions); ++i) block.decisions[i] += decision == kDecisions[i];
  if (fn == "present") ++block.counts.fn_present;
  else if (fn == "absent") ++block.counts.fn_absent;
  else ++block.counts.fn_unknown;
  if (presumed) ++block.counts.fn_presumed;

  // §10 flags, in their order.
  std::vector<std::string_view> flags;
  if (suspicion == "high") flags.push_back("nms_high");
  if (suspicion == "possible") flags.push_back("nms_possible");
  if (decision == "malignant_hyperthermia_protocol") flags.push_back("malignant_hyperthermia");
  if (fn == "present") flags.push_back("febrile_neutropenia");
  if (presumed) flags.push_back("fn_presumed");
  if (data_errors > 0) flags.push_back("data_errors");
  if (!flags.empty()) ++block.counts.patients_flagged;
  if (flags.empty() && !a.options->all) return;

  std::vector<std::string>& agents = r.trigger_agents;
  std::sort(agents.begin(), agents.end());
  agents.erase(std::unique(agents.begin(), agents.end()), agents.end());

  JsonWriter w(/*pretty=*/false);
  w.BeginObject();
  w.Member("record", "patient");
  w.Member("patient_id", p.id);
  w.Member("assessed_at", FormatDateTime(a.options->t0));
  w.Member("suspicion", suspicion);
  w.MemberInt("iec_points", r.iec_points);
  w.MemberInt("iec_max_possible", r.iec_max_possible);
  w.Member("woodbury_stage", r.woodbury_stage);
  w.Member("trigger_type", r.trigger_type);
  w.Member("trigger_pattern", r.trigger_pattern);
  w.Key("trigger_agents");
  w.BeginArray();
  for (const std::string& agent : agents) w.String(agent);
  w.EndArray();
  w.Member("dantrolene_decision", decision);
  w.Member("fn_status", fn);
  w.Key("flags");
  w.BeginArray();
  for (std::string_view f : flags) w.String(f);
  w.EndArray();
  w.MemberInt("data_errors", data_errors);
  w.EndObject();
  block.out += w.Finish();
  block.out.push_back('\n');
}

void Add(ScreenSummary& total, const BlockResult& b) {
  const ScreenSummary& c = b.counts;
  total.malformed_lines += c.malformed_lines;
  total.resources_used -= c.malformed_lines;  // kept in pass 1, skipped by the mapping
  total.patients_screened += c.patients_screened;
  total.patients_flagged += c.patients_flagged;
  total.patients_failed += c.patients_failed;
  total.suspicion_high += c.suspicion_high;
  total.suspicion_possible += c.suspicion_possible;
  total.suspicion_unlikely += c.suspicion_unlikely;
  total.fn_present += c.fn_present;
  total.fn_absent += c.fn_absent;
  total.fn_unknown += c.fn_unknown;
  total.fn_presumed += c.fn_presumed;
  for (std::size_t i = 0; i < std::size(kDecisions); ++i) total.by_decision[i].second += b.decisions[i];
}

}  // namespace

namespace {

// The manifest of a directory (ScreenInput): expected file name -> count (or nullopt), and its error files.
struct Manifest {
  std::map<std::string, std::optional<std::uint64_t>> files;
  std::size_t errors = 0;
};

Result<std::optional<Manifest>> ReadManifest(const std::string& dir) {
  const std::string path = (fs::path(dir) / "manifest.json").string();
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<Manifest>();
  simdjson::dom::parser parser;
  simdjson::padded_string text;
  if (auto error = simdjson::padded_string::load(path).get(text)) {
    return CannotRead(path, simdjson::error_message(error));
  }
  auto invalid = [&](std::string location, std::string message) {
    return Error::Invalid({Issue{"manifest", path, "file", location + (location.empty() ? "" : ": ") + message}},
                          path + ": not a usable Bulk Data manifest");
  };
  simdjson::dom::object root;
  if (auto error = parser.parse(text).get(root)) return invalid("", simdjson::error_message(error));
  Manifest m;
  simdjson::dom::array output;
  if (root["output"].get(output) != simdjson::SUCCESS) return invalid("/output", "the manifest needs its output array");
  std::size_t i = 0;
  for (simdjson::dom::element e : output) {
    const std::string at = fmt::format("/output/{}", i++);
    simdjson::dom::object entry;
    std::string_view url;
    if (e.get(entry) != simdjson::SUCCESS || entry["url"].get(url) != simdjson::SUCCESS || url.empty()) {
      return invalid(at + "/url", "each output entry needs its url");
    }
    std::optional<std::uint64_t> count;
    if (std::uint64_t n = 0; entry["count"].get(n) == simdjson::SUCCESS) count = n;
    m.files[std::string(url.substr(url.find_last_of('/') + 1))] = count;
  }
  if (simdjson::dom::array errors; root["error"].get(errors) == simdjson::SUCCESS) m.errors = errors.size();
  return std::optional<Manifest>(std::move(m));
}

}  // namespace

Result<ScreenInput> ListScreenInput(const std::vector<std::string>& paths) {
  ScreenInput input;
  auto add_file = [&](const std::string& path) -> std::optional<Error> {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return CannotRead(path, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return CannotRead(path, "not a regular file");
    if (::access(path.c_str(), R_OK) != 0) return CannotRead(path, std::strerror(errno));
    input.files.push_back(ScreenInput::File{path, static_cast<std::uint64_t>(st.st_size), std::nullopt});
    return std::nullopt;
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec) return CannotRead(path, ec.message());
    if (!fs::is_directory(status)) {
      if (auto e = add_file(path)) return *e;
      continue;
    }
    std::vector<std::string> names;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return CannotRead(path, ec.message());
    std::sort(names.begin(), names.end());
    auto manifest = ReadManifest(path);
    if (!manifest) return manifest.error();
    for (const std::string& name : names) {
      const std::string full = (fs::path(path) / name).string();
      std::error_code ec2;
      if (name.ends_with(".ndjson") && fs::is_regular_file(full, ec2)) {
        if (auto e = add_file(full)) return *e;
        if (*manifest) {
          auto it = (*manifest)->files.find(name);
          if (it != (*manifest)->files.end()) input.files.back().manifest_count = it->second;
        }
      } else if (name != "manifest.json") {
        input.ignored.push_back(full);
      }
    }
    if (*manifest) {
      for (const auto& [name, count] : (*manifest)->files) {
        if (!std::binary_search(names.begin(), names.end(), name)) {
          return CannotRead((fs::path(path) / name).string(),
                            "listed in the export's manifest.json but not in the directory (incomplete export)");
        }
      }
      if ((*manifest)->errors > 0) {
        input.notes.push_back(fmt::format("{}: the export's manifest lists {} error file(s): the export may be "
                                          "incomplete",
                                          (fs::path(path) / "manifest.json").string(), (*manifest)->errors));
      }
    }
  }
  return input;
}

namespace {

// The workers' records grouped by patient, shard by shard on `threads` threads: each shard's records are
// gathered (the workers' vectors freed as they go, so the peak is not twice the records) and grouped.
// Returns every patient, in id order.
std::vector<PatientRef> GroupPatients(std::vector<std::unique_ptr<ScanWorker>>& workers,
                                      std::array<std::vector<PatientRecord>, ScanWorker::kPatientShards>& records,
                                      unsigned threads) {
  std::array<std::vector<PatientGroup>, ScanWorker::kPatientShards> groups;
  std::atomic<std::size_t> next{0};
  auto group = [&] {
    for (std::size_t s; (s = next.fetch_add(1)) < ScanWorker::kPatientShards;) {
      std::vector<PatientRecord>& shard = records[s];
      for (auto& w : workers) {
        std::vector<PatientRecord>& own = w->records[s];
        if (shard.empty()) {
          shard.swap(own);
        } else {
          shard.insert(shard.end(), own.begin(), own.end());
        }
        std::vector<PatientRecord>().swap(own);
      }
      groups[s] = GroupShard(shard);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(group);
  group();
  for (std::thread& th : pool) th.join();
  std::vector<PatientRef> order;
  for (std::size_t s = 0; s < ScanWorker::kPatientShards; ++s) {
    for (const PatientGroup& g : groups[s]) {
      order.push_back(PatientRef{g.id, records[s].data() + g.begin, records[s].data() + g.end, g.data_errors,
                                 g.recent});
    }
  }
  std::sort(order.begin(), order.end(), [](const PatientRef& x, const PatientRef& y) { return x.id < y.id; });
  return order;
}

}  // namespace

Result<ScreenSummary> RunScreen(const ScreenInput& input, const ScreenOptions& options, const KnowledgeBase& kb,
                                const ScreenSinks& sinks) {
  ScreenSummary summary;
  for (std::string_view d : kDecisions) summary.by_decision.emplace_back(std::string(d), 0);
  ScreenProgress local_progress;
  ScreenProgress& progress = sinks.progress != nullptr ? *sinks.progress : local_progress;
  const unsigned threads = std::max(1u, options.threads);

  // Open every file and find its type (§7.3: that of its first non-empty line).
  std::vector<Fd> fds(input.files.size());
  std::vector<std::string> types(input.files.size());
  std::vector<std::uint64_t> read_sizes(input.files.size(), 0);  // 0 for skipped files: no chunks
  bool medication_files = false;
  for (std::size_t i = 0; i < input.files.size(); ++i) {
    const ScreenInput::File& f = input.files[i];
    fds[i].fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fds[i].fd < 0) return CannotRead(f.path, std::strerror(errno));
    auto type = FileType(fds[i].fd, f.path, f.size);
    if (!type) return type.error();
    types[i] = std::move(*type);
    ++summary.files;
    // A file without a readable type is scanned: each of its non-empty lines is reported.
    if (!types[i].empty() && !IsReadResourceType(types[i])) {
      ++summary.files_skipped;  // read up to its first line, counted as one ignored resource
      ++summary.lines;
      ++summary.resources_ignored;
      continue;
    }
    read_sizes[i] = f.size;
    medication_files |= types[i] == "MedicationRequest" || types[i] == "MedicationAdministration";
  }
  const std::vector<LineChunk> chunks = PlanChunks(read_sizes, std::max<std::uint64_t>(options.chunk_bytes, 1));
  std::vector<std::uint32_t> chunks_left(input.files.size(), 0);
  for (const LineChunk& c : chunks) ++chunks_left[c.file];
  std::uint64_t total_bytes = 0;
  for (const ScreenInput::File& f : input.files) total_bytes += f.size;
  progress.bytes_total = total_bytes;
  progress.files_total = input.files.size();
  progress.files_done = static_cast<std::uint64_t>(std::count(read_sizes.begin(), read_sizes.end(), 0));

  // Pass 1: scan.
  ScanContext ctx;
  ctx.kb = &kb;
  ctx.t0 = options.t0;
  ctx.since = options.since;
  ctx.shard_index = options.shard_index;
  ctx.shard_count = std::max<std::uint32_t>(options.shard_count, 1);
  SetLookBack(kb, ctx);
  std::vector<std::unique_ptr<ScanWorker>> workers;
  for (unsigned t = 0; t < threads; ++t) workers.push_back(std::make_unique<ScanWorker>(ctx));
  std::vector<std::uint64_t> line_counts(chunks.size(), 0);
  std::vector<std::uint64_t> nonempty_counts(chunks.size(), 0);  // non-empty lines, for the manifest counts
  std::atomic<std::size_t> next_chunk{0};
  std::mutex error_mu;
  std::optional<Error> read_error;
  std::vector<std::atomic<std::uint32_t>> left(input.files.size());
  for (std::size_t i = 0; i < left.size(); ++i) left[i] = chunks_left[i];
  auto scan_chunks = [&](ScanWorker& w) {
    ChunkBuffer buffer;
    for (std::size_t k; (k = next_chunk.fetch_add(1)) < chunks.size();) {
      const LineChunk& chunk = chunks[k];
      const std::string_view type = types[chunk.file];
      std::uint64_t before = w.lines;
      auto n = ReadChunkLines(fds[chunk.file].fd, chunk, buffer, simdjson::SIMDJSON_PADDING,
                              [&](const ChunkLine& line) { w.Line(static_cast<std::uint32_t>(k), line, type); });
      if (!n) {
        std::lock_guard lock(error_mu);
        if (!read_error) read_error = CannotRead(input.files[chunk.file].path, n.error().message);
        continue;
      }
      line_counts[k] = *n;
      nonempty_counts[k] = w.lines - before;
      progress.bytes_read += chunk.end - chunk.begin;
      progress.resources += w.lines - before;
      if (--left[chunk.file] == 0) ++progress.files_done;
    }
  };
  {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(scan_chunks, std::ref(*workers[t]));
    scan_chunks(*workers[0]);
    for (std::thread& th : pool) th.join();
  }
  if (read_error) return *read_error;
  progress.bytes_read = total_bytes;
  progress.files_done = input.files.size();
  const std::vector<std::uint64_t> first_line = NumberLines(chunks, line_counts);
  {
    std::vector<std::uint64_t> file_lines(input.files.size(), 0);
    for (std::size_t k = 0; k < chunks.size(); ++k) file_lines[chunks[k].file] += nonempty_counts[k];
    for (std::size_t i = 0; i < input.files.size(); ++i) {
      const auto& expected = input.files[i].manifest_count;
      if (!expected || read_sizes[i] == 0 || file_lines[i] == *expected) continue;  // skipped files: not read
      ++summary.manifest_mismatches;
      sinks.diagnostic(fmt::format("nmscds: invalid input: {}: the manifest counts {} resources, the file has {} "
                                   "lines (incomplete or altered export)",
                                   input.files[i].path, *expected, file_lines[i]));
    }
  }

  // Merge the workers' results; report the malformed lines of the scan in file and line order.
  std::vector<MalformedLine> malformed;
  std::array<std::vector<PatientRecord>, ScanWorker::kPatientShards> records;
  const std::vector<PatientRef> order = GroupPatients(workers, records, threads);
  std::unordered_map<std::string, KeptLine> medications;
  for (auto& w : workers) {
    summary.lines += w->lines;
    summary.malformed_lines += w->malformed_count;
    summary.resources_used += w->used;
    summary.resources_ignored += w->ignored;
    summary.no_subject += w->no_subject;
    summary.other_shard += w->other_shard;
    malformed.insert(malformed.end(), std::make_move_iterator(w->malformed.begin()),
                     std::make_move_iterator(w->malformed.end()));
    for (auto& [id, line] : w->medications) {
      auto [it, inserted] = medications.try_emplace(id, line);
      if (!inserted && InFileOrder(line, it->second)) {
        it->second = line;  // the first in file order wins, whatever thread read it
      }
    }
    w->medications.clear();
  }
  std::sort(malformed.begin(), malformed.end(), InFileOrder<MalformedLine, MalformedLine>);
  for (const MalformedLine& m : malformed) {
    if (summary.malformed_lines - summary.malformed_not_listed > kMaxListedMalformed) break;
    const LineChunk& c = chunks[m.chunk];
    sinks.diagnostic(fmt::format("nmscds: invalid input: {}:{}: {}", input.files[c.file].path,
                                 first_line[m.chunk] + m.index, m.message));
  }
  summary.malformed_not_listed = malformed.size() > kMaxListedMalformed ? malformed.size() - kMaxListedMalformed : 0;
  malformed.clear();
  malformed.shrink_to_fit();
  if (options.strict && summary.malformed_lines > 0) {
    summary.stopped = true;
    return summary;
  }

  // Pass 2: patients in id order, in blocks over the threads; blocks written in order by this thread.
  summary.patients_total = order.size();
  progress.patients_total = order.size();
  std::vector<PatientRef> to_assess;
  for (const PatientRef& p : order) {
    // --since: unchanged patients are not screened; one with a malformed line is (its line is always written).
    if (options.since && !p.recent && p.data_errors == 0) {
      ++summary.patients_unchanged;
    } else {
      to_assess.push_back(p);
    }
  }
  progress.patients_done = summary.patients_unchanged;
  AssessContext a{&kb, &options, &input.files, &chunks, &first_line, &medications, medication_files, sinks.report};
  const std::size_t block_count = (to_assess.size() + kPatientsPerBlock - 1) / kPatientsPerBlock;
  std::vector<BlockResult> blocks(block_count);
  std::atomic<std::size_t> next_block{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable ready;
  // Blocks are written in order by this thread, which assesses blocks too: it writes whatever is ready after
  // each of its own blocks, then waits for the rest. (With one thread nothing waits: a thread that only wrote
  // woke up once per block, 3 % of the time.)
  std::optional<Error> write_error;
  std::size_t written = 0;
  auto write_ready = [&](bool wait) {
    for (; written < block_count && !write_error && !summary.stopped; ++written) {
      BlockResult block;
      {
        std::unique_lock lock(mu);
        if (!blocks[written].done && !wait) return;
        ready.wait(lock, [&] { return blocks[written].done; });
        block = std::move(blocks[written]);
      }
      for (const std::string& d : block.diagnostics) sinks.diagnostic(d);
      Add(summary, block);
      if (options.strict && block.counts.malformed_lines > 0) {
        summary.stopped = true;
      } else if (!block.out.empty() && !sinks.write(block.out)) {
        write_error = Error::Internal("cannot write the screen output");
      }
    }
    stop = write_error.has_value() || summary.stopped;
  };
  // Assesses blocks until none is left; `writes`: the calling thread, which writes after each block.
  auto assess = [&](bool writes) {
    simdjson::dom::parser parser;
    std::string buffer;
    PatientScan scan;
    for (std::size_t b; !stop && (b = next_block.fetch_add(1)) < block_count;) {
      BlockResult result;
      const std::size_t end = std::min(to_assess.size(), (b + 1) * kPatientsPerBlock);
      for (std::size_t i = b * kPatientsPerBlock; i < end; ++i) {
        AssessPatient(a, to_assess[i], parser, buffer, scan, result);
        ++progress.patients_done;
      }
      result.done = true;
      {
        std::lock_guard lock(mu);
        blocks[b] = std::move(result);
      }
      ready.notify_all();
      if (writes) write_ready(false);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(assess, false);
  assess(true);
  write_ready(true);
  for (std::thread& th : pool) th.join();
  if (write_error) return *write_error;
  if (summary.stopped) return summary;
  if (!sinks.write(ScreenSummaryLine(summary, options, kb))) return Error::Internal("cannot write the screen output");
  return summary;
}

std::string ScreenSummaryLine(const ScreenSummary& s, const ScreenOptions& options, const KnowledgeBase& kb) {
  JsonWriter w(/*pretty=*/false);
  w.BeginObject();
  w.Member("record", "summary");
  w.MemberInt("screen_format", 1);
  w.Member("engine_version", NMSCDS_VERSION);
  w.Member("kb_version", kb.version);
  w.Member("kb_sha256", kb.sha256);
  w.Member("protocol", "standard");
  w.Member("assessed_at", FormatDateTime(options.t0));
  if (options.since) w.Member("since", FormatDateTime(*options.since));
  auto count = [&](std::string_view key, std::uint64_t n) { w.MemberInt(key, static_cast<std::int64_t>(n)); };
  count("files", s.files);
  count("files_skipped", s.files_skipped);
  count("lines", s.lines);
  count("malformed_lines", s.malformed_lines);
  count("resources_used", s.resources_used);
  count("resources_ignored", s.resources_ignored);
  count("patients_total", s.patients_total);
  count("patients_screened", s.patients_screened);
  count("patients_unchanged", s.patients_unchanged);
  count("patients_flagged", s.patients_flagged);
  w.Key("by_suspicion");
  w.BeginObject();
  count("high", s.suspicion_high);
  count("possible", s.suspicion_possible);
  count("unlikely", s.suspicion_unlikely);
  w.EndObject();
  w.Key("by_decision");
  w.BeginObject();
  for (const auto& [code, n] : s.by_decision) count(code, n);
  w.EndObject();
  w.Key("fn");
  w.BeginObject();
  count("present", s.fn_present);
  count("absent", s.fn_absent);
  count("unknown", s.fn_unknown);
  count("presumed", s.fn_presumed);
  w.EndObject();
  w.EndObject();
  std::string line = w.Finish();
  line.push_back('\n');
  return line;
}

}  // namespace nmscds
