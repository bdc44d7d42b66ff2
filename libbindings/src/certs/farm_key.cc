// The farm key: AES-256-GCM through OpenSSL's EVP interface.
#include "certs/farm_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "certs/key_folder.h"
#include "model/text_rules.h"

namespace sslbind::internal {
namespace {

constexpr uint8_t kFormat = 1;
constexpr size_t kNonce = 12;
constexpr size_t kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

}  // namespace

FarmKey::~FarmKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<FarmKey> FarmKey::Read(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::NotFound("the farm key '" + path + "' does not exist");
    }
    return Status::AccessDenied("cannot read the farm key '" + path +
                                "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::AccessDenied("the farm key '" + path +
                                "' is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    return Status::AccessDenied("the farm key '" + path +
                                "' may be read or written by others (mode " +
                                mode + "): chmod 600 it");
  }
  Result<std::optional<std::string>> text = ReadSmallFile(path, 256);
  if (!text.ok()) return text.status();
  if (!*text) {
    return Status::NotFound("the farm key '" + path + "' does not exist");
  }
  std::string& hex = **text;
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) {
    hex.pop_back();
  }
  FarmKey key;
  bool ok = hex.size() == 64;
  for (size_t i = 0; ok && i < 32; ++i) {
    int hi = HexDigitValue(hex[2 * i]), lo = HexDigitValue(hex[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    key.key_[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  OPENSSL_cleanse(hex.data(), hex.size());
  if (!ok) {
    return Status::InvalidArgument("the farm key '" + path +
                                   "' does not hold 64 hex digits (make one "
                                   "with sslbind keygen)");
  }
  return key;
}

Status FarmKey::WriteNew(const std::string& path) {
  std::array<uint8_t, 32> bytes;
  if (RAND_bytes(bytes.data(), bytes.size()) != 1) {
    return Status::Internal("cannot draw random bytes for the farm key");
  }
  std::string hex;
  for (uint8_t b : bytes) AppendHexByte(b, &hex);
  hex.push_back('\n');
  OPENSSL_cleanse(bytes.data(), bytes.size());
  int fd = open(path.c_str(),
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string why = std::strerror(errno);
    OPENSSL_cleanse(hex.data(), hex.size());
    if (errno == EEXIST) {
      return Status::AlreadyExists("the farm key '" + path +
                                   "' exists: it is never overwritten");
    }
    if (errno == EACCES) {
      return Status::AccessDenied("cannot create '" + path + "': " + why);
    }
    return Status::IoError("cannot create '" + path + "': " + why);
  }
  bool written =
      write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
      fsync(fd) == 0;
  std::string why = std::strerror(errno);
  close(fd);
  OPENSSL_cleanse(hex.data(), hex.size());
  if (!written) {
    unlink(path.c_str());
    return Status::IoError("cannot write '" + path + "': " + why);
  }
  return Status::Ok();
}

std::string FarmKey::Seal(std::string_view secret,
                          std::string_view name) const {
  std::string out(1 + kNonce + secret.size() + kTag, '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  p[0] = kFormat;
  uint8_t* nonce = p + 1;
  uint8_t* body = nonce + kNonce;
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx && RAND_bytes(nonce, kNonce) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               key_.data(), nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                              reinterpret_cast<const uint8_t*>(name.data()),
                              static_cast<int>(name.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), body, &len,
                              reinterpret_cast<const uint8_t*>(secret.data()),
                              static_cast<int>(secret.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), body + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                                body + secret.size()) == 1;
  if (!ok) return std::string();  // Open refuses it
  return out;
}

Result<std::string> FarmKey::Open(std::string_view sealed,
                                  std::string_view name) const {
  const Status refused = Status::AccessDenied(
      "the secret '" + std::string(name) +
      "' cannot be decrypted with this farm key (is it the farm's key file?)");
  if (sealed.size() < 1 + kNonce + kTag ||
      static_cast<uint8_t>(sealed[0]) != kFormat) {
    return refused;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(sealed.data());
  const uint8_t* nonce = p + 1;
  const uint8_t* body = nonce + kNonce;
  const size_t size = sealed.size() - 1 - kNonce - kTag;
  std::string out(size, '\0');
  auto* o = reinterpret_cast<uint8_t*>(out.data());
  std::array<uint8_t, kTag> tag;
  std::memcpy(tag.data(), body + size, kTag);
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               key_.data(), nonce) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                              reinterpret_cast<const uint8_t*>(name.data()),
                              static_cast<int>(name.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), o, &len, body,
                              static_cast<int>(size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag,
                                tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), o + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return refused;
  }
  return out;
}

}  // namespace sslbind::internal
