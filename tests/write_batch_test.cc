// Tests for sslbind/write_batch.h: recording operations and telling them to
// a handler (what Store::Write applies is tested in store_test.cc); and that
// the write path needs no OpenSSL header.
#include "sslbind/write_batch.h"

// Included first, before anything else can bring OpenSSL in: the headers
// of the write path compile without it (every OpenSSL header defines
// these).
#include "model/wipe.h"
#include "sslbind/store.h"
#if defined(OPENSSL_E_OS2_H) || defined(OPENSSL_VERSION_NUMBER)
#error "write_batch.h, store.h or model/wipe.h includes an OpenSSL header"
#endif

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::IpBinding;
using testing::Key;

// Writes down every operation it is told, as one line each.
class Recorder : public WriteBatch::Handler {
 public:
  Status Add(const Binding& binding) override {
    return Note("add " + binding.key.ToParam());
  }
  Status Put(const Binding& binding) override {
    return Note("put " + binding.key.ToParam());
  }
  Status Update(const BindingKey& key, const BindingPatch& patch) override {
    return Note("update " + key.ToParam() + " " +
                std::to_string(patch.entries().size()));
  }
  Status Delete(const BindingKey& key) override {
    return Note("delete " + key.ToParam());
  }
  Status Erase(const BindingKey& key) override {
    return Note("erase " + key.ToParam());
  }
  Status DeleteCertificate(const std::string& store_name,
                           const std::vector<uint8_t>& thumbprint,
                           bool force) override {
    return Note("delete certificate " + store_name + " " +
                std::to_string(thumbprint.size()) + (force ? " force" : ""));
  }
  Status EnableCcs(const std::string& folder,
                   const std::optional<std::string>& password) override {
    return Note("enable ccs " + folder + " " + password.value_or("(none)"));
  }
  Status DisableCcs() override { return Note("disable ccs"); }

  std::vector<std::string> lines;
  // The operation (counted from 0) that fails, if any.
  std::optional<size_t> fail_at;

 private:
  Status Note(std::string line) {
    if (fail_at && *fail_at == lines.size()) {
      return Status::InvalidArgument("refused " + line);
    }
    lines.push_back(std::move(line));
    return Status::Ok();
  }
};

WriteBatch EveryKind() {
  WriteBatch batch;
  batch.Add(IpBinding("10.0.0.1:443"));
  batch.Put(IpBinding("10.0.0.2:443"));
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kRevocationFreshnessTime, "60").ok());
  batch.Update(Key(BindingKind::kIpPort, "10.0.0.1:443"), patch);
  batch.Delete(Key(BindingKind::kIpPort, "10.0.0.2:443"));
  batch.Erase(Key(BindingKind::kCcs, "443"));
  batch.DeleteCertificate("MY", std::vector<uint8_t>(20, 0xab), true);
  batch.EnableCcs("/srv/ccs", "secret");
  batch.DisableCcs();
  return batch;
}

TEST_CASE("Iterate tells every operation, in order, with its arguments") {
  const WriteBatch batch = EveryKind();
  Recorder recorder;
  size_t failed = 99;
  CHECK(batch.Iterate(&recorder, &failed).ok());
  CHECK(failed == 99);  // untouched on success
  CHECK(recorder.lines == std::vector<std::string>{
                              "add ipport=10.0.0.1:443",
                              "put ipport=10.0.0.2:443",
                              "update ipport=10.0.0.1:443 1",
                              "delete ipport=10.0.0.2:443",
                              "erase ccs=443",
                              "delete certificate MY 20 force",
                              "enable ccs /srv/ccs secret",
                              "disable ccs",
                          });
}

TEST_CASE("Iterate stops at the first failure and names its operation") {
  const WriteBatch batch = EveryKind();
  Recorder recorder;
  recorder.fail_at = 3;
  size_t failed = 99;
  Status s = batch.Iterate(&recorder, &failed);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() == "refused delete ipport=10.0.0.2:443");
  CHECK(failed == 3);
  CHECK(recorder.lines.size() == 3);  // nothing after the failure
}

TEST_CASE("a handler that overrides nothing accepts every operation") {
  WriteBatch::Handler nothing;
  CHECK(EveryKind().Iterate(&nothing).ok());
}

TEST_CASE("the accessors give each operation's type and binding key") {
  const WriteBatch batch = EveryKind();
  REQUIRE(batch.size() == 8);
  CHECK(batch.type(0) == WriteBatch::OpType::kAdd);
  CHECK(batch.type(2) == WriteBatch::OpType::kUpdate);
  CHECK(batch.type(4) == WriteBatch::OpType::kErase);
  CHECK(batch.type(5) == WriteBatch::OpType::kDeleteCertificate);
  CHECK(batch.type(6) == WriteBatch::OpType::kSetCcs);
  CHECK(batch.type(7) == WriteBatch::OpType::kSetCcs);
  REQUIRE(batch.key(0) != nullptr);
  CHECK(batch.key(0)->ToParam() == "ipport=10.0.0.1:443");
  CHECK(batch.key(3)->ToParam() == "ipport=10.0.0.2:443");
  CHECK(batch.key(4)->ToParam() == "ccs=443");
  CHECK(batch.key(5) == nullptr);
  CHECK(batch.key(6) == nullptr);
}

TEST_CASE("a copy of a batch tells the same operations; Clear empties it") {
  WriteBatch batch = EveryKind();
  WriteBatch copy = batch;
  batch.Clear();
  CHECK(batch.empty());
  Recorder from_batch, from_copy;
  CHECK(batch.Iterate(&from_batch).ok());
  CHECK(from_batch.lines.empty());
  CHECK(copy.Iterate(&from_copy).ok());
  CHECK(from_copy.lines.size() == 8);
  WriteBatch moved = std::move(copy);
  CHECK(moved.size() == 8);
}

TEST_CASE("Wipe overwrites a secret's bytes and empties it") {
  std::string secret = "a password longer than the small-string buffer";
  const char* bytes = secret.data();
  const size_t size = secret.size();
  internal::Wipe(secret);
  CHECK(secret.empty());
  // Clearing keeps the buffer: the old bytes are still there, zeroed.
  REQUIRE(secret.data() == bytes);
  CHECK(std::string(bytes, size) == std::string(size, '\0'));
}

}  // namespace
}  // namespace sslbind
