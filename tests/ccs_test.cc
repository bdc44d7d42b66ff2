// Tests for sslbind/ccs.h: the CentralCertProvider settings written through
// WriteBatch, the CCS file names, and that no name reaches a file outside
// the CCS folder.
#include "sslbind/ccs.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sslbind/store.h"
#include "test_util.h"

namespace sslbind {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

constexpr StoreOptions kWrite{.writable = true, .create_if_missing = true};

Store OpenStore(const TempDir& dir) {
  Result<Store> store = Store::Open(dir.File("bindings.db"), kWrite);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(*store);
}

void Touch(const fs::path& path, const std::string& text = "pfx") {
  std::ofstream(path) << text;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::vector<std::string> Candidates(std::string_view name) {
  Result<std::vector<std::string>> files = CcsCandidateFileNames(name);
  REQUIRE_MESSAGE(files.ok(), files.status().ToString());
  return *files;
}

std::vector<std::string> PasswordFiles(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("ccs.") && n.ends_with(".password")) names.push_back(n);
  }
  return names;
}

// A CCS folder with a file for www.contoso.com and a wildcard file, and a
// secret beside it that no name may reach.
struct TestCcsFolder {
  TempDir dir;
  fs::path ccs = dir.path() / "ccs";
  fs::path outside = dir.path() / "secret.pfx";
  TestCcsFolder() {
    fs::create_directory(ccs);
    Touch(ccs / "www.contoso.com.pfx");
    Touch(ccs / "_.contoso.com.pfx");
    Touch(outside, "not for the network");
  }
  Result<std::string> Find(std::string_view name) const {
    return FindCcsFile(ccs.string(), name);
  }
};

// ---------------------------------------------------------------------------
// Settings.

TEST_CASE("the CCS is off in a store that never set it") {
  TempDir dir;
  Store store = OpenStore(dir);
  Result<CcsConfig> config = ReadCcsConfig(store);
  REQUIRE(config.ok());
  CHECK_FALSE(config->enabled);
  CHECK(config->location.empty());
  CHECK_FALSE(config->has_password);
  CHECK_FALSE(config->active());
}

TEST_CASE("enabling the CCS writes the CentralCertProvider values") {
  TempDir dir;
  Store store = OpenStore(dir);
  WriteBatch batch;
  batch.EnableCcs("/srv/ccs", std::nullopt);
  REQUIRE(store.Write(batch).ok());
  Result<std::vector<RegistryKey>> keys =
      store.ReadRegistry(kCentralCertProviderPath);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  const RegistryKey& key = (*keys)[0];
  CHECK(key.path == "SOFTWARE\\Microsoft\\IIS\\CentralCertProvider");
  CHECK(*key.Find("Enabled") == RegistryValue::Dword("Enabled", 1));
  CHECK(*key.Find("CertStoreLocation") ==
        RegistryValue::Sz("CertStoreLocation", "/srv/ccs"));
  CHECK(key.Find("SslbindPasswordId") == nullptr);
  Result<CcsConfig> config = ReadCcsConfig(store);
  REQUIRE(config.ok());
  CHECK(config->active());
  CHECK(config->location == "/srv/ccs");
  CHECK_FALSE(config->has_password);
}

TEST_CASE("a relative CCS folder is refused") {
  TempDir dir;
  Store store = OpenStore(dir);
  WriteBatch batch;
  batch.EnableCcs("ccs", std::nullopt);
  CHECK(store.Write(batch).IsInvalidArgument());
  WriteBatch empty;
  empty.EnableCcs("", std::nullopt);
  CHECK(store.Write(empty).IsInvalidArgument());
}

TEST_CASE("the CCS password is a 0600 file, never in the database") {
  TempDir dir;
  Store store = OpenStore(dir);
  const std::string password = "correct horse battery staple";
  WriteBatch batch;
  batch.EnableCcs("/srv/ccs", password);
  REQUIRE(store.Write(batch).ok());
  CHECK(ReadCcsConfig(store)->has_password);

  std::vector<std::string> files = PasswordFiles(store.KeyFolderPath());
  REQUIRE(files.size() == 1);
  const std::string file = store.KeyFolderPath() + "/" + files[0];
  struct stat st;
  REQUIRE(stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  CHECK(content == password);

  std::string db;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream f(dir.File("bindings.db") + suffix, std::ios::binary);
    db.append(std::istreambuf_iterator<char>(f),
              std::istreambuf_iterator<char>());
  }
  CHECK(Contains(db, "/srv/ccs"));
  CHECK_FALSE(Contains(db, password));
}

