#include "audit/patient_hash.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/sha256.h"

namespace nmscds {
namespace {

std::string SystemError(std::string_view what, const std::string& path, int err) {
  return "audit salt file " + path + ": " + std::string(what) + ": " + std::strerror(err);
}

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting close's own failure (a write error may only show here).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Creates the file with a fresh secret. EEXIST is returned as is (another process won the race).
Result<AuditSalt> CreateSalt(const std::string& path, int& open_errno) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    open_errno = errno;
    return Error::Unreadable(SystemError("cannot create", path, errno));
  }
  open_errno = 0;
  std::array<unsigned char, kAuditSaltBytes> secret{};
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    ::unlink(path.c_str());
    return Error::Internal("audit salt file " + path + ": the random generator failed");
  }
  std::size_t written = 0;
  while (written < secret.size()) {
    const ssize_t n = ::write(fd.get(), secret.data() + written, secret.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::unlink(path.c_str());
      return Error::Unreadable(SystemError("cannot write", path, err));
    }
    written += static_cast<std::size_t>(n);
  }
  // The salt must survive a crash: a lost salt makes every stored hash unlinkable.
  if (::fsync(fd.get()) != 0 || fd.Close() != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Error::Unreadable(SystemError("cannot write", path, err));
  }
  AuditSalt salt;
  salt.bytes.assign(reinterpret_cast<const char*>(secret.data()), secret.size());
  salt.created = true;
  OPENSSL_cleanse(secret.data(), secret.size());
  return salt;
}

Result<AuditSalt> ReadSalt(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error::Unreadable(SystemError("cannot open", path, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::Unreadable(SystemError("cannot stat", path, errno));
  if (!S_ISREG(st.st_mode)) return Error::Unreadable("audit salt file " + path + ": not a regular file");
  if (st.st_size != static_cast<off_t>(kAuditSaltBytes)) {
    return Error::Unreadable("audit salt file " + path + ": holds " + std::to_string(st.st_size) +
                             " bytes, not " + std::to_string(kAuditSaltBytes) +
                             " (restore the original salt; a new one cannot link new rows to old ones)");
  }
  AuditSalt salt;
  salt.bytes.resize(kAuditSaltBytes);
  std::size_t got = 0;
  while (got < kAuditSaltBytes) {
    const ssize_t n = ::read(fd.get(), salt.bytes.data() + got, kAuditSaltBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::Unreadable(SystemError("cannot read", path, errno));
    if (n == 0) return Error::Unreadable("audit salt file " + path + ": shorter than its size says");
    got += static_cast<std::size_t>(n);
  }
  if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    salt.warnings.push_back("audit salt file " + path +
                            " is readable by group or others; restrict it with chmod 600 (interfaces.md 9.2)");
  }
  return salt;
}

}  // namespace

Result<AuditSalt> LoadOrCreateAuditSalt(const std::string& path) {
  int open_errno = 0;
  auto created = CreateSalt(path, open_errno);
  if (created || open_errno != EEXIST) return created;
  return ReadSalt(path);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t mac_len = 0;
  char digest[] = "SHA256";
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), mac.size(),
                &mac_len) == nullptr) {
    // As Sha256Hex: only when OpenSSL cannot provide HMAC-SHA-256 at all (a broken installation).
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return LowerHex(mac.data(), mac_len);
}

std::string PatientHash(std::string_view salt, std::string_view issuer, std::string_view patient_id) {
  std::string message;
  message.reserve(issuer.size() + 1 + patient_id.size());
  message += issuer;
  message += '\n';
  message += patient_id;
  return HmacSha256Hex(salt, message);
}

}  // namespace nmscds
