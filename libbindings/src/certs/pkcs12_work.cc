// The iteration counts of a PKCS#12 file, read from its ASN.1 structures
// before PKCS12_parse derives any key.
#include "certs/pkcs12_work.h"

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace sslbind::internal {
namespace {

// -1 for a count that cannot be read (absent or out of range): treated as
// too high, since OpenSSL would read it some other way or fail later.
int64_t ToCount(const ASN1_INTEGER* n) {
  int64_t v = 0;
  if (n == nullptr) return 1;  // absent: the default, one iteration
  if (ASN1_INTEGER_get_int64(&v, n) != 1 || v < 0) return -1;
  return v;
}

int64_t Saturate(int64_t a, int64_t b) {  // a * b, at most INT64_MAX / 2
  constexpr int64_t kMax = INT64_MAX / 2;
  if (a < 0 || b < 0) return -1;
  if (a != 0 && b > kMax / a) return kMax;
  return a * b;
}

// The work of deriving the key of one algorithm identifier: its iteration
// count (PKCS#12 PBE, PKCS#5 v1, PBES2 with PBKDF2), N * r * p for scrypt,
// 0 for anything that derives no key from the password.
int64_t DerivationWork(const X509_ALGOR* alg) {
  const ASN1_OBJECT* object = nullptr;
  int type = 0;
  const void* value = nullptr;
  X509_ALGOR_get0(&object, &type, &value, alg);
  if (type != V_ASN1_SEQUENCE) return 0;
  const int nid = OBJ_obj2nid(object);
  if (nid == NID_pbes2) {
    std::unique_ptr<PBE2PARAM, decltype(&PBE2PARAM_free)> pbe2(
        static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(
            ASN1_ITEM_rptr(PBE2PARAM), alg->parameter)),
        PBE2PARAM_free);
    if (!pbe2 || !pbe2->keyfunc) return -1;
    const int kdf = OBJ_obj2nid(pbe2->keyfunc->algorithm);
    if (kdf == NID_id_pbkdf2) {
      std::unique_ptr<PBKDF2PARAM, decltype(&PBKDF2PARAM_free)> kdf_params(
          static_cast<PBKDF2PARAM*>(ASN1_TYPE_unpack_sequence(
              ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter)),
          PBKDF2PARAM_free);
      return kdf_params ? ToCount(kdf_params->iter) : -1;
    }
    if (kdf == NID_id_scrypt) {
      std::unique_ptr<SCRYPT_PARAMS, decltype(&SCRYPT_PARAMS_free)> sp(
          static_cast<SCRYPT_PARAMS*>(ASN1_TYPE_unpack_sequence(
              ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter)),
          SCRYPT_PARAMS_free);
      if (!sp) return -1;
      return Saturate(
          Saturate(ToCount(sp->costParameter), ToCount(sp->blockSize)),
          ToCount(sp->parallelizationParameter));
    }
    return -1;  // a key derivation OpenSSL does not know
  }
  // PKCS#12 PBE (pbeWithSHAAnd3-KeyTripleDES-CBC, ...) and PKCS#5 v1.
  std::unique_ptr<PBEPARAM, decltype(&PBEPARAM_free)> pbe(
      static_cast<PBEPARAM*>(
          ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter)),
      PBEPARAM_free);
  return pbe ? ToCount(pbe->iter) : 0;  // not a PBE: no derivation
}

class WorkCounter {
 public:
  WorkCounter(const char* password, OSSL_LIB_CTX* legacy)
      : password_(password), legacy_(legacy) {}

  // Adds one derivation; false (with the message kept) when over a limit.
  bool Add(int64_t work, const char* what) {
    if (work < 0 || work > kMaxPkcs12Iterations) {
      message_ = std::string("the PKCS#12 file asks for ") +
                 (work < 0 ? "an unreadable number of" : std::to_string(work)) +
                 " key derivation iterations for " + what +
                 "; sslbind opens files of at most " +
                 std::to_string(kMaxPkcs12Iterations) +
                 " (Windows writes 2000, OpenSSL 2048): export it again "
                 "with the usual settings";
      return false;
    }
    total_ += work;
    if (total_ > kMaxPkcs12TotalIterations) {
      message_ = "the PKCS#12 file asks for more than " +
                 std::to_string(kMaxPkcs12TotalIterations) +
                 " key derivation iterations in all; sslbind opens files of "
                 "at most that (Windows writes a few thousand): export it "
                 "again with the usual settings";
      return false;
    }
    return true;
  }

