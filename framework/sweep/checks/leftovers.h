// What killed processes leave in a results folder, cleared before a sweep runs: temporaries of
// writers that died mid-write, and the claim files of claimants that died mid-claim.
#pragma once

#include <string>

namespace aelab {

/// Removes temporaries (`*.tmp-<pid>-<n>-<host>`) in `folder` that a process of this host left
/// when it was killed. Another host's (or another container's) are left alone while their writers
/// may be alive, and removed once a day old.
void remove_orphaned_temporaries(const std::string& folder);

/// Removes what a killed claimant left in `folder` (`*.new-<pid>`, `*.beat-<pid>`,
/// `*.stale-<pid>`) once it is an hour old: by then its writer, on any host, is long done.
void remove_abandoned_claim_files(const std::string& folder);

}  // namespace aelab
