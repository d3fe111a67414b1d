#include "server/cds_call.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <future>
#include <memory>
#include <utility>

#include "cds/discovery.h"
#include "engine/engine.h"
#include "fhir/fhir_reader.h"
#include "kb/knowledge_base.h"
#include "server/compute_slots.h"
#include "server/fhir_fetch.h"

namespace nmscds {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kAssessment = "nms-assessment";
constexpr std::string_view kDantroleneOrder = "nms-dantrolene-order";
constexpr std::string_view kTriggerOrder = "nms-trigger-order";
constexpr int kMaxExtraPages = 9;  // §8.6: up to 9 more pages

bool ServesHook(std::string_view service_id, std::string_view hook) {
  if (service_id == kAssessment) return hook == "patient-view";
  return hook == "order-select" || hook == "order-sign";
}

std::string_view StringMember(object obj, std::string_view key) {
  std::string_view s;
  return obj[key].get_string().get(s) ? std::string_view{} : s;
}

CdsCallResult Fail(CdsCallResult r, int status, std::string outcome, std::vector<OutcomeIssue> issues) {
  r.status = status;
  r.outcome = std::move(outcome);
  r.body = OperationOutcomeJson(issues);
  return r;
}

// How one prefetch key was satisfied (§8.6 tri-state, plus fetching); also the metric label.
enum class KeyState { kPresent, kNull, kFetched, kUnavailable, kOperationOutcome, kPartial };

std::string_view KeyStateName(KeyState s) {
  switch (s) {
    case KeyState::kPresent: return "present";
    case KeyState::kNull: return "null";
    case KeyState::kFetched: return "fetched";
    case KeyState::kUnavailable: return "unavailable";
    case KeyState::kOperationOutcome: return "operation_outcome";
    case KeyState::kPartial: return "partial";
  }
  return "unavailable";
}

// The JSON documents of one request. Parsed elements point into their parser, so parsers live as long as the
// call; a deque keeps their addresses stable.
class Documents {
 public:
  simdjson::error_code Parse(std::string_view bytes, element& out) {
    parsers_.emplace_back();
    return parsers_.back().parse(bytes.data(), bytes.size()).get(out);
  }

 private:
  std::deque<simdjson::dom::parser> parsers_;
};

// The next-page URL of a searchset Bundle, or empty.
std::string NextLink(element bundle) {
  simdjson::dom::array links;
  if (bundle["link"].get_array().get(links)) return {};
  for (element link : links) {
    object l;
    if (link.get_object().get(l)) continue;
    if (StringMember(l, "relation") == "next") return std::string(StringMember(l, "url"));
  }
  return {};
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string FillTemplate(std::string_view query, std::string_view patient_id) {
  constexpr std::string_view kToken = "{{context.patientId}}";
  std::string out(query);
  const std::string id = PercentEncode(patient_id);
  for (std::size_t pos = out.find(kToken); pos != std::string::npos; pos = out.find(kToken, pos + id.size())) {
    out.replace(pos, kToken.size(), id);
  }
  // '|' separates system and code in token searches; encode it as servers expect in a URL.
  std::string encoded;
  for (char c : out) encoded += c == '|' ? std::string("%7C") : std::string(1, c);
  return encoded;
}

// `url` starts with `prefix` at a path boundary (so "https://ehr/fhir" does not allow "https://ehr/fhir-evil").
bool HasUrlPrefix(std::string_view url, std::string_view prefix) {
  if (prefix.empty() || url.substr(0, prefix.size()) != prefix) return false;
  if (url.size() == prefix.size() || prefix.back() == '/') return true;
  const char next = url[prefix.size()];
  return next == '/' || next == '?';
}

struct FetchPolicy {
  bool allowed = false;
  std::string server;  // fhirServer without a trailing '/'
  std::string token;   // fhirAuthorization.access_token
  std::size_t max_bytes = 0;
  bool allow_http = false;
  std::vector<std::string> prefixes;
  bool any_https = false;  // unauthenticated mode

  bool MayFetch(std::string_view url) const {
    if (!allowed) return false;
    const bool https = url.substr(0, 8) == "https://";
    const bool http = url.substr(0, 7) == "http://";
    if (!https && !(http && allow_http)) return false;
    if (!HasUrlPrefix(url, server)) return false;  // never another host than the request's fhirServer
    if (any_https) return true;
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& p) { return HasUrlPrefix(url, p); });
  }
};

