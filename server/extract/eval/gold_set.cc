#include "server/extract/eval/gold_set.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "rollcall/v1/exchange.pb.h"

namespace rollcall::extract {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string Field(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

const Struct* Object(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_struct_value()) return nullptr;
  return &it->second.struct_value();
}

std::string Folder(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::Status ReadRecords(const std::string& path,
                         std::vector<v1::ExchangeRecord>* records,
                         Struct* header) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (header != nullptr && line.rfind("{\"gold\"", 0) == 0) {
      Struct s;
      if (!google::protobuf::util::JsonStringToMessage(line, &s).ok() ||
          Object(s, "gold") == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", number, ": bad gold line"));
      }
      *header = *Object(s, "gold");
      continue;
    }
    v1::ExchangeRecord record;
    auto status = google::protobuf::util::JsonStringToMessage(line, &record, options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": ", std::string(status.message())));
    }
    records->push_back(std::move(record));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<v1::Actor>> LoadActors(const std::string& path) {
  std::vector<v1::ExchangeRecord> records;
  absl::Status status = ReadRecords(path, &records, nullptr);
  if (!status.ok()) return status;
  std::vector<v1::Actor> actors;
  for (const auto& r : records) {
    if (r.has_actor()) actors.push_back(r.actor());
  }
  return actors;
}

absl::StatusOr<GoldSet> LoadGoldSet(const std::string& path,
                                    const std::string& data_dir) {
  GoldSet gold;
  size_t slash = path.rfind('/');
  gold.slug = path.substr(slash == std::string::npos ? 0 : slash + 1);
  if (gold.slug.size() > 6 && gold.slug.substr(gold.slug.size() - 6) == ".jsonl") {
    gold.slug.resize(gold.slug.size() - 6);
  }
  std::vector<v1::ExchangeRecord> records;
  Struct header;
  absl::Status status = ReadRecords(path, &records, &header);
  if (!status.ok()) return status;
  if (Field(header, "text").empty()) {
    return absl::InvalidArgumentError(path + ": no gold line naming the text");
  }
  auto text = ReadFile(Folder(path) + "/" + Field(header, "text"));
  if (!text.ok()) return text.status();
  gold.event = Field(header, "event");
  v1::Document& doc = gold.document;
  doc.set_text(*text);
  if (const Struct* d = Object(header, "document")) {
    doc.set_url(Field(*d, "url"));
    doc.set_title(Field(*d, "title"));
    doc.set_publisher(Field(*d, "publisher"));
    doc.set_language(Field(*d, "language"));
    v1::SourceMedium medium;
    if (v1::SourceMedium_Parse(Field(*d, "medium"), &medium)) doc.set_medium(medium);
    google::protobuf::Timestamp published;
    if (google::protobuf::util::TimeUtil::FromString(Field(*d, "publishTime"),
                                                     &published)) {
      *doc.mutable_publish_time() = published;
    }
  }
  std::string label, value;
  if (const Struct* from = Object(header, "statementsFrom")) {
    label = Field(*from, "label");
    value = Field(*from, "value");
    status = ReadRecords(data_dir + "/" + Field(*from, "file"), &records, nullptr);
    if (!status.ok()) return status;
  }
  for (const auto& r : records) {
    if (r.has_actor()) gold.actors.push_back(r.actor());
    if (!r.has_statement()) continue;
    const auto& labels = r.statement().labels();
    if (!label.empty()) {
      auto it = labels.find(label);
      if (it == labels.end() || it->second != value) continue;
    }
    gold.statements.push_back(r.statement());
  }
  return gold;
}

}  // namespace rollcall::extract
