// sslbind/snapshot_image.h: the resolution cases of snapshot_test.cc against
// snapshots mapped from an image (see there), then the image's own rules: it
// is used only when it can be trusted, and otherwise the store answers, the
// same.
#define SSLBIND_SNAPSHOT_IMAGE_TEST 1
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "snapshot_test.cc"  // NOLINT(bugprone-suspicious-include)
#include "sslbind/resolver.h"

namespace sslbind {
namespace {

namespace fs = std::filesystem;

// A store of a few thousand bindings of every kind: exact names short
// enough to lie in their cell and too long for it, wildcards, addresses,
// CCS bindings.
struct ImageFixture {
  TempDir dir;
  std::string path = dir.File("s.db");
  Store store =
      Store::Open(path, {.writable = true, .create_if_missing = true}).value();
  std::string image = SnapshotImagePath(store);

  ImageFixture() {
    WriteBatch batch;
    batch.Add(Ip("0.0.0.0:443"));
    batch.Add(Ip("[::]:443"));
    batch.Add(Ccs("8443"));
    for (int i = 0; i < 3000; ++i) {
      const std::string n = std::to_string(i);
      Binding b = Sni(i % 3 == 0 ? "a-rather-long-host-name-" + n +
                                       ".tenants.example.com:443"
                                 : "www" + n + ".example.com:443",
                      static_cast<uint8_t>(i));
      b.cert_hash.assign(20, static_cast<uint8_t>(i));
      batch.Add(b);
      if (i % 50 == 0) batch.Add(Sni("*.t" + n + ".example.net:443"));
      if (i % 100 == 0)
        batch.Add(Ip("10.0.0." + std::to_string(i / 100) + ":443"));
      if (i % 70 == 0) batch.Add(Scoped("s" + n + ".example.org:8443"));
    }
    REQUIRE(store.Write(batch).ok());
  }