TEST_CASE("enabling again replaces the password file; disabling removes it") {
  TempDir dir;
  Store store = OpenStore(dir);
  WriteBatch first;
  first.EnableCcs("/srv/a", std::string("one"));
  REQUIRE(store.Write(first).ok());
  std::vector<std::string> before = PasswordFiles(store.KeyFolderPath());
  WriteBatch second;
  second.EnableCcs("/srv/b", std::string("two"));
  REQUIRE(store.Write(second).ok());
  std::vector<std::string> after = PasswordFiles(store.KeyFolderPath());
  REQUIRE(before.size() == 1);
  REQUIRE(after.size() == 1);
  CHECK(before != after);

  WriteBatch off;
  off.DisableCcs();
  REQUIRE(store.Write(off).ok());
  CHECK(PasswordFiles(store.KeyFolderPath()).empty());
  Result<CcsConfig> config = ReadCcsConfig(store);
  REQUIRE(config.ok());
  CHECK_FALSE(config->enabled);
  CHECK_FALSE(config->active());
  CHECK(config->location == "/srv/b");  // kept, as IIS does
  CHECK_FALSE(config->has_password);
}

TEST_CASE("a batch that fails keeps the old password file and settings") {
  TempDir dir;
  Store store = OpenStore(dir);
  WriteBatch first;
  first.EnableCcs("/srv/a", std::string("one"));
  REQUIRE(store.Write(first).ok());
  std::vector<std::string> before = PasswordFiles(store.KeyFolderPath());

  WriteBatch failing;
  failing.EnableCcs("/srv/b", std::string("two"));
  failing.Delete(testing::Key(BindingKind::kCcs, "443"));  // not there
  CHECK(store.Write(failing).IsNotFound());
  CHECK(PasswordFiles(store.KeyFolderPath()) == before);
  CHECK(ReadCcsConfig(store)->location == "/srv/a");
}

// ---------------------------------------------------------------------------
// File names.

TEST_CASE("a name's CCS files are <name>.pfx, then _.<parent>.pfx") {
  CHECK(Candidates("www.contoso.com") ==
        std::vector<std::string>{"www.contoso.com.pfx", "_.contoso.com.pfx"});
  CHECK(Candidates("a.b.contoso.com") ==
        std::vector<std::string>{"a.b.contoso.com.pfx", "_.b.contoso.com.pfx"});
}

TEST_CASE("names are canonical before they name files") {
  CHECK(Candidates("WWW.Contoso.COM.") ==
        std::vector<std::string>{"www.contoso.com.pfx", "_.contoso.com.pfx"});
  CHECK(Candidates("b\xc3\xbc"
                   "cher.example.com")[0] == "xn--bcher-kva.example.com.pfx");
}

TEST_CASE("a single-label name has no wildcard file") {
  CHECK(Candidates("localhost") == std::vector<std::string>{"localhost.pfx"});
  CHECK(Candidates("contoso.com") ==
        std::vector<std::string>{"contoso.com.pfx", "_.com.pfx"});
}

TEST_CASE("names that are not host names name no file") {
  for (const char* bad : {"..", "../secret", "a/../../secret", "/etc/passwd",
                          "..\\secret", "a\\b.com", "*.contoso.com", "",
                          "a b.com", "a\nb.com", ".", "a..b.com"}) {
    CAPTURE(bad);
    Result<std::vector<std::string>> files = CcsCandidateFileNames(bad);
    CHECK(files.status().IsInvalidArgument());
  }
  CHECK(CcsCandidateFileNames(std::string("a\0b.com", 7))
            .status()
            .IsInvalidArgument());
}

// ---------------------------------------------------------------------------
// Finding the file, inside the folder only.

TEST_CASE("the CCS file for a name is the exact file, then the wildcard") {
  TestCcsFolder f;
  CHECK(f.Find("www.contoso.com").value() ==
        (f.ccs / "www.contoso.com.pfx").string());
  CHECK(f.Find("shop.contoso.com").value() ==
        (f.ccs / "_.contoso.com.pfx").string());
  CHECK(f.Find("WWW.CONTOSO.COM").value() ==
        (f.ccs / "www.contoso.com.pfx").string());
}

TEST_CASE("no CCS file is NotFound, naming each candidate") {
  TestCcsFolder f;
  Status s = f.Find("www.fabrikam.com").status();
  CHECK(s.IsNotFound());
  CHECK(s.message() ==
        "no CCS file for www.fabrikam.com in '" + f.ccs.string() +
            "': www.fabrikam.com.pfx does not exist; _.fabrikam.com.pfx does "
            "not exist");
  // The wildcard file does not cover a deeper name's parent's parent.
  CHECK(f.Find("a.b.contoso.com").status().IsNotFound());
}

