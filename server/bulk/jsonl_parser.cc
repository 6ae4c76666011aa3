#include "server/bulk/jsonl_parser.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/protobuf/util/json_util.h"
#include "server/bulk/exchange_records.pb.h"
#include "server/common/exchange_requests.h"
#include "server/service/statement_service.h"

namespace rollcall {
namespace {

constexpr size_t kLinesPerChunk = 2000;
constexpr size_t kChunksAhead = 8;
// Lines parsed as one JSON document (ParseGroup).
constexpr size_t kLinesPerDocument = 100;

// What the request `rollcall import` would send asks the store for; a
// statement validated and prepared as CreateStatement prepares it.
decltype(ParsedLine::record) ToLoadRecord(absl::StatusOr<ExchangeRequest> request) {
  if (!request.ok()) return request.status();
  if (auto* actor = std::get_if<v1::CreateActorRequest>(&*request)) return std::move(*actor);
  if (auto* event = std::get_if<v1::CreateEventRequest>(&*request)) return std::move(*event);
  absl::StatusOr<NewStatement> prepared =
      PrepareCreateStatement(std::get<v1::CreateStatementRequest>(*request), "");
  if (!prepared.ok()) return prepared.status();
  return *std::move(prepared);
}

// Whether `line` is one JSON object and nothing else, if it is valid JSON
// at all: it starts with '{', ends with the '}' that closes it, and no
// brace or bracket outside a string closes it earlier. Lines that are can
// be joined into one document whose records are exactly theirs.
bool IsOneObject(absl::string_view line) {
  if (line.size() < 2 || line.front() != '{' || line.back() != '}') return false;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (depth <= 0 && i + 1 < line.size()) return false;
  }
  return depth == 0 && !in_string;
}

// Parses `lines` as one document {"records": [line, ...]} when each is one
// object (protobuf's JSON parser then costs about half as much per line),
// else, or if that fails (some line is bad), one line at a time.
void ParseGroup(absl::Span<const std::pair<int64_t, std::string>> lines,
                std::vector<ParsedLine>& out) {
  bool joinable = lines.size() > 1;
  size_t bytes = 16;
  for (const auto& [number, text] : lines) {
    joinable = joinable && IsOneObject(text);
    bytes += text.size() + 1;
  }
  if (joinable) {
    std::string document;
    document.reserve(bytes);
    document.append("{\"records\":[");
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) document.push_back(',');
      document.append(lines[i].second);
    }
    document.append("]}");
    bulk::ExchangeRecords records;
    if (google::protobuf::util::JsonStringToMessage(document, &records).ok() &&
        records.records_size() == static_cast<int>(lines.size())) {
      for (size_t i = 0; i < lines.size(); ++i) {
        out.push_back({lines[i].first,
                       ToLoadRecord(ExchangeRequestFor(std::move(*records.mutable_records(i)),
                                                       lines[i].second))});
      }
      return;
    }
  }
  for (const auto& [number, text] : lines) {
    out.push_back({number, ToLoadRecord(ParseExchangeLine(text))});
  }
}

}  // namespace

JsonlParser::JsonlParser(std::istream& in, int parse_threads) : in_(in) {
  threads_.emplace_back([this] { Read(); });
  for (int i = 0; i < std::max(1, parse_threads); ++i) {
    threads_.emplace_back([this] { Parse(); });
  }
}

JsonlParser::~JsonlParser() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

std::vector<ParsedLine> JsonlParser::Next() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](JsonlParser* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
        return (!p->chunks_.empty() && p->chunks_.front().ready) ||
               (p->chunks_.empty() && p->read_all_);
      },
      this));
  if (chunks_.empty()) return {};
  std::vector<ParsedLine> parsed = std::move(chunks_.front().parsed);
  chunks_.pop_front();
  ++front_index_;
  return parsed;
}

void JsonlParser::Read() {
  std::string line;
  int64_t number = 0;
  bool more = true;
  while (more) {
    Chunk chunk;
    while (chunk.raw.size() < kLinesPerChunk && (more = bool(std::getline(in_, line)))) {
      ++number;
      const absl::string_view content = absl::StripAsciiWhitespace(line);
      if (content.empty() || absl::StartsWith(content, "#")) continue;
      chunk.raw.emplace_back(number, std::string(content));
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](JsonlParser* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
          return p->chunks_.size() < kChunksAhead || p->stopping_;
        },
        this));
    if (stopping_) break;
    if (!chunk.raw.empty()) chunks_.push_back(std::move(chunk));
  }
  absl::MutexLock lock(&mu_);
  read_all_ = true;
}

void JsonlParser::Parse() {
  while (true) {
    std::vector<RawLine> raw;
    int64_t index = 0;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](JsonlParser* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return p->stopping_ || p->read_all_ ||
                   p->next_to_parse_ < p->front_index_ + static_cast<int64_t>(p->chunks_.size());
          },
          this));
      if (stopping_) return;
      if (next_to_parse_ >= front_index_ + static_cast<int64_t>(chunks_.size())) {
        return;  // everything read is parsed or being parsed
      }
      index = next_to_parse_++;
      raw = std::move(chunks_[index - front_index_].raw);
    }
    std::vector<ParsedLine> parsed;
    parsed.reserve(raw.size());
    for (size_t start = 0; start < raw.size(); start += kLinesPerDocument) {
      const size_t count = std::min(kLinesPerDocument, raw.size() - start);
      ParseGroup(absl::MakeConstSpan(raw).subspan(start, count), parsed);
    }
    absl::MutexLock lock(&mu_);
    // The chunk cannot have left the queue: only ready chunks do.
    Chunk& chunk = chunks_[index - front_index_];
    chunk.parsed = std::move(parsed);
    chunk.ready = true;
  }
}

}  // namespace rollcall
