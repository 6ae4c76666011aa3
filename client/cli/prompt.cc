#include "client/cli/prompt.h"

#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rollcall::cli {

bool IsInteractive() { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

absl::StatusOr<std::string> Prompter::AskLine(const std::string& prompt) {
  out_ << prompt << std::flush;
  std::string line;
  if (!std::getline(in_, line)) {
    out_ << '\n';
    return absl::CancelledError("input ended before every field was given");
  }
  return std::string(absl::StripAsciiWhitespace(line));
}

absl::StatusOr<std::string> Prompter::AskRequired(const std::string& question) {
  while (true) {
    absl::StatusOr<std::string> answer = AskLine(question + ": ");
    if (!answer.ok() || !answer->empty()) return answer;
    out_ << "A value is required.\n";
  }
}

absl::StatusOr<std::string> Prompter::AskOptional(const std::string& question) {
  return AskLine(question + " (optional, Enter to skip): ");
}

absl::StatusOr<std::string> Prompter::AskValid(
    const std::string& question, const std::vector<std::string>& choices,
    const std::function<absl::Status(const std::string&)>& parse) {
  std::string prompt = question;
  if (!choices.empty()) {
    absl::StrAppend(&prompt, " (", absl::StrJoin(choices, ", "), ")");
  }
  while (true) {
    absl::StatusOr<std::string> answer = AskRequired(prompt);
    if (!answer.ok()) return answer;
    absl::Status valid = parse(*answer);
    if (valid.ok()) return answer;
    out_ << valid.message() << '\n';
  }
}

}  // namespace rollcall::cli
