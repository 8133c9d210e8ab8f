// Files written whole or not at all: each is written under a temporary name beside its place and
// renamed into it, so that a reader (or a runner after a crash) never sees half of one.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

namespace aelab {

/// A unique temporary name beside `path`: `<path>.tmp-<pid>-<n>-<host>`. The writer's pid and
/// host let a runner remove the temporaries of this host's dead processes only (a Slurm task on
/// another node may be writing into the same folder); see remove_orphaned_temporaries().
std::string temporary_name_for(const std::string& path);

/// Renames `temporary` to `path`; Error, with the temporary removed, when that fails.
void commit_temporary(const std::string& temporary, const std::string& path);

/// Removes a temporary file left by a failed write.
void discard_temporary(const std::string& temporary);

/// Creates `path`'s folder and writes the file through `write`, under a temporary name renamed
/// into place. Error naming `path` where it cannot be written in full (no space left, no
/// permission), with nothing left behind and any earlier file at `path` untouched.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace aelab
