// CDS service benchmarks (Google Benchmark): the parts of a `serve` request that cost CPU, without HTTP.
//
//   BM_JwtVerifyEs384     §8.3 verification of a fresh ES384 token (parse, key lookup, signature, claims,
//                         replay cache)
//   BM_JwtVerifyRs384     the same with RS384 and a 2048-bit key
//   BM_CdsPatientView     one nms-assessment call with full prefetch (the febrile-neutropenic polypharmacy
//                         patient): request checks, FHIR -> Case, engine, cards JSON
//
// The HTTP figures (throughput, p50/p99 at 1,000 req/s, resident memory) come from bench/load/run.sh.
// Run: build/bench/nmscds_service_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "auth/jwt.h"
#include "auth/trusted_issuers.h"
#include "jwt_test_signer.h"
#include "kb/knowledge_base.h"
#include "nmscds/nmscds.h"
#include "server/cds_call.h"
#include "server/metrics.h"
#include "server/server_options.h"
#include "test_util.h"

namespace {

using nmscds::testing::Json;
using nmscds::testing::TestKeyPair;

constexpr const char* kIssuer = "https://ehr.bench";
constexpr const char* kAudience = "https://nmscds.bench/cds-services/nms-assessment";
constexpr std::int64_t kNow = 1'800'000'000;

// Verifies fresh tokens (a replayed one would stop at step 7); they are signed in batches outside the timing.
void VerifyFreshTokens(benchmark::State& state, const TestKeyPair& key) {
  auto issuers = nmscds::ParseTrustedIssuers(
      nmscds::testing::TrustedIssuersDocument({nmscds::testing::IssuerEntry(kIssuer, {&key})}).dump(), "");
  if (!issuers) {
    state.SkipWithError("trusted issuers");
    return;
  }
  nmscds::JwtVerifier verifier(std::move(*issuers));
  constexpr int kBatch = 1000;
  std::vector<std::string> headers;
  int next = kBatch, serial = 0;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      headers.clear();
      for (int i = 0; i < kBatch; ++i) {
        headers.push_back(nmscds::testing::Bearer(nmscds::testing::SignToken(
            key, nmscds::testing::StandardClaims(kIssuer, kAudience, kNow, "jti-" + std::to_string(++serial)))));
      }
      next = 0;
      state.ResumeTiming();
    }
    auto result = verifier.Verify(headers[static_cast<std::size_t>(next++)], kAudience, kNow);
    if (!std::holds_alternative<nmscds::VerifiedToken>(result)) {
      state.SkipWithError("a valid token was refused");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
}

void BM_JwtVerifyEs384(benchmark::State& state) {
  static const TestKeyPair key = TestKeyPair::Ec("bench-es");
  VerifyFreshTokens(state, key);
}
BENCHMARK(BM_JwtVerifyEs384)->Unit(benchmark::kMicrosecond);

void BM_JwtVerifyRs384(benchmark::State& state) {
  static const TestKeyPair key = TestKeyPair::Rsa("bench-rs", 2048);
  VerifyFreshTokens(state, key);
}
BENCHMARK(BM_JwtVerifyRs384)->Unit(benchmark::kMicrosecond);

void BM_CdsPatientView(benchmark::State& state) {
  // The same request body as the load test (bench/load/patient_view_body.py).
  auto body = nmscds::testing::Run({nmscds::testing::Python3(),
                                    nmscds::testing::SourceDir() + "/bench/load/patient_view_body.py",
                                    nmscds::testing::SharedDir() + "/spec/examples/bundle-fn-polypharmacy.json"});
  auto kb = nmscds::LoadKnowledgeBase("");
  if (body.exit_code != 0 || !kb) {
    state.SkipWithError("the request body or the knowledge base could not be made");
    return;
  }
  nmscds::ServerOptions options;
  options.allow_unauthenticated = true;
  nmscds::Metrics metrics;
  nmscds::CdsCallEnv env;
  env.kb = kb->get();
  env.options = &options;
  env.metrics = &metrics;
  env.unauthenticated = true;
  env.t0 = *nmscds::ParseDateTime("2026-11-20T14:00:00Z");
  for (auto _ : state) {
    env.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    nmscds::CdsCallResult result = nmscds::HandleCdsCall("nms-assessment", body.out, env);
    if (result.status != 200) {
      state.SkipWithError("the call did not answer 200");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.out.size()));
}
BENCHMARK(BM_CdsPatientView)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
