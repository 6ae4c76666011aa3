#include "server/feed/wire_message.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "rollcall/v1/statement_service.pb.h"
#include "server/common/time_util.h"

namespace rollcall {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr int kChangesField = v1::SubscribeStatementsResponse::kChangesFieldNumber;
constexpr int kStatementField = v1::StatementChange::kStatementFieldNumber;

void WriteLengthDelimitedHeader(google::protobuf::io::CodedOutputStream& out, int field,
                                size_t length) {
  out.WriteTag(WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint32(static_cast<uint32_t>(length));
}

}  // namespace

WireMessage ChangeMessage(const LoggedChange& change) {
  // Every StatementChange field but the statement, which is the last field,
  // so appending it keeps the canonical field order.
  v1::StatementChange head;
  head.set_kind(change.kind);
  head.set_sequence(change.sequence);
  *head.mutable_commit_time() = FromUnixMicros(change.commit_time_micros);
  const size_t head_size = head.ByteSizeLong();
  const size_t change_size =
      head_size + WireFormatLite::TagSize(kStatementField, WireFormatLite::TYPE_MESSAGE) +
      WireFormatLite::LengthDelimitedSize(change.statement.size());

  auto bytes = std::make_shared<std::string>();
  bytes->reserve(WireFormatLite::TagSize(kChangesField, WireFormatLite::TYPE_MESSAGE) +
                 WireFormatLite::LengthDelimitedSize(change_size));
  {
    google::protobuf::io::StringOutputStream stream(bytes.get());
    google::protobuf::io::CodedOutputStream out(&stream);
    WriteLengthDelimitedHeader(out, kChangesField, change_size);
    head.SerializeWithCachedSizes(&out);
    WriteLengthDelimitedHeader(out, kStatementField, change.statement.size());
    out.WriteRaw(change.statement.data(), static_cast<int>(change.statement.size()));
  }
  return bytes;
}

WireMessage CaughtUpMessage(int64_t head_sequence) {
  v1::SubscribeStatementsResponse message;
  message.mutable_caught_up()->set_head_sequence(head_sequence);
  return std::make_shared<const std::string>(message.SerializeAsString());
}

WireMessage HeartbeatMessage(int64_t head_sequence, absl::Time time) {
  v1::SubscribeStatementsResponse message;
  message.mutable_heartbeat()->set_head_sequence(head_sequence);
  *message.mutable_heartbeat()->mutable_time() = ToTimestamp(time);
  return std::make_shared<const std::string>(message.SerializeAsString());
}

}  // namespace rollcall
