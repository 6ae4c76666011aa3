#include "server/service/grpc_status.h"

#include <optional>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "server/common/field_error.h"

namespace rollcall {

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(std::string(status.message()));
  if (std::optional<std::string> field = FieldOf(status); field.has_value()) {
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field(*field);
    violation->set_description(std::string(status.message()));
    rpc_status.add_details()->PackFrom(bad_request);
  }
  // Payloads that already hold a serialized google.rpc message (see
  // AlreadyExistsError, ReconnectNowError) become details as they are.
  for (const char* type_url : {kResourceInfoTypeUrl, kRetryInfoTypeUrl}) {
    if (absl::optional<absl::Cord> payload = status.GetPayload(type_url);
        payload.has_value()) {
      google::protobuf::Any* detail = rpc_status.add_details();
      detail->set_type_url(type_url);
      detail->set_value(std::string(*payload));
    }
  }
  return rpc_status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const google::rpc::Status rpc_status = ToRpcStatus(status);
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (rpc_status.details_size() == 0) {
    return grpc::Status(code, std::string(status.message()));
  }
  return grpc::Status(code, std::string(status.message()),
                      rpc_status.SerializeAsString());
}

}  // namespace rollcall
