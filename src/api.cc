// The public API (include/nmscds/nmscds.h): document detection, reading, assessment.
#include <memory>

#include "common/json_dom.h"
#include "engine/engine.h"
#include "fhir/fhir_reader.h"
#include "io/case_reader.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "nmscds_version.h"

namespace nmscds {

namespace {
constexpr std::size_t kMaxDocumentBytes = 64u << 20;  // interfaces.md §7.2
}  // namespace

std::string_view EngineVersion() { return NMSCDS_VERSION; }

Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBase(const std::string& dir) {
  return dir.empty() ? LoadEmbeddedKnowledgeBase() : LoadKnowledgeBaseDir(dir);
}

std::string_view KnowledgeBaseVersion(const KnowledgeBase& kb) { return kb.version; }
std::string_view KnowledgeBaseSha256(const KnowledgeBase& kb) { return kb.sha256; }

Result<Report> Assess(std::string_view document, const KnowledgeBase& kb, const AssessOptions& options) {
  if (document.size() > kMaxDocumentBytes) {
    return Error::Invalid({Issue{"too_large", "", "", "the input is larger than 64 MiB"}});
  }
  JsonParser parser;
  auto root = parser.Parse(document);
  if (!root) return root.error();
  simdjson::dom::object obj;
  if (root->get_object().get(obj)) {
    return Error::Invalid({Issue{"unknown_document", "", "json_pointer",
                                 "the document is neither an nmscds case nor a FHIR resource (it is not a JSON object)"}});
  }
  std::string_view resource_type, format;
  if (!obj["resourceType"].get_string().get(resource_type)) {
    if (resource_type != "Bundle") {
      return Error::Invalid({Issue{"unsupported_document", "/resourceType", "json_pointer",
                                   "a FHIR " + std::string(resource_type) + " cannot be assessed: send a Bundle"}});
    }
    // interfaces.md §4.1: a Bundle document; T0 from `at`, Bundle.timestamp or the clock.
    FhirBundleOptions fhir_options;
    fhir_options.at_override = options.at;
    fhir_options.now = options.now;
    auto c = ReadFhirBundle(*root, document, kb, fhir_options);
    if (!c) return c.error();
    return RunEngine(*c, kb);
  }
  if (obj["format"].get_string().get(format) || format != "nmscds-case") {
    return Error::Invalid({Issue{"unknown_document", "", "json_pointer",
                                 "the document is neither an nmscds case (\"format\": \"nmscds-case\") nor a FHIR "
                                 "resource (\"resourceType\")"}});
  }
  ReadOptions read_options;
  read_options.at_override = options.at;
  auto c = ReadNativeCase(*root, document, kb, read_options);
  if (!c) return c.error();
  return RunEngine(*c, kb);
}

}  // namespace nmscds
