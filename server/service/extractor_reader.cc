#include "server/service/extractor_reader.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/fingerprint.h"
#include "server/common/status_macros.h"

namespace rollcall {

absl::StatusOr<std::unique_ptr<ExtractorReader>> ExtractorReader::Load(
    const std::string& directory, Store* store) {
  ASSIGN_OR_RETURN(std::shared_ptr<const extract::Knowledge> knowledge,
                   extract::LoadKnowledge(directory));
  return std::unique_ptr<ExtractorReader>(new ExtractorReader(std::move(knowledge), store));
}

absl::StatusOr<std::shared_ptr<const extract::ActorDirectory>>
ExtractorReader::CurrentDirectory() {
  std::vector<v1::Actor> actors;
  std::string names_and_etags;
  ActorQuery query;
  query.page_size = 1000;
  while (true) {
    ASSIGN_OR_RETURN(ActorPage page, store_->ListActors(query));
    for (v1::Actor& actor : page.actors) {
      absl::StrAppend(&names_and_etags, actor.name(), " ", actor.etag(), "\n");
      actors.push_back(std::move(actor));
    }
    if (!page.next_after_name.has_value()) break;
    query.after_name = page.next_after_name;
  }
  const std::string fingerprint = absl::StrCat(
      actors.size(), ":", absl::Hex(StableFingerprint(names_and_etags), absl::kZeroPad16));
  absl::MutexLock lock(&mu_);
  if (directory_ == nullptr || fingerprint != fingerprint_) {
    directory_ = extract::BuildActorDirectory(actors);
    fingerprint_ = fingerprint;
    ++builds_;
  }
  return directory_;
}

absl::StatusOr<extract::Extraction> ExtractorReader::Read(const v1::Document& document,
                                                          absl::string_view event,
                                                          absl::Time now) {
  ASSIGN_OR_RETURN(std::shared_ptr<const extract::ActorDirectory> directory,
                   CurrentDirectory());
  return extract::Extract(*knowledge_, *directory, document, event, now);
}

int ExtractorReader::directory_builds() {
  absl::MutexLock lock(&mu_);
  return builds_;
}

}  // namespace rollcall