TEST_CASE("path escapes in the name never leave the folder") {
  TestCcsFolder f;
  for (const char* bad : {"../secret", "..", "/tmp/secret", "..\\secret",
                          "ccs/../secret", "%2e%2e/secret"}) {
    CAPTURE(bad);
    Result<std::string> found = f.Find(bad);
    CHECK_FALSE(found.ok());
    CHECK(found.status().IsInvalidArgument());
  }
}

TEST_CASE("a symbolic link to a file outside the folder is refused") {
  TestCcsFolder f;
  fs::remove(f.ccs / "www.contoso.com.pfx");
  fs::create_symlink(f.outside, f.ccs / "www.contoso.com.pfx");
  fs::remove(f.ccs / "_.contoso.com.pfx");
  fs::create_symlink("../secret.pfx", f.ccs / "_.contoso.com.pfx");
  Status s = f.Find("www.contoso.com").status();
  CHECK(s.IsNotFound());
  CHECK(Contains(s.message(),
                 "www.contoso.com.pfx is a symbolic link to a "
                 "file outside the folder"));
  CHECK(Contains(s.message(),
                 "_.contoso.com.pfx is a symbolic link to a file "
                 "outside the folder"));
}

TEST_CASE("a refused symbolic link falls back to the wildcard file") {
  TestCcsFolder f;
  fs::remove(f.ccs / "www.contoso.com.pfx");
  fs::create_symlink(f.outside, f.ccs / "www.contoso.com.pfx");
  CHECK(f.Find("www.contoso.com").value() ==
        (f.ccs / "_.contoso.com.pfx").string());
}

TEST_CASE("a symbolic link to a file inside the folder is followed") {
  TestCcsFolder f;
  fs::create_symlink("_.contoso.com.pfx", f.ccs / "api.contoso.com.pfx");
  fs::create_directory(f.ccs / "shared");
  Touch(f.ccs / "shared" / "fabrikam.pfx");
  fs::create_symlink(f.ccs / "shared" / "fabrikam.pfx",
                     f.ccs / "www.fabrikam.com.pfx");
  CHECK(f.Find("api.contoso.com").value() ==
        (f.ccs / "api.contoso.com.pfx").string());
  CHECK(f.Find("www.fabrikam.com").value() ==
        (f.ccs / "www.fabrikam.com.pfx").string());
}

TEST_CASE("a folder, a dangling link or a link to a folder is not a file") {
  TestCcsFolder f;
  fs::remove(f.ccs / "_.contoso.com.pfx");
  fs::create_directory(f.ccs / "a.contoso.com.pfx");
  fs::create_symlink("nowhere.pfx", f.ccs / "b.contoso.com.pfx");
  fs::create_directory(f.ccs / "sub");
  fs::create_symlink("sub", f.ccs / "c.contoso.com.pfx");
  fs::create_symlink(".", f.ccs / "d.contoso.com.pfx");
  Status a = f.Find("a.contoso.com").status();
  CHECK(Contains(a.message(), "a.contoso.com.pfx is not a regular file"));
  Status b = f.Find("b.contoso.com").status();
  CHECK(
      Contains(b.message(), "b.contoso.com.pfx is a symbolic link to nothing"));
  Status c = f.Find("c.contoso.com").status();
  CHECK(Contains(c.message(), "c.contoso.com.pfx is not a regular file"));
  CHECK(f.Find("d.contoso.com").status().IsNotFound());
}

TEST_CASE("the folder itself may be reached through a symbolic link") {
  TestCcsFolder f;
  fs::path link = f.dir.path() / "ccs-link";
  fs::create_directory_symlink(f.ccs, link);
  Result<std::string> found = FindCcsFile(link.string(), "www.contoso.com");
  REQUIRE(found.ok());
  CHECK(*found == (link / "www.contoso.com.pfx").string());
  // ... and files linking back into its real path count as inside.
  fs::create_symlink(f.ccs / "_.contoso.com.pfx", f.ccs / "x.contoso.com.pfx");
  CHECK(FindCcsFile(link.string(), "x.contoso.com").ok());
}

