// ExportWriter: the exports of exchange.h written a binding (or a key) at
// a time, from the same pieces as the whole-set functions.
#include "formats/formats.h"
#include "formats/text_codec.h"
#include "sslbind/exchange.h"

namespace sslbind {
namespace {

constexpr size_t kFlushBytes = 64 << 10;

// True if `key` lies below `ancestor` (names compared case-insensitively).
bool IsBelow(const std::string& ancestor, const std::string& key) {
  return key.size() > ancestor.size() && key[ancestor.size()] == '\\' &&
         FoldCase(std::string_view(key).substr(0, ancestor.size())) ==
             FoldCase(ancestor);
}

}  // namespace

ExportWriter::ExportWriter(ExchangeFormat format, Sink sink,
                           std::optional<uint64_t> revision)
    : format_(format), sink_(std::move(sink)) {
  switch (format_) {
    case ExchangeFormat::kJson:
      buffer_ = internal::JsonDocumentHead(revision);
      break;
    case ExchangeFormat::kNetsh:
      if (revision) {
        buffer_ = "# " + internal::ExportRevisionComment(*revision) + "\n";
      }
      buffer_ += NetshShowHeader();
      break;
    case ExchangeFormat::kReg:
      buffer_ = "\xff\xfe";
      Text(internal::RegFileHeaderText());
      if (revision) {
        Text("; " + internal::ExportRevisionComment(*revision) + "\r\n");
      }
      break;
  }
}

void ExportWriter::AddBinding(const Binding& binding) {
  if (format_ == ExchangeFormat::kJson) {
    internal::AppendJsonDocumentEntry(binding, count_ == 0, &buffer_);
  } else {
    AppendNetshShowEntry(binding, &buffer_);
  }
  ++count_;
  if (buffer_.size() >= kFlushBytes) Flush();
}

// FormatRegFile keeps the first key, every key with values, and every
// ancestor of one: a key without values waits in pending_ until a key with
// values below it comes (then it is written) or a key outside it (then it
// is dropped). Keys come depth first, so pending_ is a chain of ancestors.
void ExportWriter::AddKey(const RegistryKey& key) {
  std::string& text = text_;
  text.clear();
  if (count_++ == 0) {
    internal::AppendRegKeyText(key, &text);
  } else {
    while (!pending_.empty() && !IsBelow(pending_.back().path, key.path)) {
      pending_.pop_back();
    }
    if (key.values.empty()) {
      pending_.push_back(key);
      return;
    }
    for (const RegistryKey& ancestor : pending_) {
      internal::AppendRegKeyText(ancestor, &text);
    }
    pending_.clear();
    internal::AppendRegKeyText(key, &text);
  }
  Text(text);
  if (buffer_.size() >= kFlushBytes) Flush();
}

void ExportWriter::Finish() {
  switch (format_) {
    case ExchangeFormat::kJson:
      buffer_ += internal::JsonDocumentTail(count_);
      break;
    case ExchangeFormat::kNetsh: break;
    case ExchangeFormat::kReg: Text("\r\n"); break;
  }
  Flush();
}

void ExportWriter::Text(std::string_view utf8) {
  internal::AppendUtf16Le(utf8, &buffer_);
}

void ExportWriter::Flush() {
  if (!buffer_.empty()) sink_(buffer_);
  buffer_.clear();
}

}  // namespace sslbind
