#ifndef ROLLCALL_SERVER_SERVICE_EXTRACTOR_READER_H_
#define ROLLCALL_SERVER_SERVICE_EXTRACTOR_READER_H_

// The server's DocumentReader: the extractor (server/extract/extractor.h)
// with the knowledge loaded at start and a snapshot of the store's actor
// directory.
//
// The snapshot is built once and rebuilt only when the directory changed:
// each read lists the actors (names and etags, a cheap indexed read) and
// compares their fingerprint with the snapshot's, so actors created or
// corrected by any instance sharing the store are resolved by the next
// extraction, and an unchanged directory is never indexed twice.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/service/document_reader.h"
#include "server/store/store.h"

namespace rollcall {

class ExtractorReader : public DocumentReader {
 public:
  // Loads the knowledge under `directory`; its errors (NOT_FOUND for a
  // missing file, INVALID_ARGUMENT naming a malformed line) if it cannot.
  // `store` must outlive the reader.
  static absl::StatusOr<std::unique_ptr<ExtractorReader>> Load(const std::string& directory,
                                                               Store* store);

  absl::StatusOr<extract::Extraction> Read(const v1::Document& document,
                                           absl::string_view event,
                                           absl::Time now) override;

  // How many times the directory snapshot was built (for tests).
  int directory_builds() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ExtractorReader(std::shared_ptr<const extract::Knowledge> knowledge, Store* store)
      : knowledge_(std::move(knowledge)), store_(store) {}
  // The snapshot of the directory as it is now, rebuilt if it changed.
  absl::StatusOr<std::shared_ptr<const extract::ActorDirectory>> CurrentDirectory()
      ABSL_LOCKS_EXCLUDED(mu_);

  const std::shared_ptr<const extract::Knowledge> knowledge_;
  Store* const store_;
  absl::Mutex mu_;
  std::string fingerprint_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const extract::ActorDirectory> directory_ ABSL_GUARDED_BY(mu_);
  int builds_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_EXTRACTOR_READER_H_
