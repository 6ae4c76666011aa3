#ifndef ROLLCALL_CLIENT_CLI_PROMPT_H_
#define ROLLCALL_CLIENT_CLI_PROMPT_H_

// Interactive entry: asks on the terminal for values the user left out.

#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rollcall::cli {

// True when both stdin and stdout are terminals, so that asking is possible.
bool IsInteractive();

// Asks questions on `out` and reads the answers, one line each, from `in`.
class Prompter {
 public:
  Prompter(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

  // Prints `prompt` as is and reads one answer, trimmed. Returns CANCELLED
  // when input ends.
  absl::StatusOr<std::string> AskLine(const std::string& prompt);

  // Asks until the answer is not empty. Returns CANCELLED when input ends.
  absl::StatusOr<std::string> AskRequired(const std::string& question);

  // Asks once; an empty answer is allowed. Returns CANCELLED when input
  // ends.
  absl::StatusOr<std::string> AskOptional(const std::string& question);

  // Asks "QUESTION (a, b, c): " until `parse` accepts the answer; prints
  // the parser's error message before asking again.
  absl::StatusOr<std::string> AskValid(
      const std::string& question, const std::vector<std::string>& choices,
      const std::function<absl::Status(const std::string&)>& parse);

 private:
  std::istream& in_;
  std::ostream& out_;
};

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_PROMPT_H_
