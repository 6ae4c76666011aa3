#ifndef ROLLCALL_TESTS_SUPPORT_TEMP_DIR_H_
#define ROLLCALL_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace rollcall::testing {

// A fresh directory under $TMPDIR (or /tmp), created by the constructor
// with mkdtemp(3) and removed with everything in it by the destructor.
// Aborts the test binary if the directory cannot be created.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory's absolute path, without a trailing slash.
  const std::string& path() const { return path_; }

  // path() + "/" + name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// Writes `contents` to `path`, replacing the file. Returns false on error.
bool WriteFile(const std::string& path, const std::string& contents);

// The contents of `path`, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_TEMP_DIR_H_
