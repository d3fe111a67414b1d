#pragma once
// nmscds public API: clinical decision support for suspected neuroleptic malignant syndrome.
//
//   auto kb = nmscds::LoadKnowledgeBase("");               // the copy built into the binary
//   auto report = nmscds::Assess(bytes, **kb, {});          // native case (FHIR Bundle: issue #3)
//   std::string json = nmscds::ReportToJson(*report, true);
//
// Assess never throws for bad input: every problem in the document is returned at once as Issues with
// their JSON pointer (ErrorKind::kInvalidInput), and no partial report is ever produced. The same input,
// T0, knowledge base and engine give a byte-identical report.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nmscds/report.h"
#include "nmscds/status.h"

namespace nmscds {

class KnowledgeBase;

// Semantic version of the engine ("1.0.0").
std::string_view EngineVersion();

// Loads a knowledge base: `dir` empty = the embedded copy, else the directory holding kb.json.
// A knowledge base that fails verification is never returned (ErrorKind::kInvalidInput).
Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBase(const std::string& dir);
std::string_view KnowledgeBaseVersion(const KnowledgeBase& kb);
std::string_view KnowledgeBaseSha256(const KnowledgeBase& kb);

struct AssessOptions {
  // Overrides T0 (CLI --at, API ?at=); seconds since the epoch, UTC.
  std::optional<std::int64_t> at;
  // The clock, used only when the input carries no T0 (FHIR Bundles without a timestamp).
  std::optional<std::int64_t> now;
};

// Reads one document (auto-detected: native case or FHIR Bundle) and assesses it.
Result<Report> Assess(std::string_view document, const KnowledgeBase& kb, const AssessOptions& options);

// interfaces.md §5: pretty = 2-space layout with a final newline; otherwise compact, no final newline.
std::string ReportToJson(const Report& report, bool pretty);

// interfaces.md §6.
struct TextOptions {
  int width = 80;      // clamped to 60-120 by callers when writing to a terminal
  bool color = false;  // ANSI SGR
};
std::string ReportToText(const Report& report, const TextOptions& options);

}  // namespace nmscds