  // Overwrites `size` bytes of the image at `offset`.
  void Patch(size_t offset, const std::string& bytes) const {
    std::fstream f(image, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  OpenedSnapshot Open(SnapshotImageOptions options = {
                          .write_when_stale = false}) const {
    Result<OpenedSnapshot> opened = OpenSnapshot(store, {}, options);
    REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
    return *opened;
  }
};

// The lookups of a busy host: known, covered, unknown names, with and
// without a specific address, over both families.
std::vector<std::tuple<IpAddress, uint16_t, std::string>> Queries() {
  std::vector<std::tuple<IpAddress, uint16_t, std::string>> out;
  std::mt19937 rng(7);
  for (int q = 0; q < 4000; ++q) {
    const std::string n = std::to_string(rng() % 3300);
    const IpAddress local = Addr(rng() % 4 == 0   ? "2001:db8::1"
                                 : rng() % 5 == 0 ? "10.0.0.7"
                                                  : "192.0.2.1");
    const uint16_t port = rng() % 6 == 0 ? 8443 : 443;
    switch (rng() % 5) {
      case 0:
        out.emplace_back(
            local, port,
            "a-rather-long-host-name-" + n + ".tenants.example.com");
        break;
      case 1:
        out.emplace_back(local, port, "shop.t" + n + ".example.net");
        break;
      case 2: out.emplace_back(local, port, "s" + n + ".example.org"); break;
      case 3: out.emplace_back(local, port, ""); break;
      default:
        out.emplace_back(local, port, "WWW" + n + ".example.com.");
        break;
    }
  }
  return out;
}

// `s` answers every query as a fresh load of the store does.
void CheckSameAnswers(const Snapshot& s, const Store& store) {
  auto fresh = Snapshot::Load(store).value();
  REQUIRE(s.size() == fresh->size());
  size_t found = 0;
  for (const auto& [local, port, sni] : Queries()) {
    Resolution a = s.Resolve(local, port, sni);
    Resolution b = fresh->Resolve(local, port, sni);
    REQUIRE(a.found() == b.found());
    if (!a.found()) continue;
    ++found;
    REQUIRE(a.step() == b.step());
    REQUIRE(a.binding().ToBinding() == b.binding().ToBinding());
  }
  CHECK(found > 2000);
  for (const Binding& b : store.List().value()) {
    REQUIRE(s.Find(b.key)->ToBinding() == b);
  }
}

TEST_CASE(
    "OpenSnapshot loads the store and writes the image when there is "
    "none; the next open maps it") {
  ImageFixture f;
  OpenedSnapshot first = f.Open({});
  CHECK(first.source == SnapshotSource::kStore);
  CHECK(first.image_refused == "there is no image");
  CHECK(first.image_written);
  CHECK(first.revision == f.store.Revision().value());
  CHECK(fs::is_regular_file(f.image));
  CHECK(f.image == fs::canonical(f.dir.path()).string() + "/s.db.snapshot");
  // Not writable by group or others; nothing left beside it.
  CHECK((fs::status(f.image).permissions() &
         (fs::perms::group_write | fs::perms::others_write)) ==
        fs::perms::none);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(f.dir.path())) {
    files += e.path().string().find(".tmp-") == std::string::npos ? 0 : 1;
  }
  CHECK(files == 0);

  OpenedSnapshot second = f.Open();
  CHECK(second.source == SnapshotSource::kImage);
  CHECK(second.image_refused.empty());
  CHECK_FALSE(second.snapshot->is_overlay());
  CheckSameAnswers(*second.snapshot, f.store);
}

TEST_CASE("an older image is used with the journal since its revision") {
  ImageFixture f;
  REQUIRE(WriteSnapshotImage(f.store).ok());
  WriteBatch batch;
  batch.Delete(Key(BindingKind::kHostnamePort, "www1.example.com:443"));
  batch.Delete(Key(BindingKind::kIpPort, "0.0.0.0:443"));
  Binding changed = Sni("www2.example.com:443", 0x77);
  batch.Put(changed);
  batch.Add(Sni("new.example.com:443"));
  REQUIRE(f.store.Write(batch).ok());

  OpenedSnapshot o = f.Open();
  CHECK(o.source == SnapshotSource::kImageAndJournal);
  CHECK(o.snapshot->is_overlay());
  CHECK(o.revision == f.store.Revision().value());
  CheckSameAnswers(*o.snapshot, f.store);

  // Too many changes for an overlay: the store, and a fresh image.
  OpenedSnapshot reloaded = f.Open({.max_journal_changes = 1});
  CHECK(reloaded.source == SnapshotSource::kStore);
  CHECK(reloaded.image_refused.find("made at revision") != std::string::npos);
  CHECK(reloaded.image_written);
  CHECK(f.Open().source == SnapshotSource::kImage);
}

// Opens with the image spoiled: the store answers, and says why.
void CheckRefused(const ImageFixture& f, const std::string& why) {
  OpenedSnapshot o = f.Open();
  CHECK(o.source == SnapshotSource::kStore);
  CHECK_MESSAGE(o.image_refused.find(why) != std::string::npos,
                o.image_refused);
  CHECK_FALSE(o.image_written);
  CheckSameAnswers(*o.snapshot, f.store);
  // InspectSnapshotImage says the same.
  SnapshotImageInfo info = InspectSnapshotImage(f.store).value();
  CHECK(info.state == SnapshotImageState::kRefused);
  CHECK(info.source == SnapshotSource::kStore);
  CHECK(info.reason == o.image_refused);
  CHECK_FALSE(info.image_revision.has_value());
}

TEST_CASE("an image that does not match the store is refused") {
  ImageFixture f;
  REQUIRE(WriteSnapshotImage(f.store).ok());
  const auto size = fs::file_size(f.image);

  SUBCASE("truncated") {
    fs::resize_file(f.image, size / 2);
    CheckRefused(f, "truncated");
    fs::resize_file(f.image, 100);
    CheckRefused(f, "truncated");
  }
  SUBCASE("a bit flipped in the records") {
    std::ifstream in(f.image, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(size - 5));
    char c = 0;
    in.get(c);
    in.close();
    f.Patch(size - 5, std::string(1, static_cast<char>(c ^ 0x10)));
    CheckRefused(f, "its checksum is wrong");
  }
  SUBCASE("a bit flipped in the header") {
    f.Patch(24, std::string(1, '\x7f'));  // the file size
    CheckRefused(f, "its header's checksum is wrong");
  }
  SUBCASE("another format version") {
    f.Patch(8, std::string("\x63\x00\x00\x00", 4));
    CheckRefused(f, "its format is version 99");
  }
  SUBCASE("fewer cells than one control group reads") {
    // An image whose checksums are right but whose header claims 4 exact-
    // name cells (with their control bytes): a lookup reads 8 control bytes
    // and the cells they name, so the image must have none or at least 8.
    // The header: cells at 64, the sections (offset, size) from 112, the
    // control bytes second; its checksum (XXH3 of its first 280 bytes) at
    // 280. (The checksum of the sections is not reached.)
    std::string header(280, '\0');
    {
      std::ifstream in(f.image, std::ios::binary);
      in.read(header.data(), 280);
    }
    const uint64_t cells = 4, control_size = cells + 8;
    std::memcpy(header.data() + 64, &cells, 8);
    std::memcpy(header.data() + 112 + 16 + 8, &control_size, 8);
    const uint64_t checksum = XXH3_64bits(header.data(), header.size());
    f.Patch(0, header);
    f.Patch(280, std::string(reinterpret_cast<const char*>(&checksum), 8));
    CheckRefused(f, "its sections have impossible sizes");
  }
  SUBCASE("not an image at all") {
    f.Patch(0, "SQLite f");
    CheckRefused(f, "it is not a snapshot image");
  }
  SUBCASE("made from another store file") {
    TempDir other;
    Store copy = Store::Open(other.File("s.db"),
                             {.writable = true, .create_if_missing = true})
                     .value();
    WriteBatch batch;
    batch.Add(Sni("x.example.com:443"));
    REQUIRE(copy.Write(batch).ok());
    // The fixture's image beside another store.
    fs::copy_file(f.image, other.File("s.db.snapshot"));
    OpenedSnapshot o = *OpenSnapshot(copy, {}, {.write_when_stale = false});
    CHECK(o.source == SnapshotSource::kStore);
    CHECK(o.image_refused == "the image was made from another store file");
    CHECK(o.snapshot->size() == 1);
  }
  SUBCASE("writable by group") {
    fs::permissions(f.image, fs::perms::group_write, fs::perm_options::add);
    CheckRefused(f, "group or others may write it");
  }
  SUBCASE("a symbolic link") {
    fs::rename(f.image, f.image + ".real");
    fs::create_symlink(f.image + ".real", f.image);
    CheckRefused(f, "the image cannot be opened");
  }
  SUBCASE("owned by another user") {
    if (geteuid() == 0) {  // only root can give a file away
      REQUIRE(chown(f.image.c_str(), 4242, 4242) == 0);
      CheckRefused(f, "owned by user 4242");
    }
  }
}

TEST_CASE(
    "InspectSnapshotImage says what OpenSnapshot would do, and writes "
    "nothing") {
  ImageFixture f;
  const uint64_t revision = f.store.Revision().value();
  SnapshotImageInfo info = InspectSnapshotImage(f.store).value();
  CHECK(info.path == f.image);
  CHECK(info.state == SnapshotImageState::kMissing);
  CHECK(SnapshotImageStateName(info.state) == "missing");
  CHECK(info.source == SnapshotSource::kStore);
  CHECK(info.store_revision == revision);
  CHECK_FALSE(info.image_revision.has_value());
  CHECK(info.size == 0);
  CHECK(info.reason == "there is no image");
  CHECK_FALSE(fs::exists(f.image));  // unlike OpenSnapshot, writes none

  REQUIRE(WriteSnapshotImage(f.store).value() == revision);
  info = InspectSnapshotImage(f.store).value();
  CHECK(info.state == SnapshotImageState::kCurrent);
  CHECK(info.source == SnapshotSource::kImage);
  CHECK(info.image_revision == revision);
  CHECK(info.size == fs::file_size(f.image));
  CHECK(info.reason.empty());
  CHECK(f.Open().source == info.source);

  WriteBatch batch;
  batch.Add(Sni("new.example.com:443"));
  batch.Delete(Key(BindingKind::kHostnamePort, "www1.example.com:443"));
  REQUIRE(f.store.Write(batch).ok());
  info = InspectSnapshotImage(f.store).value();
  CHECK(info.state == SnapshotImageState::kBehind);
  CHECK(info.source == SnapshotSource::kImageAndJournal);
  CHECK(info.image_revision == revision);
  CHECK(info.store_revision == revision + 1);
  CHECK(info.reason == "the image was made at revision " +
                           std::to_string(revision) +
                           ", the store is at revision " +
                           std::to_string(revision + 1));
  CHECK(f.Open().source == info.source);

  // Two keys changed, one allowed: stale, as OpenSnapshot would find it.
  info = InspectSnapshotImage(f.store, {.max_journal_changes = 1}).value();
  CHECK(info.state == SnapshotImageState::kStale);
  CHECK(info.source == SnapshotSource::kStore);
  CHECK(info.image_revision == revision);
  CHECK(info.reason.find("too many keys") != std::string::npos);
  CHECK(f.Open({.write_when_stale = false, .max_journal_changes = 1}).source ==
        info.source);
}

TEST_CASE("RemoveSnapshotImage removes the image and nothing else") {
  ImageFixture f;
  REQUIRE(WriteSnapshotImage(f.store).ok());
  std::ofstream(f.image + ".tmp-ABCDEF") << "left by a crashed writer";
  const uint64_t revision = f.store.Revision().value();
  CHECK(RemoveSnapshotImage(f.store).value());
  CHECK_FALSE(fs::exists(f.image));
  CHECK(fs::exists(f.image + ".tmp-ABCDEF"));
  CHECK(fs::exists(f.path));
  CHECK(f.store.Revision().value() == revision);
  CHECK(f.store.List().value().size() > 3000);
  // Nothing to remove is not an error.
  CHECK_FALSE(RemoveSnapshotImage(f.store).value());
  CHECK(InspectSnapshotImage(f.store).value().state ==
        SnapshotImageState::kMissing);
}

TEST_CASE("a stale image is replaced by the next open that loads the store") {
  ImageFixture f;
  REQUIRE(WriteSnapshotImage(f.store).ok());
  f.Patch(8, std::string("\x63\x00\x00\x00", 4));
  OpenedSnapshot o = f.Open({});
  CHECK(o.source == SnapshotSource::kStore);
  CHECK(o.image_written);
  OpenedSnapshot again = f.Open();
  CHECK(again.source == SnapshotSource::kImage);
  CheckSameAnswers(*again.snapshot, f.store);
}

TEST_CASE(
    "a Resolver with the image enabled starts from it, then follows "
    "the journal") {
  ImageFixture f;
  Resolver resolver;
  resolver.set_snapshot_image(true);
  // No image yet: a whole load, which writes one.
  REQUIRE(resolver.Refresh(f.store).value());
  CHECK(resolver.full_refreshes() == 1);
  CHECK(fs::is_regular_file(f.image));

  Resolver second;
  second.set_snapshot_image(true);
  REQUIRE(second.Refresh(f.store).value());
  CHECK(second.image_loads() == 1);
  CHECK(second.full_refreshes() == 0);
  CheckSameAnswers(*second.Current(), f.store);

  WriteBatch batch;
  batch.Delete(Key(BindingKind::kHostnamePort, "www5.example.com:443"));
  REQUIRE(f.store.Write(batch).ok());
  REQUIRE(second.Refresh(f.store).value());
  CHECK(second.overlay_refreshes() == 1);
  CheckSameAnswers(*second.Current(), f.store);

  // A third process, after the write: the image and the journal.
  Resolver third;
  third.set_snapshot_image(true);
  REQUIRE(third.Refresh(f.store).value());
  CHECK(third.image_loads() == 1);
  CHECK(third.overlay_refreshes() == 1);
  CHECK(third.Current()->is_overlay());
  CheckSameAnswers(*third.Current(), f.store);
}

}  // namespace
}  // namespace sslbind
