#ifndef ROLLCALL_CLIENT_CLI_STATEMENT_FLAGS_H_
#define ROLLCALL_CLIENT_CLI_STATEMENT_FLAGS_H_

// The flags that set a statement's fields, shared by `statements add` and
// `statements update`, and the interactive entry of missing fields.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace CLI {
class App;
}  // namespace CLI

namespace rollcall::cli {

class Prompter;

struct StatementFlags {
  std::string event;
  std::string actor;
  std::string stance;
  std::string quote;
  std::string summary;
  std::string speaker;
  std::string office;
  std::string issue_time;
  std::string language;
  std::vector<std::string> actions;
  std::vector<std::string> targets;
  std::string modality;
  std::vector<std::string> joint_with;
  std::string stance_toward;
  std::string source_url;
  std::string source_publisher;
  std::string source_medium;
  std::vector<std::string> labels;
};

// Registers --event, --actor, --stance, --quote and the other field flags
// on `cmd`, bound to `flags`.
void AddStatementFieldFlags(CLI::App* cmd, StatementFlags* flags);

// Applies the field flags the user gave on `cmd` to `statement` and adds
// each changed field to `mask`. `statement` may hold the current values:
// --speaker/--office, the --source-* flags and --label change the current
// speaker, first source and labels rather than replacing them; --target
// without --action retargets the current actions. Returns INVALID_ARGUMENT
// naming the flag for a bad value.
absl::Status ApplyStatementFlags(const CLI::App& cmd, const StatementFlags& flags,
                                 v1::Statement* statement,
                                 google::protobuf::FieldMask* mask);

// The flags a create still needs, e.g. {"--stance", "--quote or --summary"};
// empty when `statement` has every required field.
std::vector<std::string> MissingRequiredFlags(const v1::Statement& statement);

// Asks for every missing required field, then offers a source URL if the
// statement has no source. Returns CANCELLED if the input ends.
absl::Status AskForMissingFields(Prompter& prompter, v1::Statement* statement);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_STATEMENT_FLAGS_H_
