// bulk-load: writes the seed's data (the fixture's actors and events, then
// --statements statements over --events, exactly as `seed` stores them) as
// a JSONL exchange file, then times `rollcalld --bulk_load` building a new
// store from it in --data-dir.

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
#include "bench/workload.h"
#include "google/protobuf/util/json_util.h"
#include "rollcall/v1/exchange.pb.h"

namespace rollcall::bench {
namespace {

std::string JsonOf(const v1::ExchangeRecord& record) {
  std::string json;
  google::protobuf::util::MessageToJsonString(record, &json);
  return json;
}

// The fixture and the statements, one ExchangeRecord a line.
bool WriteSeedFile(const std::string& path, int64_t statements, int events) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (int i = 0; i < kActors; ++i) {
    v1::ExchangeRecord record;
    record.mutable_actor()->set_name(ActorName(i));
    record.mutable_actor()->set_display_name(absl::StrCat("Bench actor ", i));
    record.mutable_actor()->set_kind(v1::ACTOR_KIND_STATE);
    out << JsonOf(record) << '\n';
  }
  for (int i = 0; i < events; ++i) {
    v1::ExchangeRecord record;
    record.mutable_event()->set_name(EventName(i));
    record.mutable_event()->set_title(absl::StrCat("Bench event ", i));
    record.mutable_event()->mutable_start_time()->set_seconds(kIssueStartSeconds);
    out << JsonOf(record) << '\n';
  }
  for (int64_t i = 0; i < statements; ++i) {
    v1::ExchangeRecord record;
    *record.mutable_statement() = MakeStatement(i, events);
    record.set_request_id(absl::StrCat("bench-seed-", i));
    out << JsonOf(record) << '\n';
  }
  out.close();
  return static_cast<bool>(out);
}

// Runs `rollcalld --bulk_load=FILE --data_dir=DIR` (its report goes to
// stderr); its exit status.
int RunBulkLoad(const std::string& rollcalld, const std::string& file,
                const std::string& data_dir) {
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(STDERR_FILENO, STDOUT_FILENO);  // stdout carries the scenario's line only
    const std::string load = "--bulk_load=" + file;
    const std::string dir = "--data_dir=" + data_dir;
    execl(rollcalld.c_str(), rollcalld.c_str(), load.c_str(), dir.c_str(),
          "--log_level=warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int RunBulkLoadScenario(const BenchOptions& options) {
  JsonLine line("bulk-load");
  if (options.rollcalld.empty() || options.data_dir.empty()) {
    line.Add("error", "needs --rollcalld and --data-dir").Print();
    return 1;
  }
  const std::string file = options.data_dir + ".jsonl";
  const absl::Time written = absl::Now();
  if (!WriteSeedFile(file, options.statements, options.events)) {
    line.Add("error", "cannot write " + file).Print();
    return 1;
  }
  const double write_s = absl::ToDoubleSeconds(absl::Now() - written);
  const absl::Time start = absl::Now();
  const int exit_status = RunBulkLoad(options.rollcalld, file, options.data_dir);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::ifstream size_of(file, std::ios::binary | std::ios::ate);
  line.Add("statements", options.statements)
      .Add("events", options.events)
      .Add("file_bytes", static_cast<int64_t>(size_of.tellg()))
      .Add("seconds_to_write_file", write_s)
      .Add("seconds", seconds)
      .Add("statements_per_s", options.statements / seconds)
      .Add("exit_status", exit_status);
  if (exit_status != 0) line.Add("error", "rollcalld --bulk_load failed");
  line.Print();
  return exit_status == 0 ? 0 : 1;
}

}  // namespace rollcall::bench
