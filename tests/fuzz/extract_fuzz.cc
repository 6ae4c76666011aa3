// Fuzzes the extractor: any text or HTML either fails naming document.text
// or document.html, or gives drafts whose evidence points at the document's
// text (each span's text is the text between its code-point offsets).

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "rollcall/v1/exchange.pb.h"
#include "server/extract/actor_directory.h"
#include "server/extract/extractor.h"
#include "server/extract/tokens.h"
#include "tests/fuzz/fuzz_check.h"

namespace rollcall::fuzz {
namespace {

struct Setup {
  std::shared_ptr<const extract::Knowledge> knowledge;
  std::shared_ptr<const extract::ActorDirectory> directory;
};

const Setup& Shared() {
  static const Setup* setup = [] {
    auto* s = new Setup;
    auto knowledge = extract::LoadKnowledge(ROLLCALL_SOURCE_DIR "/data/extract");
    Require(knowledge.ok(), "the knowledge does not load");
    s->knowledge = *knowledge;
    std::vector<v1::Actor> actors;
    for (const char* json :
         {R"({"actor":{"name":"actors/ecowas","displayName":"ECOWAS","kind":"ACTOR_KIND_REGIONAL_BLOC","aliases":["CEDEAO"]}})",
          R"({"actor":{"name":"actors/france","displayName":"France","kind":"ACTOR_KIND_STATE","demonyms":["French","français"],"metonyms":["Paris"]}})"}) {
      v1::ExchangeRecord record;
      Require(google::protobuf::util::JsonStringToMessage(json, &record).ok(),
              "fixture actor does not parse");
      actors.push_back(record.actor());
    }
    s->directory = extract::BuildActorDirectory(actors);
    return s;
  }();
  return *setup;
}

void CheckSpan(const std::string& text, const std::vector<int32_t>& offsets,
               const v1::TextSpan& span) {
  if (span.start() == 0 && span.end() == 0 && span.text().empty()) return;
  Require(span.start() <= span.end() && span.end() <= offsets.back(),
          "a span lies outside the text");
  size_t begin = std::lower_bound(offsets.begin(), offsets.end(), span.start()) -
                 offsets.begin();
  size_t end = std::lower_bound(offsets.begin(), offsets.end(), span.end()) -
               offsets.begin();
  Require(text.substr(begin, end - begin) == span.text(),
          "a span's text is not the text at its offsets");
}

}  // namespace
}  // namespace rollcall::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const fuzz::Setup& setup = fuzz::Shared();
  FuzzedDataProvider provider(data, size);
  const bool html = provider.ConsumeBool();
  const std::string language = provider.PickValueInArray({"", "en", "fr", "de"});
  v1::Document document;
  std::string body = provider.ConsumeRemainingBytesAsString();
  if (html) document.set_html(body); else document.set_text(body);
  document.set_language(language);
  auto extraction = extract::Extract(*setup.knowledge, *setup.directory,
                                     document, "events/fuzz", absl::Now());
  fuzz::RequireOkOrFieldError(extraction.status(), "document.");
  if (!extraction.ok()) return 0;
  const std::string& text = extraction->document.text();
  std::vector<int32_t> offsets = extract::CodePointOffsets(text);
  for (const auto& draft : extraction->drafts) {
    fuzz::Require(draft.evidence_size() == 1, "a draft has no evidence");
    const auto& e = draft.evidence(0);
    for (const auto& s : e.sentences()) fuzz::CheckSpan(text, offsets, s);
    for (const auto& q : e.quotes()) fuzz::CheckSpan(text, offsets, q);
    for (const auto& c : e.stance_cues()) fuzz::CheckSpan(text, offsets, c);
    for (const auto& c : e.action_cues()) fuzz::CheckSpan(text, offsets, c);
    fuzz::CheckSpan(text, offsets, e.cue());
    fuzz::CheckSpan(text, offsets, e.time_cue());
    fuzz::CheckSpan(text, offsets, e.actor_mention().span());
    fuzz::CheckSpan(text, offsets, e.actor_mention().antecedent());
    fuzz::Require(draft.statement().stance() != v1::STANCE_UNSPECIFIED,
                  "a draft has no stance");
  }
  return 0;
}
