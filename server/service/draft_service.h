#ifndef ROLLCALL_SERVER_SERVICE_DRAFT_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_DRAFT_SERVICE_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "rollcall/v1/draft_service.grpc.pb.h"
#include "server/common/worker_pool.h"
#include "server/service/document_reader.h"
#include "server/service/draft_watchers.h"
#include "server/service/statement_service.h"
#include "server/store/draft_store.h"
#include "server/store/store.h"

namespace rollcall {

// The longest document ExtractDrafts reads, text or HTML, in bytes.
inline constexpr size_t kMaxDocumentBytes = 2 * 1024 * 1024;

// rollcall.v1.DraftService over a Store and its DraftStore.
//
// Accepting a draft records its statement through `statements` (the
// CreateStatement path: validation, duplicate check, idempotency) with the
// request_id "accept:" + the draft's name, then marks the draft accepted:
// if the server stops between the two, accepting again finds the statement
// by its request_id instead of recording a second one.
//
// Writes run on `workers`. `reader` may be null: ExtractDrafts then answers
// FAILED_PRECONDITION with `reader_unavailable`. Everything passed in must
// outlive the service.
//
// ExtractDrafts is a raw method (its request and response are byte
// buffers) only so that a request gRPC cannot parse (a text field holding
// bytes that are not UTF-8: binary data) gets INVALID_ARGUMENT naming the
// document rather than gRPC's bare UNIMPLEMENTED. Its wire format, and what
// reflection reports, are those of the typed method.
class DraftService final : public v1::DraftService::WithRawCallbackMethod_ExtractDrafts<
                               v1::DraftService::CallbackService> {
 public:
  DraftService(Store* store, DraftStore* drafts, StatementService* statements,
               WorkerPool* workers, DocumentReader* reader, std::string reader_unavailable,
               int max_page_size = 1000,
               absl::Duration drafts_relist_interval = absl::Seconds(2))
      : store_(store),
        drafts_(drafts),
        statements_(statements),
        workers_(workers),
        reader_(reader),
        reader_unavailable_(std::move(reader_unavailable)),
        max_page_size_(max_page_size),
        watchers_(drafts, drafts_relist_interval) {}

  // The request is a serialized v1::ExtractDraftsRequest; the response a
  // serialized v1::ExtractDraftsResponse.
  grpc::ServerUnaryReactor* ExtractDrafts(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* context,
                                        const v1::GetDocumentRequest* request,
                                        v1::Document* response) override;
  grpc::ServerUnaryReactor* GetDraft(grpc::CallbackServerContext* context,
                                     const v1::GetDraftRequest* request,
                                     v1::Draft* response) override;
  grpc::ServerUnaryReactor* ListDrafts(grpc::CallbackServerContext* context,
                                       const v1::ListDraftsRequest* request,
                                       v1::ListDraftsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptDraft(grpc::CallbackServerContext* context,
                                        const v1::AcceptDraftRequest* request,
                                        v1::AcceptDraftResponse* response) override;
  grpc::ServerUnaryReactor* RejectDraft(grpc::CallbackServerContext* context,
                                        const v1::RejectDraftRequest* request,
                                        v1::Draft* response) override;
  // See DraftWatchers: every accepted, rejected or extracted draft is sent
  // to the streams at once.
  grpc::ServerWriteReactor<v1::WatchDraftsResponse>* WatchDrafts(
      grpc::CallbackServerContext* context, const v1::WatchDraftsRequest* request) override;

  // Ends the WatchDrafts streams with "reconnect now" and refuses new ones
  // (the server is stopping).
  void StopWatches() { watchers_.Stop(); }

 private:
  absl::Status Extract(const v1::ExtractDraftsRequest& request,
                       v1::ExtractDraftsResponse* response);
  // For each proposed draft: the pending draft it repeats (to merge into)
  // and the active statement it duplicates, if any.
  absl::Status Relate(std::vector<ExtractedDraft>& drafts);
  absl::Status Accept(const v1::AcceptDraftRequest& request, absl::string_view reviewer,
                      v1::AcceptDraftResponse* response);

  Store* const store_;
  DraftStore* const drafts_;
  StatementService* const statements_;
  WorkerPool* const workers_;
  DocumentReader* const reader_;
  const std::string reader_unavailable_;
  const int max_page_size_;
  // Held from relating an extraction's drafts to the pending ones until it
  // is recorded, so that two reports of one reaction extracted at once on
  // this server still merge (the extractor runs outside it). Instances
  // sharing a PostgreSQL store do not share it: there, two reports
  // extracted at the same moment on two instances may give two drafts.
  absl::Mutex record_mu_;
  DraftWatchers watchers_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_DRAFT_SERVICE_H_
