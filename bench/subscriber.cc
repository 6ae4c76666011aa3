#include "bench/subscriber.h"

#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace rollcall::bench {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using rollcall::v1::SubscribeStatementsResponse;

constexpr char kSubscribeMethod[] = "/rollcall.v1.StatementService/SubscribeStatements";

bool ReadTimestampMicros(CodedInputStream& in, int64_t* micros) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  uint64_t seconds = 0;
  uint64_t nanos = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == google::protobuf::Timestamp::kSecondsFieldNumber) {
      if (!in.ReadVarint64(&seconds)) return false;
    } else if (field == google::protobuf::Timestamp::kNanosFieldNumber) {
      if (!in.ReadVarint64(&nanos)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  in.PopLimit(limit);
  *micros = static_cast<int64_t>(seconds) * 1000000 + static_cast<int64_t>(nanos) / 1000;
  return true;
}

bool ReadChange(CodedInputStream& in, ResponseSummary* summary) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  uint64_t sequence = 0;
  int64_t commit_micros = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == rollcall::v1::StatementChange::kSequenceFieldNumber) {
      if (!in.ReadVarint64(&sequence)) return false;
    } else if (field == rollcall::v1::StatementChange::kCommitTimeFieldNumber) {
      if (!ReadTimestampMicros(in, &commit_micros)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  in.PopLimit(limit);
  summary->changes.emplace_back(static_cast<int64_t>(sequence), commit_micros);
  return true;
}

bool ReadCaughtUp(CodedInputStream& in, ResponseSummary* summary) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == rollcall::v1::CaughtUp::kHeadSequenceFieldNumber) {
      uint64_t head = 0;
      if (!in.ReadVarint64(&head)) return false;
      summary->caught_up_head = static_cast<int64_t>(head);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  in.PopLimit(limit);
  return true;
}

}  // namespace

bool Summarize(grpc::ByteBuffer* buffer, ResponseSummary* summary) {
  summary->changes.clear();
  summary->caught_up = false;
  summary->caught_up_head = 0;
  grpc::ProtoBufferReader reader(buffer);
  CodedInputStream in(&reader);
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == SubscribeStatementsResponse::kChangesFieldNumber) {
      if (!ReadChange(in, summary)) return false;
      continue;
    }
    if (field == SubscribeStatementsResponse::kCaughtUpFieldNumber) {
      summary->caught_up = true;
      if (!ReadCaughtUp(in, summary)) return false;
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return in.ConsumedEntireMessage();
}

Subscriber::Subscriber(grpc::GenericStub* stub,
                       const rollcall::v1::SubscribeStatementsRequest& request,
                       std::atomic<int>* caught_up, bool stalled)
    : Subscriber(stub, kSubscribeMethod, request.SerializeAsString(),
                 !request.filter().empty(), caught_up, stalled) {}

Subscriber::Subscriber(grpc::GenericStub* stub, const std::string& method,
                       const std::string& request, bool filtered,
                       std::atomic<int>* caught_up, bool stalled)
    : caught_up_(caught_up), filtered_(filtered) {
  grpc::Slice bytes(request);
  request_ = grpc::ByteBuffer(&bytes, 1);
  stub->PrepareBidiStreamingCall(&context_, method, grpc::StubOptions(), this);
  StartWriteLast(&request_, grpc::WriteOptions());
  if (!stalled) StartRead(&response_);
  StartCall();
}

void Subscriber::OnReadDone(bool ok) {
  if (!ok) return;
  const int64_t now = absl::ToUnixMicros(absl::Now());
  if (!Summarize(&response_, &summary_)) {
    malformed_ = true;
    Cancel();
    return;
  }
  for (const auto& [sequence, commit_micros] : summary_.changes) {
    deliveries_.push_back({sequence, commit_micros, now});
    const int64_t last = last_sequence_.load();
    if (sequence <= last) duplicates_++;
    if (last > 0 && sequence > last + 1 && !filtered_) gaps_ += sequence - last - 1;
    last_sequence_ = sequence;
    delivered_++;
  }
  if (summary_.caught_up) caught_up_->fetch_add(1);
  StartRead(&response_);
}

void Subscriber::OnDone(const grpc::Status&) {
  absl::MutexLock lock(&mu_);
  done_ = true;
}

void Subscriber::AwaitDone() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&done_));
}

bool AwaitSequence(const Subscriber& subscriber, int64_t head, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (subscriber.last_sequence() < head && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(10));
  return subscriber.last_sequence() >= head;
}

}  // namespace rollcall::bench