  bool Bags(const STACK_OF(PKCS12_SAFEBAG) * bags, int depth) {
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
      const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, i);
      const int nid = PKCS12_SAFEBAG_get_nid(bag);
      if (nid == NID_pkcs8ShroudedKeyBag) {
        const X509_ALGOR* alg = nullptr;
        X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, nullptr);
        if (alg && !Add(DerivationWork(alg), "a private key")) return false;
      } else if (nid == NID_safeContentsBag) {
        if (depth >= 8) {
          message_ = "the PKCS#12 file nests its contents too deeply";
          return false;
        }
        if (!Bags(PKCS12_SAFEBAG_get0_safes(bag), depth + 1)) return false;
      }
    }
    return true;
  }

  // The bags inside an encrypted part, decrypted as PKCS12_parse would:
  // in the default context, else in the legacy one (RC2, DES).
  STACK_OF(PKCS12_SAFEBAG) * Decrypt(PKCS7* p7) {
    STACK_OF(PKCS12_SAFEBAG)* bags = DecryptIn(p7, nullptr);
    if (!bags && legacy_) bags = DecryptIn(p7, legacy_);
    return bags;
  }

  STACK_OF(PKCS12_SAFEBAG) * DecryptIn(PKCS7* p7, OSSL_LIB_CTX* ctx) {
    OSSL_LIB_CTX* previous = nullptr;
    if (ctx) previous = OSSL_LIB_CTX_set0_default(ctx);
    STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
    if (password_ == nullptr || *password_ == '\0') {
      bags = PKCS12_unpack_p7encdata(p7, "", 0);
      if (!bags) bags = PKCS12_unpack_p7encdata(p7, nullptr, 0);
    } else {
      bags = PKCS12_unpack_p7encdata(p7, password_, -1);
    }
    if (ctx) OSSL_LIB_CTX_set0_default(previous);
    return bags;
  }

  bool AuthSafes(const PKCS12* p12) {
    STACK_OF(PKCS7)* safes = PKCS12_unpack_authsafes(p12);
    if (!safes) return true;  // PKCS12_parse will say what is wrong
    bool ok = true;
    for (int i = 0; ok && i < sk_PKCS7_num(safes); ++i) {
      PKCS7* p7 = sk_PKCS7_value(safes, i);
      const int nid = OBJ_obj2nid(p7->type);
      STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
      if (nid == NID_pkcs7_data) {
        bags = PKCS12_unpack_p7data(p7);
      } else if (nid == NID_pkcs7_encrypted && p7->d.encrypted &&
                 p7->d.encrypted->enc_data) {
        ok = Add(DerivationWork(p7->d.encrypted->enc_data->algorithm),
                 "an encrypted part");
        if (ok) bags = Decrypt(p7);
      }
      if (ok && bags) ok = Bags(bags, 0);
      sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    return ok;
  }

  const std::string& message() const { return message_; }

 private:
  const char* password_;
  OSSL_LIB_CTX* legacy_;
  int64_t total_ = 0;
  std::string message_;
};

}  // namespace

Status CheckPkcs12Work(PKCS12* p12, const char* password,
                       OSSL_LIB_CTX* legacy) {
  WorkCounter counter(password, legacy);
  bool ok = true;
  if (PKCS12_mac_present(p12)) {
    const ASN1_INTEGER* iterations = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &iterations, p12);
    ok = counter.Add(ToCount(iterations), "its integrity check (MAC)");
  }
  if (ok) ok = counter.AuthSafes(p12);
  ERR_clear_error();
  if (!ok) return Status::InvalidArgument(counter.message());
  return Status::Ok();
}

}  // namespace sslbind::internal