std::chrono::milliseconds Remaining(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

// The pages of one key fetched from the FHIR server (first page when the key was absent, then `next` pages).
struct FetchedKey {
  std::vector<std::string> pages;
  bool failed = false;        // the first page could not be obtained
  bool incomplete = false;    // a `next` page remained unread
  bool timed_out = false;
  std::string error;
  double seconds = 0;
};

// Follows `next` links from `first_next` (may be empty), appending pages, within the budget.
void FollowPages(std::string next, const FetchPolicy& policy, std::chrono::steady_clock::time_point deadline,
                 FetchedKey& out, int already) {
  Documents docs;
  int pages = already;
  while (!next.empty()) {
    if (pages >= kMaxExtraPages || !policy.MayFetch(next) || Remaining(deadline).count() <= 0) {
      out.incomplete = true;
      return;
    }
    FetchResult page = FetchFhir({next, policy.token, Remaining(deadline), policy.max_bytes});
    element root;
    if (!page.ok || docs.Parse(page.body, root) != simdjson::SUCCESS) {
      out.incomplete = true;
      out.timed_out = out.timed_out || page.timed_out;
      return;
    }
    next = NextLink(root);
    out.pages.push_back(std::move(page.body));
    ++pages;
  }
}

FetchedKey FetchKey(const PrefetchTemplate& key, std::string_view patient_id, const FetchPolicy& policy,
                    std::chrono::steady_clock::time_point deadline) {
  FetchedKey out;
  const auto started = std::chrono::steady_clock::now();
  const std::string url = policy.server + "/" + FillTemplate(key.query, patient_id);
  FetchResult first = FetchFhir({url, policy.token, Remaining(deadline), policy.max_bytes});
  if (!first.ok) {
    out.failed = true;
    out.timed_out = first.timed_out;
    out.error = first.error;
  } else {
    Documents docs;
    element root;
    std::string_view type;
    if (docs.Parse(first.body, root) != simdjson::SUCCESS || root["resourceType"].get_string().get(type) ||
        (type != "Bundle" && !(key.key == "patient" && type == "Patient"))) {
      out.failed = true;
      out.error = "the FHIR server's answer is not a " + std::string(key.key == "patient" ? "Patient" : "Bundle");
    } else {
      const std::string next = type == "Bundle" ? NextLink(root) : std::string();
      out.pages.push_back(std::move(first.body));
      FollowPages(next, policy, deadline, out, 0);
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

// A draft order of the order hooks (§8.8, §8.9).
struct Draft {
  std::string id;
  std::string path;
  object resource;
  IdentifiedDrug drug;
};

bool HasRole(const KnowledgeBase& kb, const IdentifiedDrug& drug, std::uint32_t role) {
  return std::any_of(drug.ingredients.begin(), drug.ingredients.end(),
                     [&](int i) { return (kb.drug(i).roles & role) != 0; });
}

bool HasIngredient(const IdentifiedDrug& drug, int ingredient) {
  return ingredient >= 0 &&
         std::find(drug.ingredients.begin(), drug.ingredients.end(), ingredient) != drug.ingredients.end();
}

std::string DrugDisplayName(const KnowledgeBase& kb, const IdentifiedDrug& drug) {
  if (!drug.ingredients.empty()) return kb.drug(drug.ingredients.front()).name;
  return drug.name;
}

// dosageInstruction[0].doseAndRate[0].doseQuantity in mg; mg/kg times the weight (§8.8). Tolerates
// doseAndRate written as an object, as in the HL7 order-sign example.
std::optional<Fixed> OrderedDoseMg(object request, std::optional<Fixed> weight_kg) {
  simdjson::dom::array dosage;
  if (request["dosageInstruction"].get_array().get(dosage) || dosage.size() == 0) return std::nullopt;
  element dose_and_rate = dosage.at(0)["doseAndRate"].value_unsafe();
  if (dosage.at(0)["doseAndRate"].error()) return std::nullopt;
  element first = dose_and_rate;
  if (dose_and_rate.is_array()) {
    simdjson::dom::array arr = dose_and_rate.get_array().value_unsafe();
    if (arr.size() == 0) return std::nullopt;
    first = arr.at(0).value_unsafe();
  }
  object quantity;
  if (first["doseQuantity"].get_object().get(quantity)) return std::nullopt;
  double value = 0;
  if (quantity["value"].get_double().get(value)) return std::nullopt;
  std::string_view unit = StringMember(quantity, "code");
  if (unit.empty()) unit = StringMember(quantity, "unit");
  const std::optional<Fixed> parsed = Fixed::FromDouble(value);
  if (!parsed) return std::nullopt;
  if (unit == "mg") return parsed;
  if (unit == "g") return parsed->MulDiv(1000, 1, 3);
  if (unit == "mg/kg" && weight_kg) return parsed->Times(*weight_kg, 1);
  return std::nullopt;
}

}  // namespace

bool IsCdsServiceId(std::string_view id) { return id == kAssessment || id == kDantroleneOrder || id == kTriggerOrder; }

CdsCallResult HandleCdsCall(std::string_view service_id, std::string_view body, const CdsCallEnv& env) {
  const KnowledgeBase& kb = *env.kb;
  CdsCallResult r;
  Documents docs;
  element root;
  if (auto error = docs.Parse(body, root)) {
    return Fail(std::move(r), 400, "invalid_input",
                {{"structure", std::string("the body is not valid JSON: ") + simdjson::error_message(error), {}, "json_syntax"}});
  }
  object request;
  if (root.get_object().get(request)) {
    return Fail(std::move(r), 400, "invalid_input", {{"structure", "the body must be a JSON object", {}, {}}});
  }

  // ---- Request checks (§8.4): every problem at once -------------------------------------------------------
  std::vector<OutcomeIssue> problems;
  auto require_string = [&](object obj, std::string_view key, const std::string& path) -> std::string_view {
    element e;
    if (obj[key].get(e)) {
      problems.push_back({"required", path + " is required", path, {}});
      return {};
    }
    std::string_view s;
    if (e.get_string().get(s) || s.empty()) {
      problems.push_back({"value", path + " must be a non-empty string", path, {}});
      return {};
    }
    return s;
  };
  r.hook = std::string(require_string(request, "hook", "hook"));
  r.hook_instance = std::string(require_string(request, "hookInstance", "hookInstance"));
  object context;
  element context_element;
  if (request["context"].get(context_element)) {
    problems.push_back({"required", "context is required", "context", {}});
  } else if (context_element.get_object().get(context)) {
    problems.push_back({"value", "context must be an object", "context", {}});
  } else {
    r.patient_id = std::string(require_string(context, "patientId", "context.patientId"));
  }
  if (!r.hook.empty() && !ServesHook(service_id, r.hook)) {
    problems.push_back({"not-supported", "the hook " + r.hook + " is not served by " + std::string(service_id), "hook", {}});
  }
  const bool order_hook = r.hook == "order-select" || r.hook == "order-sign";
  element draft_orders;
  std::vector<std::string> selections;
  if (order_hook && context_element.is_object()) {
    object bundle;
    if (context["draftOrders"].get(draft_orders)) {
      problems.push_back({"required", "context.draftOrders is required for " + r.hook, "context.draftOrders", {}});
    } else if (draft_orders.get_object().get(bundle) || StringMember(bundle, "resourceType") != "Bundle") {
      problems.push_back({"value", "context.draftOrders must be a FHIR Bundle", "context.draftOrders", {}});
    }
    if (r.hook == "order-select") {
      simdjson::dom::array sel;
      if (context["selections"].get_array().get(sel)) {
        problems.push_back({"required", "context.selections (an array of Type/id) is required for order-select",
                            "context.selections", {}});
      } else {
        for (element s : sel) {
          std::string_view text;
          if (s.get_string().get(text)) {
            problems.push_back({"value", "context.selections must hold strings", "context.selections", {}});
            break;
          }
          selections.emplace_back(text);
        }
      }
    }
  }
  std::string fhir_server, access_token;
  element fhir_server_element, fhir_auth_element;
  const bool has_server = !request["fhirServer"].get(fhir_server_element);
  const bool has_auth = !request["fhirAuthorization"].get(fhir_auth_element) && !fhir_auth_element.is_null();
  if (has_server) {
    std::string_view s;
    if (fhir_server_element.get_string().get(s)) {
      problems.push_back({"value", "fhirServer must be a string", "fhirServer", {}});
    } else {
      fhir_server = std::string(s);
      while (!fhir_server.empty() && fhir_server.back() == '/') fhir_server.pop_back();
    }
  }
  if (has_auth) {
    object auth;
    if (!has_server) {
      problems.push_back({"invalid", "fhirAuthorization is given without fhirServer", "fhirAuthorization", {}});
    } else if (fhir_auth_element.get_object().get(auth)) {
      problems.push_back({"value", "fhirAuthorization must be an object", "fhirAuthorization", {}});
    } else {
      access_token = std::string(require_string(auth, "access_token", "fhirAuthorization.access_token"));
    }
  }
  object prefetch;
  element prefetch_element;
  const bool has_prefetch = !request["prefetch"].get(prefetch_element) && !prefetch_element.is_null();
  if (has_prefetch && prefetch_element.get_object().get(prefetch)) {
    problems.push_back({"value", "prefetch must be an object", "prefetch", {}});
  }
  if (!problems.empty()) return Fail(std::move(r), 400, "invalid_input", std::move(problems));

  // ---- Draft orders (§8.8, §8.9) -----------------------------------------------------------------------------
  std::vector<Draft> dantrolene_drafts, trigger_drafts, therapy_drafts;
  if (order_hook) {
    const int dantrolene = kb.FindDrug("dantrolene");
    const int bromocriptine = kb.FindDrug("bromocriptine");
    const int amantadine = kb.FindDrug("amantadine");
    simdjson::dom::array entries;
    if (!draft_orders["entry"].get_array().get(entries)) {
      std::size_t index = 0;
      for (element entry : entries) {
        const std::string path = "context.draftOrders.entry[" + std::to_string(index++) + "].resource";
        object resource;
        if (entry["resource"].get_object().get(resource)) continue;
        const std::string_view type = StringMember(resource, "resourceType");
        const std::string_view id = StringMember(resource, "id");
        if (type != "MedicationRequest") continue;
        if (r.hook == "order-select" &&
            std::find(selections.begin(), selections.end(), "MedicationRequest/" + std::string(id)) == selections.end()) {
          continue;
        }
        const std::string_view status = StringMember(resource, "status");
        if (status == "cancelled" || status == "entered-in-error" || status == "completed") continue;
        Draft d{std::string(id), path, resource, IdentifyMedication(resource, draft_orders, kb)};
        if (HasIngredient(d.drug, dantrolene)) dantrolene_drafts.push_back(d);
        if (HasRole(kb, d.drug, kRoleD2Antagonist)) trigger_drafts.push_back(d);
        if (HasIngredient(d.drug, bromocriptine) || HasIngredient(d.drug, amantadine)) therapy_drafts.push_back(d);
      }
    }
    const bool relevant = service_id == kDantroleneOrder ? !dantrolene_drafts.empty() : !trigger_drafts.empty();
    if (!relevant) {  // §8.8/§8.9: no such order, no assessment
      r.outcome = "ok";
      r.body = R"({"cards":[]})";
      return r;
    }
  }

  // ---- Prefetch (§8.6) ---------------------------------------------------------------------------------------
  FetchPolicy policy;
  policy.server = fhir_server;
  policy.token = access_token;
  policy.max_bytes = env.options->max_body;
  policy.allow_http = env.options->allow_http_fhir;
  policy.prefixes = env.fhir_server_prefixes;
  policy.any_https = env.unauthenticated;
  policy.allowed = has_server;
  if (policy.allowed) policy.allowed = policy.MayFetch(fhir_server);  // the fhirServer itself must be allowed

  CdsData data;
  data.patient_id = r.patient_id;
  data.t0 = env.t0;
  data.sha256 = env.body_sha256;
  const std::vector<PrefetchTemplate>& templates = PrefetchTemplates();
  const std::size_t kKeys = templates.size();
  std::vector<KeyState> states(kKeys, KeyState::kPresent);
  std::vector<std::future<FetchedKey>> fetches(kKeys);
  std::vector<std::string> missing_required;
  for (std::size_t k = 0; k < kKeys; ++k) {
    const PrefetchTemplate& key = templates[k];
    const std::string path = "prefetch." + std::string(key.key);
    element value;
    if (!has_prefetch || prefetch[key.key].get(value)) {  // absent
      if (policy.allowed) {
        fetches[k] = std::async(std::launch::async, FetchKey, std::cref(key), std::string_view(r.patient_id),
                                std::cref(policy), env.deadline);
      } else {
        states[k] = KeyState::kUnavailable;
        if (key.required) missing_required.emplace_back(key.key);
      }
      continue;
    }
    if (value.is_null()) {
      states[k] = KeyState::kNull;
      continue;
    }
    object obj;
    const std::string_view type = value.get_object().get(obj) ? std::string_view{} : StringMember(obj, "resourceType");
    if (type == "OperationOutcome") {
      states[k] = KeyState::kOperationOutcome;
    } else if (type == "Bundle") {
      states[k] = KeyState::kPresent;
      data.sources.push_back(FhirSource{std::string(key.key), path, value});
      const std::string next = NextLink(value);
      if (!next.empty()) {
        if (policy.allowed) {
          fetches[k] = std::async(std::launch::async, [next, &policy, deadline = env.deadline] {
            FetchedKey out;
            FollowPages(next, policy, deadline, out, 0);
            return out;
          });
        } else {
          states[k] = KeyState::kPartial;
        }
      }
    } else if (key.key == "patient" && type == "Patient") {
      if (StringMember(obj, "id") != r.patient_id) {
        return Fail(std::move(r), 400, "invalid_input",
                    {{"value", "prefetch.patient is not the patient of context.patientId", path + ".id", {}}});
      }
      states[k] = KeyState::kPresent;
      data.sources.push_back(FhirSource{std::string(key.key), path, value});
    } else {
      return Fail(std::move(r), 400, "invalid_input",
                  {{"value", path + " must be a FHIR Bundle, an OperationOutcome or null", path, {}}});
    }
  }
  bool timed_out = false;
  for (std::size_t k = 0; k < kKeys; ++k) {
    if (!fetches[k].valid()) continue;
    const PrefetchTemplate& key = templates[k];
    FetchedKey fetched = fetches[k].get();
    env.metrics->Observe("nmscds_fhir_fetch_duration_seconds", {}, fetched.seconds);
    timed_out = timed_out || fetched.timed_out;
    const bool was_absent = states[k] == KeyState::kUnavailable || (has_prefetch && prefetch[key.key].error()) ||
                            !has_prefetch;
    if (fetched.failed) {
      states[k] = KeyState::kUnavailable;
      if (key.required) missing_required.emplace_back(key.key);
      continue;
    }
    if (was_absent) states[k] = KeyState::kFetched;
    if (fetched.incomplete) states[k] = KeyState::kPartial;
    for (std::size_t p = 0; p < fetched.pages.size(); ++p) {
      element page;
      if (docs.Parse(fetched.pages[p], page) != simdjson::SUCCESS) continue;  // checked when fetched
      const std::string path = (was_absent ? "fhirServer." : "prefetch.") + std::string(key.key) +
                               (was_absent && p == 0 ? "" : ".page[" + std::to_string(p + (was_absent ? 0 : 1)) + "]");
      data.sources.push_back(FhirSource{std::string(key.key), path, page});
    }
  }
  if (Remaining(env.deadline).count() <= 0 || (timed_out && !missing_required.empty())) {
    env.metrics->Inc("nmscds_deadline_exceeded_total", {{"route", "/cds-services/{id}"}});
    return Fail(std::move(r), 503, "timeout",
                {{"timeout", "the FHIR server did not answer within the time budget", {}, "timeout"}});
  }
  for (std::size_t k = 0; k < kKeys; ++k) {
    env.metrics->Inc("nmscds_prefetch_total", {{"key", templates[k].key}, {"state", KeyStateName(states[k])}});
  }
  if (!missing_required.empty()) {
    std::string keys;
    for (const std::string& k : missing_required) keys += (keys.empty() ? "" : ", ") + k;
    return Fail(std::move(r), 412, "precondition_failed",
                {{"incomplete",
                  "required prefetch data are absent and could not be fetched" +
                      std::string(has_server ? "" : " (no fhirServer)") + ": " + keys,
                  "prefetch", "prefetch_missing"}});
  }
  auto usable = [&](std::string_view name) {
    for (std::size_t k = 0; k < kKeys; ++k) {
      if (templates[k].key == name) {
        return states[k] == KeyState::kPresent || states[k] == KeyState::kNull || states[k] == KeyState::kFetched;
      }
    }
    return false;
  };
  bool required_unavailable = false;
  for (std::size_t k = 0; k < kKeys; ++k) {
    if (states[k] == KeyState::kUnavailable || states[k] == KeyState::kOperationOutcome ||
        states[k] == KeyState::kPartial) {
      data.unavailable.emplace_back(templates[k].key);
      required_unavailable = required_unavailable || templates[k].required;
    }
  }
  data.medication_list_complete = usable("medication_requests") && usable("medication_administrations");
  data.problem_list_supplied = usable("conditions");
  r.unavailable = data.unavailable;

  // ---- Assessment --------------------------------------------------------------------------------------------
  std::optional<ComputeSlots::Slot> slot;
  if (env.compute != nullptr) {
    slot.emplace(*env.compute, env.deadline);
    if (!slot->held()) {
      return Fail(std::move(r), 503, "timeout", {{"timeout", "the time budget ran out", {}, "timeout"}});
    }
  }
  auto c = ReadFhirCds(data, kb);
  if (!c) {
    if (c.error().kind != ErrorKind::kInvalidInput) {
      return Fail(std::move(r), 500, "error", {{"exception", "internal error", {}, {}}});
    }
    return Fail(std::move(r), 400, "invalid_input", OutcomeIssuesFromError(c.error()));
  }
  // Draft bromocriptine / amantadine orders are planned concurrent NMS therapies (clinical DF-17, §8.8).
  if (service_id == kDantroleneOrder) {
    for (const Draft& d : therapy_drafts) {
      Medication m;
      m.name = d.drug.name;
      m.rxnorm = d.drug.rxnorm;
      m.ingredients = d.drug.ingredients;
      m.status = MedStatus::kPlanned;
      m.source = d.path;
      c->medications.push_back(std::move(m));
    }
    c->medications_supplied = c->medications_supplied || !therapy_drafts.empty();
  }
  r.report = RunEngine(*c, kb);

  // ---- Cards -------------------------------------------------------------------------------------------------
  CardRequest card_request;
  card_request.hook = r.hook;
  card_request.hook_instance = r.hook_instance;
  card_request.service_id = std::string(service_id);
  card_request.patient_id = r.patient_id;
  card_request.encounter_id = std::string(StringMember(context, "encounterId"));
  card_request.unavailable = data.unavailable;
  card_request.required_data_unavailable = required_unavailable;
  if (Tri h = c->context.get(CtxFlag::kHistoryOfNms); h != Tri::kUnknown) card_request.history_of_nms = h == Tri::kTrue;
  std::optional<Fixed> weight;
  if (c->weight) weight = c->weight->kg;
  auto to_orders = [&](const std::vector<Draft>& drafts) {
    std::vector<DraftOrder> orders;
    for (const Draft& d : drafts) {
      orders.push_back(DraftOrder{d.id, d.drug.ingredients, DrugDisplayName(kb, d.drug), OrderedDoseMg(d.resource, weight)});
    }
    return orders;
  };
  CdsResponse response;
  if (service_id == kAssessment) {
    // Active dopamine-antagonist orders in the patient's data: the NMS card offers to stop them (§8.7).
    std::vector<ActiveTriggerOrder> active;
    for (const FhirSource& source : data.sources) {
      if (source.key != "medication_requests") continue;
      simdjson::dom::array entries;
      if (source.root["entry"].get_array().get(entries)) continue;
      for (element entry : entries) {
        object res;
        if (entry["resource"].get_object().get(res) || StringMember(res, "resourceType") != "MedicationRequest") continue;
        const std::string_view status = StringMember(res, "status");
        bool do_not_perform = false;
        if ((status != "active" && status != "on-hold") || StringMember(res, "intent") == "option" ||
            (!res["doNotPerform"].get_bool().get(do_not_perform) && do_not_perform)) {
          continue;
        }
        IdentifiedDrug drug = IdentifyMedication(res, source.root, kb);
        if (!HasRole(kb, drug, kRoleD2Antagonist)) continue;
        std::string dose_text;
        simdjson::dom::array dosage;
        if (!res["dosageInstruction"].get_array().get(dosage) && dosage.size() > 0) {
          std::string_view t;
          if (!dosage.at(0)["text"].get_string().get(t)) dose_text = std::string(t);
        }
        active.push_back(ActiveTriggerOrder{std::string(StringMember(res, "id")), DrugDisplayName(kb, drug), dose_text,
                                            simdjson::minify(res)});
      }
    }
    response = PatientViewCards(*r.report, card_request, active, kb);
  } else if (service_id == kDantroleneOrder) {
    response = DantroleneOrderCards(*r.report, card_request, to_orders(dantrolene_drafts), kb);
  } else {
    response = TriggerOrderCards(*r.report, card_request, to_orders(trigger_drafts), kb);
  }
  r.body = std::move(response.json);
  r.cards = std::move(response.cards);
  r.outcome = "ok";
  return r;
}

}  // namespace nmscds