TEST_CASE("the folder's usable files are listed, and only those") {
  TestCcsFolder f;
  Touch(f.ccs / "WWW.Fabrikam.com.pfx");  // not canonical
  Touch(f.ccs / "notes.txt");             // not a .pfx
  Touch(f.ccs / "_.pfx");                 // no name
  Touch(f.ccs / "a..b.pfx");              // not a host name
  fs::create_directory(f.ccs / "dir.contoso.com.pfx");
  fs::create_symlink(f.outside, f.ccs / "out.contoso.com.pfx");
  fs::create_symlink("_.contoso.com.pfx", f.ccs / "in.contoso.com.pfx");
  Result<std::vector<std::string>> files = ListCcsFiles(f.ccs.string());
  REQUIRE(files.ok());
  CHECK(*files == std::vector<std::string>{"_.contoso.com.pfx",
                                           "in.contoso.com.pfx",
                                           "www.contoso.com.pfx"});
  CHECK(ListCcsFiles((f.dir.path() / "none").string()).status().IsNotFound());
}

TEST_CASE("a folder listing answers from memory") {
  TestCcsFolder f;
  Result<std::shared_ptr<const CcsFolderListing>> listing =
      CcsFolderListing::List(f.ccs.string());
  REQUIRE(listing.ok());
  const CcsFolderListing& l = **listing;
  CHECK(l.folder() == f.ccs.string());
  CHECK(l.files() ==
        std::vector<std::string>{"_.contoso.com.pfx", "www.contoso.com.pfx"});
  CHECK(l.HasFile("www.contoso.com.pfx"));
  CHECK(l.HasFile("_.contoso.com.pfx"));
  CHECK_FALSE(l.HasFile("api.contoso.com.pfx"));
  CHECK_FALSE(l.HasFile("www.contoso.com"));
  CHECK_FALSE(l.HasFile(""));
  fs::remove(f.ccs / "www.contoso.com.pfx");
  CHECK(l.HasFile("www.contoso.com.pfx"));  // as listed
}

TEST_CASE("the store's CCS folder is listed only while the CCS is enabled") {
  TestCcsFolder f;
  Store store = OpenStore(f.dir);
  Result<std::shared_ptr<const CcsFolderListing>> none =
      ListStoreCcsFolder(store);
  REQUIRE(none.ok());
  CHECK(*none == nullptr);

  WriteBatch on;
  on.EnableCcs(f.ccs.string(), std::nullopt);
  REQUIRE(store.Write(on).ok());
  Result<std::shared_ptr<const CcsFolderListing>> listed =
      ListStoreCcsFolder(store);
  REQUIRE(listed.ok());
  REQUIRE(*listed != nullptr);
  CHECK((*listed)->HasFile("www.contoso.com.pfx"));

  WriteBatch missing;
  missing.EnableCcs((f.dir.path() / "gone").string(), std::nullopt);
  REQUIRE(store.Write(missing).ok());
  CHECK(ListStoreCcsFolder(store).status().IsNotFound());

  WriteBatch off;
  off.DisableCcs();
  REQUIRE(store.Write(off).ok());
  CHECK(*ListStoreCcsFolder(store) == nullptr);
}

TEST_CASE("resolution with the store's CCS folder serves the files it holds") {
  TestCcsFolder f;
  Store store = OpenStore(f.dir);
  WriteBatch batch;
  batch.Add(Binding(testing::Key(BindingKind::kCcs, "443")));
  Binding fallback(testing::Key(BindingKind::kIpPort, "0.0.0.0:443"));
  fallback.cert_hash = {1};
  batch.Add(fallback);
  batch.EnableCcs(f.ccs.string(), std::nullopt);
  REQUIRE(store.Write(batch).ok());
  Result<std::shared_ptr<const CcsFolderListing>> folder =
      ListStoreCcsFolder(store);
  REQUIRE(folder.ok());
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(store, {.ccs_folder = *folder});
  REQUIRE(snapshot.ok());
  const IpAddress local = IpAddress::Parse("10.0.0.1").value();

  Resolution www = (*snapshot)->Resolve(local, 443, "www.contoso.com");
  REQUIRE(www.found());
  CHECK(www.step() == ResolveStep::kCcs);
  CHECK(www.ccs_file_found() == 0u);
  Resolution shop = (*snapshot)->Resolve(local, 443, "shop.contoso.com");
  CHECK(shop.step() == ResolveStep::kCcs);
  CHECK(shop.ccs_file_found() == 1u);
  Resolution other = (*snapshot)->Resolve(local, 443, "www.fabrikam.com");
  CHECK(other.step() == ResolveStep::kWildcardIpV4);
}

TEST_CASE("a missing folder is NotFound") {
  TempDir dir;
  Status s =
      FindCcsFile((dir.path() / "none").string(), "www.contoso.com").status();
  CHECK(s.IsNotFound());
  CHECK(Contains(s.message(), "the CCS folder"));
}

}  // namespace
}  // namespace sslbind
